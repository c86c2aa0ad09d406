import { APP_ENVIRONMENT } from '../../lib/core/app-contract';

/** The environment a worker reads, as Lambda passes it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A setting that is missing or malformed. Raised when a job first needs the resource, not at module
 * load, so a worker whose jobs need no database still runs without database settings.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export interface DatabaseSettings {
  /** From DB_HOST, else the secret's `host`. */
  readonly host?: string;
  readonly port?: number;
  /** From DB_NAME, else the secret's `dbname`. */
  readonly database?: string;
  /** ARN of the secret holding `username` and `password` (DB_SECRET_ARN). */
  readonly secretArn?: string;
  /** DB_USER: the database user, before the secret's `username` (IAM mode has no secret). */
  readonly user?: string;
  /**
   * TLS with certificate and host-name verification, unless PGSSLMODE is 'disable' (a local
   * database), against the CAs shipped with the code (DATABASE_TRUSTED_CAS in database.ts): the RDS
   * CAs for the instance, the Amazon roots for RDS Proxy's ACM certificate.
   */
  readonly tls: boolean;
  /** DB_IAM_AUTH: sign an IAM token as the password instead of the secret's `password`. */
  readonly iamAuth: boolean;
  /**
   * DB_PROXY: the host is an RDS Proxy endpoint, which refuses connection start-up parameters it
   * does not support (see database.ts), so the pool sends none beyond what `pg` always sends.
   */
  readonly proxy: boolean;
  /** DB_POOL_MAX: the most connections the pool opens (absent: the caller's default, DATABASE_POOL_SIZE). */
  readonly poolMax?: number;
}

/** DB_POOL_MAX's range: one connection up to node-postgres' 100 pooled clients per process the profile rules allow the web tier. */
export const DB_POOL_MAX_RANGE = { min: 1, max: 100 } as const;

export interface CacheSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** ARN of the secret holding the AUTH token (CACHE_AUTH_SECRET_ARN). */
  readonly authSecretArn?: string;
}

/** The database settings in `env`; throws a ConfigurationError naming the variable at fault. */
export function databaseSettings(env: Environment): DatabaseSettings {
  const e = APP_ENVIRONMENT;
  const sslMode = env.PGSSLMODE;
  if (sslMode !== undefined && !['disable', 'require', 'verify-full'].includes(sslMode)) {
    throw new ConfigurationError(`PGSSLMODE ('${sslMode}') must be 'disable', 'require' or 'verify-full'`);
  }
  const settings: DatabaseSettings = {
    host: nonEmpty(env[e.databaseHost]),
    port: port(e.databasePort, env[e.databasePort]),
    database: nonEmpty(env[e.databaseName]),
    secretArn: nonEmpty(env[e.databaseSecretArn]),
    user: nonEmpty(env[e.databaseUser]),
    tls: sslMode !== 'disable',
    iamAuth: flag(e.databaseIamAuth, env[e.databaseIamAuth]),
    proxy: flag(e.databaseProxy, env[e.databaseProxy]),
    poolMax: poolMax(e.databasePoolMax, env[e.databasePoolMax]),
  };
  if (!settings.secretArn && !settings.host) {
    throw new ConfigurationError(
      `the database is not configured: set ${e.databaseSecretArn} (and ${e.databaseHost}, ${e.databasePort}, ${e.databaseName})`,
    );
  }
  // `pg` reads PGOPTIONS by itself and sends it as the `options` start-up parameter, which the proxy
  // would refuse on every connection: say so at the first query instead.
  if (settings.proxy && nonEmpty(env.PGOPTIONS) !== undefined) {
    throw new ConfigurationError(
      `PGOPTIONS ('${env.PGOPTIONS}') cannot be used with ${e.databaseProxy}=true: RDS Proxy refuses the 'options' start-up parameter; unset PGOPTIONS`,
    );
  }
  return settings;
}

/** The cache settings in `env`; throws a ConfigurationError naming the variable at fault. */
export function cacheSettings(env: Environment): CacheSettings {
  const e = APP_ENVIRONMENT;
  const host = nonEmpty(env[e.cacheHost]);
  if (!host)
    throw new ConfigurationError(`the cache is not configured: set ${e.cacheHost} (and ${e.cachePort}, ${e.cacheTls}, ${e.cacheAuthSecretArn})`);
  return {
    host,
    port: port(e.cachePort, env[e.cachePort]) ?? 6379,
    tls: flag(e.cacheTls, env[e.cacheTls] ?? 'true'),
    authSecretArn: nonEmpty(env[e.cacheAuthSecretArn]),
  };
}

/** 'true' or 'false' (absent = false); anything else names the variable. */
function flag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (value !== 'true' && value !== 'false') throw new ConfigurationError(`${name} ('${value}') must be 'true' or 'false'`);
  return value === 'true';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function poolMax(name: string, value: string | undefined): number | undefined {
  if (nonEmpty(value) === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < DB_POOL_MAX_RANGE.min || n > DB_POOL_MAX_RANGE.max) {
    throw new ConfigurationError(
      `${name} ('${value}') must be a whole number of connections from ${DB_POOL_MAX_RANGE.min} to ${DB_POOL_MAX_RANGE.max}`,
    );
  }
  return n;
}

function port(name: string, value: string | undefined): number | undefined {
  if (nonEmpty(value) === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigurationError(`${name} ('${value}') must be a port number from 1 to 65535`);
  return n;
}
