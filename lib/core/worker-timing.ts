import { LAMBDA_TIMEOUT_RANGE } from './worker';

/**
 * How long the jobs worker (lambda/jobs) may wait on its cache and database, and what that adds up
 * to for one batch. The runtime (lambda/shared/database.ts, cache.ts, job-runner.ts) takes its
 * timeouts from here, and synth (the profile rules, QueueWorker's checks) checks a batch against the
 * function timeout with the same numbers: one source of truth, plain data.
 */

/**
 * Connections one execution environment may open. An environment runs one batch at a time, and
 * JOB_RECORD_CONCURRENCY of its records at once, one connection each.
 */
export const DATABASE_POOL_SIZE = 2;

/**
 * Records of one batch the job runner runs at the same time: as many as the pool has connections,
 * so a record never queues for a connection (`pg` counts that wait against its connect timeout).
 */
export const JOB_RECORD_CONCURRENCY = DATABASE_POOL_SIZE;

/** Fail a record rather than wait for an unreachable database until the Lambda timeout. */
export const DATABASE_CONNECT_TIMEOUT_MS = 3_000;

/**
 * A query that runs longer is cancelled by the server: a stuck job must not hold the batch.
 *
 * Straight to the instance the pool asks for it as the `statement_timeout` start-up parameter.
 * Through RDS Proxy it cannot: the proxy refuses start-up parameters it does not support, failing
 * every connection (reported in n8n-io/n8n#25705, fixed by n8n-io/n8n#27295; ForumMagnum/ForumMagnum#11415
 * "remove statement_timeout since not supported by rds proxy"), and its init query is "not currently
 * supported for PostgreSQL" (aws-cdk-lib `DatabaseProxyOptions.initQuery`). There the server-side
 * limit comes from the database role (`ALTER ROLE … SET statement_timeout`, applied when the proxy
 * opens its own connections), which the Database's bootstrap sets on the application role
 * (APPLICATION_STATEMENT_TIMEOUT_MS in database-roles.ts); with `bootstrap: false` only the
 * client-side DATABASE_QUERY_TIMEOUT_MS below bounds a proxied query.
 */
export const DATABASE_STATEMENT_TIMEOUT_MS = 10_000;

/**
 * The client-side backstop: `pg` gives up on a query after this long and the pool discards the
 * connection. It fires only when the server did not enforce DATABASE_STATEMENT_TIMEOUT_MS (a proxied
 * role without the setting, or a network that went silent); one second later than the server's
 * limit, so that where the server does enforce it, its cancellation (SQLSTATE 57014, connection
 * kept) arrives first.
 */
export const DATABASE_QUERY_TIMEOUT_MS = DATABASE_STATEMENT_TIMEOUT_MS + 1_000;

/** How long a cache connection attempt may take before the records that need it fail and are retried. */
export const CACHE_CONNECT_TIMEOUT_MS = 2_000;

/** One bounded wait on a record's path, for the budget's explanation. */
export interface RecordWait {
  readonly what: string;
  readonly ms: number;
}

/**
 * The longest a record of the jobs worker can take, as the sum of the waits its code bounds, in the
 * order it meets them: the job's first cache command opens the connection (when there is none, or
 * replaces one that broke or sat idle; the idempotency records are in DynamoDB, bounded by
 * IDEMPOTENCY_STORE_CLIENT in worker.ts), then `cache.refresh` opens a database
 * connection (after the previous record's query timed out, the pool discarded that one) and runs
 * its query, which the client gives up on after DATABASE_QUERY_TIMEOUT_MS when the server did not
 * cancel it first.
 *
 * Not in the sum, because nothing bounds them and they are short when the services are up: cache
 * commands (in-memory round trips; a command that meets a closed socket is retried once on a fresh
 * connection), the secret fetches of a cold environment, and the job's own CPU time.
 */
export const JOB_RECORD_WAITS: readonly RecordWait[] = [
  { what: 'cache connect', ms: CACHE_CONNECT_TIMEOUT_MS },
  { what: 'database connect', ms: DATABASE_CONNECT_TIMEOUT_MS },
  { what: 'query', ms: DATABASE_QUERY_TIMEOUT_MS },
];

export interface BatchTimeBudgetInput {
  /** Records per invocation (the event source's batch size). */
  readonly batchSize: number;
  /** Records of one batch that run at the same time (JOB_RECORD_CONCURRENCY for the jobs worker). */
  readonly recordConcurrency: number;
  /** The bounded waits of one record (JOB_RECORD_WAITS for the jobs worker). */
  readonly recordWaits: readonly RecordWait[];
  /** The function timeout. */
  readonly timeoutSeconds: number;
}

export interface BatchTimeBudget {
  /** Rounds of `recordConcurrency` records the batch needs when every record takes its longest. */
  readonly rounds: number;
  /** The longest one record can take (the sum of its waits). */
  readonly recordWorstCaseMs: number;
  /** The longest the batch can take: rounds × recordWorstCaseMs. */
  readonly worstCaseMs: number;
  /** Whether the worst case ends within the function timeout. */
  readonly fits: boolean;
  /** The largest batch size that fits the timeout (0 when not even one record does). */
  readonly largestFittingBatchSize: number;
  /** The shortest whole-second timeout the batch fits in. */
  readonly smallestFittingTimeoutSeconds: number;
}

/**
 * A batch's worst case against its function timeout. The job runner starts `recordConcurrency`
 * records and starts the next as one finishes (`limitConcurrency` in lambda/shared/job-runner.ts);
 * when every record takes its longest they finish together, so the batch runs
 * ⌈batchSize / recordConcurrency⌉ rounds of one record's worst case. A batch that outlives the
 * timeout is killed mid-way: the runner never returns its partial response, so every record of it,
 * the ones that succeeded too, becomes visible again after the visibility timeout and counts a
 * receive toward the dead-letter queue.
 */
export function batchTimeBudget(input: BatchTimeBudgetInput): BatchTimeBudget {
  const recordWorstCaseMs = input.recordWaits.reduce((sum, wait) => sum + wait.ms, 0);
  const rounds = Math.ceil(input.batchSize / input.recordConcurrency);
  const worstCaseMs = rounds * recordWorstCaseMs;
  const timeoutMs = input.timeoutSeconds * 1000;
  return {
    rounds,
    recordWorstCaseMs,
    worstCaseMs,
    fits: worstCaseMs <= timeoutMs,
    largestFittingBatchSize: Math.floor(timeoutMs / recordWorstCaseMs) * input.recordConcurrency,
    smallestFittingTimeoutSeconds: Math.ceil(worstCaseMs / 1000),
  };
}

/** The field names a message uses: `worker.batchSize` in a profile, `batchSize` on QueueWorker. */
export interface BatchTimeBudgetNames {
  readonly batchSize: string;
  readonly timeout: string;
}

/**
 * The problem when a batch cannot finish inside its timeout, naming every number and the three
 * fixes, or undefined when it fits.
 */
export function batchTimeBudgetProblem(input: BatchTimeBudgetInput, names: BatchTimeBudgetNames): string | undefined {
  const budget = batchTimeBudget(input);
  if (budget.fits) return undefined;
  const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
  const waits = input.recordWaits.map((w) => `${w.what} ${seconds(w.ms)}`).join(' + ');
  const fixes = [
    ...(budget.largestFittingBatchSize > 0 ? [`lower ${names.batchSize} to ${budget.largestFittingBatchSize}`] : []),
    ...(budget.smallestFittingTimeoutSeconds <= LAMBDA_TIMEOUT_RANGE.max
      ? [`raise ${names.timeout} to ${budget.smallestFittingTimeoutSeconds}`]
      : []),
    "shorten the worker's timeouts (lib/core/worker-timing.ts)",
  ];
  return `${names.batchSize} (${input.batchSize}) at ${input.recordConcurrency} records at a time is ${budget.rounds} rounds × ${seconds(budget.recordWorstCaseMs)} per record (${waits}) = ${seconds(budget.worstCaseMs)} at the worst case, more than ${names.timeout} (${input.timeoutSeconds} s): the function would be stopped mid-batch and every record of it retried, the finished ones too; ${fixes.join(', or ')}`;
}

/**
 * batchTimeBudgetProblem for the jobs worker shipped in this package, whose record concurrency and
 * waits are the constants above.
 */
export function jobsBatchTimeBudgetProblem(batchSize: number, timeoutSeconds: number, names: BatchTimeBudgetNames): string | undefined {
  return batchTimeBudgetProblem({ batchSize, timeoutSeconds, recordConcurrency: JOB_RECORD_CONCURRENCY, recordWaits: JOB_RECORD_WAITS }, names);
}
