import * as fs from 'node:fs';
import * as path from 'node:path';
import { dev, prod } from '../../lib';
import { catalogEntries } from '../../lib/core/alarm-catalog';
import { ALARM_TABLE_FILE, ALARM_TABLE_MARKERS, alarmTableMarkdown, withTable } from '../../tools/alarm-table';
import { ROOT } from '../../tools/generated-block';

describe('tools/alarm-table', () => {
  test('the alarm table of docs/monitoring.md is the one the catalog and the profiles generate (run `npm run alarm-table` when this fails)', () => {
    const page = fs.readFileSync(path.join(ROOT, ALARM_TABLE_FILE), 'utf8');
    expect(page).toContain(ALARM_TABLE_MARKERS.start);
    expect(withTable(page, alarmTableMarkdown())).toBe(page);
  });

  test('one row per alarm of the catalog, the SLOs and service health; a column per profile', () => {
    const rows = alarmTableMarkdown().split('\n');
    expect(rows[0]).toBe('| tier | alarm | severity | breaches in | no data | dev | staging | prod |');
    expect(rows).toHaveLength(2 + catalogEntries().length + 3);
    expect(rows).toContain(
      '| RDS | Database free storage `database.freeStorageGiB` | critical | 2 of 2 × 5 min | keep state | < 2 GiB | < 2 GiB | < 10 GiB |',
    );
    expect(rows.find((r) => r.includes('`web.errorRatePercent`'))).toContain('(also rolls deployments back)');
  });

  test("a value changed in a profile changes its cell; 'off' says off; SLO alarms that are off say so", () => {
    const changed = { ...prod, name: 'prod-eu', monitoring: { ...prod.monitoring, web: { ...prod.monitoring.web, cpuPercent: 70 } } };
    const rows = alarmTableMarkdown([dev, changed]).split('\n');
    expect(rows.find((r) => r.includes('`web.cpuPercent`'))).toMatch(/\| off \| > 70 % \|$/);
    expect(rows.find((r) => r.includes('`availabilitySloPercent`'))).toMatch(/\| 99 % \(alarms off\) \| 99\.9 % \|$/);
  });

  test('a page without the markers is refused with where to put them', () => {
    expect(() => withTable('# no table here\n', '| x |')).toThrow(
      `docs/monitoring.md has no generated-block markers; add\n${ALARM_TABLE_MARKERS.start}\n${ALARM_TABLE_MARKERS.end}\nwhere the block goes`,
    );
  });

  test('a stale table is replaced between the markers and nothing else changes', () => {
    const page = `# Monitoring\n\nbefore\n${ALARM_TABLE_MARKERS.start}\n| stale |\n${ALARM_TABLE_MARKERS.end}\nafter\n`;
    expect(withTable(page, '| fresh |')).toBe(`# Monitoring\n\nbefore\n${ALARM_TABLE_MARKERS.start}\n| fresh |\n${ALARM_TABLE_MARKERS.end}\nafter\n`);
  });
});
