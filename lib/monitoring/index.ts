export {
  Monitoring,
  type MonitorableScheduledWorker,
  type MonitoringAlarmProps,
  type MonitoringProps,
  type MonitorWebServiceOptions,
} from './monitoring';
export type { MonitoredAlarm } from './alarm-factory';
