import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as defaults from './defaults';
import type { WebMetricSource } from './props';

// The metrics of a WebService, built from the names of its parts. WebService.metric() calls
// webServiceMetric(), and every metricXxx() calls WebService.metric(): one place sets dimensions and
// the period.

const NAMESPACES: Record<WebMetricSource, string> = {
  loadBalancer: 'AWS/ApplicationELB',
  targetGroup: 'AWS/ApplicationELB',
  service: 'AWS/ECS',
  containerInsights: 'ECS/ContainerInsights',
};

/**
 * The parts whose names are a metric's dimensions. Read when a metric is made: the deployment
 * alarms read the load balancer's metrics before the service exists.
 */
export interface WebMetricParts {
  readonly loadBalancer: Pick<elbv2.ApplicationLoadBalancer, 'loadBalancerFullName'>;
  readonly targetGroup: Pick<elbv2.ApplicationTargetGroup, 'targetGroupFullName'>;
  readonly cluster: Pick<ecs.ICluster, 'clusterName'>;
  readonly service: Pick<ecs.IBaseService, 'serviceName'>;
}

/** A metric of `source` with the dimensions of `parts`, one-minute period unless `props` says otherwise. */
export function webServiceMetric(
  parts: WebMetricParts,
  source: WebMetricSource,
  metricName: string,
  props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  const dimensionsMap: Record<string, string> =
    source === 'loadBalancer' || source === 'targetGroup'
      ? { LoadBalancer: parts.loadBalancer.loadBalancerFullName }
      : { ClusterName: parts.cluster.clusterName, ServiceName: parts.service.serviceName };
  if (source === 'targetGroup') dimensionsMap.TargetGroup = parts.targetGroup.targetGroupFullName;
  return new cloudwatch.Metric({
    namespace: NAMESPACES[source],
    metricName,
    dimensionsMap,
    period: defaults.METRIC_PERIOD,
    ...props,
  });
}

/** The three counts the 5xx rate is computed from, each a Sum over the given period. */
export interface ErrorRateInputs {
  readonly requests: cloudwatch.IMetric;
  readonly elb5xx: cloudwatch.IMetric;
  readonly target5xx: cloudwatch.IMetric;
}

/**
 * 5xx responses (ALB and tasks) as a percentage of requests, 0 while fewer than the minimum
 * requests a minute arrive: one error in three requests is not a trend.
 */
export function errorRateExpression(period: Duration, inputs: ErrorRateInputs, label?: string): cloudwatch.MathExpression {
  const minRequests = defaults.DEPLOYMENT_ALARM.minRequestsPerMinute * Math.max(1, period.toMinutes({ integral: false }));
  return new cloudwatch.MathExpression({
    expression: `IF(requests >= ${minRequests}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)`,
    usingMetrics: { requests: inputs.requests, elb5xx: inputs.elb5xx, target5xx: inputs.target5xx },
    label: '5xx rate (%)',
    period,
    ...(label ? { label } : {}),
  });
}
