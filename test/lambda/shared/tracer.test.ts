import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { captureOutput, FakeCache, job, lambdaContext, sqsRecord } from '../helpers';
import { FakeIdempotencyTable } from '../fake-idempotency-table';

// The trace context carried through the queue, tested the way Powertools' docs test Tracer: with
// the real Tracer and X-Ray SDK in "Lambda mode" (AWS_EXECUTION_ENV, LAMBDA_TASK_ROOT and the
// invocation's _X_AMZN_TRACE_ID set as Lambda sets them) and the X-Ray daemon replaced by a UDP
// socket this test listens on (AWS_XRAY_DAEMON_ADDRESS): every segment the worker emits is read
// back as the JSON the daemon would forward to X-Ray. (@aws-lambda-powertools/testing-utils is not
// published on npm; nothing here is mocked but the daemon.)

/** The request's trace, as the web tier put it in the message's AWSTraceHeader. */
const REQUEST_ROOT = '1-67891233-abcdef012345678912345678';
const REQUEST_PARENT = '53995c3f42cd8ad8';
/** The invocation's own trace (Lambda starts one per batch). */
const INVOCATION_ROOT = '1-5759e988-bd862e3fe1be46a994272793';

type Doc = Record<string, unknown> & { name?: string; trace_id?: string; parent_id?: string; id?: string; type?: string };

let daemon: dgram.Socket;
const received: Doc[] = [];
// Loaded after the environment is set: the X-Ray SDK reads it when it is first required.
let tracerModule: typeof import('../../../lambda/shared/tracer');
let runnerModule: typeof import('../../../lambda/shared/job-runner');
let jobModule: typeof import('../../../lambda/shared/job');
const saved = { ...process.env };

beforeAll(async () => {
  daemon = dgram.createSocket('udp4');
  daemon.on('message', (message) => {
    // "{"format":"json","version":1}\n{segment}"
    const body = message.toString().split('\n').slice(1).join('\n');
    received.push(JSON.parse(body) as Doc);
  });
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  const { port } = daemon.address() as AddressInfo;
  Object.assign(process.env, {
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_LAMBDA_FUNCTION_NAME: 'jobs-worker',
    POWERTOOLS_TRACE_ENABLED: 'true',
    _X_AMZN_TRACE_ID: `Root=${INVOCATION_ROOT};Parent=1111111111111111;Sampled=1`,
  });
  /* eslint-disable @typescript-eslint/no-require-imports -- required only now, after the environment is set */
  tracerModule = require('../../../lambda/shared/tracer');
  runnerModule = require('../../../lambda/shared/job-runner');
  jobModule = require('../../../lambda/shared/job');
  /* eslint-enable @typescript-eslint/no-require-imports */
});

afterAll(() => {
  daemon.close();
  process.env = saved;
});

/**
 * Every segment and subsegment the daemon received, whether sent alone (streamed, with its own
 * trace_id and parent_id) or inside its parent's `subsegments` (given its parent's trace and id here).
 */
function flatten(docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  const visit = (doc: Doc, parent?: Doc) => {
    const flat = parent ? { trace_id: parent.trace_id, parent_id: parent.id, ...doc } : doc;
    out.push(flat);
    for (const sub of (doc.subsegments as Doc[] | undefined) ?? []) visit(sub, flat);
  };
  for (const doc of docs) visit(doc);
  return out;
}

/** Waits until `predicate` holds for what the daemon received (UDP delivery is asynchronous). */
async function receivedUntil(predicate: (docs: Doc[]) => boolean): Promise<Doc[]> {
  for (let i = 0; i < 100 && !predicate(flatten(received)); i++) await new Promise((r) => setTimeout(r, 10));
  return flatten(received);
}

function worker(tracing: boolean) {
  const { createTracer, traceHandler, traced } = tracerModule;
  process.env.POWERTOOLS_TRACE_ENABLED = String(tracing);
  const tracer = createTracer('jobs');
  const cache = new FakeCache();
  const ran: string[] = [];
  const work = jobModule.defineJob({
    type: 'test.work',
    payload: z.object({ label: z.string() }),
    // A call the job makes, recorded the way DatabasePool and CacheConnection record theirs.
    run: async ({ label }) => traced(tracer, '## downstream', async () => (ran.push(label), { label })),
  });
  const handler = runnerModule.createJobHandler({
    jobs: [work],
    cache: { client: async () => cache.asClient() },
    database: { query: async () => ({ rows: [], rowCount: 0, command: 'SELECT', oid: 0, fields: [] }) },
    logger: new Logger({ serviceName: 'jobs' }),
    metrics: new Metrics({ serviceName: 'jobs', namespace: 'Test/Workers' }),
    idempotencyKeyPrefix: 'idempotency:jobs',
    idempotencyStore: new FakeIdempotencyTable().store(),
    tracer,
    serviceName: 'jobs',
  });
  return { handler: traceHandler(tracer, 'jobs', handler), ran, tracer };
}

function eventWithTraceHeaders(headers: Record<string, string | undefined>): SQSEvent {
  return {
    Records: Object.entries(headers).map(([messageId, header]) => {
      const record = sqsRecord({ messageId, body: job(`job-${messageId}`, 'test.work', { label: messageId }) });
      return header === undefined ? record : { ...record, attributes: { ...record.attributes, AWSTraceHeader: header } };
    }),
  };
}

describe('trace context through the queue', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    received.length = 0;
    output = captureOutput();
  });
  afterEach(() => output.restore());

  test("a job whose message carries a sampled AWSTraceHeader is recorded in the request's trace, under the sender's span", async () => {
    // GIVEN a message the web tier sent inside a traced request
    const { handler, ran } = worker(true);
    const event = eventWithTraceHeaders({ m1: `Root=${REQUEST_ROOT};Parent=${REQUEST_PARENT};Sampled=1` });

    // WHEN the worker runs the batch
    const response = await handler(event, lambdaContext());

    // THEN the job ran, and its segment is in the request's trace, child of the span that sent it
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ran).toEqual(['m1']);
    const docs = await receivedUntil((d) => d.some((x) => x.name === 'jobs' && x.type !== 'subsegment') && d.some((x) => x.name === '## downstream'));
    const jobSegment = docs.find((d) => d.name === 'jobs' && d.type !== 'subsegment')!;
    expect(jobSegment).toMatchObject({
      trace_id: REQUEST_ROOT,
      parent_id: REQUEST_PARENT,
      origin: 'AWS::Lambda::Function',
      annotations: { messageId: 'm1', invocationTraceId: INVOCATION_ROOT, jobType: 'test.work' },
    });
    // The job's own calls are subsegments of that segment, in the same trace.
    const downstream = docs.find((d) => d.name === '## downstream')!;
    expect(downstream).toMatchObject({ trace_id: REQUEST_ROOT, parent_id: jobSegment.id, namespace: 'remote' });
    // And the batch's trace points back at the request.
    const recordSubsegment = docs.find((d) => d.name === '## record m1')!;
    expect(recordSubsegment).toMatchObject({ trace_id: INVOCATION_ROOT, annotations: { messageId: 'm1', requestTraceId: REQUEST_ROOT } });
  });

  test('concurrent records each stay in their own request trace', async () => {
    // GIVEN two messages from two requests in one batch (the runner runs two records at a time)
    const { handler } = worker(true);
    const other = '1-67891234-0123456789abcdef01234567';
    await handler(
      eventWithTraceHeaders({ a: `Root=${REQUEST_ROOT};Parent=${REQUEST_PARENT};Sampled=1`, b: `Root=${other};Parent=aaaaaaaaaaaaaaaa;Sampled=1` }),
      lambdaContext(),
    );

    // THEN each job segment and its subsegment carry their own message's trace
    const docs = await receivedUntil((d) => d.filter((x) => x.name === '## downstream').length === 2);
    const segments = docs.filter((d) => d.name === 'jobs' && d.type !== 'subsegment');
    expect(docs.filter((d) => d.name === '## downstream')).toHaveLength(2);
    expect(segments.map((s) => [(s.annotations as Record<string, string>).messageId, s.trace_id]).sort()).toEqual([
      ['a', REQUEST_ROOT],
      ['b', other],
    ]);
    for (const sub of docs.filter((d) => d.name === '## downstream')) {
      expect(segments.find((s) => s.id === sub.parent_id)?.trace_id).toBe(sub.trace_id);
    }
  });

  test("a message without a sampled trace header starts no trace of its own: the job is a subsegment of the batch's", async () => {
    // GIVEN one message from an untraced producer and one the producer did not sample
    const { handler, ran } = worker(true);
    await handler(eventWithTraceHeaders({ plain: undefined, unsampled: `Root=${REQUEST_ROOT};Parent=${REQUEST_PARENT};Sampled=0` }), lambdaContext());

    // THEN both ran, and everything recorded is in the invocation's trace
    expect(ran.sort()).toEqual(['plain', 'unsampled']);
    const docs = await receivedUntil((d) => d.filter((x) => x.name?.startsWith('## record')).length === 2);
    expect(docs.filter((d) => d.trace_id === REQUEST_ROOT)).toEqual([]);
    expect(docs.find((d) => d.name === '## record plain')).toMatchObject({ trace_id: INVOCATION_ROOT, annotations: { jobType: 'test.work' } });
  });

  test('with tracing off (POWERTOOLS_TRACE_ENABLED=false) nothing is recorded and the job still runs', async () => {
    // GIVEN the same traced message, in a function without active tracing
    const { handler, ran, tracer } = worker(false);

    // WHEN
    const response = await handler(eventWithTraceHeaders({ m1: `Root=${REQUEST_ROOT};Parent=${REQUEST_PARENT};Sampled=1` }), lambdaContext());

    // THEN there is no tracer at all, the job ran, and no segment reached the daemon
    expect(tracer).toBeUndefined();
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ran).toEqual(['m1']);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([]);
  });
});

describe('parseTraceHeader', () => {
  test('reads Root, Parent and Sampled in any order', () => {
    expect(tracerModule.parseTraceHeader(`Sampled=1;Parent=${REQUEST_PARENT};Root=${REQUEST_ROOT}`)).toEqual({
      root: REQUEST_ROOT,
      parent: REQUEST_PARENT,
      sampled: true,
    });
    expect(tracerModule.parseTraceHeader(`Root=${REQUEST_ROOT}`)).toEqual({ root: REQUEST_ROOT, parent: undefined, sampled: undefined });
  });

  test('refuses a header without a valid Root', () => {
    expect(tracerModule.parseTraceHeader(undefined)).toBeUndefined();
    expect(tracerModule.parseTraceHeader('Parent=53995c3f42cd8ad8;Sampled=1')).toBeUndefined();
    expect(tracerModule.parseTraceHeader('Root=1-xyz-abc;Sampled=1')).toBeUndefined();
  });
});

describe('subsegments of the calls a worker makes', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    received.length = 0;
    process.env.POWERTOOLS_TRACE_ENABLED = 'true';
    output = captureOutput();
  });
  afterEach(() => output.restore());

  test('a database statement is an SQL subsegment with its text, never its values, and records the failure', async () => {
    // GIVEN a pool whose server refuses connections
    const { DatabasePool } = require('../../../lambda/shared/database') as typeof import('../../../lambda/shared/database'); // eslint-disable-line @typescript-eslint/no-require-imports
    const tracer = tracerModule.createTracer('jobs')!;
    const pool = new DatabasePool(
      async () => ({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 500 }),
      new Logger(),
      () => {},
      tracer,
    );

    // WHEN a statement runs
    await expect(pool.query('SELECT $1::text AS secret', ['hunter2'])).rejects.toThrow(/ECONNREFUSED/);
    await pool.close();

    // THEN
    const docs = await receivedUntil((d) => d.some((x) => x.name === '## postgres'));
    const statement = docs.find((d) => d.name === '## postgres')!;
    expect(statement).toMatchObject({
      trace_id: INVOCATION_ROOT,
      namespace: 'remote',
      sql: { database_type: 'PostgreSQL', sanitized_query: 'SELECT $1::text AS secret' },
      fault: true,
    });
    expect(JSON.stringify(statement)).not.toContain('hunter2');
  });

  test('tracedCall closes the subsegment when a promise settles and passes any other value through untouched', async () => {
    const tracer = tracerModule.createTracer('jobs')!;
    const chain = { exec: () => 'not a promise' };
    expect(tracerModule.tracedCall(tracer, '## valkey multi', () => chain)).toBe(chain);
    await expect(tracerModule.tracedCall(tracer, '## valkey GET', async () => 'value')).resolves.toBe('value');
    await expect(tracerModule.tracedCall(tracer, '## valkey SET', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    const docs = await receivedUntil((d) => d.filter((x) => x.name?.startsWith('## valkey')).length === 3);
    expect(docs.filter((d) => d.name?.startsWith('## valkey')).map((d) => [d.name, d.in_progress ?? false, d.fault ?? false])).toEqual([
      ['## valkey multi', false, false],
      ['## valkey GET', false, false],
      ['## valkey SET', false, true],
    ]);
  });
});
