import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { cachePropsFor, dev, PROFILE_NAMES, profileFor } from '../../lib';

// cachePropsFor is the one road from a profile to Cache props: every value of the profile's cache
// section is passed explicitly, so ScalingStack never falls back on the construct's own defaults.
describe('cachePropsFor', () => {
  test.each(PROFILE_NAMES)('%s: the cache section and the log retention, nothing left to a default', (name) => {
    const profile = profileFor(name);
    expect(cachePropsFor(name)).toEqual({
      nodeType: profile.cache.nodeType,
      nodes: profile.cache.nodes,
      multiAz: profile.cache.multiAz,
      snapshotRetentionDays: profile.cache.snapshotRetentionDays,
      customerManagedKey: profile.cache.customerManagedKey,
      engineLog: profile.cache.engineLog,
      logRetention: profile.observability.logRetentionDays,
    });
  });

  test('dev turns the daily snapshots off explicitly (the construct alone keeps one)', () => {
    expect(cachePropsFor('dev')).toMatchObject({ snapshotRetentionDays: 0, multiAz: false, nodes: 1 });
  });

  test('takes a profile value as well as a name', () => {
    const custom = {
      ...dev,
      name: 'custom',
      cache: { ...dev.cache, nodeType: 'cache.t4g.small' },
      observability: { ...dev.observability, logRetentionDays: 30 },
    };
    expect(cachePropsFor(custom)).toMatchObject({ nodeType: 'cache.t4g.small', logRetention: RetentionDays.ONE_MONTH });
  });
});
