/**
 * Environment-independent defaults of the Database construct. Sizes that vary per environment live
 * in the profiles (`lib/core/profiles/*`, `database` section); everything here is the same everywhere,
 * with the reason (and source) beside each value, as plain data (lib/database/defaults.ts turns the
 * engine version and CA into CDK types).
 */

/** The database the instance creates at launch; the app contract passes it as DB_NAME. */
export const DEFAULT_DATABASE_NAME = 'app';

/**
 * The master user. RDS stores its password in Secrets Manager and rotates it (managed master user
 * password); applications should get their own least-privileged users (README, "Database").
 */
export const DEFAULT_MASTER_USERNAME = 'postgres';

/** The PostgreSQL port. RDS Proxy listens on 5432 for PostgreSQL whatever the instance port is. */
export const POSTGRES_PORT = 5432;

/**
 * Statements slower than this are written to the PostgreSQL log with their plan (auto_explain), so
 * the slow query and its plan reach CloudWatch Logs without anyone running EXPLAIN. A quarter of a
 * one-second page budget: slow enough to keep the log small, fast enough to catch a query that
 * will dominate a request.
 */
export const DEFAULT_SLOW_QUERY_THRESHOLD_MS = 250;

/**
 * A transaction left open by a crashed or buggy client holds its locks and its snapshot, which
 * stops vacuum from removing dead rows everywhere. One minute is longer than any request or
 * worker invocation (the worker timeout is at most 60 s in the profiles) should idle inside a
 * transaction. https://www.postgresql.org/docs/17/runtime-config-client.html
 */
export const IDLE_IN_TRANSACTION_SESSION_TIMEOUT_MS = 60_000;

/** PostgreSQL log types RDS exports to CloudWatch Logs: the server log (slow queries, plans, lock waits) and the major-upgrade log. */
export const LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

/**
 * Connections kept for people and tools rather than the application: migrations, a psql session,
 * a monitoring agent, a pg_dump. They connect straight to the instance, never through the proxy.
 */
export const ADMIN_RESERVED_CONNECTIONS = 10;

/**
 * Connections the database insights worker's pool (lambda/db-insights, the shared `DatabasePool`)
 * may open: it runs its queries one after another, so one is all it uses. ScalingStack passes it as
 * DB_POOL_MAX; the connection budget and the monitoring role's connection limit count it.
 */
export const INSIGHTS_DATABASE_POOL_SIZE = 1;

/**
 * Insights runs at the same time, at most: the scheduler starts one every 5 minutes or more
 * (DB_INSIGHTS_SCHEDULE_MINUTES), a run ends within its 60-second timeout, and Lambda's single
 * retry (ASYNC_RETRY_ATTEMPTS) comes after the failed run ended.
 */
export const INSIGHTS_MAX_CONCURRENCY = 1;

/**
 * Connections the database bootstrap custom resource opens (lib/database bootstrap): one session,
 * as the master user, straight to the instance, only while a deployment creates or updates it.
 */
export const BOOTSTRAP_CONNECTIONS = 1;

/**
 * `superuser_reserved_connections` on RDS: slots only `rdsadmin` (RDS's own agent) may use, so
 * they are not part of the application's budget.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
 */
export const RDS_SUPERUSER_RESERVED_CONNECTIONS = 3;

/**
 * The largest share of max_connections RDS Proxy may open. The rest stays free for the admin
 * reserve and RDS's own connections; the construct lowers it further on small classes so the admin
 * reserve always fits. https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-connections.html
 */
export const PROXY_MAX_CONNECTIONS_PERCENT = 90;

/** The instance's TLS certificate authority: the RSA-2048 CA valid until 2061, which RDS clients and RDS Proxy trust. */
export const CA_CERTIFICATE_ID = 'rds-ca-rsa2048-g1';

/**
 * RDS storage autoscaling refuses a ceiling less than 10% above the allocated storage ("Invalid max
 * storage size"). https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
 */
export function minStorageCeiling(allocatedGiB: number): number {
  return Math.ceil((allocatedGiB * 11) / 10);
}

/** Enhanced-monitoring intervals RDS accepts (seconds); 0 turns it off. */
export const ENHANCED_MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

/** What one Graviton DB instance class offers. */
export interface InstanceClassSpec {
  readonly vCpus: number;
  readonly memoryGiB: number;
  /** Burstable (T family): runs on CPU credits, publishes CPUCreditBalance. */
  readonly burstable: boolean;
}

/**
 * Hardware of the Graviton DB instance classes this library tunes for, from "Hardware
 * specifications for DB instance classes", Amazon RDS User Guide:
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html
 *
 * db.t4g sizes are listed one by one. The general-purpose (m) and memory-optimized (r) families
 * share one size ladder in each Graviton generation (6g, 7g, 8g): `large` = 2 vCPUs up to
 * `16xlarge` = 64 vCPUs, with 4 GiB per vCPU for m and 8 GiB per vCPU for r.
 */
export const GRAVITON_INSTANCE_CLASSES: Readonly<Record<string, InstanceClassSpec>> = Object.freeze({
  'db.t4g.micro': { vCpus: 2, memoryGiB: 1, burstable: true },
  'db.t4g.small': { vCpus: 2, memoryGiB: 2, burstable: true },
  'db.t4g.medium': { vCpus: 2, memoryGiB: 4, burstable: true },
  'db.t4g.large': { vCpus: 2, memoryGiB: 8, burstable: true },
  'db.t4g.xlarge': { vCpus: 4, memoryGiB: 16, burstable: true },
  'db.t4g.2xlarge': { vCpus: 8, memoryGiB: 32, burstable: true },
  ...ladder(['db.m6g', 'db.m7g', 'db.m8g'], 4),
  ...ladder(['db.r6g', 'db.r7g', 'db.r8g'], 8),
});

function ladder(families: string[], gibPerVCpu: number): Record<string, InstanceClassSpec> {
  const sizes: Array<[string, number]> = [
    ['large', 2],
    ['xlarge', 4],
    ['2xlarge', 8],
    ['4xlarge', 16],
    ['8xlarge', 32],
    ['12xlarge', 48],
    ['16xlarge', 64],
  ];
  const classes: Record<string, InstanceClassSpec> = {};
  for (const family of families) {
    for (const [size, vCpus] of sizes) classes[`${family}.${size}`] = { vCpus, memoryGiB: vCpus * gibPerVCpu, burstable: false };
  }
  return classes;
}

/** The known classes grouped by family, for error messages: `db.t4g.{micro,small,…}`. */
export function describeKnownInstanceClasses(): string {
  const byFamily = new Map<string, string[]>();
  for (const name of Object.keys(GRAVITON_INSTANCE_CLASSES)) {
    const family = name.slice(0, name.lastIndexOf('.'));
    byFamily.set(family, [...(byFamily.get(family) ?? []), name.slice(family.length + 1)]);
  }
  return [...byFamily].map(([family, sizes]) => `${family}.{${sizes.join(',')}}`).join(', ');
}
