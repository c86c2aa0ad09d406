import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DataBackup, type DataBackupProps } from '../../lib';
import { CDK_JSON_CONTEXT } from '../helpers/app';
import { messageOf } from '../helpers/errors';

// DataBackup used alone, in a user's stack, around an imported instance (no VPC needed).

function stackIn(region?: string): Stack {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  return new Stack(app, 'UserStack', region ? { env: { account: '123456789012', region } } : {});
}

function instanceIn(stack: Stack): rds.IDatabaseInstance {
  return rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Db', {
    instanceIdentifier: 'app-db',
    instanceEndpointAddress: 'app-db.example.us-east-1.rds.amazonaws.com',
    port: 5432,
    securityGroups: [],
  });
}

function backupIn(props: Partial<DataBackupProps> = {}, region?: string): { stack: Stack; backup: DataBackup; template: Template } {
  const stack = stackIn(region);
  const backup = new DataBackup(stack, 'Backup', { databaseInstances: [instanceIn(stack)], ...props });
  return { stack, backup, template: Template.fromStack(stack) };
}

const errorFrom = (props: Partial<DataBackupProps>, region?: string) => messageOf(() => backupIn(props, region));

describe('DataBackup defaults', () => {
  // GIVEN only the instance to protect
  const { template, backup } = backupIn();

  test('backs the instance up daily at 01:00 UTC and keeps each recovery point 35 days, with no copy', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            RuleName: 'Daily',
            ScheduleExpression: 'cron(0 1 ? * * *)',
            Lifecycle: { DeleteAfterDays: 35 },
            CopyActions: Match.absent(),
          }),
        ],
      },
    });
    expect(backup.copyVaultArn).toBeUndefined();
    template.resourceCountIs('Custom::BackupCopyVault', 0);
  });

  test('selects the instance by its ARN', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: {
        SelectionName: 'Databases',
        Resources: [{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':db:app-db$')])] }],
      },
    });
  });

  test('the vault refuses recovery-point deletion to everyone, is encrypted with a rotating key, and both outlive the stack', () => {
    template.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        AccessPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
              Resource: '*',
            },
          ],
        },
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupKey'), 'Arn'] },
        LockConfiguration: Match.absent(),
      },
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });
});

describe('DataBackup with a copy region', () => {
  // GIVEN a copy to us-west-2 under a governance lock, from a stack pinned to us-east-1
  const { template, backup } = backupIn(
    { copyRegion: 'us-west-2', vaultLock: 'governance', vaultLockMinRetentionDays: 30, vaultLockMaxRetentionDays: 365 },
    'us-east-1',
  );
  const copyVaultArn = 'arn:aws:backup:us-west-2:123456789012:backup-vault:UserStack-backup-copy';

  test('the rule copies each recovery point to the vault in the copy region, kept as long as the original', () => {
    expect(backup.copyRegion).toBe('us-west-2');
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [Match.objectLike({ CopyActions: [{ DestinationBackupVaultArn: copyVaultArn, Lifecycle: { DeleteAfterDays: 35 } }] })],
      },
    });
    expect(backup.copyVaultArn).toBe(copyVaultArn);
  });

  test('creates the copy vault, its deny-delete policy and its lock in the copy region at deploy time, deleting nothing', () => {
    const calls = Object.values(template.findResources('Custom::BackupCopyVault')).map((r) => JSON.parse(r.Properties.Create));
    expect(calls.map((c) => [c.action, c.region])).toEqual([
      ['createBackupVault', 'us-west-2'],
      ['putBackupVaultAccessPolicy', 'us-west-2'],
      ['putBackupVaultLockConfiguration', 'us-west-2'],
    ]);
    expect(calls[0]).toMatchObject({ parameters: { BackupVaultName: 'UserStack-backup-copy' }, ignoreErrorCodesMatching: 'AlreadyExistsException' });
    expect(JSON.parse(calls[1].parameters.Policy).Statement).toEqual([
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Resource: '*' },
    ]);
    expect(calls[2].parameters).toEqual({ BackupVaultName: 'UserStack-backup-copy', MinRetentionDays: 30, MaxRetentionDays: 365 });
    for (const r of Object.values(template.findResources('Custom::BackupCopyVault'))) expect(r.Properties.Delete).toBeUndefined();
  });

  test('the plan waits for the copy vault', () => {
    const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0];
    expect(plan.DependsOn).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^BackupCopyVaultCreate/),
        expect.stringMatching(/^BackupCopyVaultAccessPolicy/),
        expect.stringMatching(/^BackupCopyVaultLock/),
      ]),
    );
  });

  test('the local vault carries the same lock; a governance lock has no grace period', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 30, MaxRetentionDays: 365 } });
  });

  test('the custom resources may create that one vault only, and use keys in that region only through AWS Backup', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'backup:CreateBackupVault', Effect: 'Allow', Resource: copyVaultArn },
          Match.objectLike({ Condition: { StringEquals: { 'kms:ViaService': 'backup.us-west-2.amazonaws.com' } } }),
        ]),
      },
    });
  });

  test('a stack pinned to a region needs no deploy-time rule', () => {
    expect(template.toJSON().Rules?.BackupCopyRegionRule0C889900).toBeUndefined();
  });
});

test('a compliance lock carries its grace period in both regions', () => {
  const { template } = backupIn({ copyRegion: 'eu-central-1', vaultLock: 'compliance', vaultLockChangeableForDays: 3 });
  template.hasResourceProperties('AWS::Backup::BackupVault', {
    LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 36500, ChangeableForDays: 3 },
  });
  const lock = Object.values(template.findResources('Custom::BackupCopyVault'))
    .map((r) => JSON.parse(r.Properties.Create))
    .find((c) => c.action === 'putBackupVaultLockConfiguration');
  expect(lock.parameters).toMatchObject({ ChangeableForDays: 3, MinRetentionDays: 35 });
});

test('an environment-agnostic stack refuses, at deploy time, a copy region equal to its own', () => {
  const { template } = backupIn({ copyRegion: 'us-west-2' });
  const rules = template.toJSON().Rules as Record<string, { Assertions: { Assert: unknown; AssertDescription: string }[] }>;
  const rule = Object.entries(rules).find(([id]) => id.startsWith('BackupCopyRegionRule'))?.[1];
  expect(rule?.Assertions).toEqual([
    {
      Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-west-2'] }] },
      AssertDescription: expect.stringContaining("The backup copy region (us-west-2) is this stack's region"),
    },
  ]);
});

describe('DataBackup bad input', () => {
  test('a copy region equal to the stack region', () => {
    expect(errorFrom({ copyRegion: 'us-east-1' }, 'us-east-1')).toBe(
      `UserStack/Backup: copyRegion ("us-east-1") is the stack's own region; a copy there is lost with the region, so name another one (e.g. "us-west-2")`,
    );
  });

  test('a copy region that is not a region', () => {
    expect(errorFrom({ copyRegion: 'us-west-3' })).toBe(
      `UserStack/Backup: copyRegion ("us-west-3") is not an AWS Region code; use one such as 'us-west-2' or 'eu-central-1' (lib/core/backup.ts AWS_COMMERCIAL_REGIONS lists them)`,
    );
    expect(errorFrom({ copyRegion: 'US-WEST-2' })).toMatch(/copyRegion \("US-WEST-2"\) is not an AWS Region code/);
  });

  test('a retention AWS Backup does not accept', () => {
    expect(errorFrom({ retentionDays: 0 })).toBe('UserStack/Backup: retentionDays (0 days) must be between 1 and 36500 days');
  });

  test('vault-lock numbers that cannot work, all at once', () => {
    expect(
      errorFrom({
        vaultLock: 'governance',
        retentionDays: 35,
        vaultLockMinRetentionDays: 40,
        vaultLockMaxRetentionDays: 40,
        vaultLockChangeableForDays: 5,
      }),
    ).toBe(
      [
        'UserStack/Backup: 3 problems:',
        '  - vaultLockMinRetentionDays (40) must be below vaultLockMaxRetentionDays (40) (AWS Backup requires it); raise the maximum or lower the minimum',
        "  - retentionDays (35) must lie within the vault lock's 40-40 days, or every backup job into the locked vault fails; change the retention or the lock's bounds",
        "  - vaultLockChangeableForDays (5) applies to a compliance lock only; a governance lock has no grace period, so leave it out or choose 'compliance'",
      ].join('\n'),
    );
  });

  test('a compliance lock without a grace period AWS accepts', () => {
    const why = 'must be a whole number of days between 3 and 36500 for a compliance lock: the grace period before the lock becomes irreversible';
    expect(errorFrom({ vaultLock: 'compliance' })).toBe(`UserStack/Backup: vaultLockChangeableForDays (undefined) ${why}`);
    expect(errorFrom({ vaultLock: 'compliance', vaultLockChangeableForDays: 2 })).toBe(`UserStack/Backup: vaultLockChangeableForDays (2) ${why}`);
  });

  test('lock bounds outside what AWS Backup accepts', () => {
    expect(errorFrom({ vaultLock: 'governance', vaultLockMinRetentionDays: 0, retentionDays: 1, vaultLockMaxRetentionDays: 40000 })).toContain(
      'vaultLockMaxRetentionDays (40000) must be a whole number of days between 1 and 36500',
    );
  });

  test('no instance, and a copy vault name AWS Backup refuses', () => {
    expect(messageOf(() => new DataBackup(stackIn(), 'Backup', { databaseInstances: [], copyRegion: 'us-east-2', copyVaultName: 'a b' }))).toBe(
      [
        'UserStack/Backup: 2 problems:',
        '  - databaseInstances is empty; give the RDS instances the plan backs up',
        `  - copyVaultName ("a b") must be 2-50 letters, digits, '-' or '_'`,
      ].join('\n'),
    );
  });
});

test.each([
  ['an environment-agnostic stack', undefined],
  ['a stack pinned to an account and region', 'us-east-1'],
])('%s with a copy and a lock synthesizes with no open cdk-nag finding', (_, region) => {
  // GIVEN cdk-nag registered as bin/app.ts registers it
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'UserStack', region ? { env: { account: '123456789012', region } } : {});
  new DataBackup(stack, 'Backup', { databaseInstances: [instanceIn(stack)], copyRegion: 'us-west-2', vaultLock: 'governance' });
  // WHEN / THEN an unacknowledged finding would make synth throw
  expect(() => app.synth()).not.toThrow();
});
