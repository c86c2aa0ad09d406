import {
  ADMIN_RESERVED_CONNECTIONS,
  GRAVITON_INSTANCE_CLASSES,
  PROXY_MAX_CONNECTIONS_PERCENT,
  RDS_SUPERUSER_RESERVED_CONNECTIONS,
} from '../database';
import type { Profile } from '../profiles/profile';
import { maxConnectionsFor } from './tuning';

/** The numbers the connection budget is computed from. */
export interface ConnectionBudgetInput {
  /** max_connections of the instance. */
  readonly maxConnections: number;
  /** The instance class, to suggest a larger one that fits. */
  readonly instanceClass?: string;
  /** Web service tasks at the autoscaling ceiling. */
  readonly webMaxTasks: number;
  /** Connections each web task's pool may open. */
  readonly poolSizePerWebTask: number;
  /** Concurrent Lambda worker invocations at the ceiling. */
  readonly workerMaxConcurrency: number;
  /** Connections each worker invocation may open. */
  readonly poolSizePerWorker: number;
  /**
   * Connections kept for migrations, psql and monitoring, made straight to the instance.
   *
   * @default ADMIN_RESERVED_CONNECTIONS (10)
   */
  readonly adminReserve?: number;
  /**
   * The proxy's share of max_connections in percent, when clients connect through RDS Proxy.
   *
   * @default - no proxy: clients connect to the instance
   */
  readonly proxyMaxConnectionsPercent?: number;
}

/** The worst case set against what the database allows. */
export interface ConnectionBudget {
  /** Connections the application opens at the worst case: every pool full at every task and invocation. */
  readonly demand: number;
  /** Connections the application may use: max_connections less the reserves, or the proxy's share. */
  readonly capacity: number;
  /** capacity − demand; negative when over budget. */
  readonly headroom: number;
  /** How the numbers were reached, for messages and the README. */
  readonly explanation: string;
  /** Set when the budget does not hold: by how much, and the fixes. */
  readonly problems: readonly string[];
}

/**
 * The application's worst case: web tasks at their maximum × pool size per task + worker
 * invocations at their maximum × pool size per worker.
 */
export function connectionDemand(
  input: Pick<ConnectionBudgetInput, 'webMaxTasks' | 'poolSizePerWebTask' | 'workerMaxConcurrency' | 'poolSizePerWorker'>,
): number {
  return input.webMaxTasks * input.poolSizePerWebTask + input.workerMaxConcurrency * input.poolSizePerWorker;
}

/** `connectionDemand()` with a profile's numbers (web, worker and database sections). */
export function profileConnectionDemand(profile: Profile): number {
  return connectionDemand({
    webMaxTasks: profile.web.maxTasks,
    poolSizePerWebTask: profile.database.poolSizePerWebTask,
    workerMaxConcurrency: profile.worker.maxConcurrency,
    poolSizePerWorker: profile.database.poolSizePerWorker,
  });
}

/**
 * The proxy's share of max_connections by default: PROXY_MAX_CONNECTIONS_PERCENT, lowered on small
 * classes so RDS's superuser slots and the admin reserve always fit beside it (never below 1 %).
 * The Database construct and the right-sizing advisor's safety check both use this one rule.
 */
export function defaultProxyMaxConnectionsPercent(maxConnections: number): number {
  const room = maxConnections - RDS_SUPERUSER_RESERVED_CONNECTIONS - ADMIN_RESERVED_CONNECTIONS;
  return Math.max(1, Math.min(PROXY_MAX_CONNECTIONS_PERCENT, Math.floor((room * 100) / maxConnections)));
}

/**
 * A profile's connection budget: its web, worker and database sections set against
 * `maxConnections`, through the proxy when the profile has one (at `proxyMaxConnectionsPercent`,
 * by default the Database's default share). ScalingStack checks this at synth; the right-sizing
 * advisor checks its recommendations with the same call.
 */
export function checkProfileConnectionBudget(
  profile: Profile,
  maxConnections: number,
  proxyMaxConnectionsPercent: number | undefined = profile.database.proxy ? defaultProxyMaxConnectionsPercent(maxConnections) : undefined,
): ConnectionBudget {
  return checkConnectionBudget({
    maxConnections,
    instanceClass: profile.database.instanceClass,
    webMaxTasks: profile.web.maxTasks,
    poolSizePerWebTask: profile.database.poolSizePerWebTask,
    workerMaxConcurrency: profile.worker.maxConcurrency,
    poolSizePerWorker: profile.database.poolSizePerWorker,
    proxyMaxConnectionsPercent,
  });
}

/**
 * Sets the application's worst-case connections against max_connections. Without a proxy every
 * pooled client connection is a server connection, so the demand must fit max_connections less
 * RDS's superuser slots and the admin reserve. With RDS Proxy, the proxy multiplexes clients onto
 * at most `maxConnectionsPercent` of max_connections; the check still assumes every client is
 * inside a transaction at once (the case multiplexing cannot help: past its share, clients wait
 * for a connection until the borrow timeout), and that the admin reserve fits beside the share.
 * Pure: returns the problems rather than throwing.
 */
export function checkConnectionBudget(input: ConnectionBudgetInput): ConnectionBudget {
  const reserve = input.adminReserve ?? ADMIN_RESERVED_CONNECTIONS;
  const demand = connectionDemand(input);
  const usable = input.maxConnections - RDS_SUPERUSER_RESERVED_CONNECTIONS;
  const worstCase = `web ${input.webMaxTasks} tasks × ${input.poolSizePerWebTask} + workers ${input.workerMaxConcurrency} × ${input.poolSizePerWorker} = ${demand} connections at the worst case`;
  const problems: string[] = [];
  let capacity: number;
  let explanation: string;

  if (input.proxyMaxConnectionsPercent === undefined) {
    capacity = usable - reserve;
    explanation = `${worstCase}; max_connections ${input.maxConnections} − ${RDS_SUPERUSER_RESERVED_CONNECTIONS} RDS superuser slots − ${reserve} admin reserve = ${capacity} for the application`;
  } else {
    capacity = Math.floor((input.maxConnections * input.proxyMaxConnectionsPercent) / 100);
    explanation = `${worstCase}; RDS Proxy may open ${input.proxyMaxConnectionsPercent}% of max_connections ${input.maxConnections} = ${capacity}`;
    const besideProxy = usable - capacity;
    if (besideProxy < reserve) {
      problems.push(
        `the admin reserve does not fit beside the proxy: max_connections ${input.maxConnections} − ${RDS_SUPERUSER_RESERVED_CONNECTIONS} RDS superuser slots − ${capacity} for the proxy leaves ${besideProxy}, short of the ${reserve} admin connections by ${reserve - besideProxy}; lower the proxy's maxConnectionsPercent or choose a larger instance class`,
      );
    }
  }

  const headroom = capacity - demand;
  if (headroom < 0) {
    // RDS Proxy is not offered as a fix: its share is never above what the application has without
    // it, and when every pooled connection is inside a transaction at once, each still needs a
    // server connection. What the proxy removes is idle and abandoned connections (README).
    const fixes = [
      'lower database.poolSizePerWebTask or database.poolSizePerWorker',
      'lower web.maxTasks or worker.maxConcurrency',
      largerClassFix(input, demand, reserve),
    ];
    problems.push(`connection budget exceeded by ${-headroom}: ${explanation}. Fixes: ${fixes.join('; or ')}`);
  }
  return { demand, capacity, headroom, explanation, problems };
}

/** "choose a larger instance class (db.t4g.small allows 225 max_connections)", or the general advice. */
function largerClassFix(input: ConnectionBudgetInput, demand: number, reserve: number): string {
  const family = input.instanceClass?.slice(0, input.instanceClass.lastIndexOf('.'));
  const fits = Object.entries(GRAVITON_INSTANCE_CLASSES).find(([name, spec]) => {
    if (!name.startsWith(`${family}.`)) return false;
    const max = maxConnectionsFor(spec.memoryGiB);
    const capacity =
      input.proxyMaxConnectionsPercent === undefined
        ? max - RDS_SUPERUSER_RESERVED_CONNECTIONS - reserve
        : Math.floor((max * input.proxyMaxConnectionsPercent) / 100);
    return capacity >= demand;
  });
  return fits
    ? `choose a larger database.instanceClass (${fits[0]} allows ${maxConnectionsFor(fits[1].memoryGiB)} max_connections)`
    : 'choose a larger database.instanceClass (max_connections grows with instance memory)';
}
