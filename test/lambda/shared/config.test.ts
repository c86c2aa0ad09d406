import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { X509Certificate } from 'node:crypto';
import 'aws-sdk-client-mock-jest';
import { cacheOptionsFrom } from '../../../lambda/shared/cache';
import { cacheSettings, databaseSettings } from '../../../lambda/shared/config';
import { DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_TRUSTED_CAS, databaseConfigFrom } from '../../../lambda/shared/database';
import { parseSecret, SecretsManagerSource, type SecretSource } from '../../../lambda/shared/secrets';

const DB_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
const CACHE_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cache-AbCdEf';

function secretsOf(values: Record<string, unknown>): SecretSource {
  return {
    get: async (arn) => {
      const value = values[arn];
      return typeof value === 'string' ? value : (value as Record<string, unknown>);
    },
    forget: jest.fn(),
  };
}

describe('worker settings from the environment (APP_ENVIRONMENT names)', () => {
  test('the database: host, port and name from env, TLS verified unless PGSSLMODE=disable', () => {
    expect(databaseSettings({ DB_HOST: 'db.internal', DB_PORT: '5432', DB_NAME: 'app', DB_SECRET_ARN: DB_SECRET })).toEqual({
      host: 'db.internal',
      port: 5432,
      database: 'app',
      secretArn: DB_SECRET,
      tls: true,
      iamAuth: false,
      proxy: false,
    });
    expect(databaseSettings({ DB_SECRET_ARN: DB_SECRET, DB_IAM_AUTH: 'true' }).iamAuth).toBe(true);
    expect(databaseSettings({ DB_SECRET_ARN: DB_SECRET, DB_PROXY: 'true' }).proxy).toBe(true);
    expect(databaseSettings({ DB_SECRET_ARN: DB_SECRET, DB_PROXY: 'false' }).proxy).toBe(false);
    expect(databaseSettings({ DB_SECRET_ARN: DB_SECRET, PGSSLMODE: 'disable' }).tls).toBe(false);
  });

  test.each([
    [{}, 'the database is not configured: set DB_SECRET_ARN (and DB_HOST, DB_PORT, DB_NAME)'],
    [{ DB_HOST: 'db', DB_PORT: '5432x' }, "DB_PORT ('5432x') must be a port number from 1 to 65535"],
    [{ DB_HOST: 'db', PGSSLMODE: 'prefer' }, "PGSSLMODE ('prefer') must be 'disable', 'require' or 'verify-full'"],
    [{ DB_HOST: 'db', DB_IAM_AUTH: 'yes' }, "DB_IAM_AUTH ('yes') must be 'true' or 'false'"],
    [{ DB_HOST: 'db', DB_PROXY: '1' }, "DB_PROXY ('1') must be 'true' or 'false'"],
    [
      { DB_HOST: 'db', DB_PROXY: 'true', PGOPTIONS: '-c search_path=app' },
      "PGOPTIONS ('-c search_path=app') cannot be used with DB_PROXY=true: RDS Proxy refuses the 'options' start-up parameter; unset PGOPTIONS",
    ],
  ])('database settings %j are refused', (env, message) => {
    expect(() => databaseSettings(env)).toThrow(message);
  });

  test('the cache: TLS unless CACHE_TLS=false, port 6379 unless CACHE_PORT says otherwise', () => {
    expect(cacheSettings({ CACHE_HOST: 'cache.internal' })).toEqual({ host: 'cache.internal', port: 6379, tls: true, authSecretArn: undefined });
    expect(cacheSettings({ CACHE_HOST: '127.0.0.1', CACHE_PORT: '6380', CACHE_TLS: 'false', CACHE_AUTH_SECRET_ARN: CACHE_SECRET })).toEqual({
      host: '127.0.0.1',
      port: 6380,
      tls: false,
      authSecretArn: CACHE_SECRET,
    });
  });

  test.each([
    [{}, 'the cache is not configured: set CACHE_HOST (and CACHE_PORT, CACHE_TLS, CACHE_AUTH_SECRET_ARN)'],
    [{ CACHE_HOST: 'c', CACHE_TLS: 'yes' }, "CACHE_TLS ('yes') must be 'true' or 'false'"],
    [{ CACHE_HOST: 'c', CACHE_PORT: '0' }, "CACHE_PORT ('0') must be a port number from 1 to 65535"],
  ])('cache settings %j are refused', (env, message) => {
    expect(() => cacheSettings(env)).toThrow(message);
  });
});

describe('connection options', () => {
  test('database credentials come from the secret, never from the environment', async () => {
    const config = await databaseConfigFrom(
      { DB_HOST: 'proxy.internal', DB_PORT: '5432', DB_NAME: 'app', DB_SECRET_ARN: DB_SECRET },
      secretsOf({ [DB_SECRET]: { username: 'app_user', password: 's3cret', host: 'instance.internal', port: 5433, dbname: 'postgres' } }),
    )();
    expect(config).toMatchObject({
      host: 'proxy.internal',
      port: 5432,
      database: 'app',
      user: 'app_user',
      password: 's3cret',
      ssl: { secureContext: expect.any(Object), rejectUnauthorized: true },
      max: 2,
      connectionTimeoutMillis: 3000,
      statement_timeout: 10000,
    });
  });

  test('TLS trusts the CAs shipped with the code, with one TLS context for every connection; PGSSLMODE=disable turns TLS off', async () => {
    const secrets = secretsOf({ [DB_SECRET]: { username: 'u', password: 'p' } });
    const [a, b] = await Promise.all([1, 2].map(() => databaseConfigFrom({ DB_HOST: 'db', DB_SECRET_ARN: DB_SECRET }, secrets)()));
    expect((a.ssl as { secureContext: unknown }).secureContext).toBe((b.ssl as { secureContext: unknown }).secureContext);
    expect((await databaseConfigFrom({ DB_HOST: 'db', DB_SECRET_ARN: DB_SECRET, PGSSLMODE: 'disable' }, secrets)()).ssl).toBe(false);
  });

  test("the shipped CAs cover the instances' RDS G1 CAs and the Amazon roots behind RDS Proxy's certificate", () => {
    const names = DATABASE_TRUSTED_CAS.map((pem) => new X509Certificate(pem).subject.split('\n').find((line) => line.startsWith('CN='))!);
    expect(names).toEqual(
      expect.arrayContaining(['CN=Amazon RDS us-east-1 Root CA RSA2048 G1', 'CN=Amazon RDS eu-west-1 Root CA RSA2048 G1', 'CN=Amazon Root CA 1']),
    );
  });

  describe('start-up parameters: none through RDS Proxy, the statement timeout straight to the instance', () => {
    const secrets = secretsOf({ [DB_SECRET]: { username: 'app_user', password: 's3cret' } });
    const base = { DB_HOST: 'db.internal', DB_PORT: '5432', DB_NAME: 'app', DB_SECRET_ARN: DB_SECRET };
    // The PoolConfig keys `pg` turns into StartupMessage parameters besides user and database.
    const startupKeys = [
      'statement_timeout',
      'lock_timeout',
      'idle_in_transaction_session_timeout',
      'options',
      'application_name',
      'fallback_application_name',
      'replication',
    ];

    test('DB_PROXY=true: no start-up parameter beyond user and database, and the client-side backstop', async () => {
      const config = await databaseConfigFrom({ ...base, DB_PROXY: 'true' }, secrets)();
      expect(Object.keys(config).filter((key) => startupKeys.includes(key))).toEqual([]);
      expect(config).toMatchObject({ user: 'app_user', database: 'app', query_timeout: 11_000 });
    });

    test('DB_PROXY=false (or absent): the server-side statement timeout, and the backstop one second later', async () => {
      for (const env of [{ ...base, DB_PROXY: 'false' }, base]) {
        const config = await databaseConfigFrom(env, secrets)();
        expect(Object.keys(config).filter((key) => startupKeys.includes(key))).toEqual(['statement_timeout']);
        expect(config).toMatchObject({ statement_timeout: DATABASE_STATEMENT_TIMEOUT_MS, query_timeout: DATABASE_STATEMENT_TIMEOUT_MS + 1_000 });
      }
    });
  });

  test("without DB_HOST/DB_NAME the RDS secret's own host, port and dbname are used", async () => {
    const config = await databaseConfigFrom(
      { DB_SECRET_ARN: DB_SECRET },
      secretsOf({ [DB_SECRET]: { username: 'u', password: 'p', host: 'instance.internal', port: 5433, dbname: 'postgres' } }),
    )();
    expect(config).toMatchObject({ host: 'instance.internal', port: 5433, database: 'postgres' });
  });

  test("with DB_IAM_AUTH the password is a fresh IAM token for the secret's user, never the secret's password", async () => {
    const env = {
      DB_HOST: 'proxy.internal',
      DB_PORT: '5432',
      DB_SECRET_ARN: DB_SECRET,
      DB_IAM_AUTH: 'true',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
    };
    const config = await databaseConfigFrom(env, secretsOf({ [DB_SECRET]: { username: 'postgres', password: 'rotated-weekly' } }))();
    expect(config.user).toBe('postgres');
    expect(typeof config.password).toBe('function');
    const token = await (config.password as () => Promise<string>)();
    expect(token).toMatch(
      /^proxy\.internal:5432\/\?Action=connect&DBUser=postgres&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F\d{8}%2Feu-west-1%2Frds-db%2Faws4_request&/,
    );
    expect(token).toContain('X-Amz-Security-Token=session');
    expect(token).not.toContain('rotated-weekly');
  });

  test('DB_IAM_AUTH without a region says what is missing', async () => {
    const config = databaseConfigFrom({ DB_HOST: 'h', DB_SECRET_ARN: DB_SECRET, DB_IAM_AUTH: 'true' }, secretsOf({ [DB_SECRET]: { username: 'u' } }));
    await expect(config()).rejects.toThrow('DB_IAM_AUTH=true needs DB_HOST, DB_USER (or a DB_SECRET_ARN secret with a username), and AWS_REGION');
  });

  test('the cache AUTH token may be a plain string or JSON, and TLS checks the host name', async () => {
    const env = { CACHE_HOST: 'master.cache.internal', CACHE_AUTH_SECRET_ARN: CACHE_SECRET };
    await expect(cacheOptionsFrom(env, secretsOf({ [CACHE_SECRET]: 'token-123' }))()).resolves.toEqual({
      socket: { host: 'master.cache.internal', port: 6379, tls: true, servername: 'master.cache.internal' },
      password: 'token-123',
    });
    await expect(cacheOptionsFrom(env, secretsOf({ [CACHE_SECRET]: { authToken: 'token-456' } }))()).resolves.toMatchObject({
      password: 'token-456',
    });
    await expect(cacheOptionsFrom(env, secretsOf({ [CACHE_SECRET]: { username: 'worker', password: 'pw' } }))()).resolves.toMatchObject({
      username: 'worker',
      password: 'pw',
    });
  });
});

describe('SecretsManagerSource', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  test('fetches each secret once per cold start and parses JSON objects', async () => {
    sm.on(GetSecretValueCommand, { SecretId: DB_SECRET }).resolves({ SecretString: '{"username":"u","password":"p"}' });
    const source = new SecretsManagerSource();

    const [a, b] = await Promise.all([source.get(DB_SECRET), source.get(DB_SECRET)]);
    await source.get(DB_SECRET);

    expect(a).toEqual({ username: 'u', password: 'p' });
    expect(b).toBe(a);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  test('a failed fetch is not cached, and forget() fetches a rotated value', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('Rate exceeded')).resolvesOnce({ SecretString: 'old' }).resolves({ SecretString: 'new' });
    const source = new SecretsManagerSource();

    await expect(source.get(CACHE_SECRET)).rejects.toThrow('Rate exceeded');
    await expect(source.get(CACHE_SECRET)).resolves.toBe('old');
    source.forget(CACHE_SECRET);
    await expect(source.get(CACHE_SECRET)).resolves.toBe('new');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 3);
  });

  test('a binary secret is refused with its ARN', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    await expect(new SecretsManagerSource().get(DB_SECRET)).rejects.toThrow(
      `secret ${DB_SECRET} has no string value (binary secrets are not supported)`,
    );
  });

  test('parseSecret keeps tokens that look like JSON scalars as strings', () => {
    expect(parseSecret('12345')).toBe('12345');
    expect(parseSecret('["a"]')).toBe('["a"]');
    expect(parseSecret('{"a":1}')).toEqual({ a: 1 });
  });
});
