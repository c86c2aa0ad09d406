import { INSIGHTS_ALARM_PERIOD_SECONDS } from './monitoring';
import { DEPLOYMENT_ALARM, METRIC_PERIOD_SECONDS } from './web';
import type { MonitoringProfile } from './profiles/profile';

/** How urgent an alarm is. Critical alarms also feed the composite "service health" alarm. */
export type AlarmSeverity = 'warning' | 'critical';

/**
 * The tiers the alarm pack covers. 'PostgreSQL' is the engine's own statistics (the database
 * insights worker's metrics), 'RDS' the instance; 'Scheduled' the runs of the scheduled workers.
 */
export type MonitoredTier = 'ALB' | 'ECS' | 'RDS' | 'Cache' | 'Lambda' | 'SQS' | 'PostgreSQL' | 'Scheduled';

/** The unit of a threshold as the profile states it (the field's name carries it too). */
export type ThresholdUnit = 'percent' | 'ms' | 'seconds' | 'count' | 'GiB' | 'credits';

/** Which side of the threshold is bad. */
export type AlarmComparison = 'above' | 'at-or-above' | 'below';

/**
 * What a period without data means:
 * - 'ok': nothing happened (a count of bad events that is only published when there are some);
 * - 'breaching': silence is the failure (nothing is running to report);
 * - 'keep-state': a gap says nothing either way (a gauge of a resource that can pause reporting);
 *   other alarms catch a resource that is gone.
 */
export type MissingData = 'ok' | 'breaching' | 'keep-state';

/** One alarm of the pack, as data: everything but the metric and the construct it watches. */
export interface AlarmDefinition {
  readonly tier: MonitoredTier;
  /** Short name, used in the alarm's name (PascalCase) and the README table. */
  readonly id: string;
  /** What is measured, for the description and the README, e.g. 'Task CPU'. */
  readonly title: string;
  readonly severity: AlarmSeverity;
  readonly unit: ThresholdUnit;
  readonly comparison: AlarmComparison;
  readonly missingData: MissingData;
  /**
   * Why a period without data means what `missingData` says, when the metric is absent on a
   * healthy new stack (before the first task, run or event): such an alarm must not page right
   * after the first deploy. Absent: the metric is published from the start.
   */
  readonly absentOnNewStack?: string;
  /** The period of each datapoint, in seconds. */
  readonly periodSeconds: number;
  /** Periods looked at; `datapointsToAlarm` of them must breach. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** What a breach means, in one sentence. */
  readonly meaning: string;
  /** What to look at first. */
  readonly checkFirst: string;
  /** When the alarm exists at all, if not always (the README says so). */
  readonly onlyWhen?: string;
  /** The alarm is the WebService's deployment (rollback) alarm, given actions and the profile's threshold. */
  readonly adopted?: boolean;
}

/**
 * The sections of `MonitoringProfile` that hold thresholds. A new tier is a new section here, its
 * threshold fields in `MonitoringProfile` and each profile, its definitions below, and a
 * `monitor…()` method that calls `catalogAlarm()` per field: validation, the README table and the
 * tests pick it up from the catalog.
 */
export type AlarmSection = 'web' | 'database' | 'cache' | 'worker' | 'databaseInsights' | 'scheduledWorker';

/** One definition per threshold field of each section: a new field without a definition does not compile. */
export type AlarmCatalog = {
  readonly [S in AlarmSection]: { readonly [F in keyof MonitoringProfile[S]]-?: AlarmDefinition };
};

const FIVE_MINUTES = 5 * 60;
/** One run of the database insights worker per period (Monitoring lengthens it for a slower schedule). */
const ONE_RUN = INSIGHTS_ALARM_PERIOD_SECONDS;
/** The PostgreSQL alarms exist only when the insights worker publishes its metrics (the profile's switch). */
const INSIGHTS_METRICS = '`databaseInsightsMetrics`';
/** Where the database insights report is, for every PostgreSQL alarm's "check first". */
const REPORT = "the latest `database insights report` line in the insights worker's log group";

/**
 * The alarm pack. Evaluation: gauges look at 3 five-minute periods and alarm when all 3 breach
 * (15 minutes: long enough to ride out a deploy or a burst, short enough to act before users
 * notice); events that should never happen alarm on the first 5-minute period with one.
 */
export const ALARM_CATALOG: AlarmCatalog = {
  web: {
    errorRatePercent: {
      tier: 'ALB',
      id: 'ErrorRate',
      title: '5xx rate (ALB and tasks, % of requests)',
      severity: 'critical',
      unit: 'percent',
      comparison: 'above',
      missingData: 'ok',
      periodSeconds: METRIC_PERIOD_SECONDS,
      evaluationPeriods: DEPLOYMENT_ALARM.evaluationPeriods,
      datapointsToAlarm: DEPLOYMENT_ALARM.datapointsToAlarm,
      meaning: `Requests are failing: 502/503/504 from the load balancer (no healthy or reachable task) or 5xx from the app; judged only above ${DEPLOYMENT_ALARM.minRequestsPerMinute} requests a minute. It also rolls back an ECS deployment in progress.`,
      checkFirst:
        "HTTPCode_ELB_5XX_Count against HTTPCode_Target_5XX_Count on the dashboard: ELB errors mean tasks are down or unreachable (target health, ECS service events); target errors are the app's (the web log group). Was there a deployment?",
      adopted: true,
    },
    p99LatencyMs: {
      tier: 'ALB',
      id: 'P99Latency',
      title: 'p99 target response time',
      severity: 'warning',
      unit: 'ms',
      comparison: 'above',
      missingData: 'ok',
      periodSeconds: METRIC_PERIOD_SECONDS,
      evaluationPeriods: DEPLOYMENT_ALARM.evaluationPeriods,
      datapointsToAlarm: DEPLOYMENT_ALARM.datapointsToAlarm,
      meaning:
        'The slowest 1 % of requests are slower than the threshold although the service scales out on latency. It also rolls back an ECS deployment in progress.',
      checkFirst:
        'The database row (CPU, read/write latency, connections) and the cache hit rate; whether the service is at its maximum task count; a deployment just now.',
      adopted: true,
    },
    unhealthyHostCount: {
      tier: 'ALB',
      id: 'UnhealthyHosts',
      title: 'Tasks failing the ALB health check',
      severity: 'warning',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'ok',
      periodSeconds: METRIC_PERIOD_SECONDS,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      meaning: 'Tasks have failed their health check for 5 minutes: they take no traffic, and the rest carry their share.',
      checkFirst:
        "The target group's target health reasons, the health-check path in the web log group, and stopped-task reasons in the ECS service events.",
    },
    rejectedConnectionsPer5Min: {
      tier: 'ALB',
      id: 'RejectedConnections',
      title: 'Connections the ALB refused',
      severity: 'warning',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      meaning: 'The load balancer refused connections because it reached its connection limit: traffic rose faster than it scaled.',
      checkFirst:
        'ActiveConnectionCount and NewConnectionCount of the load balancer; a client retry storm; an ALB capacity reservation for known peaks.',
    },
    cpuPercent: {
      tier: 'ECS',
      id: 'Cpu',
      title: 'Task CPU (service average)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning:
        'Average task CPU stayed high for 15 minutes: target tracking has not brought it down, because the service is at its maximum task count or cannot scale fast enough.',
      checkFirst: 'Running tasks against the maximum, the scaling activity of the service, and a deployment that made a code path slower.',
    },
    memoryPercent: {
      tier: 'ECS',
      id: 'Memory',
      title: 'Task memory (service average)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'Tasks are close to their memory limit: at 100 % the container is killed (exit code 137) and its requests fail.',
      checkFirst: 'Memory growth since the last deployment (a leak), OutOfMemory stopped-task reasons, and whether the task size fits the app.',
    },
    runningTasksPercentOfMinimum: {
      tier: 'ECS',
      id: 'RunningTasks',
      title: 'Tasks running (% of the minimum)',
      severity: 'critical',
      unit: 'percent',
      comparison: 'below',
      missingData: 'keep-state',
      absentOnNewStack:
        'The task count is published once the service runs tasks (then every minute, 0 included), so it is absent only while the stack is being created; counting that as breaching paged on every first deploy. A service that stops reporting is caught by the 5xx and SLO alarms.',
      periodSeconds: METRIC_PERIOD_SECONDS,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      meaning:
        "Fewer tasks than the service's minimum have been running (healthy) for 5 minutes: capacity is lost, and with none the service is down.",
      checkFirst:
        'The ECS service events (tasks failing to start, image pull errors, Spot interruptions), stopped-task reasons, and the target health of the target group.',
    },
  },
  database: {
    cpuPercent: {
      tier: 'RDS',
      id: 'Cpu',
      title: 'Database CPU',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'The database CPU stayed high for 15 minutes: queries queue and every tier above slows down.',
      checkFirst: 'Top SQL in Database Insights (a new query or a missing index), connections, and a batch or migration running.',
    },
    cpuCredits: {
      tier: 'RDS',
      id: 'CpuCredits',
      title: 'Database CPU credits',
      severity: 'warning',
      unit: 'credits',
      comparison: 'below',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning:
        'The burstable instance has nearly spent its CPU credits: beyond them it runs on surplus credits, billed per vCPU-hour, or is held to its baseline.',
      checkFirst: 'What keeps CPU above the baseline (Top SQL in Database Insights); a sustained load needs a larger or non-burstable class.',
      onlyWhen: 'burstable (db.t4g) classes',
    },
    freeableMemoryPercent: {
      tier: 'RDS',
      id: 'FreeableMemory',
      title: "Database freeable memory (% of the class's memory)",
      severity: 'warning',
      unit: 'percent',
      comparison: 'below',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'Little memory is left: the page cache shrinks, reads go to disk, and the instance may swap.',
      checkFirst:
        "Connections (each holds work_mem and its own memory), large sorts and hashes in Top SQL, and the parameter group's memory settings.",
    },
    freeStorageGiB: {
      tier: 'RDS',
      id: 'FreeStorage',
      title: 'Database free storage',
      severity: 'critical',
      unit: 'GiB',
      comparison: 'below',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      meaning:
        'The disk is nearly full and storage autoscaling has not grown it (it is at its ceiling or in its 6-hour cooldown); a full disk stops the database.',
      checkFirst:
        'TransactionLogsDiskUsage (WAL held by a replication slot), table and index growth, and the storage ceiling (maxAllocatedStorageGiB).',
    },
    connectionsPercentOfMax: {
      tier: 'RDS',
      id: 'Connections',
      title: 'Database connections (% of max_connections)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'Connections approach max_connections: at the limit new connections are refused and requests fail.',
      checkFirst:
        'Tasks and workers running against the connection budget (README, "Connection budget"), idle-in-transaction sessions, and pools that were not closed.',
    },
    readLatencyMs: {
      tier: 'RDS',
      id: 'ReadLatency',
      title: 'Database disk read latency',
      severity: 'warning',
      unit: 'ms',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'Disk reads are slow: the volume is at its IOPS or throughput limit, or reads miss the cache.',
      checkFirst: 'ReadIOPS and ReadThroughput against the gp3 limits, DiskQueueDepth, and freeable memory (a shrinking cache).',
    },
    writeLatencyMs: {
      tier: 'RDS',
      id: 'WriteLatency',
      title: 'Database disk write latency',
      severity: 'warning',
      unit: 'ms',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'Disk writes are slow: commits wait for them, so every write request slows down.',
      checkFirst: 'WriteIOPS and WriteThroughput against the gp3 limits, DiskQueueDepth, and a bulk load or vacuum running.',
    },
    proxyConnectionsPercentOfMax: {
      tier: 'RDS',
      id: 'ProxyConnections',
      title: 'Proxy connections to the database (% of its share)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: METRIC_PERIOD_SECONDS,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      meaning: 'RDS Proxy holds nearly all the connections it may open: clients start to wait for one (DatabaseConnectionsBorrowLatency grows).',
      checkFirst: 'Session pinning (DatabaseConnectionsCurrentlySessionPinned), long transactions, and client connections to the proxy.',
      onlyWhen: 'a proxy',
    },
  },
  cache: {
    engineCpuPercent: {
      tier: 'Cache',
      id: 'EngineCpu',
      title: 'Cache engine CPU (busiest node)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'The engine thread of a node is nearly saturated: Valkey runs commands one at a time, so every client waits longer.',
      checkFirst: 'The slow log (KEYS, large MGETs, Lua scripts), commands per second by type, and hot keys on one node.',
    },
    memoryPercent: {
      tier: 'Cache',
      id: 'Memory',
      title: 'Cache memory (fullest node, % of maxmemory)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'The cache is nearly full: at 100 % it evicts keys, the hit rate falls and the database takes the reads.',
      checkFirst: 'Keys without a TTL, the evictions and hit-rate graphs, and whether the node type still fits the working set.',
    },
    evictionsPer5Min: {
      tier: 'Cache',
      id: 'Evictions',
      title: 'Cache evictions (all nodes)',
      severity: 'warning',
      unit: 'count',
      comparison: 'above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'Keys are evicted for memory for 15 minutes: the working set no longer fits, so the hit rate and the database load suffer.',
      checkFirst: 'Cache memory and hit rate, a new key pattern or larger values, and a larger node type.',
    },
    connectionCount: {
      tier: 'Cache',
      id: 'Connections',
      title: 'Cache connections (busiest node)',
      severity: 'warning',
      unit: 'count',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: 'Far more connections than the clients need: a connection leak, which ends at the 65,000-per-node limit with refused connections.',
      checkFirst: 'NewConnections (clients reconnecting in a loop), clients that create a connection per request, and the idle timeout.',
    },
    replicationLagSeconds: {
      tier: 'Cache',
      id: 'ReplicationLag',
      title: 'Cache replication lag (most lagging replica)',
      severity: 'warning',
      unit: 'seconds',
      comparison: 'above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      meaning: "A replica trails its primary: reads from the reader endpoint are stale, and a failover now would lose the lag's worth of writes.",
      checkFirst: "The primary's engine CPU and network, large writes or full resyncs in the engine log, and the replica's node health.",
      onlyWhen: 'replicas',
    },
  },
  worker: {
    errorsPer5Min: {
      tier: 'Lambda',
      id: 'Errors',
      title: 'Worker invocations failed as a whole',
      severity: 'warning',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      meaning:
        'An invocation failed as a whole (an error outside the per-record handler, a timeout, an out-of-memory): its whole batch returns to the queue.',
      checkFirst: "The worker's log group (Logs Insights: level = ERROR), its duration against the timeout, and a deployment just now.",
    },
    throttlesPer5Min: {
      tier: 'Lambda',
      id: 'Throttles',
      title: 'Worker invocations throttled',
      severity: 'warning',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      meaning: "Lambda refused invocations: the account's (or a reserved) concurrency limit is reached, so jobs wait.",
      checkFirst: "ConcurrentExecutions of the account and of other functions, and the event source's maximum concurrency.",
    },
    p99DurationPercentOfTimeout: {
      tier: 'Lambda',
      id: 'Duration',
      title: 'Worker p99 duration (% of the timeout)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      meaning: 'Batches come close to the function timeout: one step slower and they are killed mid-way and retried.',
      checkFirst: 'JobDuration by job type, database and cache latency, and the batch size against the timeout.',
    },
    oldestMessageAgeSeconds: {
      tier: 'SQS',
      id: 'OldestMessage',
      title: 'Age of the oldest waiting job',
      severity: 'warning',
      unit: 'seconds',
      comparison: 'above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      meaning: 'Jobs wait longer than they should: the worker is stopped, failing, or slower than the rate jobs arrive.',
      checkFirst: "Worker errors and throttles, its concurrent executions against the event source's maximum, and messages sent per minute.",
    },
    deadLetterMessageCount: {
      tier: 'SQS',
      id: 'DeadLetters',
      title: 'Jobs in the dead-letter queue',
      severity: 'critical',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      meaning: 'Jobs failed every attempt and were dead-lettered: they will not run until an operator redrives them (kept 14 days).',
      checkFirst: "The failed jobs' errors in the worker's log group, then the README's redrive procedure once the cause is fixed.",
    },
  },
  // The database insights worker publishes one datapoint per metric and run, from statistics
  // PostgreSQL accumulates: each period holds one run, a gap (a failed run, a section it could not
  // read) says nothing about the database, so only the report alarm treats silence as a failure.
  databaseInsights: {
    bufferCacheHitRatioPercent: {
      tier: 'PostgreSQL',
      id: 'BufferCacheHitRatio',
      title: 'Buffer cache hit ratio (% of block reads, since the statistics reset)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'below',
      missingData: 'keep-state',
      periodSeconds: ONE_RUN,
      onlyWhen: INSIGHTS_METRICS,
      evaluationPeriods: 4,
      datapointsToAlarm: 4,
      meaning:
        'Fewer block reads are served from shared_buffers: the working set has outgrown memory, or a new query reads a large table whole, so reads wait on the page cache or the disk. The ratio is cumulative, so it moves slowly and an hour of low readings after a restart (cold cache) is already judged.',
      checkFirst: `The statements with the most shared_blks_read in ${REPORT}, the index candidates there, and freeable memory and read IOPS on the database row.`,
    },
    slowStatementCount: {
      tier: 'PostgreSQL',
      id: 'SlowStatements',
      title: 'Slow statements (normalized, mean at or above the slow threshold)',
      severity: 'warning',
      unit: 'count',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: ONE_RUN,
      onlyWhen: INSIGHTS_METRICS,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      meaning:
        "More distinct statements than usual average 250 ms or more since pg_stat_statements was reset: a query lost its index or its plan, or a table outgrew one. One-off statements (a release's migrations) count until the statistics are reset.",
      checkFirst: `\`statements.byMeanTime\` and the index candidates in ${REPORT}; after a review, \`SELECT pg_stat_statements_reset();\` clears one-off statements.`,
    },
    longestTransactionSeconds: {
      tier: 'PostgreSQL',
      id: 'LongestTransaction',
      title: 'Longest open transaction',
      severity: 'warning',
      unit: 'seconds',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: ONE_RUN,
      onlyWhen: INSIGHTS_METRICS,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      meaning:
        'A transaction has been open longer than any request or job should take: it holds its locks and stops vacuum from cleaning any table (bloat, and in the end wraparound protection). Sessions idle in a transaction end after 60 s, so this one is working: a runaway query, a batch or a migration.',
      checkFirst: `\`sessions.longRunning\` in ${REPORT} (pid, user, application, query), then \`SELECT pg_cancel_backend(<pid>)\` if it should not run.`,
    },
    connectionUsePercent: {
      tier: 'PostgreSQL',
      id: 'ConnectionUse',
      title: 'Client connections (% of max_connections, by the insights worker)',
      severity: 'warning',
      unit: 'percent',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: ONE_RUN,
      onlyWhen: INSIGHTS_METRICS,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      meaning:
        'Client sessions nearly fill max_connections at two runs in a row: the connection budget is spent, and at the limit new connections are refused and requests fail.',
      checkFirst: `Who holds them: \`SELECT application_name, usename, state, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3\`, idle-in-transaction sessions in ${REPORT}, and tasks and workers running against the connection budget (README, "Connection budget").`,
    },
    idleInTransactionSessions: {
      tier: 'PostgreSQL',
      id: 'IdleInTransaction',
      title: 'Sessions idle in a transaction',
      severity: 'warning',
      unit: 'count',
      comparison: 'above',
      missingData: 'keep-state',
      periodSeconds: ONE_RUN,
      onlyWhen: INSIGHTS_METRICS,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      meaning:
        'At two runs in a row, many sessions sat inside an open transaction doing nothing: code holds transactions open across slow work (an HTTP call, a cache miss), keeping locks and, behind RDS Proxy, pinning connections. The parameter group ends each after 60 s, so they keep coming back.',
      checkFirst: `\`sessions.idleInTransaction\` in ${REPORT} (application and last query), and the code path that runs that query inside a transaction.`,
    },
    indexCandidateCount: {
      tier: 'PostgreSQL',
      id: 'IndexCandidates',
      title: 'Index candidates (columns of large tables read whole by slow or frequent statements)',
      severity: 'warning',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'keep-state',
      periodSeconds: ONE_RUN,
      onlyWhen: INSIGHTS_METRICS,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      meaning:
        'Slow or frequent statements read a large table by sequential scans, filtering on a column no index starts with: an index would turn each of them into a lookup. The alarm clears at the next run once the index exists.',
      checkFirst: `\`indexCandidates\` in ${REPORT}: each names the statement and gives its \`CREATE INDEX CONCURRENTLY\`; check the column's selectivity before creating it.`,
    },
    unavailableSectionCount: {
      tier: 'PostgreSQL',
      id: 'ReportIncomplete',
      title: 'Insights report incomplete (sections not read)',
      severity: 'warning',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'keep-state',
      absentOnNewStack:
        "The first report comes with the worker's first run, up to one schedule interval after the deploy; a new alarm that counted the empty periods before it as breaching went to ALARM at creation. Runs that fail or stop are the scheduled worker's failed-runs alarms' to catch.",
      periodSeconds: ONE_RUN,
      onlyWhen: INSIGHTS_METRICS,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      meaning:
        'The insights worker could not read part of the statistics (the pg_stat_statements extension not created, a missing privilege): the other PostgreSQL alarms are blind meanwhile.',
      checkFirst:
        "The worker's log group: a `database insights: … unavailable` warning gives the fix (`CREATE EXTENSION pg_stat_statements;`, `GRANT pg_monitor …`), a `misconfigured` warning the setting; no run at all is the schedule or the failed-runs alarms.",
    },
  },
  // The runs of a scheduled worker: EventBridge Scheduler invokes the function asynchronously,
  // Lambda retries a failed run once, then the run goes to the worker's dead-letter queue.
  scheduledWorker: {
    errorsPer5Min: {
      tier: 'Scheduled',
      id: 'Errors',
      title: 'Scheduled runs failed',
      severity: 'warning',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      meaning: 'A run of the scheduled worker threw or timed out. Lambda retries it once; a second failure sends it to the dead-letter queue.',
      checkFirst:
        "The error in the worker's log group: for database insights the database unreachable or its secret unreadable; for the advisor GetMetricData throttling or the timeout.",
    },
    deadLetterMessageCount: {
      tier: 'Scheduled',
      id: 'DeadLetters',
      title: 'Scheduled runs in the dead-letter queue',
      severity: 'critical',
      unit: 'count',
      comparison: 'at-or-above',
      missingData: 'ok',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      meaning:
        "A run failed twice, or EventBridge Scheduler could not deliver it: that run's report is lost, and every later run fails the same way until the cause is fixed.",
      checkFirst:
        "The message in the worker's dead-letter queue (Lambda's ErrorMessage attribute, or Scheduler's error in the body) and the worker's log group. Once fixed, purge the queue: the next run replaces a failed one, there is nothing to redrive.",
    },
  },
};

/** Every definition with its section and field, in catalog order. */
export function catalogEntries(): { section: AlarmSection; field: string; definition: AlarmDefinition }[] {
  return (Object.keys(ALARM_CATALOG) as AlarmSection[]).flatMap((section) =>
    Object.entries(ALARM_CATALOG[section] as Record<string, AlarmDefinition>).map(([field, definition]) => ({ section, field, definition })),
  );
}

/** The range a threshold of `definition` must be in to mean anything, with words for messages. */
export function thresholdRange(definition: AlarmDefinition): {
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
  integer: boolean;
  what: string;
} {
  switch (definition.unit) {
    case 'percent':
      // Above 100 % an 'above' alarm can never fire; 100 % is still meaningful for 'below'.
      return { min: 0, max: 100, minExclusive: true, maxExclusive: definition.comparison !== 'below', integer: false, what: 'a percentage' };
    case 'ms':
      return { min: 0, max: 3_600_000, minExclusive: true, maxExclusive: false, integer: false, what: 'milliseconds, at most an hour' };
    case 'seconds':
      // SQS keeps a message at most 14 days.
      return { min: 0, max: 1_209_600, minExclusive: true, maxExclusive: false, integer: false, what: 'seconds, at most 14 days' };
    case 'count':
      return { min: 1, max: 1_000_000_000, minExclusive: false, maxExclusive: false, integer: true, what: 'a whole count' };
    case 'GiB':
      return { min: 0, max: 65_536, minExclusive: true, maxExclusive: false, integer: false, what: 'GiB, at most the 64 TiB RDS allows' };
    case 'credits':
      // The largest burstable class, db.t4g.2xlarge, accrues at most 4,608 credits.
      return {
        min: 0,
        max: 4_608,
        minExclusive: true,
        maxExclusive: false,
        integer: false,
        what: 'CPU credits, at most the 4,608 a db.t4g.2xlarge can hold',
      };
  }
}

/** The symbol of a unit as a threshold is written: '%', ' ms', ' GiB'… */
export function unitSuffix(unit: ThresholdUnit): string {
  return { percent: ' %', ms: ' ms', seconds: ' s', count: '', GiB: ' GiB', credits: ' credits' }[unit];
}

/** '>', '≥' or '<'. */
export function comparisonSymbol(comparison: AlarmComparison): string {
  return { above: '>', 'at-or-above': '≥', below: '<' }[comparison];
}

/** How the evaluation reads: '3 of 3 periods of 5 min'. */
export function describeEvaluation(definition: Pick<AlarmDefinition, 'periodSeconds' | 'evaluationPeriods' | 'datapointsToAlarm'>): string {
  const minutes = definition.periodSeconds / 60;
  const period = minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`;
  return `${definition.datapointsToAlarm} of ${definition.evaluationPeriods} × ${period}`;
}
