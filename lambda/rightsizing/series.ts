import { METRIC_SPECS, type MetricKey, type PlannedQuery } from './plan';

/** Datapoints of one metric, oldest first: `timestamps` in epoch milliseconds, one value each. */
export interface Series {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/** The series the analysis reads, by key; a key without datapoints is absent. */
export type SeriesByKey = Partial<Record<MetricKey, Series>>;

/** The time range the advisor reads and the period of its datapoints. */
export interface Window {
  /** Epoch milliseconds, inclusive. */
  readonly start: number;
  /** Epoch milliseconds, exclusive. */
  readonly end: number;
  readonly periodSeconds: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A series sorted by time, with datapoints at the same timestamp kept once (the last). */
export function normalizeSeries(timestamps: readonly number[], values: readonly number[]): Series {
  const byTime = new Map<number, number>();
  timestamps.forEach((t, i) => byTime.set(t, values[i]));
  const sorted = [...byTime].sort((a, b) => a[0] - b[0]);
  return { timestamps: sorted.map(([t]) => t), values: sorted.map(([, v]) => v) };
}

/**
 * One series per key from the per-query series: a key read from several cache nodes becomes one
 * series, combined at each timestamp as its spec says (the busiest node, or the sum).
 */
export function combineByKey(queries: readonly PlannedQuery[], results: ReadonlyMap<string, Series>): SeriesByKey {
  const grouped = new Map<MetricKey, Series[]>();
  for (const q of queries) {
    const series = results.get(q.id);
    if (!series || series.values.length === 0) continue;
    grouped.set(q.key, [...(grouped.get(q.key) ?? []), series]);
  }
  const combined: SeriesByKey = {};
  for (const [key, list] of grouped) {
    if (list.length === 1) {
      combined[key] = list[0];
      continue;
    }
    const how = METRIC_SPECS[key].combine ?? 'max';
    const byTime = new Map<number, number>();
    for (const s of list) {
      s.timestamps.forEach((t, i) => {
        const previous = byTime.get(t);
        const v = s.values[i];
        byTime.set(t, previous === undefined ? v : how === 'sum' ? previous + v : Math.max(previous, v));
      });
    }
    combined[key] = normalizeSeries([...byTime.keys()], [...byTime.values()]);
  }
  return combined;
}

/** The summary statistics of a series, computed in code from its datapoints. */
export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  readonly sum: number;
  /** Days between the first and the last datapoint. */
  readonly days: number;
}

/**
 * The p-th percentile of ascending `sorted` values by the nearest-rank method: the smallest value
 * with at least p % of the values at or below it (CloudWatch's percentiles are of the same kind).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(series: Series): Summary {
  const sorted = [...series.values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  const first = series.timestamps[0] ?? 0;
  const last = series.timestamps[series.timestamps.length - 1] ?? 0;
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
    sum,
    days: (last - first) / DAY_MS,
  };
}

/** Datapoints a continuous metric should have over the window at its period. */
export function expectedDatapoints(window: Window, key: MetricKey): number {
  const period = Math.max(window.periodSeconds, METRIC_SPECS[key].nativePeriodSeconds);
  return Math.max(1, Math.floor((window.end - window.start) / (period * 1000)));
}
