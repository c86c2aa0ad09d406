// The rehearsal's verifiers (tools/deploy-local/verify) as checklist items: each compares the
// deployed resources of its family with the template and the profile, through the AWS SDK.
import { describeFailure } from '../deploy-local/checks';
import { allResources } from '../deploy-local/template';
import { VERIFIERS, verifyStack, type Verifier, type VerifyContext } from '../deploy-local/verify';
import { fail, pass, type Check } from './checklist';

/** One check per verifier whose resource types the template has (outputs always), in the rehearsal's order. */
export function verifierChecks(ctx: VerifyContext, verbose: boolean, verifiers: readonly Verifier[] = VERIFIERS): Check[] {
  const types = new Set(allResources(ctx.template).map((r) => r.type));
  return verifiers
    .filter((v) => v.types.length === 0 || v.types.some((t) => types.has(t)))
    .map((verifier) => ({
      name: verifier.name,
      async run() {
        const before = { checks: ctx.checks.checks.length, notModelled: ctx.checks.notModelled.length };
        await verifyStack(ctx, [verifier]);
        const checks = ctx.checks.checks.slice(before.checks);
        const failures = checks.filter((c) => !c.ok);
        // Properties the verifiers skip (written for moto, which does not model them): said, not passed.
        const notCompared = ctx.checks.notModelled
          .slice(before.notModelled)
          .map((n) => `not compared: ${n.subject.logicalId} ${n.property} (the verifier skips it: ${n.reason})`);
        const passing = verbose
          ? checks.filter((c) => c.ok).map((c) => `✓ ${c.subject.logicalId} ${c.property} = ${JSON.stringify(c.actual)} (${c.source})`)
          : [];
        const details = [...failures.map((f) => `✗ ${describeFailure(f)}`), ...notCompared, ...passing];
        if (failures.length > 0) return fail(`${failures.length} of ${checks.length} properties differ from the template or the profile`, details);
        return pass(`${checks.length} properties as the template and the profile say`, details);
      },
    }));
}
