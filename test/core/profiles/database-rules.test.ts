import { dev, prod, validateProfile, type Profile } from '../../../lib';

/** A copy of `base` with its database section changed. */
function withDatabase(base: Profile, change: Partial<Profile['database']>): Profile {
  return { ...base, database: { ...base.database, ...change } };
}

const messageOf = (profile: Profile): string => {
  try {
    validateProfile(profile);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('validateProfile: the database section', () => {
  test('pool sizes, monitoring interval and insights mode out of range are reported together', () => {
    const bad = withDatabase(dev, {
      poolSizePerWebTask: 0,
      enhancedMonitoringIntervalSeconds: 2,
      databaseInsights: 'premium' as never,
    });
    expect(messageOf(bad)).toBe(
      [
        "profile 'dev': 3 problems:",
        '  - database.poolSizePerWebTask (0) must be between 1 and 100',
        '  - database.enhancedMonitoringIntervalSeconds (2) must be one of 0, 1, 5, 10, 15, 30, 60',
        "  - database.databaseInsights ('premium') must be one of 'standard', 'advanced'",
      ].join('\n'),
    );
  });

  test('an autoscaling ceiling less than 10% above the allocated storage', () => {
    expect(messageOf(withDatabase(dev, { allocatedStorageGiB: 20, maxAllocatedStorageGiB: 21 }))).toBe(
      "profile 'dev': database.maxAllocatedStorageGiB (21) must be at least 10% above database.allocatedStorageGiB (20), i.e. 22 or more, for RDS storage autoscaling; raise it or set it equal to allocatedStorageGiB to turn autoscaling off",
    );
    expect(messageOf(withDatabase(dev, { allocatedStorageGiB: 20, maxAllocatedStorageGiB: 20 }))).toBe('');
  });

  test('storage below the gp3 minimum names the fix', () => {
    expect(messageOf(withDatabase(dev, { allocatedStorageGiB: 10 }))).toContain(
      'database.allocatedStorageGiB (10 GiB) must be between 20 and 65536 GiB; gp3 on RDS starts at 20 GiB',
    );
  });

  test('production needs credential rotation, a customer-managed key and enhanced monitoring', () => {
    const message = messageOf(withDatabase(prod, { rotateCredentials: false, customerManagedKey: false, enhancedMonitoringIntervalSeconds: 0 }));
    expect(message).toMatch(/^profile 'prod': 3 problems:/);
    expect(message).toContain('database.rotateCredentials is false; production profiles require it so a leaked password stops working within a week');
    expect(message).toContain(
      'database.customerManagedKey is false; production profiles require it so the data, its snapshots and its secret are encrypted under a key this account controls and audits',
    );
    expect(message).toContain(
      'database.enhancedMonitoringIntervalSeconds is 0; production profiles require it so an incident review has per-process OS metrics (use 60 or less)',
    );
  });

  test('production needs at least 7 days of backups', () => {
    expect(messageOf(withDatabase(prod, { backupRetentionDays: 6 }))).toBe(
      "profile 'prod': database.backupRetentionDays (6) must be at least 7 in production",
    );
  });
});
