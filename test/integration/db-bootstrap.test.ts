// The database bootstrap against real PostgreSQL: a cluster of the test's own (pg_stat_statements
// preloaded, password logins over TCP), the master user `postgres`. It checks what the roles may
// and may not do, that a second run changes nothing, and that the workers run as their roles.
import { Logger } from '@aws-lambda-powertools/logger';
import { Client } from 'pg';
import { createInsightsWorker } from '../../lambda/db-insights/worker';
import { handleBootstrap, type BootstrapDependencies } from '../../lambda/db-bootstrap/handler';
import { createWorker } from '../../lambda/shared/worker';
import { JOBS } from '../../lambda/jobs/registry';
import { captureOutput } from '../lambda/helpers';
import { APP_ARN, MASTER_ARN, MONITORING_ARN, MemorySecrets, bootstrapEvent, silentLogger, type EventOptions } from '../lambda/db-bootstrap/events';
import { startPrivatePostgres, type PrivatePostgres } from './db-insights-postgres';

const MASTER_PASSWORD = 'master-password';
const APP_PASSWORD = 'AppPassword123';
const MONITORING_PASSWORD = 'MonitoringPassword456';
const secrets = () =>
  new MemorySecrets({
    [MASTER_ARN]: { username: 'postgres', password: MASTER_PASSWORD },
    [APP_ARN]: { username: 'app', password: APP_PASSWORD },
    [MONITORING_ARN]: { username: 'monitoring', password: MONITORING_PASSWORD },
  });

let server: PrivatePostgres;
let master: Client;

const deps = (overrides: Partial<BootstrapDependencies> = {}): BootstrapDependencies => ({
  secrets: secrets(),
  logger: silentLogger,
  trustedCas: false,
  connectAttempts: 1,
  retryDelayMs: 10,
  connectTimeoutMs: 3_000,
  ...overrides,
});
const apply = (options: EventOptions = {}, overrides: Partial<BootstrapDependencies> = {}) =>
  handleBootstrap(bootstrapEvent({ host: '127.0.0.1', port: server.port, ...options }), deps(overrides));

async function login(user: string, password: string, database = 'app'): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: server.port, user, password, database });
  await client.connect();
  return client;
}

/** Everything the bootstrap decides, in one comparable value. */
async function state(): Promise<unknown> {
  const q = async (sql: string) => (await master.query(sql)).rows;
  return {
    roles:
      await q(`SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolpassword IS NOT NULL AS has_password
      FROM pg_authid WHERE rolname IN ('app', 'monitoring') ORDER BY rolname`),
    memberships: await q(`SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members a
      JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
      WHERE r.rolname IN ('app', 'monitoring', 'pg_monitor', 'rds_iam') OR m.rolname IN ('app', 'monitoring') ORDER BY 1, 2`),
    settings: await q(`SELECT r.rolname, s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole ORDER BY 1`),
    schemas: await q(`SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'app'`),
    extensions: await q(`SELECT extname FROM pg_extension ORDER BY 1`),
    databaseAcl: await q(`SELECT datacl::text FROM pg_database WHERE datname = 'app'`),
  };
}

beforeAll(async () => {
  server = await startPrivatePostgres(['pg_stat_statements'], { superuserPassword: MASTER_PASSWORD });
  const setup = new Client({ host: '127.0.0.1', port: server.port, user: 'postgres', password: MASTER_PASSWORD, database: 'postgres' });
  await setup.connect();
  await setup.query('CREATE DATABASE app');
  await setup.end();
  master = await login('postgres', MASTER_PASSWORD);
  // A schema the application was not given, with data in it.
  await master.query('CREATE SCHEMA private');
  await master.query("CREATE TABLE private.salaries (name text, amount int); INSERT INTO private.salaries VALUES ('x', 1)");
  // RDS's role for IAM logins; a plain cluster has none.
  await master.query('CREATE ROLE rds_iam');
}, 60_000);

afterAll(async () => {
  await master?.end();
  server?.stop();
});

describe('password mode', () => {
  let first: unknown;

  beforeAll(async () => {
    const response = await apply();
    expect(response).toEqual({ PhysicalResourceId: 'app/app/monitoring', Data: { ApplicationRole: 'app', MonitoringRole: 'monitoring' } });
    first = await state();
  });

  test('applied twice, the database is in the same state', async () => {
    await apply({ requestType: 'Update' });
    expect(await state()).toEqual(first);
    expect(first).toMatchObject({
      roles: [
        { rolname: 'app', rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true, rolconnlimit: 20, has_password: true },
        { rolname: 'monitoring', rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true, rolconnlimit: 3 },
      ],
      schemas: [{ nspname: 'app', owner: 'app' }],
      extensions: [{ extname: 'pg_stat_statements' }, { extname: 'plpgsql' }],
    });
  });

  test('the application role creates, writes and reads in its schema, with the statement timeout set by the role', async () => {
    const app = await login('app', APP_PASSWORD);
    try {
      await app.query('CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, amount int)');
      await app.query('INSERT INTO orders (amount) VALUES (42)');
      expect((await app.query('SELECT amount FROM app.orders')).rows).toEqual([{ amount: 42 }]);
      expect((await app.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '10s' }]);
    } finally {
      await app.end();
    }
  });

  test.each([
    ['create a role', 'CREATE ROLE intruder', /permission denied to create role/],
    ['read pg_authid', 'SELECT rolpassword FROM pg_authid', /permission denied for table pg_authid/],
    ['read a schema it was not given', 'SELECT * FROM private.salaries', /permission denied for schema private/],
    ['create in a schema it was not given', 'CREATE TABLE private.mine (x int)', /permission denied for schema private/],
    ['create in public', 'CREATE TABLE public.mine (x int)', /permission denied for schema public/],
    ['create a database', 'CREATE DATABASE other', /permission denied to create database/],
  ])('the application role cannot %s', async (_what, sql, error) => {
    const app = await login('app', APP_PASSWORD);
    try {
      await expect(app.query(sql)).rejects.toThrow(error);
    } finally {
      await app.end();
    }
  });

  test("the monitoring role reads pg_stat_statements with the statements' text, and no application table", async () => {
    const monitoring = await login('monitoring', MONITORING_PASSWORD);
    try {
      const rows = (await monitoring.query("SELECT query FROM pg_stat_statements WHERE query LIKE '%orders%' LIMIT 1")).rows;
      expect(rows[0].query).not.toBe('<insufficient privilege>');
      await expect(monitoring.query('SELECT * FROM app.orders')).rejects.toThrow(/permission denied for schema app/);
      await expect(monitoring.query('SELECT * FROM private.salaries')).rejects.toThrow(/permission denied for schema private/);
    } finally {
      await monitoring.end();
    }
  });

  test('the jobs worker runs as the application role, with the credentials of its secret', async () => {
    const output = captureOutput();
    const worker = createWorker({
      jobs: JOBS,
      env: {
        DB_HOST: '127.0.0.1',
        DB_PORT: String(server.port),
        DB_NAME: 'app',
        DB_SECRET_ARN: APP_ARN,
        PGSSLMODE: 'disable',
        CACHE_HOST: '127.0.0.1',
      },
      secrets: secrets(),
    });
    try {
      expect((await worker.database.query('SELECT current_user AS user', [])).rows).toEqual([{ user: 'app' }]);
    } finally {
      await worker.close();
      output.restore();
    }
  });

  test('the insights worker runs as the monitoring role and its report is complete, with no hand-run SQL', async () => {
    const output = captureOutput();
    const worker = createInsightsWorker({
      env: {
        DB_HOST: '127.0.0.1',
        DB_PORT: String(server.port),
        DB_NAME: 'app',
        DB_SECRET_ARN: MONITORING_ARN,
        DB_USER: 'monitoring',
        PGSSLMODE: 'disable',
        INSIGHTS_DB_INSTANCE: 'it-db',
      },
      secrets: secrets(),
      logger: new Logger({ serviceName: 'db-insights', logLevel: 'ERROR' }),
    });
    try {
      const result = await worker.handler();
      expect(result.status).toBe('reported');
      expect(result.status === 'reported' && result.report?.unavailable).toEqual([]);
    } finally {
      await worker.close();
      output.restore();
    }
  });
});

describe('IAM mode and back', () => {
  const iamMembers = async () =>
    (
      await master.query("SELECT m.rolname FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member WHERE a.roleid = 'rds_iam'::regrole ORDER BY 1")
    ).rows.map((r) => r.rolname);

  test('IAM mode grants rds_iam and removes the passwords; password mode revokes it and sets them again', async () => {
    await apply({ iamAuth: true });
    expect(await iamMembers()).toEqual(['app', 'monitoring']);
    expect((await master.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'app'")).rows).toEqual([{ rolpassword: null }]);
    await apply();
    expect(await iamMembers()).toEqual([]);
    await (await login('app', APP_PASSWORD)).end();
  });
});

describe('as a master user that is no superuser (RDS: rds_superuser has CREATEROLE, CREATEDB and owns the database)', () => {
  test('creates both roles in both modes, and the roles work', async () => {
    // GIVEN a master like RDS's (the extension is created by RDS's own rights there; here beforehand)
    await master.query("CREATE ROLE rdsmaster LOGIN CREATEROLE CREATEDB PASSWORD 'rds-master'");
    await master.query('CREATE DATABASE app_rds OWNER rdsmaster');
    const superuser = await login('postgres', MASTER_PASSWORD, 'app_rds');
    await superuser.query('CREATE EXTENSION pg_stat_statements');
    await superuser.end();
    const rdsLike = new MemorySecrets({
      [MASTER_ARN]: { username: 'rdsmaster', password: 'rds-master' },
      [APP_ARN]: { password: APP_PASSWORD },
      [MONITORING_ARN]: { password: MONITORING_PASSWORD },
    });
    const options = { database: 'app_rds', application: 'app_r', monitoring: 'mon_r' };
    // WHEN IAM mode, then password mode, then again
    await apply({ ...options, iamAuth: true }, { secrets: rdsLike });
    await apply(options, { secrets: rdsLike });
    await apply(options, { secrets: rdsLike });
    // THEN
    const app = await login('app_r', APP_PASSWORD, 'app_rds');
    try {
      await app.query('CREATE TABLE t (x int)');
      expect((await app.query("SELECT to_regclass('app_r.t') IS NOT NULL AS created")).rows).toEqual([{ created: true }]);
    } finally {
      await app.end();
    }
    const monitoring = await login('mon_r', MONITORING_PASSWORD, 'app_rds');
    try {
      expect((await monitoring.query("SELECT pg_has_role('mon_r', 'pg_monitor', 'USAGE') AS monitor")).rows).toEqual([{ monitor: true }]);
    } finally {
      await monitoring.end();
    }
  });
});

describe('failures', () => {
  test('a failing statement of the user fails the bootstrap with the database message, and nothing of it is applied', async () => {
    await expect(
      apply({ application: 'app2', monitoring: 'monitoring2', statements: ['CREATE EXTENSION IF NOT EXISTS no_such_extension'] }),
    ).rejects.toThrow(
      /^bootstrap failed at "your statement 1 of 1": extension "no_such_extension" is not available \(SQLSTATE 0A000\); nothing was applied$/,
    );
    expect((await master.query("SELECT rolname FROM pg_roles WHERE rolname IN ('app2', 'monitoring2')")).rows).toEqual([]);
  });

  test("the user's statements run after ours, as the master user", async () => {
    await apply({ statements: ['GRANT USAGE ON SCHEMA private TO app', 'GRANT SELECT ON private.salaries TO app'] });
    const app = await login('app', APP_PASSWORD);
    try {
      expect((await app.query('SELECT count(*)::int AS n FROM private.salaries')).rows).toEqual([{ n: 1 }]);
    } finally {
      await app.end();
      await master.query('REVOKE SELECT ON private.salaries FROM app; REVOKE USAGE ON SCHEMA private FROM app');
    }
  });

  test('a wrong master password fails at once with the server message (no retry)', async () => {
    const wrong = new MemorySecrets({ [MASTER_ARN]: { username: 'postgres', password: 'wrong' } });
    await expect(apply({ iamAuth: true }, { secrets: wrong, connectAttempts: 3, retryDelayMs: 5_000 })).rejects.toThrow(
      `cannot connect to 127.0.0.1:${server.port} database app as postgres after 1 attempt(s): password authentication failed for user "postgres" (SQLSTATE 28P01)`,
    );
  });

  test('an unreachable host fails with the host and the reason', async () => {
    await expect(apply({ host: '127.0.0.1', port: 1 } as EventOptions)).rejects.toThrow(
      /^cannot connect to 127\.0\.0\.1:1 database app as postgres after 1 attempt\(s\): connect ECONNREFUSED 127\.0\.0\.1:1/,
    );
  });
});
