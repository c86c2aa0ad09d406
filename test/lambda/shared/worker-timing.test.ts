// The worker's runtime takes its pool size, timeouts and record concurrency from lib/core/worker-timing.ts,
// the numbers synth checks a batch's worst case with: a change there changes both, or this fails.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { databaseConfigFrom } from '../../../lambda/shared/database';
import { defineJob } from '../../../lambda/shared/job';
import { createJobHandler } from '../../../lambda/shared/job-runner';
import * as timing from '../../../lib/core/worker-timing';
import { captureOutput, FakeCache, job, lambdaContext, sqsEvent } from '../helpers';
import { FakeIdempotencyTable } from '../fake-idempotency-table';

const secrets = { get: async () => ({ username: 'app_user', password: 's3cret' }), forget: () => undefined };

test('the pool: its size, connect timeout and query backstop are the ones the time budget adds up', async () => {
  const env = { DB_HOST: 'db.internal', DB_NAME: 'app', DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' };
  const direct = await databaseConfigFrom(env, secrets)();
  const proxied = await databaseConfigFrom({ ...env, DB_PROXY: 'true' }, secrets)();
  for (const config of [direct, proxied]) {
    expect(config).toMatchObject({
      max: timing.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: timing.DATABASE_CONNECT_TIMEOUT_MS,
      query_timeout: timing.DATABASE_QUERY_TIMEOUT_MS,
    });
  }
  expect(direct.statement_timeout).toBe(timing.DATABASE_STATEMENT_TIMEOUT_MS);
  expect(timing.JOB_RECORD_WAITS.map((w) => w.ms)).toEqual([
    timing.CACHE_CONNECT_TIMEOUT_MS,
    timing.DATABASE_CONNECT_TIMEOUT_MS,
    timing.DATABASE_QUERY_TIMEOUT_MS,
  ]);
});

test('the job runner runs JOB_RECORD_CONCURRENCY records of a batch at once by default', async () => {
  // GIVEN a job that counts how many of its runs overlap
  let inFlight = 0;
  let most = 0;
  const slow = defineJob({
    type: 'test.slow',
    payload: z.object({}),
    async run() {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return null;
    },
  });
  const cache = new FakeCache();
  const handler = createJobHandler({
    jobs: [slow],
    cache: { client: async () => cache.asClient() },
    database: { query: jest.fn() },
    logger: new Logger({ serviceName: 'jobs' }),
    metrics: new Metrics({ serviceName: 'jobs', namespace: 'Test/Workers' }),
    idempotencyStore: new FakeIdempotencyTable().store(),
    idempotencyKeyPrefix: 'idempotency:jobs',
  });
  const output = captureOutput();
  try {
    // WHEN a batch of six runs without a recordConcurrency option
    const event = sqsEvent(...Array.from({ length: 6 }, (_, i) => ({ messageId: `m${i}`, body: job(`j${i}`, 'test.slow', {}) })));
    const response = await handler(event, lambdaContext());
    // THEN
    expect(response).toEqual({ batchItemFailures: [] });
    expect(most).toBe(timing.JOB_RECORD_CONCURRENCY);
  } finally {
    output.restore();
  }
});
