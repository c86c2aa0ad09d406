import * as fs from 'node:fs';
import { dev, prod } from '../../lib';
import { catalogEntries } from '../../lib/core/alarm-catalog';
import { alarmTableMarkdown, END_MARKER, README, START_MARKER, withTable } from '../../tools/alarm-table';

describe('tools/alarm-table', () => {
  test('the README\'s alarm table is the one the catalog and the profiles generate (run `npm run alarm-table` when this fails)', () => {
    const readme = fs.readFileSync(README, 'utf8');
    expect(readme).toContain(START_MARKER);
    expect(withTable(readme, alarmTableMarkdown())).toBe(readme);
  });

  test('one row per alarm of the catalog, the SLOs and service health; a column per profile', () => {
    const rows = alarmTableMarkdown().split('\n');
    expect(rows[0]).toBe('| tier | alarm | severity | breaches in | no data | dev | staging | prod |');
    expect(rows).toHaveLength(2 + catalogEntries().length + 3);
    expect(rows).toContain('| RDS | Database free storage `database.freeStorageGiB` | critical | 2 of 2 × 5 min | keep state | < 2 GiB | < 2 GiB | < 10 GiB |');
    expect(rows.find((r) => r.includes('`web.errorRatePercent`'))).toContain('(also rolls deployments back)');
  });

  test('a value changed in a profile changes its cell; \'off\' says off; SLO alarms that are off say so', () => {
    const changed = { ...prod, name: 'prod-eu', monitoring: { ...prod.monitoring, web: { ...prod.monitoring.web, cpuPercent: 70 } } };
    const rows = alarmTableMarkdown([dev, changed]).split('\n');
    expect(rows.find((r) => r.includes('`web.cpuPercent`'))).toMatch(/\| off \| > 70 % \|$/);
    expect(rows.find((r) => r.includes('`availabilitySloPercent`'))).toMatch(/\| 99 % \(alarms off\) \| 99\.9 % \|$/);
  });

  test('a README without the markers is refused with where to put them', () => {
    expect(() => withTable('# no table here\n', '| x |')).toThrow(`README.md has no alarm table markers; add\n${START_MARKER}\n${END_MARKER}\nwhere the table goes`);
  });
});
