import { alarmShape } from '../../../tools/cost/pricing/observability';
import { expectUsd, line, priceFixture } from './fixture';

describe('monitoring and security pricing (fixtures/monitoring.template.json)', () => {
  // GIVEN alarms of each kind, a composite alarm, a dashboard, a topic, a secret, a key, a bucket and log groups
  // WHEN priced (no free tier: it is per account)
  const result = priceFixture('monitoring');

  test('alarms: standard $0.10, high resolution (period < 60 s) $0.30, metric math per metric, anomaly detection $0.30 per band', () => {
    expectUsd(line(result, 'StandardAlarm', 'alarm (standard)'), 0.1);
    expectUsd(line(result, 'HighResolutionAlarm', 'alarm (high-resolution)'), 0.3);
    expectUsd(line(result, 'MathAlarm', 'alarm (standard)'), 0.2);
    expectUsd(line(result, 'AnomalyAlarm', 'anomaly-detection alarm (standard)'), 0.3);
    expect(alarmShape({ Metrics: [{ MetricStat: { Period: 10 } }, { Expression: 'ANOMALY_DETECTION_BAND(m1)' }] })).toEqual({
      metrics: 1,
      highResolution: true,
      anomalyBands: 1,
      insightsQuery: false,
    });
  });

  test('composite alarm $0.50, dashboard $3.00', () => {
    expectUsd(line(result, 'Health', 'composite alarm'), 0.5);
    expectUsd(line(result, 'Dashboard', 'dashboard'), 3);
  });

  test('SNS: 10k / 100k publishes at $0.50/M; e-mail deliveries at $2 per 100k; SQS deliveries free', () => {
    expectUsd(line(result, 'AlarmTopic', 'SNS publishes'), 0.005, 0.05);
    expectUsd(line(result, 'AlarmEmail', 'SNS email deliveries'), 0.2, 2);
    expectUsd(line(result, 'AlarmQueue', 'SNS sqs deliveries'), 0);
  });

  test('a secret and its replica at $0.40 each, plus API calls at $0.05 per 10k', () => {
    expectUsd(line(result, 'Secret', 'Secrets Manager secret'), 0.8);
    expectUsd(line(result, 'Secret', 'Secrets Manager API calls'), 0.05, 0.1);
  });

  test('a KMS key at $1 plus symmetric requests at $0.03 per 10k; its alias is free', () => {
    expectUsd(line(result, 'Key', 'KMS key'), 1);
    expectUsd(line(result, 'Key', 'KMS requests'), 0.06, 0.12);
    expect(result.free.map((f) => f.type)).toContain('AWS::KMS::Alias');
  });

  test('a bucket: 100 / 200 GB at $0.023 and 10k / 20k PUTs at $0.005 per 1k', () => {
    expectUsd(line(result, 'Logs', 'S3 storage'), 2.3, 4.6);
    expectUsd(line(result, 'Logs', 'S3 requests'), 0.05, 0.1);
  });

  test('a log group nothing in the template writes to: the assumption, held 12 months when it never expires', () => {
    expectUsd(line(result, 'AppLogs', 'log ingestion (standard)'), 0.5, 1);
    expectUsd(line(result, 'AppLogs', 'log storage'), 1 * 12 * 0.03, 2 * 12 * 0.03);
  });

  test('an Infrequent Access group ingests at $0.25/GB', () => {
    expectUsd(line(result, 'AuditLogs', 'log ingestion (infrequent access)'), 0.25, 0.5);
  });

  test('the budget is free, and its limit is reported for the stale-template check', () => {
    expect(result.free.map((f) => f.type)).toContain('AWS::Budgets::Budget');
    expect(result.templateBudgetUsd).toBe(75);
  });
});

describe('unpriced resources (fixtures/unpriced.template.json)', () => {
  // GIVEN resources the price table has nothing for
  const result = priceFixture('unpriced');
  const reasons = Object.fromEntries(result.unpriced.map((u) => [u.resource, u.reason]));

  test('each is listed with its reason, and adds nothing to the totals', () => {
    expect(reasons).toEqual({
      Zone: 'no pricer for AWS::Route53::HostedZone; add one in tools/cost/pricing/ or, if AWS does not bill it, to tools/cost/free-types.ts',
      Record: 'Route 53 queries to non-alias records are not in the price table',
      Nlb: "load balancer Type 'network' is not in the price table (application only)",
      EnhancedCluster: "Container Insights 'enhanced' (enhanced observability) bills per observation, a rate the price table lacks (PRICES.md §8)",
      WindowsService: 'Fargate on WINDOWS_SERVER_2022_CORE is not in the price table (Linux only)',
      QueryAlarm: 'Metrics Insights query alarms bill per metric analyzed, which the template does not show',
      Sms: "deliveries over 'sms' are not in the price table",
      WarmVersion: 'provisioned concurrency is not in the price table',
    });
    const priced = new Set(result.tiers.flatMap((t) => t.items).map((i) => i.resource));
    for (const resource of Object.keys(reasons)) expect(priced.has(resource)).toBe(false);
  });

  test('what can be priced still is: the topic, the function; alias records are free', () => {
    expect(line(result, 'SmsTopic', 'SNS publishes').baseline).toBeGreaterThan(0);
    expect(line(result, 'WarmFunction', 'Lambda requests').baseline).toBeGreaterThan(0);
    expect(result.free).toContainEqual({ type: 'AWS::Route53::RecordSet', count: 1, reason: 'alias queries to AWS resources are free' });
  });
});
