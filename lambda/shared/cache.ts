import {
  ClientClosedError,
  ClientOfflineError,
  createClient,
  ErrorReply,
  SocketClosedUnexpectedlyError,
  type RedisClientOptions,
  type RedisClientType,
} from '@redis/client';
import { cacheSettings, type Environment } from './config';
import { secretField, type SecretSource } from './secrets';
import type { WorkerLogger } from './logger';
import { tracedCall, type WorkerTracer } from './tracer';
import { CACHE_CONNECT_TIMEOUT_MS } from '../../lib/core/worker-timing';

/** The cache client jobs use (node-redis, RESP3). */
export type CacheClient = RedisClientType;

// How long a connection attempt may take: in lib/core/worker-timing.ts, part of a batch's worst case.
export { CACHE_CONNECT_TIMEOUT_MS };

/**
 * The cache's `timeout` parameter (`cacheParameters()` in lib/core/cache.ts; a unit test keeps
 * the two equal): the server closes a connection idle this long. A Lambda execution environment is
 * frozen between invocations, often for longer, and its socket still looks ready when it thaws.
 */
export const CACHE_SERVER_IDLE_TIMEOUT_SECONDS = 300;
/**
 * A connection idle this long is replaced before its next command instead of used: by then the
 * server has closed it, or is about to (it checks idle clients about once a second), and a command
 * sent into that close would fail. Five seconds short of the server's timeout avoids the race.
 */
export const CACHE_MAX_IDLE_MS = (CACHE_SERVER_IDLE_TIMEOUT_SECONDS - 5) * 1_000;

export interface CacheConnectionOptions {
  /**
   * Called when the server rejects the AUTH token (WRONGPASS, NOAUTH): the token was changed under
   * a running worker, and the next connection must read it afresh.
   *
   * @default - nothing is forgotten
   */
  readonly onAuthenticationFailure?: () => void;
  /** @default CACHE_MAX_IDLE_MS */
  readonly maxIdleMs?: number;
  /**
   * Records each command (with its retry) as an X-Ray subsegment `## valkey <COMMAND>`; keys and
   * values are never recorded.
   *
   * @default - no tracing
   */
  readonly tracer?: WorkerTracer;
}

/**
 * One cache connection per execution environment, opened on first use and replaced when it broke,
 * sat idle past the server's timeout, or was refused its credentials.
 *
 * Commands fail fast while the cache is down (no offline queue, no background reconnect loop), so
 * the records that need it fail and SQS retries them after the visibility timeout; the next record
 * after the outage opens a fresh connection. A reconnect loop would instead hold every command
 * until the Lambda timeout, failing the whole batch, successes included.
 *
 * What `client()` returns sends each command to the current connection, and retries a command once,
 * on a fresh connection, when it met a closed socket (the server closed an idle connection, a node
 * failed over) or was refused for its credentials (after forgetting the token). The command may then
 * run twice; jobs are safe to retry by contract (JobDefinition.run), as SQS redelivers them anyway.
 * Transactions (`multi()`) and iterators (`scanIterator()`) are not retried: they span several
 * round trips on the connection they started on.
 */
export class CacheConnection {
  /** The connection most recently opened; it may since have broken or been closed. */
  private current?: CacheClient;
  private connecting?: Promise<CacheClient>;
  /** When the current connection last heard from the server (Date.now(): it advances while Lambda is frozen). */
  private lastUsed = 0;
  private readonly maxIdleMs: number;
  private readonly facade: CacheClient;

  constructor(
    private readonly options: () => Promise<RedisClientOptions>,
    private readonly logger: WorkerLogger,
    private readonly settings: CacheConnectionOptions = {},
  ) {
    this.maxIdleMs = settings.maxIdleMs ?? CACHE_MAX_IDLE_MS;
    this.facade = this.createFacade();
  }

  /** A connected client; opens one when there is none, the last one broke, or it sat idle too long. */
  async client(): Promise<CacheClient> {
    const current = this.current;
    if (current?.isReady) {
      const idleMs = Date.now() - this.lastUsed;
      if (idleMs < this.maxIdleMs) return this.facade;
      this.logger.debug('replacing an idle cache connection', { idleMs });
    }
    await this.reconnect(true);
    return this.facade;
  }

  /** Closes the connection (tests; Lambda simply freezes the environment); client() opens another. */
  async close(): Promise<void> {
    if (this.current?.isOpen) this.current.destroy();
  }

  /** One new connection at a time, however many commands asked for it. */
  private reconnect(retryOnAuthFailure: boolean): Promise<CacheClient> {
    this.connecting ??= this.connect(retryOnAuthFailure).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(retryOnAuthFailure: boolean): Promise<CacheClient> {
    // Commands sent meanwhile fail on the closed connection and are retried on the new one.
    if (this.current?.isOpen) this.current.destroy();
    try {
      return await this.open();
    } catch (error) {
      if (!retryOnAuthFailure || !isAuthenticationFailure(error)) throw error;
      this.forgetCredentials(error as Error);
      return this.open();
    }
  }

  private async open(): Promise<CacheClient> {
    const options = await this.options();
    const client = createClient({
      ...options,
      disableOfflineQueue: true,
      socket: { ...options.socket, connectTimeout: CACHE_CONNECT_TIMEOUT_MS, reconnectStrategy: false },
    }) as unknown as CacheClient;
    // Without a listener an 'error' event would crash the process; a broken connection is reopened
    // by the next client() call or command retry instead.
    client.on('error', (error: Error) => this.logger.warn('cache connection error', { reason: error.message }));
    try {
      await client.connect();
    } catch (error) {
      // A refused AUTH leaves the socket open.
      if (client.isOpen) client.destroy();
      throw error;
    }
    this.current = client;
    this.lastUsed = Date.now();
    return client;
  }

  private forgetCredentials(error: Error): void {
    this.logger.warn('cache refused the AUTH token; reloading the secret', { reason: error.message });
    this.settings.onAuthenticationFailure?.();
  }

  /**
   * A stand-in for the node-redis client whose commands run on the current connection with one
   * retry (see the class comment); everything else is the current connection's own.
   */
  private createFacade(): CacheClient {
    return new Proxy({} as CacheClient, {
      get: (_, property) => {
        // Never a thenable: `await connection.client()` must resolve to the facade itself.
        if (property === 'then') return undefined;
        // Set before client() first hands the facade out, and never unset.
        const client = this.current!;
        const value: unknown = Reflect.get(client, property, client);
        if (typeof value !== 'function') return value;
        if (NOT_RETRIED.has(property)) return (value as (...args: unknown[]) => unknown).bind(client);
        return (...args: unknown[]) => tracedCall(this.settings.tracer, `## valkey ${String(property)}`, () => this.send(client, property, args));
      },
    });
  }

  private send(client: CacheClient, property: string | symbol, args: unknown[]): unknown {
    const result = call(client, property, args);
    // Not a command (an event-emitter method, multi(), an iterator): returned as it is. Commands
    // are async functions in node-redis, so they never throw before returning their promise.
    if (!(result instanceof Promise)) return result;
    return result.then(
      (reply: unknown) => {
        this.lastUsed = Date.now();
        return reply;
      },
      async (error: unknown) => {
        const reason = retryReason(error);
        if (reason === undefined) {
          if (error instanceof ErrorReply) this.lastUsed = Date.now(); // the server answered
          throw error;
        }
        this.logger.warn('cache command failed; retrying once on a fresh connection', {
          command: String(property),
          reason: (error as Error).message,
        });
        if (reason === 'credentials') this.forgetCredentials(error as Error);
        // Another command may have replaced the connection already.
        const fresh = this.current !== client && this.current?.isReady ? this.current : await this.reconnect(reason !== 'credentials');
        const reply = await call(fresh, property, args);
        this.lastUsed = Date.now();
        return reply;
      },
    );
  }
}

/** Methods that open, close or hold a connection: retrying them on another would change their meaning. */
const NOT_RETRIED: ReadonlySet<string | symbol> = new Set([
  'connect',
  'close',
  'destroy',
  'disconnect',
  'quit',
  'QUIT',
  'subscribe',
  'SUBSCRIBE',
  'pSubscribe',
  'PSUBSCRIBE',
  'sSubscribe',
  'SSUBSCRIBE',
  'unsubscribe',
  'UNSUBSCRIBE',
  'pUnsubscribe',
  'PUNSUBSCRIBE',
  'sUnsubscribe',
  'SUNSUBSCRIBE',
]);

function call(client: CacheClient, property: string | symbol, args: unknown[]): unknown {
  return (Reflect.get(client, property, client) as (...a: unknown[]) => unknown).apply(client, args);
}

function isAuthenticationFailure(error: unknown): boolean {
  return error instanceof ErrorReply && /^(WRONGPASS|NOAUTH)\b/.test(error.message);
}

/** Why a failed command is worth one more try on a fresh connection, or undefined when it is not. */
function retryReason(error: unknown): 'closed' | 'credentials' | undefined {
  if (isAuthenticationFailure(error)) return 'credentials';
  if (error instanceof SocketClosedUnexpectedlyError || error instanceof ClientClosedError || error instanceof ClientOfflineError) return 'closed';
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' ? 'closed' : undefined;
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
      ...(auth === undefined
        ? {}
        : typeof auth === 'string'
          ? { password: auth }
          : {
              username: secretField(auth, 'username'),
              password: secretField(auth, 'authToken') ?? secretField(auth, 'token') ?? secretField(auth, 'password'),
            }),
    };
  };
}
