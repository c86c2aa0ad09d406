import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueryResult, QueryResultRow } from 'pg';
import type { CacheClient } from './cache';
import { JOB_RECORD_CONCURRENCY } from '../../lib/core/worker-timing';
import { BadMessageError, type JobDefinition, type JobDependencies, type JsonValue } from './job';
import { JobStats, UNPARSED_JOB_TYPE } from './job-stats';
import { parseJob, type Job } from './message';
import { annotate, withMessageTrace, type WorkerTracer } from './tracer';

/**
 * How long a completed job's record is kept, so a redelivered message does not run again: a day
 * covers SQS redeliveries (within minutes), a Lambda timeout's whole-batch retry, and a same-day
 * redrive from the dead-letter queue. Records live in DynamoDB, expiring (TTL) after this.
 */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface CacheProvider {
  client(): Promise<CacheClient>;
}

export interface QueryRunner {
  query<R extends QueryResultRow>(text: string, values: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface JobHandlerOptions {
  /** The job types this worker runs. Two with the same `type` are an error. */
  readonly jobs: readonly JobDefinition[];
  /** The cache jobs use. */
  readonly cache: CacheProvider;
  /**
   * Where the idempotency records live (the DynamoDB table, idempotency-store.ts): never the
   * cache, so a cache eviction, invalidation or outage cannot repeat or fail a job.
   */
  readonly idempotencyStore: BasePersistenceLayer;
  readonly database: QueryRunner;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Prefix of the idempotency keys; keep it stable across deployments. */
  readonly idempotencyKeyPrefix: string;
  /** @default IDEMPOTENCY_TTL_SECONDS */
  readonly idempotencyTtlSeconds?: number;
  /**
   * Records of one batch that run at the same time: as many as the database pool has connections,
   * so a record never queues for a connection (pg counts that wait against its connect timeout).
   * Synth checks a batch's worst case with the default (lib/core/worker-timing.ts).
   *
   * @default JOB_RECORD_CONCURRENCY (2, the database pool's size)
   */
  readonly recordConcurrency?: number;
  /**
   * Traces each job, in the trace of the request that queued it when its message carries a sampled
   * `AWSTraceHeader` (lambda/shared/tracer.ts, `withMessageTrace`).
   *
   * @default - no tracing
   */
  readonly tracer?: WorkerTracer;
  /** The job segments' name on the trace map. @default 'worker' */
  readonly serviceName?: string;
}

export type JobHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * An SQS handler that runs each record as a job with partial batch responses:
 * - a bad record (not JSON, unknown type, invalid payload) fails only itself and is logged with
 *   its messageId and reason; SQS retries it and dead-letters it after maxReceiveCount receives;
 * - a transient failure (cache or database unreachable) fails the records it touches, so SQS
 *   retries exactly those;
 * - a redelivered job (same `id`) returns its stored result without repeating its side effects
 *   (Powertools idempotency, persisted in DynamoDB); the same `id` with another payload fails;
 * - jobs processed, failed and their duration are published per type as EMF metrics.
 */
export function createJobHandler(options: JobHandlerOptions): JobHandler {
  const { logger, metrics } = options;
  const jobs = registry(options.jobs);
  const deps: JobDependencies = {
    cache: () => options.cache.client(),
    query: (text, values) => options.database.query(text, values),
    logger,
  };

  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'id',
    // The same id with another type or payload is a producer bug, not a redelivery: fail it.
    payloadValidationJmesPath: '[type, payload]',
    expiresAfterSeconds: options.idempotencyTtlSeconds ?? IDEMPOTENCY_TTL_SECONDS,
  });
  const persistenceStore = options.idempotencyStore;
  const runOnce = makeIdempotent((job: Job): Promise<JsonValue> => jobs.get(job.type)!.run(job.payload as never, deps), {
    persistenceStore,
    config,
    keyPrefix: options.idempotencyKeyPrefix,
  });

  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    logger.addContext(context);
    config.registerLambdaContext(context);
    const stats = new JobStats();
    const runRecord = async (record: SQSRecord): Promise<JsonValue> => {
      const started = performance.now();
      let job: Job | undefined;
      try {
        job = parseJob(record.body, jobs);
        annotate(options.tracer, 'jobType', job.type);
        const result = await runOnce(job);
        stats.record(job.type, true, performance.now() - started);
        return result;
      } catch (error) {
        stats.record(job?.type ?? UNPARSED_JOB_TYPE, false, performance.now() - started);
        const bad = error instanceof BadMessageError ? error : undefined;
        logger.error(bad ? 'bad message' : 'job failed', {
          messageId: record.messageId,
          jobId: job?.id ?? bad?.jobId,
          jobType: job?.type ?? bad?.jobType,
          receiveCount: Number(record.attributes.ApproximateReceiveCount),
          reason: describeError(error),
        });
        throw error;
      }
    };
    const processRecord = limitConcurrency(options.recordConcurrency ?? JOB_RECORD_CONCURRENCY, (record: SQSRecord): Promise<JsonValue> =>
      withMessageTrace(options.tracer, options.serviceName ?? 'worker', record, () => runRecord(record)),
    );
    try {
      return await processPartialResponse(event, processRecord, processor, { context });
    } finally {
      stats.publish(metrics);
    }
  };
}

/** Wraps `fn` so that at most `limit` calls run at once; the others start in call order as slots free. */
export function limitConcurrency<A extends unknown[], R>(limit: number, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (...args: A) => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing call hands over its slot
    try {
      return await fn(...args);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** `Name: message`, followed by its causes: Powertools wraps the store's own error in its own. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const own = `${error.name}: ${error.message}`;
  return error.cause === undefined ? own : `${own} (cause: ${describeError(error.cause)})`;
}

function registry(jobs: readonly JobDefinition[]): ReadonlyMap<string, JobDefinition> {
  const byType = new Map<string, JobDefinition>();
  for (const job of jobs) {
    if (byType.has(job.type)) throw new Error(`two job definitions share the type '${job.type}'; job types must be unique`);
    byType.set(job.type, job);
  }
  return byType;
}
