export { QueueWorker, defaultVisibilityTimeout, type QueueWorkerProps } from './queue-worker';
export { jobsWorkerMetrics } from './jobs-metrics';
export { IdempotencyTable, type IdempotencyTableProps } from './idempotency-table';
