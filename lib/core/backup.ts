// Backups that survive a region: the numbers and lists `DataBackup` (lib/backup) and the profile
// rules judge an AWS Backup plan by. Pure data, no aws-cdk-lib.

/**
 * The shortest time a production backup plan may keep its recovery points (and their copies in the
 * second region). 30 days: the database's own point-in-time restore covers its
 * `backupRetentionDays` (14 in prod); the plan exists for what that cannot cover, a lost region or
 * account and damage found late (a bad migration or a deleted tenant noticed at the month's close),
 * so it must reach back a whole monthly cycle.
 */
export const PRODUCTION_MIN_BACKUP_PLAN_RETENTION_DAYS = 30;

/**
 * The longest retention a backup rule's lifecycle and a vault lock accept: 100 years in days
 * (AWS Backup `Lifecycle.DeleteAfterDays`, `PutBackupVaultLockConfiguration` MaxRetentionDays).
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
 */
export const BACKUP_MAX_RETENTION_DAYS = 36_500;

/**
 * The shortest grace period of a compliance-mode vault lock: `ChangeableForDays` must be at least
 * 3. Once it has passed, the lock can never be changed or removed, by anyone, AWS included.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
 */
export const VAULT_LOCK_MIN_CHANGEABLE_FOR_DAYS = 3;

/**
 * How a vault lock holds recovery points. 'governance': no one can delete a recovery point before
 * its retention ends or shorten it, but a principal allowed `backup:DeleteBackupVaultLockConfiguration`
 * can remove the lock. 'compliance': after a grace period (`changeableForDays`) the lock and the
 * retention are immutable: not the account's root user, not AWS can delete the recovery points or
 * the vault until they expire. 'off': no lock (the vault's access policy still refuses deletion).
 */
export type VaultLockMode = 'off' | 'governance' | 'compliance';
export const VAULT_LOCK_MODES: readonly VaultLockMode[] = ['off', 'governance', 'compliance'];

/**
 * The commercial AWS Regions (partition `aws`) a backup may be copied to: AWS Backup copies only
 * within a partition. A strict list rather than a pattern, so that a typo ('us-west-3',
 * 'eu-west-4') fails at synth instead of at the first copy job a day later; a Region launched after
 * this list was written is refused until it is added here.
 * Source: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 * (checked 2026-12; AWS Backup is available in each of these).
 */
export const AWS_COMMERCIAL_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
];

/** Whether `region` is a commercial AWS Region code a backup can be copied to. */
export function isCopyRegion(region: string): boolean {
  return AWS_COMMERCIAL_REGIONS.includes(region);
}

/** What a copy region must be, for messages: the rule and the fix. */
export function copyRegionProblem(field: string, region: string, stackRegion?: string): string | undefined {
  if (!isCopyRegion(region)) {
    return `${field} (${JSON.stringify(region)}) is not an AWS Region code; use one such as 'us-west-2' or 'eu-central-1' (lib/core/backup.ts AWS_COMMERCIAL_REGIONS lists them)`;
  }
  if (stackRegion !== undefined && region === stackRegion) {
    return `${field} (${JSON.stringify(region)}) is the stack's own region; a copy there is lost with the region, so name another one (e.g. ${JSON.stringify(
      region === 'us-west-2' ? 'us-east-2' : 'us-west-2',
    )})`;
  }
  return undefined;
}

/** The vault lock settings a `DataBackup` and the profile rules check (all in days). */
export interface VaultLockNumbers {
  readonly mode: VaultLockMode;
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** The compliance-mode grace period; must be absent in governance mode. */
  readonly changeableForDays?: number;
}

/**
 * Every problem of a vault lock against the plan's retention: the lock's bounds must hold the plan's
 * recovery points (a rule whose lifecycle falls outside [min, max] makes every backup job fail), a
 * compliance lock needs a grace period AWS accepts, and a governance lock has none.
 */
export function vaultLockProblems(lock: VaultLockNumbers, retentionDays: number, prefix = ''): string[] {
  const problems: string[] = [];
  if (lock.mode === 'off') return problems;
  const whole = (n: number) => Number.isInteger(n) && n >= 1 && n <= BACKUP_MAX_RETENTION_DAYS;
  for (const [name, value] of [
    ['vaultLockMinRetentionDays', lock.minRetentionDays],
    ['vaultLockMaxRetentionDays', lock.maxRetentionDays],
  ] as const) {
    if (!whole(value)) problems.push(`${prefix}${name} (${value}) must be a whole number of days between 1 and ${BACKUP_MAX_RETENTION_DAYS}`);
  }
  if (lock.minRetentionDays >= lock.maxRetentionDays) {
    problems.push(
      `${prefix}vaultLockMinRetentionDays (${lock.minRetentionDays}) must be below ${prefix}vaultLockMaxRetentionDays (${lock.maxRetentionDays}) (AWS Backup requires it); raise the maximum or lower the minimum`,
    );
  }
  if (retentionDays < lock.minRetentionDays || retentionDays > lock.maxRetentionDays) {
    problems.push(
      `${prefix}retentionDays (${retentionDays}) must lie within the vault lock's ${lock.minRetentionDays}-${lock.maxRetentionDays} days, or every backup job into the locked vault fails; change the retention or the lock's bounds`,
    );
  }
  if (lock.mode === 'compliance') {
    const days = lock.changeableForDays;
    if (days === undefined || !Number.isInteger(days) || days < VAULT_LOCK_MIN_CHANGEABLE_FOR_DAYS || days > BACKUP_MAX_RETENTION_DAYS) {
      problems.push(
        `${prefix}vaultLockChangeableForDays (${days}) must be a whole number of days between ${VAULT_LOCK_MIN_CHANGEABLE_FOR_DAYS} and ${BACKUP_MAX_RETENTION_DAYS} for a compliance lock: the grace period before the lock becomes irreversible`,
      );
    }
  } else if (lock.changeableForDays !== undefined) {
    problems.push(
      `${prefix}vaultLockChangeableForDays (${lock.changeableForDays}) applies to a compliance lock only; a governance lock has no grace period, so leave it out or choose 'compliance'`,
    );
  }
  return problems;
}

/**
 * A backup rule's schedule: an AWS Backup cron expression in UTC with six fields,
 * `cron(minutes hours day-of-month month day-of-week year)`; AWS Backup runs at most once an hour.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html
 */
export const BACKUP_SCHEDULE = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;
