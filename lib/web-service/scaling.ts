import { Names, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';
import type { PredictiveScalingMode } from '../core/profiles/profile';
import * as defaults from './defaults';
import { trackHighResolutionMetrics } from './high-resolution';
import { trackRequestsOnLiveTargetGroup, type LiveTrafficParts } from './live-traffic';
import type { WebServiceSettings } from './settings';

/** What the scaling policies act on and watch. */
export interface ScalingInputs {
  readonly service: ecs.FargateService;
  /** Requests per task are counted on it. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** p99 target response time, in seconds: the step policy's metric (of the load balancer with two target groups). */
  readonly p99Latency: cloudwatch.IMetric;
  /** With an alternate target group, requests per task are read from whichever group is live (./live-traffic.ts). */
  readonly liveTraffic: LiveTrafficParts;
}

/**
 * The task range and every policy on it: target tracking on CPU and memory (on their 20-second
 * versions where `highResolutionMetrics` lists them) and on requests per task,
 * step scale-out on p99 latency, the scheduled actions and, when asked, predictive scaling. The
 * policies are children of the scalable task count under their old IDs; the predictive policy is a
 * child of `scope` (the WebService), as it has always been.
 */
export function addScaling(scope: Construct, inputs: ScalingInputs, s: WebServiceSettings): ecs.ScalableTaskCount {
  const sizing = s.sizing;
  const scaling = inputs.service.autoScaleTaskCount({ minCapacity: sizing.minTasks, maxCapacity: sizing.maxTasks });
  const cooldowns = { scaleOutCooldown: defaults.SCALE_OUT_COOLDOWN, scaleInCooldown: defaults.SCALE_IN_COOLDOWN };
  scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: sizing.cpuTargetPercent, ...cooldowns });
  scaling.scaleOnMemoryUtilization('MemoryScaling', { targetUtilizationPercent: sizing.memoryTargetPercent, ...cooldowns });
  trackHighResolutionMetrics(scaling, sizing.highResolutionMetrics);
  scaling.scaleOnRequestCount('RequestScaling', { requestsPerTarget: sizing.requestsPerTarget, targetGroup: inputs.targetGroup, ...cooldowns });
  trackRequestsOnLiveTargetGroup(scaling, inputs.liveTraffic);
  // Target tracking waits for 3 one-minute datapoints; a latency spike is answered after one.
  // Scale-out only: scale-in stays with target tracking, which removes tasks when all agree.
  const threshold = s.latencyThreshold.toSeconds();
  scaling.scaleOnMetric('LatencyScaling', {
    metric: inputs.p99Latency,
    adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
    minAdjustmentMagnitude: 1,
    scalingSteps: [
      { upper: threshold, change: 0 },
      ...defaults.LATENCY_STEPS.map((step) => ({ lower: threshold * step.thresholdFactor, change: step.addPercent })),
    ],
    evaluationPeriods: 1,
    metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
    cooldown: defaults.SCALE_OUT_COOLDOWN,
  });
  for (const entry of sizing.scaleSchedule) {
    scaling.scaleOnSchedule(entry.name, {
      schedule: appscaling.Schedule.expression(entry.schedule),
      timeZone: entry.timeZone ? TimeZone.of(entry.timeZone) : undefined,
      minCapacity: entry.minTasks,
      maxCapacity: entry.maxTasks,
    });
  }
  if (sizing.predictiveScaling !== 'off') addPredictiveScaling(scope, scaling, sizing.predictiveScaling, sizing.cpuTargetPercent);
  return scaling;
}

/** The scalable target behind a ScalableTaskCount (CDK keeps it as the child `Target`). */
export function scalableTarget(scaling: ecs.ScalableTaskCount): appscaling.ScalableTarget {
  return scaling.node.findChild('Target') as appscaling.ScalableTarget;
}

/**
 * Predictive scaling has no L2 in aws-cdk-lib: the L1 policy on the service's scalable target.
 * It forecasts CPU load from up to 14 days of history and scales ahead of it (ForecastAndScale),
 * or only publishes forecasts (ForecastOnly). Target tracking still acts on what it misses.
 */
function addPredictiveScaling(
  scope: Construct,
  scaling: ecs.ScalableTaskCount,
  mode: Exclude<PredictiveScalingMode, 'off'>,
  cpuTargetPercent: number,
): void {
  new appscaling.CfnScalingPolicy(scope, 'PredictiveScaling', {
    policyName: `${Names.uniqueId(scope)}Predictive`.slice(-256),
    policyType: 'PredictiveScaling',
    scalingTargetId: scalableTarget(scaling).scalableTargetId,
    predictiveScalingPolicyConfiguration: {
      mode,
      // Launch forecast capacity 5 minutes early: about the time a task takes to serve.
      schedulingBufferTime: 300,
      maxCapacityBreachBehavior: 'HonorMaxCapacity',
      metricSpecifications: [
        {
          targetValue: cpuTargetPercent,
          predefinedMetricPairSpecification: { predefinedMetricType: 'ECSServiceCPUUtilization' },
        },
      ],
    },
  });
}
