// The public API of cdk-scaling-stack: named exports only, so every change of the surface shows in
// the API report (api/). Helpers that are not listed here are internal and may change.

export * from './core';

export { ScalingStack, STACK_COST_TAG } from './scaling-stack';
export type { ScalingStackProps } from './scaling-stack';
export { Network } from './network';
export type { NetworkProps } from './network';
export { WebService } from './web-service';
export type { WebDeploymentAlarms, WebHealthCheck, WebMetricSource, WebServiceProps, WebServiceTracing } from './web-service';
export { EDGE_RATE_LIMIT_RULE, Edge, EdgeWebAcl } from './edge';
export type { EdgeMetricName, EdgeProps, EdgePublicOrigin, EdgeWebAclProps } from './edge';
export { Database, DatabaseBootstrap } from './database';
export type { DatabaseBootstrapOptions, DatabaseInsightsModeName, DatabaseLogType, DatabaseProps } from './database';
export { Cache } from './cache';
export type { CacheClusterMode, CacheMetricAggregation, CacheMetricOptions, CacheProps } from './cache';
export { QueueWorker, defaultVisibilityTimeout, jobsWorkerMetrics, IdempotencyTable } from './queue-worker';
export type { QueueWorkerProps, IdempotencyTableProps } from './queue-worker';
export { DATA_BACKUP_DEFAULTS, DataBackup } from './backup';
export type { DataBackupProps } from './backup';
export { MonthlyBudget } from './cost';
export type { MonthlyBudgetProps } from './cost';
export { Monitoring, SavedQueries } from './monitoring';
export type {
  SavedQueriesProps,
  MonitorableCache,
  MonitorableCacheMetricOptions,
  MonitorableDatabase,
  MonitorableEdge,
  MonitorableDatabaseInsights,
  MonitorableQueueWorker,
  MonitorableScheduledWorker,
  MonitorableWebService,
  MonitoredAlarm,
  MonitoringAlarmProps,
  MonitoringProps,
  MonitorWebServiceOptions,
} from './monitoring';
export { CLOUDWATCH_LOGS_KEY_ACTIONS, EncryptLogGroups, LogEncryptionKey, adoptProviderLogGroups } from './security';
export type { LogEncryptionKeyProps } from './security';
export { DatabaseInsights, RightsizingAdvisor } from './insights';
export type {
  DatabaseInsightsProps,
  RightsizingAdvisorProps,
  RightsizingCacheSource,
  RightsizingDatabaseSource,
  RightsizingWebSource,
  RightsizingWorkerSource,
} from './insights';
export {
  backupPropsFor,
  cachePropsFor,
  databasePropsFor,
  edgePropsFor,
  monitoringPropsFor,
  networkPropsFor,
  queueWorkerPropsFor,
  idempotencyTablePropsFor,
  webServicePropsFor,
} from './profile-props';
export type { ProfileRef } from './profile-props';
export { parseAppConfig } from './config';
export type { AppConfig } from './config';
