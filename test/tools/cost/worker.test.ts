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

  test('CDK\'s handler runs on deploys only (10 x 1 s x 128 MB at x86) and logs to a group that never expires', () => {
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
