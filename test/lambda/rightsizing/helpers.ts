// Synthetic metric series for the advisor's tests: one datapoint per period over a window.
import type { Profile } from '../../../lib/core/profiles/profile';
import { advise, type RightsizingReport } from '../../../lambda/rightsizing/advisor';
import type { Component, MetricKey } from '../../../lambda/rightsizing/plan';
import { bundledPrices, type PriceLookup } from '../../../lambda/rightsizing/prices';
import { safetyProblems } from '../../../lambda/rightsizing/safety';
import { DAY_MS, type Series, type SeriesByKey, type Window } from '../../../lambda/rightsizing/series';

/** 2026-11-26T00:00:00Z: the end of every test window. */
export const END = Date.UTC(2026, 10, 26);

export function testWindow(days = 14, periodSeconds = 300): Window {
  return { start: END - days * DAY_MS, end: END, periodSeconds };
}

/** A value per datapoint: a constant, or a function of the datapoint's index (0 = oldest). */
export type Shape = number | ((i: number, count: number) => number);

/** Datapoints every `periodSeconds` over the last `days` of the window (all of it by default). */
export function series(window: Window, shape: Shape, options: { days?: number; periodSeconds?: number } = {}): Series {
  const period = (options.periodSeconds ?? window.periodSeconds) * 1000;
  const start = options.days === undefined ? window.start : window.end - options.days * DAY_MS;
  const count = Math.floor((window.end - start) / period);
  const timestamps = Array.from({ length: count }, (_, i) => start + i * period);
  const values = timestamps.map((_, i) => (typeof shape === 'number' ? shape : shape(i, count)));
  return { timestamps, values };
}

/** A series per key; SQS age gets its native five-minute period. */
export function metrics(window: Window, shapes: Partial<Record<MetricKey, Shape>>, options: { days?: number } = {}): SeriesByKey {
  const out: SeriesByKey = {};
  for (const [key, shape] of Object.entries(shapes) as Array<[MetricKey, Shape]>) {
    out[key] = series(window, shape, { ...options, periodSeconds: key === 'worker.queueAge' ? Math.max(300, window.periodSeconds) : undefined });
  }
  return out;
}

/** A spike: `base` everywhere but `peak` for one datapoint in every `every`. */
export function spiky(base: number, peak: number, every = 500): Shape {
  return (i) => (i % every === every - 1 ? peak : base);
}

export const prices: PriceLookup = bundledPrices();

export function run(
  profile: Profile,
  series: SeriesByKey,
  options: { window?: Window; components?: Component[]; prices?: PriceLookup } = {},
): RightsizingReport {
  return advise({
    profile,
    targets: options.components ?? ['web', 'database', 'cache', 'worker'],
    series,
    window: options.window ?? testWindow(),
    prices: options.prices ?? prices,
    safetyProblems,
    now: new Date(END),
  });
}
