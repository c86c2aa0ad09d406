import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { prod, profileFor, SAVED_QUERIES, type ProfileName } from '../lib';
import { scalingStack } from './helpers/app';

// Issue 18, "Logs" and "Worker limits": one synthesis per profile, shared by the file.
const stacks = Object.fromEntries((['dev', 'staging', 'prod'] as const).map((name) => [name, scalingStack({ profile: name })])) as Record<
  ProfileName,
  ReturnType<typeof scalingStack>
>;
const templates = Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, Template.fromStack(stack)])) as Record<
  ProfileName,
  Template
>;

function keyArnOf(stack: Stack, key: kms.IKey): unknown {
  return { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
}

describe('log encryption per profile', () => {
  const encrypting = (['dev', 'staging', 'prod'] as const).filter((name) => profileFor(name).observability.encryptLogs);

  test('every production profile encrypts its logs, and so does staging, which rehearses it', () => {
    expect(encrypting).toEqual(['staging', 'prod']);
    expect(prod.production).toBe(true);
  });

  test.each(['staging', 'prod'] as const)("%s: every log group of the template is encrypted with the stack's log key", (name) => {
    const stack = stacks[name];
    const groups = Object.entries(templates[name].findResources('AWS::Logs::LogGroup'));
    // service, jobs worker, insight workers, flow logs, database and cache logs
    expect(groups.length).toBeGreaterThanOrEqual(name === 'prod' ? 9 : 8);
    const unencrypted = groups.filter(
      ([, group]) => JSON.stringify(group.Properties.KmsKeyId) !== JSON.stringify(keyArnOf(stack, stack.logEncryptionKey!)),
    );
    expect(unencrypted.map(([id]) => id)).toEqual([]);
  });

  test.each(['staging', 'prod'] as const)('%s: the log key is rotated, and CloudWatch Logs may use it for log groups only', (name) => {
    templates[name].hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  test.each(['dev', 'prod'] as const)('%s: every function logs to a log group of the stack (none left for Lambda to create)', (name) => {
    const functions = Object.entries(templates[name].findResources('AWS::Lambda::Function'));
    // the jobs worker, the two insight workers, and CDK's default-security-group provider handler
    expect(functions.length).toBeGreaterThanOrEqual(4);
    expect(functions.filter(([, fn]) => fn.Properties.LoggingConfig?.LogGroup === undefined).map(([id]) => id)).toEqual([]);
    templates[name].hasResourceProperties('AWS::Lambda::Function', {
      Handler: '__entrypoint__.handler',
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^CustomVpcRestrictDefaultSGCustomResourceProviderLogGroup') } },
    });
    templates[name].hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: profileFor(name).observability.logRetentionDays });
  });

  test('dev keeps the default encryption: no log key, no KmsKeyId', () => {
    expect(stacks.dev.logEncryptionKey).toBeUndefined();
    expect(stacks.dev.node.tryFindChild('LogKey')).toBeUndefined();
    const groups = Object.values(templates.dev.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(8);
    expect(groups.filter((group) => group.Properties.KmsKeyId !== undefined)).toEqual([]);
  });

  test('a log group added to the stack after construction is encrypted too', () => {
    // GIVEN a prod stack and a log group a user (or another construct) adds later
    const stack = scalingStack({ profile: 'prod' });
    const added = new logs.LogGroup(stack, 'AddedLater');
    // THEN the aspect covers it at synth
    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources[stack.getLogicalId(added.node.defaultChild as logs.CfnLogGroup)].Properties.KmsKeyId).toEqual(
      keyArnOf(stack, stack.logEncryptionKey!),
    );
  });
});

describe('reserved concurrency', () => {
  test.each(['dev', 'staging', 'prod'] as const)('%s: each scheduled worker reserves one execution; the jobs worker reserves none', (name) => {
    const stack = stacks[name];
    const reserved = (fn: lambda.IFunction) =>
      templates[name].toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)].Properties.ReservedConcurrentExecutions;
    expect(reserved(stack.databaseInsights.function)).toBe(1);
    expect(reserved(stack.rightsizing.function)).toBe(1);
    expect(reserved(stack.worker.function)).toBeUndefined();
    // the jobs worker's cap is its event source's: the maximum concurrency, or in provisioned mode
    // (prod) the pollers' ceiling of 10 invocations each, held to maxConcurrency
    const worker = profileFor(name).worker;
    if (worker.provisionedPollers === 'off') {
      templates[name].hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: worker.maxConcurrency } });
    } else {
      templates[name].hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        ProvisionedPollerConfig: { MaximumPollers: worker.provisionedPollers.maximumPollers },
      });
      expect(worker.provisionedPollers.maximumPollers * 10).toBeLessThanOrEqual(worker.maxConcurrency);
    }
  });

  test('a function the user adds with a reservation counts against the jobs worker at synth', () => {
    // GIVEN prod (jobs worker 20) and a function reserving 879 of the 1,000
    const stack = scalingStack({ profile: 'prod' });
    new lambda.Function(stack, 'Greedy', {
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      reservedConcurrentExecutions: 879,
      logGroup: new logs.LogGroup(stack, 'GreedyLogs'),
    });
    // THEN synth fails: 1,000 - (1 + 1 + 879) - 100 = 19 < 20
    expect(() => Template.fromStack(stack)).toThrow(
      /worker\.maxConcurrency \(20\) exceeds the Lambda concurrency left for the jobs worker: worker\.accountConcurrency 1000 - reserved 881 \(ScalingStack-prod\/Rightsizing\/Worker\/Function 1, ScalingStack-prod\/DatabaseInsights\/Worker\/Function 1, ScalingStack-prod\/Greedy 879\) - 100 AWS keeps unreserved = 19; lower worker\.maxConcurrency to 19 or less/,
    );
  });
});

describe('saved Logs Insights queries', () => {
  test.each(['dev', 'prod'] as const)('%s: one per investigation, on the log group it reads, in the stack folder', (name) => {
    const stack = stacks[name];
    const template = templates[name];
    template.resourceCountIs('AWS::Logs::QueryDefinition', Object.keys(SAVED_QUERIES).length);
    const ref = (group: logs.ILogGroup) => ({ Ref: stack.getLogicalId(group.node.defaultChild as logs.CfnLogGroup) });
    const expected = [
      ['Slowest requests', stack.web.logGroup, 'durationMs'],
      ['Job errors by type', stack.worker.logGroup, 'by jobType'],
      ['Database insights: top statements', stack.databaseInsights.logGroup, 'report.statements.byMeanTime.0.query'],
      ['Slowest database statements', stack.database.logGroups.postgresql, 'duration:'],
    ] as const;
    for (const [title, group, field] of expected) {
      template.hasResourceProperties('AWS::Logs::QueryDefinition', {
        Name: `ScalingStack-${name}/${title}`,
        LogGroupNames: [ref(group)],
        QueryString: Match.stringLikeRegexp(field.replace(/\./g, '\\.')),
      });
    }
  });

  test('the dashboard lists them, with a link to Logs Insights', () => {
    const body = JSON.stringify(Object.values(templates.prod.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body).toContain('Saved Logs Insights queries');
    expect(body).toContain('#logsV2:logs-insights');
    expect(body).toContain('folder `ScalingStack-prod`');
    expect(body).toContain('**Job errors by type**');
  });
});
