import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, type TargetHealthStateEnum } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { CfnTemplate } from '../../../tools/deploy-local/template';
import { probeAlarms } from '../../../tools/verify/probes/alarms';
import { probeInsights } from '../../../tools/verify/probes/insights';
import { JOB_POLL_MS, probeJob, testJob } from '../../../tools/verify/probes/job';
import { probeStackStatus } from '../../../tools/verify/probes/stack-status';
import { probeTargets } from '../../../tools/verify/probes/targets';
import { probeWeb, WEB_RETRY_PAUSE_MS } from '../../../tools/verify/probes/web';
import { fakeClock, fakeTarget } from './helpers';

const cloudwatch = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const sqs = mockClient(SQSClient);
beforeEach(() => {
  cloudwatch.reset();
  logs.reset();
  elbv2.reset();
  sqs.reset();
});

describe('stack', () => {
  const template: CfnTemplate = { Resources: {} };
  test.each([
    ['UPDATE_COMPLETE', 'pass', 'UPDATE_COMPLETE, 0 resources'],
    ['UPDATE_IN_PROGRESS', 'pending', 'UPDATE_IN_PROGRESS: an operation is still running; verify again when it ends'],
    [
      'UPDATE_ROLLBACK_COMPLETE',
      'fail',
      'UPDATE_ROLLBACK_COMPLETE: the last operation failed; `aws cloudformation describe-stack-events --stack-name ScalingStack-dev` says why',
    ],
  ])('%s is %s', async (status, expected, summary) => {
    expect(await probeStackStatus(fakeClock(fakeTarget(template, { status })))).toEqual({ status: expected, summary, details: undefined });
  });
});

describe('web URL', () => {
  const template: CfnTemplate = { Resources: {} };
  const outputs = { WebUrl: 'https://d111.cloudfront.net' };

  test('a 200 passes, with the time it took', async () => {
    const ctx = fakeClock(fakeTarget(template, { outputs }), { fetch: async () => new Response('ok', { status: 200 }) });
    expect(await probeWeb(ctx)).toMatchObject({ status: 'pass', summary: 'https://d111.cloudfront.net answered 200 in 0 ms' });
  });

  test('a 503 is tried three times, 10 s apart, and fails with the last answer', async () => {
    let calls = 0;
    const ctx = fakeClock(fakeTarget(template, { outputs }), {
      fetch: async () => {
        calls++;
        return new Response('', { status: 503, statusText: 'Service Unavailable' });
      },
    });
    expect(await probeWeb(ctx)).toMatchObject({
      status: 'fail',
      summary: 'https://d111.cloudfront.net answered 503 Service Unavailable (3 attempts, 10 s apart)',
    });
    expect(calls).toBe(3);
    expect(ctx.slept).toEqual([WEB_RETRY_PAUSE_MS, WEB_RETRY_PAUSE_MS]);
  });

  test('an address that does not resolve fails with the cause', async () => {
    const ctx = fakeClock(fakeTarget(template, { outputs }), {
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
      },
    });
    expect((await probeWeb(ctx)).summary).toBe('https://d111.cloudfront.net did not answer: ENOTFOUND (3 attempts, 10 s apart)');
  });

  test('no WebUrl output fails; on the emulator nothing is fetched', async () => {
    expect(await probeWeb(fakeClock(fakeTarget(template)))).toMatchObject({ status: 'fail', summary: 'the stack has no WebUrl output' });
    expect(await probeWeb(fakeClock(fakeTarget(template, { outputs, emulator: true })))).toMatchObject({
      status: 'skipped',
      summary:
        'not verifiable here: moto serves no CloudFront or load balancer traffic and runs no container; https://d111.cloudfront.net is a name it made up',
    });
  });
});

describe('load balancer targets', () => {
  const template: CfnTemplate = { Resources: { Web: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup' } } };
  const physical = { Web: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1' };
  const health = (State: TargetHealthStateEnum, Description?: string) => ({
    Target: { Id: '10.0.16.5', Port: 80 },
    TargetHealth: { State, Description },
  });

  test('all healthy passes', async () => {
    elbv2
      .on(DescribeTargetHealthCommand, { TargetGroupArn: physical.Web })
      .resolves({ TargetHealthDescriptions: [health('healthy'), health('healthy')] });
    expect(await probeTargets(fakeClock(fakeTarget(template, { physical })))).toMatchObject({
      status: 'pass',
      summary: '2 of 2 targets healthy in 1 target group',
    });
  });

  test('an unhealthy target fails with its reason; one still registering is listed', async () => {
    elbv2
      .on(DescribeTargetHealthCommand)
      .resolves({ TargetHealthDescriptions: [health('unhealthy', 'Health checks failed with these codes: [502]'), health('initial')] });
    expect(await probeTargets(fakeClock(fakeTarget(template, { physical })))).toEqual({
      status: 'fail',
      summary: '0 of 2 targets healthy',
      details: ['Web 10.0.16.5:80 unhealthy (Health checks failed with these codes: [502])', 'Web 10.0.16.5:80 initial'],
    });
  });

  test('targets still registering are pending', async () => {
    elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [health('healthy'), health('initial')] });
    expect(await probeTargets(fakeClock(fakeTarget(template, { physical })))).toMatchObject({
      status: 'pending',
      summary: '1 of 2 targets healthy; the others are still registering or draining',
    });
  });

  test('no target registered fails on AWS, and is not verifiable on the emulator', async () => {
    elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [] });
    expect(await probeTargets(fakeClock(fakeTarget(template, { physical })))).toEqual({
      status: 'fail',
      summary: '0 of 0 targets healthy',
      details: ['Web: no target registered (no task running, or none placed in the group)'],
    });
    expect((await probeTargets(fakeClock(fakeTarget(template, { physical, emulator: true })))).summary).toBe(
      'not verifiable here: moto starts no ECS task, so no target registers and no health check runs',
    );
  });
});

describe('alarms', () => {
  const template: CfnTemplate = {
    Resources: {
      Errors: { Type: 'AWS::CloudWatch::Alarm' },
      Latency: { Type: 'AWS::CloudWatch::Alarm' },
      Health: { Type: 'AWS::CloudWatch::CompositeAlarm' },
    },
  };
  const physical = { Errors: 'S-Errors-1', Latency: 'S-Latency-2', Health: 'S-Health-3' };
  const alarm = (AlarmName: string, StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', StateReason = '') => ({ AlarmName, StateValue, StateReason });

  test('all OK passes, and every name is asked for, both types', async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [alarm('S-Errors-1', 'OK'), alarm('S-Latency-2', 'OK')], CompositeAlarms: [alarm('S-Health-3', 'OK')] });
    expect(await probeAlarms(fakeClock(fakeTarget(template, { physical })))).toMatchObject({ status: 'pass', summary: '3 of 3 alarms OK' });
    expect(cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      AlarmNames: ['S-Errors-1', 'S-Latency-2', 'S-Health-3'],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });

  test('an alarm in ALARM or missing fails, with its reason', async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [alarm('S-Errors-1', 'ALARM', 'Threshold Crossed: 1 datapoint [5.0] was greater than 1.0')] });
    expect(await probeAlarms(fakeClock(fakeTarget(template, { physical })))).toEqual({
      status: 'fail',
      summary: '1 in ALARM, 2 missing, of 3 alarms',
      details: [
        'Errors (S-Errors-1): ALARM: Threshold Crossed: 1 datapoint [5.0] was greater than 1.0',
        'Latency (S-Latency-2): not found',
        'Health (S-Health-3): not found',
      ],
    });
  });

  test('INSUFFICIENT_DATA right after a deploy is pending', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [alarm('S-Errors-1', 'OK'), alarm('S-Latency-2', 'INSUFFICIENT_DATA')],
      CompositeAlarms: [alarm('S-Health-3', 'OK')],
    });
    expect(await probeAlarms(fakeClock(fakeTarget(template, { physical })))).toEqual({
      status: 'pending',
      summary: '2 of 3 alarms OK; 1 not evaluated yet (INSUFFICIENT_DATA)',
      details: ['Latency (S-Latency-2): INSUFFICIENT_DATA'],
    });
  });

  test('on the emulator, alarms it did not create (or stood in for) are not verifiable', async () => {
    const outcome = await probeAlarms(
      fakeClock(fakeTarget(template, { physical: { Health: 'placeholder' }, placeholders: ['Health'], emulator: true })),
    );
    expect(outcome).toMatchObject({
      status: 'skipped',
      summary: "not verifiable here: moto's CloudFormation does not create CloudWatch alarms (3 in the template)",
    });
    expect(cloudwatch).not.toHaveReceivedCommand(DescribeAlarmsCommand);
  });
});

describe('test job', () => {
  const template: CfnTemplate = {
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      Mapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, FunctionName: { Ref: 'Worker' } },
      },
      Worker: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'scalingstack-dev-jobs' } } } },
    },
  };
  const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/111122223333/S-Queue-1';
  const dlqUrl = 'https://sqs.eu-west-1.amazonaws.com/111122223333/S-Dlq-1';
  const outputs = { JobsQueueUrl: queueUrl, JobsDeadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:S-Dlq-1' };
  const physical = { Queue: queueUrl, Mapping: 'uuid-1', Worker: 'S-Worker-1' };
  const target = (emulator = false) => fakeTarget(template, { physical, outputs, emulator });
  const depth = (visible: number, inFlight: number) => ({
    Attributes: { ApproximateNumberOfMessages: String(visible), ApproximateNumberOfMessagesNotVisible: String(inFlight) },
  });
  const metrics = (processed: number[], failed: number[] = []) => ({
    MetricDataResults: [
      { Id: 'processed', Values: processed },
      { Id: 'failed', Values: failed },
    ],
  });

  beforeEach(() => {
    sqs.on(GetQueueUrlCommand, { QueueName: 'S-Queue-1' }).resolves({ QueueUrl: queueUrl });
    sqs.on(GetQueueUrlCommand, { QueueName: 'S-Dlq-1' }).resolves({ QueueUrl: dlqUrl });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });
  const dlqReads = (first: number, later: number) =>
    sqs.on(GetQueueAttributesCommand, { QueueUrl: dlqUrl }).resolvesOnce(depth(first, 0)).resolves(depth(later, 0));

  test('the job is a cache.invalidate of a key of its own', () => {
    expect(testJob('verify-1')).toEqual({ id: 'verify-1', type: 'cache.invalidate', payload: { keys: ['cdk-scaling-stack:verify:verify-1'] } });
  });

  test("processed when the worker's JobsProcessed for cache.invalidate counts it", async () => {
    dlqReads(0, 0);
    sqs.on(GetQueueAttributesCommand, { QueueUrl: queueUrl }).resolves(depth(0, 1));
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce(metrics([]))
      .resolves(metrics([1]));
    const ctx = fakeClock(target());
    const outcome = await probeJob(ctx, { send: true, timeoutSeconds: 180 });
    expect(outcome.status).toBe('pass');
    expect(outcome.summary).toMatch(
      /^job verify-2026-12-05T10-00-00-000Z-[0-9a-f]{8} processed in 10 s or less \(JobsProcessed cache\.invalidate: 1\)$/,
    );
    const sent = JSON.parse(sqs.commandCalls(SendMessageCommand)[0].args[0].input.MessageBody!);
    expect(sent).toEqual(testJob(sent.id));
    expect(cloudwatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      MetricDataQueries: [
        expect.objectContaining({
          Id: 'processed',
          MetricStat: expect.objectContaining({
            Metric: {
              Namespace: 'CdkScalingStack/Workers',
              MetricName: 'JobsProcessed',
              Dimensions: [
                { Name: 'service', Value: 'scalingstack-dev-jobs' },
                { Name: 'jobType', Value: 'cache.invalidate' },
              ],
            },
            Stat: 'Sum',
          }),
        }),
        expect.objectContaining({
          Id: 'failed',
          MetricStat: expect.objectContaining({ Metric: expect.objectContaining({ MetricName: 'JobsFailed' }) }),
        }),
      ],
    });
  });

  test('processed when the queue reads empty twice before the metric arrives', async () => {
    dlqReads(0, 0);
    sqs.on(GetQueueAttributesCommand, { QueueUrl: queueUrl }).resolvesOnce(depth(1, 0)).resolves(depth(0, 0));
    cloudwatch.on(GetMetricDataCommand).resolves(metrics([]));
    const ctx = fakeClock(target());
    expect((await probeJob(ctx, { send: true, timeoutSeconds: 180 })).summary).toMatch(
      /left the queue within 15 s \(the queue is empty; its metric has not arrived yet\)$/,
    );
    expect(ctx.slept).toEqual([JOB_POLL_MS, JOB_POLL_MS, JOB_POLL_MS]);
  });

  test('a failed job fails at once', async () => {
    dlqReads(0, 0);
    sqs.on(GetQueueAttributesCommand, { QueueUrl: queueUrl }).resolves(depth(0, 1));
    cloudwatch.on(GetMetricDataCommand).resolves(metrics([], [1]));
    expect((await probeJob(fakeClock(target()), { send: true, timeoutSeconds: 180 })).summary).toMatch(
      /^the worker failed 1 cache\.invalidate job\(s\) since job verify-\S+ was sent; its log group says why/,
    );
  });

  test('a dead-letter queue that grows while the job waits fails at once', async () => {
    dlqReads(2, 3);
    sqs.on(GetQueueAttributesCommand, { QueueUrl: queueUrl }).resolves(depth(0, 1));
    cloudwatch.on(GetMetricDataCommand).resolves(metrics([]));
    expect((await probeJob(fakeClock(target()), { send: true, timeoutSeconds: 180 })).summary).toMatch(
      /^the dead-letter queue grew while job verify-\S+ was waiting: jobs are failing$/,
    );
  });

  test('not processed within the timeout fails with what is waiting', async () => {
    dlqReads(0, 0);
    sqs.on(GetQueueAttributesCommand, { QueueUrl: queueUrl }).resolves(depth(1, 0));
    cloudwatch.on(GetMetricDataCommand).resolves(metrics([]));
    const ctx = fakeClock(target());
    expect((await probeJob(ctx, { send: true, timeoutSeconds: 30 })).summary).toMatch(
      /^job verify-\S+ was not processed within 30 s: 1 message\(s\) waiting, 0 in flight$/,
    );
    expect(ctx.slept).toHaveLength(6);
  });

  test('--skip-job sends nothing; the emulator accepts the job and says it cannot run it', async () => {
    dlqReads(0, 0);
    expect(await probeJob(fakeClock(target()), { send: false, timeoutSeconds: 180 })).toEqual({
      status: 'skipped',
      summary: 'not sent (--skip-job): the run stayed read-only',
    });
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
    const outcome = await probeJob(fakeClock(target(true)), { send: true, timeoutSeconds: 180 });
    expect(outcome.summary).toMatch(
      /^not verifiable here: moto runs no Lambda code \(it needs Docker\), so nothing consumes the queue; the queue accepted job verify-\S+ \(message m-1\)$/,
    );
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
  });
});

describe('database insights report', () => {
  const template: CfnTemplate = {
    Resources: {
      Insights: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { INSIGHTS_DB_INSTANCE: 'db-1' } }, LoggingConfig: { LogGroup: { Ref: 'InsightsLogs' } } },
      },
      InsightsLogs: { Type: 'AWS::Logs::LogGroup' },
    },
  };
  const physical = { Insights: 'S-Insights-1', InsightsLogs: 'S-InsightsLogs-1' };
  const line = (at: string, body: Record<string, unknown>) => ({ timestamp: Date.parse(at), message: JSON.stringify(body) });
  const ctx = (emulator = false) => fakeClock(fakeTarget(template, { physical, emulator }));

  test('the latest report read every part: complete', async () => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        line('2026-12-05T09:30:00Z', {
          message: 'database insights report',
          report: { unavailable: [{ section: 'statements', reason: 'no extension' }] },
        }),
        line('2026-12-05T09:45:00Z', { message: 'database insights report', report: { unavailable: [] } }),
      ],
    });
    expect(await probeInsights(ctx())).toMatchObject({ status: 'pass', summary: 'the latest report (2026-12-05T09:45:00.000Z) is complete' });
    expect(logs).toHaveReceivedCommandWith(FilterLogEventsCommand, {
      logGroupName: 'S-InsightsLogs-1',
      filterPattern: '"database insights"',
      startTime: Date.parse('2026-12-05T08:00:00Z'),
    });
  });

  test('an incomplete report fails with each part and its fix', async () => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        line('2026-12-05T09:45:00Z', {
          message: 'database insights report',
          report: {
            unavailable: [{ section: 'statements', reason: 'pg_stat_statements is not installed', fix: 'CREATE EXTENSION pg_stat_statements' }],
          },
        }),
      ],
    });
    expect(await probeInsights(ctx())).toEqual({
      status: 'fail',
      summary: 'the latest report (2026-12-05T09:45:00.000Z) is incomplete: 1 part(s) could not be read',
      details: ['statements: pg_stat_statements is not installed; fix: CREATE EXTENSION pg_stat_statements'],
    });
  });

  test('a misconfigured worker fails with its reason', async () => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [line('2026-12-05T09:45:00Z', { message: 'database insights: misconfigured, nothing read', reason: 'DB_HOST is not set' })],
    });
    expect((await probeInsights(ctx())).summary).toBe(
      'the latest run (2026-12-05T09:45:00.000Z) read nothing: database insights: misconfigured, nothing read: DB_HOST is not set',
    );
  });

  test('no report yet is pending, with the command that runs one now; the emulator is not asked', async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    expect(await probeInsights(ctx())).toMatchObject({
      status: 'pending',
      summary:
        'no report in S-InsightsLogs-1 in the last 2 hours: the worker runs on its schedule (every 15 minutes by default); verify again later, or run it now: aws lambda invoke --function-name S-Insights-1 /dev/stdout',
    });
    logs.reset();
    expect((await probeInsights(ctx(true))).status).toBe('skipped');
    expect(logs).not.toHaveReceivedCommand(FilterLogEventsCommand);
  });
});
