import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

// Automatic target weights (ALB, November 2023): with `weighted_random` routing and anomaly
// mitigation on, the ALB watches each target's error rate and latency against the others' and
// routes less traffic to a target that stands out, before its health checks fail.
// Source: docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#modify-routing-algorithm
// (attributes `load_balancing.algorithm.type` and `load_balancing.algorithm.anomaly_mitigation`).

/** The target-group attributes that turn automatic target weights on. */
export const ANOMALY_MITIGATION_ATTRIBUTES: Readonly<Record<string, string>> = {
  'load_balancing.algorithm.type': 'weighted_random',
  'load_balancing.algorithm.anomaly_mitigation': 'on',
};

/**
 * Turns automatic target weights on for `targetGroup`. The target group must not use slow start
 * (the ALB rejects slow start with weighted random routing): WebService checks that before it
 * calls this. Apply it to every target group that serves the same tasks (a blue/green
 * deployment's second target group too), so traffic is weighed alike whichever one is live.
 */
export function applyAnomalyMitigation(targetGroup: elbv2.ApplicationTargetGroup): void {
  for (const [key, value] of Object.entries(ANOMALY_MITIGATION_ATTRIBUTES)) targetGroup.setAttribute(key, value);
}
