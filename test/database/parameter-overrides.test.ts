import { checkParameterOverride } from '../../lib/database/parameter-overrides';
import { POSTGRES_16_17_REMOVED_SETTINGS, POSTGRES_SETTINGS } from '../../lib/core/postgres/settings';

describe('checkParameterOverride', () => {
  test.each([
    // [name, given, as RDS takes it]
    ['work_mem', '64MB', '65536'],
    ['work_mem', '65536', '65536'],
    ['shared_buffers', '2GB', '262144'],
    ['statement_timeout', '30s', '30000'],
    ['checkpoint_timeout', '10min', '600'],
    ['jit', 'off', '0'],
    ['log_lock_waits', 'TRUE', '1'],
    ['log_statement', 'ALL', 'all'],
    ['random_page_cost', '1.5', '1.5'],
    ['autovacuum_vacuum_cost_delay', '2ms', '2'],
    ['application_name', 'anything goes', 'anything goes'],
    ['Work_Mem', '4MB', '4096'],
    ['shared_buffers', '{DBInstanceClassMemory/32768}', '{DBInstanceClassMemory/32768}'],
    ['transaction_timeout', '5min', '300000'],
    ['pg_stat_statements.track', 'all', 'all'],
  ])('%s = %s becomes %s', (name, given, expected) => {
    expect(checkParameterOverride(name, given)).toEqual({ value: expected });
  });

  test.each([
    [
      'shared_bufers',
      '1GB',
      "parameterOverrides: 'shared_bufers' is not a PostgreSQL 17 parameter RDS accepts (did you mean 'shared_buffers'?); check the spelling, or see https://www.postgresql.org/docs/17/runtime-config.html",
    ],
    [
      'no_such_thing_at_all',
      '1',
      "parameterOverrides: 'no_such_thing_at_all' is not a PostgreSQL 17 parameter RDS accepts; check the spelling, or see https://www.postgresql.org/docs/17/runtime-config.html",
    ],
    ['old_snapshot_threshold', '1', "parameterOverrides: 'old_snapshot_threshold' is not a PostgreSQL 17 parameter RDS accepts"],
    ['jit', 'maybe', "parameterOverrides: jit ('maybe') is not a valid bool; use 'on' or 'off' (or 1/0, true/false)"],
    ['log_statement', 'everything', "parameterOverrides: log_statement ('everything') is not a valid enum; use one of 'none', 'ddl', 'mod', 'all'"],
    [
      'work_mem',
      '64XB',
      "parameterOverrides: work_mem ('64XB') has unit 'XB', which it does not take; use a number in kB or with a unit (B, kB, MB, GB, TB)",
    ],
    ['work_mem', '10s', "parameterOverrides: work_mem ('10s') has unit 's', which it does not take"],
    [
      'work_mem',
      'lots',
      "parameterOverrides: work_mem ('lots') is not a valid integer; use a number in kB or with a unit (B, kB, MB, GB, TB), between 64 to 2147483647 kB",
    ],
    ['work_mem', '12.5', "parameterOverrides: work_mem ('12.5') must be a whole number of kB"],
    ['max_connections', '0', "parameterOverrides: max_connections ('0' = 0) is out of range; use 1 to 262143"],
    ['random_page_cost', '-1', "parameterOverrides: random_page_cost ('-1' = -1) is out of range; use 0 to ∞"],
    [
      'max_connections',
      '100MB',
      "parameterOverrides: max_connections ('100MB') has unit 'MB', which it does not take; use a plain number (this parameter has no unit)",
    ],
  ])('%s = %s is refused', (name, given, message) => {
    expect(checkParameterOverride(name, given).problem).toContain(message);
  });

  test('the catalog drops the settings PostgreSQL 16 and 17 removed and has the ones they added', () => {
    for (const removed of POSTGRES_16_17_REMOVED_SETTINGS) expect(POSTGRES_SETTINGS[removed]).toBeUndefined();
    expect(POSTGRES_SETTINGS.transaction_timeout).toEqual({ type: 'integer', context: 'user', unit: 'ms', min: 0, max: 2147483647 });
    expect(Object.keys(POSTGRES_SETTINGS).every((name) => name === name.toLowerCase())).toBe(true);
  });
});
