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
