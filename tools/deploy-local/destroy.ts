// `cdk destroy` of a rehearsed stack. A profile that protects its stateful resources from deletion
// (the database, the load balancer) makes the first destroy fail, as it would in AWS; the rehearsal
// lifts each protection the profile asks for, as an operator would, says so, and retries.
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { ModifyLoadBalancerAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ModifyDBInstanceCommand } from '@aws-sdk/client-rds';
import type { Profile } from '../../lib/core/profiles';
import type { Clients } from './aws';
import { outputTail, type CdkRunner } from './cdk';
import { describeDeployedStack, failureEvents, formatEvent } from './stack';

/** A deletion protection a profile can switch on, which stops a stack delete until it is lifted. */
export interface Protection {
  readonly type: string;
  /** Matches the DELETE_FAILED reason when this protection is what held the resource. */
  readonly held: RegExp;
  /** The profile setting that asks for the protection. */
  readonly setting: string;
  readonly wanted: (profile: Profile) => boolean;
  readonly lift: (clients: Clients, physicalId: string) => Promise<unknown>;
}

export const PROTECTIONS: readonly Protection[] = [
  {
    type: 'AWS::RDS::DBInstance',
    // RDS: "Cannot delete protected DB Instance, please disable deletion protection and try again."
    held: /protect/i,
    setting: 'profile.database.deletionProtection',
    wanted: (p) => p.database.deletionProtection,
    lift: (c, id) => c.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true })),
  },
  {
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    // ELB: "OperationNotPermitted: Load balancer '…' cannot be deleted because deletion protection is enabled"
    held: /deletion protection/i,
    setting: 'profile.web.deletionProtection',
    wanted: (p) => p.web.deletionProtection,
    lift: (c, arn) =>
      c.elbv2.send(
        new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }] }),
      ),
  },
];

export interface DestroySession {
  readonly clients: Clients;
  readonly cdk: CdkRunner;
  readonly print: (line: string) => void;
}

/** The protections that held resources in a failed delete, with the logical IDs each held. */
export function heldProtections(
  events: readonly StackEvent[],
  protections: readonly Protection[] = PROTECTIONS,
): Array<{ protection: Protection; logicalIds: string[] }> {
  return protections.flatMap((protection) => {
    const logicalIds = events
      .filter((e) => e.ResourceStatus === 'DELETE_FAILED' && e.ResourceType === protection.type && protection.held.test(e.ResourceStatusReason ?? ''))
      .map((e) => e.LogicalResourceId ?? '');
    return logicalIds.length > 0 ? [{ protection, logicalIds: [...new Set(logicalIds)] }] : [];
  });
}

/**
 * `cdk destroy --force` from the deployed assembly. When deletion protection that the profile asks
 * for is what stops the delete, lifts it and retries (once per protection at most). Returns the
 * problems: empty when the stack is gone.
 */
export async function destroyStack(session: DestroySession, profile: Profile, stackName: string, assembly: string): Promise<string[]> {
  const { cdk, clients, print } = session;
  const run = () => cdk.run(['destroy', stackName, '--app', assembly, '--force']);
  let outcome = await run();
  const lifted = new Set<string>();
  while (outcome.code !== 0) {
    const held = heldProtections(await failureEvents(clients.cloudformation, stackName)).filter(
      ({ protection, logicalIds }) => protection.wanted(profile) && logicalIds.some((id) => !lifted.has(id)),
    );
    if (held.length === 0) break;
    const stack = await describeDeployedStack(clients.cloudformation, stackName);
    const physical = new Map(stack?.resources.map((r) => [r.logicalId, r.physicalId]));
    for (const { protection, logicalIds } of held) {
      print(`  deletion protection held ${logicalIds.join(', ')}, as ${protection.setting} intends; lifting it to finish the rehearsal`);
      for (const id of logicalIds) {
        const physicalId = physical.get(id);
        if (physicalId) await protection.lift(clients, physicalId);
        lifted.add(id);
      }
    }
    outcome = await run();
  }
  if (outcome.code === 0) return [];
  const after = await failureEvents(clients.cloudformation, stackName);
  const why = after.length
    ? `:\n${after.map((e) => `      ${formatEvent(e)}`).join('\n')}`
    : `; the CLI said:\n${outputTail(outcome.output, 5)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}`;
  return [`cdk destroy ${stackName} failed (exit ${outcome.code})${why}`];
}
