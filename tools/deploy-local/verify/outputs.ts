// The stack's outputs: each one the template declares is there, with the value its expression
// resolves to against the deployed resources (or, where only AWS can resolve it, not empty).
import type { Verifier } from './context';

export const outputVerifier: Verifier = {
  name: 'outputs',
  types: [],
  async verify(ctx) {
    for (const [key, output] of Object.entries(ctx.template.Outputs ?? {})) {
      const subject = { logicalId: key, type: 'Output' };
      const actual = ctx.stack.outputs[key];
      const expected = await ctx.resolver.tryResolve(output.Value);
      if (expected === undefined)
        ctx.checks.holds(
          subject,
          'value',
          actual !== undefined && actual !== '',
          actual,
          'a value',
          'template (its expression is resolved only by AWS)',
        );
      else ctx.checks.equal(subject, 'value', actual, String(expected), 'template');
    }
  },
};
