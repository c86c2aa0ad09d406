import { dev, parseAppConfig, prod, profileProblems, staging, validateProfile, type BackupProfile, type Profile } from '../../lib';

// The profile's backup section: what the built-in profiles choose, and every rule with its message.

const withBackup = (base: Profile, backup: Partial<BackupProfile>): Profile => ({ ...base, backup: { ...base.backup, ...backup } });
const backupProblems = (profile: Profile) => profileProblems(profile).filter((p) => p.startsWith('backup.'));

describe('built-in backup sections', () => {
  test('prod backs up daily, keeps 35 days, copies to us-west-2 under a governance lock', () => {
    expect(prod.backup).toEqual({
      enabled: true,
      schedule: 'cron(0 1 ? * * *)',
      retentionDays: 35,
      copyRegion: 'us-west-2',
      vaultLock: 'governance',
      vaultLockMinRetentionDays: 30,
      vaultLockMaxRetentionDays: 365,
    });
  });

  test('dev and staging have no plan', () => {
    expect([dev.backup.enabled, staging.backup.enabled]).toEqual([false, false]);
  });

  test("prod's cache keeps snapshots as far back as the database's point-in-time restore", () => {
    expect(prod.cache.snapshotRetentionDays).toBe(14);
    expect(prod.cache.snapshotRetentionDays).toBeGreaterThanOrEqual(prod.database.backupRetentionDays);
  });
});

describe('backup rules', () => {
  test('production requires a plan', () => {
    expect(() => validateProfile(withBackup(prod, { enabled: false }))).toThrow(
      "profile 'prod': backup.enabled is false; production profiles require it so the database has recovery points outside its region, in a vault that refuses deletion",
    );
    expect(() => validateProfile(withBackup({ ...prod, production: false }, { enabled: false }))).not.toThrow();
  });

  test("retention shorter than production's minimum", () => {
    expect(backupProblems(withBackup(prod, { retentionDays: 14, vaultLockMinRetentionDays: 7 }))).toEqual([
      "backup.retentionDays (14) must be at least 30 days in production, so damage found at the month's close still has a recovery point from before it",
    ]);
  });

  test('production requires a copy region', () => {
    expect(backupProblems(withBackup(prod, { copyRegion: 'off' }))).toEqual([
      "backup.copyRegion is 'off'; production profiles require a copy in a second region (e.g. 'us-west-2'), so a lost region does not take the backups with it",
    ]);
  });

  test('a copy region that is not a region', () => {
    expect(backupProblems(withBackup(prod, { copyRegion: 'us-west-3' }))).toEqual([
      `backup.copyRegion ("us-west-3") is not an AWS Region code; use one such as 'us-west-2' or 'eu-central-1' (lib/core/backup.ts AWS_COMMERCIAL_REGIONS lists them), or 'off'`,
    ]);
  });

  test('a schedule AWS Backup cannot read, and a retention it does not accept', () => {
    expect(backupProblems(withBackup({ ...prod, production: false }, { schedule: 'rate(1 day)', retentionDays: 0, vaultLock: 'off' }))).toEqual([
      `backup.schedule ("rate(1 day)") must be an AWS Backup cron expression in UTC with six fields, such as 'cron(0 1 ? * * *)' (daily at 01:00)`,
      'backup.retentionDays (0 days) must be between 1 and 36500 days',
    ]);
  });

  test("vault-lock numbers that cannot hold the plan's recovery points", () => {
    expect(backupProblems(withBackup(prod, { vaultLock: 'compliance', vaultLockMinRetentionDays: 40 }))).toEqual([
      "backup.retentionDays (35) must lie within the vault lock's 40-365 days, or every backup job into the locked vault fails; change the retention or the lock's bounds",
      'backup.vaultLockChangeableForDays (undefined) must be a whole number of days between 3 and 36500 for a compliance lock: the grace period before the lock becomes irreversible',
    ]);
    expect(backupProblems(withBackup(prod, { vaultLock: 'sealed' as BackupProfile['vaultLock'] }))).toEqual([
      `backup.vaultLock ('sealed') must be one of 'off', 'governance', 'compliance'`,
    ]);
  });

  test('a disabled plan is not judged outside production', () => {
    expect(backupProblems(withBackup(dev, { enabled: false, copyRegion: 'nowhere', schedule: 'x' }))).toEqual([]);
  });
});

describe('-c backupCopyRegion', () => {
  const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];

  test("replaces the profile's copy region", () => {
    const config = parseAppConfig(contextOf({ profile: 'prod', backupCopyRegion: 'eu-central-1' }));
    expect(config.profile.backup.copyRegion).toBe('eu-central-1');
    expect(config.profile.backup.retentionDays).toBe(prod.backup.retentionDays);
  });

  test('refuses the region the stack is pinned to, and a name that is not a region', () => {
    expect(() => parseAppConfig(contextOf({ profile: 'prod', region: 'us-west-2', backupCopyRegion: 'us-west-2' }))).toThrow(
      `cdk context: -c backupCopyRegion ("us-west-2") is the stack's own region; a copy there is lost with the region, so name another one (e.g. "us-east-2")`,
    );
    expect(() => parseAppConfig(contextOf({ profile: 'prod', backupCopyRegion: 'mars-north-1' }))).toThrow(
      `cdk context: -c backupCopyRegion ("mars-north-1") is not an AWS Region code; use one such as 'us-west-2' or 'eu-central-1' (lib/core/backup.ts AWS_COMMERCIAL_REGIONS lists them)`,
    );
  });
});
