import { jobMetricSeries, JOBS_WORKER_JOB_TYPES } from '../core/job-metrics';
import { WORKER_METRICS_NAMESPACE } from '../core/worker';
import type { PublishedMetrics } from './published-metrics';

/**
 * The custom metrics the jobs worker shipped in this package (`QueueWorker.jobsEntry()`)
 * publishes as `serviceName`: JobsProcessed, JobsFailed and JobDuration for the service and per
 * job type of its registry (`lambda/jobs/registry.ts`), the unparsed type included. A job added to
 * the registry adds its three series here.
 */
export function jobsWorkerMetrics(serviceName: string): PublishedMetrics {
  return { namespace: WORKER_METRICS_NAMESPACE, series: jobMetricSeries(serviceName, JOBS_WORKER_JOB_TYPES) };
}
