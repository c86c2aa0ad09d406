import * as path from 'node:path';
import { gp3Included, replicationGroupNodes } from '../../../tools/cost/pricing/data';
import { UsageAssumptions } from '../../../tools/cost/usage';
import { expectUsd, FIXTURES, HOURS, line, linesOf, priceFixture } from './fixture';

describe('RDS pricing (fixtures/data.template.json)', () => {
  // GIVEN PostgreSQL instances of several shapes and a proxy
  // WHEN priced
  const result = priceFixture('data');
  const unpricedOf = (resource: string) => result.unpriced.filter((u) => u.resource === resource).map((u) => u.reason);

  test('Single-AZ db.t4g.micro: 730 h x $0.016; gp3 20 GiB, 50 GiB at peak (storage autoscaling) x $0.115', () => {
    expectUsd(line(result, 'SmallDb', 'RDS PostgreSQL db.t4g.micro Single-AZ'), 11.68);
    expectUsd(line(result, 'SmallDb', 'RDS gp3 storage'), 20 * 0.115, 50 * 0.115);
  });

  test('Performance Insights kept 93 days (3 months): 2 vCPU x ($1.50 + 2 x $0.0631)', () => {
    expectUsd(line(result, 'SmallDb', 'Performance Insights retention (3 month(s))'), 2 * (1.5 + 2 * 0.0631));
  });

  test('Multi-AZ db.r7g.large uses the Multi-AZ price ($0.478/h), and Multi-AZ storage ($0.23/GB)', () => {
    expectUsd(line(result, 'BigDb', 'RDS PostgreSQL db.r7g.large Multi-AZ'), 348.94);
    expectUsd(line(result, 'BigDb', 'RDS gp3 storage'), 400 * 0.23);
  });

  test('gp3 at 400 GiB includes 12,000 IOPS and 500 MiB/s; the rest bills at the Multi-AZ rates', () => {
    expectUsd(line(result, 'BigDb', 'gp3 IOPS above the included'), 3000 * 0.04);
    expectUsd(line(result, 'BigDb', 'gp3 throughput above the included'), 100 * 0.16);
    expect(gp3Included(399)).toEqual({ iops: 3000, mibps: 125 });
    expect(gp3Included(400)).toEqual({ iops: 12000, mibps: 500 });
  });

  test('Database Insights advanced: 2 vCPU x 730 h x $0.0125 (its 15-month retention is included, not billed again)', () => {
    expectUsd(line(result, 'BigDb', 'Database Insights (advanced)'), 18.25);
    expect(Object.keys(linesOf(result, 'BigDb')).some((item) => item.startsWith('Performance Insights'))).toBe(false);
  });

  test('Enhanced Monitoring every 60 s: 43,800 samples x 10 KB, ingested at $0.50 and kept a month at $0.03', () => {
    const gb = (43800 * 10) / (1024 * 1024);
    expectUsd(line(result, 'BigDb', 'Enhanced Monitoring (every 60 s)'), gb * (0.5 + 0.03));
  });

  test('exported logs: 1 / 2 GB ingested, kept for the 30 days of its LogRetention', () => {
    const perGb = 0.5 + (30 / (365 / 12)) * 0.03;
    expectUsd(line(result, 'BigDb', 'exported database logs'), 1 * perGb, 2 * perGb);
  });

  test("RDS Proxy: the target's 2 vCPU x 730 h x $0.015", () => {
    expectUsd(line(result, 'Proxy', 'RDS Proxy'), 21.9);
  });

  test('io1 storage is unpriced while the instance is priced', () => {
    expectUsd(line(result, 'IopsDb', 'RDS PostgreSQL db.t4g.small Single-AZ'), HOURS * 0.032);
    expect(unpricedOf('IopsDb')).toEqual(["storage type 'io1' is not in the price table (gp2 and gp3 only)"]);
  });

  test('a class missing from the table leaves the instance unpriced, never zero, and still prices its storage', () => {
    expect(unpricedOf('UnknownClassDb')).toEqual([
      "RDS PostgreSQL db.x2g.large Single-AZ: no price for db.x2g.large Single-AZ in the price table (key 'rds.postgres.db.x2g.large.singleAz.hour')",
    ]);
    expectUsd(line(result, 'UnknownClassDb', 'RDS gp2 storage'), 100 * 0.115);
  });

  test('an engine other than PostgreSQL is unpriced as a whole', () => {
    expect(unpricedOf('MysqlDb')).toEqual(["engine 'mysql' is not in the price table (RDS for PostgreSQL only)"]);
    expect(linesOf(result, 'MysqlDb')).toEqual({});
  });

  test('backups beyond the free allowance bill at $0.095/GB-month when the assumption is above 0', () => {
    const usage = UsageAssumptions.load().withOverrides(path.join(FIXTURES, 'usage.json')).forProfile('fixture');
    const more = priceFixture('data', { ...usage, rdsBackupGbBeyondFree: { ...usage.rdsBackupGbBeyondFree, baseline: 10, peak: 20 } });
    expectUsd(line(more, 'SmallDb', 'RDS backup storage'), 0.95, 1.9);
    expect(() => line(result, 'SmallDb', 'RDS backup storage')).toThrow(/found 0/);
  });
});

describe('ElastiCache pricing (fixtures/data.template.json)', () => {
  const result = priceFixture('data');

  test('Valkey primary + replica: 2 x 730 h x $0.0256, and 1 / 4 GB of snapshots at $0.085', () => {
    expectUsd(line(result, 'Valkey', 'ElastiCache Valkey cache.t4g.small'), 2 * HOURS * 0.0256);
    expectUsd(line(result, 'Valkey', 'ElastiCache snapshots'), 0.085, 0.34);
  });

  test('Redis OSS cluster mode: 2 shards x (1 replica + 1) = 4 nodes x $0.219', () => {
    expectUsd(line(result, 'RedisShards', 'ElastiCache Redis OSS cache.r7g.large'), 4 * HOURS * 0.219);
  });

  test('explicit node groups: (2 + 1) + (0 + 1) = 4 nodes', () => {
    expectUsd(line(result, 'ValkeyNodeGroups', 'ElastiCache Valkey cache.t4g.medium'), 4 * HOURS * 0.052);
  });

  test("node counts follow CloudFormation's defaults", () => {
    expect(replicationGroupNodes({})).toBe(1);
    expect(replicationGroupNodes({ NumCacheClusters: 3 })).toBe(3);
    expect(replicationGroupNodes({ NumNodeGroups: 3 })).toBe(3);
    expect(replicationGroupNodes({ NumCacheClusters: { Ref: 'Nodes' } })).toBeUndefined();
  });

  test('Memcached nodes cost what Redis OSS nodes cost', () => {
    expectUsd(line(result, 'Memcached', 'ElastiCache Redis OSS cache.t4g.micro'), 2 * HOURS * 0.016);
  });

  test('Serverless Valkey: never below the 100 MB minimum ($6.132), plus ECPUs at $0.0023/M', () => {
    expectUsd(line(result, 'Serverless', 'ElastiCache Serverless valkey storage'), 6.132, 2 * HOURS * 0.084);
    expectUsd(line(result, 'Serverless', 'ElastiCache Serverless valkey ECPUs'), 0.23, 2.3);
  });

  test('subnet and parameter groups are free', () => {
    expect(result.free.map((f) => f.type)).toEqual(
      expect.arrayContaining(['AWS::ElastiCache::SubnetGroup', 'AWS::RDS::DBSubnetGroup', 'AWS::RDS::DBProxyTargetGroup', 'Custom::LogRetention']),
    );
  });
});

describe('exported database logs and the log groups the template creates for them (fixtures/rds-logs.template.json)', () => {
  // GIVEN an instance exporting two log types, one to a log group of the template, and one whose
  // only exported log goes to a group named by a Ref; WHEN priced at 1 / 2 GB exported a month
  const result = priceFixture('rds-logs');
  const sevenDays = 7 / (365 / 12);

  test("a log type with its group in the template is priced there, with that group's retention: half of 1 / 2 GB, kept 7 days", () => {
    expectUsd(line(result, 'AppDbPostgresqlLog', 'log ingestion (standard)'), 0.5 * 0.5, 1 * 0.5);
    expectUsd(line(result, 'AppDbPostgresqlLog', 'log storage'), 0.5 * sevenDays * 0.03, 1 * sevenDays * 0.03);
  });

  test('the other type stays on the instance, at its share, kept as long as a group without retention: never counted twice', () => {
    expectUsd(line(result, 'AppDb', 'exported database logs'), 0.5 * (0.5 + 12 * 0.03), 1 * (0.5 + 12 * 0.03));
    expect(line(result, 'AppDb', 'exported database logs').detail).toContain('x 1 of 2 log types (the others are priced on their log groups)');
  });

  test('a group named by a Ref to the instance takes all of its export; the instance adds no line', () => {
    expectUsd(line(result, 'RefDbLog', 'log ingestion (standard)'), 1 * 0.5, 2 * 0.5);
    expect(Object.keys(linesOf(result, 'RefDb'))).not.toContain('exported database logs');
    expect(result.unpriced).toEqual([]);
  });
});
