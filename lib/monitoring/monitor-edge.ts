import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { DASHBOARD_GRAPH_HEIGHT, DASHBOARD_GRID_WIDTH } from '../core/monitoring';
import type { DashboardRow } from './dashboard';

/**
 * A CloudFront distribution as `monitorEdge()` watches it: `Edge` fits. Its metrics live in
 * us-east-1 (namespace AWS/CloudFront, `Region: Global`), and a metric that says so is readable by
 * a dashboard widget in any region.
 */
export interface MonitorableEdge extends IConstruct {
  /** Whether the distribution publishes CloudFront's additional metrics (cache hit rate, origin latency). */
  readonly additionalMetrics: boolean;
  /** Viewer requests. */
  metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Percent of viewer requests answered with a 4xx (the web ACL's blocks included). */
  metric4xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Percent of viewer requests answered with a 5xx. */
  metric5xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Percent of cacheable requests served from the cache (additional metric). */
  metricCacheHitRate(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Milliseconds to the origin's first byte (additional metric). */
  metricOriginLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/**
 * The distribution's dashboard row: requests, error rates, and with the additional metrics the
 * cache hit rate and origin latency. No alarms: CloudWatch alarms read metrics of their own region
 * only, and the deployment and SLO alarms already watch the load balancer every request reaches
 * (cache hits aside), so an alarm here would repeat them from us-east-1 only.
 */
export function watchEdge(edge: MonitorableEdge): DashboardRow {
  const third = DASHBOARD_GRID_WIDTH / 3;
  const graph = (props: cloudwatch.GraphWidgetProps) => new cloudwatch.GraphWidget({ width: third, height: DASHBOARD_GRAPH_HEIGHT, ...props });
  const widgets: cloudwatch.IWidget[] = [
    graph({ title: 'Edge requests', left: [edge.metricRequests({ label: 'requests' })] }),
    graph({
      title: 'Edge error rates (%)',
      left: [edge.metric4xxErrorRate({ label: '4xx' }), edge.metric5xxErrorRate({ label: '5xx' })],
    }),
  ];
  if (edge.additionalMetrics) {
    widgets.push(
      graph({
        title: 'Edge cache hit rate (%), origin latency p99 (ms)',
        left: [edge.metricCacheHitRate({ label: 'cache hit rate' })],
        right: [edge.metricOriginLatency({ label: 'origin latency p99' })],
      }),
    );
  }
  return { title: `Edge: CloudFront, metrics from us-east-1 (${edge.node.path})`, widgets };
}
