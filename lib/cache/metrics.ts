import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { CacheMetricOptions } from './props';

// ElastiCache publishes node metrics per node only (no group-level dimension): these turn the
// nodes' series into one series for the group, which is what alarms and dashboards want.

const NAMESPACE = 'AWS/ElastiCache';
/** Each member cluster of a replication group holds exactly one node, always called 0001. */
const NODE_ID = '0001';
const DEFAULT_PERIOD = Duration.minutes(5);

/**
 * `metricName` of every node in `memberClusterIds`, combined with `aggregation` (default MAX) in a
 * math expression; a one-node group gets the node's metric itself. Statistic Average and a
 * 5-minute period unless `props` say otherwise.
 */
export function groupMetric(
  scope: Construct,
  memberClusterIds: readonly string[],
  metricName: string,
  props: CacheMetricOptions = {},
): cloudwatch.IMetric {
  const { aggregation = 'MAX', ...options } = props;
  const perNode = nodeMetrics(scope, memberClusterIds, metricName, options);
  if (perNode.length === 1) return perNode[0];
  // IDs named after the metric (`evictions1`, `evictions2`…), so aggregates of different metrics
  // can share one graph or alarm (CloudWatch wants each ID once per graph).
  const ids = perNode.map((_, i) => `${metricName[0].toLowerCase()}${metricName.slice(1).replace(/[^A-Za-z0-9]/g, '')}${i + 1}`);
  return new cloudwatch.MathExpression({
    expression: `${aggregation}([${ids.join(', ')}])`,
    usingMetrics: Object.fromEntries(perNode.map((m, i) => [ids[i], m])),
    label: options.label ?? `${metricName} (${aggregation} over ${perNode.length} nodes)`,
    period: options.period ?? DEFAULT_PERIOD,
    color: options.color,
  });
}

/**
 * 100 × hits / (hits + misses) over all nodes, from the Sum of `CacheHits` and `CacheMisses` per
 * node, so a busy node weighs more than an idle one (an average of per-node rates would not).
 */
export function hitRateMetric(scope: Construct, memberClusterIds: readonly string[], props: cloudwatch.MetricOptions = {}): cloudwatch.IMetric {
  const period = props.period ?? DEFAULT_PERIOD;
  const hits = nodeMetrics(scope, memberClusterIds, 'CacheHits', { statistic: 'Sum', period });
  const misses = nodeMetrics(scope, memberClusterIds, 'CacheMisses', { statistic: 'Sum', period });
  const list = (prefix: string) => `[${hits.map((_, i) => `${prefix}${i + 1}`).join(', ')}]`;
  return new cloudwatch.MathExpression({
    expression: `100 * SUM(${list('hits')}) / (SUM(${list('hits')}) + SUM(${list('misses')}))`,
    usingMetrics: Object.fromEntries([...hits.map((m, i) => [`hits${i + 1}`, m] as const), ...misses.map((m, i) => [`misses${i + 1}`, m] as const)]),
    label: props.label ?? 'Cache hit rate (%)',
    period,
    color: props.color,
  });
}

/** One metric per node, under its `CacheClusterId` and `CacheNodeId` 0001, attached to `scope`. */
function nodeMetrics(
  scope: Construct,
  memberClusterIds: readonly string[],
  metricName: string,
  options: cloudwatch.MetricOptions,
): cloudwatch.Metric[] {
  return memberClusterIds.map((clusterId) =>
    new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      period: DEFAULT_PERIOD,
      statistic: 'Average',
      ...options,
      dimensionsMap: { CacheClusterId: clusterId, CacheNodeId: NODE_ID },
    }).attachTo(scope),
  );
}
