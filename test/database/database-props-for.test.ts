import { databasePropsFor, PROFILE_NAMES, profileFor } from '../../lib';

// databasePropsFor is the one road from a profile to Database props: the protections a profile
// turns off (dev and staging: single-AZ, no deletion protection, no rotation) are passed
// explicitly, so the construct's own defaults (Multi-AZ off, protection and rotation on) never
// decide a ScalingStack template.
describe('databasePropsFor', () => {
  test.each(PROFILE_NAMES)('%s: every availability and protection switch is explicit', (name) => {
    const d = profileFor(name).database;
    expect(databasePropsFor(name)).toMatchObject({
      instanceClass: d.instanceClass,
      multiAz: d.multiAz,
      allocatedStorageGiB: d.allocatedStorageGiB,
      maxAllocatedStorageGiB: d.maxAllocatedStorageGiB,
      backupRetentionDays: d.backupRetentionDays,
      deletionProtection: d.deletionProtection,
      proxy: d.proxy,
      customerManagedKey: d.customerManagedKey,
      rotateCredentials: d.rotateCredentials,
    });
  });

  test('dev turns off what the construct alone keeps on', () => {
    expect(databasePropsFor('dev')).toMatchObject({ deletionProtection: false, rotateCredentials: false, backupRetentionDays: 1 });
  });
});
