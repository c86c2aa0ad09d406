import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CostInputError } from '../../../tools/cost/errors';
import { loadPriceTable, MissingPriceError } from '../../../tools/cost/prices';
import { DEFAULT_USAGE_FILE, USAGE_KEYS, UsageAssumptions } from '../../../tools/cost/usage';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-inputs-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
function write(name: string, content: unknown): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('the price table in the repo', () => {
  const table = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../lib/core/prices/prices-us-east-1.json'), 'utf8'));

  test('is dated, and every figure has a unit and a source page', () => {
    expect(table.compiled).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [key, price] of Object.entries<{ usd: number; unit: string; source: string }>(table.prices)) {
      expect({ key, source: price.source.startsWith('https://') }).toEqual({ key, source: true });
      expect(price.unit.length).toBeGreaterThan(0);
    }
  });

  test('a look-up of a key it lacks is a MissingPriceError naming the key', () => {
    const prices = loadPriceTable();
    expect(prices.usd('alb.hour')).toBe(0.0225);
    expect(() => prices.usd('ec2.m7i.large.hour', 'EC2 m7i.large')).toThrow(new MissingPriceError('ec2.m7i.large.hour', 'EC2 m7i.large'));
    expect(() => prices.rdsVcpus('db.x2g.large')).toThrow(
      "no price for the vCPU count of db.x2g.large in the price table (key 'rdsInstanceVcpus.db.x2g.large')",
    );
  });

  test('a table without a date or with an empty price list is refused', () => {
    const file = write('undated.json', { ...table, compiled: 'last week', prices: {} });
    expect(() => loadPriceTable(file)).toThrow(
      new CostInputError(
        `price table ${file} is malformed; each price needs {usd (a number >= 0), unit, source}:\n` +
          '  - at compiled: must be a date such as 2026-11-26\n' +
          '  - at prices: must hold at least one price',
      ),
    );
  });
});

describe('usage assumptions', () => {
  const defaults = UsageAssumptions.load();

  test('the shipped file states every assumption with its unit and reason', () => {
    const data = JSON.parse(fs.readFileSync(DEFAULT_USAGE_FILE, 'utf8'));
    expect(Object.keys(data.assumptions).sort()).toEqual([...USAGE_KEYS].sort());
    for (const [key, a] of Object.entries<{ unit: string; reason: string }>(data.assumptions)) {
      expect({ key, unit: a.unit.length > 3, reason: a.reason.length > 20 }).toEqual({ key, unit: true, reason: true });
    }
  });

  test("a profile's figures override the defaults, with their own reason where given; another profile keeps them", () => {
    const prod = defaults.forProfile('prod').albLcu;
    expect(prod).toMatchObject({ baseline: 3, peak: 30, from: 'profile prod' });
    expect(prod.reason).toMatch(/^An LCU is the largest of 25 new connections\/s/);
    const dev = defaults.forProfile('dev').albLcu;
    expect(dev).toMatchObject({ baseline: 0.1, peak: 2, from: 'profile dev' });
    expect(dev.reason).toMatch(/^A dev ALB serves developers and CI smoke tests\. 0\.1 LCU is 0\.1 GB\/h processed/);
    expect(defaults.forProfile('staging').albNodesPerAz).toMatchObject({ baseline: 1, peak: 1, from: 'default' });
  });

  test('--usage overrides on top: a number sets both figures, an object either one, per profile too', () => {
    const file = write('override.json', { assumptions: { albLcu: 7, workerMessages: { peak: 5 } }, profiles: { prod: { albLcu: { baseline: 9 } } } });
    const withFile = defaults.withOverrides(file);
    expect(withFile.forProfile('dev').albLcu).toMatchObject({ baseline: 7, peak: 7, from: file });
    expect(withFile.forProfile('dev').workerMessages).toMatchObject({ baseline: 100000, peak: 5 });
    expect(withFile.forProfile('prod').albLcu).toMatchObject({ baseline: 9, peak: 7 });
  });

  test('a shipped file lacking an assumption is refused, naming it', () => {
    const data = JSON.parse(fs.readFileSync(DEFAULT_USAGE_FILE, 'utf8'));
    delete data.assumptions.albLcu;
    const file = write('lacking.json', data);
    expect(() => UsageAssumptions.load(file)).toThrow(`usage assumptions ${file} lack albLcu; each needs {unit, baseline, peak, reason}`);
  });

  test('a negative figure in the shipped file is refused too', () => {
    const data = JSON.parse(fs.readFileSync(DEFAULT_USAGE_FILE, 'utf8'));
    data.assumptions.crossAzGb.baseline = -1;
    const file = write('negative-default.json', data);
    expect(() => UsageAssumptions.load(file)).toThrow(
      `usage assumptions ${file} are malformed:\n  - at assumptions.crossAzGb.baseline: must not be negative (it is a monthly amount)`,
    );
  });
});
