import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { cacheInvalidate } from '../../../lambda/jobs/cache-invalidate';
import { cacheRefreshJob } from '../../../lambda/jobs/cache-refresh';
import { defineQuery } from '../../../lambda/jobs/queries';
import { defineJob, type JobDefinition } from '../../../lambda/shared/job';
import { createJobHandler, IDEMPOTENCY_TTL_SECONDS, limitConcurrency, type QueryRunner } from '../../../lambda/shared/job-runner';
import { captureOutput, FakeCache, job, lambdaContext, sqsEvent } from '../helpers';
import { FakeIdempotencyTable } from '../fake-idempotency-table';

/** A job whose side effect is counted, so a repeated run would show. */
function countingJob(effects: string[]): JobDefinition {
  return defineJob({
    type: 'test.count',
    payload: z.object({ label: z.string() }),
    async run({ label }) {
      effects.push(label);
      return { label };
    },
  });
}

function setup(extraJobs: (effects: string[]) => JobDefinition[] = () => []) {
  const cache = new FakeCache();
  const table = new FakeIdempotencyTable();
  const effects: string[] = [];
  const query = jest
    .fn<ReturnType<QueryRunner['query']>, Parameters<QueryRunner['query']>>()
    .mockResolvedValue({ rows: [{ estimate: 42 }], rowCount: 1, command: 'SELECT', oid: 0, fields: [] });
  const refresh = cacheRefreshJob({
    'table.rowEstimate': defineQuery({
      sql: 'SELECT 42 AS estimate WHERE $1::text IS NOT NULL',
      params: z.object({ table: z.string() }),
      values: (p) => [p.table],
      key: (p) => `rowEstimate:${p.table}`,
      ttlSeconds: 300,
    }),
  });
  const handler = createJobHandler({
    jobs: [cacheInvalidate, refresh, countingJob(effects), ...extraJobs(effects)],
    cache: { client: async () => cache.asClient() },
    database: { query: query as unknown as QueryRunner['query'] },
    logger: new Logger({ serviceName: 'jobs', logLevel: 'INFO' }),
    metrics: new Metrics({ serviceName: 'jobs', namespace: 'Test/Workers' }),
    idempotencyStore: table.store(),
    idempotencyKeyPrefix: 'idempotency:jobs',
  });
  return { cache, table, effects, query, handler };
}

describe('the job runner', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output.restore());

  test('a mixed batch fails exactly its bad records; their neighbours succeed', async () => {
    // GIVEN
    const { cache, effects, handler } = setup();
    await cache.set('user:1', 'x');
    await cache.set('page:a', 'x');
    await cache.set('keep', 'x');
    const event = sqsEvent(
      { messageId: 'good-1', body: job('j1', 'cache.invalidate', { keys: ['user:1'], prefixes: ['page:'] }) },
      { messageId: 'not-json', body: '{"id": "j2", ' },
      { messageId: 'unknown-type', body: job('j3', 'email.send', {}) },
      { messageId: 'bad-payload', body: job('j4', 'cache.invalidate', { prefixes: [''] }) },
      { messageId: 'no-envelope', body: { type: 'test.count', payload: { label: 'x' } } },
      { messageId: 'good-2', body: job('j6', 'test.count', { label: 'six' }) },
    );

    // WHEN
    const response = await handler(event, lambdaContext());

    // THEN
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: 'not-json' },
        { itemIdentifier: 'unknown-type' },
        { itemIdentifier: 'bad-payload' },
        { itemIdentifier: 'no-envelope' },
      ],
    });
    expect([...cache.entries.keys()]).toEqual(['keep']);
    expect(effects).toEqual(['six']);
  });

  test('each bad record is logged with its messageId and the reason', async () => {
    const { handler } = setup();
    await handler(
      sqsEvent(
        { messageId: 'not-json', body: 'hello', receiveCount: 3 },
        { messageId: 'unknown-type', body: job('j3', 'email.send', {}) },
        { messageId: 'bad-payload', body: job('j4', 'test.count', { label: 7 }) },
        { messageId: 'fine', body: job('j5', 'test.count', { label: 'ok' }) },
      ),
      lambdaContext(),
    );

    const errors = output.logs().filter((l) => l.level === 'ERROR');
    expect(errors).toEqual([
      expect.objectContaining({ message: 'bad message', messageId: 'not-json', receiveCount: 3, reason: 'BadMessageError: body is not JSON' }),
      expect.objectContaining({
        message: 'bad message',
        messageId: 'unknown-type',
        reason: "BadMessageError: unknown job type 'email.send'; known types: cache.invalidate, cache.refresh, test.count",
      }),
      expect.objectContaining({
        message: 'bad message',
        messageId: 'bad-payload',
        jobId: 'j4',
        jobType: 'test.count',
        reason: "BadMessageError: invalid payload for 'test.count': label: Invalid input: expected string, received number",
      }),
    ]);
  });

  test('a redelivered job returns its stored result without repeating its side effect', async () => {
    const { effects, handler } = setup();
    const event = sqsEvent({ messageId: 'm1', body: job('same-id', 'test.count', { label: 'once' }) });

    const first = await handler(event, lambdaContext());
    // SQS delivers the same message again (a lost delete, a Lambda timeout after the job ran).
    const second = await handler(
      sqsEvent({ messageId: 'm1', body: job('same-id', 'test.count', { label: 'once' }), receiveCount: 2 }),
      lambdaContext(),
    );

    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(effects).toEqual(['once']);
  });

  test('the same id with another payload is refused, not run', async () => {
    const { effects, handler } = setup();
    await handler(sqsEvent({ messageId: 'm1', body: job('id-1', 'test.count', { label: 'first' }) }), lambdaContext());

    const response = await handler(
      sqsEvent(
        { messageId: 'm2', body: job('id-1', 'test.count', { label: 'second' }) },
        { messageId: 'm3', body: job('id-2', 'test.count', { label: 'third' }) },
      ),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(effects).toEqual(['first', 'third']);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ messageId: 'm2', reason: expect.stringMatching(/^IdempotencyValidationError: /) }),
    );
  });

  test('a job that failed runs again on the retry (its idempotency record is released)', async () => {
    let attempts = 0;
    const { effects, handler } = setup((fx) => [
      defineJob({
        type: 'test.flaky',
        payload: z.object({}),
        async run() {
          if (++attempts === 1) throw new Error('connect ECONNREFUSED 10.0.3.7:5432');
          fx.push('flaky');
          return null;
        },
      }),
    ]);
    const event = (receiveCount: number) =>
      sqsEvent(
        { messageId: 'flaky', body: job('f1', 'test.flaky', {}), receiveCount },
        { messageId: 'other', body: job(`o${receiveCount}`, 'test.count', { label: `other-${receiveCount}` }) },
      );

    expect(await handler(event(1), lambdaContext())).toEqual({ batchItemFailures: [{ itemIdentifier: 'flaky' }] });
    expect(await handler(event(2), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(effects).toEqual(['other-1', 'flaky', 'other-2']);
  });

  test('an unreachable database fails only the records that query it', async () => {
    const { query, handler, table } = setup();
    query.mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));

    const response = await handler(
      sqsEvent(
        { messageId: 'refresh', body: job('r1', 'cache.refresh', { query: 'table.rowEstimate', params: { table: 'users' } }) },
        { messageId: 'invalidate', body: job('i1', 'cache.invalidate', { keys: ['a'] }) },
      ),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'refresh' }] });
    expect(output.logs()).toContainEqual(
      expect.objectContaining({
        message: 'job failed',
        messageId: 'refresh',
        jobType: 'cache.refresh',
        reason: 'Error: connect ECONNREFUSED 127.0.0.1:5432',
      }),
    );
    // The failed job left no idempotency record behind, so its retry will run.
    expect(table.records()).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
  });

  test('when the cache is down only the jobs that use it fail; the others run and are recorded', async () => {
    const { cache, table, effects, handler } = setup();
    cache.down = new Error('connect ECONNREFUSED 127.0.0.1:6379');

    const result = await handler(
      sqsEvent(
        { messageId: 'a', body: job('a', 'test.count', { label: 'a' }) },
        { messageId: 'b', body: job('b', 'cache.invalidate', { keys: ['x'] }) },
      ),
      lambdaContext(),
    );

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(effects).toEqual(['a']);
    // The failed job released its lock, so its retry runs; the completed one is stored.
    expect(table.records()).toEqual([expect.objectContaining({ status: 'COMPLETED', data: { label: 'a' } })]);
  });

  test('when the idempotency table is unreachable every record fails before its job runs, so the batch is retried', async () => {
    const { table, effects, handler } = setup();
    table.down = new Error('connect ETIMEDOUT dynamodb.us-east-1.amazonaws.com');

    await expect(handler(sqsEvent({ messageId: 'a', body: job('a', 'test.count', { label: 'a' }) }), lambdaContext())).rejects.toThrow(
      'All records failed processing. See individual errors below.',
    );
    expect(effects).toEqual([]);
  });

  test('the records are in the table Powertools expects: key, status, expiry a day ahead, result and payload hash', async () => {
    const { table, handler } = setup();
    const before = Math.floor(Date.now() / 1000);
    await handler(sqsEvent({ messageId: 'm', body: job('j9', 'test.count', { label: 'x' }) }), lambdaContext());

    const [record] = table.records();
    expect(record).toEqual({
      id: expect.stringMatching(/^idempotency:jobs#[A-Za-z0-9+/]{22}==$/),
      status: 'COMPLETED',
      expiration: expect.any(Number),
      in_progress_expiration: expect.any(Number),
      data: { label: 'x' },
      validation: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/),
    });
    expect((record.expiration as number) - before).toBeGreaterThanOrEqual(IDEMPOTENCY_TTL_SECONDS);
    expect((record.expiration as number) - before).toBeLessThanOrEqual(IDEMPOTENCY_TTL_SECONDS + 2);
    // Only the item actions QueueWorker grants (lib/core/worker.ts).
    expect(new Set(table.calls)).toEqual(new Set(['PutItem', 'UpdateItem']));
  });

  test('publishes processed, failed and duration per job type as EMF, with and without the type', async () => {
    const { handler } = setup();
    await handler(
      sqsEvent(
        { messageId: '1', body: job('1', 'test.count', { label: 'a' }) },
        { messageId: '2', body: job('2', 'test.count', { label: 'b' }) },
        { messageId: '3', body: 'not json' },
      ),
      lambdaContext(),
    );

    const lines = output.metrics();
    expect(lines).toHaveLength(2);
    const byType = Object.fromEntries(lines.map((l) => [l.jobType as string, l]));
    expect(byType['test.count']).toMatchObject({
      service: 'jobs',
      JobsProcessed: 2,
      JobsFailed: 0,
      JobDuration: [expect.any(Number), expect.any(Number)],
    });
    expect(byType.invalid).toMatchObject({ JobsProcessed: 0, JobsFailed: 1 });
    expect(byType['test.count']._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Namespace: 'Test/Workers',
          Dimensions: [['service'], ['service', 'jobType']],
          Metrics: [
            { Name: 'JobsProcessed', Unit: 'Count' },
            { Name: 'JobsFailed', Unit: 'Count' },
            { Name: 'JobDuration', Unit: 'Milliseconds' },
          ],
        },
      ],
    });
  });

  test('two job definitions with one type are refused when the worker is built', () => {
    expect(() =>
      createJobHandler({
        jobs: [cacheInvalidate, cacheInvalidate],
        cache: { client: async () => new FakeCache().asClient() },
        database: { query: jest.fn() },
        logger: new Logger(),
        metrics: new Metrics({ namespace: 'x' }),
        idempotencyStore: new FakeIdempotencyTable().store(),
        idempotencyKeyPrefix: 'p',
      }),
    ).toThrow("two job definitions share the type 'cache.invalidate'; job types must be unique");
  });
});

describe('limitConcurrency', () => {
  test('runs at most `limit` calls at once, the others in call order as slots free', async () => {
    const events: string[] = [];
    let inFlight = 0;
    let most = 0;
    const run = limitConcurrency(2, async (name: string, ms: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      events.push(`end ${name}`);
      if (name === 'c') throw new Error('c failed');
      return name;
    });

    const results = await Promise.allSettled([run('a', 30), run('b', 5), run('c', 5), run('d', 5)]);

    expect(most).toBe(2);
    expect(events.slice(0, 3)).toEqual(['start a', 'start b', 'end b']);
    expect(events.indexOf('start c')).toBeGreaterThan(events.indexOf('end b'));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });
});
