// The jobs worker: SQS messages { id, type, payload } run as the jobs in ./registry.
// Everything is created once per execution environment; connections open on first use.
import { createWorker } from '../shared/worker';
import { JOBS } from './registry';

export const worker = createWorker({ jobs: JOBS, env: process.env });
export const handler = worker.handler;
