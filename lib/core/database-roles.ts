import { ADMIN_RESERVED_CONNECTIONS, DEFAULT_MASTER_USERNAME, RDS_SUPERUSER_RESERVED_CONNECTIONS } from './database';
import { DATABASE_STATEMENT_TIMEOUT_MS } from './worker-timing';

/**
 * The database roles the Database's bootstrap creates at deploy time, and the contract between the
 * construct (lib/database/bootstrap.ts) and the function that applies them (lambda/db-bootstrap):
 * plain data, one place, so the two cannot drift apart.
 */

/**
 * The role the web tasks and the jobs worker log in as. It owns the schema of the same name, which
 * PostgreSQL's default `search_path` ("$user", public) puts first: unqualified table names land
 * there with no `SET search_path`.
 */
export const DEFAULT_APPLICATION_ROLE = 'app';

/** The role the database insights worker logs in as: `pg_monitor`, no application tables. */
export const DEFAULT_MONITORING_ROLE = 'monitoring';

/**
 * Connections the monitoring role may hold: the insights worker's pool (2, DATABASE_POOL_SIZE) and
 * one operator session beside it. They count against the admin reserve (ADMIN_RESERVED_CONNECTIONS),
 * which is where monitoring connections are budgeted.
 */
export const DEFAULT_MONITORING_CONNECTION_LIMIT = 3;

/**
 * The application role's server-side statement timeout (`ALTER ROLE … SET statement_timeout`):
 * the workers' DATABASE_STATEMENT_TIMEOUT_MS, which RDS Proxy will not let a client send as a
 * start-up parameter (see lib/core/worker-timing.ts). The role setting applies to every session the
 * role opens, through the proxy or not; a transaction may still `SET LOCAL statement_timeout`.
 */
export const APPLICATION_STATEMENT_TIMEOUT_MS = DATABASE_STATEMENT_TIMEOUT_MS;

/** The monitoring role's statement timeout: the insights worker's statistics queries take the same 10 s bound. */
export const MONITORING_STATEMENT_TIMEOUT_MS = DATABASE_STATEMENT_TIMEOUT_MS;

/**
 * The extensions the parameter group preloads (`shared_preload_libraries`), created in the
 * application database: the insights report reads pg_stat_statements.
 */
export const BOOTSTRAP_EXTENSIONS: readonly string[] = ['pg_stat_statements'];

/**
 * A role name PostgreSQL takes unquoted: lower case letters, digits and `_`, starting with a letter
 * or `_`, at most 63 bytes (NAMEDATALEN − 1). `pg_` is reserved by PostgreSQL and `rds` by RDS.
 */
export const ROLE_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Why `name` cannot be a bootstrap role, or undefined when it can. */
export function roleNameProblem(prop: string, name: string, masterUsername: string = DEFAULT_MASTER_USERNAME): string | undefined {
  if (!ROLE_NAME_PATTERN.test(name)) {
    return `${prop} ('${name}') must be 1 to 63 lower-case letters, digits or '_', starting with a letter or '_'`;
  }
  if (name.startsWith('pg_') || name.startsWith('rds'))
    return `${prop} ('${name}') must not start with 'pg_' or 'rds' (reserved by PostgreSQL and RDS)`;
  if (name === masterUsername || name === 'public') return `${prop} ('${name}') must not be the master user or 'public'; choose another name`;
  return undefined;
}

/**
 * The application role's default connection limit: what the application may hold without eating
 * into RDS's superuser slots or the admin reserve (max_connections − 3 − 10); behind RDS Proxy, the
 * proxy's share of max_connections, since every application connection then comes from the proxy.
 * Never below 1.
 */
export function defaultApplicationConnectionLimit(maxConnections: number, proxyMaxConnectionsPercent?: number): number {
  const limit =
    proxyMaxConnectionsPercent === undefined
      ? maxConnections - RDS_SUPERUSER_RESERVED_CONNECTIONS - ADMIN_RESERVED_CONNECTIONS
      : Math.floor((maxConnections * proxyMaxConnectionsPercent) / 100);
  return Math.max(1, limit);
}

/** One role the bootstrap creates or brings up to date. */
export interface BootstrapRoleSpec {
  /** The role name, checked by roleNameProblem(). */
  readonly name: string;
  /** `CONNECTION LIMIT` (−1: none). */
  readonly connectionLimit: number;
  /** `ALTER ROLE … SET statement_timeout`, ms (0: none). */
  readonly statementTimeoutMs: number;
  /**
   * ARN of a secret holding `{ username, password }`: the bootstrap sets the role's password from
   * it (password mode). Absent in IAM mode, where the role logs in with IAM tokens only.
   */
  readonly secretArn?: string;
}

/**
 * The custom resource's properties (every value a string or a JSON string in CloudFormation's
 * transport; lambda/db-bootstrap parses them with `parseBootstrapProperties`).
 */
export interface BootstrapProperties {
  /** The instance's own endpoint (never the proxy: the master user logs in with its password). */
  readonly host: string;
  readonly port: number;
  /** The application database. */
  readonly database: string;
  /** The master user's secret (`username`, `password`). */
  readonly masterSecretArn: string;
  /** IAM mode: `GRANT rds_iam` to both roles (password login off for them); else REVOKE it. */
  readonly iamAuth: boolean;
  readonly extensions: readonly string[];
  readonly application: BootstrapRoleSpec;
  readonly monitoring: BootstrapRoleSpec;
  /** The user's own idempotent statements, run in order after the bootstrap's, in one transaction with them. */
  readonly statements: readonly string[];
}
