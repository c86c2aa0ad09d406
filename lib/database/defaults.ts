import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as core from '../core/database';
import { connectionDemand } from '../core/postgres/connection-budget';
import { DATABASE_POOL_SIZE } from '../core/worker-timing';

// The Database's defaults in CDK types. The environment-independent values and their reasons are in
// lib/core/database.ts; the sizes a Database takes when used alone are at the end of this file.

/**
 * The pinned engine: PostgreSQL 17, latest minor in aws-cdk-lib 2.276's enum. A full minor version
 * because cfn-lint W3691 flags a bare major and because a pin makes every environment run the same
 * binary until someone bumps it here. RDS applies newer minors in the maintenance window anyway
 * (`autoMinorVersionUpgrade` stays on for security fixes); CloudFormation only sends the version
 * when this pin changes. 17 rather than 18 (18.3 exists): RDS Proxy, Database Insights and the
 * extensions this stack relies on are all documented for 17; move to 18 with a blue/green upgrade.
 */
export const POSTGRES_ENGINE_VERSION = rds.PostgresEngineVersion.VER_17_9;

/** The instance's TLS certificate authority (lib/core/database.ts, CA_CERTIFICATE_ID). */
export const CA_CERTIFICATE = rds.CaCertificate.of(core.CA_CERTIFICATE_ID);

/** Statements slower than this are logged with their plan (lib/core/database.ts). */
export const DEFAULT_SLOW_QUERY_THRESHOLD = Duration.millis(core.DEFAULT_SLOW_QUERY_THRESHOLD_MS);

// --- The Database used alone ------------------------------------------------------------------
// What a Database gets when a prop is left out: small (the cheapest size that works) and safe (no
// data lost by accident); availability is opt-in. `databasePropsFor(profile)` sets every one of
// these from a profile, so ScalingStack never falls back on them.

/** The smallest Graviton class: 2 burstable vCPUs, 1 GiB, $0.016/h (lib/core/prices). */
export const DEFAULT_INSTANCE_CLASS = 'db.t4g.micro';

/** The gp3 minimum on RDS. */
export const DEFAULT_ALLOCATED_STORAGE_GIB = 20;

/** Autoscaling room: 2.5 times the start, capping a runaway table at $5.75/month of storage. */
export const DEFAULT_MAX_ALLOCATED_STORAGE_GIB = 50;

/**
 * A week of automated backups and point-in-time recovery: a bad migration found after a weekend
 * can still be undone. Free while the backups fit in the provisioned storage (lib/core/prices).
 */
export const DEFAULT_BACKUP_RETENTION_DAYS = 7;

/** Exported PostgreSQL logs are kept a week: enough to read last week's slow queries, cheap to store. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_WEEK;

/**
 * Sessions at the worst case of a small app, which work_mem is sized for: two web tasks with pools
 * of 5, two worker invocations with the pool the workers open (DATABASE_POOL_SIZE, 2), the
 * bootstrap's session (15 client connections), plus the admin reserve (25).
 */
export const DEFAULT_EXPECTED_CONNECTIONS =
  connectionDemand({
    webMaxTasks: 2,
    poolSizePerWebTask: 5,
    workerMaxConcurrency: 2,
    poolSizePerWorker: DATABASE_POOL_SIZE,
    bootstrapConnections: core.BOOTSTRAP_CONNECTIONS,
  }) + core.ADMIN_RESERVED_CONNECTIONS;
