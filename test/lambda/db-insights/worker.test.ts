import { Logger } from '@aws-lambda-powertools/logger';
import type { QueryResult, QueryResultRow } from 'pg';
import { collectInsights, explain, type InsightOptions } from '../../../lambda/db-insights/collect';
import { MARKER } from '../../../lambda/db-insights/queries';
import { createInsightsWorker, optionsFrom } from '../../../lambda/db-insights/worker';
import { DB_INSIGHTS_METRICS_NAMESPACE, dbInsightsMetricSeries } from '../../../lib/core/insights';
import { captureOutput, declaredSeries, emfSeries } from '../helpers';

const options: InsightOptions = { slowStatementMs: 250, topStatements: 10, minTableRows: 10_000, longTransactionSeconds: 60, minUnusedIndexBytes: 1 };

/** A database that answers each statistics query from a table of canned rows (by a fragment of its text), or fails it. */
function fakeDatabase(answers: Array<[string, QueryResultRow[] | Error]>) {
  const seen: string[] = [];
  return {
    seen,
    async query<R extends QueryResultRow>(text: string): Promise<QueryResult<R>> {
      seen.push(text);
      const answer = answers.find(([fragment]) => text.includes(fragment))?.[1] ?? [];
      if (answer instanceof Error) throw answer;
      return { rows: answer as R[] } as QueryResult<R>;
    },
    close: async () => undefined,
  };
}

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('collectInsights', () => {
  test('every query is marked so the worker leaves its own statements out of the ranking', async () => {
    const db = fakeDatabase([]);
    await collectInsights(db, options);
    expect(db.seen.length).toBeGreaterThan(5);
    for (const text of db.seen) expect(text.startsWith(`/* ${MARKER} */ `)).toBe(true);
  });

  test('statements hidden by missing privileges are reported with the grant that shows them', async () => {
    const db = fakeDatabase([
      ["current_setting('max_connections')", [{ used: 90, max: 100, database: 'app', user: 'app_user' }]],
      ['FROM pg_stat_statements', [{ queryid: '1', query: '<insufficient privilege>', calls: 3, rows: 3, total_ms: 9, mean_ms: 3 }]],
    ]);
    const report = await collectInsights(db, options);
    expect(report.unavailable).toEqual([
      {
        section: 'statements',
        reason: "app_user may not see the text of other users' statements (pg_stat_statements shows <insufficient privilege>)",
        fix: 'GRANT pg_read_all_stats TO app_user;',
      },
    ]);
    expect(report.connections).toEqual({ used: 90, max: 100, percent: 90 });
  });

  test('a permission error skips that section only; an unreachable database throws', async () => {
    const denied = await collectInsights(
      fakeDatabase([['pg_stat_activity WHERE backend_type', pgError('42501', 'permission denied for view pg_stat_activity')]]),
      options,
    );
    expect(denied.unavailable.map((u) => [u.section, u.fix])).toEqual([
      ['connections', "GRANT pg_monitor TO <the worker's user>; (it includes pg_read_all_stats and pg_read_all_settings)"],
      ['sessions', "GRANT pg_monitor TO <the worker's user>; (it includes pg_read_all_stats and pg_read_all_settings)"],
    ]);
    await expect(collectInsights(fakeDatabase([['max_connections', pgError('08006', 'connection terminated')]]), options)).rejects.toThrow(
      'connection terminated',
    );
  });

  test.each([
    [
      '42P01',
      'relation "pg_stat_statements" does not exist',
      'connect as the master user and run CREATE EXTENSION IF NOT EXISTS pg_stat_statements;',
    ],
    [
      '55000',
      'pg_stat_statements must be loaded via shared_preload_libraries',
      'add pg_stat_statements to shared_preload_libraries in the parameter group and reboot the instance',
    ],
  ])('pg_stat_statements error %s says what to enable', (code, message, fix) => {
    expect(explain('statements', pgError(code, message))?.fix).toContain(fix);
  });
});

describe('the worker', () => {
  test('a bad threshold is reported once and the run ends without an error', async () => {
    const logger = new Logger({ serviceName: 'db-insights', logLevel: 'ERROR' });
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const db = fakeDatabase([]);
    const worker = createInsightsWorker({ env: { DB_HOST: 'db', INSIGHTS_SLOW_STATEMENT_MS: 'fast' }, database: db, logger });
    const first = await worker.handler();
    await worker.handler();
    expect(first).toEqual({ status: 'misconfigured', error: "INSIGHTS_SLOW_STATEMENT_MS ('fast') must be a number from 1 to 3600000" });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(db.seen).toEqual([]);
  });

  test('without database settings it says which variables to set', async () => {
    const worker = createInsightsWorker({ env: {}, database: fakeDatabase([]), logger: new Logger({ logLevel: 'SILENT' }) });
    expect(await worker.handler()).toMatchObject({ error: 'the database is not configured: set DB_SECRET_ARN (and DB_HOST, DB_PORT, DB_NAME)' });
  });

  test('a section it could not read publishes no metric; the count of unavailable sections always goes out', async () => {
    const output = captureOutput();
    try {
      const worker = createInsightsWorker({
        env: { DB_HOST: 'db', INSIGHTS_DB_INSTANCE: 'prod-db', POWERTOOLS_SERVICE_NAME: 'db-insights' },
        database: fakeDatabase([
          ['FROM pg_stat_statements', pgError('42P01', 'relation "pg_stat_statements" does not exist')],
          ['max_connections', [{ used: 5, max: 100, database: 'app', user: 'u' }]],
        ]),
        logger: new Logger({ logLevel: 'SILENT' }),
      });
      await worker.handler();
    } finally {
      output.restore();
    }
    const [emf] = output.metrics() as Array<Record<string, unknown>>;
    expect(emf).toMatchObject({
      service: 'db-insights',
      DBInstanceIdentifier: 'prod-db',
      ConnectionUsePercent: 5,
      UnavailableSections: 1,
      LongestTransactionAgeSeconds: 0,
    });
    expect(emf).not.toHaveProperty('SlowStatements');
    expect(emf).not.toHaveProperty('IndexCandidates');
  });

  describe('its metric series', () => {
    // Every section read: a database that answers the connection and buffer-cache queries, and
    // empty statistics elsewhere.
    const everySection = () =>
      fakeDatabase([
        ['max_connections', [{ used: 5, max: 100, database: 'app', user: 'u' }]],
        ['blks_hit', [{ hit: 99, read: 1 }]],
      ]);
    const env = { DB_HOST: 'db', INSIGHTS_DB_INSTANCE: 'app-db', POWERTOOLS_SERVICE_NAME: 'db-insights' };
    const run = async () => {
      const output = captureOutput();
      try {
        const result = await createInsightsWorker({ env, database: everySection(), logger: new Logger({ serviceName: 'db-insights' }) }).handler();
        return { result, metrics: output.metrics(), logs: output.logs() };
      } finally {
        output.restore();
      }
    };

    test('are exactly the series DatabaseInsights declares for the cost tool', async () => {
      // WHEN a run reads every section
      const { metrics } = await run();
      // THEN it writes the declared series: no more (billed, never priced), no fewer (a stale declaration)
      expect(emfSeries(metrics)).toEqual(
        declaredSeries({ namespace: DB_INSIGHTS_METRICS_NAMESPACE, series: dbInsightsMetricSeries('db-insights', 'app-db') }),
      );
      expect(emfSeries(metrics)).toHaveLength(8);
    });

    test('none with POWERTOOLS_METRICS_DISABLED (publishMetrics: false): the report is still logged', async () => {
      process.env.POWERTOOLS_METRICS_DISABLED = 'true';
      try {
        const { result, metrics, logs } = await run();
        expect(metrics).toEqual([]);
        expect(result.status).toBe('reported');
        expect(logs).toContainEqual(
          expect.objectContaining({
            level: 'INFO',
            message: 'database insights report',
            report: expect.objectContaining({ connections: { used: 5, max: 100, percent: 5 } }),
          }),
        );
      } finally {
        delete process.env.POWERTOOLS_METRICS_DISABLED;
      }
    });
  });

  test('thresholds default to the documented values', () => {
    expect(optionsFrom({})).toEqual({
      slowStatementMs: 250,
      longTransactionSeconds: 60,
      minTableRows: 10_000,
      topStatements: 10,
      minUnusedIndexBytes: 1024 * 1024,
    });
  });
});
