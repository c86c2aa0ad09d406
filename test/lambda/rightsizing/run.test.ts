import type { GetMetricDataCommandInput, GetMetricDataCommandOutput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { prod } from '../../../lib/core/profiles';
import { parseAdvisorConfig, parseAdvisorEvent } from '../../../lambda/rightsizing/config';
import { runAdvisor, windowEnding, type AdvisorDependencies } from '../../../lambda/rightsizing/run';
import { END, prices } from './helpers';

const GIB = 1024 ** 3;
const targets = { database: { instanceIdentifier: 'db-1' } };
const env = (extra: Record<string, string> = {}) => ({
  RIGHTSIZING_CONFIG: JSON.stringify({ profile: prod, targets, windowDays: 14, periodSeconds: 300 }),
  RIGHTSIZING_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alarms',
  ...extra,
});

/** A CloudWatch that answers every query with a constant value per metric name, one datapoint per period. */
function fakeCloudWatch(values: Record<string, number>): { getMetricData: AdvisorDependencies['getMetricData']; calls: GetMetricDataCommandInput[] } {
  const calls: GetMetricDataCommandInput[] = [];
  return {
    calls,
    async getMetricData(input) {
      calls.push(input);
      const start = input.StartTime!.getTime();
      const end = input.EndTime!.getTime();
      const results: MetricDataResult[] = (input.MetricDataQueries ?? []).map((q) => {
        const period = q.MetricStat!.Period! * 1000;
        const value = values[q.MetricStat!.Metric!.MetricName!];
        const timestamps = value === undefined ? [] : Array.from({ length: (end - start) / period }, (_, i) => new Date(start + i * period));
        return { Id: q.Id, Timestamps: timestamps, Values: timestamps.map(() => value) };
      });
      return { MetricDataResults: results, $metadata: {} } as GetMetricDataCommandOutput;
    },
  };
}

function deps(getMetricData: AdvisorDependencies['getMetricData']) {
  const published: Array<{ topicArn: string; subject: string; message: string }> = [];
  const logs: Array<[string, string, unknown]> = [];
  const log = (level: string) => (message: string, extra?: unknown) => void logs.push([level, message, extra]);
  const d: AdvisorDependencies = {
    getMetricData,
    publish: async (topicArn, subject, message) => void published.push({ topicArn, subject, message }),
    prices,
    logger: { info: log('info'), warn: log('warn'), error: log('error') } as unknown as AdvisorDependencies['logger'],
    now: () => new Date(END + 42_000),
  };
  return { d, published, logs };
}

describe('runAdvisor', () => {
  test('an idle database: reads 14 days, recommends, logs the report and notifies the topic', async () => {
    // GIVEN
    const cw = fakeCloudWatch({ CPUUtilization: 5, FreeableMemory: 15 * GIB, DatabaseConnections: 20, ReadIOPS: 10, WriteIOPS: 10 });
    const { d, published, logs } = deps(cw.getMetricData);
    // WHEN
    const result = await runAdvisor(env(), {}, d);
    // THEN the window ends at the last whole period
    expect(cw.calls[0]).toMatchObject({ StartTime: new Date(END - 14 * 86_400_000), EndTime: new Date(END) });
    expect(result.status).toBe('reported');
    expect(result.report?.recommendations.map((r) => r.changes[0].to)).toEqual(['db.m7g.large']);
    expect(published).toEqual([
      {
        topicArn: 'arn:aws:sns:us-east-1:123456789012:alarms',
        subject: 'Right-sizing (prod): 1 recommendation(s), -$102.93/month',
        message: expect.stringContaining('shrink the database from db.r7g.large to db.m7g.large (still Multi-AZ)'),
      },
    ]);
    expect(logs.find(([, message]) => message === 'right-sizing report')?.[2]).toMatchObject({ report: { profile: 'prod', actionable: true } });
  });

  test('nothing to act on: no message', async () => {
    const cw = fakeCloudWatch({ CPUUtilization: 50, FreeableMemory: 4 * GIB, DatabaseConnections: 300 });
    const { d, published } = deps(cw.getMetricData);
    const result = await runAdvisor(env(), {}, d);
    expect(result).toMatchObject({ status: 'reported', notified: false });
    expect(published).toEqual([]);
  });

  test('an invocation can shorten the window and keep quiet', async () => {
    const cw = fakeCloudWatch({ CPUUtilization: 5, FreeableMemory: 15 * GIB });
    const { d, published } = deps(cw.getMetricData);
    await runAdvisor(env(), { windowDays: 7, notify: false }, d);
    expect(cw.calls[0].StartTime).toEqual(new Date(END - 7 * 86_400_000));
    expect(published).toEqual([]);
  });

  test('bad configuration is logged once and ends the run without an error (no retry, no crash loop)', async () => {
    const cw = fakeCloudWatch({});
    const { d, logs } = deps(cw.getMetricData);
    const result = await runAdvisor(env({ RIGHTSIZING_CONFIG: '{"profile":{}}' }), {}, d);
    expect(result.status).toBe('invalid-input');
    expect(cw.calls).toEqual([]);
    expect(logs.filter(([level]) => level === 'error')).toHaveLength(1);
    expect(result.error).toMatch(/^RIGHTSIZING_CONFIG is not a valid advisor configuration: profile\.name: /);
  });

  test('a CloudWatch failure fails the run, for Lambda to retry and dead-letter', async () => {
    const { d } = deps(async () => {
      throw Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    });
    await expect(runAdvisor(env(), {}, d)).rejects.toThrow('not authorized');
  });

  test('windowEnding ends at the last whole period', () => {
    expect(windowEnding(new Date(END + 299_999), 1, 300)).toEqual({ start: END - 86_400_000, end: END, periodSeconds: 300 });
  });
});

describe('parseAdvisorConfig', () => {
  test.each([
    ['missing', undefined, 'RIGHTSIZING_CONFIG is not set: the advisor needs its configuration (the profile and where its metrics are)'],
    ['not JSON', '{', /^RIGHTSIZING_CONFIG is not JSON: /],
    [
      'a 30-day window',
      JSON.stringify({ profile: prod, targets: {}, windowDays: 30 }),
      'RIGHTSIZING_CONFIG is not a valid advisor configuration: windowDays: Too big: expected number to be <=15',
    ],
    [
      'a 90-second period',
      JSON.stringify({ profile: prod, targets: {}, periodSeconds: 90 }),
      'RIGHTSIZING_CONFIG is not a valid advisor configuration: periodSeconds: must be a whole number of minutes (a multiple of 60)',
    ],
    [
      'a cache without nodes',
      JSON.stringify({ profile: prod, targets: { cache: { memberClusterIds: [] } } }),
      'RIGHTSIZING_CONFIG is not a valid advisor configuration: targets.cache.memberClusterIds: Too small: expected array to have >=1 items',
    ],
  ])('%s is refused with a message that says why', (_label, text, message) => {
    expect(() => parseAdvisorConfig(text)).toThrow(message);
  });

  test('the window and period default to 14 days of one-minute datapoints', () => {
    expect(parseAdvisorConfig(JSON.stringify({ profile: prod, targets }))).toMatchObject({ windowDays: 14, periodSeconds: 60, targets });
  });
});

describe('parseAdvisorEvent', () => {
  test("the scheduler's empty payload overrides nothing", () => {
    expect(parseAdvisorEvent({})).toEqual({});
    expect(parseAdvisorEvent(undefined)).toEqual({});
  });

  test('an unknown field or a window out of range is refused with what is allowed', () => {
    expect(() => parseAdvisorEvent({ window: 7 })).toThrow(
      `the invocation's payload is not valid: (root): Unrecognized key: "window"; send {} or { "windowDays": 1-15, "notify": true|false }`,
    );
    expect(() => parseAdvisorEvent({ windowDays: 0 })).toThrow(/windowDays: Too small: expected number to be >=1/);
  });
});
