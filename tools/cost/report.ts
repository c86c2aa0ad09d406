import { markdownTable, textRow, textTable, type Column } from '../shared/cli';
import type { Comparison } from './compare';
import { biggestItems, type Estimate, type LineItem } from './estimate';
import type { PriceTable } from './prices';
import type { Usage } from './usage';

/** One profile's estimate with its budget verdict. */
export interface ProfileReport {
  readonly estimate: Estimate;
  readonly usage: Usage;
  /** The profile's `cost.monthlyBudgetUsd`, when the profile is a built-in one. */
  readonly budgetUsd?: number;
  readonly comparison?: Comparison;
}

/** Whether the baseline fits the budget (true when there is no budget). */
export function withinBudget(report: ProfileReport): boolean {
  return report.budgetUsd === undefined || report.estimate.baseline <= report.budgetUsd;
}

const money = (n: number) => n.toFixed(2);
const signed = (n: number) => `${n >= 0 ? '+' : '-'}${Math.abs(n).toFixed(2)}`;
const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

/** A line item's name, where it is (a path, shortened from the left so the resource itself stays readable), baseline and peak. */
const PROFILE_COLUMNS: readonly Column[] = [
  { width: 46, cut: 'end' },
  { width: 44, cut: 'start' },
  { width: 11, align: 'right' },
  { width: 11, align: 'right' },
];

function row(label: string, where: string, baseline: number | string, peak: number | string): string {
  const cell = (n: number | string) => (typeof n === 'number' ? money(n) : n);
  return textRow(PROFILE_COLUMNS, [label, where, cell(baseline), cell(peak)], { gap: ' ' });
}

function where(item: { path?: string; resource: string }): string {
  return item.path ?? item.resource;
}

/** What the figures are: the price table's region and date, the month, the usage assumptions. */
export function priceBasis(prices: PriceTable): string {
  return `USD a month at ${prices.region} on-demand list prices (table of ${prices.compiled}), ${prices.hoursPerMonth} h; usage assumptions in tools/cost/data/usage.json`;
}

/**
 * A note for each stack that deploys to another region than the price table's: the figures are
 * still that table's, which the reader must know (list prices differ between regions), with the
 * way to a table of the stack's own region.
 */
export function regionNotes(templates: readonly { readonly name: string; readonly region?: string }[], prices: PriceTable): string[] {
  const elsewhere = new Map<string, string[]>();
  for (const t of templates) {
    if (t.region !== undefined && t.region !== prices.region) elsewhere.set(t.region, [...new Set([...(elsewhere.get(t.region) ?? []), t.name])]);
  }
  return [...elsewhere.entries()].map(
    ([region, stacks]) =>
      `note: ${stacks.join(', ')} ${stacks.length === 1 ? 'deploys' : 'deploy'} to ${region}, but these are ${prices.region} list prices (the price table of ${prices.compiled}); ` +
      `${region}'s prices differ. For that region's own table: \`npm run prices:refresh -- --region ${region}\` (needs AWS credentials), then --prices lib/core/prices/prices-${region}.json`,
  );
}

/** The table of one profile: tiers with their items, totals, budget verdict, unpriced and free resources. */
export function renderProfile(report: ProfileReport, prices: PriceTable, options: { details?: boolean } = {}): string {
  const { estimate } = report;
  const lines: string[] = [];
  lines.push(`Profile ${estimate.profile}: ${estimate.templates.map((t) => t.file).join(', ')}`);
  lines.push(priceBasis(prices));
  lines.push(...regionNotes(estimate.templates, prices));
  lines.push(row('', '', 'baseline', 'peak'));
  for (const tier of estimate.tiers) {
    lines.push(row(tier.tier, '', tier.baseline, tier.peak));
    for (const item of tier.items) {
      lines.push(row(`  ${item.item}`, where(item), item.baseline, item.peak));
      if (options.details) lines.push(`      ${item.detail}`);
    }
  }
  lines.push(row('Total', '', estimate.baseline, estimate.peak));
  if (report.budgetUsd !== undefined) {
    const verdict = withinBudget(report)
      ? `baseline within budget ($${money(report.budgetUsd - estimate.baseline)} to spare)`
      : `baseline OVER budget by $${money(estimate.baseline - report.budgetUsd)}`;
    lines.push(`Budget (cost.monthlyBudgetUsd): $${money(report.budgetUsd)}: ${verdict}`);
    if (estimate.templateBudgetUsd !== undefined && Math.abs(estimate.templateBudgetUsd - report.budgetUsd) > 0.005) {
      lines.push(
        `  note: the template's AWS::Budgets::Budget is $${money(estimate.templateBudgetUsd)}; the templates are older than the profile: re-run \`npm run synth:all\``,
      );
    }
  }
  if (estimate.unpriced.length > 0) {
    lines.push(`Unpriced (NOT in the totals): ${estimate.unpriced.length}`);
    for (const u of estimate.unpriced) lines.push(`  - ${u.type} ${where(u)}: ${u.reason}`);
  } else {
    lines.push('Unpriced: none');
  }
  const freeCount = estimate.free.reduce((sum, f) => sum + f.count, 0);
  lines.push(
    `Free (not billed by AWS): ${freeCount} resource(s): ${estimate.free.map((f) => `${f.type.replace(/^AWS::/, '')} x${f.count}`).join(', ')}`,
  );
  return lines.join('\n');
}

/** The over-budget message `--check` prints: the excess and the biggest line items. */
export function renderBudgetFailure(report: ProfileReport): string {
  const { estimate } = report;
  const top = biggestItems(estimate)
    .map((item) => `    $${money(item.baseline).padStart(8)}  ${item.item} (${where(item)})`)
    .join('\n');
  return (
    `profile ${estimate.profile}: baseline $${money(estimate.baseline)} a month is over its budget of $${money(report.budgetUsd ?? 0)} ` +
    `(cost.monthlyBudgetUsd in lib/core/profiles/${estimate.profile}.ts) by $${money(estimate.baseline - (report.budgetUsd ?? 0))}. Biggest line items:\n${top}`
  );
}

/** The message `--check` prints for resources it could not price. */
export function renderUnpricedFailure(estimate: Estimate): string {
  return (
    `profile ${estimate.profile}: ${estimate.unpriced.length} item(s) could not be priced, so the estimate may be low:\n` +
    estimate.unpriced.map((u) => `    ${u.type} ${where(u)}: ${u.reason}`).join('\n')
  );
}

/** All profiles side by side. */
export function renderSummary(reports: readonly ProfileReport[]): string {
  const columns: Column[] = [
    { header: 'profile', width: 12 },
    ...['baseline', 'peak', 'budget'].map((header) => ({ header, width: 11, align: 'right' as const })),
    { header: 'verdict', before: '  ' },
  ];
  const rows = reports.map((report) => {
    const e = report.estimate;
    const verdict = report.budgetUsd === undefined ? 'no budget' : withinBudget(report) ? 'within budget' : 'OVER budget';
    const unpriced = e.unpriced.length > 0 ? `, ${e.unpriced.length} unpriced` : '';
    return [e.profile, money(e.baseline), money(e.peak), report.budgetUsd === undefined ? '-' : money(report.budgetUsd), `${verdict}${unpriced}`];
  });
  return textTable(columns, rows, { gap: '' });
}

/** The --compare table: right-sized against the hand-written defaults, and what each default adds. */
export function renderComparison(comparisons: readonly Comparison[]): string {
  const profileColumns: readonly Column[] = [
    { width: 10 },
    { width: 22, align: 'right' },
    { width: 22, align: 'right' },
    { width: 30, align: 'right' },
  ];
  // Each default alone, indented under its profile.
  const ruleColumns: readonly Column[] = [{ width: 72, cut: 'end' }, { width: 20, align: 'right' }, { before: '  ' }];
  const lines = [
    'Right-sizing measured: the same topology with the defaults a hand-written stack gets (USD a month, baseline / peak)',
    textRow(profileColumns, ['profile', 'right-sized', 'hand-written', 'saving'], { gap: '' }),
  ];
  const pair = (b: number, p: number) => `${money(b)} / ${money(p)}`;
  for (const c of comparisons) {
    const pct = c.handWritten.baseline > 0 ? ` (${Math.round((100 * c.saving.baseline) / c.handWritten.baseline)} %)` : '';
    lines.push(
      textRow(
        profileColumns,
        [
          c.profile,
          pair(c.rightSized.baseline, c.rightSized.peak),
          pair(c.handWritten.baseline, c.handWritten.peak),
          `${pair(c.saving.baseline, c.saving.peak)}${pct}`,
        ],
        { gap: '' },
      ),
    );
    for (const rule of c.rules) {
      const what = rule.changes.length === 0 ? 'no change' : `${rule.changes.length} change(s)`;
      lines.push(
        textRow(ruleColumns, [rule.title, `${signed(rule.saving.baseline)} / ${signed(rule.saving.peak)}`, what], { gap: ' ', indent: '  ' }),
      );
    }
  }
  lines.push('Each default is also priced alone (the indented lines); together they can differ from the sum.');
  return lines.join('\n');
}

function itemJson(item: LineItem) {
  return {
    item: item.item,
    resource: item.resource,
    path: item.path,
    type: item.type,
    stack: item.stack,
    baseline: round4(item.baseline),
    peak: round4(item.peak),
    detail: item.detail,
  };
}

/** The machine-readable report (`--json`). */
export function toJson(reports: readonly ProfileReport[], prices: PriceTable): unknown {
  return {
    prices: { file: prices.file, region: prices.region, compiled: prices.compiled, hoursPerMonth: prices.hoursPerMonth, currency: 'USD' },
    profiles: reports.map((report) => {
      const e = report.estimate;
      return {
        profile: e.profile,
        templates: e.templates,
        baseline: round4(e.baseline),
        peak: round4(e.peak),
        budgetUsd: report.budgetUsd ?? null,
        withinBudget: withinBudget(report),
        templateBudgetUsd: e.templateBudgetUsd ?? null,
        tiers: e.tiers.map((tier) => ({
          tier: tier.tier,
          baseline: round4(tier.baseline),
          peak: round4(tier.peak),
          items: tier.items.map(itemJson),
        })),
        unpriced: e.unpriced,
        free: e.free,
        usage: Object.fromEntries(
          Object.entries(report.usage).map(([key, a]) => [key, { baseline: a.baseline, peak: a.peak, unit: a.unit, from: a.from }]),
        ),
        ...(report.comparison
          ? {
              comparison: {
                rightSized: report.comparison.rightSized,
                handWritten: report.comparison.handWritten,
                saving: report.comparison.saving,
                rules: report.comparison.rules,
              },
            }
          : {}),
      };
    }),
  };
}

const dollars = (n: number) => `$${n.toFixed(2)}`;
/** What a default adds (+) or, where our choice costs more for a reason, saves (−). */
const signedDollars = (n: number) => (n < 0 ? `−${dollars(-n)}` : `+${dollars(n)}`);

/**
 * The README's cost tables (`--markdown`): each profile's totals and tiers, and the --compare
 * saving with what each default adds alone. Paste the output into README.md's Cost section.
 */
export function renderMarkdown(reports: readonly ProfileReport[]): string {
  const names = reports.map((r) => r.estimate.profile);
  const perProfile = (first: string): Column[] => [{ header: first }, ...names.map((header) => ({ header, align: 'right' as const }))];
  const tables = [
    markdownTable(
      [
        { header: 'profile' },
        ...['baseline', 'peak', 'budget (`cost.monthlyBudgetUsd`)', 'unpriced'].map((header) => ({ header, align: 'right' as const })),
      ],
      reports.map((r) => [
        r.estimate.profile,
        dollars(r.estimate.baseline),
        dollars(r.estimate.peak),
        r.budgetUsd === undefined ? '-' : dollars(r.budgetUsd),
        String(r.estimate.unpriced.length),
      ]),
    ),
  ];
  const tiers = [...new Set(reports.flatMap((r) => r.estimate.tiers.map((t) => t.tier)))];
  tables.push(
    markdownTable(
      perProfile('tier (baseline / peak)'),
      tiers.map((tier) => [
        tier,
        ...reports.map((r) => {
          const t = r.estimate.tiers.find((x) => x.tier === tier);
          return t ? `${dollars(t.baseline)} / ${dollars(t.peak)}` : '-';
        }),
      ]),
    ),
  );
  const comparisons = reports.flatMap((r) => (r.comparison ? [r.comparison] : []));
  if (comparisons.length === reports.length) {
    tables.push(
      markdownTable(perProfile('baseline, USD a month'), [
        ['right-sized (this stack)', ...comparisons.map((c) => dollars(c.rightSized.baseline))],
        ['hand-written defaults', ...comparisons.map((c) => dollars(c.handWritten.baseline))],
        [
          '**saving**',
          ...comparisons.map(
            (c) =>
              `**${dollars(c.saving.baseline)}**${c.handWritten.baseline > 0 ? ` (${Math.round((100 * c.saving.baseline) / c.handWritten.baseline)} %)` : ''}`,
          ),
        ],
        ...comparisons[0].rules.map((rule, i) => [`↳ ${rule.title}, alone`, ...comparisons.map((c) => signedDollars(c.rules[i].saving.baseline))]),
      ]),
    );
  }
  return tables.join('\n\n');
}
