// The database insights worker: every 15 minutes (EventBridge Scheduler), reads PostgreSQL's
// statistics views, logs a report (slowest statements, index candidates, unused indexes, cache hit
// ratio, long and idle-in-transaction sessions, connection use) and publishes EMF metrics.
// Everything is created once per execution environment; the database connects on first use.
import { createInsightsWorker } from './worker';

export const worker = createInsightsWorker({ env: process.env });
export const handler = worker.handler;
