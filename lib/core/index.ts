// lib/core: plain TypeScript shared by the constructs, the Lambda workers and the tools. Nothing
// here imports aws-cdk-lib, constructs or an AWS SDK (the lint's boundary rule holds it to that).
// The public names below are re-exported by lib/index.ts.

export { ConfigurationError } from './errors';
export { LOG_EXPORTS } from './database';
export { APP_ENVIRONMENT, JOB_TRACE_ATTRIBUTE, OTEL_ENVIRONMENT } from './app-contract';
export { TRACE_COLLECTOR_IMAGE } from './tracing';
export type { TracingSettings } from './tracing';
export {
  LOG_RETENTION_DAYS,
  PRODUCTION_MIN_BACKUP_RETENTION_DAYS,
  PRODUCTION_MIN_LOG_RETENTION_DAYS,
  PROFILE_NAMES,
  dev,
  prod,
  profileFor,
  profileProblems,
  profiles,
  resolveProfile,
  staging,
  validateProfile,
} from './profiles';
export {
  AWS_COMMERCIAL_REGIONS,
  BACKUP_MAX_RETENTION_DAYS,
  PRODUCTION_MIN_BACKUP_PLAN_RETENTION_DAYS,
  VAULT_LOCK_MIN_CHANGEABLE_FOR_DAYS,
  VAULT_LOCK_MODES,
} from './backup';
export type { VaultLockMode, VaultLockNumbers } from './backup';
export type {
  AlarmThreshold,
  BackupProfile,
  CacheAlarmThresholds,
  CacheProfile,
  CostProfile,
  CpuArchitectureName,
  DatabaseAlarmThresholds,
  DatabaseInsightsAlarmThresholds,
  DatabaseProfile,
  EdgeProfile,
  HighResolutionMetricName,
  MonitoringProfile,
  NatStrategy,
  NetworkProfile,
  ObservabilityProfile,
  PredictiveScalingMode,
  Profile,
  ProfileName,
  ScheduledWorkerAlarmThresholds,
  WebAlarmThresholds,
  WebProfile,
  WebDeliveryProfile,
  WebScaleSchedule,
  WorkerAlarmThresholds,
  WorkerProfile,
} from './profiles';
export type { ProvisionedPollers } from './worker-pollers';
export { maxConnectionsFor, tunePostgresParameters } from './postgres/tuning';
export type { PostgresTuning, PostgresWorkloadHints, TunedParameter } from './postgres/tuning';
export {
  checkConnectionBudget,
  checkProfileConnectionBudget,
  connectionDemand,
  defaultProxyMaxConnectionsPercent,
  profileConnectionDemand,
  roleConnectionLimits,
} from './postgres/connection-budget';
export type { ConnectionBudget, ConnectionBudgetInput, ConnectionDemandInput, RoleConnectionLimits } from './postgres/connection-budget';
export { engineMemoryBytes } from './postgres/engine-memory';
export { checkProfileMemoryFit, memoryFitProblem } from './postgres/memory-fit';
export { DEFAULT_EVICTION_POLICY, VALKEY_ENGINE_VERSION, VALKEY_EVICTION_POLICIES, VALKEY_NODE_TYPES } from './cache';
export type { CacheEvictionPolicy, CacheNodeTypeInfo } from './cache';
export { DEFAULT_CONTAINER_PORT, DEFAULT_IMAGE, FARGATE_TASK_SIZES, WEB_ENVIRONMENT } from './web';
export { ALARM_CATALOG } from './alarm-catalog';
export type {
  AlarmCatalog,
  AlarmComparison,
  AlarmDefinition,
  AlarmSection,
  AlarmSeverity,
  MissingData,
  MonitoredTier,
  ThresholdUnit,
} from './alarm-catalog';
export { BURN_RATE_WINDOWS } from './monitoring';
export type { BurnRateWindow } from './monitoring';
export { PUBLISHED_METRICS_METADATA } from './metrics';
export type { MetricSeries, PublishedMetrics } from './metrics';
export {
  DEFAULT_ACCOUNT_CONCURRENCY,
  UNRESERVED_CONCURRENCY_MINIMUM,
  checkConcurrencyBudget,
  scheduledWorkerReservedConcurrency,
} from './lambda-concurrency';
export type { ConcurrencyBudget, ConcurrencyBudgetInput, ConcurrencyReservation } from './lambda-concurrency';
export { REQUEST_LOG_FIELDS, SAVED_QUERIES } from './log-queries';
export type { SavedQueryDefinition, SavedQueryName, SavedQuerySource } from './log-queries';
