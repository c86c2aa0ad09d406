import { prod, validateProfile, type Profile } from '../../lib';

// The cache section's production rules of validateProfile().
describe('validateProfile: cache in production', () => {
  test('production requires snapshots and the engine log', () => {
    // GIVEN prod without snapshots or engine log
    const bad: Profile = { ...prod, cache: { ...prod.cache, snapshotRetentionDays: 0, engineLog: false } };
    // THEN both are reported together
    expect(() => validateProfile(bad)).toThrow(
      [
        "profile 'prod': 2 problems:",
        '  - cache.snapshotRetentionDays (0) must be at least 1 in production, so a lost cluster restores warm instead of sending every read to the database',
        '  - cache.engineLog is false; production profiles require it so a failover or replica resync leaves a record',
      ].join('\n'),
    );
  });

  test('a non-production profile may go without both', () => {
    expect(() => validateProfile({ ...prod, production: false, cache: { ...prod.cache, snapshotRetentionDays: 0, engineLog: false } })).not.toThrow();
  });
});
