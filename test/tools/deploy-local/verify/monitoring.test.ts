import { CloudWatchClient, GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { CfnTemplate } from '../../../../tools/deploy-local/template';
import { monitoringVerifier } from '../../../../tools/deploy-local/verify/monitoring';
import { failures, verifyContext } from '../helpers';

const sns = mockClient(SNSClient);
const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => {
  sns.reset();
  cloudwatch.reset();
});

// GIVEN an alarm topic encrypted with the stack's key, and a dashboard whose body names an alarm
// (a placeholder: only AWS knows its ARN) and one whose body resolves offline
const template: CfnTemplate = {
  Resources: {
    Key: { Type: 'AWS::KMS::Key' },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    Alarm: { Type: 'AWS::CloudWatch::Alarm' },
    Board: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardName: 'S-dev', DashboardBody: { 'Fn::Join': ['', ['{"alarms":["', { 'Fn::GetAtt': ['Alarm', 'Arn'] }, '"]}']] } },
    },
    Plain: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardName: 'S-plain', DashboardBody: '{"widgets":[]}' } },
  },
};
const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/key-1';
const physical = { Key: 'key-1', Topic: 'arn:aws:sns:us-east-1:123456789012:S-Topic-1', Alarm: 'S-Alarm-1', Board: 'S-dev', Plain: 'S-plain' };

function deployed(topicKey: string | undefined) {
  sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: physical.Topic, ...(topicKey ? { KmsMasterKeyId: topicKey } : {}) } });
  cloudwatch
    .on(GetDashboardCommand, { DashboardName: 'S-dev' })
    .resolves({ DashboardName: 'S-dev', DashboardBody: '{"alarms":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:S-Alarm-1"]}' });
  cloudwatch.on(GetDashboardCommand, { DashboardName: 'S-plain' }).resolves({ DashboardName: 'S-plain', DashboardBody: '{"widgets":[]}' });
}

test('the topic is encrypted with the stack’s key; dashboards are there with the template’s name and body', async () => {
  deployed(keyArn);
  const ctx = verifyContext(template, physical, { placeholders: ['Alarm'] });
  await monitoringVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([]);
  expect(ctx.checks.checks.map((c) => `${c.subject.logicalId} ${c.property} <- ${c.source}`)).toEqual([
    'Topic KmsMasterKeyId <- template',
    'Board DashboardName <- template',
    'Board DashboardBody <- template (its expression needs attributes only AWS knows)',
    'Plain DashboardName <- template',
    'Plain DashboardBody <- template',
  ]);
});

test('a topic that lost its key fails', async () => {
  deployed(undefined);
  const ctx = verifyContext(template, physical, { placeholders: ['Alarm'] });
  await monitoringVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([`Topic KmsMasterKeyId: undefined vs "${keyArn}" (template)`]);
});
