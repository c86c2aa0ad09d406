import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';

// What each `Monitoring.monitor…()` reads of the construct it watches, and nothing more. The
// library's own constructs (WebService, Database, Cache, QueueWorker, DatabaseInsights,
// RightsizingAdvisor) fit these shapes as they are; a construct of your own fits them when it
// offers the same metrics, so the same alarms, thresholds and dashboard rows watch it too.
//
// Every shape is a construct: its path names its alarms (`<stack>/<path>/<Alarm>-<severity>`) and
// the scope under Monitoring they are created in. Metric factories take CloudWatch's
// `MetricOptions` (Monitoring passes `period`, sometimes `statistic` and `label`), applied over the
// metric's own defaults, and return any `IMetric`, math included.

/**
 * A load-balanced service, as `monitorWebService()` watches it: `WebService` fits. The metrics are
 * those of an Application Load Balancer (and its target group) in front of an ECS service.
 */
export interface MonitorableWebService extends IConstruct {
  /**
   * The fewest tasks the service runs: the running-tasks alarm fires below the thresholds' share
   * of it, unless `monitorWebService()` is given another `minimumTasks`.
   */
  readonly minTasks: number;
  /**
   * Whether `metricRunningTaskCount()` has data (ECS Container Insights is on). Without it, the
   * ALB's healthy hosts stand in for running tasks.
   *
   * @default false
   */
  readonly containerInsights?: boolean;
  /**
   * The service's name in X-Ray when it is traced: the dashboard then links its row to the trace
   * map and the trace search.
   *
   * @default - not traced: no links
   */
  readonly tracingServiceName?: string;
  /**
   * Alarms the service already has on its 5xx rate and p99 latency (those that roll a deployment
   * back): Monitoring adopts them — the thresholds, names, descriptions and actions become its
   * own — instead of making a second alarm on the same metric.
   *
   * @default - none: Monitoring makes both alarms
   */
  readonly deploymentAlarms?: {
    readonly errorRate?: cloudwatch.Alarm;
    readonly p99Latency?: cloudwatch.Alarm;
  };
  /** 5xx responses (load balancer and targets) as a percentage of requests. */
  metric5xxRate(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Seconds until the target's response headers arrive; Monitoring asks for p50, p90, p99 and percentile ranks. */
  metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Requests the load balancer received (Sum). */
  metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Requests the load balancer forwarded to the tasks, whichever target group serves them (Sum):
   * the latency SLO counts them. A WebService with blue/green, canary or linear deployments
   * alternates between two target groups; this sums both.
   *
   * @default - `metric('targetGroup', 'RequestCount')`: one target group
   */
  metricTargetRequestCount?(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** 5xx responses the load balancer generated itself (Sum). */
  metricElb5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** 5xx responses the targets returned (Sum). */
  metricTarget5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Targets passing the health check (Minimum). */
  metricHealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Targets failing the health check (Maximum). */
  metricUnhealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Connections the load balancer refused at its connection limit (Sum). */
  metricRejectedConnectionCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** CPU utilization of the tasks, in % of their CPU. */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Memory utilization of the tasks, in % of their memory. */
  metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Tasks running (Container Insights). Read only when `containerInsights` is true.
   *
   * @default - not read: the healthy hosts count the tasks
   */
  metricRunningTaskCount?(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * A metric of the target group (namespace AWS/ApplicationELB, dimensions LoadBalancer and
   * TargetGroup): the latency SLO reads its `RequestCount`, the requests whose response times the
   * percentile rank counts.
   */
  metric(source: 'targetGroup', metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** A PostgreSQL instance, as `monitorDatabase()` watches it: `Database` fits (metrics of namespace AWS/RDS). */
export interface MonitorableDatabase extends IConstruct {
  /** The instance class, e.g. 'db.t4g.micro': the freeable-memory alarm needs its memory, known for the Graviton classes. */
  readonly instanceClass: string;
  /** A burstable class (db.t…): its CPU credits are alarmed on and graphed. */
  readonly burstable: boolean;
  /** The server's max_connections: the connections alarm fires at a share of it. */
  readonly maxConnections: number;
  /**
   * The RDS Proxy in front of the instance: its connections are alarmed on and graphed, which
   * needs `metricProxyDatabaseConnections()` and `metricProxyClientConnections()`.
   *
   * @default - no proxy
   */
  readonly proxy?: rds.IDatabaseProxy;
  /**
   * The share of max_connections the proxy may open (its `maxConnectionsPercent`).
   *
   * @default 100
   */
  readonly proxyMaxConnectionsPercent?: number;
  /** CPU utilization, percent. */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** CPU credits left (burstable classes only). */
  metricCpuCreditBalance(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Memory not in use, bytes. */
  metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Free storage, bytes. */
  metricFreeStorageSpace(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Open connections to the instance. */
  metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Time per disk read, seconds. */
  metricReadLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Time per disk write, seconds. */
  metricWriteLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** I/O requests waiting for the disk. */
  metricDiskQueueDepth(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Connections the proxy holds to the instance. Read only with a `proxy`.
   *
   * @default - not read
   */
  metricProxyDatabaseConnections?(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Client connections open to the proxy. Read only with a `proxy`.
   *
   * @default - not read
   */
  metricProxyClientConnections?(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** How the per-node series of a cache combine into one series for the whole group. */
export interface MonitorableCacheMetricOptions extends cloudwatch.MetricOptions {
  /**
   * @default - the cache's own choice
   */
  readonly aggregation?: 'MAX' | 'MIN' | 'SUM' | 'AVG';
}

/**
 * A Valkey or Redis OSS replication group, as `monitorCache()` watches it: `Cache` fits (metrics of
 * namespace AWS/ElastiCache, one series per node combined into one). An alarm reads at most 10
 * metrics, so one over every node fits a group of at most 10 nodes.
 */
export interface MonitorableCache extends IConstruct {
  /** The member clusters (one per node): more than one means replicas, and a replication-lag alarm. */
  readonly memberClusterIds: readonly string[];
  /** Percent of the engine's thread busy (EngineCPUUtilization). */
  metricEngineCpuUtilization(props?: MonitorableCacheMetricOptions): cloudwatch.IMetric;
  /** Percent of maxmemory in use (DatabaseMemoryUsagePercentage). */
  metricMemoryUsagePercent(props?: MonitorableCacheMetricOptions): cloudwatch.IMetric;
  /** Keys evicted for memory. */
  metricEvictions(props?: MonitorableCacheMetricOptions): cloudwatch.IMetric;
  /** Connections open (CurrConnections). */
  metricCurrentConnections(props?: MonitorableCacheMetricOptions): cloudwatch.IMetric;
  /** Seconds the most lagging replica is behind. */
  metricReplicationLag(props?: MonitorableCacheMetricOptions): cloudwatch.IMetric;
  /** Percent of key lookups that found their key. */
  metricCacheHitRate(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Any metric of the group by name (the dashboard reads the command counts and latencies). */
  metric(metricName: string, props?: MonitorableCacheMetricOptions): cloudwatch.IMetric;
}

/** A Lambda function fed by an SQS queue with a dead-letter queue, as `monitorQueueWorker()` watches it: `QueueWorker` fits. */
export interface MonitorableQueueWorker extends IConstruct {
  /** The worker's name, shown on its dashboard row. */
  readonly serviceName: string;
  /** The function's timeout: the p99-duration alarm fires at a share of it. */
  readonly timeout: Duration;
  /**
   * The most concurrent invocations the event source allows, drawn on the concurrency graph.
   *
   * @default - no line
   */
  readonly maxConcurrency?: number;
  /** The function: its throttles and concurrency are read from it. */
  readonly function: lambda.IFunction;
  /** The queue it reads: jobs sent and waiting are graphed. */
  readonly queue: sqs.IQueue;
  /** Invocations that failed as a whole. */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Batch duration, milliseconds. */
  metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Age of the oldest waiting message, seconds. */
  metricOldestMessageAge(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Messages in the dead-letter queue. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Jobs that succeeded, from the worker's own metrics.
   *
   * @default - not graphed
   */
  metricJobsProcessed?(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Jobs that failed, from the worker's own metrics.
   *
   * @default - not graphed
   */
  metricJobsFailed?(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/**
 * A worker run on a schedule, as `monitorScheduledWorker()` watches it: `RightsizingAdvisor` and
 * `DatabaseInsights` fit, as does any construct with a scheduled function and a dead-letter queue.
 */
export interface MonitorableScheduledWorker extends IConstruct {
  /** The function each run invokes: its invocations and duration are graphed. */
  readonly function: lambda.IFunction;
  /** The EventBridge Scheduler expression, shown on the dashboard. */
  readonly scheduleExpression: string;
  /** Runs that failed (an error thrown or a timeout). */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Failed runs waiting in the dead-letter queue. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/**
 * The database insights worker, as `monitorDatabaseInsights()` watches it: `DatabaseInsights`
 * fits. Each metric has one datapoint per run.
 */
export interface MonitorableDatabaseInsights extends MonitorableScheduledWorker {
  /** The period of one run's datapoints (the alarms' shortest period). */
  readonly metricPeriod: Duration;
  /** Whether the worker publishes its metrics; without them only its runs are alarmed on and its log is shown. */
  readonly publishesMetrics: boolean;
  /** The worker's log group: without metrics, the dashboard reads the reports from it. */
  readonly logGroup: logs.ILogGroup;
  /** Percent of block reads served from shared buffers. */
  metricBufferCacheHitRatio(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Statements at or above the slow threshold. */
  metricSlowStatements(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Seconds the oldest open transaction has been open. */
  metricLongestTransactionAge(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Client connections as a percentage of max_connections. */
  metricConnectionUse(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Sessions idle in an open transaction. */
  metricIdleInTransactionSessions(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Index candidates found. */
  metricIndexCandidates(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Parts of the report the worker could not read. */
  metricUnavailableSections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}
