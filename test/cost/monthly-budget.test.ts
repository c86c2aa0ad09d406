import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { dev, MonthlyBudget, prod } from '../../lib';
import { nagFindings, scalingStack, userStack } from '../helpers/app';

const budgetsPrincipalConditions = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::', { Ref: 'AWS::AccountId' }, ':*']] } },
};

function notification(type: 'ACTUAL' | 'FORECASTED', threshold: number, subscribers: unknown[]) {
  return {
    Notification: { NotificationType: type, ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: 'PERCENTAGE' },
    Subscribers: subscribers,
  };
}

describe('MonthlyBudget used alone', () => {
  test("defaults: a monthly USD cost budget at the dev profile's figure, watching the whole account, notifying no one", () => {
    // GIVEN a user's stack
    const stack = userStack();
    // WHEN
    const budget = new MonthlyBudget(stack, 'Budget');
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Budgets::Budget', 1);
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: dev.cost.monthlyBudgetUsd, Unit: 'USD' },
        FilterExpression: Match.absent(),
      },
      NotificationsWithSubscribers: Match.absent(),
    });
    expect(budget.limitUsd).toBe(75);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('e-mail subscribers get actual spend at 80 % and 100 % and the forecast at 100 %', () => {
    const stack = userStack();
    new MonthlyBudget(stack, 'Budget', { limitUsd: 300, emails: ['ops@example.com'] });
    const email = [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }];
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ BudgetLimit: { Amount: 300, Unit: 'USD' } }),
      NotificationsWithSubscribers: [notification('ACTUAL', 80, email), notification('ACTUAL', 100, email), notification('FORECASTED', 100, email)],
    });
  });

  test('a topic receives every notification, and its policy lets AWS Budgets of this account publish', () => {
    // GIVEN the alarm topic
    const stack = userStack();
    const topic = new sns.Topic(stack, 'Alarms');
    // WHEN
    new MonthlyBudget(stack, 'Budget', { topic, actualThresholdsPercent: [100], forecastThresholdsPercent: [] });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Budgets::Budget', {
      NotificationsWithSubscribers: [notification('ACTUAL', 100, [{ SubscriptionType: 'SNS', Address: { Ref: 'Alarms04B5A0BF' } }])],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'AllowAwsBudgetsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'budgets.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: 'Alarms04B5A0BF' },
            Condition: budgetsPrincipalConditions,
          },
        ],
      },
    });
  });

  test("a topic added after construction with notify() is rendered; an encrypted topic's key admits AWS Budgets", () => {
    const stack = userStack();
    const budget = new MonthlyBudget(stack, 'Budget', { emails: ['ops@example.com'] });
    const topic = new sns.Topic(stack, 'Alarms', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }) });
    budget.notify(topic);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Budgets::Budget', {
      NotificationsWithSubscribers: Match.arrayWith([
        notification('FORECASTED', 100, [
          { SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('^Alarms') } },
          { SubscriptionType: 'EMAIL', Address: 'ops@example.com' },
        ]),
      ]),
    });
    // The key statement is exactly AWS Budgets' documented one: no source conditions, which a KMS
    // request from Budgets does not carry (with them, notifications are dropped silently). The
    // topic statement above keeps them, so only this account's budgets may publish.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowAwsBudgetsToUseTheTopicKey',
            Effect: 'Allow',
            Principal: { Service: 'budgets.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: Match.absent(),
          },
        ]),
      },
    });
  });

  test('a second topic is refused: a budget notification takes one SNS topic', () => {
    const stack = userStack();
    const budget = new MonthlyBudget(stack, 'Budget', { topic: new sns.Topic(stack, 'A') });
    expect(() => budget.notify(new sns.Topic(stack, 'B'))).toThrow(
      'UserStack/Budget: notify() was called a second time; an AWS Budgets notification takes one SNS topic (already UserStack/A); subscribe more endpoints to that topic instead',
    );
  });

  test('the deprecated notifyTopic() is notify() under its old name', () => {
    const stack = userStack();
    const budget = new MonthlyBudget(stack, 'Budget');
    budget.notifyTopic(new sns.Topic(stack, 'A'));
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', {
      NotificationsWithSubscribers: Match.arrayWith([
        notification('ACTUAL', 100, [{ SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('^A') } }]),
      ]),
    });
    expect(() => budget.notify(new sns.Topic(stack, 'B'))).toThrow('UserStack/Budget: notify() was called a second time');
  });

  test('an imported topic cannot be granted here: a warning says what to add', () => {
    // The validation report prints warnings on synth; this one is expected.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const stack = userStack();
    new MonthlyBudget(stack, 'Budget', { topic: sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:us-east-1:123456789012:alarms') });
    Annotations.fromStack(stack).hasWarning('/UserStack/Budget', Match.stringLikeRegexp('allow budgets.amazonaws.com to sns:Publish to it'));
    quiet.mockRestore();
  });

  test('a cost-allocation tag scopes the budget to the costs carrying it', () => {
    const stack = userStack();
    new MonthlyBudget(stack, 'Budget', { costAllocationTag: { key: 'profile', value: 'prod' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ FilterExpression: { Tags: { Key: 'profile', Values: ['prod'], MatchOptions: ['EQUALS'] } } }),
    });
  });

  test('every invalid prop is reported at once, with the value and the fix', () => {
    const stack = userStack();
    const emails = Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`);
    expect(
      () =>
        new MonthlyBudget(stack, 'Budget', {
          limitUsd: 0,
          emails: [...emails.slice(0, 10), 'not-an-address'],
          actualThresholdsPercent: [0],
          forecastThresholdsPercent: [2000],
          costAllocationTag: { key: '', value: 'dev' },
        }),
    ).toThrow(
      [
        'UserStack/Budget: 6 problems:',
        "  - limitUsd (0) must be a positive number of USD; use the profile's cost.monthlyBudgetUsd",
        '  - emails lists 11 addresses; an AWS Budgets notification takes at most 10; send to the SNS topic and subscribe the rest there',
        "  - emails entry 'not-an-address' is not an e-mail address such as 'ops@example.com'",
        '  - actualThresholdsPercent entry (0) must be a percentage of the limit above 0 and at most 1000',
        '  - forecastThresholdsPercent entry (2000) must be a percentage of the limit above 0 and at most 1000',
        "  - costAllocationTag ({ key: '', value: 'dev' }) needs a key and a value",
      ].join('\n'),
    );
  });

  test('no threshold at all is refused', () => {
    expect(() => new MonthlyBudget(userStack(), 'Budget', { actualThresholdsPercent: [], forecastThresholdsPercent: [] })).toThrow(
      'UserStack/Budget: actualThresholdsPercent and forecastThresholdsPercent are both empty; give at least one threshold, e.g. [100]',
    );
  });
});

describe('ScalingStack budget', () => {
  test("deploys the profile's cost.monthlyBudgetUsd, tagged like the rest of the stack", () => {
    // GIVEN / WHEN
    const stack = scalingStack({ profile: 'prod' });
    // THEN
    expect(stack.budget.limitUsd).toBe(prod.cost.monthlyBudgetUsd);
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ BudgetLimit: { Amount: 1300, Unit: 'USD' } }),
      ResourceTags: Match.arrayWith([{ Key: 'profile', Value: 'prod' }]),
    });
    expect(Stack.of(stack.budget)).toBe(stack);
  });
});
