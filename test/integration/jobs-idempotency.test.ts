// The jobs worker's idempotency records live in DynamoDB (moto here), not the cache: a FLUSHALL
// between two deliveries of one message does not run its job twice, and a cache that is down fails
// only the jobs that use it. Redis is a redis-server of the test's own (FLUSHALL never touches the
// shared one on 6379); effects are rows in the real PostgreSQL.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import { createClient } from '@redis/client';
import { cacheInvalidate } from '../../lambda/jobs/cache-invalidate';
import { defineJob } from '../../lambda/shared/job';
import { createWorker, type Worker } from '../../lambda/shared/worker';
import { LocalRedis } from '../../tools/bench-worker/local-redis';
import { captureOutput, job, lambdaContext, sqsEvent } from '../lambda/helpers';
import { MotoDynamoDb } from './helpers/moto-dynamodb';
import { createSchema, POSTGRES, type TestSchema } from './helpers/postgres';

const TABLE = 'jobs-idempotency';
const secretsManager = mockClient(SecretsManagerClient);
let redis: LocalRedis;
let dynamo: MotoDynamoDb;
let schema: TestSchema;
let output: ReturnType<typeof captureOutput>;
const workers: Worker[] = [];

beforeAll(async () => {
  [redis, dynamo, schema] = await Promise.all([LocalRedis.start(), MotoDynamoDb.start(), createSchema('jobs_idem')]);
  await dynamo.createIdempotencyTable(TABLE);
  await schema.query(`CREATE TABLE ${schema.name}.effects (job_id text NOT NULL)`);
  secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: POSTGRES.user, password: 'x' }) });
});
afterAll(async () => {
  await Promise.all([redis.kill(), dynamo.stop(), schema.drop()]);
  secretsManager.restore();
});
beforeEach(() => {
  output = captureOutput();
});
afterEach(async () => {
  output.restore();
  await Promise.all(workers.splice(0).map((worker) => worker.close()));
});

function newWorker(): Worker {
  const worker = createWorker({
    serviceName: 'idem',
    env: {
      CACHE_HOST: '127.0.0.1',
      CACHE_PORT: String(redis.port),
      CACHE_TLS: 'false',
      DB_HOST: POSTGRES.host,
      DB_PORT: String(POSTGRES.port),
      DB_NAME: POSTGRES.database,
      DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:idem',
      PGSSLMODE: 'disable',
      POWERTOOLS_METRICS_NAMESPACE: 'IntegrationTest',
    },
    idempotencyStore: dynamo.store(TABLE),
    jobs: [
      cacheInvalidate,
      // Uses the cache, then records its run in PostgreSQL (which the flush cannot touch).
      defineJob({
        type: 'test.cachedEffect',
        payload: z.object({ label: z.string() }),
        async run({ label }, { cache, query }) {
          await (await cache()).set(`effect:${label}`, 'done');
          await query(`INSERT INTO ${schema.name}.effects (job_id) VALUES ($1)`, [label]);
          return { label };
        },
      }),
      // Never touches the cache.
      defineJob({
        type: 'test.dbEffect',
        payload: z.object({ label: z.string() }),
        async run({ label }, { query }) {
          await query(`INSERT INTO ${schema.name}.effects (job_id) VALUES ($1)`, [label]);
          return { label };
        },
      }),
    ],
  });
  workers.push(worker);
  return worker;
}

async function runs(label: string): Promise<number> {
  const rows = await schema.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema.name}.effects WHERE job_id = $1`, [label]);
  return Number(rows[0].n);
}

test('a redelivery after FLUSHALL returns the stored result without running the job again', async () => {
  // GIVEN a job that ran once and is recorded as COMPLETED in the table
  const worker = newWorker();
  const message = { messageId: 'm1', body: job('flush-1', 'test.cachedEffect', { label: 'flush-1' }) };
  expect(await worker.handler(sqsEvent(message), lambdaContext())).toEqual({ batchItemFailures: [] });
  expect(await runs('flush-1')).toBe(1);
  expect(await dynamo.records(TABLE)).toContainEqual(expect.objectContaining({ status: 'COMPLETED', data: { label: 'flush-1' } }));

  // WHEN the cache loses every key and SQS delivers the same message again (a fresh environment too)
  const admin = createClient({ socket: { host: '127.0.0.1', port: redis.port } });
  await admin.connect();
  await admin.flushAll();
  expect(await admin.dbSize()).toBe(0);
  admin.destroy();
  const again = await newWorker().handler(sqsEvent({ ...message, receiveCount: 2 }), lambdaContext());

  // THEN it succeeds and the side effect happened once
  expect(again).toEqual({ batchItemFailures: [] });
  expect(await runs('flush-1')).toBe(1);
});

test('with the cache down, a job that never touches it succeeds; one that does fails alone', async () => {
  // GIVEN the cache server is down at cold start
  await redis.kill();
  try {
    const worker = newWorker();

    // WHEN a batch mixes a database-only job and a cache job
    const result = await worker.handler(
      sqsEvent(
        { messageId: 'db', body: job('down-db', 'test.dbEffect', { label: 'down-db' }) },
        { messageId: 'inv', body: job('down-inv', 'cache.invalidate', { keys: ['a'] }) },
      ),
      lambdaContext(),
    );

    // THEN only the cache job fails; the other ran once and its record is stored
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'inv' }] });
    expect(await runs('down-db')).toBe(1);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'job failed', messageId: 'inv', reason: expect.stringContaining('ECONNREFUSED') }),
    );
  } finally {
    await redis.restart();
  }
});
