import type { Checks } from '../checks';
import { allResources } from '../template';
import type { Verifier, VerifyContext } from './context';
import { databaseVerifier } from './database';
import { ecsVerifier } from './ecs';
import { loadBalancerVerifier } from './load-balancer';
import { logGroupVerifier } from './log-groups';
import { monitoringVerifier } from './monitoring';
import { networkVerifier } from './network';
import { outputVerifier } from './outputs';
import { functionVerifier, queueVerifier } from './worker';

export type { Verifier, VerifyContext } from './context';

/** Every verifier, in the order their results are printed. */
export const VERIFIERS: readonly Verifier[] = [
  networkVerifier,
  logGroupVerifier,
  loadBalancerVerifier,
  ecsVerifier,
  databaseVerifier,
  queueVerifier,
  functionVerifier,
  monitoringVerifier,
  outputVerifier,
];

/**
 * Runs each verifier whose resource types the template has (outputs always). A verifier that
 * throws (an API moto does not answer, say) is a failed check, and the others still run.
 */
export async function verifyStack(ctx: VerifyContext, verifiers: readonly Verifier[] = VERIFIERS): Promise<Checks> {
  const types = new Set(allResources(ctx.template).map((r) => r.type));
  for (const verifier of verifiers) {
    if (verifier.types.length > 0 && !verifier.types.some((t) => types.has(t))) continue;
    try {
      await verifier.verify(ctx);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      ctx.checks.holds({ logicalId: verifier.name, type: 'verifier' }, 'ran to the end', false, message, 'no error', 'deploy-local');
    }
  }
  return ctx.checks;
}
