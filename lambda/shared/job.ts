import type * as z from 'zod/mini';
// Every job module imports this one: the schema messages are configured before any job parses.
import './schema';
import type { QueryResult, QueryResultRow } from 'pg';
import type { CacheClient } from './cache';
import type { WorkerLogger } from './logger';

export type { WorkerLogger } from './logger';

/** What a job may use. Each dependency connects on first use, once per execution environment. */
export interface JobDependencies {
  /** The cache (Valkey/Redis), connected. */
  cache(): Promise<CacheClient>;
  /** One parameterized statement against PostgreSQL. */
  query<R extends QueryResultRow>(text: string, values: readonly unknown[]): Promise<QueryResult<R>>;
  readonly logger: WorkerLogger;
}

/**
 * One job type: its name, the schema of its payload, and what it does. `run` must be safe to retry
 * after a failure (it is retried by SQS), and its result is stored for the idempotency window so a
 * redelivered message returns it without running again.
 */
export interface JobDefinition<Payload extends z.ZodMiniType = z.ZodMiniType> {
  /** The `type` of the message, e.g. 'cache.invalidate'. */
  readonly type: string;
  readonly payload: Payload;
  run(payload: z.output<Payload>, deps: JobDependencies): Promise<JsonValue>;
}

/** A result the idempotency store can keep (it is stored as JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Declares a job type with its payload type inferred from the schema. */
export function defineJob<Payload extends z.ZodMiniType>(job: JobDefinition<Payload>): JobDefinition<Payload> {
  return job;
}

/**
 * A record that can never succeed as sent (not JSON, unknown type, invalid payload). It fails only
 * itself; SQS retries it and moves it to the dead-letter queue after maxReceiveCount receives.
 */
export class BadMessageError extends Error {
  override readonly name = 'BadMessageError';

  constructor(
    message: string,
    /** The job's id and type, when the envelope was readable. */
    readonly jobId?: string,
    readonly jobType?: string,
  ) {
    super(message);
  }
}
