import {
  ADMIN_RESERVED_CONNECTIONS,
  BOOTSTRAP_CONNECTIONS,
  GRAVITON_INSTANCE_CLASSES,
  INSIGHTS_DATABASE_POOL_SIZE,
  INSIGHTS_MAX_CONCURRENCY,
  PROXY_MAX_CONNECTIONS_PERCENT,
  RDS_SUPERUSER_RESERVED_CONNECTIONS,
} from '../database';
import type { Profile } from '../profiles/profile';
import { DATABASE_POOL_SIZE } from '../worker-timing';
import { maxConnectionsFor } from './engine-memory';

/** The numbers the connection budget is computed from. */
export interface ConnectionBudgetInput {
  /** max_connections of the instance. */
  readonly maxConnections: number;
  /** The instance class, to suggest a larger one that fits. */
  readonly instanceClass?: string;
  /** Web service tasks at the autoscaling ceiling. */
  readonly webMaxTasks: number;
  /** Connections each web task's pool may open (DB_POOL_MAX of the web container). */
  readonly poolSizePerWebTask: number;
  /** Concurrent Lambda worker invocations at the ceiling. */
  readonly workerMaxConcurrency: number;
  /** Connections each worker execution environment's pool may open (DATABASE_POOL_SIZE for the jobs worker). */
  readonly poolSizePerWorker: number;
  /**
   * Connections the database insights worker opens at the worst case (its pool × its concurrency).
   * It connects to the instance itself, never through the proxy.
   *
   * @default 0 - no insights worker
   */
  readonly insightsConnections?: number;
  /**
   * Connections the database bootstrap opens while a deployment runs it, straight to the instance.
   *
   * @default 0 - no bootstrap
   */
  readonly bootstrapConnections?: number;
  /**
   * Connections kept for migrations, psql and monitoring, made straight to the instance.
   *
   * @default ADMIN_RESERVED_CONNECTIONS (10)
   */
  readonly adminReserve?: number;
  /**
   * The proxy's share of max_connections in percent, when the web tasks and the jobs worker connect
   * through RDS Proxy.
   *
   * @default - no proxy: clients connect to the instance
   */
  readonly proxyMaxConnectionsPercent?: number;
}

/** The worst case set against what the database allows. */
export interface ConnectionBudget {
  /** Connections every client opens at the worst case: every pool full at every task and invocation. */
  readonly demand: number;
  /**
   * Connections the application may use: max_connections less the reserves, or with a proxy the
   * proxy's share (which the web tasks and the jobs worker go through).
   */
  readonly capacity: number;
  /** capacity − the demand set against it; negative when over budget. */
  readonly headroom: number;
  /** How the numbers were reached, for messages and the README. */
  readonly explanation: string;
  /** Set when the budget does not hold: by how much, and the fixes. */
  readonly problems: readonly string[];
}

/** The clients' numbers `connectionDemand()` adds up. */
export type ConnectionDemandInput = Pick<
  ConnectionBudgetInput,
  'webMaxTasks' | 'poolSizePerWebTask' | 'workerMaxConcurrency' | 'poolSizePerWorker' | 'insightsConnections' | 'bootstrapConnections'
>;

/** Connections of the clients that go through the proxy when there is one: web tasks and jobs worker. */
function pooledDemand(input: ConnectionDemandInput): number {
  return input.webMaxTasks * input.poolSizePerWebTask + input.workerMaxConcurrency * input.poolSizePerWorker;
}

/** Connections of the clients that always connect to the instance itself: insights worker and bootstrap. */
function directDemand(input: ConnectionDemandInput): number {
  return (input.insightsConnections ?? 0) + (input.bootstrapConnections ?? 0);
}

/**
 * Every client's worst case: web tasks at their maximum × pool size per task + worker invocations
 * at their maximum × pool size per worker + the insights worker + the bootstrap.
 */
export function connectionDemand(input: ConnectionDemandInput): number {
  return pooledDemand(input) + directDemand(input);
}

/** Connections the insights worker opens at the worst case: INSIGHTS_MAX_CONCURRENCY × INSIGHTS_DATABASE_POOL_SIZE. */
export const INSIGHTS_CONNECTIONS = INSIGHTS_MAX_CONCURRENCY * INSIGHTS_DATABASE_POOL_SIZE;

/**
 * A profile's clients, each with the pool size its code opens: the web tasks (the profile's
 * `database.poolSizePerWebTask`, passed as DB_POOL_MAX), the jobs worker (DATABASE_POOL_SIZE, passed
 * as DB_POOL_MAX), the insights worker and the bootstrap.
 */
export function profileConnectionInput(profile: Profile): Required<ConnectionDemandInput> {
  return {
    webMaxTasks: profile.web.maxTasks,
    poolSizePerWebTask: profile.database.poolSizePerWebTask,
    workerMaxConcurrency: profile.worker.maxConcurrency,
    poolSizePerWorker: DATABASE_POOL_SIZE,
    insightsConnections: INSIGHTS_CONNECTIONS,
    bootstrapConnections: BOOTSTRAP_CONNECTIONS,
  };
}

/** `connectionDemand()` with a profile's numbers: every client ScalingStack creates. */
export function profileConnectionDemand(profile: Profile): number {
  return connectionDemand(profileConnectionInput(profile));
}

/**
 * The proxy's share of max_connections by default: PROXY_MAX_CONNECTIONS_PERCENT, lowered on small
 * classes so RDS's superuser slots, the admin reserve and the clients that connect to the instance
 * itself (`directConnections`: the insights worker and the bootstrap) always fit beside it (never
 * below 1 %). The Database construct and the right-sizing advisor's safety check both use this one rule.
 */
export function defaultProxyMaxConnectionsPercent(
  maxConnections: number,
  directConnections: number = INSIGHTS_CONNECTIONS + BOOTSTRAP_CONNECTIONS,
): number {
  const room = maxConnections - RDS_SUPERUSER_RESERVED_CONNECTIONS - ADMIN_RESERVED_CONNECTIONS - directConnections;
  return Math.max(1, Math.min(PROXY_MAX_CONNECTIONS_PERCENT, Math.floor((room * 100) / maxConnections)));
}

/**
 * A profile's connection budget: its web, worker and database sections and the stack's other
 * clients set against `maxConnections`, through the proxy when the profile has one (at
 * `proxyMaxConnectionsPercent`, by default the Database's default share). ScalingStack checks this
 * at synth; the right-sizing advisor checks its recommendations with the same call.
 */
export function checkProfileConnectionBudget(
  profile: Profile,
  maxConnections: number,
  proxyMaxConnectionsPercent: number | undefined = profile.database.proxy ? defaultProxyMaxConnectionsPercent(maxConnections) : undefined,
): ConnectionBudget {
  return checkConnectionBudget({
    maxConnections,
    instanceClass: profile.database.instanceClass,
    ...profileConnectionInput(profile),
    proxyMaxConnectionsPercent,
  });
}

/**
 * Sets every client's worst-case connections against max_connections. Without a proxy every
 * pooled client connection is a server connection, so the demand must fit max_connections less
 * RDS's superuser slots and the admin reserve. With RDS Proxy, the proxy multiplexes the web tasks
 * and the jobs worker onto at most `maxConnectionsPercent` of max_connections; the check still
 * assumes every such client is inside a transaction at once (the case multiplexing cannot help:
 * past its share, clients wait for a connection until the borrow timeout), and that the admin
 * reserve, the insights worker and the bootstrap (which connect to the instance itself) fit beside
 * the share. Pure: returns the problems rather than throwing.
 */
export function checkConnectionBudget(input: ConnectionBudgetInput): ConnectionBudget {
  const reserve = input.adminReserve ?? ADMIN_RESERVED_CONNECTIONS;
  const demand = connectionDemand(input);
  const direct = directDemand(input);
  const usable = input.maxConnections - RDS_SUPERUSER_RESERVED_CONNECTIONS;
  const worstCase = `web ${input.webMaxTasks} tasks × ${input.poolSizePerWebTask} + workers ${input.workerMaxConcurrency} × ${input.poolSizePerWorker} + insights worker ${input.insightsConnections ?? 0} + bootstrap ${input.bootstrapConnections ?? 0} = ${demand} connections at the worst case`;
  const problems: string[] = [];
  let capacity: number;
  let explanation: string;
  let headroom: number;

  if (input.proxyMaxConnectionsPercent === undefined) {
    capacity = usable - reserve;
    headroom = capacity - demand;
    explanation = `${worstCase}; max_connections ${input.maxConnections} − ${RDS_SUPERUSER_RESERVED_CONNECTIONS} RDS superuser slots − ${reserve} admin reserve = ${capacity} for the application`;
  } else {
    capacity = Math.floor((input.maxConnections * input.proxyMaxConnectionsPercent) / 100);
    headroom = capacity - pooledDemand(input);
    explanation = `${worstCase}; RDS Proxy may open ${input.proxyMaxConnectionsPercent}% of max_connections ${input.maxConnections} = ${capacity} for the web tasks and workers (${pooledDemand(input)})`;
    const besideProxy = usable - capacity;
    if (besideProxy < reserve + direct) {
      problems.push(
        `the admin reserve and the clients that connect to the instance itself do not fit beside the proxy: max_connections ${input.maxConnections} − ${RDS_SUPERUSER_RESERVED_CONNECTIONS} RDS superuser slots − ${capacity} for the proxy leaves ${besideProxy}, short of the ${reserve} admin connections + ${direct} for the insights worker and bootstrap by ${reserve + direct - besideProxy}; lower the proxy's maxConnectionsPercent or choose a larger instance class`,
      );
    }
  }

  if (headroom < 0) {
    // RDS Proxy is not offered as a fix: its share is never above what the application has without
    // it, and when every pooled connection is inside a transaction at once, each still needs a
    // server connection. What the proxy removes is idle and abandoned connections (README).
    const fixes = [
      "lower database.poolSizePerWebTask or the jobs worker's DATABASE_POOL_SIZE (lib/core/worker-timing.ts)",
      'lower web.maxTasks or worker.maxConcurrency',
      largerClassFix(input, input.proxyMaxConnectionsPercent === undefined ? demand : pooledDemand(input), reserve),
    ];
    problems.push(`connection budget exceeded by ${-headroom}: ${explanation}. Fixes: ${fixes.join('; or ')}`);
  }
  return { demand, capacity, headroom, explanation, problems };
}

/** Per-role connection limits (`ALTER ROLE … CONNECTION LIMIT n`) for the database bootstrap. */
export interface RoleConnectionLimits {
  /** The application role (web tasks and jobs worker). */
  readonly application: number;
  /** The monitoring role (the insights worker). */
  readonly monitoring: number;
}

/**
 * The connection limit of each database role, from the same numbers as the connection budget, so a
 * client that opens more than the budget counts fails at its own role's limit instead of taking
 * the slots of the others (the admin reserve, the monitoring role).
 *
 * - application: the web tasks' and jobs worker's worst case (web.maxTasks × database.poolSizePerWebTask
 *   + worker.maxConcurrency × DATABASE_POOL_SIZE). With RDS Proxy it is the proxy's share of
 *   `maxConnections` instead: the proxy opens those connections as the role and bounds itself to
 *   its share, and a lower role limit would refuse connections the proxy is allowed to open.
 * - monitoring: the insights worker's pool × its concurrency (INSIGHTS_DATABASE_POOL_SIZE ×
 *   INSIGHTS_MAX_CONCURRENCY).
 *
 * A frozen Lambda execution environment keeps its idle connection until the server closes it, so
 * a role whose limit is this tight benefits from `idle_session_timeout` on the role.
 */
export function roleConnectionLimits(
  profile: Profile,
  maxConnections: number,
  proxyMaxConnectionsPercent: number | undefined = profile.database.proxy ? defaultProxyMaxConnectionsPercent(maxConnections) : undefined,
): RoleConnectionLimits {
  const input = profileConnectionInput(profile);
  return {
    application: proxyMaxConnectionsPercent === undefined ? pooledDemand(input) : Math.floor((maxConnections * proxyMaxConnectionsPercent) / 100),
    monitoring: input.insightsConnections,
  };
}

/** "choose a larger instance class (db.t4g.small allows 225 max_connections)", or the general advice. */
function largerClassFix(input: ConnectionBudgetInput, demand: number, reserve: number): string {
  const direct = directDemand(input);
  const family = input.instanceClass?.slice(0, input.instanceClass.lastIndexOf('.'));
  const fits = Object.entries(GRAVITON_INSTANCE_CLASSES).find(([name, spec]) => {
    if (!name.startsWith(`${family}.`)) return false;
    const max = maxConnectionsFor(spec.memoryGiB);
    const capacity =
      input.proxyMaxConnectionsPercent === undefined
        ? max - RDS_SUPERUSER_RESERVED_CONNECTIONS - reserve
        : Math.min(Math.floor((max * input.proxyMaxConnectionsPercent) / 100), max - RDS_SUPERUSER_RESERVED_CONNECTIONS - reserve - direct);
    return capacity >= demand;
  });
  return fits
    ? `choose a larger database.instanceClass (${fits[0]} allows ${maxConnectionsFor(fits[1].memoryGiB)} max_connections)`
    : 'choose a larger database.instanceClass (max_connections grows with instance memory)';
}
