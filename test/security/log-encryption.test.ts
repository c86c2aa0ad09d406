import { Aspects, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { adoptProviderLogGroups, CLOUDWATCH_LOGS_KEY_ACTIONS, EncryptLogGroups, LogEncryptionKey } from '../../lib';
import { nagFindings, userStack } from '../helpers/app';

describe('LogEncryptionKey', () => {
  // GIVEN a user's stack with the key and two log groups, one created after the aspect is added
  const stack = userStack();
  const key = new LogEncryptionKey(stack, 'LogKey');
  new logs.LogGroup(stack, 'Before', { retention: logs.RetentionDays.ONE_WEEK });
  key.encryptLogGroupsIn(stack);
  new logs.LogGroup(stack, 'After', { retention: logs.RetentionDays.ONE_WEEK });
  // AND one already encrypted with another key
  const other = new kms.Key(stack, 'OtherKey', { enableKeyRotation: true });
  new logs.LogGroup(stack, 'Own', { encryptionKey: other, retention: logs.RetentionDays.ONE_WEEK });
  const template = Template.fromStack(stack);
  const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.key.node.defaultChild as kms.CfnKey), 'Arn'] };

  test('is rotated and retained: log groups kept after the stack stay readable', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('CloudWatch Logs log groups of UserStack') }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test("grants the Region's CloudWatch Logs exactly the documented actions, for this account's log groups in this Region", () => {
    expect(CLOUDWATCH_LOGS_KEY_ACTIONS).toEqual(['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*']);
    const keys = template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('CloudWatch Logs') } });
    const statements = Object.values(keys)[0].Properties.KeyPolicy.Statement as Record<string, unknown>[];
    // CDK's statement delegating the key to the account's IAM policies, and ours; nothing else
    expect(statements).toHaveLength(2);
    expect(statements[1]).toEqual({
      Sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
      Effect: 'Allow',
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
          },
        },
      },
    });
  });

  test('the aspect encrypts every log group in scope, also those created after it was added', () => {
    for (const id of ['Before', 'After']) {
      const group = stack.node.findChild(id).node.defaultChild as logs.CfnLogGroup;
      expect(template.toJSON().Resources[stack.getLogicalId(group)].Properties.KmsKeyId).toEqual(keyArn);
    }
  });

  test('a log group with a key of its own keeps it', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(other.node.defaultChild as kms.CfnKey), 'Arn'] },
    });
  });

  test('raises no cdk-nag finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('EncryptLogGroups', () => {
  test('warns about a function without a log group of its own (Lambda would create it unencrypted), not one with', () => {
    // GIVEN an imported key and two functions
    const stack = userStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    Aspects.of(stack).add(new EncryptLogGroups(key));
    const code = lambda.Code.fromInline('exports.handler = async () => {}');
    const props = { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X };
    new lambda.Function(stack, 'Bare', props);
    new lambda.Function(stack, 'Logged', { ...props, logGroup: new logs.LogGroup(stack, 'LoggedLogs', { removalPolicy: RemovalPolicy.DESTROY }) });
    // WHEN synthesized
    const template = Template.fromStack(stack);
    // THEN the function's log group gets the imported key, and only the bare function is named
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no log group of its own'));
    expect(warnings.map((w) => w.id)).toEqual(['/UserStack/Bare/Resource']);
  });
});

describe('adoptProviderLogGroups', () => {
  test("gives CDK's provider handlers a log group with retention, which the aspect then encrypts", () => {
    // GIVEN a VPC (its default-security-group provider is a plain AWS::Lambda::Function) and the key
    const stack = userStack();
    new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const key = new LogEncryptionKey(stack, 'LogKey');
    key.encryptLogGroupsIn(stack);
    // WHEN adopted (twice: the second call finds nothing left)
    const groups = adoptProviderLogGroups(stack, logs.RetentionDays.ONE_MONTH);
    expect(adoptProviderLogGroups(stack, logs.RetentionDays.ONE_MONTH)).toEqual([]);
    // THEN
    expect(groups.map((g) => g.node.path)).toEqual(['UserStack/Custom::VpcRestrictDefaultSGCustomResourceProvider/LogGroup']);
    const template = Template.fromStack(stack);
    const groupId = stack.getLogicalId(groups[0].node.defaultChild as logs.CfnLogGroup);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: groupId } } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: Match.anyValue() });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no log group of its own'))).toEqual([]);
  });

  test('without adoption the aspect names the provider handler', () => {
    const stack = userStack();
    new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    new LogEncryptionKey(stack, 'LogKey').encryptLogGroupsIn(stack);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('adoptProviderLogGroups'));
    expect(warnings.map((w) => w.id)).toEqual(['/UserStack/Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler']);
  });
});
