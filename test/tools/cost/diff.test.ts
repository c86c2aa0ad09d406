import * as path from 'node:path';
import { breachOf, diffEstimates, parseThreshold, type ProfileDiff } from '../../../tools/cost/diff';
import { itemLabel, renderBreach, renderDiffMarkdown, renderDiffText } from '../../../tools/cost/diff-report';
import { estimate } from '../../../tools/cost/estimate';
import { readTemplates } from '../../../tools/cost/template';
import { FIXTURES, prices, usage } from './fixture';

// fixtures/diff/{before,after}/dev: the after side adds a second NAT gateway with its Elastic IP,
// moves the database from db.t4g.micro to db.t4g.small, drops a secret, and keeps the cache and
// the queue as they were. staging is the same on both sides.
const DIFF = path.join(FIXTURES, 'diff');
const priced = (side: string, profile: string) => estimate(profile, readTemplates(path.join(DIFF, side, profile), 'fixture'), prices, usage);
const dev = diffEstimates(priced('before', 'dev'), priced('after', 'dev'));
const staging = diffEstimates(priced('before', 'staging'), priced('after', 'staging'));

const item = (diff: ProfileDiff, kind: string, label: string, where: string) => {
  const found = diff.items.filter((i) => i.kind === kind && itemLabel(i) === label && (i.path ?? i.resource) === where);
  if (found.length !== 1)
    throw new Error(
      `expected one ${kind} '${label}' at ${where}; items:\n${diff.items.map((i) => `${i.kind} ${itemLabel(i)} ${i.path}`).join('\n')}`,
    );
  return found[0];
};

describe('diffEstimates', () => {
  test('an added NAT gateway and its address are added line items at their full price', () => {
    // 730 h x $0.045 and 730 h x $0.005
    expect(item(dev, 'added', 'NAT gateway', 'Network/Vpc/PublicSubnet2/NATGateway').change).toEqual({
      baseline: expect.closeTo(32.85, 4),
      peak: expect.closeTo(32.85, 4),
    });
    expect(item(dev, 'added', 'Elastic IP (public IPv4)', 'Network/Vpc/PublicSubnet2/EIP').change.baseline).toBeCloseTo(3.65, 4);
  });

  test('a new instance class is one resized line item, from the old price to the new', () => {
    const rds = item(dev, 'resized', 'RDS PostgreSQL db.t4g.micro -> db.t4g.small Single-AZ', 'Database/Instance');
    // 730 h x $0.016 -> 730 h x $0.032
    expect(rds.before?.baseline).toBeCloseTo(11.68, 4);
    expect(rds.after?.baseline).toBeCloseTo(23.36, 4);
    expect(rds.change.baseline).toBeCloseTo(11.68, 4);
  });

  test('a charge shared between resources moves: the first gateway now processes half the NAT data', () => {
    // fixture usage: natGatewayDataGb 100 (baseline) / 200 (peak) at $0.045, split over the gateways
    const first = item(dev, 'resized', 'NAT data processing', 'Network/Vpc/PublicSubnet1/NATGateway');
    expect(first.change).toEqual({ baseline: expect.closeTo(-2.25, 4), peak: expect.closeTo(-4.5, 4) });
    expect(item(dev, 'added', 'NAT data processing', 'Network/Vpc/PublicSubnet2/NATGateway').change.baseline).toBeCloseTo(2.25, 4);
  });

  test('a removed resource takes every line item away', () => {
    expect(item(dev, 'removed', 'Secrets Manager secret', 'Database/AuditSecret').change.baseline).toBeCloseTo(-0.4, 4);
    expect(dev.items.filter((i) => i.kind === 'removed').map((i) => i.path)).toEqual(['Database/AuditSecret', 'Database/AuditSecret']);
  });

  test('unchanged line items are counted, not listed, and the totals are the sums of the changes', () => {
    expect(dev.items.map((i) => i.path)).not.toContain('Cache/ReplicationGroup');
    expect(dev.unchanged).toBe(6);
    const sum = dev.items.reduce((total, i) => total + i.change.baseline, 0);
    expect(dev.baseline.change).toBeCloseTo(sum, 6);
    expect(dev.baseline.after - dev.baseline.before).toBeCloseTo(dev.baseline.change, 6);
  });

  test('components: Network and Database changed, the rest did not', () => {
    const tiers = Object.fromEntries(dev.tiers.map((t) => [t.tier, Math.round(t.baseline.change * 100) / 100]));
    expect(tiers).toEqual({ Network: 36.5, Database: 11.23, Cache: 0, Worker: 0, 'Data transfer': 0 });
  });

  test('the same templates on both sides: no item changed, every item unchanged', () => {
    expect(staging.items).toEqual([]);
    expect(staging.unchanged).toBeGreaterThan(0);
    expect(staging.baseline.change).toBe(0);
  });

  test('line items are listed by the size of their baseline change', () => {
    const changes = dev.items.map((i) => Math.abs(i.change.baseline));
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
  });
});

describe('the review gate', () => {
  test.each([
    ['5%', { kind: 'percent', percent: 5, text: '5%' }],
    ['2.5 %', { kind: 'percent', percent: 2.5, text: '2.5%' }],
    ['25', { kind: 'usd', usd: 25, text: '$25.00' }],
    ['$12.50', { kind: 'usd', usd: 12.5, text: '$12.50' }],
    ['12.5 USD', { kind: 'usd', usd: 12.5, text: '$12.50' }],
  ])('--max-increase %s', (text, expected) => {
    expect(parseThreshold(text)).toEqual(expected);
  });

  test.each(['five', '5$%', '-5', '5 EUR', '', '%'])('--max-increase %j is neither an amount nor a percentage', (text) => {
    expect(parseThreshold(text)).toBeUndefined();
  });

  test('a rise past a percentage names the line items that raised the baseline, largest first', () => {
    const breach = breachOf(dev, parseThreshold('5%')!);
    expect(breach).toBeDefined();
    expect(breach!.allowedUsd).toBeCloseTo(dev.baseline.before * 0.05, 6);
    expect(renderBreach(breach!).split('\n')).toEqual([
      `profile dev: baseline rises $47.73 a month (+73.1 %), from $65.31 to $113.04, more than --max-increase 5% ($3.27 of $65.31). Raised by:`,
      '    +$   32.85  NAT gateway (Network/Vpc/PublicSubnet2/NATGateway, added)',
      '    +$   11.68  RDS PostgreSQL db.t4g.micro -> db.t4g.small Single-AZ (Database/Instance, resized)',
      '    +$    3.65  Elastic IP (public IPv4) (Network/Vpc/PublicSubnet2/EIP, added)',
      '    +$    2.25  NAT data processing (Network/Vpc/PublicSubnet2/NATGateway, added)',
    ]);
  });

  test('a rise within the threshold passes; the threshold is compared in cents', () => {
    expect(breachOf(dev, parseThreshold('50')!)).toBeUndefined();
    expect(breachOf(dev, parseThreshold(dev.baseline.change.toFixed(2))!)).toBeUndefined();
    expect(breachOf(dev, parseThreshold((dev.baseline.change - 0.01).toFixed(2))!)).toBeDefined();
  });

  test('no change passes any threshold, even 0%', () => {
    expect(breachOf(staging, parseThreshold('0%')!)).toBeUndefined();
  });
});

describe('rendering', () => {
  const sides = { before: 'HEAD~1 (9aa918afc319)', after: 'working tree' };

  test('text: totals, the changed components and every changed line item', () => {
    const text = renderDiffText(dev, sides, prices);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Cost difference of profile dev: HEAD~1 (9aa918afc319) -> working tree');
    expect(lines[1]).toBe(
      'USD a month at us-east-1 on-demand list prices (table of 2026-11-26), 730 h; usage assumptions in tools/cost/data/usage.json',
    );
    expect(text).toMatch(/\nbaseline\s+65\.31\s+113\.04\s+\+47\.73 {2}\(\+73\.1 %\)\n/);
    expect(text).toMatch(/\n {2}Network\s+41\.00\s+77\.50\s+\+36\.50\s+\+36\.50\n/);
    expect(text).toMatch(/\n {2}added {4}NAT gateway\s+Network\/Vpc\/PublicSubnet2\/NATGateway\s+\+32\.85\s+\+32\.85\n/);
    expect(text).toMatch(/\n {2}removed {2}Secrets Manager secret\s+Database\/AuditSecret\s+-0\.40\s+-0\.40\n/);
    expect(lines[lines.length - 1]).toBe('3 added, 2 removed, 2 resized; 6 line item(s) unchanged');
  });

  test('markdown: a summary row per profile, the details of the changed ones, a marker to find the comment', () => {
    const md = renderDiffMarkdown([dev, staging], sides, prices, [breachOf(dev, parseThreshold('5%')!)!]);
    expect(md.startsWith('<!-- cdk-scaling-stack:cost-diff -->\n\n### Monthly cost of this change\n')).toBe(true);
    expect(md).toContain('| dev | $65.31 | $113.04 | **+$47.73** (+73.1 %) | +$47.68 |');
    expect(md).toContain('| staging | $');
    expect(md).toMatch(/\| staging \| \$\d+\.\d\d \| \$\d+\.\d\d \| \$0\.00 \| \$0\.00 \|/);
    expect(md).toContain('<details><summary><b>dev</b>: +$47.73 baseline, +$47.68 peak (3 added, 2 removed, 2 resized)</summary>');
    expect(md).toContain('| added | NAT gateway | `Network/Vpc/PublicSubnet2/NATGateway` | +$32.85 | +$32.85 |');
    expect(md).toContain('| removed | Secrets Manager secret | `Database/AuditSecret` | −$0.40 | −$0.40 |');
    expect(md).toContain('> [!WARNING]\n> profile dev: baseline rises $47.73 a month');
    expect(md).not.toContain('<b>staging</b>');
  });

  test("a stack in another region gets a note that the prices are us-east-1's", () => {
    const elsewhere = { ...dev, templates: { before: dev.templates.before, after: [{ name: 'ScalingStack-dev', file: 'x', region: 'eu-west-1' }] } };
    expect(renderDiffText(elsewhere, sides, prices).split('\n')[2]).toBe(
      "note: ScalingStack-dev deploys to eu-west-1, but these are us-east-1 list prices (the price table of 2026-11-26); eu-west-1's prices differ. " +
        "For that region's own table: `npm run prices:refresh -- --region eu-west-1` (needs AWS credentials), then --prices lib/core/prices/prices-eu-west-1.json",
    );
  });
});
