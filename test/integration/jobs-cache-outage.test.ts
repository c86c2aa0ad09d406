// The cache killed in the middle of a batch and brought back: a redis-server of the test's own
// (never the shared one on 6379) is SIGKILLed by a job while its neighbours run.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheInvalidate } from '../../lambda/jobs/cache-invalidate';
import { defineJob } from '../../lambda/shared/job';
import { createWorker, type Worker } from '../../lambda/shared/worker';
import { LocalRedis } from '../../tools/bench-worker/local-redis';
import { captureOutput, job, lambdaContext, sqsEvent } from '../lambda/helpers';
import { FakeIdempotencyTable } from '../lambda/fake-idempotency-table';
import { createSchema, POSTGRES, type TestSchema } from './helpers/postgres';

const DB_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:outage-db';
const secretsManager = mockClient(SecretsManagerClient);
const idempotencyTable = new FakeIdempotencyTable();
let redis: LocalRedis;
let schema: TestSchema;
let output: ReturnType<typeof captureOutput>;

beforeAll(async () => {
  redis = await LocalRedis.start();
  schema = await createSchema('jobs_outage');
  await schema.query(`CREATE TABLE ${schema.name}.effects (job_id text NOT NULL)`);
  secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: POSTGRES.user, password: 'x' }) });
});
afterAll(async () => {
  await redis.kill();
  await schema.drop();
  secretsManager.restore();
});
beforeEach(() => {
  output = captureOutput();
});
const workers: Worker[] = [];
afterEach(async () => {
  output.restore();
  // Close even after a failed assertion, so jest can exit.
  await Promise.all(workers.splice(0).map((worker) => worker.close()));
});

function newWorker(): Worker {
  let killed = false;
  const worker = createWorker({
    serviceName: 'outage',
    idempotencyStore: idempotencyTable.store(),
    env: {
      CACHE_HOST: '127.0.0.1',
      CACHE_PORT: String(redis.port),
      CACHE_TLS: 'false',
      DB_HOST: POSTGRES.host,
      DB_PORT: String(POSTGRES.port),
      DB_NAME: POSTGRES.database,
      DB_SECRET_ARN: DB_SECRET,
      PGSSLMODE: 'disable',
      POWERTOOLS_METRICS_NAMESPACE: 'IntegrationTest',
    },
    jobs: [
      cacheInvalidate,
      // Records its run in PostgreSQL, which outlives the cache.
      defineJob({
        type: 'test.effect',
        payload: z.object({ label: z.string() }),
        async run({ label }, { query }) {
          await query(`INSERT INTO ${schema.name}.effects (job_id) VALUES ($1)`, [label]);
          return { label };
        },
      }),
      // Waits a while, then uses the cache, then records its run: in flight when the cache dies.
      defineJob({
        type: 'test.slowEffect',
        payload: z.object({ label: z.string() }),
        async run({ label }, { cache, query }) {
          await sleep(400);
          await (await cache()).set(`slow:${label}`, 'done');
          await query(`INSERT INTO ${schema.name}.effects (job_id) VALUES ($1)`, [label]);
          return { label };
        },
      }),
      // Once the fast jobs of its batch are stored as completed, kills the cache server (once).
      defineJob({
        type: 'test.killCache',
        payload: z.object({ completed: z.number() }),
        async run({ completed }) {
          if (!killed) {
            killed = true;
            await waitForCompleted(completed);
            await redis.kill();
          }
          return null;
        },
      }),
    ],
  });
  workers.push(worker);
  return worker;
}

/** Waits until `n` idempotency records say COMPLETED. */
async function waitForCompleted(n: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (idempotencyTable.records().filter((r) => r.status === 'COMPLETED').length >= n) return;
    await sleep(10);
  }
  throw new Error(`fewer than ${n} completed jobs after 2 s`);
}

async function effects(): Promise<Map<string, number>> {
  const rows = await schema.query<{ job_id: string; n: string }>(`SELECT job_id, count(*) AS n FROM ${schema.name}.effects GROUP BY job_id`);
  return new Map(rows.map((r) => [r.job_id, Number(r.n)]));
}

test('records in flight when the cache dies fail and are retried; the same worker reconnects when it is back', async () => {
  // GIVEN a warm worker (connected cache, warm pool)
  const worker = newWorker();
  expect(await worker.handler(sqsEvent({ messageId: 'warm', body: job('warm', 'test.effect', { label: 'warm' }) }), lambdaContext())).toEqual({
    batchItemFailures: [],
  });
  const fast = ['fast-1', 'fast-2', 'fast-3', 'fast-4'];
  const slow = ['slow-1', 'slow-2'];
  // Two records run at a time: the fast ones complete, then a slow one is in flight when the killer
  // (waiting for the warm-up job and the four fast ones to be stored as completed) kills the cache,
  // and the last slow one starts against a dead cache.
  const records = [
    ...fast.map((label) => ({ messageId: label, body: job(label, 'test.effect', { label }) })),
    { messageId: 'slow-1', body: job('slow-1', 'test.slowEffect', { label: 'slow-1' }) },
    { messageId: 'killer', body: job('killer', 'test.killCache', { completed: 5 }) },
    { messageId: 'slow-2', body: job('slow-2', 'test.slowEffect', { label: 'slow-2' }) },
  ];

  // WHEN the cache is killed in the middle of the batch
  const during = await worker.handler(sqsEvent(...records), lambdaContext());

  // THEN exactly the records that needed the dead cache fail: the slow jobs in flight. The killer
  // never touches the cache and its record is in the idempotency table, so it completes; the fast
  // ones completed before the kill and stay done
  const failed = during.batchItemFailures.map((f) => f.itemIdentifier);
  expect([...failed].sort()).toEqual(['slow-1', 'slow-2']);
  const afterOutage = await effects();
  expect(fast.map((label) => afterOutage.get(label))).toEqual([1, 1, 1, 1]);
  expect(slow.map((label) => afterOutage.get(label))).toEqual([undefined, undefined]);

  // WHEN the cache comes back and SQS redelivers the failed records to the same worker
  await redis.restart();
  const retried = records.filter((r) => failed.includes(r.messageId)).map((r) => ({ ...r, receiveCount: 2 }));
  const response = await worker.handler(sqsEvent(...retried), lambdaContext());

  // THEN they all complete without a new execution environment, and every job has run once
  expect(response).toEqual({ batchItemFailures: [] });
  const final = await effects();
  expect([...fast, ...slow].map((label) => final.get(label))).toEqual([1, 1, 1, 1, 1, 1]);
  expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'cache connection error' }));
});

test('a cache that is down at cold start fails the batch fast, and the next batch connects', async () => {
  // GIVEN the cache is down when the environment starts
  await redis.kill();
  const worker = newWorker();
  const event = sqsEvent({ messageId: 'cold', body: job('cold', 'cache.invalidate', { keys: ['a'] }) });

  // WHEN / THEN
  const started = Date.now();
  await expect(worker.handler(event, lambdaContext())).rejects.toThrow('All records failed processing');
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(output.logs()).toContainEqual(
    expect.objectContaining({ message: 'job failed', messageId: 'cold', reason: expect.stringContaining('ECONNREFUSED') }),
  );

  await redis.restart();
  await expect(worker.handler(event, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
});
