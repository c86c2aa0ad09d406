export { Monitoring, type MonitoringAlarmProps, type MonitoringProps, type MonitorWebServiceOptions } from './monitoring';
export type { MonitoredAlarm } from './alarm-factory';
export { SavedQueries, type SavedQueriesProps } from './queries';
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
