// Every log group the stack creates keeps its logs for profile.observability.logRetentionDays days,
// encrypted with the key the template gives it (the stack's log key where the profile encrypts logs).
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { forEach, type Verifier } from './context';

export const logGroupVerifier: Verifier = {
  name: 'log groups',
  types: ['AWS::Logs::LogGroup'],
  async verify(ctx) {
    await forEach(ctx, 'AWS::Logs::LogGroup', async (group) => {
      const found = (await ctx.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group.physicalId }))).logGroups ?? [];
      const d = found.find((g) => g.logGroupName === group.physicalId);
      ctx.checks.equal(
        group.subject,
        'retentionInDays',
        d?.retentionInDays,
        ctx.profile.observability.logRetentionDays,
        'profile.observability.logRetentionDays',
      );
      const key = group.properties.KmsKeyId;
      if (key !== undefined) ctx.checks.equal(group.subject, 'kmsKeyId', d?.kmsKeyId, await ctx.resolver.resolve(key), 'template');
    });
  },
};
