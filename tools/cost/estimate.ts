import { freeReason } from './free-types';
import type { PriceTable } from './prices';
import { PricingContext, type Charge, type Priced } from './pricing/context';
import { PRICERS } from './pricing';
import { dataTransfer } from './pricing/network';
import { type CfnResource, constructPath, type NamedTemplate, num } from './template';
import type { Usage } from './usage';

/** One priced line: a charge of one resource (or of the stack, for data transfer). */
export interface LineItem extends Charge {
  readonly tier: string;
  readonly stack: string;
  /** Logical ID, or `(stack)` for stack-level usage. */
  readonly resource: string;
  /** CDK construct path without the stack name, when the template carries it. */
  readonly path?: string;
  readonly type: string;
}

/** A resource, or a part of one, that the tool could not price: listed, never counted as zero. */
export interface UnpricedItem {
  readonly tier: string;
  readonly stack: string;
  readonly resource: string;
  readonly path?: string;
  readonly type: string;
  readonly reason: string;
}

export interface FreeType {
  readonly type: string;
  readonly count: number;
  readonly reason: string;
}

export interface TierTotal {
  readonly tier: string;
  readonly baseline: number;
  readonly peak: number;
  readonly items: LineItem[];
}

/** The monthly estimate of one profile's templates. */
export interface Estimate {
  readonly profile: string;
  /** Each template priced, with the region it deploys to when its cloud assembly says. */
  readonly templates: { readonly name: string; readonly file: string; readonly region?: string }[];
  readonly baseline: number;
  readonly peak: number;
  readonly tiers: TierTotal[];
  readonly unpriced: UnpricedItem[];
  readonly free: FreeType[];
  /** The monthly limit of an AWS::Budgets::Budget in the templates, if any. */
  readonly templateBudgetUsd?: number;
}

/** Tier names for resources without a CDK construct path, by type prefix. */
const TYPE_TIERS: readonly [string, string][] = [
  ['AWS::EC2::', 'Network'],
  ['AWS::ElasticLoadBalancingV2::', 'Web'],
  ['AWS::ECS::', 'Web'],
  ['AWS::ApplicationAutoScaling::', 'Web'],
  ['AWS::RDS::', 'Database'],
  ['AWS::ElastiCache::', 'Cache'],
  ['AWS::SQS::', 'Worker'],
  ['AWS::Lambda::', 'Worker'],
  ['AWS::CloudWatch::', 'Monitoring'],
  ['AWS::SNS::', 'Monitoring'],
  ['AWS::Budgets::', 'Monitoring'],
  ['AWS::Logs::', 'Logs'],
  ['AWS::SecretsManager::', 'Security'],
  ['AWS::KMS::', 'Security'],
];
export const CDK_HELPERS_TIER = 'CDK helpers';
export const DATA_TRANSFER_TIER = 'Data transfer';

/** CDK's stack-level singletons (custom-resource providers, log-retention and notification handlers). */
const CDK_SINGLETON = /::|^AWS[0-9a-f]{32}$|^LogRetention[0-9a-f]{32}$|^BucketNotificationsHandler|^CustomResourceProvider/;

/**
 * The tier of a resource: the construct directly under the stack that holds it (`Network`,
 * `Database`…), so the table follows the stack's own structure; CDK's singletons form one tier;
 * a resource without a construct path is grouped by its service.
 */
export function tierOf(resource: CfnResource): string {
  const raw = resource.Metadata?.['aws:cdk:path'];
  if (typeof raw === 'string') {
    const segments = raw.split('/');
    if (segments.length >= 3) return CDK_SINGLETON.test(segments[1]) ? CDK_HELPERS_TIER : segments[1];
  }
  return TYPE_TIERS.find(([prefix]) => resource.Type.startsWith(prefix))?.[1] ?? 'Other';
}

function priceResource(logicalId: string, resource: CfnResource, ctx: PricingContext): Priced {
  const pricer = PRICERS[resource.Type];
  if (pricer) return pricer(logicalId, resource, ctx);
  const reason = freeReason(resource.Type);
  if (reason) return { charges: [], unpriced: [], free: reason };
  return {
    charges: [],
    unpriced: [`no pricer for ${resource.Type}; add one in tools/cost/pricing/ or, if AWS does not bill it, to tools/cost/free-types.ts`],
  };
}

/** Prices every resource of a profile's templates for the baseline and peak scenarios. */
export function estimate(profile: string, templates: readonly NamedTemplate[], prices: PriceTable, usage: Usage): Estimate {
  const items: LineItem[] = [];
  const unpriced: UnpricedItem[] = [];
  const free = new Map<string, FreeType>();
  let templateBudgetUsd: number | undefined;
  let stackLevel: { ctx: PricingContext; stack: string } | undefined;

  for (const { name: stack, template } of templates) {
    const ctx = new PricingContext(template, prices, usage);
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const tier = tierOf(resource);
      const where = { tier, stack, resource: logicalId, path: constructPath(resource), type: resource.Type };
      const priced = priceResource(logicalId, resource, ctx);
      for (const charge of priced.charges) items.push({ ...where, ...charge });
      for (const reason of priced.unpriced) unpriced.push({ ...where, reason });
      if (priced.free !== undefined && priced.charges.length === 0 && priced.unpriced.length === 0) {
        const entry = free.get(resource.Type);
        free.set(resource.Type, { type: resource.Type, count: (entry?.count ?? 0) + 1, reason: entry?.reason ?? priced.free });
      }
      if (resource.Type === 'AWS::Budgets::Budget') {
        const limit = (resource.Properties?.Budget as { BudgetLimit?: { Amount?: unknown } } | undefined)?.BudgetLimit?.Amount;
        templateBudgetUsd = (templateBudgetUsd ?? 0) + (num(limit) ?? 0);
      }
    }
    // Stack-level data transfer is counted once per profile, with the first template that has a network.
    if (!stackLevel && dataTransfer(ctx).charges.length > 0) stackLevel = { ctx, stack };
  }
  if (stackLevel) {
    const bill = dataTransfer(stackLevel.ctx);
    for (const charge of bill.charges) items.push({ tier: DATA_TRANSFER_TIER, stack: stackLevel.stack, resource: '(stack)', type: '-', ...charge });
    for (const reason of bill.unpriced) unpriced.push({ tier: DATA_TRANSFER_TIER, stack: stackLevel.stack, resource: '(stack)', type: '-', reason });
  }

  const tiers = groupByTier(items);
  return {
    profile,
    templates: templates.map(({ name, file, region }) => ({ name, file, ...(region === undefined ? {} : { region }) })),
    baseline: sum(items, 'baseline'),
    peak: sum(items, 'peak'),
    tiers,
    unpriced,
    free: [...free.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    templateBudgetUsd,
  };
}

function sum(items: readonly LineItem[], scenario: 'baseline' | 'peak'): number {
  return items.reduce((total, item) => total + item[scenario], 0);
}

/** Tiers in the order the template first names them; CDK's helpers and data transfer last. */
function groupByTier(items: readonly LineItem[]): TierTotal[] {
  const order = (tier: string) => (tier === DATA_TRANSFER_TIER ? 2 : tier === CDK_HELPERS_TIER ? 1 : 0);
  const tiers = new Map<string, LineItem[]>();
  for (const item of items) tiers.set(item.tier, [...(tiers.get(item.tier) ?? []), item]);
  return [...tiers.entries()]
    .map(([tier, tierItems]) => ({ tier, baseline: sum(tierItems, 'baseline'), peak: sum(tierItems, 'peak'), items: tierItems }))
    .sort((a, b) => order(a.tier) - order(b.tier));
}

/** The line items that cost the most at baseline, for a failed budget check. */
export function biggestItems(result: Estimate, count = 5): LineItem[] {
  return result.tiers
    .flatMap((tier) => tier.items)
    .sort((a, b) => b.baseline - a.baseline)
    .slice(0, count);
}
