import { PUBLISHED_METRICS_METADATA } from '../../../lib/queue-worker/published-metrics';
import type { CfnResource } from '../template';
import { bool, num, refTarget, refersTo, str } from '../template';
import type { Scenario } from '../usage';
import {
  Bill,
  DAYS_PER_MONTH,
  fmt,
  free,
  logStorageMonths,
  perScenario,
  type PerScenario,
  type PricingContext,
  type Priced,
  range,
  unpriced,
  usd,
} from './context';
import { addLambdaTraces } from './tracing';

/** Lambda's default SQS batch size. */
const DEFAULT_BATCH_SIZE = 10;

/** The SQS event-source mappings of a function: each queue it reads, and the batch size. */
export function sqsMappings(functionId: string, ctx: PricingContext): { queueId: string; batchSize: number }[] {
  return ctx.referencing('AWS::Lambda::EventSourceMapping', functionId, 'FunctionName').flatMap(([, m]) => {
    const queueId = refTarget(m.Properties?.EventSourceArn);
    if (!queueId || ctx.get(queueId)?.Type !== 'AWS::SQS::Queue') return [];
    return [{ queueId, batchSize: num(m.Properties?.BatchSize) ?? DEFAULT_BATCH_SIZE }];
  });
}

/** A worker is a function an SQS queue triggers; everything else is invoked rarely (CDK's handlers). */
export function isWorker(functionId: string, ctx: PricingContext): boolean {
  return sqsMappings(functionId, ctx).length > 0;
}

/** Invocations a month: one per batch of each queue's messages, or the assumption for other functions. */
function invocations(functionId: string, ctx: PricingContext): { count: PerScenario; detail: string } {
  const mappings = sqsMappings(functionId, ctx);
  if (mappings.length === 0) {
    return {
      count: perScenario((s) => ctx.use('otherFunctionInvocations', s)),
      detail: `otherFunctionInvocations ${ctx.assumed('otherFunctionInvocations')}`,
    };
  }
  const batches = mappings.map((m) => m.batchSize);
  return {
    count: perScenario((s) => mappings.reduce((sum, m) => sum + ctx.use('workerMessages', s) / m.batchSize, 0)),
    detail: `${mappings.length} queue(s) x workerMessages ${ctx.assumed('workerMessages')} / batch ${batches.join(', ')}`,
  };
}

/** GB a month of logs a function writes. */
export function functionLogGb(functionId: string, ctx: PricingContext, s: Scenario): number {
  return isWorker(functionId, ctx) ? ctx.use('workerLogGb', s) : ctx.use('otherFunctionLogGb', s);
}

/** The log group of the template a function writes to (CDK's managed group, or LoggingConfig's). */
export function functionLogGroup(functionId: string, r: CfnResource, ctx: PricingContext): string | undefined {
  const configured = refTarget((r.Properties?.LoggingConfig as Record<string, unknown> | undefined)?.LogGroup);
  if (configured && ctx.get(configured)?.Type === 'AWS::Logs::LogGroup') return configured;
  return ctx.referencing('AWS::Logs::LogGroup', functionId, 'LogGroupName')[0]?.[0];
}

/**
 * Lambda function: requests and GB-seconds by architecture, from the invocations the queue
 * assumptions imply; its logs too when no log group of the template receives them.
 */
export function lambdaFunction(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const memoryMb = num(p.MemorySize ?? 128);
  if (memoryMb === undefined) return unpriced('MemorySize is not a literal in the template');
  const arch = (Array.isArray(p.Architectures) ? str(p.Architectures[0]) : undefined) ?? 'x86_64';
  const archKey = arch === 'arm64' ? 'arm' : 'x86';
  const worker = isWorker(id, ctx);
  const { count, detail } = invocations(id, ctx);
  const durationKey = worker ? 'workerDurationMs' : 'otherFunctionDurationMs';
  const gbSeconds = (s: Scenario) => count[s] * (ctx.use(durationKey, s) / 1000) * (memoryMb / 1024);
  const bill = new Bill();
  bill.add(
    'Lambda requests',
    () => `${detail} = ${range(count, (n) => fmt(Math.round(n)))} invocations x ${usd(ctx.price('lambda.requests.perMillion'))}/M`,
    (s) => (count[s] / 1e6) * ctx.price('lambda.requests.perMillion'),
  );
  bill.add(
    `Lambda compute (${arch})`,
    () =>
      `invocations x ${durationKey} ${ctx.assumed(durationKey)} ms x ${fmt(memoryMb / 1024)} GB x ${usd(ctx.price(`lambda.${archKey}.gbSecond`))}/GB-s`,
    (s) => gbSeconds(s) * ctx.price(`lambda.${archKey}.gbSecond`),
  );
  const ephemeralMb = num((p.EphemeralStorage as Record<string, unknown> | undefined)?.Size);
  if (ephemeralMb !== undefined && ephemeralMb > 512) {
    const extraGb = (ephemeralMb - 512) / 1024;
    bill.add(
      'Lambda ephemeral storage above 512 MB',
      () => `${fmt(extraGb)} GB x invocation seconds x ${usd(ctx.price('lambda.ephemeralStorage.gbSecond'))}/GB-s`,
      (s) => count[s] * (ctx.use(durationKey, s) / 1000) * extraGb * ctx.price('lambda.ephemeralStorage.gbSecond'),
    );
  }
  customMetrics(bill, r, ctx);
  addLambdaTraces(bill, r, count, ctx);
  if (!functionLogGroup(id, r, ctx)) {
    const logKey = worker ? 'workerLogGb' : 'otherFunctionLogGb';
    bill.add(
      'Lambda logs (group without retention)',
      () =>
        `to the automatic /aws/lambda group: ${logKey} ${ctx.assumed(logKey)} GB x ${usd(ctx.price('cloudwatch.logs.ingestion.standard.gb'))}/GB + neverExpireLogMonths of storage`,
      (s) =>
        functionLogGb(id, ctx, s) *
        (ctx.price('cloudwatch.logs.ingestion.standard.gb') + logStorageMonths(undefined, ctx, s) * ctx.price('cloudwatch.logs.storage.gbMonth')),
    );
  }
  return bill;
}

/**
 * The custom metrics (EMF) a function declares it publishes (`PUBLISHED_METRICS_METADATA`, written by
 * QueueWorker and the insight workers from the constants their code publishes from): each distinct
 * series (metric name and dimension values) at the first-tier price, as if it received data every
 * hour (CloudWatch prorates a series by the hours it is published in; the per-account free ten are
 * not applied). A function that sets a Powertools metrics namespace without a declaration is
 * unpriced; one that does neither publishes nothing the template can show.
 */
function customMetrics(bill: Bill, r: CfnResource, ctx: PricingContext): void {
  const declared = r.Metadata?.[PUBLISHED_METRICS_METADATA];
  if (declared === undefined) {
    const variables = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    if ('POWERTOOLS_METRICS_NAMESPACE' in variables) {
      bill.cannot(
        `custom metrics: the function sets POWERTOOLS_METRICS_NAMESPACE but declares no metric series (Metadata '${PUBLISHED_METRICS_METADATA}'; QueueWorker's publishedMetrics prop)`,
      );
    }
    return;
  }
  const series = (declared as { Series?: unknown } | null)?.Series;
  const valid =
    Array.isArray(series) &&
    series.every(
      (s) =>
        typeof (s as { MetricName?: unknown })?.MetricName === 'string' &&
        typeof (s as { Dimensions?: unknown }).Dimensions === 'object' &&
        (s as { Dimensions?: unknown }).Dimensions !== null,
    );
  if (!valid) {
    bill.cannot(`custom metrics: Metadata '${PUBLISHED_METRICS_METADATA}' is not {Series: [{MetricName, Dimensions}]}`);
    return;
  }
  const entries = series as { MetricName: string; Dimensions: Record<string, unknown> }[];
  const distinct = new Set(entries.map((s) => JSON.stringify([s.MetricName, Object.entries(s.Dimensions).sort(([a], [b]) => a.localeCompare(b))])));
  if (distinct.size === 0) return;
  const names = [...new Set(entries.map((s) => s.MetricName))];
  const key = 'cloudwatch.metrics.custom.first10k.metricMonth';
  bill.add(
    'custom metrics (EMF)',
    () =>
      `${distinct.size} series (${names.length} metric(s): ${names.join(', ')}) declared, each billed every hour x ${usd(ctx.price(key))}/metric-month`,
    () => distinct.size * ctx.price(key),
  );
}

/** Versions and aliases are free, unless they keep provisioned concurrency warm. */
export function lambdaVersionOrAlias(_id: string, r: CfnResource): Priced {
  return r.Properties?.ProvisionedConcurrencyConfig
    ? unpriced('provisioned concurrency is not in the price table')
    : free('versions and aliases are free without provisioned concurrency');
}

/**
 * Event-source mappings are free (their SQS requests are priced on the queue), unless provisioned:
 * then each SQS event poller is one Event Poller Unit, billed by the hour. The baseline month runs
 * the minimum pollers, the peak month the maximum (an upper bound: pollers scale back down).
 */
export function eventSourceMapping(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const config = r.Properties?.ProvisionedPollerConfig as Record<string, unknown> | undefined;
  if (!config) return free('mappings are free; the SQS requests they make are priced on the queue');
  const source = ctx.get(refTarget(r.Properties?.EventSourceArn));
  if (source?.Type !== 'AWS::SQS::Queue') return unpriced('provisioned pollers of a non-SQS event source are not in the price table');
  // AWS's defaults for SQS when a bound is left out: 2 and 200.
  const min = num(config.MinimumPollers ?? 2);
  const max = num(config.MaximumPollers ?? 200);
  if (min === undefined || max === undefined) return unpriced('MinimumPollers or MaximumPollers is not a literal in the template');
  const key = 'lambda.provisionedPoller.sqs.epuHour';
  const pollers = perScenario((s) => (s === 'baseline' ? min : max));
  const bill = new Bill();
  bill.add(
    'provisioned SQS event pollers',
    () => `${range(pollers)} poller(s) (minimum in the baseline, maximum at peak) x 1 EPU x ${ctx.hours} h x ${usd(ctx.price(key))}/EPU-hour`,
    (s) => pollers[s] * ctx.hours * ctx.price(key),
  );
  return bill;
}

/**
 * Writes per job to an idempotency table (Powertools' DynamoDB layer): the conditional PutItem that
 * takes the lock and the UpdateItem that stores the result, each under 1 KB (1 WRU) for the jobs
 * shipped here. A read happens only when a message comes back (a GetItem after a failed put).
 */
const IDEMPOTENCY_WRITES_PER_JOB = 2;
/** A record's size in KB: key, status, expiries, payload hash and a small result. */
const IDEMPOTENCY_RECORD_KB = 1;

/**
 * DynamoDB table on demand: the writes of the worker functions that name it in their environment
 * (idempotency records: 2 per job) and a day of records stored. Any other table is unpriced.
 */
export function dynamoDbTable(id: string, r: CfnResource, ctx: PricingContext): Priced {
  if (str(r.Properties?.BillingMode) !== 'PAY_PER_REQUEST') return unpriced('provisioned-capacity tables are not in the price table');
  const writers = ctx.ofType('AWS::Lambda::Function').filter(([functionId, fn]) => {
    const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    return isWorker(functionId, ctx) && Object.values(variables).some((value) => refersTo(value, id));
  });
  if (writers.length === 0) return unpriced('no worker function names the table in its environment, so its requests cannot be estimated');
  const jobs = (s: Scenario) => writers.length * ctx.use('workerMessages', s);
  const writeKey = 'dynamodb.onDemand.writeRequestUnits.perMillion';
  const storageKey = 'dynamodb.storage.gbMonth';
  const bill = new Bill();
  bill.add(
    'DynamoDB on-demand writes (idempotency records)',
    () =>
      `${writers.length} worker(s) x workerMessages ${ctx.assumed('workerMessages')} x ${IDEMPOTENCY_WRITES_PER_JOB} writes of <= ${IDEMPOTENCY_RECORD_KB} KB x ${usd(ctx.price(writeKey))}/M WRU`,
    (s) => ((jobs(s) * IDEMPOTENCY_WRITES_PER_JOB) / 1e6) * ctx.price(writeKey),
  );
  bill.add(
    'DynamoDB storage (a day of records; TTL deletes are free)',
    () =>
      `jobs / ${fmt(DAYS_PER_MONTH)} days x ${IDEMPOTENCY_RECORD_KB} KB x ${usd(ctx.price(storageKey))}/GB-month (the 25 GB free per account not applied)`,
    (s) => ((jobs(s) / DAYS_PER_MONTH) * IDEMPOTENCY_RECORD_KB * ctx.price(storageKey)) / (1024 * 1024),
  );
  return bill;
}

/**
 * SQS queue: requests a month. A queue a Lambda reads: a send per message, a receive and a delete
 * per batch, and the event source's long polls. A dead-letter queue: a send and a receive per
 * failed message. Any other queue: an assumption.
 */
export function sqsQueue(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const fifo = bool(r.Properties?.FifoQueue);
  const key = fifo ? 'sqs.fifo.perMillionRequests' : 'sqs.standard.perMillionRequests';
  const readers = ctx.ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => refTarget(m.Properties?.EventSourceArn) === id);
  const isDeadLetter = ctx
    .ofType('AWS::SQS::Queue')
    .some(
      ([otherId, q]) => otherId !== id && refersTo((q.Properties?.RedrivePolicy as Record<string, unknown> | undefined)?.deadLetterTargetArn, id),
    );
  let requests: (s: Scenario) => number;
  let detail: string;
  if (readers.length > 0) {
    const batches = readers.map(([, m]) => num(m.Properties?.BatchSize) ?? DEFAULT_BATCH_SIZE);
    requests = (s) => batches.reduce((sum, batch) => sum + ctx.use('workerMessages', s) * (1 + 2 / batch) + ctx.use('sqsIdlePollRequests', s), 0);
    detail = `${readers.length} reader(s) x (workerMessages ${ctx.assumed('workerMessages')} x (1 send + 2 per batch of ${batches.join(', ')}) + sqsIdlePollRequests ${ctx.assumed('sqsIdlePollRequests')})`;
  } else if (isDeadLetter) {
    requests = (s) => 2 * ctx.use('dlqMessages', s);
    detail = `dead-letter queue: dlqMessages ${ctx.assumed('dlqMessages')} x 2 (send, receive)`;
  } else {
    requests = (s) => ctx.use('otherQueueRequests', s);
    detail = `otherQueueRequests ${ctx.assumed('otherQueueRequests')}`;
  }
  const bill = new Bill();
  bill.add(
    `SQS ${fifo ? 'FIFO' : 'standard'} requests`,
    () => `${detail} x ${usd(ctx.price(key))}/M`,
    (s) => (requests(s) / 1e6) * ctx.price(key),
  );
  return bill;
}
