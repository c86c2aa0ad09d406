import { expectUsd, line, linesOf, priceFixture } from './fixture';

describe('AWS Backup pricing (fixtures/backup.template.json)', () => {
  // GIVEN a daily rule kept 35 days with copies to us-west-2 and us-east-2, one RDS instance selected,
  // at the fixture usage: backupDataGb 100/200, backupDailyChangeGb 2/10
  const result = priceFixture('backup');
  const held = { baseline: 100 + 34 * 2, peak: 200 + 34 * 10 };

  test('recovery points in the region: the first full, then a daily change for each further day kept, at $0.095/GB-month', () => {
    expectUsd(line(result, 'Plan', 'AWS Backup RDS snapshots, this region'), held.baseline * 0.095, held.peak * 0.095);
  });

  test('each copy region stores as much again, and each daily copy transfers the full data at its inter-region rate', () => {
    expectUsd(line(result, 'Plan', 'AWS Backup RDS snapshots, copies in us-west-2'), held.baseline * 0.095, held.peak * 0.095);
    const copies = 730 / 24;
    expectUsd(line(result, 'Plan', 'AWS Backup copy transfer to us-west-2'), copies * 100 * 0.02, copies * 200 * 0.02);
    expectUsd(line(result, 'Plan', 'AWS Backup copy transfer to us-east-2'), copies * 100 * 0.01, copies * 200 * 0.01);
  });

  test('a rule without a lifecycle, and a plan that selects nothing, are unpriced with the reason; vaults and selections are free', () => {
    expect(Object.keys(linesOf(result, 'Plan'))).toHaveLength(5);
    expect(result.unpriced.map((u) => `${u.resource}: ${u.reason}`)).toEqual([
      'Plan: rule Forever: Lifecycle.DeleteAfterDays is not a literal (the points kept are unbounded)',
      'Unselected: no AWS::Backup::BackupSelection refers to the plan',
    ]);
    expect(result.free.map((f) => f.type)).toEqual(expect.arrayContaining(['AWS::Backup::BackupVault', 'AWS::Backup::BackupSelection']));
  });
});
