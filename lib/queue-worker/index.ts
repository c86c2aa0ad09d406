export { QueueWorker, defaultVisibilityTimeout, type QueueWorkerProps } from './queue-worker';
export { jobsWorkerMetrics } from './jobs-metrics';
export { PUBLISHED_METRICS_METADATA, type MetricSeries, type PublishedMetrics } from './published-metrics';
