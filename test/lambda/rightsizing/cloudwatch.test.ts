import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { fetchMetricData, isRetryable } from '../../../lambda/rightsizing/cloudwatch';
import { plan, type PlannedQuery } from '../../../lambda/rightsizing/plan';
import { testWindow } from './helpers';

const cloudwatch = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const send = (input: GetMetricDataCommandInput) => client.send(new GetMetricDataCommand(input));
const window = testWindow(14, 60);

/** `count` queries of one metric each. */
function queries(count: number): PlannedQuery[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    key: 'database.cpu',
    periodSeconds: 60,
    query: { Id: `m${i}`, MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization' }, Period: 60, Stat: 'Average' } },
  }));
}

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
}

beforeEach(() => cloudwatch.reset());

describe('fetchMetricData', () => {
  test('sends at most 500 queries per call over the whole window, oldest datapoints first', async () => {
    // GIVEN 1,100 queries
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    // WHEN
    const { stats } = await fetchMetricData(send, queries(1100), window);
    // THEN
    const sizes = cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length);
    expect(sizes).toEqual([500, 500, 100]);
    expect(cloudwatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      StartTime: new Date(window.start),
      EndTime: new Date(window.end),
      ScanBy: 'TimestampAscending',
    });
    expect(stats).toEqual({ requests: 3, metricsRequested: 1100, retries: 0 });
  });

  test('follows NextToken and joins the pages of each query', async () => {
    // GIVEN two pages
    const t = (minute: number) => new Date(window.start + minute * 60_000);
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'm0', Timestamps: [t(0), t(1)], Values: [1, 2], StatusCode: 'PartialData' }], NextToken: 'page-2' })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'm0', Timestamps: [t(2)], Values: [3], StatusCode: 'Complete' },
          { Id: 'm1', Timestamps: [t(0)], Values: [9] },
        ],
      });
    // WHEN
    const { series, stats } = await fetchMetricData(send, queries(2), window);
    // THEN
    expect(cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(series.get('m0')).toEqual({ timestamps: [t(0), t(1), t(2)].map((d) => d.getTime()), values: [1, 2, 3] });
    expect(series.get('m1')?.values).toEqual([9]);
    expect(stats.requests).toBe(2);
  });

  test('retries a throttled call with exponential back-off and full jitter, then carries on', async () => {
    // GIVEN two throttled answers before a good one
    cloudwatch.on(GetMetricDataCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MetricDataResults: [] });
    const sleeps: number[] = [];
    const retries: number[] = [];
    // WHEN
    const { stats } = await fetchMetricData(send, queries(1), window, {
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
      onRetry: (attempt) => retries.push(attempt),
    });
    // THEN
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 3);
    expect(sleeps).toEqual([50, 100]);
    expect(retries).toEqual([1, 2]);
    expect(stats.retries).toBe(2);
  });

  test('gives up after the last retry with the throttling error', async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(throttled());
    await expect(fetchMetricData(send, queries(1), window, { retries: 2, sleep: async () => undefined })).rejects.toThrow('Rate exceeded');
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 3);
  });

  test('does not retry what a retry cannot fix', async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(fetchMetricData(send, queries(1), window, { sleep: async () => undefined })).rejects.toThrow(/not authorized/);
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
  });

  test.each([
    [{ name: 'Throttling' }, true],
    [{ name: 'LimitExceededException' }, true],
    [{ $metadata: { httpStatusCode: 429 } }, true],
    [{ $retryable: { throttling: true } }, true],
    [{ name: 'InternalServiceError', $metadata: { httpStatusCode: 500 } }, true],
    [{ code: 'ECONNRESET' }, true],
    [{ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } }, false],
  ])('isRetryable(%j) is %s', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

describe('plan', () => {
  test('one query per metric and cache node, SQS at its five-minute period, tasks from the ALB without Container Insights', () => {
    // WHEN
    const queries = plan(
      {
        web: { clusterName: 'c', serviceName: 's', loadBalancer: 'app/lb/1', targetGroup: 'targetgroup/tg/2', containerInsights: false },
        database: { instanceIdentifier: 'db' },
        cache: { memberClusterIds: ['rg-001', 'rg-002'] },
        worker: { functionName: 'fn', queueName: 'q' },
      },
      60,
    );
    // THEN
    expect(queries).toHaveLength(5 + 5 + 2 * 3 + 7);
    expect(queries.map((q) => q.id)).toEqual(queries.map((_, i) => `m${i}`));
    expect(queries.find((q) => q.key === 'web.tasks')?.query.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HealthyHostCount',
        Dimensions: [
          { Name: 'LoadBalancer', Value: 'app/lb/1' },
          { Name: 'TargetGroup', Value: 'targetgroup/tg/2' },
        ],
      },
      Period: 60,
      Stat: 'Maximum',
    });
    // Latency from the load balancer: a canary's live target group alternates every release.
    expect(queries.find((q) => q.key === 'web.latency')?.query.MetricStat?.Metric?.Dimensions).toEqual([{ Name: 'LoadBalancer', Value: 'app/lb/1' }]);
    expect(queries.find((q) => q.key === 'worker.queueAge')?.periodSeconds).toBe(300);
    expect(queries.filter((q) => q.key === 'cache.cpu').map((q) => q.query.MetricStat?.Metric?.Dimensions)).toEqual([
      [
        { Name: 'CacheClusterId', Value: 'rg-001' },
        { Name: 'CacheNodeId', Value: '0001' },
      ],
      [
        { Name: 'CacheClusterId', Value: 'rg-002' },
        { Name: 'CacheNodeId', Value: '0001' },
      ],
    ]);
    // Only the statistics the local emulator answers; percentiles are computed in code.
    expect(new Set(queries.map((q) => q.query.MetricStat?.Stat))).toEqual(new Set(['Average', 'Maximum', 'Minimum', 'Sum']));
  });
});
