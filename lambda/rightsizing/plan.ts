import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';

/** The parts of the stack the advisor sizes, in the profile's section names. */
export type Component = 'web' | 'database' | 'cache' | 'worker';
export const COMPONENTS: readonly Component[] = ['web', 'database', 'cache', 'worker'];

/**
 * Where each component's metrics live: the CloudWatch dimension values of the deployed resources.
 * A component without an entry is not analyzed.
 */
export interface Targets {
  readonly web?: {
    readonly clusterName: string;
    readonly serviceName: string;
    /** The ALB's `LoadBalancer` dimension, `app/<name>/<id>`. */
    readonly loadBalancer: string;
    /** The target group's `TargetGroup` dimension, `targetgroup/<name>/<id>`. */
    readonly targetGroup: string;
    /** Running tasks come from Container Insights when it is on, else from the ALB's healthy targets. */
    readonly containerInsights: boolean;
  };
  readonly database?: { readonly instanceIdentifier: string };
  /** The `CacheClusterId` of every node of the replication group. */
  readonly cache?: { readonly memberClusterIds: readonly string[] };
  readonly worker?: { readonly functionName: string; readonly queueName: string };
}

/** CloudWatch statistics the advisor requests. Percentiles are computed from these in code. */
export type BasicStatistic = 'Average' | 'Maximum' | 'Minimum' | 'Sum';

/**
 * The series the advisor reads, by key. These keys are also the keys of a recorded metrics file
 * (`npm run rightsize -- --metrics <file>`; README "Right-sizing advisor").
 */
export const METRIC_KEYS = [
  'web.cpu',
  'web.memory',
  'web.tasks',
  'web.requests',
  'web.latency',
  'database.cpu',
  'database.freeableMemory',
  'database.connections',
  'database.readIops',
  'database.writeIops',
  'cache.cpu',
  'cache.memory',
  'cache.evictions',
  'worker.duration',
  'worker.durationAverage',
  'worker.invocations',
  'worker.concurrency',
  'worker.throttles',
  'worker.memory',
  'worker.queueAge',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** What a key means: its CloudWatch source and how the per-node series of a cache combine. */
export interface MetricSpec {
  readonly key: MetricKey;
  readonly component: Component;
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: BasicStatistic;
  /** The finest period the service publishes (SQS: 5 minutes, everything else here: 1 minute). */
  readonly nativePeriodSeconds: number;
  readonly unit: string;
  /** How the text of the report names it, e.g. 'CPUUtilization (Average)'. */
  readonly label: string;
  /**
   * Published every period whatever the load, so missing datapoints mean missing data. Metrics
   * published only on activity (requests, invocations) are zero when absent.
   */
  readonly continuous: boolean;
  /** How the nodes of a cache combine at each timestamp. */
  readonly combine?: 'max' | 'sum';
}

const spec = (
  key: MetricKey,
  namespace: string,
  metricName: string,
  statistic: BasicStatistic,
  unit: string,
  options: Partial<MetricSpec> = {},
): MetricSpec => ({
  key,
  component: key.slice(0, key.indexOf('.')) as Component,
  namespace,
  metricName,
  statistic,
  nativePeriodSeconds: 60,
  unit,
  label: `${metricName} (${statistic})`,
  continuous: false,
  ...options,
});

export const METRIC_SPECS: Readonly<Record<MetricKey, MetricSpec>> = {
  'web.cpu': spec('web.cpu', 'AWS/ECS', 'CPUUtilization', 'Average', 'Percent', { continuous: true }),
  'web.memory': spec('web.memory', 'AWS/ECS', 'MemoryUtilization', 'Average', 'Percent', { continuous: true }),
  // Container Insights' RunningTaskCount, or the ALB's HealthyHostCount (see plan()).
  'web.tasks': spec('web.tasks', 'ECS/ContainerInsights', 'RunningTaskCount', 'Average', 'Count'),
  'web.requests': spec('web.requests', 'AWS/ApplicationELB', 'RequestCount', 'Sum', 'Count'),
  'web.latency': spec('web.latency', 'AWS/ApplicationELB', 'TargetResponseTime', 'Average', 'Seconds'),
  'database.cpu': spec('database.cpu', 'AWS/RDS', 'CPUUtilization', 'Average', 'Percent', { continuous: true }),
  'database.freeableMemory': spec('database.freeableMemory', 'AWS/RDS', 'FreeableMemory', 'Minimum', 'Bytes'),
  'database.connections': spec('database.connections', 'AWS/RDS', 'DatabaseConnections', 'Maximum', 'Count'),
  'database.readIops': spec('database.readIops', 'AWS/RDS', 'ReadIOPS', 'Average', 'Count/Second'),
  'database.writeIops': spec('database.writeIops', 'AWS/RDS', 'WriteIOPS', 'Average', 'Count/Second'),
  'cache.cpu': spec('cache.cpu', 'AWS/ElastiCache', 'EngineCPUUtilization', 'Average', 'Percent', {
    continuous: true,
    combine: 'max',
    label: 'EngineCPUUtilization (Average, busiest node)',
  }),
  'cache.memory': spec('cache.memory', 'AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', 'Average', 'Percent', {
    combine: 'max',
    label: 'DatabaseMemoryUsagePercentage (Average, fullest node)',
  }),
  'cache.evictions': spec('cache.evictions', 'AWS/ElastiCache', 'Evictions', 'Sum', 'Count', { combine: 'sum', label: 'Evictions (Sum, all nodes)' }),
  'worker.duration': spec('worker.duration', 'AWS/Lambda', 'Duration', 'Maximum', 'Milliseconds'),
  'worker.durationAverage': spec('worker.durationAverage', 'AWS/Lambda', 'Duration', 'Average', 'Milliseconds'),
  'worker.invocations': spec('worker.invocations', 'AWS/Lambda', 'Invocations', 'Sum', 'Count'),
  'worker.concurrency': spec('worker.concurrency', 'AWS/Lambda', 'ConcurrentExecutions', 'Maximum', 'Count'),
  'worker.throttles': spec('worker.throttles', 'AWS/Lambda', 'Throttles', 'Sum', 'Count'),
  // Only with Lambda Insights; without it the worker's memory is not sized (said in the report).
  'worker.memory': spec('worker.memory', 'LambdaInsights', 'memory_utilization', 'Maximum', 'Percent'),
  'worker.queueAge': spec('worker.queueAge', 'AWS/SQS', 'ApproximateAgeOfOldestMessage', 'Maximum', 'Seconds', {
    continuous: true,
    nativePeriodSeconds: 300,
  }),
};

/** One GetMetricData query of the plan: a metric of one resource (one cache node for cache keys). */
export interface PlannedQuery {
  /** The query's `Id` (`m0`, `m1`, …): GetMetricData wants `^[a-z][a-zA-Z0-9_]*$`. */
  readonly id: string;
  readonly key: MetricKey;
  readonly periodSeconds: number;
  readonly query: MetricDataQuery;
}

/** The GetMetricData queries that read every configured component, at `periodSeconds` or the metric's native period. */
export function plan(targets: Targets, periodSeconds: number): PlannedQuery[] {
  const queries: PlannedQuery[] = [];
  const add = (
    key: MetricKey,
    dimensions: Record<string, string>,
    override: Partial<Pick<MetricSpec, 'namespace' | 'metricName' | 'statistic'>> = {},
  ) => {
    const s = { ...METRIC_SPECS[key], ...override };
    const period = Math.max(periodSeconds, s.nativePeriodSeconds);
    const id = `m${queries.length}`;
    queries.push({
      id,
      key,
      periodSeconds: period,
      query: {
        Id: id,
        MetricStat: {
          Metric: {
            Namespace: s.namespace,
            MetricName: s.metricName,
            Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: period,
          Stat: s.statistic,
        },
        ReturnData: true,
      },
    });
  };
  const { web, database, cache, worker } = targets;
  if (web) {
    const service = { ClusterName: web.clusterName, ServiceName: web.serviceName };
    const targetGroup = { LoadBalancer: web.loadBalancer, TargetGroup: web.targetGroup };
    add('web.cpu', service);
    add('web.memory', service);
    if (web.containerInsights) add('web.tasks', service);
    else add('web.tasks', targetGroup, { namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', statistic: 'Maximum' });
    add('web.requests', { LoadBalancer: web.loadBalancer });
    // The load balancer's TargetResponseTime, not the target group's: with canary or linear
    // deployments the live target group alternates every release (lib/web-service/live-traffic.ts),
    // and a WebService's load balancer fronts that service alone.
    add('web.latency', { LoadBalancer: web.loadBalancer });
  }
  if (database) {
    const instance = { DBInstanceIdentifier: database.instanceIdentifier };
    for (const key of ['database.cpu', 'database.freeableMemory', 'database.connections', 'database.readIops', 'database.writeIops'] as const)
      add(key, instance);
  }
  if (cache) {
    for (const node of cache.memberClusterIds) {
      for (const key of ['cache.cpu', 'cache.memory', 'cache.evictions'] as const) add(key, { CacheClusterId: node, CacheNodeId: '0001' });
    }
  }
  if (worker) {
    const fn = { FunctionName: worker.functionName };
    for (const key of ['worker.duration', 'worker.durationAverage', 'worker.invocations', 'worker.concurrency', 'worker.throttles'] as const)
      add(key, fn);
    add('worker.memory', { function_name: worker.functionName });
    add('worker.queueAge', { QueueName: worker.queueName });
  }
  return queries;
}
