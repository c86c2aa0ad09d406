import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { INSIGHTS_ALARM_PERIOD_SECONDS } from '../core/monitoring';
import type { MonitoringProfile } from '../core/profiles';
import { longestIntervalMinutes } from '../insights/schedule';
import type { CatalogAlarms } from './catalog-alarms';
import { type DashboardRow, databaseInsightsLogRow, databaseInsightsRow, scheduledWorkerRow, workerRow } from './dashboard';
import type { MonitorableDatabaseInsights, MonitorableQueueWorker, MonitorableScheduledWorker } from './monitorable';

/**
 * The queue worker's alarms in `scope` and its dashboard row: failed and throttled invocations,
 * p99 duration against the timeout, the oldest waiting job, dead-lettered jobs.
 */
export function watchQueueWorker(alarms: CatalogAlarms, worker: MonitorableQueueWorker, scope: Construct): DashboardRow {
  alarms.add('worker', 'errorsPer5Min', worker, scope, { metric: (period) => worker.metricErrors({ period, statistic: 'Sum' }) });
  alarms.add('worker', 'throttlesPer5Min', worker, scope, { metric: (period) => worker.function.metricThrottles({ period, statistic: 'Sum' }) });
  alarms.add('worker', 'p99DurationPercentOfTimeout', worker, scope, {
    metric: (period) => worker.metricDuration({ period, statistic: 'p99' }),
    threshold: (percent) => {
      const timeoutMs = worker.timeout.toMilliseconds();
      const ms = Math.round((timeoutMs * percent) / 100);
      return { threshold: ms, text: `${ms} ms (${percent} % of the ${timeoutMs / 1000} s timeout)` };
    },
  });
  alarms.add('worker', 'oldestMessageAgeSeconds', worker, scope, { metric: (period) => worker.metricOldestMessageAge({ period }) });
  alarms.add('worker', 'deadLetterMessageCount', worker, scope, { metric: (period) => worker.metricDeadLetterMessages({ period }) });
  return { title: `Worker: ${worker.serviceName} queue and Lambda (${worker.node.path})`, widgets: workerRow(worker, alarms.thresholds) };
}

/** A scheduled worker's runs: failed runs (warning) and runs in its dead-letter queue (critical). */
export function scheduledRunAlarms(alarms: CatalogAlarms, worker: MonitorableScheduledWorker, scope: Construct): void {
  alarms.add('scheduledWorker', 'errorsPer5Min', worker, scope, { metric: (period) => worker.metricErrors({ period, statistic: 'Sum' }) });
  alarms.add('scheduledWorker', 'deadLetterMessageCount', worker, scope, { metric: (period) => worker.metricDeadLetterMessages({ period }) });
}

/** A scheduled worker's run alarms in `scope` and its dashboard row. */
export function watchScheduledWorker(alarms: CatalogAlarms, worker: MonitorableScheduledWorker, scope: Construct): DashboardRow {
  scheduledRunAlarms(alarms, worker, scope);
  return { title: `Scheduled worker: ${worker.node.path} (${worker.scheduleExpression})`, widgets: scheduledWorkerRow(worker, alarms.thresholds) };
}

/**
 * The insights worker's PostgreSQL alarms and its runs' alarms in `scope`, and its dashboard row.
 * Each PostgreSQL alarm's period covers the schedule (15 minutes, or the longest gap of a slower
 * schedule), so every period holds a run. Without metrics, only the runs are alarmed on.
 */
export function watchDatabaseInsights(alarms: CatalogAlarms, insights: MonitorableDatabaseInsights, scope: Construct): DashboardRow {
  const interval = longestIntervalMinutes(insights.scheduleExpression);
  const runPeriod = interval === undefined ? insights.metricPeriod : Duration.minutes(interval);
  const period = runPeriod.toSeconds() > INSIGHTS_ALARM_PERIOD_SECONDS ? runPeriod : Duration.seconds(INSIGHTS_ALARM_PERIOD_SECONDS);
  if (!insights.publishesMetrics) {
    // The report is in the worker's log only: no PostgreSQL alarm could ever see a datapoint
    // (and the report alarm, which treats silence as a failure, would fire forever).
    scheduledRunAlarms(alarms, insights, scope);
    return {
      title: `PostgreSQL: database insights every ${runPeriod.toHumanString()}, report in the log only (${insights.node.path}, ${insights.scheduleExpression})`,
      widgets: databaseInsightsLogRow(insights, alarms.thresholds),
    };
  }
  const alarm = (field: keyof MonitoringProfile['databaseInsights'] & string, metric: (props: cloudwatch.MetricOptions) => cloudwatch.IMetric) =>
    alarms.add('databaseInsights', field, insights, scope, { metric: (p) => metric({ period: p }), period });
  alarm('bufferCacheHitRatioPercent', (o) => insights.metricBufferCacheHitRatio(o));
  alarm('slowStatementCount', (o) => insights.metricSlowStatements(o));
  alarm('longestTransactionSeconds', (o) => insights.metricLongestTransactionAge(o));
  alarm('connectionUsePercent', (o) => insights.metricConnectionUse(o));
  alarm('idleInTransactionSessions', (o) => insights.metricIdleInTransactionSessions(o));
  alarm('indexCandidateCount', (o) => insights.metricIndexCandidates(o));
  alarm('unavailableSectionCount', (o) => insights.metricUnavailableSections(o));
  scheduledRunAlarms(alarms, insights, scope);
  return {
    title: `PostgreSQL: database insights every ${runPeriod.toHumanString()} (${insights.node.path}, ${insights.scheduleExpression})`,
    widgets: databaseInsightsRow(insights, alarms.thresholds, period),
  };
}
