import type { Profile } from '../../../lib/core/profiles';
import type { Clients } from '../aws';
import type { Checks, Subject } from '../checks';
import type { DeployedStack } from '../stack';
import { resourcesOfType, type CfnTemplate, type Resolver, type TemplateResource } from '../template';

/** Everything a verifier reads: the template drives it, the profile and the template supply expected values. */
export interface VerifyContext {
  readonly template: CfnTemplate;
  readonly profile: Profile;
  readonly stack: DeployedStack;
  readonly physicalIds: ReadonlyMap<string, string>;
  /**
   * Logical IDs moto_server.py stood in for: listed with a physical ID (Ref resolves to it) but
   * never created, so no verifier reads them.
   */
  readonly placeholders: ReadonlySet<string>;
  readonly resolver: Resolver;
  readonly clients: Clients;
  readonly checks: Checks;
}

/**
 * Checks one family of resource types. `types` are the template types it reads; a verifier runs
 * only when the template has at least one of them.
 */
export interface Verifier {
  readonly name: string;
  readonly types: readonly string[];
  verify(ctx: VerifyContext): Promise<void>;
}

export type DeployedTemplateResource = TemplateResource & { readonly physicalId: string; readonly subject: Subject };

/** The template's resources of `type` that were deployed (not placeholders), with their physical IDs. */
export function deployed(ctx: VerifyContext, type: string): DeployedTemplateResource[] {
  return resourcesOfType(ctx.template, type).flatMap((r) => {
    const physicalId = ctx.physicalIds.get(r.logicalId);
    return physicalId && !ctx.placeholders.has(r.logicalId) ? [{ ...r, physicalId, subject: { logicalId: r.logicalId, type: r.type } }] : [];
  });
}

/** The stack has a single VPC: the one `profile.network` describes. */
export function isProfileVpc(ctx: VerifyContext, vpcLogicalId: string | undefined): boolean {
  const vpcs = resourcesOfType(ctx.template, 'AWS::EC2::VPC');
  return vpcs.length === 1 && vpcs[0].logicalId === vpcLogicalId;
}

/** Resolves a template value, or returns `fallback` when the property is absent (CloudFormation's default). */
export async function templateValue(ctx: VerifyContext, properties: Record<string, unknown>, key: string, fallback?: unknown): Promise<unknown> {
  return key in properties ? ctx.resolver.resolve(properties[key]) : fallback;
}

/**
 * Runs `check` on each deployed resource of `type`. An error (an API the emulator does not answer,
 * a value that cannot be resolved) fails that resource's verification; the others still run.
 */
export async function forEach(ctx: VerifyContext, type: string, check: (resource: DeployedTemplateResource) => Promise<void>): Promise<void> {
  for (const resource of deployed(ctx, type)) {
    try {
      await check(resource);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
      ctx.checks.holds(resource.subject, 'verification', false, message, 'no error', 'deploy-local');
    }
  }
}

/**
 * Compares named values a resource was deployed with (environment variables, secrets) to the
 * template's: the same names, and each value equal where its expression resolves offline; where it
 * needs an attribute only AWS knows (a placeholder's endpoint, say), present and not empty.
 */
export async function compareNamedValues(
  ctx: VerifyContext,
  subject: Subject,
  what: string,
  actual: Readonly<Record<string, string | undefined>>,
  expected: Readonly<Record<string, unknown>>,
): Promise<void> {
  ctx.checks.sameMembers(subject, `${what} names`, Object.keys(actual), Object.keys(expected), 'template');
  for (const [name, value] of Object.entries(expected)) {
    const resolved = await ctx.resolver.tryResolve(value);
    if (resolved === undefined) {
      ctx.checks.holds(
        subject,
        `${what} ${name}`,
        (actual[name] ?? '') !== '',
        actual[name],
        'a value',
        'template (its expression needs an attribute only AWS knows)',
      );
    } else {
      ctx.checks.equal(subject, `${what} ${name}`, actual[name], String(resolved), 'template');
    }
  }
}
