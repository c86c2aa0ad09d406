// The cost difference between two estimates of one profile (a git ref and the working tree, two
// template directories, a profile and the same profile with overrides): per scenario, per
// component (the estimate's tiers) and per line item, each item added, removed, resized or
// unchanged. Pure: both sides are priced by the same pricers, price table and usage assumptions,
// so every difference comes from the templates.
import type { Estimate, LineItem, UnpricedItem } from './estimate';
import type { PerScenario } from './pricing/context';

/** A figure before and after, and the change (after - before). */
export interface Delta {
  readonly before: number;
  readonly after: number;
  readonly change: number;
}

/** What happened to one line item between the two sides. */
export type ChangeKind = 'added' | 'removed' | 'resized' | 'unchanged';

/** One line item's side of a change: what it was called and what it cost. */
export interface ItemSide {
  readonly item: string;
  readonly baseline: number;
  readonly peak: number;
  readonly detail: string;
}

/** One line item compared across the two sides. */
export interface ItemChange {
  readonly kind: ChangeKind;
  /** The component (tier) it belongs to: the after side's, or the before side's for a removal. */
  readonly tier: string;
  readonly stack: string;
  /** Logical ID, or `(stack)` for stack-level usage. */
  readonly resource: string;
  readonly path?: string;
  readonly type: string;
  readonly before?: ItemSide;
  readonly after?: ItemSide;
  /** after - before, each scenario (0 for the side that is absent). */
  readonly change: PerScenario;
}

export interface TierChange {
  readonly tier: string;
  readonly baseline: Delta;
  readonly peak: Delta;
}

/** The difference of one profile. */
export interface ProfileDiff {
  readonly profile: string;
  readonly baseline: Delta;
  readonly peak: Delta;
  /** Every component of either side, in the after side's order (removed ones last). */
  readonly tiers: readonly TierChange[];
  /** Added, removed and resized line items, the largest baseline change first. */
  readonly items: readonly ItemChange[];
  /** Line items alike on both sides. */
  readonly unchanged: number;
  readonly unpriced: { readonly before: number; readonly after: number; readonly added: readonly UnpricedItem[] };
  /** The templates each side was priced from (with the region each deploys to, when known). */
  readonly templates: { readonly before: Estimate['templates']; readonly after: Estimate['templates'] };
}

/** Below half a cent a month a change is rounding, not a change. */
const CENT = 0.005;

const delta = (before: number, after: number): Delta => ({ before, after, change: after - before });

/**
 * Compares two estimates of the same profile. Line items are matched within one resource (same
 * template and logical ID): first by identical name, then by the name's stem (the words before the
 * first one with a digit, so `RDS PostgreSQL db.r7g.large` meets `RDS PostgreSQL db.m7g.large`),
 * then in the order the pricer emitted them. A matched pair that differs in name or cost is
 * 'resized'; what is left over on one side is 'added' or 'removed'.
 */
export function diffEstimates(before: Estimate, after: Estimate): ProfileDiff {
  // One template a side (the usual case): the stack's name may differ (a renamed app) and the
  // resources are still the same; with several templates the name tells them apart.
  const byStack = before.templates.length > 1 || after.templates.length > 1;
  const keyOf = (item: { stack: string; resource: string }) => (byStack ? `${item.stack}\u0000${item.resource}` : item.resource);
  const group = (estimate: Estimate) => {
    const groups = new Map<string, LineItem[]>();
    for (const item of estimate.tiers.flatMap((t) => t.items)) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
    return groups;
  };
  const beforeGroups = group(before);
  const afterGroups = group(after);

  const changes: ItemChange[] = [];
  for (const key of new Set([...afterGroups.keys(), ...beforeGroups.keys()])) {
    changes.push(...matchResource(beforeGroups.get(key) ?? [], afterGroups.get(key) ?? []));
  }

  const unpricedKey = (u: UnpricedItem) => `${keyOf(u)}\u0000${u.reason}`;
  const unpricedBefore = new Set(before.unpriced.map(unpricedKey));
  return {
    profile: after.profile,
    baseline: delta(before.baseline, after.baseline),
    peak: delta(before.peak, after.peak),
    tiers: tierChanges(before, after),
    items: changes
      .filter((c) => c.kind !== 'unchanged')
      .sort((a, b) => Math.abs(b.change.baseline) - Math.abs(a.change.baseline) || Math.abs(b.change.peak) - Math.abs(a.change.peak)),
    unchanged: changes.filter((c) => c.kind === 'unchanged').length,
    unpriced: {
      before: before.unpriced.length,
      after: after.unpriced.length,
      added: after.unpriced.filter((u) => !unpricedBefore.has(unpricedKey(u))),
    },
    templates: { before: before.templates, after: after.templates },
  };
}

/** The words of an item's name before the first one holding a digit: what it is, without its size. */
function stem(item: string): string {
  const words = item.split(/\s+/);
  const sized = words.findIndex((w) => /\d/.test(w));
  return (sized < 0 ? words : words.slice(0, sized)).join(' ');
}

function side(item: LineItem): ItemSide {
  return { item: item.item, baseline: item.baseline, peak: item.peak, detail: item.detail };
}

function matchResource(before: readonly LineItem[], after: readonly LineItem[]): ItemChange[] {
  const leftBefore = [...before];
  const leftAfter = [...after];
  const pairs: [LineItem, LineItem][] = [];
  const take = (same: (b: LineItem, a: LineItem) => boolean) => {
    for (const b of [...leftBefore]) {
      const i = leftAfter.findIndex((a) => same(b, a));
      if (i < 0) continue;
      pairs.push([b, leftAfter[i]]);
      leftAfter.splice(i, 1);
      leftBefore.splice(leftBefore.indexOf(b), 1);
    }
  };
  take((b, a) => a.item === b.item);
  take((b, a) => stem(a.item) === stem(b.item));
  take(() => true);

  const changes: ItemChange[] = pairs.map(([b, a]) => {
    const change = { baseline: a.baseline - b.baseline, peak: a.peak - b.peak };
    const same = a.item === b.item && Math.abs(change.baseline) < CENT && Math.abs(change.peak) < CENT;
    return { ...where(a), kind: same ? 'unchanged' : 'resized', before: side(b), after: side(a), change };
  });
  for (const a of leftAfter) changes.push({ ...where(a), kind: 'added', after: side(a), change: { baseline: a.baseline, peak: a.peak } });
  for (const b of leftBefore) changes.push({ ...where(b), kind: 'removed', before: side(b), change: { baseline: -b.baseline, peak: -b.peak } });
  return changes;
}

function where(item: LineItem): Pick<ItemChange, 'tier' | 'stack' | 'resource' | 'path' | 'type'> {
  return { tier: item.tier, stack: item.stack, resource: item.resource, path: item.path, type: item.type };
}

function tierChanges(before: Estimate, after: Estimate): TierChange[] {
  const find = (estimate: Estimate, tier: string) => estimate.tiers.find((t) => t.tier === tier);
  const names = [...new Set([...after.tiers.map((t) => t.tier), ...before.tiers.map((t) => t.tier)])];
  return names.map((tier) => {
    const b = find(before, tier);
    const a = find(after, tier);
    return { tier, baseline: delta(b?.baseline ?? 0, a?.baseline ?? 0), peak: delta(b?.peak ?? 0, a?.peak ?? 0) };
  });
}

/** Whether a change is more than rounding. */
export function changed(value: number): boolean {
  return Math.abs(value) >= CENT;
}

// --- The review gate: --max-increase -----------------------------------------------------------

/** How much a profile's baseline may rise: a monthly amount, or a share of the baseline before. */
export type Threshold =
  | { readonly kind: 'usd'; readonly usd: number; readonly text: string }
  | { readonly kind: 'percent'; readonly percent: number; readonly text: string };

const USD = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:usd)?\s*$/i;
const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

/**
 * `--max-increase`: `25`, `$25`, `12.50 USD` (USD a month) or `5%` (of the baseline before).
 * Returns undefined for anything else; the CLI turns that into its usage message.
 */
export function parseThreshold(text: string): Threshold | undefined {
  const percent = PERCENT.exec(text);
  if (percent) return { kind: 'percent', percent: Number(percent[1]), text: `${Number(percent[1])}%` };
  const usd = USD.exec(text);
  if (usd) return { kind: 'usd', usd: Number(usd[1]), text: `$${Number(usd[1]).toFixed(2)}` };
  return undefined;
}

/** A profile whose baseline rose more than the threshold allows, and the line items that raised it. */
export interface Breach {
  readonly profile: string;
  readonly baseline: Delta;
  /** The rise allowed, in USD a month (a percentage threshold converted at the baseline before). */
  readonly allowedUsd: number;
  readonly threshold: Threshold;
  /** Line items whose baseline rose, the largest first. */
  readonly raisedBy: readonly ItemChange[];
}

/**
 * The breach of `threshold` by `diff`, if its baseline rose by more (compared in cents, so a
 * threshold of $3.56 is not broken by $3.559). A percentage of a zero baseline allows no rise.
 */
export function breachOf(diff: ProfileDiff, threshold: Threshold): Breach | undefined {
  const cents = (n: number) => Math.round(n * 100);
  const allowedUsd = threshold.kind === 'usd' ? threshold.usd : (diff.baseline.before * threshold.percent) / 100;
  if (cents(diff.baseline.change) <= cents(allowedUsd)) return undefined;
  const raisedBy = diff.items
    .filter((i) => changed(i.change.baseline) && i.change.baseline > 0)
    .sort((a, b) => b.change.baseline - a.change.baseline);
  return { profile: diff.profile, baseline: diff.baseline, allowedUsd, threshold, raisedBy };
}
