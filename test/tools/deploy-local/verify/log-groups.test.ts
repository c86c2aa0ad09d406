import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { prod } from '../../../../lib/core/profiles';
import { logGroupVerifier } from '../../../../tools/deploy-local/verify/log-groups';
import { failures, verifyContext } from '../helpers';

const logs = mockClient(CloudWatchLogsClient);

test('every log group of the stack keeps its logs for profile.observability.logRetentionDays days', async () => {
  // GIVEN one group kept 90 days, one kept 7
  logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: 'S-A' }).resolves({ logGroups: [{ logGroupName: 'S-A', retentionInDays: 90 }] });
  logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: 'S-B' }).resolves({ logGroups: [{ logGroupName: 'S-B', retentionInDays: 7 }] });
  const template = { Resources: { A: { Type: 'AWS::Logs::LogGroup' }, B: { Type: 'AWS::Logs::LogGroup' } } };
  const ctx = verifyContext(template, { A: 'S-A', B: 'S-B' }, { profile: prod });
  // WHEN
  await logGroupVerifier.verify(ctx);
  // THEN
  expect(failures(ctx)).toEqual([`B retentionInDays: 7 vs ${prod.observability.logRetentionDays} (profile.observability.logRetentionDays)`]);
});

test("a log group the template encrypts carries the template's key", async () => {
  // GIVEN two groups the template encrypts with the stack's key: one deployed with it, one without
  const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  logs
    .on(DescribeLogGroupsCommand, { logGroupNamePrefix: 'S-C' })
    .resolves({ logGroups: [{ logGroupName: 'S-C', retentionInDays: 90, kmsKeyId: keyArn }] });
  logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: 'S-D' }).resolves({ logGroups: [{ logGroupName: 'S-D', retentionInDays: 90 }] });
  const properties = { KmsKeyId: keyArn };
  const template = {
    Resources: { C: { Type: 'AWS::Logs::LogGroup', Properties: properties }, D: { Type: 'AWS::Logs::LogGroup', Properties: properties } },
  };
  const ctx = verifyContext(template, { C: 'S-C', D: 'S-D' }, { profile: prod });
  // WHEN
  await logGroupVerifier.verify(ctx);
  // THEN
  expect(failures(ctx)).toEqual([`D kmsKeyId: undefined vs "${keyArn}" (template)`]);
});
