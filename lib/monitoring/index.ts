export { Monitoring, type MonitoringAlarmProps, type MonitoringProps, type MonitorWebServiceOptions } from './monitoring';
export type { MonitoredAlarm } from './alarm-factory';
export type { MonitorableEdge } from './monitor-edge';
export type {
  MonitorableCache,
  MonitorableCacheMetricOptions,
  MonitorableDatabase,
  MonitorableDatabaseInsights,
  MonitorableQueueWorker,
  MonitorableScheduledWorker,
  MonitorableWebService,
} from './monitorable';
