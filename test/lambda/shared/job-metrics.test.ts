import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { JOBS } from '../../../lambda/jobs/registry';
import type { JobDefinition } from '../../../lambda/shared/job';
import { JOB_METRICS, jobMetricSeries, JOBS_WORKER_JOB_TYPES, UNPARSED_JOB_TYPE } from '../../../lib/core/job-metrics';
import { createJobHandler, type QueryRunner } from '../../../lambda/shared/job-runner';
import { WORKER_METRICS_NAMESPACE } from '../../../lib/core/worker';
import { jobsWorkerMetrics } from '../../../lib/queue-worker';
import { captureOutput, declaredSeries, emfSeries, FakeCache, job, lambdaContext, sqsEvent } from '../helpers';
import { FakeIdempotencyTable } from '../fake-idempotency-table';

// What the QueueWorker declares for `npm run cost` must be exactly what the jobs worker publishes:
// a series the code writes but the declaration misses would be billed and never priced.
describe("the jobs worker's declared metric series", () => {
  test("lib/core lists exactly the registry's job types, so the construct declares what the code runs", () => {
    expect([...JOBS_WORKER_JOB_TYPES].sort()).toEqual(JOBS.map((j) => j.type).sort());
  });

  test('3 metrics for the service and per job type of the registry, the unparsed type included', () => {
    const types = JOBS.map((j) => j.type);
    expect(jobMetricSeries('jobs', types)).toHaveLength(3 * (1 + types.length + 1));
    expect(jobsWorkerMetrics('jobs')).toEqual({ namespace: WORKER_METRICS_NAMESPACE, series: jobMetricSeries('jobs', types) });
    expect(jobMetricSeries('jobs', ['a', UNPARSED_JOB_TYPE]).filter((s) => s.metricName === JOB_METRICS.failed)).toEqual([
      { metricName: 'JobsFailed', dimensions: { service: 'jobs' } },
      { metricName: 'JobsFailed', dimensions: { service: 'jobs', jobType: 'a' } },
      { metricName: 'JobsFailed', dimensions: { service: 'jobs', jobType: 'invalid' } },
    ]);
  });

  test('are the series the worker publishes for messages of every registered type, of unknown types, and unreadable ones', async () => {
    // GIVEN the registry's job types, each run replaced by one that succeeds (a payload of any shape)
    // or fails, so every type is recorded whatever its real payload needs
    const jobs: JobDefinition[] = JOBS.map((j) => ({
      type: j.type,
      payload: z.unknown(),
      run: async (p: unknown) => {
        if (p === 'fail') throw new Error('failed');
        return null;
      },
    }));
    const cache = new FakeCache();
    const handler = createJobHandler({
      jobs,
      cache: { client: async () => cache.asClient() },
      database: { query: jest.fn() as unknown as QueryRunner['query'] },
      logger: new Logger({ serviceName: 'jobs', logLevel: 'SILENT' }),
      metrics: new Metrics({ serviceName: 'jobs', namespace: WORKER_METRICS_NAMESPACE }),
      idempotencyStore: new FakeIdempotencyTable().store(),
      idempotencyKeyPrefix: 'idempotency:jobs',
    });
    const output = captureOutput();
    try {
      // WHEN a batch of each type succeeds and fails, with a message of a type nobody registered,
      // one without a type, and one that is not JSON
      await handler(
        sqsEvent(
          ...JOBS.flatMap((j, i) => [
            { messageId: `ok-${i}`, body: job(`ok-${i}`, j.type, {}) },
            { messageId: `fail-${i}`, body: job(`fail-${i}`, j.type, 'fail') },
          ]),
          { messageId: 'unknown', body: job('u', 'no.such.type', {}) },
          { messageId: 'untyped', body: { id: 'x', payload: {} } },
          { messageId: 'garbage', body: 'not json' },
        ),
        lambdaContext(),
      ).catch(() => undefined);
    } finally {
      output.restore();
    }
    // THEN it wrote exactly the declared series: no more (unpriced), no fewer (a stale declaration)
    expect(emfSeries(output.metrics())).toEqual(declaredSeries(jobsWorkerMetrics('jobs')));
  });
});
