import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { webServiceMetric, type WebMetricParts } from './metrics';

// Metrics that follow production traffic whichever target group serves it. With blue/green,
// canary or linear deployments ECS registers each new revision with the target group that is not
// live and moves production traffic to it, so the live group alternates every release
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html).
// A metric with the TargetGroup dimension of one group sees no traffic every other release: a
// request-count policy would scale in, a latency alarm would never fire. With two groups:
// - what the ALB publishes per load balancer as well (TargetResponseTime, HTTPCode_Target_5XX_Count)
//   is read per load balancer: one ALB fronts one WebService, so it is exactly the service's
//   traffic (plus the smoke test's few requests on the test listener);
// - what exists only per target group (RequestCountPerTarget, HealthyHostCount, RequestCount of
//   the targets) is read from both groups and combined with metric math.
// A rolling WebService (one group) keeps its target-group metrics: its template does not change.

/** The parts of a WebService whose names are dimensions, with the second target group if there is one. */
export interface LiveTrafficParts extends WebMetricParts {
  readonly loadBalancer: Pick<elbv2.ApplicationLoadBalancer, 'loadBalancerFullName'>;
  /** The alternate target group of a blue/green, canary or linear deployment; undefined for rolling. */
  readonly alternateTargetGroup?: Pick<elbv2.ApplicationTargetGroup, 'targetGroupFullName'>;
}

/**
 * `metricName` (one the ALB publishes per load balancer too) of the live traffic: per target group
 * with one group, per load balancer with two.
 */
export function liveTargetMetric(parts: LiveTrafficParts, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return webServiceMetric(parts, parts.alternateTargetGroup ? 'loadBalancer' : 'targetGroup', metricName, props);
}

/**
 * `metricName` (published per target group only) over both groups, combined by `combine` ('sum'
 * adds them, 'max' takes the larger); a missing datapoint (an idle group) counts as 0. With one
 * group, that group's metric, unchanged.
 */
export function acrossTargetGroups(
  parts: LiveTrafficParts,
  metricName: string,
  combine: 'sum' | 'max',
  props?: cloudwatch.MetricOptions,
): cloudwatch.IMetric {
  if (!parts.alternateTargetGroup) return webServiceMetric(parts, 'targetGroup', metricName, props);
  const { label, color, ...metricProps } = props ?? {};
  // IDs named after the metric: a dashboard graph may hold two of these (healthy and unhealthy
  // tasks), and one graph's IDs must each name one metric.
  const id = metricName.charAt(0).toLowerCase() + metricName.slice(1);
  const usingMetrics = {
    [`${id}Primary`]: webServiceMetric(parts, 'targetGroup', metricName, metricProps),
    [`${id}Alternate`]: webServiceMetric({ ...parts, targetGroup: parts.alternateTargetGroup }, 'targetGroup', metricName, metricProps),
  };
  const filled = Object.keys(usingMetrics).map((key) => `FILL(${key}, 0)`);
  return new cloudwatch.MathExpression({
    expression: combine === 'sum' ? filled.join(' + ') : `MAX([${filled.join(', ')}])`,
    usingMetrics,
    label: label ?? `${metricName} (${combine === 'sum' ? 'both target groups' : 'the larger of the target groups'})`,
    period: metricProps.period ?? webServiceMetric(parts, 'targetGroup', metricName).period,
    color,
  });
}

/** The request-count policy's ID under the scalable target (`scaleOnRequestCount('RequestScaling', …)`). */
const REQUEST_POLICY_ID = 'RequestScaling';

/**
 * Makes the request-count target-tracking policy of `scaling` follow the live target group: instead
 * of the predefined `ALBRequestCountPerTarget` of the primary group, the larger of the two groups'
 * `RequestCountPerTarget` (Sum per minute, the predefined metric's definition: requests / healthy
 * targets of the group; reported with the dimensions LoadBalancer and TargetGroup,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 * Outside a deployment the idle group has neither requests nor targets, so
 * this is exactly the live group's value; during a canary it is the load on the group that carries
 * most of the traffic. Target tracking accepts metric math in `CustomizedMetricSpecification.Metrics`
 * (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking-metric-math.html);
 * aws-cdk-lib 2.276's L2 does not render it, so the L1 policy is changed in place (same construct
 * ID: the policy is updated, not replaced). No-op with one target group.
 */
export function trackRequestsOnLiveTargetGroup(scaling: ecs.ScalableTaskCount, parts: LiveTrafficParts): void {
  const alternate = parts.alternateTargetGroup;
  if (!alternate) return;
  const policy = scaling.node.findChild('Target').node.findChild(REQUEST_POLICY_ID).node.defaultChild as appscaling.CfnScalingPolicy;
  const config = policy.targetTrackingScalingPolicyConfiguration as appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty;
  const perTarget = (id: string, group: Pick<elbv2.ApplicationTargetGroup, 'targetGroupFullName'>) => ({
    id,
    returnData: false,
    metricStat: {
      metric: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCountPerTarget',
        dimensions: [
          { name: 'LoadBalancer', value: parts.loadBalancer.loadBalancerFullName },
          { name: 'TargetGroup', value: group.targetGroupFullName },
        ],
      },
      stat: 'Sum',
    },
  });
  policy.targetTrackingScalingPolicyConfiguration = {
    ...config,
    predefinedMetricSpecification: undefined,
    customizedMetricSpecification: {
      metrics: [
        perTarget('primaryGroup', parts.targetGroup),
        perTarget('alternateGroup', alternate),
        {
          id: 'requestsPerTarget',
          expression: 'MAX([FILL(primaryGroup, 0), FILL(alternateGroup, 0)])',
          label: 'RequestCountPerTarget of the live target group',
          returnData: true,
        },
      ],
    },
  };
}
