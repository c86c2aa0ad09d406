// The account's Lambda concurrency, shared out: functions with reserved concurrency take their
// share off the top, AWS keeps 100 unreserved, and the jobs worker (which reserves nothing: its SQS
// event source's `maximumConcurrency` caps it) draws from what is left. Pure: the profile rules and
// ScalingStack (which counts every function it synthesizes) call the same check.
import {
  DB_INSIGHTS_DEFAULT_INTERVAL_MINUTES,
  DB_INSIGHTS_TIMEOUT_SECONDS,
  RIGHTSIZING_DEFAULT_INTERVAL_MINUTES,
  RIGHTSIZING_TIMEOUT_SECONDS,
} from './insights';

/**
 * Lambda's default quota of concurrent executions per account and Region ("Concurrent executions",
 * quota code L-B99A9384). New accounts may start lower and are raised with use: set the profile's
 * `worker.accountConcurrency` to the value Service Quotas shows.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

/**
 * Lambda keeps at least this much of the account's concurrency unreserved: a reservation that
 * would leave less is refused. The stack also leaves it to the functions that reserve nothing
 * besides the jobs worker (custom resource handlers, other stacks in the account).
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/**
 * Concurrency a scheduled worker reserves: enough for every run its schedule can start while an
 * earlier run is still going (a run lasts at most its timeout), and at least 1. With one
 * execution at a time a retry or a late run never runs beside another: Lambda keeps an
 * asynchronous invocation it had to throttle in its queue and retries it for up to the event's
 * maximum age (6 hours by default), so nothing is lost, and the database sees one insights
 * session at a time. https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
export function scheduledWorkerReservedConcurrency(shortestIntervalMinutes: number, timeoutSeconds: number): number {
  return Math.max(1, Math.ceil(timeoutSeconds / (shortestIntervalMinutes * 60)));
}

/**
 * The reservations of ScalingStack's scheduled workers on their default schedules (one each: a
 * 60 s run every 15 minutes, a 120 s run daily), which the profile rules count. ScalingStack
 * itself counts the functions it synthesizes.
 */
export function stackScheduledWorkerReservations(): readonly ConcurrencyReservation[] {
  return [
    {
      name: 'database insights worker',
      reservedConcurrency: scheduledWorkerReservedConcurrency(DB_INSIGHTS_DEFAULT_INTERVAL_MINUTES, DB_INSIGHTS_TIMEOUT_SECONDS),
    },
    {
      name: 'right-sizing advisor',
      reservedConcurrency: scheduledWorkerReservedConcurrency(RIGHTSIZING_DEFAULT_INTERVAL_MINUTES, RIGHTSIZING_TIMEOUT_SECONDS),
    },
  ];
}

/** One function that reserves concurrency. */
export interface ConcurrencyReservation {
  /** What it is, for the message: a construct path or a description. */
  readonly name: string;
  /** Its reserved concurrent executions. */
  readonly reservedConcurrency: number;
}

/** What the jobs worker's concurrency is judged against. */
export interface ConcurrencyBudgetInput {
  /** The account's concurrent-executions quota in this Region. */
  readonly accountConcurrency: number;
  /** Every function of the stack with reserved concurrency. */
  readonly reservations: readonly ConcurrencyReservation[];
  /** The jobs worker's maximum concurrency (its SQS event source's `maximumConcurrency`). */
  readonly jobsMaxConcurrency: number;
  /** Field names for the messages. */
  readonly names?: { readonly accountConcurrency?: string; readonly jobsMaxConcurrency?: string };
}

/** The budget, worked out, and what is wrong with it (empty when the jobs worker fits). */
export interface ConcurrencyBudget {
  /** The sum of every reservation. */
  readonly reservedTotal: number;
  /** Concurrency the jobs worker may count on: account − reserved − the unreserved minimum. */
  readonly availableForJobs: number;
  /** Why the jobs worker does not fit, with the numbers and the fixes; empty when it does. */
  readonly problems: readonly string[];
}

/**
 * Checks that the jobs worker can reach its maximum concurrency: account concurrency − every
 * reservation − the 100 AWS keeps unreserved ≥ the jobs worker's maximum. A message names every
 * number and the fixes.
 */
export function checkConcurrencyBudget(input: ConcurrencyBudgetInput): ConcurrencyBudget {
  const accountName = input.names?.accountConcurrency ?? 'worker.accountConcurrency';
  const jobsName = input.names?.jobsMaxConcurrency ?? 'worker.maxConcurrency';
  const reservedTotal = input.reservations.reduce((sum, r) => sum + r.reservedConcurrency, 0);
  const availableForJobs = input.accountConcurrency - reservedTotal - UNRESERVED_CONCURRENCY_MINIMUM;
  const problems: string[] = [];
  if (availableForJobs < input.jobsMaxConcurrency) {
    const listed = input.reservations.map((r) => `${r.name} ${r.reservedConcurrency}`).join(', ') || 'none';
    problems.push(
      `${jobsName} (${input.jobsMaxConcurrency}) exceeds the Lambda concurrency left for the jobs worker: ${accountName} ${input.accountConcurrency} - reserved ${reservedTotal} (${listed}) - ${UNRESERVED_CONCURRENCY_MINIMUM} AWS keeps unreserved = ${availableForJobs}; lower ${jobsName} to ${Math.max(0, availableForJobs)} or less, or raise the account's quota (Service Quotas, Lambda "Concurrent executions") and ${accountName} with it`,
    );
  }
  return { reservedTotal, availableForJobs, problems };
}
