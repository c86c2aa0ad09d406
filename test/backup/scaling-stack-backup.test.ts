import { Match, Template } from 'aws-cdk-lib/assertions';
import { prod, type ProfileName } from '../../lib';
import { scalingStack } from '../helpers/app';

// The backup plan as ScalingStack wires it, per profile: prod backs the database up with a copy in
// us-west-2 under a governance lock; dev and staging have no plan (their profiles say why).

const templates = Object.fromEntries(
  (['dev', 'staging', 'prod'] as const).map((name) => [name, Template.fromStack(scalingStack({ profile: name }))]),
) as Record<ProfileName, Template>;

describe.each(['dev', 'staging'] as const)('%s', (name) => {
  test('has no backup plan, vault or copy vault', () => {
    for (const type of ['AWS::Backup::BackupPlan', 'AWS::Backup::BackupVault', 'AWS::Backup::BackupSelection', 'Custom::BackupCopyVault']) {
      templates[name].resourceCountIs(type, 0);
    }
  });
});

describe('prod', () => {
  const template = templates.prod;

  test('one rule: daily at 01:00 UTC, 35 days, copied to us-west-2 for 35 days', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          {
            RuleName: 'Daily',
            ScheduleExpression: 'cron(0 1 ? * * *)',
            Lifecycle: { DeleteAfterDays: 35 },
            TargetBackupVault: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupVault'), 'BackupVaultName'] },
            CopyActions: [
              {
                DestinationBackupVaultArn: {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':backup:us-west-2:',
                      { Ref: 'AWS::AccountId' },
                      ':backup-vault:ScalingStack-prod-backup-copy',
                    ],
                  ],
                },
                Lifecycle: { DeleteAfterDays: 35 },
              },
            ],
          },
        ],
      },
    });
  });

  test('selects the database instance (the cache is not an AWS Backup resource type)', () => {
    const selections = Object.values(template.findResources('AWS::Backup::BackupSelection'));
    expect(selections).toHaveLength(1);
    expect(selections[0].Properties.BackupSelection.Resources).toEqual([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':rds:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':db:',
            { Ref: expect.stringMatching(/^Database[0-9A-F]{8}$/) },
          ],
        ],
      },
    ]);
  });

  test('the vault: deny-delete policy, a governance lock of 30-365 days, the key of the backup, kept on delete', () => {
    template.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        AccessPolicy: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
            }),
          ],
        },
        LockConfiguration: { MinRetentionDays: 30, MaxRetentionDays: 365 },
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupKey'), 'Arn'] },
      },
    });
  });

  test('the copy vault in us-west-2 gets the same policy and lock', () => {
    const calls = Object.values(template.findResources('Custom::BackupCopyVault')).map((r) => JSON.parse(r.Properties.Create));
    expect(calls.map((c) => `${c.action} ${c.region}`)).toEqual([
      'createBackupVault us-west-2',
      'putBackupVaultAccessPolicy us-west-2',
      'putBackupVaultLockConfiguration us-west-2',
    ]);
    expect(calls[2].parameters).toEqual({ BackupVaultName: 'ScalingStack-prod-backup-copy', MinRetentionDays: 30, MaxRetentionDays: 365 });
  });

  test('an environment-agnostic prod refuses to deploy in its own copy region', () => {
    expect(template.toJSON().Rules).toHaveProperty(['BackupCopyRegionRule0C889900', 'Assertions', 0, 'Assert'], {
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-west-2'] }],
    });
  });

  test('the cache keeps 14 days of snapshots', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { SnapshotRetentionLimit: 14 });
  });
});

test('a profile with another copy region and a compliance lock reaches the template', () => {
  const profile = {
    ...prod,
    backup: { ...prod.backup, copyRegion: 'eu-central-1', vaultLock: 'compliance' as const, vaultLockChangeableForDays: 7 },
  };
  const template = Template.fromStack(scalingStack({ profile }));
  template.hasResourceProperties('AWS::Backup::BackupVault', {
    LockConfiguration: { MinRetentionDays: 30, MaxRetentionDays: 365, ChangeableForDays: 7 },
  });
  const regions = Object.values(template.findResources('Custom::BackupCopyVault')).map((r) => JSON.parse(r.Properties.Create).region);
  expect(new Set(regions)).toEqual(new Set(['eu-central-1']));
});
