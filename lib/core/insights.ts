/**
 * Environment-independent defaults of the two insight workers (RightsizingAdvisor and
 * DatabaseInsights), each with its reason. This module imports nothing but types: the workers'
 * Lambda code and the `npm run rightsize` tool read the same values.
 */
import type { MetricSeries, PublishedMetrics } from './metrics';

// ---- scheduling -------------------------------------------------------------------------------

/**
 * The advisor runs once a day, at 06:15 UTC: a day adds 1/14 of new evidence to a 14-day window,
 * so running more often repeats the same advice (and its SNS message); the early hour puts the
 * report in the inbox before a European working day starts.
 */
export const RIGHTSIZING_DEFAULT_SCHEDULE = 'cron(15 6 * * ? *)';

/**
 * The shortest and longest interval between two advisor runs, in minutes: more often than hourly
 * only re-reads the same 14 days (GetMetricData bills every metric read), less often than weekly
 * lets a bottleneck go unreported for too long.
 */
export const RIGHTSIZING_SCHEDULE_MINUTES = { min: 60, max: 7 * 24 * 60 } as const;

/** The database insights worker runs every 15 minutes, the default. */
export const DB_INSIGHTS_DEFAULT_SCHEDULE = 'rate(15 minutes)';

/**
 * The shortest and longest interval between two database insights runs, in minutes. Its queries
 * read statistics views (cheap, but not free: pg_stat_statements holds up to 5,000 entries), so
 * not more often than every 5 minutes; a long-running transaction or a session stuck idle in a
 * transaction must be seen within a day.
 */
export const DB_INSIGHTS_SCHEDULE_MINUTES = { min: 5, max: 24 * 60 } as const;

/**
 * How often EventBridge Scheduler retries delivering an invocation Lambda refused (throttling,
 * service errors) and for how long, before the event goes to the dead-letter queue. Scheduler
 * invokes asynchronously, so this covers delivery only; a run that fails inside the function is
 * retried by Lambda (`ASYNC_RETRY_ATTEMPTS`).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-retry.html
 */
export const SCHEDULER_RETRY_ATTEMPTS = 3;
/** An event older than 15 minutes is stale for a 15-minute worker: the next run replaces it. */
export const SCHEDULER_MAX_EVENT_AGE_SECONDS = 15 * 60;

/**
 * Lambda's own retries of a run that threw (asynchronous invocation, 0-2). One retry rides out a
 * transient failure (a throttled API, a database failover); a second would only repeat a real
 * fault before it reaches the dead-letter queue, where it is visible.
 */
export const ASYNC_RETRY_ATTEMPTS = 1;

/** Failed runs wait 14 days (the SQS maximum) in the dead-letter queue, a fortnight to look. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/**
 * The shortest interval between two runs each worker's default schedule makes, in minutes: what
 * its reserved concurrency is sized from (`scheduledWorkerReservedConcurrency`), here for the
 * profile rules, which judge the stack's defaults.
 */
export const DB_INSIGHTS_DEFAULT_INTERVAL_MINUTES = 15;
export const RIGHTSIZING_DEFAULT_INTERVAL_MINUTES = 24 * 60;

// ---- functions --------------------------------------------------------------------------------

/**
 * The advisor holds 14 days of one-minute datapoints for ~30 metrics (~600,000 numbers, ~10 MB as
 * JavaScript arrays) and sorts each series once; 512 MiB gives that room and ~0.3 vCPU.
 */
export const RIGHTSIZING_MEMORY_MIB = 512;
/**
 * GetMetricData returns at most 100,800 datapoints a call: 14 days of ~30 one-minute series take
 * ~7 calls of a few seconds each, plus throttling back-off. Two minutes bounds a stuck run.
 */
export const RIGHTSIZING_TIMEOUT_SECONDS = 120;

/** The insights queries are small aggregates; 256 MiB is Lambda's cheapest size with a usable CPU share. */
export const DB_INSIGHTS_MEMORY_MIB = 256;
/** Each query runs under the pool's 10-second statement timeout; six of them and the connect fit in a minute. */
export const DB_INSIGHTS_TIMEOUT_SECONDS = 60;

// ---- the advisor's analysis -------------------------------------------------------------------

/** The window the advisor reads by default: two weeks hold two weekly cycles. */
export const RIGHTSIZING_WINDOW_DAYS = 14;

/**
 * The window's bounds, in days. CloudWatch keeps one-minute datapoints for 15 days (then only
 * five-minute aggregates), and the percentiles are computed from one-minute datapoints.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Metric
 */
export const RIGHTSIZING_WINDOW_RANGE = { min: 1, max: 15 } as const;

/** Datapoints are one-minute aggregates: the finest most AWS services publish for free. */
export const RIGHTSIZING_PERIOD_SECONDS = 60;

/** The period's bounds: one minute up to a day, in whole minutes. */
export const RIGHTSIZING_PERIOD_RANGE = { min: 60, max: 86_400 } as const;

/**
 * GetMetricData accepts at most 500 queries per call.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
export const GET_METRIC_DATA_MAX_QUERIES = 500;

/** Retries of a throttled GetMetricData call, with exponential back-off from 200 ms (full jitter). */
export const THROTTLE_RETRIES = 6;
export const THROTTLE_BASE_DELAY_MS = 200;

/**
 * Share of the expected datapoints below which a component gets no recommendation at all
 * ("too little data"): with half the minutes missing, a peak may be among them.
 */
export const MIN_COVERAGE = 0.5;

/**
 * Days of data a downsizing needs. Below it the advisor still reports a bottleneck (an upsizing),
 * but never takes capacity away: one quiet weekday says nothing about Monday morning.
 */
export const MIN_DAYS_TO_DOWNSIZE = 3;

/** Days (and coverage) of "high" confidence: a full weekly cycle, almost without gaps. */
export const HIGH_CONFIDENCE = { days: 7, coverage: 0.9 } as const;

/**
 * The utilization a downsized resource may reach at its busiest observed minute: 80 % leaves a
 * fifth for what the window did not see. Upsizing starts when the p95 passes `UPSIZE_P95_PERCENT`.
 */
export const DOWNSIZE_PEAK_PERCENT = 80;
export const UPSIZE_P95_PERCENT = 80;

/**
 * Load is "spiky" when its busiest minute is over twice its p95 and above the scaling target:
 * smaller capacity would meet those minutes with less headroom, so the advisor keeps the size.
 */
export const SPIKE_FACTOR = 2;

/**
 * p95 of the one-minute average target response time above which the web tier is too slow to take
 * capacity away from, in seconds (the WebService's latency scale-out threshold).
 */
export const WEB_LATENCY_LIMIT_SECONDS = 1;

/** Memory a database keeps free after a downsize, as a share of the smaller class's memory. */
export const DATABASE_FREE_MEMORY_SHARE = 0.25;

/** A cache node's memory use (of `maxmemory`) after a downsize must stay below this. */
export const CACHE_MEMORY_LIMIT_PERCENT = 70;

/**
 * SQS age of the oldest message (p95, seconds) above which a worker at its concurrency ceiling is
 * falling behind and may run more invocations at once.
 */
export const QUEUE_AGE_LIMIT_SECONDS = 60;

// ---- database insights ------------------------------------------------------------------------

/** The CloudWatch namespace of the database insights metrics (EMF). Monitoring alarms on them. */
export const DB_INSIGHTS_METRICS_NAMESPACE = 'CdkScalingStack/DatabaseInsights';

/**
 * The metrics the database insights worker publishes, each with its unit. The names are API:
 * alarms and dashboards refer to them, so they never change.
 */
export const DB_INSIGHTS_METRICS = {
  /** Share of block reads served from shared buffers since the statistics were reset (Percent). */
  bufferCacheHitRatio: 'BufferCacheHitRatio',
  /** Normalized statements whose mean execution time is at or above the slow threshold (Count). */
  slowStatements: 'SlowStatements',
  /** Age of the oldest open transaction, idle or active (Seconds; 0 when there is none). */
  longestTransactionAge: 'LongestTransactionAgeSeconds',
  /** Client connections as a share of max_connections (Percent). */
  connectionUse: 'ConnectionUsePercent',
  /** Sessions idle inside an open transaction, holding locks and snapshots (Count). */
  idleInTransactionSessions: 'IdleInTransactionSessions',
  /** Columns of large, sequentially scanned tables that slow statements filter on without an index (Count). */
  indexCandidates: 'IndexCandidates',
  /** Indexes never scanned since the statistics were reset (Count). */
  unusedIndexes: 'UnusedIndexes',
  /** Sections of the report the worker could not read (missing extension or permission) (Count). */
  unavailableSections: 'UnavailableSections',
} as const;

/** The message of the worker's report log line (the dashboard's Logs Insights query filters on it). */
export const DB_INSIGHTS_REPORT_MESSAGE = 'database insights report';

/**
 * Every metric series the database insights worker publishes for one instance: each metric of
 * `DB_INSIGHTS_METRICS` with the dimensions `service` and `DBInstanceIdentifier` (8 series,
 * $2.40 a month). DatabaseInsights declares them for `npm run cost`; a test holds them to what
 * the worker's `publish()` really emits.
 */
export function dbInsightsMetricSeries(serviceName: string, instanceIdentifier: string): MetricSeries[] {
  return Object.values(DB_INSIGHTS_METRICS).map((metricName) => ({
    metricName,
    dimensions: { service: serviceName, DBInstanceIdentifier: instanceIdentifier },
  }));
}

/**
 * The right-sizing advisor publishes no custom metrics: its report goes to the log and the alarm
 * topic (the bundle test checks Powertools Metrics is not in its bundle).
 */
export const RIGHTSIZING_PUBLISHED_METRICS: PublishedMetrics = { series: [] };

/**
 * Mean execution time from which a statement counts as slow, in ms: the Database's
 * `log_min_duration_statement` (250 ms), so the metric and the slow-query log agree.
 */
export const SLOW_STATEMENT_MS = 250;

/** Statements listed in the report, by total and by mean time. */
export const TOP_STATEMENTS = 10;

/** A table is "large" from this many live rows: below it, a sequential scan costs less than an index. */
export const INDEX_CANDIDATE_MIN_ROWS = 10_000;

/**
 * A session counts as long-running when its transaction has been open this long, in seconds.
 * The Database ends sessions idle in a transaction after 60 s, so anything older is active work
 * or a connection outside the parameter group's reach.
 */
export const LONG_TRANSACTION_SECONDS = 60;

/** Unused indexes smaller than this (bytes) are not worth a line: dropping them saves nothing. */
export const UNUSED_INDEX_MIN_BYTES = 1024 * 1024;
