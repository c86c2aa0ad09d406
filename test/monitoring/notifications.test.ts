import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Monitoring } from '../../lib';
import { userStack } from '../helpers/app';

/** A function that pages someone: any CloudWatch alarm action will do. */
function pager(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Pager', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => undefined;'),
  });
}

/** One more alarm on any metric. */
function addErrorsAlarm(monitoring: Monitoring, id: string): void {
  monitoring.addAlarm(id, {
    metric: new cloudwatch.Metric({ namespace: 'App', metricName: id }),
    threshold: 1,
    title: id,
    meaning: 'm',
    checkFirst: 'c',
    severity: 'critical',
  });
}

/** Every alarm's actions, metric and composite alarms alike, by alarm name. */
function actionsByAlarm(stack: Stack): Record<string, { alarm: unknown; ok: unknown }> {
  const template = Template.fromStack(stack);
  const all = { ...template.findResources('AWS::CloudWatch::Alarm'), ...template.findResources('AWS::CloudWatch::CompositeAlarm') };
  return Object.fromEntries(
    Object.values(all).map((r) => [r.Properties.AlarmName, { alarm: r.Properties.AlarmActions, ok: r.Properties.OKActions }]),
  );
}

const ref = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => ({ Ref: stack.getLogicalId(construct.node.defaultChild as never) });
const arn = (stack: Stack, fn: lambda.Function) => ({ 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as never), 'Arn'] });

describe('the topic', () => {
  test('e-mail addresses are subscribed; one that is not an address is refused', () => {
    const stack = userStack();
    new Monitoring(stack, 'Monitoring', { alarmEmails: ['ops@example.com', 'oncall@example.org'] });
    const subscriptions = Template.fromStack(stack).findResources('AWS::SNS::Subscription');
    expect(Object.values(subscriptions).map((s) => [s.Properties.Protocol, s.Properties.Endpoint])).toEqual([
      ['email', 'ops@example.com'],
      ['email', 'oncall@example.org'],
    ]);
    expect(() => new Monitoring(userStack(), 'Monitoring', { alarmEmails: ['ops@example'] })).toThrow(
      "UserStack/Monitoring: alarmEmails entry 'ops@example' is not an e-mail address such as 'ops@example.com'",
    );
  });

  test('a topic of your own is used as is; its key lets CloudWatch in', () => {
    // GIVEN a topic with its own key
    const stack = userStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Alerts', { masterKey: key });
    // WHEN
    const monitoring = new Monitoring(stack, 'Monitoring', { topic });
    // THEN no second topic or key; the key policy allows CloudWatch alarms
    expect(monitoring.topic).toBe(topic);
    expect(monitoring.encryptionKey).toBe(key);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToUseTheTopicKey', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  test('an imported topic cannot be opened to CloudWatch from here: a warning says what to do', () => {
    // The validation report prints warnings on synth; this one is expected.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const stack = userStack();
    new Monitoring(stack, 'Monitoring', { topic: sns.Topic.fromTopicArn(stack, 'Alerts', 'arn:aws:sns:eu-west-1:123456789012:alerts') });
    Annotations.fromStack(stack).hasWarning(
      '/UserStack/Monitoring',
      Match.stringLikeRegexp('is imported, so its policy cannot be changed here: allow cloudwatch.amazonaws.com to sns:Publish'),
    );
    quiet.mockRestore();
  });
});

describe('alarmActions: any CloudWatch alarm action instead of the topic', () => {
  // GIVEN a function that pages someone
  const stack = userStack();
  const fn = pager(stack);
  // WHEN every alarm is sent to it
  const monitoring = new Monitoring(stack, 'Monitoring', { alarmActions: [new actions.LambdaAction(fn)] });
  addErrorsAlarm(monitoring, 'CheckoutErrors');
  const template = Template.fromStack(stack);

  test('every alarm, the composite too, runs the action on ALARM and on OK', () => {
    expect(actionsByAlarm(stack)).toEqual({
      'UserStack/CheckoutErrors-critical': { alarm: [arn(stack, fn)], ok: [arn(stack, fn)] },
      'UserStack/ServiceHealth-critical': { alarm: [arn(stack, fn)], ok: [arn(stack, fn)] },
    });
    // The action lets CloudWatch alarms invoke the function.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      Action: 'lambda:InvokeFunction',
    });
  });

  test('no topic or key is made while nothing reads `topic`; reading it makes one, which no alarm notifies', () => {
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    // GIVEN a second stack whose budget-like consumer reads the topic
    const other = userStack();
    const withTopic = new Monitoring(other, 'Monitoring', { alarmActions: [new actions.LambdaAction(pager(other))] });
    // WHEN
    const topic = withTopic.topic;
    // THEN it is the encrypted default, made once
    expect(withTopic.topic).toBe(topic);
    expect(withTopic.encryptionKey).toBeDefined();
    const t = Template.fromStack(other);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.resourceCountIs('AWS::KMS::Key', 1);
    expect(JSON.stringify(actionsByAlarm(other))).not.toContain(other.getLogicalId(topic.node.defaultChild as never));
  });

  test('e-mails with alarmActions are refused: they would subscribe to a topic no alarm notifies', () => {
    const other = userStack();
    expect(
      () => new Monitoring(other, 'Monitoring', { alarmActions: [new actions.LambdaAction(pager(other))], alarmEmails: ['ops@example.com'] }),
    ).toThrow(
      'UserStack/Monitoring: alarmEmails (1) subscribe to the alarm topic, but alarmActions sends the alarms elsewhere, so no e-mail would ever arrive; subscribe the addresses where your actions send, or leave out alarmActions and add your actions with notify()',
    );
  });
});

describe('notify(): one more destination beside the topic', () => {
  test('an action reaches the alarms made before and after it, next to the topic', () => {
    // GIVEN the default topic and one alarm
    const stack = userStack();
    const fn = pager(stack);
    const monitoring = new Monitoring(stack, 'Monitoring');
    addErrorsAlarm(monitoring, 'Before');
    // WHEN
    monitoring.notify(new actions.LambdaAction(fn));
    addErrorsAlarm(monitoring, 'After');
    // THEN
    const both = [ref(stack, monitoring.topic as sns.Topic), arn(stack, fn)];
    expect(actionsByAlarm(stack)).toEqual({
      'UserStack/Before-critical': { alarm: both, ok: both },
      'UserStack/After-critical': { alarm: both, ok: both },
      'UserStack/ServiceHealth-critical': { alarm: both, ok: both },
    });
  });

  test('a second topic is opened to CloudWatch (and its key), as the default one is', () => {
    const stack = userStack();
    const monitoring = new Monitoring(stack, 'Monitoring');
    const oncall = new sns.Topic(stack, 'Oncall', { masterKey: new kms.Key(stack, 'OncallKey', { enableKeyRotation: true }) });
    monitoring.notify(oncall);
    const template = Template.fromStack(stack);
    expect(actionsByAlarm(stack)['UserStack/ServiceHealth-critical'].alarm).toEqual([ref(stack, monitoring.topic as sns.Topic), ref(stack, oncall)]);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(stack, oncall)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToPublish', Action: 'sns:Publish' })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToUseTheTopicKey' })]) },
      // The on-call topic's key, not Monitoring's (which carries a description).
      Description: Match.absent(),
    });
  });

  test('the same destination twice is refused', () => {
    const stack = userStack();
    const monitoring = new Monitoring(stack, 'Monitoring');
    expect(() => monitoring.notify(monitoring.topic)).toThrow(
      'UserStack/Monitoring: notify() was given the topic UserStack/Monitoring/Topic before; every alarm notifies it already',
    );
    const action = new actions.LambdaAction(pager(stack));
    monitoring.notify(action);
    expect(() => monitoring.notify(action)).toThrow('UserStack/Monitoring: notify() was given this action before; every alarm notifies it already');
  });

  test('more than 5 actions per alarm are refused, given at once or one by one', () => {
    const stack = userStack();
    const topics = Array.from({ length: 6 }, (_, i) => new sns.Topic(stack, `T${i}`));
    expect(() => new Monitoring(stack, 'Many', { alarmActions: topics.map((t) => new actions.SnsAction(t)) })).toThrow(
      'UserStack/Many: alarmActions would give each alarm 6 actions; a CloudWatch alarm takes at most 5: send them to one SNS topic and subscribe the rest there',
    );
    // With e-mails too, both problems are reported at once.
    expect(
      () => new Monitoring(stack, 'Both', { alarmActions: topics.map((t) => new actions.SnsAction(t)), alarmEmails: ['ops@example.com'] }),
    ).toThrow(
      [
        'UserStack/Both: 2 problems:',
        '  - alarmActions would give each alarm 6 actions; a CloudWatch alarm takes at most 5: send them to one SNS topic and subscribe the rest there',
        '  - alarmEmails (1) subscribe to the alarm topic, but alarmActions sends the alarms elsewhere',
      ].join('\n'),
    );
    // The default topic and four more make five; a sixth is one too many.
    const monitoring = new Monitoring(stack, 'Monitoring');
    for (const topic of topics.slice(0, 4)) monitoring.notify(topic);
    expect(() => monitoring.notify(topics[4])).toThrow(
      'UserStack/Monitoring: notify() would give each alarm 6 actions; a CloudWatch alarm takes at most 5: send them to one SNS topic and subscribe the rest there',
    );
  });
});
