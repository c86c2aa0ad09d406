export { QueueWorker, defaultVisibilityTimeout, type QueueWorkerProps } from './queue-worker';
