import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { VaultLockMode } from '../core/backup';

/**
 * Props of `DataBackup`. Safe by default: recovery points kept 35 days, in a vault encrypted with a
 * key of the stack whose access policy refuses `backup:DeleteRecoveryPoint` to everyone, and kept
 * (with the vault) when the stack is deleted. A copy region and a vault lock are opt-in.
 * `backupPropsFor(profile)` sets them from a profile's `backup` section.
 */
export interface DataBackupProps {
  /**
   * The RDS instances to back up. AWS Backup does not protect ElastiCache (its supported resource
   * types, `GetSupportedResourceTypes`, list no ElastiCache): the cache relies on its own snapshots.
   */
  readonly databaseInstances: rds.IDatabaseInstance[];
  /**
   * When the plan backs up (AWS Backup cron, UTC). Keep it an hour or more away from the instances'
   * automated backup and maintenance windows: a job cannot start inside them and waits.
   *
   * @default - daily at 01:00 UTC: `cron(0 1 ? * * *)`
   */
  readonly schedule?: events.Schedule;
  /**
   * Days each recovery point, and its copy in `copyRegion`, is kept (1-36,500).
   *
   * @default 35
   */
  readonly retentionDays?: number;
  /**
   * The AWS Region each recovery point is copied to: an AWS Region code other than the stack's.
   * The copy's vault is created there at deploy time by a custom resource (the stack deploys in one
   * command); it is kept when the stack is deleted.
   *
   * @default - no copy: the recovery points stay in the stack's region
   */
  readonly copyRegion?: string;
  /**
   * ARN of a KMS key in `copyRegion` that encrypts the copy's vault.
   *
   * @default - the AWS managed key `aws/backup` of `copyRegion`
   */
  readonly copyVaultEncryptionKeyArn?: string;
  /**
   * Name of the vault created in `copyRegion` (2-50 letters, digits, '-' or '_').
   *
   * @default - `<stack name>-backup-copy`, cut to 50 characters
   */
  readonly copyVaultName?: string;
  /**
   * The key that encrypts the vault in the stack's region (recovery points of resources AWS
   * Backup fully manages; RDS snapshots keep the instance's own key).
   *
   * @default - a new customer-managed key with yearly rotation ($1 a month), kept on delete
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * AWS Backup Vault Lock on both vaults. 'governance' stops anyone from deleting a recovery point
   * early or shortening its retention, and can be removed by a principal allowed
   * `backup:DeleteBackupVaultLockConfiguration`. 'compliance' becomes IRREVERSIBLE once
   * `vaultLockChangeableForDays` have passed: no one (the root user and AWS included) can then
   * remove it, delete a recovery point before it expires, or delete the vaults.
   *
   * @default 'off' - the vault's access policy still refuses deletion of recovery points
   */
  readonly vaultLock?: VaultLockMode;
  /**
   * With a lock: the shortest retention a backup or copy job into the vaults may ask for.
   *
   * @default - `retentionDays`
   */
  readonly vaultLockMinRetentionDays?: number;
  /**
   * With a lock: the longest retention a job may ask for; above the minimum.
   *
   * @default 36500 - AWS Backup's maximum
   */
  readonly vaultLockMaxRetentionDays?: number;
  /**
   * Compliance lock only: the days (3 or more) during which the lock can still be changed or
   * removed. After them it is permanent.
   *
   * @default - none; required with 'compliance'
   */
  readonly vaultLockChangeableForDays?: number;
  /**
   * Retention of the log group of the function that creates the copy vault (aws-cdk-lib's
   * AwsCustomResource provider, shared by the stack).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the vault in the stack's region (and its key) when the stack is deleted or the
   * construct removed. A vault holding recovery points cannot be deleted anyway.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
