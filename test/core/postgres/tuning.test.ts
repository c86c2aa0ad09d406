import { ADMIN_RESERVED_CONNECTIONS } from '../../../lib/core/database';
import { prod, dev, profileConnectionDemand, tunePostgresParameters, type PostgresTuning } from '../../../lib';
import { POSTGRES_SETTINGS } from '../../../lib/core/postgres/settings';
import { parameterValues } from '../../../lib/core/postgres/tuning';

// GIVEN the worst-case sessions of the dev and prod profiles (pools at their maximum + admin reserve)
const devHints = { expectedConnections: profileConnectionDemand(dev) + ADMIN_RESERVED_CONNECTIONS, allocatedStorageGiB: 20 };
const prodHints = { expectedConnections: profileConnectionDemand(prod) + ADMIN_RESERVED_CONNECTIONS, allocatedStorageGiB: 100 };

// WHEN the parameters are computed for four sizes
const micro = tunePostgresParameters('db.t4g.micro', devHints); // 2 vCPUs, 1 GiB
const large = tunePostgresParameters('db.r7g.large', prodHints); // 2 vCPUs, 16 GiB
const xlarge = tunePostgresParameters('db.r7g.xlarge', prodHints); // 4 vCPUs, 32 GiB
const m4xlarge = tunePostgresParameters('db.m7g.4xlarge', prodHints); // 16 vCPUs, 64 GiB

const value = (tuning: PostgresTuning, name: string) => parameterValues(tuning.parameters)[name];

// THEN every number below was worked out by hand from the rule in its row.
describe('tunePostgresParameters', () => {
  test("the hints are the profiles' worst cases: dev 2×5 + 2×2 + 1 + 1 + 10, prod 30×10 + 20×2 + 1 + 1 + 10", () => {
    expect(devHints.expectedConnections).toBe(26);
    expect(prodHints.expectedConnections).toBe(352);
  });

  test('memory settings start from DBInstanceClassMemory, not the nominal memory', () => {
    // 1 GiB − the ~244 MB RDS keeps = 818239488 bytes; 16 GiB → 16619625295 bytes
    expect(micro.engineMemoryBytes).toBe(818239488);
    expect(large.engineMemoryBytes).toBe(16619625295);
  });

  test.each([
    // [parameter, micro, r7g.large, r7g.xlarge, rule]
    [
      'shared_buffers',
      '24970',
      '507190',
      '1023303',
      '25% of DBInstanceClassMemory in 8 kB pages (RDS {DBInstanceClassMemory/32768}): 818239488/32768 = 24970.7, 16619625295/32768 = 507190.7',
    ],
    ['effective_cache_size', '74912', '1521572', '3069909', '75% of DBInstanceClassMemory in 8 kB pages: 818239488×3/4/8192 = 74912.1'],
    [
      'work_mem',
      '6843',
      '10566',
      '10659',
      '(DBInstanceClassMemory − shared_buffers − maintenance_work_mem) in kB / (sessions × 3) / workers per gather: (818239488 − 204559872 − 67108864)/1024/78/1 = 6843.1, 11158196/1056/1 = 10566.5',
    ],
    [
      'maintenance_work_mem',
      '65536',
      '1014381',
      '2046606',
      'DBInstanceClassMemory/16 in kB within 64 MB–2 GB: 49941 → 64 MB, 16619625295/16/1024 = 1014381.4',
    ],
    ['max_connections', '85', '1743', '3518', 'RDS default LEAST(DBInstanceClassMemory/9531392, 5000): 818239488/9531392 = 85.8, 1743.7, 3518.0'],
    ['max_worker_processes', '8', '8', '8', 'max(8, vCPUs)'],
    ['max_parallel_workers', '2', '2', '4', 'one per vCPU'],
    ['max_parallel_workers_per_gather', '1', '1', '2', 'min(4, ceil(vCPUs/2))'],
    ['max_parallel_maintenance_workers', '1', '1', '2', 'min(4, ceil(vCPUs/2))'],
    ['max_wal_size', '2048', '8192', '8192', 'min(8 GB, 10% of storage) in MB, at least 1 GB: 20 GiB → 2048, 100 GiB → 10240 capped to 8192'],
    ['min_wal_size', '512', '2048', '2048', 'max_wal_size / 4'],
    ['autovacuum_max_workers', '3', '3', '3', 'max(3, vCPUs/2)'],
    ['random_page_cost', '1.1', '1.1', '1.1', 'SSD (gp3)'],
    ['effective_io_concurrency', '200', '200', '200', 'SSD (gp3)'],
    ['checkpoint_timeout', '900', '900', '900', '15 minutes in seconds'],
    ['idle_in_transaction_session_timeout', '60000', '60000', '60000', '1 minute in ms'],
    ['log_min_duration_statement', '250', '250', '250', 'the 250 ms slow-query threshold'],
    ['auto_explain.log_min_duration', '250', '250', '250', 'plans of statements over the slow-query threshold'],
    [
      'shared_preload_libraries',
      'pg_stat_statements,auto_explain',
      'pg_stat_statements,auto_explain',
      'pg_stat_statements,auto_explain',
      'statement statistics and slow plans',
    ],
    ['rds.force_ssl', '1', '1', '1', 'TLS required'],
  ])('%s: micro %s, r7g.large %s, r7g.xlarge %s (rule: %s)', (name, expectedMicro, expectedLarge, expectedXlarge) => {
    expect([value(micro, name), value(large, name), value(xlarge, name)]).toEqual([expectedMicro, expectedLarge, expectedXlarge]);
  });

  test('16 vCPUs and 64 GiB hit the caps: 5000 connections, 2 GB maintenance_work_mem, 4 workers per gather, 8 autovacuum workers', () => {
    expect(value(m4xlarge, 'max_connections')).toBe('5000'); // LEAST(67355553580/9531392 = 7066, 5000)
    expect(value(m4xlarge, 'maintenance_work_mem')).toBe('2097152'); // ~62.7 GiB/16 = 3.9 GB, capped at 2 GB
    expect(value(m4xlarge, 'max_parallel_workers_per_gather')).toBe('4'); // min(4, 16/2)
    expect(value(m4xlarge, 'max_worker_processes')).toBe('16'); // max(8, 16)
    expect(value(m4xlarge, 'autovacuum_max_workers')).toBe('8'); // max(3, 16/2)
    expect(m4xlarge.maxConnections).toBe(5000);
  });

  test('work_mem never drops below 64 kB nor exceeds 256 MB', () => {
    const crowded = tunePostgresParameters('db.t4g.micro', { expectedConnections: 100_000, allocatedStorageGiB: 20 });
    const empty = tunePostgresParameters('db.r7g.16xlarge', { expectedConnections: 1, allocatedStorageGiB: 20 });
    expect(value(crowded, 'work_mem')).toBe('64');
    expect(value(empty, 'work_mem')).toBe('262144');
  });

  test('the slow-query threshold comes from the hints', () => {
    const tuning = tunePostgresParameters('db.t4g.micro', { ...devHints, slowQueryMs: 1000 });
    expect(value(tuning, 'log_min_duration_statement')).toBe('1000');
    expect(value(tuning, 'auto_explain.log_min_duration')).toBe('1000');
  });

  test('every parameter names its rule and a source', () => {
    for (const p of large.parameters) {
      expect(p.rule.length).toBeGreaterThan(10);
      expect(p.source).toMatch(/^https:\/\//);
    }
  });

  test('reboot flags match PostgreSQL: exactly the postmaster-context parameters need a restart', () => {
    for (const p of large.parameters) {
      const context = POSTGRES_SETTINGS[p.name]?.context;
      expect({ name: p.name, requiresReboot: p.requiresReboot }).toEqual({ name: p.name, requiresReboot: context === 'postmaster' });
    }
    expect(
      large.parameters
        .filter((p) => p.requiresReboot)
        .map((p) => p.name)
        .sort(),
    ).toEqual([
      'autovacuum_max_workers',
      'max_connections',
      'max_worker_processes',
      'shared_buffers',
      'shared_preload_libraries',
      'track_activity_query_size',
    ]);
  });

  test('only rds.* parameters are marked RDS-only, and every name is a known PostgreSQL 17 setting', () => {
    expect(large.parameters.filter((p) => p.rdsOnly).map((p) => p.name)).toEqual(['rds.force_ssl', 'rds.log_retention_period']);
    for (const p of large.parameters) expect(POSTGRES_SETTINGS[p.name]).toBeDefined();
  });

  test('an unknown instance class is an error that lists the known classes by family', () => {
    expect(() => tunePostgresParameters('db.m5.large', devHints)).toThrow(
      "tunePostgresParameters: instanceClass ('db.m5.large') is not a Graviton DB instance class this library knows; known classes: db.t4g.{micro,small,medium,large,xlarge,2xlarge}, db.m6g.{large,xlarge,2xlarge,4xlarge,8xlarge,12xlarge,16xlarge}",
    );
  });
});
