// The jobs worker against the real Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432):
// the handler Lambda runs, a poison message among good ones, and the database going away.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import { createClient } from '@redis/client';
import { cacheInvalidate } from '../../lambda/jobs/cache-invalidate';
import { cacheRefreshJob } from '../../lambda/jobs/cache-refresh';
import { defineQuery } from '../../lambda/jobs/queries';
import type * as Shipped from '../../lambda/jobs';
import { createWorker, type Worker } from '../../lambda/shared/worker';
import { captureOutput, job, lambdaContext, sqsEvent } from '../lambda/helpers';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FakeIdempotencyTable } from '../lambda/fake-idempotency-table';
import { createSchema, POSTGRES, type TestSchema } from './helpers/postgres';
import { TcpProxy } from './helpers/tcp-proxy';

const RUN = `it${process.pid}`;
const DB_SECRET = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${RUN}-db`;
const secretsManager = mockClient(SecretsManagerClient);
// The idempotency table (every DynamoDBClient, the shipped handler's too): in memory here;
// jobs-idempotency.test.ts runs the records against moto's DynamoDB.
const idempotencyTable = new FakeIdempotencyTable(DynamoDBClient);
const redis = createClient({ socket: { host: '127.0.0.1', port: 6379 } });

let schema: TestSchema;
let output: ReturnType<typeof captureOutput>;

beforeAll(async () => {
  await redis.connect();
  schema = await createSchema('jobs_it');
  await schema.query(`CREATE TABLE ${schema.name}.users (id int PRIMARY KEY, name text NOT NULL)`);
  await schema.query(`INSERT INTO ${schema.name}.users SELECT g, 'user ' || g FROM generate_series(1, 500) g`);
  await schema.query(`ANALYZE ${schema.name}.users`);
  // The worker reads its credentials from Secrets Manager at cold start, never from the environment.
  secretsManager
    .on(GetSecretValueCommand, { SecretId: DB_SECRET })
    .resolves({ SecretString: JSON.stringify({ username: POSTGRES.user, password: 'unused-with-trust-auth' }) });
});

afterAll(async () => {
  for await (const keys of redis.scanIterator({ MATCH: `*${RUN}*`, COUNT: 1000 })) if (keys.length) await redis.unlink(keys);
  redis.destroy();
  await schema.drop();
  secretsManager.restore();
  idempotencyTable.restore();
});

beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    CACHE_HOST: '127.0.0.1',
    CACHE_PORT: '6379',
    CACHE_TLS: 'false',
    DB_HOST: POSTGRES.host,
    DB_PORT: String(POSTGRES.port),
    DB_NAME: POSTGRES.database,
    DB_SECRET_ARN: DB_SECRET,
    PGSSLMODE: 'disable',
    POWERTOOLS_METRICS_NAMESPACE: 'IntegrationTest',
    IDEMPOTENCY_TABLE_NAME: 'idempotency',
    ...overrides,
  };
}

describe('the shipped jobs handler (lambda/jobs/index.ts)', () => {
  let shipped: typeof Shipped;

  beforeAll(async () => {
    Object.assign(process.env, env({ POWERTOOLS_SERVICE_NAME: `jobs-${RUN}` }));
    // Loaded after the environment is set, as Lambda loads it: a cold start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment is set, like a cold start
    shipped = require('../../lambda/jobs') as typeof Shipped;
  });
  afterAll(() => shipped.worker.close());

  test('invalidates keys and prefixes, and refreshes a named query into the cache with its TTL', async () => {
    // GIVEN cached pages and a stale row estimate
    for (let i = 0; i < 25; i++) await redis.set(`${RUN}:page:${i}`, 'stale');
    await redis.set(`${RUN}:user:1`, 'stale');
    await redis.set(`${RUN}:keep`, 'fresh');

    // WHEN
    const response = await shipped.handler(
      sqsEvent(
        { messageId: 'm1', body: job(`${RUN}-1`, 'cache.invalidate', { keys: [`${RUN}:user:1`], prefixes: [`${RUN}:page:`] }) },
        { messageId: 'm2', body: job(`${RUN}-2`, 'cache.refresh', { query: 'table.rowEstimate', params: { table: `${schema.name}.users` } }) },
      ),
      lambdaContext(),
    );

    // THEN
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await redis.keys(`${RUN}:*`)).toEqual([`${RUN}:keep`]);
    const key = `rowEstimate:${schema.name}.users`;
    expect(JSON.parse((await redis.get(key))!)).toEqual([{ estimate: '500' }]);
    expect(await redis.ttl(key)).toBeGreaterThan(290);
    await redis.unlink(key);
  });

  test('a redelivered batch succeeds without running its jobs again', async () => {
    const event = sqsEvent({ messageId: 'm3', body: job(`${RUN}-3`, 'cache.invalidate', { prefixes: [`${RUN}:again:`] }) });
    await redis.set(`${RUN}:again:1`, 'x');
    await shipped.handler(event, lambdaContext());
    // A new key appears under the prefix; the redelivered job must not delete it (it already ran).
    await redis.set(`${RUN}:again:2`, 'new');

    expect(await shipped.handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await redis.keys(`${RUN}:again:*`)).toEqual([`${RUN}:again:2`]);
  });

  test('poison messages among good ones fail alone; the good ones complete', async () => {
    await redis.set(`${RUN}:p:a`, '1');
    await redis.set(`${RUN}:p:b`, '1');
    await redis.set(`${RUN}:p:c`, '1');
    const response = await shipped.handler(
      sqsEvent(
        { messageId: 'good-a', body: job(`${RUN}-pa`, 'cache.invalidate', { keys: [`${RUN}:p:a`] }) },
        { messageId: 'poison-json', body: '<xml/>' },
        { messageId: 'good-b', body: job(`${RUN}-pb`, 'cache.invalidate', { keys: [`${RUN}:p:b`] }) },
        { messageId: 'poison-type', body: job(`${RUN}-px`, 'cache.flush', {}) },
        {
          messageId: 'poison-sql',
          body: job(`${RUN}-ps`, 'cache.refresh', { query: 'table.rowEstimate', params: { table: 'users; DROP TABLE users' } }),
        },
        { messageId: 'good-c', body: job(`${RUN}-pc`, 'cache.invalidate', { keys: [`${RUN}:p:c`] }) },
      ),
      lambdaContext(),
    );

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'poison-json' }, { itemIdentifier: 'poison-type' }, { itemIdentifier: 'poison-sql' }],
    });
    expect(await redis.keys(`${RUN}:p:*`)).toEqual([]);
    expect(
      output
        .logs()
        .filter((l) => l.level === 'ERROR')
        .map((l) => [l.messageId, l.message]),
    ).toEqual([
      ['poison-json', 'bad message'],
      ['poison-type', 'bad message'],
      ['poison-sql', 'bad message'],
    ]);
  });
});

describe('the database unreachable', () => {
  let proxy: TcpProxy;
  let worker: Worker;

  beforeAll(async () => {
    proxy = await TcpProxy.start({ host: POSTGRES.host, port: POSTGRES.port });
    worker = createWorker({
      serviceName: `db-${RUN}`,
      env: env({ DB_HOST: '127.0.0.1', DB_PORT: String(proxy.port) }),
      jobs: [
        cacheInvalidate,
        cacheRefreshJob({
          'user.name': defineQuery({
            sql: `SELECT name FROM ${schema.name}.users WHERE id = $1`,
            params: z.object({ id: z.number() }),
            values: (p) => [p.id],
            key: (p) => `${RUN}:user:${p.id}:name`,
            ttlSeconds: 60,
          }),
        }),
      ],
    });
  });
  afterAll(async () => {
    await worker.close();
    await proxy.stop();
  });

  const batch = (round: number) =>
    sqsEvent(
      { messageId: 'refresh', body: job(`${RUN}-db-refresh`, 'cache.refresh', { query: 'user.name', params: { id: 7 } }), receiveCount: round },
      { messageId: `invalidate-${round}`, body: job(`${RUN}-db-inv-${round}`, 'cache.invalidate', { keys: [`${RUN}:db:${round}`] }) },
    );

  test('fails only the records that need it, and the same pool recovers when it is back', async () => {
    // GIVEN a worker whose pool is warm
    await worker.handler(
      sqsEvent({ messageId: 'warm', body: job(`${RUN}-db-warm`, 'cache.refresh', { query: 'user.name', params: { id: 1 } }) }),
      lambdaContext(),
    );

    // WHEN the database becomes unreachable (connections cut, new ones refused)
    await proxy.stop();
    const during = await worker.handler(batch(1), lambdaContext());

    // THEN only the refresh fails, quickly, and is logged as a transient failure
    expect(during).toEqual({ batchItemFailures: [{ itemIdentifier: 'refresh' }] });
    expect(output.logs()).toContainEqual(expect.objectContaining({ message: 'job failed', messageId: 'refresh', jobType: 'cache.refresh' }));

    // WHEN it comes back and SQS redelivers
    await proxy.resume();
    const after = await worker.handler(batch(2), lambdaContext());

    // THEN the same worker (no cold start) completes it
    expect(after).toEqual({ batchItemFailures: [] });
    expect(JSON.parse((await redis.get(`${RUN}:user:7:name`))!)).toEqual([{ name: 'user 7' }]);
  });
});
