import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetProductsCommand, PricingClient, type GetProductsCommandInput } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import { parseProduct, priceFrom, queryFor, usagetypeMatches } from '../../../tools/cost/price-list';
import { loadPriceTable } from '../../../tools/cost/prices';
import { formatPriceTable, main, pythonFloat } from '../../../tools/cost/refresh-prices';

// The Price List API answers below are hand-made from the documented GetProducts response shape
// (fixtures/price-list/*.json say so in their $comment); no AWS account was asked.
const RECORDED = path.join(__dirname, 'fixtures', 'price-list');
const TABLE = path.join(__dirname, '..', '..', '..', 'lib', 'core', 'prices', 'prices-us-east-1.json');
const answer = (name: string) => JSON.parse(fs.readFileSync(path.join(RECORDED, `${name}.json`), 'utf8'));
const firstProduct = (name: string) => parseProduct(answer(name).PriceList[0])!;

/** Which hand-made answer GetProducts gives for a request; anything else has no product. */
function route(input: GetProductsCommandInput): unknown {
  const filter = (field: string) => input.Filters?.find((f) => f.Field === field)?.Value;
  const region = filter('regionCode');
  if (input.ServiceCode === 'AmazonEC2' && filter('productFamily') === 'NAT Gateway')
    return answer(region === 'eu-west-1' ? 'nat-gateway-eu-west-1' : 'nat-gateway');
  if (region !== 'us-east-1') return { PriceList: [] };
  if (input.ServiceCode === 'AmazonEC2' && filter('instanceType') === 't4g.nano') return answer('ec2-t4g-nano');
  if (input.ServiceCode === 'AmazonRDS' && filter('instanceType') === 'db.t4g.micro' && filter('deploymentOption') === 'Single-AZ') {
    return answer(
      input.NextToken === 'rds-postgres-t4g-micro-single-az-page-2' ? 'rds-postgres-t4g-micro-single-az.page2' : 'rds-postgres-t4g-micro-single-az',
    );
  }
  if (input.ServiceCode === 'AmazonElastiCache' && filter('instanceType') === 'cache.t4g.micro' && filter('cacheEngine') === 'Valkey')
    return answer('elasticache-valkey-t4g-micro-ambiguous');
  if (input.ServiceCode === 'AmazonECS') return answer('fargate');
  return { PriceList: [] };
}

const pricing = mockClient(PricingClient);
const requests: GetProductsCommandInput[] = [];
beforeEach(() => {
  pricing.reset();
  requests.length = 0;
  pricing.on(GetProductsCommand).callsFake(async (input: GetProductsCommandInput) => {
    requests.push(input);
    return route(input);
  });
});

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-prices-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, { today: () => '2026-12-03' });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ONLY =
  'ec2.t4g.nano,natGateway.,rds.postgres.db.t4g.micro.singleAz,elasticache.valkey.cache.t4g.micro,fargate.x86,fargate.arm,cloudwatch.dashboard';

describe('queries: which products a key of the table stands for', () => {
  test.each([
    [
      'ec2.t4g.nano.hour',
      {
        serviceCode: 'AmazonEC2',
        unit: 'Hrs',
        filters: {
          productFamily: 'Compute Instance',
          instanceType: 't4g.nano',
          operatingSystem: 'Linux',
          tenancy: 'Shared',
          preInstalledSw: 'NA',
          capacitystatus: 'Used',
        },
      },
    ],
    [
      'rds.postgres.db.r7g.large.multiAz.hour',
      {
        serviceCode: 'AmazonRDS',
        unit: 'Hrs',
        filters: { productFamily: 'Database Instance', instanceType: 'db.r7g.large', databaseEngine: 'PostgreSQL', deploymentOption: 'Multi-AZ' },
      },
    ],
    [
      'rds.postgres.storage.gp3.multiAz.gbMonth',
      {
        serviceCode: 'AmazonRDS',
        unit: 'GB-Mo',
        usagetype: 'RDS:Multi-AZ-GP3-Storage',
        filters: { productFamily: 'Database Storage', volumeType: 'General Purpose-GP3', databaseEngine: 'Any', deploymentOption: 'Multi-AZ' },
      },
    ],
    [
      'elasticache.valkey.cache.r7g.large.hour',
      {
        serviceCode: 'AmazonElastiCache',
        unit: 'Hrs',
        filters: { productFamily: 'Cache Instance', instanceType: 'cache.r7g.large', cacheEngine: 'Valkey' },
      },
    ],
    ['fargate.arm.vcpuHour', { serviceCode: 'AmazonECS', usagetype: 'Fargate-ARM-vCPU-Hours:perCPU', filters: { productFamily: 'Compute' } }],
    [
      'natGateway.dataProcessed.gb',
      { serviceCode: 'AmazonEC2', unit: 'GB', usagetype: 'NatGateway-Bytes', filters: { productFamily: 'NAT Gateway' } },
    ],
  ])('%s', (key, expected) => {
    expect(queryFor(key)).toEqual({ key, ...expected });
  });

  test.each(['fargate.spot.x86.vcpuHour.estimate', 'cloudwatch.dashboard.month', 'rds.postgres.storage.gp2.singleAz.gbMonth'])(
    '%s has no query: its figure comes from elsewhere',
    (key) => {
      expect(queryFor(key)).toBeUndefined();
    },
  );

  test('a usage type matches with or without its region prefix, and nothing longer', () => {
    expect(usagetypeMatches('NatGateway-Hours', 'NatGateway-Hours')).toBe(true);
    expect(usagetypeMatches('EUW1-NatGateway-Hours', 'NatGateway-Hours')).toBe(true);
    expect(usagetypeMatches('EU-NatGateway-Hours', 'NatGateway-Hours')).toBe(true);
    expect(usagetypeMatches('USE1-Fargate-ARM-vCPU-Hours:perCPU', 'Fargate-vCPU-Hours:perCPU')).toBe(false);
    expect(usagetypeMatches('USE1-SpotUsage-Fargate-vCPU-Hours:perCPU', 'Fargate-vCPU-Hours:perCPU')).toBe(false);
  });
});

describe('reading an answer', () => {
  test('a product: its SKU, usage type and the first tier of its on-demand price; reserved terms are not read', () => {
    expect(firstProduct('ec2-t4g-nano')).toEqual({
      sku: 'HANDMADE00000001',
      usagetype: 'BoxUsage:t4g.nano',
      publicationDate: '2026-11-01T00:00:00Z',
      dimensions: [{ unit: 'Hrs', usd: 0.0042, description: '$0.0042 per Hrs (hand-made)' }],
    });
  });

  test('what is not a product in the documented shape is skipped', () => {
    expect(parseProduct('{not json')).toBeUndefined();
    expect(parseProduct({ serviceCode: 'AmazonEC2' })).toBeUndefined();
  });

  test('the usage type picks the product among its neighbours (ARM next to x86, ephemeral storage next to memory)', () => {
    const products = answer('fargate').PriceList.map(parseProduct);
    expect(priceFrom(queryFor('fargate.x86.vcpuHour')!, products)).toMatchObject({ ok: true, usd: 0.04048 });
    expect(priceFrom(queryFor('fargate.arm.vcpuHour')!, products)).toMatchObject({ ok: true, usd: 0.03238 });
    expect(priceFrom(queryFor('fargate.x86.gbHour')!, products)).toMatchObject({ ok: true, usd: 0.004445 });
    expect(priceFrom(queryFor('fargate.arm.gbHour')!, products)).toMatchObject({ ok: true, usd: 0.00356 });
  });

  test('two products at two prices are ambiguous, and no product is no price', () => {
    const products = answer('elasticache-valkey-t4g-micro-ambiguous').PriceList.map(parseProduct);
    const query = queryFor('elasticache.valkey.cache.t4g.micro.hour')!;
    expect(priceFrom(query, products)).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^ambiguous: SKU HANDMADE\d+ \(NodeUsage:cache\.t4g\.micro\) \$0\.0128\/Hrs, SKU HANDMADE\d+ \(NodeUsage:cache\.t4g\.micro-Outposts\) \$0\.02\/Hrs$/,
      ),
    });
    expect(priceFrom(query, [])).toEqual({ ok: false, reason: 'no product matches' });
  });

  test("a price in another unit than the query's is not taken", () => {
    const nat = answer('nat-gateway').PriceList.map(parseProduct);
    expect(priceFrom({ ...queryFor('natGateway.hour')!, unit: 'GB' }, nat)).toEqual({
      ok: false,
      reason: 'no on-demand price in GB (units found: Hrs)',
    });
  });
});

describe('writing the table as it is written today', () => {
  test.each([
    [15, '15.0'],
    [0.0042, '0.0042'],
    [1.33334e-5, '1.33334e-05'],
    [3.09e-8, '3.09e-08'],
    [0.0001, '0.0001'],
    [91.25, '91.25'],
    [1e16, '1e+16'],
    [0, '0.0'],
  ])('pythonFloat(%s) = %s', (n, text) => {
    expect(pythonFloat(n)).toBe(text);
  });

  test('the shipped table reads and writes back byte for byte, so a refresh changes only the lines it refreshes', () => {
    const text = fs.readFileSync(TABLE, 'utf8');
    expect(`${formatPriceTable(JSON.parse(text))}\n`).toBe(text);
  });
});

describe('npm run prices:refresh', () => {
  test('refreshes the queried keys from the answers, keeps every other figure, and writes the table in its own format', async () => {
    // GIVEN a copy of the shipped table
    const file = path.join(scratch, 'us', 'prices-us-east-1.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(TABLE, file);
    // WHEN
    const { code, out } = await run(['--prices', file, '--only', ONLY]);
    // THEN
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'Price List API, us-east-1: 1 price(s) changed, 7 confirmed, 1 not found, 1 not queried',
      expect.stringMatching(/^ {2}changed {3}rds\.postgres\.db\.t4g\.micro\.singleAz\.hour: 0\.016 -> 0\.017 \(SKU HANDMADE\d+\)$/),
      expect.stringMatching(/^ {2}not found elasticache\.valkey\.cache\.t4g\.micro\.hour: ambiguous: .*; kept as it was$/),
      '  not queried (estimates or figures from pricing pages; see PRICES.md): cloudwatch.dashboard.month',
      `Wrote ${file}.`,
    ]);
    const before = JSON.parse(fs.readFileSync(TABLE, 'utf8'));
    const after = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(after.compiled).toBe('2026-12-03');
    expect(after.origin).toBe(
      `refreshed from the AWS Price List API (GetProducts, us-east-1) on 2026-12-03: 8 of ${Object.keys(before.prices).length} prices; the others as before: ${before.origin}`,
    );
    const rds = after.prices['rds.postgres.db.t4g.micro.singleAz.hour'];
    expect(rds).toEqual({
      ...before.prices['rds.postgres.db.t4g.micro.singleAz.hour'],
      usd: 0.017,
      note: expect.stringMatching(
        /^asOf=2026-12-03 \(AWS Price List API GetProducts, AmazonRDS in us-east-1: SKU HANDMADE\d+, usagetype InstanceUsage:db\.t4g\.micro, per Hrs, price list published 2026-11-01\)\. confidence=high\. Earlier: /,
      ),
    });
    expect(rds.note.endsWith(`Earlier: ${before.prices['rds.postgres.db.t4g.micro.singleAz.hour'].note}`)).toBe(true);
    expect(after.prices['natGateway.hour'].note).toMatch(
      /^asOf=2026-12-03 \(AWS Price List API GetProducts, AmazonEC2 in us-east-1: SKU HANDMADE\d+, usagetype NatGateway-Hours, per Hrs/,
    );
    // an ambiguous answer and a key without a query keep their entry as it was
    expect(after.prices['elasticache.valkey.cache.t4g.micro.hour']).toEqual(before.prices['elasticache.valkey.cache.t4g.micro.hour']);
    expect(after.prices['cloudwatch.dashboard.month']).toEqual(before.prices['cloudwatch.dashboard.month']);
    // every key, unit and source is kept; the table still loads
    expect(Object.keys(after.prices)).toEqual(Object.keys(before.prices));
    for (const key of Object.keys(before.prices))
      expect([after.prices[key].unit, after.prices[key].source]).toEqual([before.prices[key].unit, before.prices[key].source]);
    expect(loadPriceTable(file).usd('rds.postgres.db.t4g.micro.singleAz.hour')).toBe(0.017);
    // the pages of an answer are followed
    expect(requests.filter((r) => r.ServiceCode === 'AmazonRDS').map((r) => r.NextToken)).toEqual([
      undefined,
      'rds-postgres-t4g-micro-single-az-page-2',
    ]);
    expect(requests[0]).toMatchObject({
      FormatVersion: 'aws_v1',
      MaxResults: 100,
      Filters: expect.arrayContaining([{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' }]),
    });

    // AND a second refresh replaces its own note instead of stacking another
    await run(['--prices', file, '--only', ONLY]);
    const again = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(again.prices['rds.postgres.db.t4g.micro.singleAz.hour'].note.match(/Earlier: /g)).toHaveLength(1);
    expect(again.origin.match(/refreshed from the AWS Price List API/g)).toHaveLength(1);
  });

  test("another region: a table of its own beside the first, each figure not refreshed marked as the first region's", async () => {
    const file = path.join(scratch, 'eu', 'prices-us-east-1.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(TABLE, file);
    const { code, out } = await run(['--prices', file, '--region', 'eu-west-1', '--only', 'natGateway.,alb.hour']);
    expect(code).toBe(0);
    const written = path.join(scratch, 'eu', 'prices-eu-west-1.json');
    expect(out.split('\n').pop()).toBe(`Wrote ${written}.`);
    const eu = JSON.parse(fs.readFileSync(written, 'utf8'));
    expect(eu.region).toBe('eu-west-1');
    expect(eu.prices['natGateway.hour'].usd).toBe(0.048);
    expect(eu.prices['natGateway.hour'].note).toMatch(/usagetype EU-NatGateway-Hours/);
    expect(eu.prices['alb.hour'].note).toMatch(
      /^asOf=2026-12-03 NOT refreshed for eu-west-1: us-east-1's figure, kept as it was \(the Price List API gave no single price\)\. confidence=low\. Earlier: asOf=2024-07/,
    );
    expect(eu.prices['rds.postgres.db.t4g.micro.singleAz.hour'].note).toMatch(
      /^asOf=2026-12-03 NOT refreshed for eu-west-1: us-east-1's figure, kept as it was \(not selected by --only\)\. confidence=low\. Earlier: /,
    );
    // the us-east-1 table is untouched
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(TABLE, 'utf8'));
  });

  test('--dry-run writes nothing', async () => {
    const file = path.join(scratch, 'dry', 'prices-us-east-1.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(TABLE, file);
    const { code, out } = await run(['--prices', file, '--only', 'rds.postgres.db.t4g.micro.singleAz', '--dry-run']);
    expect(code).toBe(0);
    expect(out.split('\n').pop()).toBe('Dry run: nothing written.');
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(TABLE, 'utf8'));
  });

  test('without credentials: exit 1, saying what is needed, and nothing written', async () => {
    pricing
      .on(GetProductsCommand)
      .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const file = path.join(scratch, 'nocreds', 'prices-us-east-1.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(TABLE, file);
    const { code, err } = await run(['--prices', file, '--only', 'natGateway.']);
    expect(code).toBe(1);
    expect(err).toBe(
      'prices:refresh: no AWS credentials (Could not load credentials from any providers); the Price List API needs an identity allowed pricing:GetProducts ' +
        '(set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Nothing was written.',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(TABLE, 'utf8'));
  });

  test("access denied: exit 1 with AWS's words", async () => {
    pricing
      .on(GetProductsCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: pricing:GetProducts'), { name: 'AccessDeniedException' }));
    const { code, err } = await run(['--prices', TABLE, '--only', 'natGateway.', '--dry-run']);
    expect(code).toBe(1);
    expect(err).toBe(
      'prices:refresh: the Price List API refused: AccessDeniedException: User is not authorized to perform: pricing:GetProducts. Nothing was written.',
    );
  });

  test.each([
    [['--region', 'Ireland'], "prices:refresh: --region 'Ireland' is not an AWS region name such as 'us-east-1' or 'eu-west-1'"],
    [['--only', 'rds.,nosuch.'], "prices:refresh: --only 'nosuch.' matches no key of "],
    [
      ['--prices', '/no/such/table.json'],
      'prices:refresh: price table /no/such/table.json not found; restore lib/core/prices/prices-us-east-1.json or pass --prices <file>',
    ],
  ])('bad input %j: exit 2, one message', async (argv, message) => {
    const { code, err } = await run([...argv, '--dry-run']);
    expect(code).toBe(2);
    expect(err.startsWith(message)).toBe(true);
    expect(requests).toEqual([]);
  });
});
