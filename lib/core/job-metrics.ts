// The metric series of the jobs worker, apart from the code that publishes them, so the
// QueueWorker construct can declare them at synth time without loading runtime code.
import type { MetricSeries } from './metrics';

/**
 * The job types of the jobs worker shipped in this package (`lambda/jobs/registry.ts`), so the
 * QueueWorker can declare their metric series without importing runtime code. A test holds this
 * list to the registry: adding a job there without adding it here fails it.
 */
export const JOBS_WORKER_JOB_TYPES: readonly string[] = ['cache.invalidate', 'cache.refresh'];

/** The job type recorded for a message that never parsed (bounded, unlike whatever `type` it carried). */
export const UNPARSED_JOB_TYPE = 'invalid';

/** The metrics a jobs worker publishes (EMF). The names are API: alarms and dashboards read them. */
export const JOB_METRICS = {
  processed: 'JobsProcessed',
  failed: 'JobsFailed',
  duration: 'JobDuration',
} as const;

/**
 * Every metric series `JobStats.publish()` can write for a worker with these job types: each
 * metric for the whole service (dimension `service`) and per job type (`service, jobType`), the
 * unparsed type included. The QueueWorker declares this for `npm run cost`; a test holds it to
 * what `publish()` really emits.
 */
export function jobMetricSeries(serviceName: string, jobTypes: readonly string[]): MetricSeries[] {
  const types = [...new Set([...jobTypes, UNPARSED_JOB_TYPE])];
  return Object.values(JOB_METRICS).flatMap((metricName) => [
    { metricName, dimensions: { service: serviceName } },
    ...types.map((jobType) => ({ metricName, dimensions: { service: serviceName, jobType } })),
  ]);
}
