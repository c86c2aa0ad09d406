// The monitoring section of a Profile: SLO targets and alarm thresholds, one interface per tier.
// Kept beside profile.ts (which re-exports every name) so the profile's shape reads in one file and
// the alarm table's inputs in another.

/**
 * An alarm threshold in the unit its name carries, or 'off' for no alarm in this profile (each
 * alarm costs $0.10 a month per metric it reads).
 */
export type AlarmThreshold = number | 'off';

/**
 * The SLO targets and the alarm thresholds of one profile: the table `Monitoring` builds its alarms
 * from and the README's alarm table is generated from (`npm run alarm-table`). What each alarm
 * means, how it is evaluated and its severity are in `lib/monitoring/alarm-catalog.ts`.
 */
export interface MonitoringProfile {
  /**
   * Availability SLO: the share of requests (%) over 30 days that must not end in a 5xx, in
   * (0, 100). Its error budget (100 - target) sets the burn-rate alarms' thresholds.
   */
  readonly availabilitySloPercent: number;
  /** Latency SLO: the share of requests (%) over 30 days answered within `latencySloThresholdMs`, in (0, 100). */
  readonly latencySloPercent: number;
  /** The response time (target response time at the ALB, ms) the latency SLO counts as fast enough. */
  readonly latencySloThresholdMs: number;
  /** Multi-window burn-rate alarms on both SLOs (fast and slow windows, one composite alarm per SLO). */
  readonly sloBurnRateAlarms: boolean;
  /**
   * The database insights worker publishes its figures as CloudWatch metrics (8 custom metrics,
   * $2.40 a month), which the `databaseInsights` alarms and the dashboard's PostgreSQL row read.
   * When false it logs its report only (slow statements and index candidates stay in its log
   * group), and every `databaseInsights` threshold must be 'off'.
   */
  readonly databaseInsightsMetrics: boolean;
  readonly web: WebAlarmThresholds;
  readonly database: DatabaseAlarmThresholds;
  readonly cache: CacheAlarmThresholds;
  readonly worker: WorkerAlarmThresholds;
  readonly databaseInsights: DatabaseInsightsAlarmThresholds;
  readonly scheduledWorker: ScheduledWorkerAlarmThresholds;
}

/** The load balancer and the Fargate service. */
export interface WebAlarmThresholds {
  /**
   * 5xx responses (ALB and tasks) as % of requests. This alarm is the WebService's deployment
   * alarm, so it also rolls deployments back: it cannot be 'off'.
   */
  readonly errorRatePercent: number;
  /** p99 target response time (ms). Also a deployment (rollback) alarm: it cannot be 'off'. */
  readonly p99LatencyMs: number;
  /** Tasks failing the ALB health check at once. */
  readonly unhealthyHostCount: AlarmThreshold;
  /** Connections the ALB refused in 5 minutes. */
  readonly rejectedConnectionsPer5Min: AlarmThreshold;
  /** Average task CPU (%). */
  readonly cpuPercent: AlarmThreshold;
  /** Average task memory (%). */
  readonly memoryPercent: AlarmThreshold;
  /** Running (healthy) tasks below this % of the service's minimum task count. */
  readonly runningTasksPercentOfMinimum: AlarmThreshold;
}

/** The RDS instance (and its proxy, when there is one). */
export interface DatabaseAlarmThresholds {
  readonly cpuPercent: AlarmThreshold;
  /** CPU credits left (burstable classes only). */
  readonly cpuCredits: AlarmThreshold;
  /** Freeable memory below this % of the instance class's memory. */
  readonly freeableMemoryPercent: AlarmThreshold;
  /** Free storage below this many GiB. */
  readonly freeStorageGiB: AlarmThreshold;
  /** Open connections above this % of max_connections. */
  readonly connectionsPercentOfMax: AlarmThreshold;
  /** Average disk read latency (ms). */
  readonly readLatencyMs: AlarmThreshold;
  /** Average disk write latency (ms). */
  readonly writeLatencyMs: AlarmThreshold;
  /** The proxy's connections to the instance above this % of what it may open (with a proxy only). */
  readonly proxyConnectionsPercentOfMax: AlarmThreshold;
}

/** The Valkey replication group (each alarm reads every node). */
export interface CacheAlarmThresholds {
  /** The busiest node's engine-thread CPU (%). */
  readonly engineCpuPercent: AlarmThreshold;
  /** The fullest node's memory use (% of maxmemory). */
  readonly memoryPercent: AlarmThreshold;
  /** Keys evicted in 5 minutes, all nodes together. */
  readonly evictionsPer5Min: AlarmThreshold;
  /** Connections open on the busiest node. */
  readonly connectionCount: AlarmThreshold;
  /** The most lagging replica's lag (seconds); only with replicas. */
  readonly replicationLagSeconds: AlarmThreshold;
}

/** The Lambda worker and its queues. */
export interface WorkerAlarmThresholds {
  /** Invocations that failed as a whole in 5 minutes. */
  readonly errorsPer5Min: AlarmThreshold;
  /** Throttled invocations in 5 minutes. */
  readonly throttlesPer5Min: AlarmThreshold;
  /** p99 batch duration as % of the function timeout. */
  readonly p99DurationPercentOfTimeout: AlarmThreshold;
  /** Age of the oldest waiting message (seconds). */
  readonly oldestMessageAgeSeconds: AlarmThreshold;
  /** Messages in the dead-letter queue. */
  readonly deadLetterMessageCount: AlarmThreshold;
}

/**
 * PostgreSQL's own statistics, as the database insights worker publishes them once per run
 * (`CdkScalingStack/DatabaseInsights`); each alarm's period covers the worker's schedule.
 */
export interface DatabaseInsightsAlarmThresholds {
  /** Block reads served from shared buffers (%, cumulative since the statistics were reset) below this. */
  readonly bufferCacheHitRatioPercent: AlarmThreshold;
  /** Normalized statements whose mean execution time reaches the slow threshold (250 ms), above this many. */
  readonly slowStatementCount: AlarmThreshold;
  /** The oldest open transaction (seconds) above this. */
  readonly longestTransactionSeconds: AlarmThreshold;
  /** Client connections as % of max_connections above this. */
  readonly connectionUsePercent: AlarmThreshold;
  /** Sessions idle inside an open transaction, above this many in consecutive runs. */
  readonly idleInTransactionSessions: AlarmThreshold;
  /** Index candidates in the report (columns slow statements filter on without an index), at least this many. */
  readonly indexCandidateCount: AlarmThreshold;
  /** Parts of the report the worker could not read, at least this many; also fires when no report arrives. */
  readonly unavailableSectionCount: AlarmThreshold;
}

/** A worker run on a schedule (the right-sizing advisor, the database insights worker). */
export interface ScheduledWorkerAlarmThresholds {
  /** Failed runs (an error thrown or a timeout; each retried once) in 5 minutes. */
  readonly errorsPer5Min: AlarmThreshold;
  /** Runs in the dead-letter queue (failed twice, or not delivered by EventBridge Scheduler). */
  readonly deadLetterMessageCount: AlarmThreshold;
}
