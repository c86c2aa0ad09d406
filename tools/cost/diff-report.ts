// How a cost difference is shown: a plain-text table per profile for a terminal, a Markdown
// comment for a pull request, JSON for a script, and the message --max-increase fails with.
import { markdownTable, textRow, type Column } from '../shared/cli';
import { changed, type Breach, type ItemChange, type ProfileDiff, type Threshold } from './diff';
import type { PriceTable } from './prices';
import { priceBasis, regionNotes } from './report';

/** What the two sides are, for headings: `HEAD~1 (9aa918a)` and `working tree`. */
export interface DiffSides {
  readonly before: string;
  readonly after: string;
}

const money = (n: number) => n.toFixed(2);
const signed = (n: number) => (changed(n) ? `${n > 0 ? '+' : '-'}${Math.abs(n).toFixed(2)}` : '0.00');
const signedUsd = (n: number) => (changed(n) ? `${n > 0 ? '+' : '−'}$${Math.abs(n).toFixed(2)}` : '$0.00');
/** `(+51.2 %)`, or nothing when there is no base to compare with. */
function percent(before: number, change: number): string {
  if (!changed(change) || before < 0.005) return '';
  return ` (${change > 0 ? '+' : '-'}${Math.abs((100 * change) / before).toFixed(1)} %)`;
}

function where(item: ItemChange): string {
  return item.path ?? item.resource;
}

/**
 * A renamed item shows what changed once, inside the words both names share:
 * `RDS PostgreSQL db.r7g.large -> db.m7g.large Multi-AZ`.
 */
export function itemLabel(item: ItemChange): string {
  const before = item.before?.item;
  const after = item.after?.item;
  if (before === undefined || after === undefined || before === after) return (after ?? before)!;
  const a = after.split(' ');
  const b = before.split(' ');
  let head = 0;
  while (head < Math.min(a.length, b.length) && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < Math.min(a.length, b.length) - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = (words: string[]) => words.slice(head, words.length - tail).join(' ') || '(nothing)';
  return [...a.slice(0, head), `${middle(b)} -> ${middle(a)}`, ...a.slice(a.length - tail)].join(' ');
}

const SUMMARY_COLUMNS: readonly Column[] = [
  { width: 10 },
  { width: 11, align: 'right' },
  { width: 11, align: 'right' },
  { width: 11, align: 'right' },
  { before: '  ' },
];
const TIER_COLUMNS: readonly Column[] = [
  { width: 22, cut: 'end' },
  { width: 11, align: 'right' },
  { width: 11, align: 'right' },
  { width: 11, align: 'right' },
  { width: 11, align: 'right' },
];
const ITEM_COLUMNS: readonly Column[] = [
  { width: 8 },
  { width: 58, cut: 'end' },
  { width: 40, cut: 'start' },
  { width: 11, align: 'right' },
  { width: 11, align: 'right' },
];

/** One profile's difference as plain text: totals, changed components, changed line items. */
export function renderDiffText(diff: ProfileDiff, sides: DiffSides, prices: PriceTable): string {
  const lines = [
    `Cost difference of profile ${diff.profile}: ${sides.before} -> ${sides.after}`,
    priceBasis(prices),
    ...regionNotes([...diff.templates.before, ...diff.templates.after], prices),
    textRow(SUMMARY_COLUMNS, ['', 'before', 'after', 'change'], { gap: ' ' }),
    textRow(
      SUMMARY_COLUMNS,
      [
        'baseline',
        money(diff.baseline.before),
        money(diff.baseline.after),
        signed(diff.baseline.change),
        percent(diff.baseline.before, diff.baseline.change).trim(),
      ],
      { gap: ' ' },
    ),
    textRow(
      SUMMARY_COLUMNS,
      ['peak', money(diff.peak.before), money(diff.peak.after), signed(diff.peak.change), percent(diff.peak.before, diff.peak.change).trim()],
      { gap: ' ' },
    ),
  ];
  const tiers = diff.tiers.filter((t) => changed(t.baseline.change) || changed(t.peak.change));
  if (tiers.length > 0) {
    lines.push(
      'By component (baseline before, after, change; peak change):',
      textRow(TIER_COLUMNS, ['', 'before', 'after', 'change', 'peak'], { gap: ' ', indent: '  ' }),
    );
    for (const t of tiers)
      lines.push(
        textRow(TIER_COLUMNS, [t.tier, money(t.baseline.before), money(t.baseline.after), signed(t.baseline.change), signed(t.peak.change)], {
          gap: ' ',
          indent: '  ',
        }),
      );
    const same = diff.tiers.length - tiers.length;
    if (same > 0) lines.push(`  ${same} other component(s) unchanged`);
  }
  if (diff.items.length > 0) {
    lines.push('By line item (change):', textRow(ITEM_COLUMNS, ['', '', 'where', 'baseline', 'peak'], { gap: ' ', indent: '  ' }));
    for (const item of diff.items)
      lines.push(
        textRow(ITEM_COLUMNS, [item.kind, itemLabel(item), where(item), signed(item.change.baseline), signed(item.change.peak)], {
          gap: ' ',
          indent: '  ',
        }),
      );
  }
  const counts = (['added', 'removed', 'resized'] as const).map((kind) => `${diff.items.filter((i) => i.kind === kind).length} ${kind}`);
  lines.push(`${diff.items.length === 0 ? 'No line item changed' : counts.join(', ')}; ${diff.unchanged} line item(s) unchanged`);
  lines.push(...unpricedLines(diff));
  return lines.join('\n');
}

function unpricedLines(diff: ProfileDiff): string[] {
  if (diff.unpriced.before === 0 && diff.unpriced.after === 0) return [];
  const lines = [`Unpriced (NOT in the totals): ${diff.unpriced.before} before, ${diff.unpriced.after} after`];
  for (const u of diff.unpriced.added) lines.push(`  new: ${u.type} ${u.path ?? u.resource}: ${u.reason}`);
  return lines;
}

/** Every profile side by side, for more than one profile. */
export function renderDiffSummary(diffs: readonly ProfileDiff[]): string {
  const lines = [textRow(SUMMARY_COLUMNS, ['profile', 'baseline', 'after', 'change', 'peak change'], { gap: ' ' })];
  for (const d of diffs) {
    lines.push(
      textRow(
        SUMMARY_COLUMNS,
        [d.profile, money(d.baseline.before), money(d.baseline.after), `${signed(d.baseline.change)}`, signed(d.peak.change)],
        { gap: ' ' },
      ),
    );
  }
  return lines.join('\n');
}

/** A hidden marker, so a CI job can find its earlier comment on a pull request and update it. */
export const COMMENT_MARKER = '<!-- cdk-scaling-stack:cost-diff -->';

/** The difference as a pull-request comment: a summary table, then each changed profile's details. */
export function renderDiffMarkdown(diffs: readonly ProfileDiff[], sides: DiffSides, prices: PriceTable, breaches: readonly Breach[] = []): string {
  const anyChange = diffs.some((d) => d.items.length > 0 || changed(d.baseline.change) || changed(d.peak.change));
  const parts = [
    COMMENT_MARKER,
    `### Monthly cost of this change`,
    `\`${sides.before}\` → \`${sides.after}\`, USD a month at ${prices.region} on-demand list prices (price table of ${prices.compiled}); baseline is autoscaling at its minimum, peak at its maximum.`,
    ...regionNotes(
      diffs.flatMap((d) => [...d.templates.before, ...d.templates.after]),
      prices,
    ).map((n) => `> ${n}`),
    markdownTable(
      [
        { header: 'profile' },
        ...['baseline before', 'baseline after', 'baseline change', 'peak change'].map((header) => ({ header, align: 'right' as const })),
      ],
      diffs.map((d) => [
        d.profile,
        `$${money(d.baseline.before)}`,
        `$${money(d.baseline.after)}`,
        changed(d.baseline.change) ? `**${signedUsd(d.baseline.change)}**${percent(d.baseline.before, d.baseline.change)}` : '$0.00',
        signedUsd(d.peak.change),
      ]),
    ),
  ];
  if (!anyChange) parts.push('No line item changed in any profile.');
  for (const breach of breaches) parts.push(`> [!WARNING]\n> ${renderBreach(breach).split('\n').join('\n> ')}`);
  for (const d of diffs.filter((x) => x.items.length > 0)) {
    const counts = (['added', 'removed', 'resized'] as const).map((kind) => `${d.items.filter((i) => i.kind === kind).length} ${kind}`).join(', ');
    const tiers = d.tiers.filter((t) => changed(t.baseline.change) || changed(t.peak.change));
    parts.push(
      [
        `<details><summary><b>${d.profile}</b>: ${signedUsd(d.baseline.change)} baseline, ${signedUsd(d.peak.change)} peak (${counts})</summary>`,
        '',
        markdownTable(
          [{ header: 'component' }, ...['baseline before', 'after', 'change', 'peak change'].map((header) => ({ header, align: 'right' as const }))],
          tiers.map((t) => [
            t.tier,
            `$${money(t.baseline.before)}`,
            `$${money(t.baseline.after)}`,
            signedUsd(t.baseline.change),
            signedUsd(t.peak.change),
          ]),
        ),
        '',
        markdownTable(
          [{ header: '' }, { header: 'line item' }, { header: 'where' }, { header: 'baseline', align: 'right' }, { header: 'peak', align: 'right' }],
          d.items.map((i) => [i.kind, itemLabel(i), `\`${where(i)}\``, signedUsd(i.change.baseline), signedUsd(i.change.peak)]),
        ),
        '',
        `${d.unchanged} line item(s) unchanged.${d.unpriced.added.length > 0 ? ` **${d.unpriced.added.length} new unpriced item(s)** (not in the totals): ${d.unpriced.added.map((u) => `\`${u.type}\``).join(', ')}.` : ''}`,
        '',
        '</details>',
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

/** How many line items a failure names before it summarizes the rest. */
const NAMED_ITEMS = 10;

/** The message --max-increase fails with: the rise, what was allowed, and the line items that raised it. */
export function renderBreach(breach: Breach): string {
  const allowed =
    breach.threshold.kind === 'percent'
      ? `--max-increase ${breach.threshold.text} ($${money(breach.allowedUsd)} of $${money(breach.baseline.before)})`
      : `--max-increase ${breach.threshold.text}`;
  const lines = [
    `profile ${breach.profile}: baseline rises $${money(breach.baseline.change)} a month${percent(breach.baseline.before, breach.baseline.change)}, ` +
      `from $${money(breach.baseline.before)} to $${money(breach.baseline.after)}, more than ${allowed}. Raised by:`,
  ];
  for (const item of breach.raisedBy.slice(0, NAMED_ITEMS)) {
    lines.push(`    +$${money(item.change.baseline).padStart(8)}  ${itemLabel(item)} (${where(item)}, ${item.kind})`);
  }
  if (breach.raisedBy.length > NAMED_ITEMS) lines.push(`    and ${breach.raisedBy.length - NAMED_ITEMS} more line item(s)`);
  return lines.join('\n');
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;
const deltaJson = (d: { before: number; after: number; change: number }) => ({
  before: round4(d.before),
  after: round4(d.after),
  change: round4(d.change),
});

/** The difference as data (`--diff … --json`). */
export function diffJson(
  diffs: readonly ProfileDiff[],
  sides: DiffSides,
  prices: PriceTable,
  threshold: Threshold | undefined,
  breaches: readonly Breach[],
): unknown {
  return {
    prices: { file: prices.file, region: prices.region, compiled: prices.compiled, hoursPerMonth: prices.hoursPerMonth, currency: 'USD' },
    before: sides.before,
    after: sides.after,
    maxIncrease: threshold?.text ?? null,
    profiles: diffs.map((d) => ({
      profile: d.profile,
      baseline: deltaJson(d.baseline),
      peak: deltaJson(d.peak),
      tiers: d.tiers.map((t) => ({ tier: t.tier, baseline: deltaJson(t.baseline), peak: deltaJson(t.peak) })),
      items: d.items.map((i) => ({
        kind: i.kind,
        tier: i.tier,
        stack: i.stack,
        resource: i.resource,
        path: i.path ?? null,
        type: i.type,
        before: i.before ?? null,
        after: i.after ?? null,
        change: { baseline: round4(i.change.baseline), peak: round4(i.change.peak) },
      })),
      unchanged: d.unchanged,
      unpriced: d.unpriced,
      templates: d.templates,
    })),
    breaches: breaches.map((b) => ({
      profile: b.profile,
      change: round4(b.baseline.change),
      allowedUsd: round4(b.allowedUsd),
      raisedBy: b.raisedBy.map((i) => ({ item: itemLabel(i), where: where(i), kind: i.kind, change: round4(i.change.baseline) })),
    })),
  };
}
