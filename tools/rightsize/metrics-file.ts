// The recorded metrics file of `npm run rightsize -- --metrics <file>`: the series the advisor
// reads, saved so the advice can be rerun (and tested) without an AWS account. README,
// "Right-sizing advisor", documents the format; `--record` writes it from a live read.
import * as fs from 'node:fs';
import { z } from 'zod';
import { COMPONENTS, METRIC_KEYS, METRIC_SPECS, type Component, type MetricKey } from '../../lambda/rightsizing/plan';
import { normalizeSeries, type SeriesByKey, type Window } from '../../lambda/rightsizing/series';
import { RIGHTSIZING_PERIOD_RANGE } from '../../lib/core/insights';
import { UsageError } from '../shared/cli';

export const METRICS_FORMAT = 'cdk-scaling-stack/rightsizing-metrics';
export const METRICS_VERSION = 1;

/** Bad input the user must fix: printed alone, exit code 2 (a UsageError, see tools/shared/cli.ts). */
export class RightsizeInputError extends UsageError {
  override readonly name = 'RightsizeInputError';
}

const instant = z
  .union([z.string().datetime({ offset: true }), z.number().int().nonnegative()])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));
const value = z.number().finite();

/** A series at explicit timestamps. */
const Explicit = z
  .object({ timestamps: z.array(instant), values: z.array(value) })
  .strict()
  .refine((s) => s.timestamps.length === s.values.length, { message: 'timestamps and values must be the same length' });
/** A series at a regular step from `start`; null marks a missing datapoint. */
const Regular = z.object({ start: instant, periodSeconds: z.number().int().positive().optional(), values: z.array(value.nullable()) }).strict();

const File = z
  .object({
    format: z.literal(METRICS_FORMAT),
    version: z.literal(METRICS_VERSION),
    profile: z.string().min(1).optional(),
    start: instant,
    end: instant,
    periodSeconds: z
      .number()
      .int()
      .min(RIGHTSIZING_PERIOD_RANGE.min)
      .max(RIGHTSIZING_PERIOD_RANGE.max)
      .refine((n) => n % 60 === 0, 'must be a whole number of minutes (a multiple of 60)'),
    components: z.array(z.enum(COMPONENTS as [Component, ...Component[]])).optional(),
    series: z.record(z.string(), z.union([Explicit, Regular])),
  })
  .strict()
  .refine((f) => f.end > f.start, { message: 'end must be after start', path: ['end'] });

export interface RecordedMetrics {
  /** The built-in profile the metrics were recorded for, if the file says. */
  readonly profile?: string;
  readonly window: Window;
  readonly components: readonly Component[];
  readonly series: SeriesByKey;
}

/** Reads and validates a recorded metrics file; every way it can be wrong is one clear error. */
export function readMetricsFile(file: string): RecordedMetrics {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new RightsizeInputError(`metrics file ${file} not found`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RightsizeInputError(`metrics file ${file} is not JSON: ${(error as Error).message}`);
  }
  return parseMetrics(json, file);
}

export function parseMetrics(json: unknown, file = 'the metrics file'): RecordedMetrics {
  const parsed = File.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `  - at ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new RightsizeInputError(
      `${file} is not a recorded metrics file (format '${METRICS_FORMAT}', version ${METRICS_VERSION}):\n${lines.join('\n')}`,
    );
  }
  const data = parsed.data;
  const unknown = Object.keys(data.series).filter((k) => !(METRIC_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0)
    throw new RightsizeInputError(`${file}: unknown series ${unknown.map((k) => `'${k}'`).join(', ')}; the keys are ${METRIC_KEYS.join(', ')}`);
  const series: SeriesByKey = {};
  const problems: string[] = [];
  for (const [key, s] of Object.entries(data.series) as Array<[MetricKey, z.infer<typeof Explicit> | z.infer<typeof Regular>]>) {
    let timestamps: number[];
    let values: number[];
    if ('timestamps' in s) {
      timestamps = s.timestamps;
      values = s.values;
    } else {
      const step = (s.periodSeconds ?? Math.max(data.periodSeconds, METRIC_SPECS[key].nativePeriodSeconds)) * 1000;
      const present = s.values.map((v, i) => [s.start + i * step, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
      timestamps = present.map(([t]) => t);
      values = present.map(([, v]) => v);
    }
    const outside = timestamps.filter((t) => t < data.start || t >= data.end).length;
    if (outside > 0)
      problems.push(
        `series '${key}' has ${outside} datapoint(s) outside the window ${new Date(data.start).toISOString()} to ${new Date(data.end).toISOString()}`,
      );
    series[key] = normalizeSeries(timestamps, values);
  }
  if (problems.length > 0) throw new RightsizeInputError(`${file}:\n  - ${problems.join('\n  - ')}`);
  const components = data.components ?? COMPONENTS.filter((c) => Object.keys(series).some((k) => METRIC_SPECS[k as MetricKey].component === c));
  return { profile: data.profile, window: { start: data.start, end: data.end, periodSeconds: data.periodSeconds }, components, series };
}

/** The file `--record` writes: every series at its regular step, null for a missing datapoint. */
export function toMetricsFile(recorded: { profile?: string; window: Window; components: readonly Component[]; series: SeriesByKey }): unknown {
  const { window } = recorded;
  const series: Record<string, { start: string; periodSeconds: number; values: Array<number | null> }> = {};
  for (const [key, s] of Object.entries(recorded.series) as Array<[MetricKey, { timestamps: readonly number[]; values: readonly number[] }]>) {
    const step = Math.max(window.periodSeconds, METRIC_SPECS[key].nativePeriodSeconds) * 1000;
    const first = s.timestamps[0];
    if (first === undefined) continue;
    const values: Array<number | null> = Array.from({ length: Math.floor((s.timestamps[s.timestamps.length - 1] - first) / step) + 1 }, () => null);
    s.timestamps.forEach((t, i) => {
      values[Math.round((t - first) / step)] = s.values[i];
    });
    series[key] = { start: new Date(first).toISOString(), periodSeconds: step / 1000, values };
  }
  return {
    format: METRICS_FORMAT,
    version: METRICS_VERSION,
    ...(recorded.profile ? { profile: recorded.profile } : {}),
    start: new Date(window.start).toISOString(),
    end: new Date(window.end).toISOString(),
    periodSeconds: window.periodSeconds,
    components: recorded.components,
    series,
  };
}
