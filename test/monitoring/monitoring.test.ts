import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PROFILE_NAMES, type AlarmThreshold, type ProfileName, type ScalingStack } from '../../lib';
import { GRAVITON_INSTANCE_CLASSES } from '../../lib/core/database';
import { catalogEntries } from '../../lib/core/alarm-catalog';
import { scalingStack } from '../helpers/app';

// One synthesis per profile, shared by every test in this file.
const stacks = Object.fromEntries(PROFILE_NAMES.map((name) => [name, scalingStack({ profile: name })])) as Record<ProfileName, ScalingStack>;
const templates = Object.fromEntries(PROFILE_NAMES.map((name) => [name, Template.fromStack(stacks[name])])) as Record<ProfileName, Template>;

const GIB = 1024 ** 3;
type Resource = { Type: string; Properties: Record<string, unknown> };

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } } | object): string {
  const child = (construct as { node: { defaultChild: import('aws-cdk-lib').CfnElement } }).node.defaultChild;
  return stack.getLogicalId(child);
}

function resources(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** An alarm rule with each referenced alarm's ARN shown as <logical ID>. */
function renderRule(rule: unknown): string {
  const parts = (rule as { 'Fn::Join': [string, (string | { 'Fn::GetAtt': [string, string] })[]] })['Fn::Join'][1];
  return parts.map((part) => (typeof part === 'string' ? part : `<${part['Fn::GetAtt'][0]}>`)).join('');
}

/** The profile value behind an alarm key such as 'web.cpuPercent'. */
function setting(stack: ScalingStack, key: string): AlarmThreshold {
  const [section, field] = key.split('.');
  return (stack.profile.monitoring as unknown as Record<string, Record<string, AlarmThreshold>>)[section][field];
}

/**
 * The alarm threshold each profile value must become, worked out here from the profile and the
 * constructs (not from Monitoring's own conversions).
 */
function expectedThreshold(stack: ScalingStack, key: string, value: number): number {
  switch (key) {
    case 'web.p99LatencyMs':
    case 'database.readLatencyMs':
    case 'database.writeLatencyMs':
      return value / 1000;
    case 'web.runningTasksPercentOfMinimum':
      return Math.ceil((stack.profile.web.minTasks * value) / 100);
    case 'database.freeStorageGiB':
      return value * GIB;
    case 'database.freeableMemoryPercent':
      return Math.round((GRAVITON_INSTANCE_CLASSES[stack.profile.database.instanceClass].memoryGiB * 1024 * value) / 100) * 1024 * 1024;
    case 'database.connectionsPercentOfMax':
      return Math.round(stack.database.maxConnections * value) / 100;
    case 'database.proxyConnectionsPercentOfMax':
      return Math.round(Math.floor((stack.database.maxConnections * stack.database.proxyMaxConnectionsPercent!) / 100) * value) / 100;
    case 'worker.p99DurationPercentOfTimeout':
      return Math.round((stack.profile.worker.timeoutSeconds * 1000 * value) / 100);
    default:
      return value;
  }
}

describe('Monitoring in ScalingStack', () => {
  test.each(PROFILE_NAMES)('%s: every alarm has an action, a description and its threshold from the profile table', (name) => {
    // GIVEN the synthesized profile
    const stack = stacks[name];
    const template = templates[name];
    const topic = { Ref: logicalId(stack, stack.monitoring.topic) };
    const metricAlarms = resources(template, 'AWS::CloudWatch::Alarm');
    const composites = resources(template, 'AWS::CloudWatch::CompositeAlarm');

    // WHEN walking every alarm Monitoring made or adopted
    for (const monitored of stack.monitoring.alarms) {
      const id = logicalId(stack, monitored.alarm);
      const resource = metricAlarms[id] ?? composites[id];
      expect(resource).toBeDefined();
      const p = resource.Properties;
      // THEN it notifies the topic on ALARM and OK, says what it means and what to check first
      expect(p.AlarmActions).toEqual([topic]);
      expect(p.OKActions).toEqual([topic]);
      expect(p.AlarmDescription).toMatch(/^\[(warning|critical)\] .+Check first: .+\(profile /s);
      expect((p.AlarmDescription as string).length).toBeLessThanOrEqual(1024);
      expect(p.AlarmName).toMatch(new RegExp(`^ScalingStack-${name}/.+-(warning|critical)$`));
      // and a metric alarm's threshold is the profile's value, converted to the metric's unit
      if (monitored.key === 'EdgeErrorRate') {
        // ScalingStack's own alarm on the distribution (addAlarm): the web error threshold.
        expect(p.Threshold).toBe(stack.profile.monitoring.web.errorRatePercent);
      } else if (resource.Type === 'AWS::CloudWatch::Alarm') {
        const value = setting(stack, monitored.key);
        expect(value).not.toBe('off');
        expect(monitored.setting).toBe(value);
        expect(p.Threshold).toBeCloseTo(expectedThreshold(stack, monitored.key, value as number), 6);
      }
    }
    // Each alarm key turned on in the profile made exactly one alarm per construct watched; 'off' made none.
    const keys = stack.monitoring.alarms.map((a) => a.key);
    const perConstruct = stack.monitoring.alarms.map((a) => `${a.key} ${a.watches}`);
    expect(new Set(perConstruct).size).toBe(perConstruct.length);
    for (const key of keys.filter((k) => /^(web|database|cache|worker|databaseInsights|scheduledWorker)\./.test(k)))
      expect(setting(stack, key)).not.toBe('off');
  });

  test.each(PROFILE_NAMES)('%s: every alarm in the template notifies, feeds a composite that does, or drives autoscaling', (name) => {
    const stack = stacks[name];
    const template = templates[name];
    const all = template.toJSON().Resources as Record<string, Resource>;
    const topic = { Ref: logicalId(stack, stack.monitoring.topic) };
    const composites = Object.values(resources(template, 'AWS::CloudWatch::CompositeAlarm'));
    for (const composite of composites) expect(composite.Properties.AlarmActions).toEqual([topic]);
    const inComposite = JSON.stringify(composites.map((c) => c.Properties.AlarmRule));
    for (const [id, alarm] of Object.entries(resources(template, 'AWS::CloudWatch::Alarm'))) {
      const actions = (alarm.Properties.AlarmActions ?? []) as { Ref?: string }[];
      const notifies = actions.some((a) => a.Ref === topic.Ref);
      const component = inComposite.includes(`"${id}"`);
      const scaling =
        actions.length > 0 && actions.every((a) => a.Ref !== undefined && all[a.Ref]?.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy');
      expect({ id, covered: notifies || component || scaling }).toEqual({ id, covered: true });
      // A burn-rate window has no action of its own; its description names the composite that notifies.
      if (component && !notifies) expect(alarm.Properties.AlarmDescription).toMatch(/Notifies through ScalingStack-.+-critical\.$/);
    }
  });

  test.each(PROFILE_NAMES)(
    '%s: every tier is covered: ALB, ECS, RDS, cache, Lambda, SQS, PostgreSQL (where the insights worker publishes metrics), scheduled runs (and the SLOs where on)',
    (name) => {
      const stack = stacks[name];
      const tiers = new Set(stack.monitoring.alarms.map((a) => a.tier));
      for (const tier of ['ALB', 'ECS', 'RDS', 'Cache', 'Lambda', 'SQS', 'Scheduled']) expect(tiers).toContain(tier);
      expect(tiers.has('PostgreSQL')).toBe(stack.profile.monitoring.databaseInsightsMetrics);
      // Both scheduled workers: a dead-lettered run alarms in every profile.
      const deadLetters = stack.monitoring.alarms.filter((a) => a.key === 'scheduledWorker.deadLetterMessageCount').map((a) => a.watches);
      expect(deadLetters).toEqual([stack.databaseInsights.node.path, stack.rightsizing.node.path]);
      expect(tiers.has('SLO')).toBe(stacks[name].profile.monitoring.sloBurnRateAlarms);
    },
  );

  test('each profile gets the alarms its table turns on, and only where the construct has the feature', () => {
    const keys = (name: ProfileName) => stacks[name].monitoring.alarms.map((a) => a.key).sort();
    expect(keys('dev')).toEqual(
      [
        'cache.memoryPercent',
        'database.cpuCredits',
        'database.freeStorageGiB',
        'serviceHealth',
        'web.errorRatePercent',
        'web.memoryPercent',
        'web.p99LatencyMs',
        'web.runningTasksPercentOfMinimum',
        'worker.deadLetterMessageCount',
        'worker.errorsPer5Min',
        'worker.oldestMessageAgeSeconds',
        // dead-lettered runs of both workers; no PostgreSQL alarm: dev's insights worker publishes no metrics
        'scheduledWorker.deadLetterMessageCount',
        'scheduledWorker.deadLetterMessageCount',
        // the distribution's 5xx rate: the stack is bound to us-east-1 by its EdgeRegion rule
        'EdgeErrorRate',
      ].sort(),
    );
    // staging: burstable (credits), no proxy, two cache nodes (replication lag), SLOs on
    expect(keys('staging')).toContain('database.cpuCredits');
    expect(keys('staging')).not.toContain('database.proxyConnectionsPercentOfMax');
    expect(keys('staging')).toContain('cache.replicationLagSeconds');
    expect(keys('staging')).toEqual(expect.arrayContaining(['slo.availabilitySloPercent', 'slo.latencySloPercent']));
    // prod: not burstable (no credit alarm whatever the table says), a proxy, every other alarm
    expect(keys('prod')).not.toContain('database.cpuCredits');
    expect(keys('prod')).toContain('database.proxyConnectionsPercentOfMax');
    expect(keys('prod')).toHaveLength(39);
  });

  test('the alarm topic is encrypted with its own key, TLS only, and CloudWatch and AWS Budgets may publish', () => {
    const template = templates.prod;
    const stack = stacks.prod;
    const keyId = logicalId(stack, stack.monitoring.encryptionKey!);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true, PendingWindowInDays: 7 }, DeletionPolicy: 'Delete' });
    const statement = (sid: string, service: string, actions: string | string[]) =>
      Match.objectLike({
        Sid: sid,
        Effect: 'Allow',
        Principal: { Service: service },
        Action: actions,
        Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
      });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          statement('AllowCloudWatchAlarmsToPublish', 'cloudwatch.amazonaws.com', 'sns:Publish'),
          statement('AllowAwsBudgetsToPublish', 'budgets.amazonaws.com', 'sns:Publish'),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('alarm notifications'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          statement('AllowCloudWatchAlarmsToUseTheTopicKey', 'cloudwatch.amazonaws.com', ['kms:Decrypt', 'kms:GenerateDataKey*']),
          // AWS Budgets' documented key statement has no source conditions (lib/cost/monthly-budget.ts).
          Match.objectLike({
            Sid: 'AllowAwsBudgetsToUseTheTopicKey',
            Effect: 'Allow',
            Principal: { Service: 'budgets.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: Match.absent(),
          }),
        ]),
      },
    });
    // The budget notifies the same topic.
    template.hasResourceProperties('AWS::Budgets::Budget', {
      NotificationsWithSubscribers: Match.arrayWith([
        Match.objectLike({ Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: logicalId(stack, stack.monitoring.topic) } }] }),
      ]),
    });
    // No e-mail subscription unless addresses are given.
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('alarm e-mails given to the stack are subscribed to the topic', () => {
    const stack = scalingStack({ profile: 'dev', alarmEmails: ['ops@example.com'] });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalId(stack, stack.monitoring.topic) },
    });
  });

  test('the deployment alarms are the 5xx and p99 alarms: profile thresholds, no duplicates, still rolling back', () => {
    const stack = stacks.prod;
    const template = templates.prod;
    const errorRate = logicalId(stack, stack.web.deploymentAlarms.errorRate);
    const latency = logicalId(stack, stack.web.deploymentAlarms.p99Latency);
    expect(resources(template, 'AWS::CloudWatch::Alarm')[errorRate].Properties).toMatchObject({
      AlarmName: 'ScalingStack-prod/Web/ErrorRate-critical',
      Threshold: 2,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    expect(resources(template, 'AWS::CloudWatch::Alarm')[latency].Properties).toMatchObject({
      AlarmName: 'ScalingStack-prod/Web/P99Latency-warning',
      Threshold: 2,
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        Alarms: { AlarmNames: Match.arrayWith([{ Ref: errorRate }, { Ref: latency }]), Enable: true, Rollback: true },
      }),
    });
    // Exactly one alarm reads the primary target group's HTTPCode_Target_5XX_Count over one minute:
    // the adopted one. (The canary's alternate target group has its own: deployment.test.ts.)
    const fiveXxPerMinute = Object.values(resources(template, 'AWS::CloudWatch::Alarm')).filter(
      (a) =>
        JSON.stringify(a.Properties.Metrics ?? '').includes('HTTPCode_Target_5XX_Count') &&
        JSON.stringify(a.Properties.Metrics).includes('"Period":60') &&
        !JSON.stringify(a.Properties.Metrics).includes('AlternateTargetGroup'),
    );
    expect(fiveXxPerMinute).toHaveLength(1);
  });

  test('running tasks: Container Insights where on, the ALB healthy hosts in dev where it is off', () => {
    const byName = (name: ProfileName) =>
      Object.values(resources(templates[name], 'AWS::CloudWatch::Alarm')).find((a) =>
        String(a.Properties.AlarmName).endsWith('/Web/RunningTasks-critical'),
      )!.Properties;
    expect(byName('dev')).toMatchObject({
      MetricName: 'HealthyHostCount',
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'ignore',
    });
    expect(byName('prod')).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Threshold: 3 });
  });

  test('SLO burn rates: a fast and a slow pair of windows per SLO, thresholds from the targets, one composite each', () => {
    const template = templates.prod;
    const alarms = Object.values(resources(template, 'AWS::CloudWatch::Alarm'));
    const window = (suffix: string) => alarms.find((a) => String(a.Properties.AlarmName).endsWith(`/Web/${suffix}-component`))!.Properties;
    const period = (a: Record<string, unknown>) => JSON.stringify(a.Metrics).match(/"Period":(\d+)/)![1];
    // availability 99.9 %: budget 0.1 % → 14.4 x 0.1 = 1.44 %, 6 x 0.1 = 0.6 %
    expect(window('AvailabilitySloFastLong')).toMatchObject({ Threshold: 1.44, EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    expect(period(window('AvailabilitySloFastLong'))).toBe('3600');
    expect(period(window('AvailabilitySloFastShort'))).toBe('300');
    expect(window('AvailabilitySloSlowLong')).toMatchObject({ Threshold: 0.6 });
    expect(period(window('AvailabilitySloSlowLong'))).toBe('21600');
    expect(period(window('AvailabilitySloSlowShort'))).toBe('1800');
    // latency 99 % within 500 ms: the share slower than 0.5 s, from the percentile rank
    expect(window('LatencySloFastLong')).toMatchObject({ Threshold: 14.4 });
    expect(JSON.stringify(window('LatencySloFastLong').Metrics)).toContain('"Stat":"PR(:0.5)"');
    expect(JSON.stringify(window('LatencySloSlowShort').Metrics)).toContain('IF(requests >= 600, 100 - FILL(fast, 100), 0)');
    // The composite: (fast long AND fast short) OR (slow long AND slow short)
    const [slo] = Object.values(resources(template, 'AWS::CloudWatch::CompositeAlarm')).filter(
      (c) => c.Properties.AlarmName === 'ScalingStack-prod/Web/AvailabilitySlo-critical',
    );
    expect(renderRule(slo.Properties.AlarmRule).replace(/<MonitoringWeb(\w+?)Alarm[0-9A-F]{8}>/g, '$1')).toBe(
      '((ALARM("AvailabilitySloFastLong") AND ALARM("AvailabilitySloFastShort")) OR (ALARM("AvailabilitySloSlowLong") AND ALARM("AvailabilitySloSlowShort")))',
    );
  });

  test('the insights alarms read one run per period, keep their state through a gap, and say where the report is', () => {
    const stack = stacks.prod;
    const alarm = (id: string) =>
      Object.values(resources(templates.prod, 'AWS::CloudWatch::Alarm')).find(
        (a) => a.Properties.AlarmName === `ScalingStack-prod/DatabaseInsights/${id}`,
      )!.Properties;
    const dimensions = [
      { Name: 'DBInstanceIdentifier', Value: { Ref: logicalId(stack, stack.database.instance) } },
      { Name: 'service', Value: 'db-insights' },
    ];
    expect(alarm('BufferCacheHitRatio-warning')).toMatchObject({
      Namespace: 'CdkScalingStack/DatabaseInsights',
      MetricName: 'BufferCacheHitRatio',
      Dimensions: dimensions,
      Statistic: 'Minimum',
      Period: 900,
      EvaluationPeriods: 4,
      DatapointsToAlarm: 4,
      Threshold: 95,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'ignore',
    });
    expect(alarm('LongestTransaction-warning')).toMatchObject({
      MetricName: 'LongestTransactionAgeSeconds',
      Statistic: 'Maximum',
      Period: 900,
      Threshold: 300,
      TreatMissingData: 'ignore',
    });
    // No report for two of three periods is as bad as a report with sections missing.
    expect(alarm('ReportIncomplete-warning')).toMatchObject({
      MetricName: 'UnavailableSections',
      Period: 900,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
    });
    expect(alarm('SlowStatements-warning').AlarmDescription).toMatch(
      /^\[warning\] Slow statements .* > 10 in 2 of 2 × 15 min \(no data keeps the last state\)\. .*Check first: `statements\.byMeanTime` and the index candidates in the latest `database insights report` line in the insights worker's log group/,
    );
    // A run failing (warning) and a dead-lettered run (critical), for each scheduled worker.
    expect(alarm('Errors-warning')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm('DeadLetters-critical')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, stack.databaseInsights.deadLetterQueue), 'QueueName'] } }],
    });
    expect(stack.monitoring.alarms.filter((a) => a.watches === stack.rightsizing.node.path).map((a) => `${a.key}:${a.severity}`)).toEqual([
      'scheduledWorker.errorsPer5Min:warning',
      'scheduledWorker.deadLetterMessageCount:critical',
    ]);
  });

  test('the service-health composite is in ALARM when any critical alarm is, and only those', () => {
    for (const name of PROFILE_NAMES) {
      const stack = stacks[name];
      const critical = stack.monitoring.alarms.filter((a) => a.severity === 'critical' && a.alarm !== stack.monitoring.serviceHealth);
      const rule = JSON.stringify(
        resources(templates[name], 'AWS::CloudWatch::CompositeAlarm')[logicalId(stack, stack.monitoring.serviceHealth)].Properties.AlarmRule,
      );
      const referenced = [...rule.matchAll(/"Fn::GetAtt":\["(\w+)","Arn"\]/g)].map((m) => m[1]).sort();
      expect(referenced).toEqual(critical.map((a) => logicalId(stack, a.alarm)).sort());
      expect(critical.length).toBeGreaterThanOrEqual(4);
    }
  });

  test('the dashboard carries the profile, a row per tier with the four signals, and lists every alarm', () => {
    const signals: Record<string, string[]> = {
      Web: ['traffic', 'latency', 'errors', 'saturation'],
      Database: ['traffic', 'latency', 'headroom', 'saturation'],
      Cache: ['traffic', 'latency', 'errors', 'saturation'],
      Worker: ['traffic', 'latency', 'errors', 'saturation'],
      Scheduled: ['runs', 'run duration', 'runs failed'],
    };
    for (const name of PROFILE_NAMES) {
      const stack = stacks[name];
      const [dashboard] = Object.values(resources(templates[name], 'AWS::CloudWatch::Dashboard'));
      expect(dashboard.Properties.DashboardName).toBe(`ScalingStack-${name}`);
      const body = JSON.stringify(dashboard.Properties.DashboardBody);
      // PostgreSQL: the four signals from the insights metrics, or without them (dev) the
      // reports and warnings from the worker's log
      const postgres = stack.databaseInsights.publishesMetrics
        ? ['traffic', 'latency', 'errors', 'saturation']
        : ['report: the latest runs', 'report problems'];
      for (const [tier, titles] of Object.entries({ ...signals, PostgreSQL: postgres })) {
        for (const title of titles) expect(body).toContain(`\\"title\\":\\"${tier} ${title}`);
      }
      expect(body).toContain('\\"stat\\":\\"p99\\"');
      // The alarm list names every alarm Monitoring made, including those made after the dashboard.
      for (const monitored of stack.monitoring.alarms) expect(body).toContain(`"${logicalId(stack, monitored.alarm)}"`);
    }
  });
});

describe('a healthy new stack is green', () => {
  test('the alarms whose metric is absent until the first task or run say why, and none counts that gap as breaching', () => {
    const absent = catalogEntries().filter((e) => e.definition.absentOnNewStack !== undefined);
    expect(absent.map((e) => `${e.section}.${e.field}`)).toEqual(['web.runningTasksPercentOfMinimum', 'databaseInsights.unavailableSectionCount']);
    for (const e of absent) expect(e.definition.missingData).not.toBe('breaching');
  });

  test.each(PROFILE_NAMES)('%s: no alarm of the stack treats missing data as breaching, so none is in ALARM at creation', (name) => {
    const alarms = Object.values(templates[name].findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.filter((a) => a.Properties.TreatMissingData === 'breaching')).toEqual([]);
  });
});
