// The load balancer's targets are healthy: every task registered, every health check passing.
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { fail, notVerifiableHere, pass, pending, type Outcome } from '../checklist';
import { deployedOfType, type ProbeContext } from './context';

export async function probeTargets({ target }: ProbeContext): Promise<Outcome> {
  const groups = deployedOfType(target, 'AWS::ElasticLoadBalancingV2::TargetGroup');
  if (groups.length === 0) return fail('the stack has no target group');
  let healthy = 0;
  let total = 0;
  const problems: string[] = [];
  const waiting: string[] = [];
  const empty: string[] = [];
  for (const group of groups) {
    const targets =
      (await target.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.physicalId }))).TargetHealthDescriptions ?? [];
    if (targets.length === 0) empty.push(group.logicalId);
    for (const t of targets) {
      total++;
      const state = t.TargetHealth?.State ?? 'unknown';
      const what = `${group.logicalId} ${t.Target?.Id}:${t.Target?.Port} ${state}${t.TargetHealth?.Description ? ` (${t.TargetHealth.Description})` : ''}`;
      if (state === 'healthy') healthy++;
      else if (state === 'initial' || state === 'draining') waiting.push(what);
      else problems.push(what);
    }
  }
  if (total === 0 && target.emulator) return notVerifiableHere('moto starts no ECS task, so no target registers and no health check runs');
  const noTargets = empty.map((id) => `${id}: no target registered (no task running, or none placed in the group)`);
  if (problems.length > 0 || noTargets.length > 0) return fail(`${healthy} of ${total} targets healthy`, [...problems, ...noTargets, ...waiting]);
  if (waiting.length > 0) return pending(`${healthy} of ${total} targets healthy; the others are still registering or draining`, waiting);
  return pass(`${healthy} of ${total} targets healthy in ${groups.length} target group${groups.length === 1 ? '' : 's'}`);
}
