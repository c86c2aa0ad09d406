import { CDK_HELPERS_TIER } from '../../../tools/cost/estimate';
import { expectUsd, HOURS, line, linesOf, priceFixture } from './fixture';

describe('worker pricing (fixtures/worker.template.json)', () => {
  // GIVEN a queue (with a dead-letter queue) read by an arm64 512 MB worker in batches of 10, a FIFO
  // queue nothing in the template reads, and a CDK custom-resource handler
  // WHEN priced at 1M / 10M messages a month
  const result = priceFixture('worker');

  test('the worker queue: a send per message, a receive and a delete per batch of 10, and 600,000 idle polls', () => {
    // (1,000,000 x 1.2 + 600,000) x $0.40/M and (10,000,000 x 1.2 + 600,000) x $0.40/M
    expectUsd(line(result, 'Jobs', 'SQS standard requests'), 0.72, 5.04);
  });

  test('the dead-letter queue: a send and a receive per failed message (1,000 / 5,000)', () => {
    expectUsd(line(result, 'JobsDlq', 'SQS standard requests'), 0.0008, 0.004);
  });

  test('a FIFO queue read from outside the template: 100k / 1M requests at $0.50/M', () => {
    expectUsd(line(result, 'Outbox', 'SQS FIFO requests'), 0.05, 0.5);
  });

  test('the worker: one invocation per batch, GB-seconds at the arm64 rate', () => {
    expectUsd(line(result, 'Worker', 'Lambda requests'), 0.02, 0.2);
    // 100,000 x 0.1 s x 0.5 GB and 1,000,000 x 0.2 s x 0.5 GB, at $0.0000133334/GB-s
    expectUsd(line(result, 'Worker', 'Lambda compute (arm64)'), 5000 * 0.0000133334, 100000 * 0.0000133334);
  });

  test('the worker writes 2 / 4 GB to its CDK-managed log group, which keeps 14 days', () => {
    expectUsd(line(result, 'WorkerLogGroup', 'log ingestion'), 1, 2);
    expectUsd(line(result, 'WorkerLogGroup', 'log storage'), 2 * (14 / (365 / 12)) * 0.03, 4 * (14 / (365 / 12)) * 0.03);
    expect(Object.keys(linesOf(result, 'Worker'))).not.toContain('Lambda logs (group without retention)');
  });

  test("CDK's handler runs on deploys only (10 x 1 s x 128 MB at x86) and logs to a group that never expires", () => {
    expectUsd(line(result, 'CustomHandler', 'Lambda requests'), (10 / 1e6) * 0.2);
    expectUsd(line(result, 'CustomHandler', 'Lambda compute (x86_64)'), 10 * 1 * 0.125 * 0.0000166667);
    expectUsd(line(result, 'CustomHandler', 'Lambda logs (group without retention)'), 0.01 * (0.5 + 12 * 0.03));
    expect(line(result, 'CustomHandler', 'Lambda requests').tier).toBe(CDK_HELPERS_TIER);
  });

  test('mappings, roles and custom resources are free', () => {
    expect(result.free.map((f) => f.type).sort()).toEqual(['AWS::IAM::Role', 'AWS::Lambda::EventSourceMapping', 'Custom::VpcRestrictDefaultSG']);
    expect(result.unpriced).toEqual([]);
    expect(HOURS).toBe(730);
  });
});

describe('custom metrics declared by functions (fixtures/metrics.template.json)', () => {
  // GIVEN functions that declare the metric series they publish, one that declares none, one that
  // sets a metrics namespace without declaring, one with a malformed declaration and a plain one
  // WHEN priced
  const result = priceFixture('metrics');
  const metricLines = (resource: string) =>
    result.tiers.flatMap((t) => t.items).filter((i) => i.resource === resource && i.item === 'custom metrics (EMF)');

  test('each distinct declared series at $0.30 a month, whatever the usage: 12 for the jobs worker (a repeated series counts once)', () => {
    // 3 metrics x (service + 3 job types) = 12 series x $0.30
    expectUsd(line(result, 'JobsWorker', 'custom metrics (EMF)'), 3.6);
    expect(line(result, 'JobsWorker', 'custom metrics (EMF)').detail).toBe(
      '12 series (3 metric(s): JobsProcessed, JobsFailed, JobDuration) declared, each billed every hour x $0.3/metric-month',
    );
  });

  test('8 for the insights worker, its instance dimension a reference', () => {
    // 8 metrics x 1 instance x $0.30
    expectUsd(line(result, 'InsightsWorker', 'custom metrics (EMF)'), 2.4);
  });

  test('none declared, none priced; a function without a namespace or a declaration publishes nothing the template shows', () => {
    expect(metricLines('QuietWorker')).toEqual([]);
    expect(metricLines('PlainFunction')).toEqual([]);
    expect(result.unpriced.map((u) => u.resource)).not.toContain('QuietWorker');
    expect(result.unpriced.map((u) => u.resource)).not.toContain('PlainFunction');
  });

  test('a metrics namespace without a declaration, or a malformed one, is unpriced, never zero', () => {
    expect(result.unpriced.map((u) => [u.resource, u.reason])).toEqual([
      [
        'UndeclaredWorker',
        "custom metrics: the function sets POWERTOOLS_METRICS_NAMESPACE but declares no metric series (Metadata 'cdk-scaling-stack:PublishedMetrics'; QueueWorker's publishedMetrics prop)",
      ],
      ['MalformedWorker', "custom metrics: Metadata 'cdk-scaling-stack:PublishedMetrics' is not {Series: [{MetricName, Dimensions}]}"],
    ]);
    // The rest of those functions is still priced.
    expect(line(result, 'UndeclaredWorker', 'Lambda requests').baseline).toBeGreaterThan(0);
  });
});

describe('provisioned pollers and the idempotency table (fixtures/idempotency.template.json)', () => {
  // GIVEN a worker whose SQS event source runs 2 to 5 provisioned pollers and whose environment
  // names an on-demand idempotency table, an on-demand table no worker names, a provisioned one
  // WHEN priced at 1M / 10M messages a month
  const result = priceFixture('idempotency');

  test('pollers: the minimum in the baseline, the maximum at peak, one EPU each at $0.00925 an hour', () => {
    expectUsd(line(result, 'WorkerJobs', 'provisioned SQS event pollers'), 2 * HOURS * 0.00925, 5 * HOURS * 0.00925);
  });

  test('the idempotency table: 2 writes per job at $0.625/M WRU, and a day of 1 KB records', () => {
    expectUsd(line(result, 'Idempotency', 'DynamoDB on-demand writes (idempotency records)'), 2 * 0.625, 20 * 0.625);
    const day = (jobs: number) => ((jobs / (365 / 12)) * 0.25) / (1024 * 1024);
    expectUsd(line(result, 'Idempotency', 'DynamoDB storage (a day of records; TTL deletes are free)'), day(1e6), day(1e7));
  });

  test('tables whose use the template cannot show are listed as unpriced, with the reason', () => {
    expect(result.unpriced.map((u) => [u.resource, u.reason]).sort()).toEqual([
      ['Orphan', 'no worker function names the table in its environment, so its requests cannot be estimated'],
      ['Provisioned', 'provisioned-capacity tables are not in the price table'],
    ]);
  });
});
