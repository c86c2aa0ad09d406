import { bootstrapPlan, parseBootstrapProperties } from '../../../lambda/db-bootstrap/plan';
import { bootstrapEvent } from './events';

describe('parseBootstrapProperties', () => {
  test('reads the strings CloudFormation delivers as numbers and booleans', () => {
    // GIVEN / WHEN
    const properties = parseBootstrapProperties(bootstrapEvent({ iamAuth: true }).ResourceProperties);
    // THEN
    expect(properties).toMatchObject({
      port: 5432,
      iamAuth: true,
      application: { name: 'app', connectionLimit: 20, statementTimeoutMs: 10000, secretArn: undefined },
      monitoring: { name: 'monitoring', connectionLimit: 3 },
    });
  });

  test.each([
    [{ host: '' }, 'bootstrap property host is missing'],
    [{ application: 'App-User' }, "bootstrap property application.name ('App-User') is not a valid role name"],
    [{ application: 'same', monitoring: 'same' }, "the application and monitoring roles must differ (both 'same')"],
    [{ extensions: ['pg_stat_statements; DROP TABLE x'] }, "extensions: 'pg_stat_statements; DROP TABLE x' is not a valid extension name"],
  ])('refuses %j', (options, message) => {
    expect(() => parseBootstrapProperties(bootstrapEvent(options).ResourceProperties)).toThrow(message);
  });

  test('password mode needs a secret per role', () => {
    const event = bootstrapEvent();
    const raw = { ...event.ResourceProperties, monitoring: { name: 'monitoring', connectionLimit: '3', statementTimeoutMs: '0' } };
    expect(() => parseBootstrapProperties(raw)).toThrow("role 'monitoring' has no secretArn, which password mode needs");
  });
});

describe('bootstrapPlan', () => {
  const passwords = { application: "pa'ss", monitoring: 'secret2' };

  test('password mode: extension, both roles with their passwords and limits, the schema, no rds_iam', () => {
    // GIVEN
    const properties = parseBootstrapProperties(bootstrapEvent({ statements: ['CREATE EXTENSION IF NOT EXISTS pg_trgm'] }).ResourceProperties);
    // WHEN
    const sql = bootstrapPlan(properties, passwords).map((s) => s.sql);
    // THEN, in order
    expect(sql[0]).toBe('CREATE EXTENSION IF NOT EXISTS "pg_stat_statements"');
    expect(sql).toContain(`ALTER ROLE "app" WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE CONNECTION LIMIT 20 PASSWORD 'pa''ss'`);
    expect(sql).toContain('ALTER ROLE "app" SET statement_timeout = 10000');
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS "app" AUTHORIZATION "app"');
    expect(sql).toContain(`ALTER ROLE "monitoring" WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE CONNECTION LIMIT 3 PASSWORD 'secret2'`);
    expect(sql).toContain('GRANT pg_monitor TO "monitoring"');
    expect(sql.some((s) => s.startsWith('GRANT rds_iam'))).toBe(false);
    expect(sql.find((s) => s.includes('REVOKE rds_iam'))).toMatch(/IF EXISTS .*rds_iam.* THEN REVOKE rds_iam FROM "app", "monitoring"/);
    // The user's statements come last.
    expect(sql.at(-1)).toBe('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  });

  test('IAM mode: rds_iam for both roles and no password at all', () => {
    const properties = parseBootstrapProperties(bootstrapEvent({ iamAuth: true }).ResourceProperties);
    const sql = bootstrapPlan(properties, passwords).map((s) => s.sql);
    expect(sql).toContain('GRANT rds_iam TO "app", "monitoring"');
    expect(sql.filter((s) => s.includes('PASSWORD'))).toEqual([
      expect.stringMatching(/^ALTER ROLE "app" .* PASSWORD NULL$/),
      expect.stringMatching(/^ALTER ROLE "monitoring" .* PASSWORD NULL$/),
    ]);
    expect(sql.join('\n')).not.toContain("pa''ss");
  });

  test('never names SUPERUSER, REPLICATION or BYPASSRLS as attributes (RDS master users may not), but checks them', () => {
    const plan = bootstrapPlan(parseBootstrapProperties(bootstrapEvent().ResourceProperties), passwords);
    expect(plan.filter((s) => s.sql.startsWith('ALTER ROLE')).some((s) => /\b(NO)?(SUPERUSER|REPLICATION|BYPASSRLS)\b/.test(s.sql))).toBe(false);
    expect(plan.filter((s) => s.description.startsWith('check that')).map((s) => s.sql)).toEqual([
      expect.stringContaining('rolsuper OR rolreplication OR rolbypassrls'),
      expect.stringContaining('rolsuper OR rolreplication OR rolbypassrls'),
    ]);
  });

  test('descriptions carry no password', () => {
    const plan = bootstrapPlan(parseBootstrapProperties(bootstrapEvent().ResourceProperties), passwords);
    for (const statement of plan) expect(statement.description).not.toMatch(/pa'ss|secret2/);
  });

  test('a statement timeout of 0 resets the role setting', () => {
    const event = bootstrapEvent();
    const raw = { ...event.ResourceProperties, application: { ...(event.ResourceProperties.application as object), statementTimeoutMs: '0' } };
    const sql = bootstrapPlan(parseBootstrapProperties(raw), passwords).map((s) => s.sql);
    expect(sql).toContain('ALTER ROLE "app" RESET statement_timeout');
  });
});
