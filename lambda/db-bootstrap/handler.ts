import { Client, type ClientConfig } from 'pg';
import type { SecretSource } from '../shared/secrets';
import { secretField } from '../shared/secrets';
import { secureContextFor } from '../shared/database';
import type { WorkerLogger } from '../shared/logger';
import { bootstrapPlan, parseBootstrapProperties, type RolePasswords } from './plan';

/** The custom-resources Provider framework's event for its onEvent handler (the fields used here). */
export interface BootstrapEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Readonly<Record<string, unknown>>;
}

/** What the Provider framework reports to CloudFormation (a thrown error becomes FAILED with its message). */
export interface BootstrapResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

export interface BootstrapDependencies {
  readonly secrets: SecretSource;
  readonly logger: WorkerLogger;
  /** The CAs the instance's certificate must chain to; false: no TLS (a local test database). */
  readonly trustedCas: readonly string[] | false;
  /** Connection attempts before giving up (an instance that just became available may refuse the first). */
  readonly connectAttempts: number;
  /** Pause between attempts. */
  readonly retryDelayMs: number;
  /** Per attempt. */
  readonly connectTimeoutMs: number;
}

/** PostgreSQL's codes for a refused login: retrying with the same password cannot help. */
const AUTHENTICATION_FAILURES = new Set(['28P01', '28000']);

/**
 * Creates or updates the database roles (Create and Update), or does nothing (Delete: the roles,
 * their schema and their data stay; dropping them would destroy the application's tables). Every
 * failure throws an Error whose message says what failed and the database's own words, which the
 * Provider framework puts in the CloudFormation event; nothing is half-applied, since the whole
 * plan runs in one transaction.
 */
export async function handleBootstrap(event: BootstrapEvent, deps: BootstrapDependencies): Promise<BootstrapResponse> {
  if (event.RequestType === 'Delete') {
    // Before anything that could throw: a delete that failed would leave the stack stuck in DELETE_FAILED.
    deps.logger.info('delete: the roles, their schema and their data are kept', { physicalId: event.PhysicalResourceId });
    return { PhysicalResourceId: event.PhysicalResourceId ?? 'database-bootstrap' };
  }
  const properties = parseBootstrapProperties(event.ResourceProperties);
  const physicalId = `${properties.database}/${properties.application.name}/${properties.monitoring.name}`;

  const master = await deps.secrets.get(properties.masterSecretArn);
  const user = secretField(master, 'username');
  const password = secretField(master, 'password');
  if (!user || !password) throw new Error(`the master secret ${properties.masterSecretArn} has no username or password`);
  const passwords: RolePasswords = properties.iamAuth
    ? {}
    : {
        application: await rolePassword(deps.secrets, properties.application.secretArn!, properties.application.name),
        monitoring: await rolePassword(deps.secrets, properties.monitoring.secretArn!, properties.monitoring.name),
      };
  const plan = bootstrapPlan(properties, passwords);

  const client = await connect(
    {
      host: properties.host,
      port: properties.port,
      database: properties.database,
      user,
      password,
      ssl: deps.trustedCas ? { secureContext: secureContextFor(deps.trustedCas), rejectUnauthorized: true } : false,
      connectionTimeoutMillis: deps.connectTimeoutMs,
      application_name: 'db-bootstrap',
    },
    deps,
  );
  try {
    await client.query('BEGIN');
    for (const statement of plan) {
      try {
        await client.query(statement.sql);
      } catch (error) {
        throw new Error(`bootstrap failed at "${statement.description}": ${describe(error)}; nothing was applied`, { cause: error });
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
  deps.logger.info('bootstrap applied', { statements: plan.map((s) => s.description), iamAuth: properties.iamAuth });
  return {
    PhysicalResourceId: physicalId,
    Data: { ApplicationRole: properties.application.name, MonitoringRole: properties.monitoring.name },
  };
}

async function rolePassword(secrets: SecretSource, arn: string, role: string): Promise<string> {
  const password = secretField(await secrets.get(arn), 'password');
  if (!password) throw new Error(`the secret of role ${role} (${arn}) has no password`);
  return password;
}

/** A connected client, after up to `connectAttempts` tries; a refused login is not retried. */
async function connect(config: ClientConfig, deps: BootstrapDependencies): Promise<Client> {
  for (let attempt = 1; ; attempt++) {
    const client = new Client(config);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code;
      const final = attempt >= deps.connectAttempts || (code !== undefined && AUTHENTICATION_FAILURES.has(code));
      const where = `${config.host}:${config.port} database ${config.database} as ${config.user}`;
      if (final) {
        throw new Error(`cannot connect to ${where} after ${attempt} attempt(s): ${describe(error)}`, { cause: error });
      }
      deps.logger.warn('connect failed, retrying', { where, attempt, reason: describe(error) });
      await new Promise((resolve) => setTimeout(resolve, deps.retryDelayMs));
    }
  }
}

/** The database's message with its SQLSTATE, or the network error's. */
function describe(error: unknown): string {
  const e = error as { message?: string; code?: string };
  const message = e.message || String(error);
  return e.code ? `${message} (${/^[0-9A-Z]{5}$/.test(e.code) ? 'SQLSTATE ' : ''}${e.code})` : message;
}
