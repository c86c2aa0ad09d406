import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PUBLISHED_METRICS_METADATA, RightsizingAdvisor, type RightsizingAdvisorProps } from '../../lib';
import { prod } from '../../lib/core/profiles';
import { nagFindings, userStack } from '../helpers/app';

/** The metric sources of a stack built elsewhere, by name. */
function sources(stack: Stack): Required<Pick<RightsizingAdvisorProps, 'web' | 'database' | 'cache' | 'worker'>> {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'] });
  const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'app-cluster', vpc });
  return {
    web: {
      cluster,
      service: ecs.FargateService.fromFargateServiceAttributes(stack, 'Service', { cluster, serviceName: 'app-service' }),
      loadBalancer: { loadBalancerFullName: 'app/app-alb/50dc6c495c0c9188' },
      targetGroup: { targetGroupFullName: 'targetgroup/app-tg/73e2d6bc24d8a067' },
      containerInsights: false,
    },
    database: {
      instance: rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Db', {
        instanceIdentifier: 'app-db',
        instanceEndpointAddress: 'app-db.example',
        port: 5432,
        securityGroups: [],
      }),
    },
    cache: { memberClusterIds: ['app-cache-001', 'app-cache-002'] },
    worker: {
      function: lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:jobs-worker'),
      queue: sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:us-east-1:123456789012:jobs'),
    },
  };
}

describe('RightsizingAdvisor', () => {
  // GIVEN every metric source and an alarm topic (one synthesis for the file)
  const stack = userStack();
  const topic = new sns.Topic(stack, 'Alarms');
  const advisor = new RightsizingAdvisor(stack, 'Advisor', { profile: 'prod', topic, ...sources(stack) });
  const template = Template.fromStack(stack);

  test('runs daily on EventBridge Scheduler, with retries and a dead-letter queue for runs it cannot deliver', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 6 * * ? *)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AdvisorWorkerFunction'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AdvisorWorkerDeadLetterQueue'), 'Arn'] } },
      },
    });
    expect(advisor.scheduleExpression).toBe('cron(15 6 * * ? *)');
  });

  test('a run that fails is retried once by Lambda, then kept 14 days in the same encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 1, Qualifier: '$LATEST' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AdvisorWorkerDeadLetterQueue'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('Node.js 24 on ARM64, with the profile and every metric source in its configuration', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }))[0].Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 512, Timeout: 120 });
    const variables = fn.Environment.Variables;
    expect(variables.RIGHTSIZING_TOPIC_ARN).toEqual({ Ref: expect.stringMatching(/^Alarms/) });
    const config = JSON.parse(variables.RIGHTSIZING_CONFIG);
    // The profile without its alarm thresholds, which the advisor neither reads nor changes.
    const { monitoring: _thresholds, ...advised } = prod;
    expect(config).toEqual({
      profile: JSON.parse(JSON.stringify(advised)),
      targets: {
        web: {
          clusterName: 'app-cluster',
          serviceName: 'app-service',
          loadBalancer: 'app/app-alb/50dc6c495c0c9188',
          targetGroup: 'targetgroup/app-tg/73e2d6bc24d8a067',
          containerInsights: false,
        },
        database: { instanceIdentifier: 'app-db' },
        cache: { memberClusterIds: ['app-cache-001', 'app-cache-002'] },
        worker: { functionName: 'jobs-worker', queueName: 'jobs' },
      },
      windowDays: 14,
      periodSeconds: 60,
    });
  });

  test('declares in its Metadata that it publishes no custom metrics, so the cost tool counts none', () => {
    template.hasResource('AWS::Lambda::Function', {
      Properties: Match.objectLike({ Handler: 'index.handler', MemorySize: 512 }),
      Metadata: Match.objectLike({ [PUBLISHED_METRICS_METADATA]: { Series: [] } }),
    });
  });

  test('IAM: read-only metric access, publishing to the topic, its own logs and dead-letter queue; nothing else', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^AdvisorWorkerRole') }] } });
    const statements = Object.values(policies).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
    );
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'cloudwatch:GetMetricData',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sns:Publish',
      'sqs:SendMessage',
    ]);
    expect(statements.find((s) => s.Action === 'cloudwatch:GetMetricData')?.Resource).toBe('*');
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
    // Scheduler's role invokes exactly this function (no version wildcard) and writes undeliverable runs to the queue.
    const scheduler = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^AdvisorWorkerSchedulerRole') }] },
    });
    expect(Object.values(scheduler).flatMap((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AdvisorWorkerFunction/), 'Arn'] },
      }),
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AdvisorWorkerDeadLetterQueue/), 'Arn'] },
      }),
    ]);
  });

  test('cdk-nag finds nothing open', () => {
    expect(nagFindings(stack).filter((f) => f.includes('/Advisor/'))).toEqual([]);
  });

  test('alone it advises the dev profile and reads nothing it was not given', () => {
    const alone = userStack();
    const a = new RightsizingAdvisor(alone, 'Advisor');
    const fn = Object.values(Template.fromStack(alone).findResources('AWS::Lambda::Function'))[0].Properties;
    expect(a.profile.name).toBe('dev');
    expect(JSON.parse(fn.Environment.Variables.RIGHTSIZING_CONFIG)).toMatchObject({ profile: { name: 'dev' }, targets: {} });
    expect(fn.Environment.Variables.RIGHTSIZING_TOPIC_ARN).toBeUndefined();
  });

  test('a topic can be given after construction, once', () => {
    // GIVEN an advisor built before the alarm topic exists (as ScalingStack builds it)
    const later = userStack();
    const a = new RightsizingAdvisor(later, 'Advisor');
    const topic = new sns.Topic(later, 'Alarms');
    // WHEN
    a.notify(topic);
    // THEN
    const fn = Object.values(Template.fromStack(later).findResources('AWS::Lambda::Function'))[0].Properties;
    expect(fn.Environment.Variables.RIGHTSIZING_TOPIC_ARN).toEqual({ Ref: expect.stringMatching(/^Alarms/) });
    Template.fromStack(later).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('^Alarms') } })]),
      },
    });
    expect(() => a.notify(new sns.Topic(later, 'Other'))).toThrow(
      'UserStack/Advisor: notify() was already given a topic (UserStack/Alarms); the advisor notifies one topic, the alarm topic',
    );
  });

  test('a bad schedule and window are reported together, each with what is allowed', () => {
    expect(() => new RightsizingAdvisor(userStack(), 'Advisor', { schedule: 'rate(5 minutes)', windowDays: 30 })).toThrow(
      'UserStack/Advisor: 2 problems:\n' +
        "  - schedule ('rate(5 minutes)') runs every 5 minutes; it must run between every 1 hour and every 7 days\n" +
        '  - windowDays (30 days) must be between 1 and 15 days; CloudWatch keeps the one-minute datapoints the percentiles need for 15 days',
    );
  });

  test.each([
    [
      'every day',
      "schedule ('every day') must be 'rate(<n> <minutes|hours|days>)' or 'cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)', such as 'rate(15 minutes)' or 'cron(15 6 * * ? *)'; a one-time 'at(...)' schedule would run the worker once",
    ],
    ['at(2026-12-24T18:00:00)', /a one-time 'at\(\.\.\.\)' schedule would run the worker once$/],
    ['rate(1 hours)', "schedule ('rate(1 hours)') must use 'hour' with 1: EventBridge Scheduler rejects 'rate(1 hours)'"],
    ['rate(14 days)', "schedule ('rate(14 days)') runs every 14 days; it must run between every 1 hour and every 7 days"],
    [
      'cron(0 6 * *)',
      "schedule ('cron(0 6 * *)') has 4 cron fields; EventBridge Scheduler needs 6: minutes hours day-of-month month day-of-week year",
    ],
    ['cron(*/10 * * * ? *)', "schedule ('cron(*/10 * * * ? *)') runs every 10 minutes at times; it must run between every 1 hour and every 7 days"],
    [
      'cron(0 L * * ? *)',
      "schedule ('cron(0 L * * ? *)') has minutes or hours that are not numbers, ranges, lists or steps (such as 0, 0-30, 0,30, */15)",
    ],
  ])('schedule %s is refused', (schedule, message) => {
    expect(() => new RightsizingAdvisor(userStack(), 'Advisor', { schedule })).toThrow(message);
  });

  test.each(['rate(1 hour)', 'rate(7 days)', 'cron(0 */6 * * ? *)', 'cron(0 6 ? * MON *)'])('schedule %s is accepted', (schedule) => {
    expect(new RightsizingAdvisor(userStack(), 'Advisor', { schedule }).scheduleExpression).toBe(schedule);
  });

  test("a configuration too large for Lambda's 4 KB environment is refused at synth, not at deploy", () => {
    // GIVEN a profile with 40 scheduled scaling actions
    const scaleSchedule = Array.from({ length: 40 }, (_, i) => ({
      name: `Window${i}`,
      schedule: 'cron(0 20 ? * MON-FRI *)',
      timeZone: 'Europe/Berlin',
      minTasks: 2,
      maxTasks: 4,
    }));
    expect(() => new RightsizingAdvisor(userStack(), 'Advisor', { profile: { ...prod, web: { ...prod.web, scaleSchedule } } })).toThrow(
      /^UserStack\/Advisor: the advisor's configuration \(the profile and the metric sources\) takes about \d+ bytes, more than the 3584 that fit in Lambda's 4 KB environment beside the other variables; shorten the profile's names and schedules, or give fewer cache nodes$/,
    );
  });

  test('a window of a fraction of a day is refused', () => {
    expect(() => new RightsizingAdvisor(userStack(), 'Advisor', { windowDays: 2.5 })).toThrow(
      'UserStack/Advisor: windowDays (2.5) must be a whole number between 1 and 15 days; CloudWatch keeps the one-minute datapoints the percentiles need for 15 days',
    );
  });
});
