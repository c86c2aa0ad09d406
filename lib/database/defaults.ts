import { Duration } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as core from '../core/database';

// The Database's defaults in CDK types. The values and their reasons are in lib/core/database.ts.

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
