import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Cache, Database, DatabaseInsights, dev, Monitoring, monitoringPropsFor, prod, RightsizingAdvisor, staging, WebService } from '../../lib';
import { testApp, userStack } from '../helpers/app';

/** A user's stack with its own VPC. */
function stackWithVpc(id = 'UserStack'): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(testApp(), id);
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) };
}

/** The dashboard's first widget: the header. */
function dashboardHeader(stack: Stack): string {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as (string | object)[];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : '<ref>')).join('')).widgets[0].properties.markdown;
}

describe("Monitoring in a user's own stack, one construct at a time", () => {
  // GIVEN a user's stack with its own VPC and only a database
  const { stack, vpc } = stackWithVpc('Orders');
  const database = new Database(stack, 'Database', { vpc });
  // WHEN only the database is monitored, at prod's thresholds
  const monitoring = new Monitoring(stack, 'Monitoring', monitoringPropsFor('prod'));
  const made = monitoring.monitorDatabase(database);
  const custom = monitoring.addAlarm('CheckoutErrors', {
    metric: new cloudwatch.Metric({ namespace: 'Orders', metricName: 'CheckoutErrors', statistic: 'Sum' }),
    threshold: 5,
    title: 'Checkout errors',
    meaning: 'Customers cannot pay.',
    checkFirst: 'the payment provider, then the checkout logs.',
    severity: 'critical',
  });
  const template = Template.fromStack(stack);

  test("it makes that construct's alarms only, each wired to its own encrypted topic", () => {
    // THEN the database alarms prod turns on (a db.t4g.micro by default: no credits alarm in prod,
    // no proxy), and nothing for tiers that are not there
    expect(made.map((a) => a.key)).toEqual([
      'database.cpuPercent',
      'database.freeableMemoryPercent',
      'database.freeStorageGiB',
      'database.connectionsPercentOfMax',
      'database.readLatencyMs',
      'database.writeLatencyMs',
    ]);
    expect(new Set(monitoring.alarms.map((a) => a.tier))).toEqual(new Set(['Service', 'RDS', 'Custom']));
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Orders/Database/FreeStorage-critical',
      Threshold: 10 * 1024 ** 3,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitoringTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Orders-prod' });
  });

  test('addAlarm() puts a custom metric through the same factory; a critical one feeds service health', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Orders/CheckoutErrors-critical',
      AlarmDescription: Match.stringLikeRegexp(
        '^\\[critical\\] Checkout errors > 5 in 3 of 3 periods .*Customers cannot pay\\. Check first: the payment provider',
      ),
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'ignore',
      OKActions: [{ Ref: Match.stringLikeRegexp('^MonitoringTopic') }],
    });
    const [health] = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(JSON.stringify(health.Properties.AlarmRule)).toContain(stack.getLogicalId(custom.alarm.node.defaultChild as cloudwatch.CfnAlarm));
  });

  test('monitoring the same construct twice is refused', () => {
    expect(() => monitoring.monitorDatabase(database)).toThrow(
      'Orders/Monitoring: monitorDatabase(Orders/Database) was called before for the same construct; each construct is monitored once',
    );
  });
});

describe("Monitoring of the scheduled workers in a user's own stack", () => {
  // GIVEN an insights worker on the default schedule, one every 2 hours, and a right-sizing advisor
  const { stack, vpc } = stackWithVpc('Shop');
  const instance = rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Db', {
    instanceIdentifier: 'shop-db',
    instanceEndpointAddress: 'shop-db.abc.us-east-1.rds.amazonaws.com',
    port: 5432,
    securityGroups: [],
  });
  const insights = new DatabaseInsights(stack, 'Insights', { vpc, instance });
  const slow = new DatabaseInsights(stack, 'SlowInsights', { vpc, instance, schedule: 'cron(0 */2 * * ? *)' });
  const quiet = new DatabaseInsights(stack, 'QuietInsights', { vpc, instance, publishMetrics: false });
  const advisor = new RightsizingAdvisor(stack, 'Advisor');
  // WHEN they are monitored at staging's thresholds
  const monitoring = new Monitoring(stack, 'Monitoring', monitoringPropsFor('staging'));
  const made = monitoring.monitorDatabaseInsights(insights);
  monitoring.monitorDatabaseInsights(slow);
  const quietAlarms = monitoring.monitorDatabaseInsights(quiet);
  const advisorAlarms = monitoring.monitorScheduledWorker(advisor);
  const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const byName = (name: string) => alarms.find((a) => a.AlarmName === `Shop/${name}`)!;

  test("the insights worker gets the PostgreSQL alarms and its runs' alarms; the advisor its runs'", () => {
    expect(made.map((a) => `${a.tier} ${a.key}`)).toEqual([
      'PostgreSQL databaseInsights.bufferCacheHitRatioPercent',
      'PostgreSQL databaseInsights.slowStatementCount',
      'PostgreSQL databaseInsights.longestTransactionSeconds',
      'PostgreSQL databaseInsights.connectionUsePercent',
      'PostgreSQL databaseInsights.idleInTransactionSessions',
      'PostgreSQL databaseInsights.indexCandidateCount',
      'PostgreSQL databaseInsights.unavailableSectionCount',
      'Scheduled scheduledWorker.errorsPer5Min',
      'Scheduled scheduledWorker.deadLetterMessageCount',
    ]);
    expect(advisorAlarms.map((a) => a.alarm.node.path)).toEqual(['Shop/Monitoring/Advisor/ErrorsAlarm', 'Shop/Monitoring/Advisor/DeadLettersAlarm']);
    expect(byName('Insights/SlowStatements-warning')).toMatchObject({
      Namespace: 'CdkScalingStack/DatabaseInsights',
      MetricName: 'SlowStatements',
      Threshold: 20,
      Period: 900,
      Dimensions: [
        { Name: 'DBInstanceIdentifier', Value: 'shop-db' },
        { Name: 'service', Value: 'db-insights' },
      ],
    });
    expect(byName('Advisor/DeadLetters-critical')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
  });

  test("a slower schedule lengthens every insights alarm's period to its longest gap, and the description says so", () => {
    expect(byName('SlowInsights/ReportIncomplete-warning')).toMatchObject({
      Period: 7200,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'ignore',
      AlarmDescription: expect.stringMatching(
        /^\[warning\] Insights report incomplete \(sections not read\) ≥ 1 in 2 of 3 × 2 h \(no data keeps the last state\)\./,
      ),
    });
    expect(
      alarms
        .filter((a) => String(a.AlarmName).startsWith('Shop/SlowInsights/') && a.Namespace === 'CdkScalingStack/DatabaseInsights')
        .map((a) => a.Period),
    ).toEqual([7200, 7200, 7200, 7200, 7200, 7200, 7200]);
    // The runs' alarms count failures as they happen, whatever the schedule.
    expect(byName('SlowInsights/Errors-warning')).toMatchObject({ Period: 300 });
  });

  test("an insights worker without metrics gets its runs' alarms only, whatever the thresholds: the report alarm would never see data", () => {
    expect(quietAlarms.map((a) => `${a.tier} ${a.key}`)).toEqual([
      'Scheduled scheduledWorker.errorsPer5Min',
      'Scheduled scheduledWorker.deadLetterMessageCount',
    ]);
    expect(
      alarms
        .filter((a) => String(a.AlarmName).startsWith('Shop/QuietInsights/'))
        .map((a) => a.MetricName)
        .sort(),
    ).toEqual(['ApproximateNumberOfMessagesVisible', 'Errors']);
  });

  test('its dashboard row reads the latest reports and the warnings from its log group (Logs Insights), beside its failed runs', () => {
    // The dashboard body with each reference shown as <logical ID>.
    const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as (string | Record<string, unknown>)[];
    const body = JSON.parse(
      parts.map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(Object.values(part)[0]).replace(/\W/g, '')}>`)).join(''),
    );
    const widgets = body.widgets as { type: string; properties: { title?: string; query?: string; markdown?: string } }[];
    const header = widgets.findIndex(
      (w) =>
        w.properties.markdown === '### PostgreSQL: database insights every 15 minutes, report in the log only (Shop/QuietInsights, rate(15 minutes))',
    );
    const row = widgets.slice(header + 1, header + 4);
    const logGroup = stack.getLogicalId(quiet.logGroup.node.defaultChild as never);
    expect(row.map((w) => [w.type, w.properties.title])).toEqual([
      ['log', "PostgreSQL report: the latest runs (from the worker's log)"],
      ['log', 'PostgreSQL report problems: sections not read, with the fix'],
      ['metric', 'Scheduled runs failed and dead-lettered'],
    ]);
    expect(row[0].properties.query).toMatch(
      new RegExp(
        `^SOURCE '<${logGroup}>' \\| fields @timestamp, report\\.statements\\.slow as slowStatements, .*\\n\\| filter message = "database insights report"\\n`,
      ),
    );
    expect(row[1].properties.query).toBe(
      `SOURCE '<${logGroup}>' | fields @timestamp, message, reason, fix\n| filter level = "WARN"\n| sort @timestamp desc\n| limit 20`,
    );
  });

  test('a row per worker on the dashboard', () => {
    const body = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('### PostgreSQL: database insights every 15 minutes (Shop/Insights, rate(15 minutes))');
    expect(body).toContain('### PostgreSQL: database insights every 2 hours (Shop/SlowInsights, cron(0 */2 * * ? *))');
    expect(body).toContain('### Scheduled worker: Shop/Advisor (cron(15 6 * * ? *))');
  });

  test('a worker is monitored once, whichever method', () => {
    expect(() => monitoring.monitorScheduledWorker(insights)).toThrow(
      'Shop/Monitoring: monitorScheduledWorker(Shop/Insights) was called before for the same construct; each construct is monitored once',
    );
  });
});

describe('Monitoring of a web service without Container Insights and with a night schedule', () => {
  test('minimumTasks 0 makes no running-tasks alarm, says why, and the rest of the pack stays', () => {
    // GIVEN a web service that may be scaled to zero at night
    const { stack, vpc } = stackWithVpc();
    const web = new WebService(stack, 'Api', { vpc, image: ecs.ContainerImage.fromRegistry('nginx'), containerInsights: false });
    const monitoring = new Monitoring(stack, 'Monitoring');
    // WHEN
    const made = monitoring.monitorWebService(web, { minimumTasks: 0 });
    // THEN
    expect(made.map((a) => a.key)).toEqual(['web.errorRatePercent', 'web.p99LatencyMs', 'web.memoryPercent']);
    Annotations.fromStack(stack).hasInfo(
      '/UserStack/Monitoring/Api',
      Match.stringLikeRegexp('No running-tasks alarm: UserStack/Api may run 0 tasks by design'),
    );
    expect(() => new Monitoring(stack, 'Other').monitorWebService(web, { minimumTasks: -1 })).toThrow(
      'UserStack/Other: monitorWebService(UserStack/Api): minimumTasks (-1) must be a whole number of tasks, 0 or more',
    );
  });
});

describe('flat props: thresholds and a profile label', () => {
  test('used alone, the dev table applies and nothing claims a profile: the dashboard is named after the stack', () => {
    // GIVEN / WHEN a Monitoring with no props
    const stack = userStack();
    const monitoring = new Monitoring(stack, 'Monitoring');
    // THEN
    expect(monitoring.settings).toBe(dev.monitoring);
    expect(monitoring.profileName).toBeUndefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'UserStack' });
    expect(dashboardHeader(stack)).toBe('# UserStack: service health');
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmDescription: Match.stringLikeRegexp('its own notification says what to check next\\. \\(UserStack\\.\\)$'),
    });
  });

  test("monitoringPropsFor() gives a profile's table and its name, which labels the descriptions, the header and the dashboard", () => {
    const stack = userStack();
    const monitoring = new Monitoring(stack, 'Monitoring', monitoringPropsFor('staging'));
    expect(monitoring.settings).toBe(staging.monitoring);
    expect(monitoring.profileName).toBe('staging');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'UserStack-staging' });
    expect(dashboardHeader(stack)).toBe('# UserStack-staging: service health (profile staging)');
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmDescription: Match.stringLikeRegexp('\\(profile staging, UserStack\\.\\)$'),
    });
  });
});

describe('bad input is refused at synth, every problem at once', () => {
  test('thresholds out of their meaningful range, an SLO target not in (0, 100)', () => {
    expect(
      () =>
        new Monitoring(stackWithVpc('Orders').stack, 'Monitoring', {
          thresholds: { ...dev.monitoring, latencySloPercent: 100, web: { ...dev.monitoring.web, memoryPercent: 120, p99LatencyMs: -5 } },
        }),
    ).toThrow(
      [
        'Orders/Monitoring: 3 problems:',
        '  - thresholds.latencySloPercent (100) must be above 0 and below 100: the share of requests that must meet the SLO over 30 days, such as 99.9 (100 leaves no error budget to alarm on)',
        '  - thresholds.web.p99LatencyMs (-5) must be above 0 and at most 3600000 (milliseconds, at most an hour)',
        "  - thresholds.web.memoryPercent (120) must be above 0 and below 100 (a percentage), or 'off'",
      ].join('\n'),
    );
  });

  test('evaluation periods smaller than datapoints to alarm, and an ID that cannot name an alarm', () => {
    const monitoring = new Monitoring(userStack(), 'Monitoring');
    const metric = new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' });
    const props = { metric, threshold: 1, title: 'Errors', meaning: 'm', checkFirst: 'c' };
    expect(() => monitoring.addAlarm('AppErrors', { ...props, evaluationPeriods: 2, datapointsToAlarm: 3 })).toThrow(
      'UserStack/Monitoring: alarm AppErrors: evaluationPeriods (2) is smaller than datapointsToAlarm (3); an alarm cannot find 3 breaching datapoints among 2: raise evaluationPeriods or lower datapointsToAlarm',
    );
    expect(() => monitoring.addAlarm('app errors', props)).toThrow(
      "UserStack/Monitoring: addAlarm('app errors'): the ID must be PascalCase letters and digits, such as 'CheckoutErrors' (it becomes a construct ID and part of the alarm's name)",
    );
  });

  test('a dashboard name CloudWatch would refuse', () => {
    expect(() => new Monitoring(userStack(), 'Monitoring', { dashboardName: 'my dashboard' })).toThrow(
      "UserStack/Monitoring: dashboardName ('my dashboard') must be 1-255 letters, digits, '-' or '_'",
    );
  });

  test('a cache of more nodes than one alarm may read', () => {
    // GIVEN 4 shards x 3 nodes = 12 nodes: one alarm over all of them would read 12 metrics
    const { stack, vpc } = stackWithVpc();
    const cache = new Cache(stack, 'Cache', { vpc, clusterMode: { shards: 4, replicasPerShard: 2 } });
    // WHEN / THEN
    expect(() => new Monitoring(stack, 'Monitoring', monitoringPropsFor(prod)).monitorCache(cache)).toThrow(
      'UserStack/Monitoring: alarm cache.engineCpuPercent reads 12 metrics; a CloudWatch alarm may read at most 10: alarm on fewer series (for a cache, per-node alarms from memberClusterIds)',
    );
  });
});
