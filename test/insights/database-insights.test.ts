import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DatabaseInsights, PUBLISHED_METRICS_METADATA, type DatabaseInsightsProps } from '../../lib';
import { DB_INSIGHTS_METRICS } from '../../lib/core/insights';
import { nagFindings, userStack } from '../helpers/app';

function setup() {
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const databaseSecurityGroup = new ec2.SecurityGroup(stack, 'DbSg', { vpc, allowAllOutbound: false });
  const instance = rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Db', {
    instanceIdentifier: 'app-db',
    instanceEndpointAddress: 'app-db.abc.us-east-1.rds.amazonaws.com',
    port: 5432,
    securityGroups: [databaseSecurityGroup],
  });
  const secret = new secretsmanager.Secret(stack, 'DbSecret');
  return { stack, vpc, instance, secret };
}

describe('DatabaseInsights', () => {
  // GIVEN a database in a VPC (one synthesis for the file)
  const { stack, vpc, instance, secret } = setup();
  const insights = new DatabaseInsights(stack, 'Insights', { vpc, instance, secret, databaseName: 'shop' });
  // WHEN the stack opens the database to it, as ScalingStack does
  instance.connections.allowDefaultPortFrom(insights);
  const template = Template.fromStack(stack);

  test('runs every 15 minutes on EventBridge Scheduler, retried, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 }, DeadLetterConfig: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 1 });
  });

  test('connects to the instance with the secret, verifying the RDS certificate, and passes its thresholds', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 60,
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      Environment: {
        Variables: {
          DB_HOST: 'app-db.abc.us-east-1.rds.amazonaws.com',
          DB_PORT: '5432',
          DB_NAME: 'shop',
          DB_SECRET_ARN: { Ref: Match.stringLikeRegexp('^DbSecret') },
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'db-insights',
          POWERTOOLS_METRICS_NAMESPACE: 'CdkScalingStack/DatabaseInsights',
          INSIGHTS_DB_INSTANCE: 'app-db',
          INSIGHTS_SLOW_STATEMENT_MS: '250',
          INSIGHTS_LONG_TRANSACTION_SECONDS: '60',
          INSIGHTS_MIN_TABLE_ROWS: '10000',
        },
      },
    });
  });

  test('network: HTTPS egress to AWS APIs, the database port opened through connections, nothing else', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^UserStack/Insights/Worker: the worker function'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'HTTPS to AWS APIs' }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432,
      ToPort: 5432,
      IpProtocol: 'tcp',
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InsightsWorkerSecurityGroup'), 'GroupId'] },
    });
  });

  test('IAM: its secret, its logs, its network interfaces and its dead-letter queue', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^InsightsWorkerRole') }] } });
    const actions = Object.values(policies)
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.sort()).toEqual([
      'ec2:AssignPrivateIpAddresses',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:UnassignPrivateIpAddresses',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'sqs:SendMessage',
    ]);
  });

  test('the metric helpers name the metrics the worker publishes, with its dimensions and one run as the period', () => {
    const metric = stack.resolve(insights.metricBufferCacheHitRatio().toMetricConfig().metricStat);
    expect(metric).toMatchObject({
      namespace: 'CdkScalingStack/DatabaseInsights',
      metricName: 'BufferCacheHitRatio',
      dimensions: [
        { name: 'DBInstanceIdentifier', value: 'app-db' },
        { name: 'service', value: 'db-insights' },
      ],
      statistic: 'Minimum',
    });
    expect(insights.metricBufferCacheHitRatio().period.toMinutes()).toBe(15);
    expect(
      [
        insights.metricSlowStatements(),
        insights.metricLongestTransactionAge(),
        insights.metricConnectionUse(),
        insights.metricIdleInTransactionSessions(),
        insights.metricIndexCandidates(),
        insights.metricUnavailableSections(),
      ].map((m) => `${m.metricName}:${m.statistic}`),
    ).toEqual([
      'SlowStatements:Maximum',
      'LongestTransactionAgeSeconds:Maximum',
      'ConnectionUsePercent:Maximum',
      'IdleInTransactionSessions:Maximum',
      'IndexCandidates:Maximum',
      'UnavailableSections:Maximum',
    ]);
  });

  test("declares the 8 metric series it publishes in the function's Metadata, for the cost tool", () => {
    const series = Object.values(DB_INSIGHTS_METRICS).map((name) => ({
      MetricName: name,
      Dimensions: { service: 'db-insights', DBInstanceIdentifier: 'app-db' },
    }));
    template.hasResource('AWS::Lambda::Function', {
      Properties: Match.objectLike({ Environment: { Variables: Match.objectLike({ INSIGHTS_DB_INSTANCE: 'app-db' }) } }),
      Metadata: Match.objectLike({ [PUBLISHED_METRICS_METADATA]: { Namespace: 'CdkScalingStack/DatabaseInsights', Series: series } }),
    });
    expect(series).toHaveLength(8);
    expect(insights.publishesMetrics).toBe(true);
  });

  test('publishMetrics: false turns Powertools Metrics off and declares no series; the report still goes to the log', () => {
    // GIVEN
    const s = setup();
    // WHEN
    const quiet = new DatabaseInsights(s.stack, 'Quiet', { vpc: s.vpc, instance: s.instance, publishMetrics: false });
    // THEN
    const t = Template.fromStack(s.stack);
    t.hasResource('AWS::Lambda::Function', {
      Properties: Match.objectLike({
        Environment: { Variables: Match.objectLike({ POWERTOOLS_METRICS_DISABLED: 'true', INSIGHTS_DB_INSTANCE: 'app-db' }) },
      }),
      Metadata: Match.objectLike({ [PUBLISHED_METRICS_METADATA]: { Namespace: 'CdkScalingStack/DatabaseInsights', Series: [] } }),
    });
    expect(quiet.publishesMetrics).toBe(false);
    // and the default publishes: no such switch in its environment
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_METRICS_DISABLED: Match.absent(), INSIGHTS_DB_INSTANCE: 'app-db' }) },
    });
  });

  test('cdk-nag finds nothing open', () => {
    expect(nagFindings(stack).filter((f) => f.includes('/Insights/'))).toEqual([]);
  });

  test('the period of its metrics follows a rate schedule', () => {
    const s = setup();
    expect(new DatabaseInsights(s.stack, 'I', { vpc: s.vpc, instance: s.instance, schedule: 'rate(1 hour)' }).metricPeriod.toMinutes()).toBe(60);
  });

  test.each<[string, Partial<DatabaseInsightsProps>, string]>([
    [
      'every minute',
      { schedule: 'rate(1 minute)' },
      "schedule ('rate(1 minute)') runs every 1 minute; it must run between every 5 minutes and every 1 day",
    ],
    [
      'weekly',
      { schedule: 'cron(0 6 ? * MON *)' },
      "schedule ('cron(0 6 ? * MON *)') leaves up to days between runs; it must run between every 5 minutes and every 1 day",
    ],
    ['twice a day (accepted)', { schedule: 'cron(0 0,12 * * ? *)' }, ''],
    [
      'a zero slow threshold',
      { slowStatementThreshold: Duration.millis(0) },
      'slowStatementThreshold (0 ms) must be between 1 and 3600000 ms; from 1 ms to an hour',
    ],
    [
      'a two-day transaction threshold',
      { longTransactionThreshold: Duration.days(2) },
      'longTransactionThreshold (172800 seconds) must be between 1 and 86400 seconds; from a second to a day',
    ],
    ['a fraction of a row', { indexCandidateMinRows: 10.5 }, 'indexCandidateMinRows (10.5) must be a whole number between 1 and 1000000000000'],
  ])('%s: %s', (_label, props, message) => {
    const s = setup();
    const make = () => new DatabaseInsights(s.stack, 'I', { vpc: s.vpc, instance: s.instance, ...props });
    if (message) expect(make).toThrow(`UserStack/I: ${message}`);
    else expect(make).not.toThrow();
  });
});
