import type { CfnResource } from 'aws-cdk-lib';
import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { HIGH_RESOLUTION_PERIOD_SECONDS, HIGH_RESOLUTION_PREDEFINED_METRICS } from '../core/web';
import type { HighResolutionMetricName } from '../core/profiles/profile';

// 20-second ECS service metrics and the target tracking that uses them (issue 16). aws-cdk-lib
// 2.276 has neither as an L2: FargateService has no `monitoring` prop, and the PredefinedMetric
// enum lacks the ECS `…HighResolution` types. Both are set on the L1 resources here, so
// service.ts and the L2 scaling calls stay as they are.
// Source: docs.aws.amazon.com/AmazonECS/latest/developerguide/target-tracking-faster-auto-scaling.html

/**
 * Makes ECS publish `metrics` of `service` every 20 s (`AWS::ECS::Service` `Monitoring`). A
 * change of this setting is a new service revision and a deployment; the scalable target (and so
 * every policy) depends on the service, so CloudFormation creates or updates the policies only
 * after that deployment has finished, as ECS requires. No-op for an empty list.
 */
export function enableHighResolutionMetrics(service: ecs.FargateService, metrics: readonly HighResolutionMetricName[]): void {
  if (metrics.length === 0) return;
  const resource = service.node.defaultChild as ecs.CfnService;
  resource.monitoring = {
    metricConfigurations: [{ metricNames: [...metrics], resolutionSeconds: HIGH_RESOLUTION_PERIOD_SECONDS }],
  };
  ignoreInCfnLint(resource, 'E3002');
}

/**
 * cfn-lint 1.51's schemas predate the June 2026 launch: they lack `Monitoring` on
 * `AWS::ECS::Service` (E3002) and the ECS `…HighResolution` predefined metric types (E3030). The
 * CloudFormation registry schema has both (the built-in validator passes them). Merged with any
 * checks already ignored on the resource, so another part of the construct keeps its own.
 */
function ignoreInCfnLint(resource: CfnResource, check: string): void {
  const existing = resource.getMetadata('cfn-lint') as { config?: { ignore_checks?: string[] } } | undefined;
  const checks = new Set([...(existing?.config?.ignore_checks ?? []), check]);
  resource.addMetadata('cfn-lint', { ...existing, config: { ...existing?.config, ignore_checks: [...checks] } });
}

/** The target-tracking policy (a child of the scalable target CDK keeps as `Target`) that tracks each metric. */
const POLICY_IDS: Readonly<Record<HighResolutionMetricName, string>> = {
  CPUUtilization: 'CpuScaling',
  MemoryUtilization: 'MemoryScaling',
};

/**
 * Switches the CPU and memory target-tracking policies of `scaling` to the high-resolution
 * predefined metric of each metric in `metrics`: Application Auto Scaling then evaluates 20-second
 * datapoints. The policies keep their construct IDs, so nothing is replaced.
 */
export function trackHighResolutionMetrics(scaling: ecs.ScalableTaskCount, metrics: readonly HighResolutionMetricName[]): void {
  const target = scaling.node.findChild('Target');
  for (const metric of metrics) {
    const policy = target.node.findChild(POLICY_IDS[metric]).node.defaultChild as appscaling.CfnScalingPolicy;
    policy.addPropertyOverride(
      'TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType',
      HIGH_RESOLUTION_PREDEFINED_METRICS[metric],
    );
    ignoreInCfnLint(policy, 'E3030');
  }
}
