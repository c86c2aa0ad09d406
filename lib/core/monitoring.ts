/**
 * Defaults of Monitoring that do not vary by environment, each with its reason. The thresholds
 * and SLO targets that do vary live in the profiles' `monitoring` section; how each alarm is
 * evaluated (period, datapoints, missing data) is part of its definition in
 * `lib/core/alarm-catalog.ts`.
 */

/**
 * The SLO period the burn rates refer to: 30 days, the window of the SLO targets in the profiles.
 * A burn rate of 1 spends exactly the error budget in this period.
 */
export const SLO_PERIOD_DAYS = 30;

/** One pair of windows of a multi-window burn-rate alert. */
export interface BurnRateWindow {
  /** 'fast' or 'slow': part of the window alarms' construct IDs and names. */
  readonly name: 'Fast' | 'Slow';
  /** The window that says the budget is really being spent, in seconds. */
  readonly longWindowSeconds: number;
  /** The window that says it is still being spent now, so the alert resets soon after a fix, in seconds. */
  readonly shortWindowSeconds: number;
  /** Multiple of the sustainable error rate (1 = the budget lasts exactly the SLO period). */
  readonly burnRate: number;
  /** Share of the 30-day budget spent when the long window fires. */
  readonly budgetSpentPercent: number;
}

/**
 * The multi-window, multi-burn-rate alerts of the Google SRE Workbook ("Alerting on SLOs",
 * table 5-8, sre.google/workbook/alerting-on-slos): both page. The short window is 1/12 of the
 * long one. The workbook's third pair (3 days at 1×) is left out: it opens a ticket, not a page,
 * and the slow pair already catches any leak that would spend the whole budget within 5 days.
 * - fast: 2 % of the budget in 1 hour (burn rate 14.4) — an outage or a bad deploy;
 * - slow: 5 % of the budget in 6 hours (burn rate 6) — a partial failure that the fast pair misses.
 */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { name: 'Fast', longWindowSeconds: 3_600, shortWindowSeconds: 300, burnRate: 14.4, budgetSpentPercent: 2 },
  { name: 'Slow', longWindowSeconds: 21_600, shortWindowSeconds: 1_800, burnRate: 6, budgetSpentPercent: 5 },
];

/** The highest burn rate of any window: an SLO target must leave it room to fire below 100 %. */
export const MAX_BURN_RATE = Math.max(...BURN_RATE_WINDOWS.map((w) => w.burnRate));

/**
 * The most metrics one CloudWatch alarm may reference (metric math included). Cache alarms combine
 * one series per node, so a group beyond this needs per-node alarms.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
export const MAX_METRICS_PER_ALARM = 10;

/** CloudWatch limits on alarm names and descriptions (PutMetricAlarm). */
export const ALARM_NAME_MAX_LENGTH = 255;
export const ALARM_DESCRIPTION_MAX_LENGTH = 1024;

/**
 * The most actions one alarm state (ALARM, OK) may carry, metric and composite alarms alike ("the
 * actions (up to five)", CloudWatch PutMetricAlarm; AlarmActions "Maximum: 5" in CloudFormation's
 * AWS::CloudWatch::Alarm). More destinations belong behind one SNS topic.
 */
export const ALARM_MAX_ACTIONS = 5;

/** CloudWatch dashboard names: letters, digits, '-' and '_', up to 255 characters. */
export const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * An e-mail address as SNS accepts it: something@domain.tld, no spaces. SNS itself checks less;
 * this catches the typos (a missing '@', a trailing comma) that would otherwise fail at deploy.
 */
export const EMAIL_ADDRESS = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** Width of a dashboard row (CloudWatch's grid is 24 units wide) and the height of its graphs. */
export const DASHBOARD_GRID_WIDTH = 24;
export const DASHBOARD_GRAPH_HEIGHT = 6;

/**
 * The time range a dashboard opens on: three hours shows a deploy and the hour before it, at
 * one-minute resolution.
 */
export const DASHBOARD_DEFAULT_RANGE_HOURS = 3;

/**
 * The period of the alarms on the database insights metrics: the insights worker's default
 * schedule (`rate(15 minutes)`), so each period holds one run and its one datapoint per metric.
 * Monitoring lengthens it to the longest gap of a slower schedule (a shorter period would be empty
 * most of the time); a faster schedule puts several runs in one period, which Minimum/Maximum read.
 */
export const INSIGHTS_ALARM_PERIOD_SECONDS = 15 * 60;
