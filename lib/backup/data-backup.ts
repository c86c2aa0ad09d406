import { Aws, CfnRule, Duration, Fn, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BACKUP_MAX_RETENTION_DAYS, VAULT_LOCK_MODES, copyRegionProblem, vaultLockProblems, type VaultLockNumbers } from '../core/backup';
import { Problems } from '../private/problems';
import { CopyVault, acknowledgeCopyVaultFindings } from './copy-vault';
import type { DataBackupProps } from './props';

/** DataBackup's defaults: a month's close plus a weekend, daily, before the US business day. */
export const DATA_BACKUP_DEFAULTS = {
  retentionDays: 35,
  schedule: 'cron(0 1 ? * * *)',
} as const;

/**
 * An AWS Backup plan for RDS instances: a daily backup rule into a vault of the stack's region
 * whose access policy refuses deletion of recovery points, optionally copied to a vault in a second
 * region (created at deploy time, kept when the stack is deleted) and optionally under Vault Lock.
 *
 * ElastiCache is not an AWS Backup resource type: a `Cache` is protected by its own daily snapshots
 * (`snapshotRetentionDays`), in its region (docs/backup-restore.md).
 */
export class DataBackup extends Construct {
  /** The AWS Backup plan: one daily rule, and the selection of the instances. */
  readonly plan: backup.BackupPlan;
  /** The vault in the stack's region. */
  readonly vault: backup.BackupVault;
  /** The vault's key (the one given, or the one created). */
  readonly encryptionKey: kms.IKey;
  /** Days each recovery point (and its copy) is kept. */
  readonly retentionDays: number;
  /** The region recovery points are copied to; undefined without a copy. */
  readonly copyRegion?: string;
  /** ARN of the vault in `copyRegion`; undefined without a copy. */
  readonly copyVaultArn?: string;
  /** The vault lock on both vaults, resolved ('off' when there is none). */
  readonly vaultLock: VaultLockNumbers;

  constructor(scope: Construct, id: string, props: DataBackupProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const retentionDays = props.retentionDays ?? DATA_BACKUP_DEFAULTS.retentionDays;
    const mode = props.vaultLock ?? 'off';
    const lock: VaultLockNumbers = {
      mode,
      minRetentionDays: props.vaultLockMinRetentionDays ?? retentionDays,
      maxRetentionDays: props.vaultLockMaxRetentionDays ?? BACKUP_MAX_RETENTION_DAYS,
      changeableForDays: props.vaultLockChangeableForDays,
    };
    this.check(props, retentionDays, lock, stack.region);
    this.retentionDays = retentionDays;
    this.vaultLock = lock;
    this.copyRegion = props.copyRegion;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: `Encrypts the backup vault of ${this.node.path}`,
        enableKeyRotation: true,
        removalPolicy,
      });
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: this.encryptionKey,
      // Deny backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle to every principal:
      // only the plan's lifecycle ends a recovery point.
      blockRecoveryPointDeletion: true,
      lockConfiguration: lockConfiguration(lock),
      removalPolicy,
    });

    let copyVault: CopyVault | undefined;
    if (props.copyRegion !== undefined) {
      copyVault = new CopyVault(this, 'CopyVault', {
        region: props.copyRegion,
        vaultName: props.copyVaultName ?? defaultCopyVaultName(this),
        encryptionKeyArn: props.copyVaultEncryptionKeyArn,
        lock,
        logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      });
      this.copyVaultArn = copyVault.vaultArn;
      acknowledgeCopyVaultFindings(this, copyVault);
      if (Token.isUnresolved(stack.region)) this.refuseStackRegion(props.copyRegion);
    }

    this.plan = new backup.BackupPlan(this, 'Plan', { backupVault: this.vault });
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: props.schedule ?? events.Schedule.expression(DATA_BACKUP_DEFAULTS.schedule),
        deleteAfter: Duration.days(retentionDays),
        copyActions: copyVault
          ? [
              {
                destinationBackupVault: backup.BackupVault.fromBackupVaultArn(this, 'CopyVaultRef', copyVault.vaultArn),
                deleteAfter: Duration.days(retentionDays),
              },
            ]
          : undefined,
      }),
    );
    if (copyVault) for (const call of copyVault.calls) this.plan.node.addDependency(call);

    const selection = this.plan.addSelection('Databases', {
      resources: props.databaseInstances.map((instance) => backup.BackupResource.fromRdsDatabaseInstance(instance)),
    });
    const role = selection.node.tryFindChild('Role');
    if (role) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          'AWSBackupServiceRolePolicyForBackup is the policy AWS Backup documents for the role that takes and copies backups; AWS keeps it current with the resource types.',
      });
    }
  }

  /** Every problem of the props at once; the copy region against the stack's, when known. */
  private check(props: DataBackupProps, retentionDays: number, lock: VaultLockNumbers, stackRegion: string): void {
    const p = new Problems(this.node.path);
    p.check(props.databaseInstances.length > 0, 'databaseInstances is empty; give the RDS instances the plan backs up');
    p.range('retentionDays', retentionDays, 1, BACKUP_MAX_RETENTION_DAYS, { integer: true, unit: 'days' });
    if (props.copyRegion !== undefined && !Token.isUnresolved(props.copyRegion)) {
      const problem = copyRegionProblem('copyRegion', props.copyRegion, Token.isUnresolved(stackRegion) ? undefined : stackRegion);
      if (problem) p.add(problem);
    }
    p.oneOf('vaultLock', lock.mode, VAULT_LOCK_MODES);
    for (const problem of vaultLockProblems(lock, retentionDays)) p.add(problem);
    if (props.copyVaultName !== undefined && !Token.isUnresolved(props.copyVaultName)) {
      p.check(
        /^[a-zA-Z0-9\-_]{2,50}$/.test(props.copyVaultName),
        `copyVaultName (${JSON.stringify(props.copyVaultName)}) must be 2-50 letters, digits, '-' or '_'`,
      );
    }
    p.throwIfAny();
  }

  /** An environment-agnostic stack learns its region at deploy time: refuse the copy region there. */
  private refuseStackRegion(copyRegion: string): void {
    new CfnRule(this, 'CopyRegionRule', {
      assertions: [
        {
          assert: Fn.conditionNot(Fn.conditionEquals(Aws.REGION, copyRegion)),
          assertDescription: `The backup copy region (${copyRegion}) is this stack's region; a copy there is lost with the region. Deploy elsewhere or pass -c backupCopyRegion=<another region>.`,
        },
      ],
    });
  }
}

function lockConfiguration(lock: VaultLockNumbers): backup.LockConfiguration | undefined {
  if (lock.mode === 'off') return undefined;
  return {
    minRetention: Duration.days(lock.minRetentionDays),
    maxRetention: Duration.days(lock.maxRetentionDays),
    changeableFor: lock.mode === 'compliance' && lock.changeableForDays !== undefined ? Duration.days(lock.changeableForDays) : undefined,
  };
}

/** `<stack name>-backup-copy`, or a unique ID when the stack's name is a token; at most 50 characters. */
function defaultCopyVaultName(scope: Construct): string {
  const stackName = Stack.of(scope).stackName;
  const base = Token.isUnresolved(stackName) ? Names.uniqueId(scope) : stackName.replace(/[^a-zA-Z0-9\-_]/g, '-');
  const suffix = '-backup-copy';
  return `${base.slice(0, 50 - suffix.length)}${suffix}`;
}
