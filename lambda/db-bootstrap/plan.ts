import { escapeIdentifier, escapeLiteral } from 'pg';
import { BOOTSTRAP_EXTENSIONS, ROLE_NAME_PATTERN, type BootstrapProperties, type BootstrapRoleSpec } from '../../lib/core/database-roles';

/** One statement of the bootstrap, with what it does in words (logs and error messages never carry the SQL: it may hold a password). */
export interface PlannedStatement {
  readonly description: string;
  readonly sql: string;
}

/** The roles' passwords in password mode (from their secrets); absent in IAM mode. */
export interface RolePasswords {
  readonly application?: string;
  readonly monitoring?: string;
}

/**
 * The custom resource's properties as CloudFormation delivers them (every scalar a string), checked.
 * Throws an Error naming the property at fault.
 */
export function parseBootstrapProperties(raw: Readonly<Record<string, unknown>>): BootstrapProperties {
  const text = (name: string, value: unknown = raw[name]): string => {
    if (typeof value !== 'string' || value === '') throw new Error(`bootstrap property ${name} is missing`);
    return value;
  };
  const integer = (name: string, value: unknown): number => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new Error(`bootstrap property ${name} ('${String(value)}') must be an integer`);
    return n;
  };
  const role = (name: string): BootstrapRoleSpec => {
    const value = raw[name] as Record<string, unknown> | undefined;
    if (!value || typeof value !== 'object') throw new Error(`bootstrap property ${name} is missing`);
    const roleName = text(`${name}.name`, value.name);
    if (!ROLE_NAME_PATTERN.test(roleName)) throw new Error(`bootstrap property ${name}.name ('${roleName}') is not a valid role name`);
    return {
      name: roleName,
      connectionLimit: integer(`${name}.connectionLimit`, value.connectionLimit),
      statementTimeoutMs: integer(`${name}.statementTimeoutMs`, value.statementTimeoutMs),
      secretArn: typeof value.secretArn === 'string' && value.secretArn !== '' ? value.secretArn : undefined,
    };
  };
  const list = (name: string): string[] => {
    const value = raw[name] ?? [];
    if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) throw new Error(`bootstrap property ${name} must be a list of strings`);
    return value as string[];
  };
  const extensions = list('extensions');
  for (const extension of extensions) {
    if (!ROLE_NAME_PATTERN.test(extension)) throw new Error(`bootstrap property extensions: '${extension}' is not a valid extension name`);
  }
  const iamAuth = raw.iamAuth === true || raw.iamAuth === 'true';
  const properties: BootstrapProperties = {
    host: text('host'),
    port: integer('port', raw.port),
    database: text('database'),
    masterSecretArn: text('masterSecretArn'),
    iamAuth,
    extensions: raw.extensions === undefined ? BOOTSTRAP_EXTENSIONS : extensions,
    application: role('application'),
    monitoring: role('monitoring'),
    statements: list('statements'),
  };
  if (properties.application.name === properties.monitoring.name) {
    throw new Error(`bootstrap: the application and monitoring roles must differ (both '${properties.application.name}')`);
  }
  for (const spec of [properties.application, properties.monitoring]) {
    if (!iamAuth && !spec.secretArn) throw new Error(`bootstrap: role '${spec.name}' has no secretArn, which password mode needs`);
  }
  return properties;
}

/**
 * Every statement of the bootstrap, in order; each is idempotent, so applying the plan again (every
 * stack update, a retry after a failure) leaves the same state. The handler runs them in one
 * transaction: a failure anywhere leaves the database as it was.
 *
 * The master user on RDS is `rds_superuser`, not a superuser, so the plan never names SUPERUSER,
 * REPLICATION or BYPASSRLS (only a superuser may, even to switch them off); a new role has none of
 * them, and a check fails the bootstrap if someone gave one to these roles by hand.
 */
export function bootstrapPlan(properties: BootstrapProperties, passwords: RolePasswords): PlannedStatement[] {
  const { application: app, monitoring: mon } = properties;
  const appId = escapeIdentifier(app.name);
  const monId = escapeIdentifier(mon.name);
  const database = escapeIdentifier(properties.database);
  return [
    ...properties.extensions.map((extension) => ({
      description: `create extension ${extension}`,
      sql: `CREATE EXTENSION IF NOT EXISTS ${escapeIdentifier(extension)}`,
    })),
    ...roleStatements(app, properties.iamAuth ? undefined : passwords.application, 'application'),
    // PostgreSQL 16+: a CREATEROLE user (rds_superuser) must be a member of a role to give it a
    // schema; the grant gives the master user the role's rights, not the role the master's.
    { description: `make the master user a member of ${app.name}`, sql: `GRANT ${appId} TO CURRENT_USER` },
    {
      description: `create schema ${app.name} owned by ${app.name}`,
      sql: `CREATE SCHEMA IF NOT EXISTS ${appId} AUTHORIZATION ${appId}`,
    },
    { description: `give schema ${app.name} to ${app.name}`, sql: `ALTER SCHEMA ${appId} OWNER TO ${appId}` },
    { description: `let ${app.name} connect to ${properties.database}`, sql: `GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${appId}` },
    ...roleStatements(mon, properties.iamAuth ? undefined : passwords.monitoring, 'monitoring'),
    { description: `grant pg_monitor to ${mon.name}`, sql: `GRANT pg_monitor TO ${monId}` },
    { description: `let ${mon.name} connect to ${properties.database}`, sql: `GRANT CONNECT ON DATABASE ${database} TO ${monId}` },
    properties.iamAuth
      ? // RDS: a member of rds_iam must log in with an IAM token; its password is no longer accepted.
        { description: `grant rds_iam to ${app.name} and ${mon.name}`, sql: `GRANT rds_iam TO ${appId}, ${monId}` }
      : {
          description: `revoke rds_iam from ${app.name} and ${mon.name} (password mode)`,
          sql: `DO $bootstrap$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'rds_iam') THEN REVOKE rds_iam FROM ${appId}, ${monId}; END IF; END $bootstrap$`,
        },
    ...properties.statements.map((sql, i) => ({ description: `your statement ${i + 1} of ${properties.statements.length}`, sql })),
  ];
}

function roleStatements(spec: BootstrapRoleSpec, password: string | undefined, what: string): PlannedStatement[] {
  const id = escapeIdentifier(spec.name);
  const name = escapeLiteral(spec.name);
  return [
    {
      description: `create the ${what} role ${spec.name}`,
      sql: `DO $bootstrap$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${name}) THEN CREATE ROLE ${id}; END IF; END $bootstrap$`,
    },
    {
      description: `check that ${spec.name} is no superuser`,
      sql: `DO $bootstrap$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${name} AND (rolsuper OR rolreplication OR rolbypassrls)) THEN RAISE EXCEPTION 'role % has SUPERUSER, REPLICATION or BYPASSRLS, given outside the bootstrap; remove it (ALTER ROLE % NOSUPERUSER NOREPLICATION NOBYPASSRLS) and deploy again', ${name}, ${name}; END IF; END $bootstrap$`,
    },
    {
      description: `set the attributes of ${spec.name}`,
      sql: `ALTER ROLE ${id} WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE CONNECTION LIMIT ${spec.connectionLimit} PASSWORD ${password === undefined ? 'NULL' : escapeLiteral(password)}`,
    },
    spec.statementTimeoutMs > 0
      ? { description: `set statement_timeout of ${spec.name}`, sql: `ALTER ROLE ${id} SET statement_timeout = ${spec.statementTimeoutMs}` }
      : { description: `reset statement_timeout of ${spec.name}`, sql: `ALTER ROLE ${id} RESET statement_timeout` },
  ];
}
