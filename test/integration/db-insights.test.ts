// The database insights worker against real PostgreSQL: a cluster of the test's own with
// pg_stat_statements preloaded (db-insights-postgres.ts), and the shared server on 127.0.0.1:5432,
// where the extension is not loaded.
import { Logger } from '@aws-lambda-powertools/logger';
import { Client } from 'pg';
import { createInsightsWorker, type InsightsWorker } from '../../lambda/db-insights/worker';
import type { SecretSource } from '../../lambda/shared/secrets';
import { captureOutput } from '../lambda/helpers';
import { startPrivatePostgres, type PrivatePostgres } from './db-insights-postgres';
import { createSchema, POSTGRES } from './helpers/postgres';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-insights-it';
/** The credentials the worker would read from Secrets Manager (trust auth ignores the password). */
const secrets: SecretSource = { get: async () => ({ username: 'postgres', password: 'unused' }), forget: () => undefined };

/** Runs the handler with its log and EMF lines captured (and returned). */
async function quietly(worker: InsightsWorker) {
  const output = captureOutput();
  try {
    return { ...(await worker.handler()), metrics: output.metrics() };
  } finally {
    output.restore();
  }
}

function env(port: number, database: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DB_HOST: '127.0.0.1',
    DB_PORT: String(port),
    DB_NAME: database,
    DB_SECRET_ARN: SECRET,
    PGSSLMODE: 'disable',
    POWERTOOLS_SERVICE_NAME: 'db-insights',
    POWERTOOLS_METRICS_NAMESPACE: 'CdkScalingStack/DatabaseInsights',
    INSIGHTS_DB_INSTANCE: 'it-db',
    ...extra,
  };
}

describe('with pg_stat_statements', () => {
  let server: PrivatePostgres;
  let client: Client;
  let worker: InsightsWorker;
  const query = 'SELECT count(*), sum(amount) FROM shop.orders WHERE customer_id = $1';

  beforeAll(async () => {
    server = await startPrivatePostgres(['pg_stat_statements']);
    client = new Client({ host: '127.0.0.1', port: server.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    await client.query('CREATE EXTENSION pg_stat_statements');
    await client.query('CREATE SCHEMA shop');
    await client.query(
      'CREATE TABLE shop.orders (id bigserial PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, amount numeric(10, 2) NOT NULL)',
    );
    await client.query(`INSERT INTO shop.orders (customer_id, status, amount)
      SELECT g % 5000, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'paid' END, (g % 997) / 10.0 FROM generate_series(1, 60000) g`);
    await client.query('ANALYZE shop.orders');
    // A slow, unindexed lookup, many times: each one reads the whole table.
    for (let i = 0; i < 40; i++) await client.query(query, [i * 7]);
    await flushStatistics();
    worker = createInsightsWorker({
      env: env(server.port, 'postgres', { INSIGHTS_SLOW_STATEMENT_MS: '1' }),
      secrets,
      logger: new Logger({ serviceName: 'db-insights', logLevel: 'ERROR' }),
    });
  });

  /** PostgreSQL 15 flushes a session's table counters at most once a second; the test cannot wait for that. */
  async function flushStatistics(): Promise<void> {
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1');
  }

  afterAll(async () => {
    await worker?.close();
    await client?.end();
    server?.stop();
  });

  test('names the slow query without its literals, the index candidate, and publishes the metrics', async () => {
    // GIVEN a literal-carrying statement too, to check that the report never shows values
    await client.query("SELECT relname FROM pg_class WHERE relname = 'secret-value'");
    await flushStatistics();
    const output = captureOutput();
    // WHEN
    let result;
    try {
      result = await worker.handler();
    } finally {
      output.restore();
    }
    // THEN
    const report = result.report!;
    expect(result.status).toBe('reported');
    expect(report.unavailable).toEqual([]);
    expect(report.statements!.byTotalTime.map((s) => s.query)).toContain(query);
    expect(report.statements!.byTotalTime.find((s) => s.query === query)).toMatchObject({ calls: 40 });
    expect(report.statements!.slow).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(report)).not.toContain('secret-value');
    expect(report.indexCandidates).toEqual([
      expect.objectContaining({
        schema: 'shop',
        table: 'orders',
        column: 'customer_id',
        rows: expect.any(Number),
        statements: [expect.objectContaining({ query, calls: 40 })],
        suggestion: 'CREATE INDEX CONCURRENTLY ON shop.orders (customer_id);',
      }),
    ]);
    expect(report.sequentialScans).toEqual([expect.objectContaining({ schema: 'shop', table: 'orders' })]);
    expect(report.bufferCacheHitRatio).toBeGreaterThan(50);
    expect(report.connections).toMatchObject({ used: expect.any(Number), max: 100 });
    // The EMF line: namespace, dimensions and every metric name Monitoring alarms on.
    const [emf] = output.metrics() as Array<
      { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> } } & Record<
        string,
        unknown
      >
    >;
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('CdkScalingStack/DatabaseInsights');
    expect(emf._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'DBInstanceIdentifier']]);
    expect(emf._aws.CloudWatchMetrics[0].Metrics.map((m) => `${m.Name}:${m.Unit}`).sort()).toEqual([
      'BufferCacheHitRatio:Percent',
      'ConnectionUsePercent:Percent',
      'IdleInTransactionSessions:Count',
      'IndexCandidates:Count',
      'LongestTransactionAgeSeconds:Seconds',
      'SlowStatements:Count',
      'UnavailableSections:Count',
      'UnusedIndexes:Count',
    ]);
    expect(emf).toMatchObject({ service: 'db-insights', DBInstanceIdentifier: 'it-db', IndexCandidates: 1, UnavailableSections: 0 });
  });

  test('reports a session idle in a transaction and its age', async () => {
    // GIVEN a second session that opened a transaction and went quiet
    const idle = new Client({ host: '127.0.0.1', port: server.port, user: 'postgres', database: 'postgres', application_name: 'forgotten-tx' });
    await idle.connect();
    try {
      await idle.query('BEGIN');
      await idle.query('SELECT 1');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      // WHEN
      const { report } = await quietly(worker);
      // THEN
      expect(report!.sessions!.idleInTransaction).toEqual([
        expect.objectContaining({ application: 'forgotten-tx', state: 'idle in transaction', query: 'SELECT ?' }),
      ]);
      expect(report!.sessions!.longestTransactionSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await idle.end();
    }
  });

  test('the candidate disappears once the index exists', async () => {
    // WHEN
    await client.query('CREATE INDEX orders_customer_id ON shop.orders (customer_id)');
    // and an index no statement uses, big enough to report (the new one is under 1 MiB: deduplicated)
    await client.query('CREATE INDEX orders_status_id ON shop.orders (status, id)');
    const { report } = await quietly(worker);
    // THEN the table's cumulative sequential-scan counters remain, the candidate does not
    expect(report!.sequentialScans).toEqual([expect.objectContaining({ table: 'orders' })]);
    expect(report!.indexCandidates).toEqual([]);
    // Indexes nothing has used (and that enforce nothing) are listed from 1 MiB.
    expect(report!.unusedIndexes).toEqual([
      expect.objectContaining({ schema: 'shop', table: 'orders', index: 'orders_status_id', bytes: expect.any(Number) }),
    ]);
  });
});

describe('without pg_stat_statements (the shared server)', () => {
  test('reports once what to enable, reads everything else, and never throws', async () => {
    // GIVEN the shared server, where the library is not preloaded and the extension not installed
    const schema = await createSchema('insights_it');
    const warnings: unknown[] = [];
    const logger = new Logger({ serviceName: 'db-insights', logLevel: 'ERROR' });
    jest.spyOn(logger, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
    const worker = createInsightsWorker({ env: env(POSTGRES.port, POSTGRES.database), secrets, logger });
    const output = captureOutput();
    try {
      // WHEN it runs twice in one execution environment
      const first = await worker.handler();
      const second = await worker.handler();
      // THEN
      expect(first.status).toBe('reported');
      expect(first.report!.statements).toBeUndefined();
      expect(first.report!.unavailable).toEqual([
        {
          section: 'statements',
          reason: expect.stringMatching(
            /^the pg_stat_statements extension is not installed in this database \(relation "pg_stat_statements" does not exist\)$/,
          ),
          fix: "connect as the master user and run CREATE EXTENSION IF NOT EXISTS pg_stat_statements; (the Database construct's parameter group already preloads the library)",
        },
      ]);
      expect(first.report!.connections?.max).toBeGreaterThan(0);
      expect(second.report!.unavailable).toHaveLength(1);
      expect(warnings).toEqual([
        ['database insights: statements unavailable', expect.objectContaining({ fix: expect.stringContaining('CREATE EXTENSION') })],
      ]);
      expect(output.metrics()).toEqual([expect.objectContaining({ UnavailableSections: 1 }), expect.objectContaining({ UnavailableSections: 1 })]);
    } finally {
      output.restore();
      await worker.close();
      await schema.drop();
    }
  });
});
