import type { GetMetricDataCommandInput, GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { GET_METRIC_DATA_MAX_QUERIES, THROTTLE_BASE_DELAY_MS, THROTTLE_RETRIES } from '../../lib/core/insights';
import type { PlannedQuery } from './plan';
import { normalizeSeries, type Series, type Window } from './series';

/** Sends one GetMetricData request (the SDK client's `send`, or a fake in tests). */
export type GetMetricData = (input: GetMetricDataCommandInput) => Promise<GetMetricDataCommandOutput>;

export interface FetchOptions {
  /** @default THROTTLE_RETRIES */
  readonly retries?: number;
  /** @default THROTTLE_BASE_DELAY_MS */
  readonly baseDelayMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random (full jitter) */
  readonly random?: () => number;
  /** Called before each retry, e.g. to log it. */
  readonly onRetry?: (attempt: number, delayMs: number, error: Error) => void;
}

/** What the advisor's reads cost: requests made and metrics requested (GetMetricData bills per metric). */
export interface FetchStats {
  requests: number;
  metricsRequested: number;
  retries: number;
}

/**
 * Reads every planned query over the window: at most 500 queries per GetMetricData call, every
 * page of each call (NextToken), throttled calls retried with exponential back-off and full
 * jitter. Returns the datapoints per query id, oldest first.
 */
export async function fetchMetricData(
  send: GetMetricData,
  queries: readonly PlannedQuery[],
  window: Window,
  options: FetchOptions = {},
): Promise<{ series: Map<string, Series>; stats: FetchStats }> {
  const points = new Map<string, { timestamps: number[]; values: number[] }>(queries.map((q) => [q.id, { timestamps: [], values: [] }]));
  const stats: FetchStats = { requests: 0, metricsRequested: 0, retries: 0 };
  for (let offset = 0; offset < queries.length; offset += GET_METRIC_DATA_MAX_QUERIES) {
    const batch = queries.slice(offset, offset + GET_METRIC_DATA_MAX_QUERIES);
    let nextToken: string | undefined;
    do {
      const input: GetMetricDataCommandInput = {
        MetricDataQueries: batch.map((q) => q.query),
        StartTime: new Date(window.start),
        EndTime: new Date(window.end),
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      };
      const output = await withRetries(() => send(input), options, stats);
      stats.requests++;
      stats.metricsRequested += batch.length;
      for (const result of output.MetricDataResults ?? []) {
        const target = result.Id ? points.get(result.Id) : undefined;
        if (!target) continue;
        const timestamps = result.Timestamps ?? [];
        const values = result.Values ?? [];
        for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
          target.timestamps.push(new Date(timestamps[i]).getTime());
          target.values.push(values[i]);
        }
      }
      nextToken = output.NextToken;
    } while (nextToken);
  }
  const series = new Map<string, Series>();
  for (const [id, p] of points) series.set(id, normalizeSeries(p.timestamps, p.values));
  return { series, stats };
}

/** Error names and status codes CloudWatch answers with when a caller exceeds its request rate. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceeded',
  'LimitExceededException',
]);

/** Network failures worth another try. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * Whether `error` is CloudWatch refusing the request rate, a server error, or a dropped
 * connection. The advisor's client makes one attempt per call (`maxAttempts: 1`), so these are
 * all retried here, with one back-off policy.
 */
export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e?.$retryable) return true;
  if (e?.name && (THROTTLING.has(e.name) || e.name === 'TimeoutError')) return true;
  if (e?.code && TRANSIENT_CODES.has(e.code)) return true;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return status === 429 || status >= 500;
}

async function withRetries<T>(call: () => Promise<T>, options: FetchOptions, stats: FetchStats): Promise<T> {
  const retries = options.retries ?? THROTTLE_RETRIES;
  const base = options.baseDelayMs ?? THROTTLE_BASE_DELAY_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt > retries || !isRetryable(error)) throw error;
      const delay = Math.round(random() * base * 2 ** (attempt - 1));
      stats.retries++;
      options.onRetry?.(attempt, delay, error as Error);
      await sleep(delay);
    }
  }
}
