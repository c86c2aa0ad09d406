// Proof, over repeated receives, that every message ends processed exactly once or in the
// dead-letter queue: none lost, no side effect repeated. The real job runner (Powertools batch and
// idempotency in DynamoDB (a moto server's, with its conditional writes), the cache on the real
// Redis, effects in the real PostgreSQL) consumes an in-process model of
// SQS while faults are injected: jobs failing transiently, invocation responses lost after the
// jobs ran (a Lambda timeout), the same message delivered to two instances at once, poison
// messages, and a job type broken until an operator fixes it and redrives the dead-letter queue.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { createClient } from '@redis/client';
import { defineJob } from '../../lambda/shared/job';
import { createWorker, type Worker } from '../../lambda/shared/worker';
import { captureOutput, lambdaContext } from '../lambda/helpers';
import { MotoDynamoDb } from './helpers/moto-dynamodb';
import { createSchema, POSTGRES, type TestSchema } from './helpers/postgres';
import { seededRandom, SimulatedQueue } from './helpers/simulated-sqs';

const SERVICE = `redrive-it${process.pid}`;
const MAX_RECEIVE_COUNT = 5;
const INSTANCES = 3;
const BATCH_SIZE = 10;
const SEED = Number(process.env.REDRIVE_SEED ?? 20261126);

const secretsManager = mockClient(SecretsManagerClient);
const redis = createClient({ socket: { host: '127.0.0.1', port: 6379 } });
let schema: TestSchema;
let dynamo: MotoDynamoDb;
const TABLE = 'redrive-idempotency';
let output: ReturnType<typeof captureOutput>;

/** What the world does to the workers; the test turns faults off when "the cause is fixed". */
const faults = { transientFailure: 0.15, lostResponse: 0.1, concurrentDuplicate: 0.3, brokenJobsFixed: false };
let random = seededRandom(SEED);

beforeAll(async () => {
  await redis.connect();
  [schema, dynamo] = await Promise.all([createSchema('jobs_redrive'), MotoDynamoDb.start()]);
  await dynamo.createIdempotencyTable(TABLE);
  // No unique constraint: a repeated side effect would show as a second row.
  await schema.query(`CREATE TABLE ${schema.name}.effects (job_id text NOT NULL)`);
  secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: POSTGRES.user, password: 'x' }) });
  output = captureOutput();
});

afterAll(async () => {
  output.restore();
  redis.destroy();
  await dynamo.stop();
  await schema.drop();
  secretsManager.restore();
});

/** One Lambda execution environment: its own connections, the real runner, a job with a side effect. */
function executionEnvironment(): Worker {
  return createWorker({
    serviceName: SERVICE,
    idempotencyStore: dynamo.store(TABLE),
    env: {
      CACHE_HOST: '127.0.0.1',
      CACHE_PORT: '6379',
      CACHE_TLS: 'false',
      DB_HOST: POSTGRES.host,
      DB_PORT: String(POSTGRES.port),
      DB_NAME: POSTGRES.database,
      DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redrive',
      PGSSLMODE: 'disable',
      POWERTOOLS_METRICS_NAMESPACE: 'IntegrationTest',
    },
    jobs: [
      defineJob({
        type: 'test.effect',
        payload: z.object({ label: z.string(), broken: z.optional(z.boolean()) }),
        async run({ label, broken }, { query }) {
          if (broken && !faults.brokenJobsFixed)
            throw new Error('TypeError: cannot read properties of undefined (a bug, fixed by the next deployment)');
          if (random() < faults.transientFailure) throw new Error('connect ETIMEDOUT 10.0.3.7:5432');
          await query(`INSERT INTO ${schema.name}.effects (job_id) VALUES ($1)`, [label]);
          return { label };
        },
      }),
    ],
  });
}

interface DrainStats {
  invocations: number;
  lostResponses: number;
  concurrentDuplicates: number;
}

/** The Lambda poller: each round every environment receives a batch, runs it, and deletes what succeeded. */
async function drain(queue: SimulatedQueue, environments: Worker[]): Promise<DrainStats> {
  const stats: DrainStats = { invocations: 0, lostResponses: 0, concurrentDuplicates: 0 };
  for (let round = 0; queue.pending > 0; round++) {
    if (round > 500) throw new Error(`the queue did not drain in 500 rounds (${queue.pending} left)`);
    const batches: SQSRecord[][] = environments.map(() => queue.receive(BATCH_SIZE));
    // SQS is at-least-once: now and then a message in flight is delivered to a second environment too.
    if (random() < faults.concurrentDuplicate && batches[0].length > 0 && batches.length > 1) {
      batches[1].push(batches[0][Math.floor(random() * batches[0].length)]);
      stats.concurrentDuplicates++;
    }
    await Promise.all(
      batches.map(async (records, i) => {
        if (records.length === 0) return;
        stats.invocations++;
        let response: SQSBatchResponse | undefined;
        try {
          response = await environments[i].handler({ Records: records }, lambdaContext());
        } catch {
          response = undefined; // every record failed: the invocation errored, nothing is deleted
        }
        // The invocation timed out after its jobs ran: the poller never sees the response.
        if (random() < faults.lostResponse) {
          response = undefined;
          stats.lostResponses++;
        }
        if (!response) return;
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        for (const record of records) if (!failed.has(record.messageId)) queue.delete(record.messageId);
      }),
    );
    queue.tick();
  }
  return stats;
}

async function effectCounts(): Promise<Map<string, number>> {
  const rows = await schema.query<{ job_id: string; n: string }>(`SELECT job_id, count(*) AS n FROM ${schema.name}.effects GROUP BY job_id`);
  return new Map(rows.map((r) => [r.job_id, Number(r.n)]));
}

test(`every message ends processed exactly once or in the dead-letter queue (seed ${SEED})`, async () => {
  // GIVEN 100 good jobs, 10 of a type broken until a fix, and 5 poison messages
  random = seededRandom(SEED);
  const queue = new SimulatedQueue({ maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutTicks: 1 });
  const good = Array.from({ length: 100 }, (_, i) => `good-${i}`);
  const broken = Array.from({ length: 10 }, (_, i) => `broken-${i}`);
  const poison = ['poison-0', 'poison-1', 'poison-2', 'poison-3', 'poison-4'];
  const bodies: Record<string, string> = {
    'poison-0': 'not json',
    'poison-1': '{"id": "p1", "type": "test.effect"',
    'poison-2': JSON.stringify({ id: 'p2', type: 'email.send', payload: {} }),
    'poison-3': JSON.stringify({ id: 'p3', type: 'test.effect', payload: { label: 42 } }),
    'poison-4': JSON.stringify({ type: 'test.effect', payload: { label: 'no id' } }),
  };
  for (const id of good) bodies[id] = JSON.stringify({ id, type: 'test.effect', payload: { label: id } });
  for (const id of broken) bodies[id] = JSON.stringify({ id, type: 'test.effect', payload: { label: id, broken: true } });
  const all = [...good, ...broken, ...poison].sort(() => random() - 0.5);
  for (const id of all) queue.send(id, bodies[id]);
  const environments = Array.from({ length: INSTANCES }, executionEnvironment);

  try {
    // WHEN the workers drain the queue under faults
    const stats = await drain(queue, environments);

    // THEN the faults did happen (this run proves something)
    expect(stats.lostResponses).toBeGreaterThan(0);
    expect(stats.concurrentDuplicates).toBeGreaterThan(0);
    // nothing is lost: every message was deleted after success or is a dead letter, not both
    const dead = new Set(queue.deadLetterIds);
    for (const id of all) expect([id, queue.deleted.has(id) !== dead.has(id)]).toEqual([id, true]);
    // poison messages and the broken jobs are dead letters that did nothing
    let effects = await effectCounts();
    for (const id of [...poison, ...broken]) expect([id, dead.has(id), effects.get(id) ?? 0]).toEqual([id, true, 0]);
    // no side effect ran twice; a deleted message ran exactly once (a dead letter at most once)
    for (const id of good) {
      const n = effects.get(id) ?? 0;
      expect([id, queue.deleted.has(id) ? n === 1 : n <= 1]).toEqual([id, true]);
    }
    expect(Math.max(...effects.values())).toBe(1);
    // and the proof covers redelivery: good jobs delivered several times ran once
    const redelivered = good.filter((id) => (queue.deliveries.get(id) ?? 0) > 1 && effects.get(id) === 1);
    expect(redelivered.length).toBeGreaterThan(10);

    // WHEN an operator fixes the cause and redrives the dead-letter queue (faults gone)
    Object.assign(faults, { transientFailure: 0, lostResponse: 0, brokenJobsFixed: true });
    queue.redrive();
    await drain(queue, environments);

    // THEN every job ran exactly once, and only the poison messages are left in the dead-letter queue
    effects = await effectCounts();
    expect([...good, ...broken].filter((id) => effects.get(id) !== 1)).toEqual([]);
    expect(Math.max(...effects.values())).toBe(1);
    expect(queue.deadLetterIds.sort()).toEqual(poison);
  } finally {
    await Promise.all(environments.map((environment) => environment.close()));
  }
});
