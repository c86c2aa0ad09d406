// The cache connection across what a warm Lambda worker meets between invocations: the server
// closing it after its idle timeout while the environment was frozen, and the AUTH token changing.
// A redis-server of the test's own closes clients idle for 1 s (`--timeout 1`, the stack's is 300 s);
// freeze() blocks the event loop as Lambda freezes the environment.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createClient } from '@redis/client';
import { CACHE_MAX_IDLE_MS, CacheConnection, cacheOptionsFrom } from '../../lambda/shared/cache';
import type { WorkerLogger } from '../../lambda/shared/job';
import type { SecretSource } from '../../lambda/shared/secrets';
import { createWorker, type Worker } from '../../lambda/shared/worker';
import { captureOutput } from '../lambda/helpers';
import { freeze, startRedisServer, type RedisServer } from './helpers/redis-server';

/** Long enough for the server to close a client idle past `--timeout 1`: it compares whole seconds and checks about once a second. */
const IDLE_SPELL_MS = 3_500;
const PASSWORD = 'first-token';

let server: RedisServer;
const closers: Array<() => Promise<unknown> | void> = [];

beforeAll(async () => {
  server = await startRedisServer(['--timeout', '1', '--requirepass', PASSWORD]);
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A logger that keeps what it was told. */
function recordingLogger(): WorkerLogger & { lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push({ level, message, extra: Object.assign({}, ...extra) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Runs `fn` on a short-lived admin connection (a long-lived one would be closed by the idle timeout too). */
async function admin<T>(password: string, fn: (client: { configSet(name: string, value: string): Promise<unknown> }) => Promise<T>): Promise<T> {
  const client = createClient({ socket: { host: '127.0.0.1', port: server.port }, password });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    client.destroy();
  }
}

function connection(maxIdleMs: number | undefined, logger: WorkerLogger): CacheConnection {
  const secrets: SecretSource = { get: async () => PASSWORD, forget: () => {} };
  const env = { CACHE_HOST: '127.0.0.1', CACHE_PORT: String(server.port), CACHE_TLS: 'false', CACHE_AUTH_SECRET_ARN: 'arn:cache' };
  const cache = new CacheConnection(cacheOptionsFrom(env, secrets), logger, { maxIdleMs });
  closers.push(() => cache.close());
  return cache;
}

test('without these safeguards the first command after the idle spell fails: the scenario is real', async () => {
  // GIVEN a node-redis client as the worker configured it before (no reconnect, no offline queue)
  const client = createClient({
    socket: { host: '127.0.0.1', port: server.port, reconnectStrategy: false },
    password: PASSWORD,
    disableOfflineQueue: true,
  });
  client.on('error', () => {});
  await client.connect();
  closers.push(() => {
    if (client.isOpen) client.destroy();
  });
  await client.set('control', 'v');

  // WHEN the environment thaws after the server closed the connection
  freeze(IDLE_SPELL_MS);

  // THEN it still looks ready, and its first command fails
  expect(client.isReady).toBe(true);
  await expect(client.get('control')).rejects.toThrow('Socket closed unexpectedly');
});

test("a connection idle past the server's timeout is replaced before use: the first command succeeds on its first attempt", async () => {
  // GIVEN a connection that replaces itself after 0.5 s idle, short of the server's 1 s (as
  // CACHE_MAX_IDLE_MS is short of the stack's 300 s)
  const logger = recordingLogger();
  const cache = connection(500, logger);
  const before = await (await cache.client()).clientId();
  await (await cache.client()).set('idle', 'v');

  // WHEN
  freeze(IDLE_SPELL_MS);
  const value = await (await cache.client()).get('idle');

  // THEN the command went out once, on a new connection
  expect(value).toBe('v');
  expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
  expect(logger.lines).toContainEqual({ level: 'debug', message: 'replacing an idle cache connection', extra: { idleMs: expect.any(Number) } });
  expect(await (await cache.client()).clientId()).not.toBe(before);
});

test('a command that meets a socket the server closed is retried once on a fresh connection; the caller sees it succeed', async () => {
  // GIVEN the stack's idle limit, longer than this server's timeout: the idle check does not fire,
  // as when the server closed the connection for another reason (a failover, a shorter timeout)
  expect(CACHE_MAX_IDLE_MS).toBeGreaterThan(IDLE_SPELL_MS);
  const logger = recordingLogger();
  const cache = connection(undefined, logger);
  const client = await cache.client();
  await client.set('retry', 'v');

  // WHEN the environment thaws; the caller uses the client it already holds
  freeze(IDLE_SPELL_MS);
  const value = await client.get('retry');

  // THEN
  expect(value).toBe('v');
  expect(logger.lines.filter((l) => l.message === 'cache command failed; retrying once on a fresh connection')).toEqual([
    {
      level: 'warn',
      message: 'cache command failed; retrying once on a fresh connection',
      extra: { command: 'get', reason: 'Socket closed unexpectedly' },
    },
  ]);
});

describe('a changed AUTH token', () => {
  const CACHE_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cache-auth';
  const secretsManager = mockClient(SecretsManagerClient);
  let output: ReturnType<typeof captureOutput>;
  let worker: Worker;

  beforeEach(() => {
    output = captureOutput();
    secretsManager.reset();
    worker = createWorker({
      serviceName: 'cache-auth',
      env: { CACHE_HOST: '127.0.0.1', CACHE_PORT: String(server.port), CACHE_TLS: 'false', CACHE_AUTH_SECRET_ARN: CACHE_SECRET },
      jobs: [],
    });
  });
  afterEach(async () => {
    output.restore();
    await worker.close();
    await admin('second-token', (client) => client.configSet('requirepass', PASSWORD));
  });
  afterAll(() => secretsManager.restore());

  test('after CONFIG SET requirepass and a new secret value, the next command succeeds: the cached token is forgotten and read again', async () => {
    // GIVEN a warm worker connected with the first token
    let token = PASSWORD;
    secretsManager.on(GetSecretValueCommand, { SecretId: CACHE_SECRET }).callsFake(async () => ({ SecretString: token }));
    await (await worker.cache.client()).set('auth', 'v');

    // WHEN the token changes on the server and in Secrets Manager, and the worker's connection is
    // closed while it is frozen (a connection open before the change stays authenticated)
    await admin(PASSWORD, (client) => client.configSet('requirepass', 'second-token'));
    token = 'second-token';
    freeze(IDLE_SPELL_MS);
    const value = await (await worker.cache.client()).get('auth');

    // THEN the caller's first attempt succeeds, after one reload of the secret
    expect(value).toBe('v');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'cache refused the AUTH token; reloading the secret',
        reason: expect.stringMatching(/^WRONGPASS/),
      }),
    );
  });
});
