import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DB_INSIGHTS_REPORT_MESSAGE } from '../core/insights';
import { DASHBOARD_GRAPH_HEIGHT, DASHBOARD_GRID_WIDTH } from '../core/monitoring';
import { traceMapUrl, tracesUrl } from '../core/tracing';
import type { MonitoringProfile } from '../core/profiles/profile';
import type {
  MonitorableCache,
  MonitorableDatabase,
  MonitorableDatabaseInsights,
  MonitorableQueueWorker,
  MonitorableScheduledWorker,
  MonitorableWebService,
} from './monitorable';

/**
 * The dashboard's rows: one per tier, each four graphs wide — traffic, latency, errors, saturation
 * (the four golden signals), so the same place on every row answers the same question. Thresholds
 * of the profile's alarms are drawn as horizontal lines.
 */

const GIB = 1024 ** 3;
const WIDTH = DASHBOARD_GRID_WIDTH / 4;

/** One row of the dashboard: a header and its graphs. */
export interface DashboardRow {
  readonly title: string;
  readonly widgets: cloudwatch.IWidget[];
}

/** An alarm-status widget whose alarms are read when the dashboard is synthesized, so it lists alarms added later. */
export class AlarmListWidget extends cloudwatch.ConcreteWidget {
  constructor(
    private readonly title: string,
    private readonly alarms: () => readonly cloudwatch.IAlarm[],
    width: number,
    height: number,
  ) {
    super(width, height);
  }

  toJson(): Record<string, unknown>[] {
    return [
      {
        type: 'alarm',
        width: this.width,
        height: this.height,
        x: this.x,
        y: this.y,
        properties: {
          title: this.title,
          alarms: this.alarms().map((alarm) => alarm.alarmArn),
          sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        },
      },
    ];
  }
}

/** A one-line header above a row. */
export function header(markdown: string): cloudwatch.TextWidget {
  return new cloudwatch.TextWidget({ markdown, width: DASHBOARD_GRID_WIDTH, height: 1 });
}

function graph(props: cloudwatch.GraphWidgetProps): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ width: WIDTH, height: DASHBOARD_GRAPH_HEIGHT, ...props });
}

function line(value: number, label: string): cloudwatch.HorizontalAnnotation {
  return { value, label, color: cloudwatch.Color.RED };
}

/** Lines for the thresholds that are on: `[value or 'off', label]` pairs. */
function lines(...pairs: [number | 'off', string][]): cloudwatch.HorizontalAnnotation[] {
  return pairs.filter((pair): pair is [number, string] => pair[0] !== 'off').map(([value, label]) => line(value, label));
}

/** Bytes to GiB, for readable axes. `id` must be unique within the graph. */
function gib(id: string, metric: cloudwatch.IMetric, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: `${id} / ${GIB}`, usingMetrics: { [id]: metric }, label });
}

export function webRow(web: MonitorableWebService, s: MonitoringProfile): cloudwatch.IWidget[] {
  const t = s.web;
  const tasks =
    web.containerInsights && web.metricRunningTaskCount
      ? web.metricRunningTaskCount({ statistic: 'Minimum', label: 'running tasks' })
      : web.metricHealthyHostCount({ label: 'healthy tasks' });
  return [
    graph({ title: 'Web traffic: requests a minute', left: [web.metricRequestCount({ label: 'requests' })] }),
    graph({
      title: 'Web latency: target response time (s)',
      left: ['p50', 'p90', 'p99'].map((statistic) => web.metricTargetResponseTime({ statistic, label: statistic })),
      leftAnnotations: [
        line(t.p99LatencyMs / 1000, 'p99 alarm'),
        line(s.latencySloThresholdMs / 1000, `latency SLO (${s.latencySloPercent} % faster)`),
      ],
    }),
    graph({
      title: 'Web errors: 5xx rate (%), 5xx a minute',
      left: [web.metric5xxRate()],
      right: [web.metricElb5xxCount({ label: 'ALB 5xx' }), web.metricTarget5xxCount({ label: 'task 5xx' })],
      leftAnnotations: [line(t.errorRatePercent, '5xx alarm (and rollback)')],
    }),
    graph({
      title: 'Web saturation: CPU and memory (%), tasks',
      left: [web.metricCpuUtilization({ label: 'CPU' }), web.metricMemoryUtilization({ label: 'memory' })],
      right: [tasks, web.metricUnhealthyHostCount({ label: 'unhealthy tasks' })],
      leftAnnotations: lines([t.cpuPercent, 'CPU alarm'], [t.memoryPercent, 'memory alarm']),
      leftYAxis: { min: 0, max: 100 },
    }),
    ...(web.tracingServiceName ? [tracingLinks(web.tracingServiceName, Stack.of(web).region)] : []),
  ];
}

/**
 * Where a slow request is followed (docs/tracing.md): the X-Ray trace map and trace search of the
 * stack's region. No trace-derived latency graph: X-Ray publishes no per-service latency metric to
 * CloudWatch by itself (that takes CloudWatch Application Signals, billed separately); the latency
 * graph above is the load balancer's view of the same requests.
 */
function tracingLinks(serviceName: string, region: string): cloudwatch.TextWidget {
  return new cloudwatch.TextWidget({
    markdown: [
      `**Traces** of \`${serviceName}\` and its jobs: [trace map](${traceMapUrl(region)}) (request -> queue -> job, latency per node) · `,
      `[trace search](${tracesUrl(region)}) (filter \`service("${serviceName}") AND responsetime > 1\`)`,
    ].join(''),
    width: DASHBOARD_GRID_WIDTH,
    height: 1,
  });
}

export function databaseRow(database: MonitorableDatabase, s: MonitoringProfile): cloudwatch.IWidget[] {
  const t = s.database;
  return [
    graph({
      title: 'Database traffic: connections',
      left: [database.metricDatabaseConnections({ label: 'connections to the instance' })],
      right:
        database.proxy && database.metricProxyClientConnections
          ? [database.metricProxyClientConnections({ label: 'client connections to the proxy', period: Duration.minutes(1) })]
          : [],
      leftAnnotations: [line(database.maxConnections, 'max_connections')],
    }),
    graph({
      title: 'Database latency: disk read and write (s)',
      left: [database.metricReadLatency({ label: 'read' }), database.metricWriteLatency({ label: 'write' })],
      leftAnnotations: lines(
        [t.readLatencyMs === 'off' ? 'off' : t.readLatencyMs / 1000, 'read alarm'],
        [t.writeLatencyMs === 'off' ? 'off' : t.writeLatencyMs / 1000, 'write alarm'],
      ),
    }),
    graph({
      title: 'Database headroom (RDS counts no errors): free storage and memory (GiB)',
      left: [gib('storage', database.metricFreeStorageSpace(), 'free storage')],
      right: [gib('memory', database.metricFreeableMemory(), 'freeable memory')],
      leftAnnotations: lines([t.freeStorageGiB, 'free storage alarm']),
    }),
    graph({
      title: 'Database saturation: CPU (%), disk queue',
      left: [database.metricCpuUtilization({ label: 'CPU' })],
      right: [
        database.metricDiskQueueDepth({ label: 'disk queue depth' }),
        ...(database.burstable ? [database.metricCpuCreditBalance({ label: 'CPU credits' })] : []),
      ],
      leftAnnotations: lines([t.cpuPercent, 'CPU alarm']),
      leftYAxis: { min: 0, max: 100 },
    }),
  ];
}

export function cacheRow(cache: MonitorableCache, s: MonitoringProfile): cloudwatch.IWidget[] {
  const t = s.cache;
  const replicas = cache.memberClusterIds.length > 1;
  return [
    graph({
      title: 'Cache traffic: commands, hit rate (%)',
      left: [
        cache.metric('GetTypeCmds', { statistic: 'Sum', aggregation: 'SUM', label: 'read commands' }),
        cache.metric('SetTypeCmds', { statistic: 'Sum', aggregation: 'SUM', label: 'write commands' }),
      ],
      right: [cache.metricCacheHitRate({ label: 'hit rate' })],
    }),
    graph({
      title: 'Cache latency: commands (µs, slowest node)',
      left: [cache.metric('GetTypeCmdsLatency', { label: 'read commands' }), cache.metric('SetTypeCmdsLatency', { label: 'write commands' })],
    }),
    graph({
      title: 'Cache errors: evictions, replication lag (s)',
      left: [cache.metricEvictions({ label: 'evictions' })],
      right: replicas ? [cache.metricReplicationLag({ label: 'replication lag' })] : [],
      leftAnnotations: lines([t.evictionsPer5Min, 'evictions alarm']),
    }),
    graph({
      title: 'Cache saturation: engine CPU and memory (%), connections',
      left: [cache.metricEngineCpuUtilization({ label: 'engine CPU' }), cache.metricMemoryUsagePercent({ label: 'memory' })],
      right: [cache.metricCurrentConnections({ label: 'connections (busiest node)' })],
      leftAnnotations: lines([t.engineCpuPercent, 'engine CPU alarm'], [t.memoryPercent, 'memory alarm']),
      leftYAxis: { min: 0, max: 100 },
    }),
  ];
}

export function workerRow(worker: MonitorableQueueWorker, s: MonitoringProfile): cloudwatch.IWidget[] {
  const t = s.worker;
  const timeoutMs = worker.timeout.toMilliseconds();
  return [
    graph({
      title: 'Worker traffic: jobs sent and done',
      left: [
        worker.queue.metricNumberOfMessagesSent({ label: 'jobs sent', statistic: 'Sum' }),
        ...(worker.metricJobsProcessed ? [worker.metricJobsProcessed({ label: 'jobs processed' })] : []),
      ],
    }),
    graph({
      title: 'Worker latency: batch duration (ms), oldest job (s)',
      left: ['p50', 'p99'].map((statistic) => worker.metricDuration({ statistic, label: `duration ${statistic}` })),
      right: [worker.metricOldestMessageAge({ label: 'oldest job' })],
      leftAnnotations: [line(timeoutMs, 'timeout')],
      rightAnnotations: lines([t.oldestMessageAgeSeconds, 'oldest job alarm']),
    }),
    graph({
      title: 'Worker errors: failed invocations and jobs, dead letters',
      left: [
        worker.metricErrors({ label: 'failed invocations', statistic: 'Sum' }),
        worker.function.metricThrottles({ label: 'throttles', statistic: 'Sum' }),
        ...(worker.metricJobsFailed ? [worker.metricJobsFailed({ label: 'failed jobs' })] : []),
      ],
      right: [worker.metricDeadLetterMessages({ label: 'dead-lettered jobs' })],
    }),
    graph({
      title: 'Worker saturation: concurrency, waiting jobs',
      left: [worker.function.metric('ConcurrentExecutions', { statistic: 'Maximum', label: 'concurrent invocations' })],
      right: [worker.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', label: 'waiting jobs' })],
      leftAnnotations: worker.maxConcurrency === undefined ? [] : [line(worker.maxConcurrency, 'maxConcurrency')],
    }),
  ];
}

/**
 * PostgreSQL as the database insights worker sees it, one datapoint per run (`period` covers the
 * schedule): sessions, slow work, the worker's own failures, and the buffer cache.
 */
export function databaseInsightsRow(insights: MonitorableDatabaseInsights, s: MonitoringProfile, period: Duration): cloudwatch.IWidget[] {
  const t = s.databaseInsights;
  const w = s.scheduledWorker;
  return [
    graph({
      title: 'PostgreSQL traffic: client connections (% of max_connections), sessions idle in a transaction',
      left: [insights.metricConnectionUse({ period, label: 'connections (%)' })],
      right: [insights.metricIdleInTransactionSessions({ period, label: 'idle in a transaction' })],
      leftAnnotations: lines([t.connectionUsePercent, 'connection use alarm']),
      rightAnnotations: lines([t.idleInTransactionSessions, 'idle-in-transaction alarm']),
      leftYAxis: { min: 0, max: 100 },
    }),
    graph({
      title: 'PostgreSQL latency: slow statements, index candidates, longest transaction (s)',
      left: [
        insights.metricSlowStatements({ period, label: 'slow statements' }),
        insights.metricIndexCandidates({ period, label: 'index candidates' }),
      ],
      right: [insights.metricLongestTransactionAge({ period, label: 'longest transaction' })],
      leftAnnotations: lines([t.slowStatementCount, 'slow statements alarm']),
      rightAnnotations: lines([t.longestTransactionSeconds, 'longest transaction alarm']),
    }),
    graph({
      title: 'PostgreSQL errors: report sections not read, failed and dead-lettered runs',
      left: [
        insights.metricUnavailableSections({ period, label: 'sections not read' }),
        insights.metricErrors({ statistic: 'Sum', label: 'failed runs' }),
      ],
      right: [insights.metricDeadLetterMessages({ label: 'dead-lettered runs' })],
      leftAnnotations: lines([t.unavailableSectionCount, 'report alarm']),
      rightAnnotations: lines([w.deadLetterMessageCount, 'dead letters alarm']),
    }),
    graph({
      title: 'PostgreSQL saturation: buffer cache hit ratio (%)',
      left: [insights.metricBufferCacheHitRatio({ period, label: 'hit ratio (lowest in the period)' })],
      leftAnnotations: lines([t.bufferCacheHitRatioPercent, 'hit ratio alarm']),
    }),
  ];
}

/** A scheduled worker's runs: how many, how long against the timeout, how many failed. */
export function scheduledWorkerRow(worker: MonitorableScheduledWorker, s: MonitoringProfile): cloudwatch.IWidget[] {
  const w = s.scheduledWorker;
  const fn = worker.function;
  const timeout = fn instanceof lambda.Function ? fn.timeout : undefined;
  return [
    graph({
      title: 'Scheduled runs',
      left: [fn.metricInvocations({ statistic: 'Sum', label: 'runs (retries included)' })],
    }),
    graph({
      title: 'Scheduled run duration (ms)',
      left: [fn.metricDuration({ statistic: 'Maximum', label: 'longest run' })],
      leftAnnotations: timeout ? [line(timeout.toMilliseconds(), 'timeout')] : [],
    }),
    scheduledFailures(worker, w),
  ];
}

function scheduledFailures(worker: MonitorableScheduledWorker, w: MonitoringProfile['scheduledWorker']): cloudwatch.GraphWidget {
  return graph({
    title: 'Scheduled runs failed and dead-lettered',
    left: [worker.metricErrors({ statistic: 'Sum', label: 'failed runs' })],
    right: [worker.metricDeadLetterMessages({ label: 'dead-lettered runs' })],
    leftAnnotations: lines([w.errorsPer5Min, 'failed runs alarm (5 min)']),
    rightAnnotations: lines([w.deadLetterMessageCount, 'dead letters alarm']),
  });
}

/**
 * PostgreSQL as a database insights worker without metrics reports it: its latest reports and
 * its warnings (a section it could not read, with the fix), read from its log group by Logs
 * Insights when the dashboard is opened ($0.005 per GB scanned: a few KB a run), and its failed runs.
 */
export function databaseInsightsLogRow(insights: MonitorableDatabaseInsights, s: MonitoringProfile): cloudwatch.IWidget[] {
  const logGroupNames = [insights.logGroup.logGroupName];
  const table = (title: string, width: number, queryLines: string[]) =>
    new cloudwatch.LogQueryWidget({
      title,
      logGroupNames,
      width,
      height: DASHBOARD_GRAPH_HEIGHT,
      view: cloudwatch.LogQueryVisualizationType.TABLE,
      queryLines,
    });
  return [
    table("PostgreSQL report: the latest runs (from the worker's log)", 2 * WIDTH, [
      'fields @timestamp, report.statements.slow as slowStatements, report.connections.percent as connectionUsePercent, ' +
        'report.sessions.longestTransactionSeconds as longestTransactionSeconds, report.bufferCacheHitRatio as bufferCacheHitRatio',
      `filter message = "${DB_INSIGHTS_REPORT_MESSAGE}"`,
      'sort @timestamp desc',
      'limit 20',
    ]),
    table('PostgreSQL report problems: sections not read, with the fix', WIDTH, [
      'fields @timestamp, message, reason, fix',
      'filter level = "WARN"',
      'sort @timestamp desc',
      'limit 20',
    ]),
    scheduledFailures(insights, s.scheduledWorker),
  ];
}
