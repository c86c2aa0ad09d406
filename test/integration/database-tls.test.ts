// The workers' TLS settings (databaseConfigFrom) against a PostgreSQL cluster of the test's own that
// serves a certificate signed by a test CA: verification passes with that CA trusted, and fails
// with the shipped RDS bundle, with another CA, and for a certificate naming another host.
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { DatabasePool, databaseConfigFrom } from '../../lambda/shared/database';
import type { WorkerLogger } from '../../lambda/shared/job';
import type { SecretSource } from '../../lambda/shared/secrets';
import { startPrivatePostgres, type PrivatePostgres } from './db-insights-postgres';
import { createTestPki, type TestPki } from './helpers/test-ca';

const secrets: SecretSource = { get: async () => ({ username: 'postgres', password: 'unused-with-trust-auth' }), forget: () => {} };
const logger: WorkerLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let pki: TestPki;
let postgres: PrivatePostgres;
let testCa: string;
const pools: DatabasePool[] = [];

/** Serves `certificate` from now on (PostgreSQL reloads its TLS files on SIGHUP), and waits until it does. */
async function serve(certificate: { keyFile: string; certFile: string }, name: string): Promise<void> {
  // The server refuses a key that others can read; run as root, it runs as `postgres`.
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    fs.chownSync(certificate.keyFile, id('-u'), id('-g'));
  }
  fs.chmodSync(certificate.keyFile, 0o600);
  const admin = new Client({ host: '127.0.0.1', port: postgres.port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`ALTER SYSTEM SET ssl_cert_file = '${certificate.certFile}'`);
    await admin.query(`ALTER SYSTEM SET ssl_key_file = '${certificate.keyFile}'`);
    await admin.query('ALTER SYSTEM SET ssl = on');
    await admin.query('SELECT pg_reload_conf()');
  } finally {
    await admin.end();
  }
  for (let attempt = 0; ; attempt++) {
    const probe = new Client({
      host: '127.0.0.1',
      port: postgres.port,
      user: 'postgres',
      database: 'postgres',
      ssl: { ca: testCa, servername: name },
    });
    try {
      await probe.connect();
      await probe.end();
      return;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

beforeAll(async () => {
  pki = createTestPki();
  testCa = pki.ca('test-rds-ca');
  postgres = await startPrivatePostgres([]);
  await serve(pki.serverCertificate('test-rds-ca', ['localhost']), 'localhost');
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  postgres?.stop();
  pki?.remove();
});

/** The worker's pool for `host`, trusting `cas` (the shipped bundle when undefined). */
function workerPool(host: string, cas?: readonly string[]): DatabasePool {
  const env = { DB_HOST: host, DB_PORT: String(postgres.port), DB_NAME: 'postgres', DB_SECRET_ARN: 'arn:db' };
  const pool = new DatabasePool(databaseConfigFrom(env, secrets, cas), logger);
  pools.push(pool);
  return pool;
}

test('the certificate chains to a trusted CA and names the host: the connection is encrypted and works', async () => {
  const { rows } = await workerPool('localhost', [testCa]).query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()', []);
  expect(rows).toEqual([{ ssl: true }]);
});

test('the shipped RDS bundle does not trust the test CA: refused', async () => {
  await expect(workerPool('localhost').query('SELECT 1', [])).rejects.toThrow('unable to verify the first certificate');
});

test('another CA: refused', async () => {
  await expect(workerPool('localhost', [pki.ca('other-ca')]).query('SELECT 1', [])).rejects.toThrow('unable to verify the first certificate');
});

test('a certificate from the trusted CA for another host name: refused', async () => {
  await serve(pki.serverCertificate('test-rds-ca', ['db.other.internal']), 'db.other.internal');
  await expect(workerPool('localhost', [testCa]).query('SELECT 1', [])).rejects.toThrow(
    "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:db.other.internal",
  );
});
