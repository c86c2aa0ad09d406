import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, parseArgs } from '../../../tools/cost/cost';
import { FIXTURES } from './fixture';

/** Runs the CLI in-process, capturing what it prints. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function write(relative: string, content: unknown): string {
  const file = path.join(scratch, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A synth:all-shaped directory whose dev template holds `resources`. */
function cdkOut(name: string, resources: Record<string, unknown>): string {
  write(`${name}/dev/ScalingStack-dev.template.json`, { Resources: resources });
  return path.join(scratch, name);
}

const bigDatabase = {
  Db: {
    Type: 'AWS::RDS::DBInstance',
    Properties: { Engine: 'postgres', DBInstanceClass: 'db.r7g.xlarge', MultiAZ: true, StorageType: 'gp3', AllocatedStorage: '100' },
  },
  Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { Engine: 'valkey', CacheNodeType: 'cache.t4g.small', NumCacheClusters: 2 } },
  Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
};
const smallStack = { Queue: { Type: 'AWS::SQS::Queue', Properties: {} }, Role: { Type: 'AWS::IAM::Role', Properties: {} } };

describe('npm run cost -- --check', () => {
  test('a profile over its budget fails with exit 1, naming the biggest line items first', async () => {
    // GIVEN a dev template with a Multi-AZ db.r7g.xlarge (730 h x $0.956 = $697.88) against dev's $75
    const root = cdkOut('over', bigDatabase);
    // WHEN
    const { code, err } = await run('--templates', root, '--profile', 'dev', '--check');
    // THEN
    expect(code).toBe(1);
    expect(err).toMatch(
      /^cost check failed:\nprofile dev: baseline \$7\d\d\.\d\d a month is over its budget of \$75\.00 \(cost\.monthlyBudgetUsd in lib\/core\/profiles\/dev\.ts\) by \$\d+\.\d\d\. Biggest line items:/,
    );
    const items = err.split('\n').filter((l) => l.startsWith('    $'));
    expect(items[0]).toBe('    $  697.88  RDS PostgreSQL db.r7g.xlarge Multi-AZ (Db)');
    expect(items[1]).toBe('    $   37.38  ElastiCache Valkey cache.t4g.small (Cache)');
    expect(items[2]).toBe('    $   23.00  RDS gp3 storage (Db)');
  });

  test('a profile within its budget passes with exit 0', async () => {
    const { code, err } = await run('--templates', cdkOut('small', smallStack), '--profile', 'dev', '--check');
    expect(code).toBe(0);
    expect(err).toMatch(/^cost check passed: dev \$0\.\d\d <= \$75\.00$/);
  });

  test('an unpriced resource fails the check even under budget: the estimate could be low', async () => {
    const root = cdkOut('unpriced', { ...smallStack, Zone: { Type: 'AWS::Route53::HostedZone', Properties: { Name: 'example.com' } } });
    const { code, err } = await run('--templates', root, '--profile', 'dev', '--check');
    expect(code).toBe(1);
    expect(err).toContain(
      'profile dev: 1 item(s) could not be priced, so the estimate may be low:\n    AWS::Route53::HostedZone Zone: no pricer for AWS::Route53::HostedZone',
    );
  });

  test('without --check, being over budget is reported but exits 0', async () => {
    const { code, out } = await run('--templates', cdkOut('over2', bigDatabase), '--profile', 'dev');
    expect(code).toBe(0);
    expect(out).toMatch(/Budget \(cost\.monthlyBudgetUsd\): \$75\.00: baseline OVER budget by \$\d+\.\d\d/);
  });
});

describe('npm run cost -- output', () => {
  test('the table groups line items by tier, with baseline and peak columns and a total', async () => {
    const { code, out } = await run('--templates', path.join(FIXTURES, 'web.template.json'), '--profile', 'staging');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Profile staging: ${path.join(FIXTURES, 'web.template.json')}`);
    expect(lines[2]).toMatch(/^\s+baseline\s+peak$/);
    expect(lines[3]).toMatch(/^Web\s+\d+\.\d\d\s+\d+\.\d\d$/);
    expect(lines[4]).toMatch(/^ {2}Application Load Balancer\s+Alb\s+16\.43\s+16\.43$/);
    expect(out).toMatch(/\nTotal\s+\d+\.\d\d\s+\d+\.\d\d\n/);
    expect(out).toContain('Budget (cost.monthlyBudgetUsd): $300.00: baseline within budget');
  });

  test('--json: prices, and per profile the totals, budget, tiers of items, unpriced, free and the usage used', async () => {
    const { code, out } = await run('--templates', cdkOut('json', bigDatabase), '--profile', 'dev', '--json', '--compare');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.prices).toEqual({
      file: expect.stringMatching(/prices-us-east-1\.json$/),
      region: 'us-east-1',
      compiled: '2026-11-26',
      hoursPerMonth: 730,
      currency: 'USD',
    });
    expect(report.profiles).toHaveLength(1);
    const dev = report.profiles[0];
    expect(Object.keys(dev)).toEqual([
      'profile',
      'templates',
      'baseline',
      'peak',
      'budgetUsd',
      'withinBudget',
      'templateBudgetUsd',
      'tiers',
      'unpriced',
      'free',
      'usage',
      'comparison',
    ]);
    expect(dev).toMatchObject({ profile: 'dev', budgetUsd: 75, withinBudget: false, templateBudgetUsd: null, unpriced: [], free: [] });
    expect(dev.tiers.map((t: { tier: string }) => t.tier)).toEqual(['Database', 'Cache', 'Worker']);
    expect(dev.tiers[0].items[0]).toEqual({
      item: 'RDS PostgreSQL db.r7g.xlarge Multi-AZ',
      resource: 'Db',
      type: 'AWS::RDS::DBInstance',
      stack: 'ScalingStack-dev',
      baseline: 697.88,
      peak: 697.88,
      detail: '730 h x $0.956/h',
    });
    expect(dev.baseline).toBeCloseTo(
      dev.tiers.reduce((sum: number, t: { baseline: number }) => sum + t.baseline, 0),
      3,
    );
    expect(dev.usage.workerMessages).toEqual({ baseline: 100000, peak: 1000000, unit: expect.any(String), from: 'default' });
    expect(dev.comparison.rules.map((r: { id: string }) => r.id)).toEqual(['x86', 'redis', 'on-demand', 'nat-per-az', 'rds-class']);
  });

  test('--compare prints the saving of each default', async () => {
    const { code, out } = await run('--templates', path.join(FIXTURES, 'compare.template.json'), '--profile', 'dev', '--compare');
    expect(code).toBe(0);
    expect(out).toContain('Right-sizing measured: the same topology with the defaults a hand-written stack gets');
    expect(out).toMatch(/ {2}Redis OSS instead of Valkey\s+\+2\.34 \/ \+2\.34 {2}1 change\(s\)/);
  });

  test('--markdown prints the README tables: totals, tiers, and the saving with each default alone', async () => {
    // The fixture usage makes the saving the one compare.test.ts computes by hand.
    const { code, out } = await run(
      '--templates',
      path.join(FIXTURES, 'compare.template.json'),
      '--profile',
      'dev',
      '--usage',
      path.join(FIXTURES, 'usage.json'),
      '--markdown',
    );
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('| profile | baseline | peak | budget (`cost.monthlyBudgetUsd`) | unpriced |');
    expect(lines[2]).toMatch(/^\| dev \| \$\d+\.\d\d \| \$\d+\.\d\d \| \$75\.00 \| 0 \|$/);
    expect(out).toContain('| ↳ Redis OSS instead of Valkey, alone | +$2.34 |');
    expect(out).toMatch(/\| \*\*saving\*\* \| \*\*\$204\.25\*\* \(\d+ %\) \|/);
  });

  test('--markdown shows a default that is cheaper than our choice as a minus, not "+$-"', async () => {
    // db.r7g.xlarge Multi-AZ against CDK's default db.m5.large: the default costs less.
    const { code, out } = await run('--templates', cdkOut('markdown', bigDatabase), '--profile', 'dev', '--markdown');
    expect(code).toBe(0);
    expect(out).toMatch(/\| ↳ CDK's default RDS class \(db\.m5\.large\), alone \| −\$\d+\.\d\d \|/);
    expect(out).not.toContain('+$-');
  });

  test('all three profiles are priced from <templates>/<profile>/, with a summary', async () => {
    for (const profile of ['dev', 'staging', 'prod']) write(`all/${profile}/ScalingStack-${profile}.template.json`, { Resources: smallStack });
    const started = process.hrtime.bigint();
    const { code, out } = await run('--templates', path.join(scratch, 'all'));
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
    expect(code).toBe(0);
    expect(out).toMatch(/\nPriced dev, staging, prod in \d+\.\d\d s \(process start to finish\)\.$/);
    expect(out).toMatch(
      /profile\s+baseline\s+peak\s+budget {2}verdict\ndev\s+0\.\d\d\s+\d\.\d\d\s+75\.00 {2}within budget\nstaging.*\nprod\s.*1300\.00 {2}within budget/,
    );
  });

  test("the template's own budget differing from the profile's says the templates are stale", async () => {
    const root = cdkOut('stale', { Budget: { Type: 'AWS::Budgets::Budget', Properties: { Budget: { BudgetLimit: { Amount: 60, Unit: 'USD' } } } } });
    expect((await run('--templates', root, '--profile', 'dev')).out).toContain(
      "note: the template's AWS::Budgets::Budget is $60.00; the templates are older than the profile: re-run `npm run synth:all`",
    );
  });
});

describe('npm run cost -- bad input: one clear message and exit 2', () => {
  test.each([
    ['an unknown profile', ['--profile', 'qa'], "cost: --profile 'qa' is not a profile; valid profiles are dev, staging, prod"],
    [
      'a template path that does not exist',
      ['--templates', '/no/such/dir'],
      'cost: template path /no/such/dir does not exist; run `npm run synth:all` first, or pass --templates <path>',
    ],
    [
      'a missing price table',
      ['--prices', '/no/such/prices.json'],
      'cost: price table /no/such/prices.json not found; restore lib/core/prices/prices-us-east-1.json or pass --prices <file>',
    ],
    ['a missing usage file', ['--usage', '/no/such/usage.json'], 'cost: usage file /no/such/usage.json not found; check the path given to --usage'],
    ['an unknown option', ['--fast'], "cost: unknown option '--fast'"],
    ['an option without its value', ['--profile'], 'cost: --profile needs a value'],
  ])('%s', async (_what, argv, message) => {
    const { code, err, out } = await run(...argv);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(message);
    expect(out).toBe('');
  });

  test('a price table that is not JSON', async () => {
    const file = write('broken-prices.json', '{ "prices": ');
    const { code, err } = await run('--prices', file);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`^cost: price table ${file} is not valid JSON \\(.+\\); fix the file or restore it from git$`));
  });

  test('a price table with a negative price and a price without its source names both', async () => {
    const table = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../lib/core/prices/prices-us-east-1.json'), 'utf8'));
    table.prices['alb.hour'].usd = -1;
    delete table.prices['alb.lcuHour'].source;
    const { code, err } = await run('--prices', write('bad-prices.json', table));
    expect(code).toBe(2);
    expect(err).toBe(
      `cost: price table ${path.join(scratch, 'bad-prices.json')} is malformed; each price needs {usd (a number >= 0), unit, source}:\n` +
        '  - at prices.alb.hour.usd: Too small: expected number to be >=0\n' +
        '  - at prices.alb.lcuHour.source: Invalid input: expected string, received undefined',
    );
  });

  test('a negative usage assumption names the key', async () => {
    const file = write('negative.json', { profiles: { dev: { workerMessages: { peak: -5 } } } });
    const { code, err } = await run('--usage', file, '--profile', 'dev');
    expect(code).toBe(2);
    expect(err).toBe(
      `cost: usage file ${file} is invalid; give {"assumptions": {"<key>": number or {"baseline": n, "peak": n}}, "profiles": {"<profile>": {...}}}:\n` +
        '  - at profiles.dev.workerMessages.peak: must not be negative (it is a monthly amount)',
    );
  });

  test('an unknown usage key lists the valid ones', async () => {
    const { code, err } = await run('--usage', write('typo.json', { assumptions: { workerMesages: 5 } }));
    expect(code).toBe(2);
    expect(err).toMatch(/^cost: usage file .*typo\.json: assumptions\.workerMesages is not an assumption; valid keys are albLcu, albNodesPerAz, /);
  });

  test("a directory of one profile's templates needs --profile to know the budget", async () => {
    const { code, err } = await run('--templates', FIXTURES);
    expect(code).toBe(2);
    expect(err).toBe(
      `cost: template path ${FIXTURES} holds the templates of one profile; say which with --profile (dev, staging, prod), or point --templates at a directory of <profile>/ directories`,
    );
  });

  test('a file that is not a CloudFormation template', async () => {
    const { code, err } = await run('--templates', write('not-a-template.template.json', { hello: 1 }), '--profile', 'dev');
    expect(code).toBe(2);
    expect(err).toBe(
      `cost: template ${path.join(scratch, 'not-a-template.template.json')} has no Resources section; is it a CloudFormation template?`,
    );
  });
});

describe('parseArgs', () => {
  test('defaults: every profile from cdk.out, tables, no check', async () => {
    expect(parseArgs([])).toMatchObject({
      profiles: ['dev', 'staging', 'prod'],
      profileGiven: false,
      templates: 'cdk.out',
      json: false,
      check: false,
      compare: false,
    });
    expect((await run('--help')).out).toMatch(/^Usage: npm run cost -- \[options\]/);
  });
});
