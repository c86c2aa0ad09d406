import type { Logger } from '@aws-lambda-powertools/logger';
import { advise, type RightsizingReport } from './advisor';
import { fetchMetricData, type GetMetricData } from './cloudwatch';
import { AdvisorInputError, parseAdvisorConfig, parseAdvisorEvent, type AdvisorConfig } from './config';
import { plan } from './plan';
import type { PriceLookup } from './prices';
import { notificationSubject, renderTable } from './report';
import { safetyProblems } from './safety';
import { combineByKey, DAY_MS, type SeriesByKey, type Window } from './series';

/** Publishes a message to the alarm topic (the SNS client's Publish, or a fake in tests). */
export type Publish = (topicArn: string, subject: string, message: string) => Promise<void>;

export interface AdvisorDependencies {
  readonly getMetricData: GetMetricData;
  readonly publish: Publish;
  readonly prices: PriceLookup;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The window ending at the last whole period before `now`, `days` long. */
export function windowEnding(now: Date, days: number, periodSeconds: number): Window {
  const periodMs = periodSeconds * 1000;
  const end = Math.floor(now.getTime() / periodMs) * periodMs;
  return { start: end - days * DAY_MS, end, periodSeconds };
}

/** Reads the metrics the configuration names over the window, combined per key. */
export async function readMetrics(
  config: Pick<AdvisorConfig, 'targets'>,
  window: Window,
  getMetricData: GetMetricData,
  logger?: AdvisorDependencies['logger'],
): Promise<SeriesByKey> {
  const queries = plan(config.targets, window.periodSeconds);
  const { series, stats } = await fetchMetricData(getMetricData, queries, window, {
    onRetry: (attempt, delayMs, error) => logger?.warn('GetMetricData throttled; retrying', { attempt, delayMs, reason: error.name }),
  });
  logger?.info('metrics read', { queries: queries.length, ...stats });
  return combineByKey(queries, series);
}

export interface AdvisorResult {
  readonly status: 'reported' | 'invalid-input';
  readonly report?: RightsizingReport;
  readonly notified?: boolean;
  readonly error?: string;
}

/**
 * One advisor run: read the window's metrics, advise, log the report, and notify the topic when
 * there is something to act on. Bad configuration or payload is logged once and ends the run
 * without an error, so neither Lambda nor the scheduler retries what would fail the same way;
 * AWS API failures (after the throttling retries) throw, and Lambda's retry and the dead-letter
 * queue take over.
 */
export async function runAdvisor(
  env: Readonly<Record<string, string | undefined>>,
  event: unknown,
  deps: AdvisorDependencies,
): Promise<AdvisorResult> {
  let config: AdvisorConfig;
  let overrides;
  try {
    config = parseAdvisorConfig(env.RIGHTSIZING_CONFIG);
    overrides = parseAdvisorEvent(event);
  } catch (error) {
    if (!(error instanceof AdvisorInputError)) throw error;
    deps.logger.error('right-sizing advisor: invalid input, nothing read', { reason: error.message });
    return { status: 'invalid-input', error: error.message };
  }
  const window = windowEnding((deps.now ?? (() => new Date()))(), overrides.windowDays ?? config.windowDays, config.periodSeconds);
  const series = await readMetrics(config, window, deps.getMetricData, deps.logger);
  const report = advise({ profile: config.profile, targets: config.targets, series, window, prices: deps.prices, safetyProblems, now: deps.now?.() });
  deps.logger.info('right-sizing report', { report: summaryOf(report), text: renderTable(report) });
  const topicArn = env.RIGHTSIZING_TOPIC_ARN;
  const notify = report.actionable && (overrides.notify ?? true) && !!topicArn;
  if (notify) await deps.publish(topicArn!, notificationSubject(report), renderTable(report));
  return { status: 'reported', report, notified: notify };
}

/** The report without the full recommended profile, for the structured log line. */
function summaryOf(report: RightsizingReport): Omit<RightsizingReport, 'recommendedProfile'> {
  const { recommendedProfile: _profile, ...rest } = report;
  return rest;
}
