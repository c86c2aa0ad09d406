import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { JOB_METRICS } from '../../lib/core/job-metrics';

export { UNPARSED_JOB_TYPE } from '../../lib/core/job-metrics';

/** EMF allows at most 100 values of one metric in one log line. */
const MAX_VALUES_PER_LINE = 100;

interface TypeStats {
  processed: number;
  failed: number;
  readonly durations: number[];
}

/**
 * Jobs processed, failed and their durations per job type within one invocation, published as
 * one EMF log line per type at the end: no API call, no added latency, no per-record log line.
 * Each line carries two dimension sets, `service` (all types) and `service, jobType`: the series
 * `jobMetricSeries()` declares.
 */
export class JobStats {
  private readonly byType = new Map<string, TypeStats>();

  record(jobType: string, succeeded: boolean, durationMs: number): void {
    let stats = this.byType.get(jobType);
    if (!stats) this.byType.set(jobType, (stats = { processed: 0, failed: 0, durations: [] }));
    if (succeeded) stats.processed++;
    else stats.failed++;
    stats.durations.push(Math.round(durationMs * 1000) / 1000);
  }

  publish(metrics: Metrics): void {
    for (const [jobType, stats] of this.byType) {
      for (let offset = 0; offset < stats.durations.length; offset += MAX_VALUES_PER_LINE) {
        metrics.addDimensions({}); // the `service` set: all job types together
        metrics.addDimensions({ jobType });
        if (offset === 0) {
          metrics.addMetric(JOB_METRICS.processed, MetricUnit.Count, stats.processed);
          metrics.addMetric(JOB_METRICS.failed, MetricUnit.Count, stats.failed);
        }
        for (const duration of stats.durations.slice(offset, offset + MAX_VALUES_PER_LINE)) {
          metrics.addMetric(JOB_METRICS.duration, MetricUnit.Milliseconds, duration);
        }
        metrics.publishStoredMetrics();
      }
    }
    this.byType.clear();
  }
}
