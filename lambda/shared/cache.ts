import { createClient, type RedisClientOptions, type RedisClientType } from '@redis/client';
import { cacheSettings, type Environment } from './config';
import { secretField, type SecretSource } from './secrets';
import type { WorkerLogger } from './job';

/** The cache client jobs use (node-redis, RESP3). */
export type CacheClient = RedisClientType;

/** How long a connection attempt may take before the records that need it fail and are retried. */
export const CACHE_CONNECT_TIMEOUT_MS = 2_000;

/**
 * One cache connection per execution environment, opened on first use and reopened after it breaks.
 *
 * Commands fail fast while the cache is down (no offline queue, no background reconnect loop), so
 * the records that need it fail and SQS retries them after the visibility timeout; the next record
 * after the outage opens a fresh connection. A reconnect loop would instead hold every command
 * until the Lambda timeout, failing the whole batch, successes included.
 */
export class CacheConnection {
  private current?: CacheClient;
  private connecting?: Promise<CacheClient>;

  constructor(
    private readonly options: () => Promise<RedisClientOptions>,
    private readonly logger: WorkerLogger,
  ) {}

  /** A connected client; opens one when there is none or the last one broke. */
  client(): Promise<CacheClient> {
    if (this.current?.isReady) return Promise.resolve(this.current);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Closes the connection (tests; Lambda simply freezes the environment). */
  async close(): Promise<void> {
    const client = this.current;
    this.current = undefined;
    if (client?.isOpen) client.destroy();
  }

  private async connect(): Promise<CacheClient> {
    const previous = this.current;
    this.current = undefined;
    if (previous?.isOpen) previous.destroy();
    const options = await this.options();
    const client = createClient({
      ...options,
      disableOfflineQueue: true,
      socket: { ...options.socket, connectTimeout: CACHE_CONNECT_TIMEOUT_MS, reconnectStrategy: false },
    }) as unknown as CacheClient;
    // Without a listener an 'error' event would crash the process; a broken connection is reopened
    // by the next client() call instead.
    client.on('error', (error: Error) => this.logger.warn('cache connection error', { reason: error.message }));
    await client.connect();
    this.current = client;
    return client;
  }
}

/** Client options from the environment: TLS and the AUTH token from Secrets Manager when configured. */
export function cacheOptionsFrom(env: Environment, secrets: SecretSource): () => Promise<RedisClientOptions> {
  return async () => {
    const settings = cacheSettings(env);
    const auth = settings.authSecretArn ? await secrets.get(settings.authSecretArn) : undefined;
    const socket = settings.tls
      ? { host: settings.host, port: settings.port, tls: true as const, servername: settings.host }
      : { host: settings.host, port: settings.port };
    return {
      socket,
      // ElastiCache AUTH tokens are plain strings, or JSON with a token (and an RBAC username).
      ...(auth === undefined ? {} : typeof auth === 'string'
        ? { password: auth }
        : { username: secretField(auth, 'username'), password: secretField(auth, 'authToken') ?? secretField(auth, 'token') ?? secretField(auth, 'password') }),
    };
  };
}
