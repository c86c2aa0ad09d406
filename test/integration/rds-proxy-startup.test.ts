// The worker's real pool settings (databaseConfigFrom) against RDS Proxy's start-up rules, played by
// a double in front of the local PostgreSQL (helpers/rds-proxy-double.ts), and straight against
// PostgreSQL, where the statement timeout is the server's.
import { Client } from 'pg';
import { DATABASE_QUERY_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS, DatabasePool, databaseConfigFrom } from '../../lambda/shared/database';
import type { WorkerLogger } from '../../lambda/shared/job';
import type { SecretSource } from '../../lambda/shared/secrets';
import { POSTGRES } from './helpers/postgres';
import { RdsProxyDouble } from './helpers/rds-proxy-double';

const DB_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:proxy-startup';
const secrets: SecretSource = { get: async () => ({ username: POSTGRES.user, password: 'unused-with-trust-auth' }), forget: () => {} };
const logger: WorkerLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let double: RdsProxyDouble;
const pools: DatabasePool[] = [];

beforeAll(async () => {
  double = await RdsProxyDouble.start({ host: POSTGRES.host, port: POSTGRES.port });
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  await double.stop();
});

/** The worker's pool, as createWorker builds it, for DB_PROXY=`proxy` and the given port. */
function workerPool(proxy: 'true' | 'false', port: number): DatabasePool {
  const env = {
    DB_HOST: '127.0.0.1',
    DB_PORT: String(port),
    DB_NAME: POSTGRES.database,
    DB_SECRET_ARN: DB_SECRET,
    DB_PROXY: proxy,
    // The double speaks plain text (it answers 'N' to an SSLRequest), as a local PostgreSQL does here.
    PGSSLMODE: 'disable',
  };
  const pool = new DatabasePool(databaseConfigFrom(env, secrets), logger);
  pools.push(pool);
  return pool;
}

test("DB_PROXY=true: the worker's connections pass the proxy's start-up rules and run queries", async () => {
  const before = double.connections.length;

  const { rows } = await workerPool('true', double.port).query<{ answer: number }>('SELECT $1::int AS answer', [42]);

  expect(rows).toEqual([{ answer: 42 }]);
  expect(double.connections.slice(before)).toEqual([{ parameters: { user: 'postgres', database: 'test', client_encoding: 'UTF8' } }]);
});

test("the double answers an SSLRequest with 'N' (no TLS here), so a client that insists on TLS stops at once", async () => {
  const client = new Client({ ...POSTGRES, port: double.port, ssl: { rejectUnauthorized: true } });
  await expect(client.connect()).rejects.toThrow('The server does not support SSL connections');
});

test('DB_PROXY=false through the double: refused for its statement_timeout, as RDS Proxy refuses it', async () => {
  const before = double.connections.length;

  await expect(workerPool('false', double.port).query('SELECT 1', [])).rejects.toMatchObject({
    message: "Feature not supported: RDS Proxy currently doesn't support the option statement_timeout.",
    code: '0A000',
    severity: 'FATAL',
  });
  expect(double.connections.slice(before)).toEqual([
    {
      parameters: { user: 'postgres', database: 'test', statement_timeout: String(DATABASE_STATEMENT_TIMEOUT_MS), client_encoding: 'UTF8' },
      refusal: "Feature not supported: RDS Proxy currently doesn't support the option statement_timeout.",
    },
  ]);
});

test('a query past the limit: straight to PostgreSQL the server cancels it; through the proxy the client gives up a second later', async () => {
  const direct = workerPool('false', POSTGRES.port);
  const proxied = workerPool('true', double.port);
  expect((await direct.query<{ statement_timeout: string }>('SHOW statement_timeout', [])).rows).toEqual([{ statement_timeout: '10s' }]);
  // Until the database role carries the setting (ALTER ROLE … SET statement_timeout), nothing on
  // the server side limits a proxied statement.
  expect((await proxied.query<{ statement_timeout: string }>('SHOW statement_timeout', [])).rows).toEqual([{ statement_timeout: '0' }]);
  const sleep = `SELECT pg_sleep(${(DATABASE_QUERY_TIMEOUT_MS + 1_000) / 1000})`;

  // Both at once: the test waits for the longer one only.
  const timed = (pool: DatabasePool) => {
    const started = Date.now();
    return pool.query(sleep, []).then(
      () => ({ error: undefined, ms: Date.now() - started }),
      (error: Error & { code?: string }) => ({ error: { message: error.message, code: error.code }, ms: Date.now() - started }),
    );
  };
  const [server, client] = await Promise.all([timed(direct), timed(proxied)]);

  expect(server.error).toEqual({ message: 'canceling statement due to statement timeout', code: '57014' });
  expect(server.ms).toBeGreaterThanOrEqual(DATABASE_STATEMENT_TIMEOUT_MS - 50);
  expect(server.ms).toBeLessThan(DATABASE_QUERY_TIMEOUT_MS);
  expect(client.error).toEqual({ message: 'Query read timeout', code: undefined });
  expect(client.ms).toBeGreaterThanOrEqual(DATABASE_QUERY_TIMEOUT_MS - 50);
  expect(client.ms).toBeLessThan(DATABASE_QUERY_TIMEOUT_MS + 1_000);

  // Both pools recover: the next query opens a fresh connection.
  expect((await proxied.query<{ ok: number }>('SELECT 1 AS ok', [])).rows).toEqual([{ ok: 1 }]);
  expect((await direct.query<{ ok: number }>('SELECT 1 AS ok', [])).rows).toEqual([{ ok: 1 }]);
});
