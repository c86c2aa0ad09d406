export { QueueWorker, defaultVisibilityTimeout, type QueueWorkerProps } from './queue-worker';
export { jobsWorkerMetrics } from './jobs-metrics';
