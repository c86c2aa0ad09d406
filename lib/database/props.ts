import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { DatabaseBootstrapOptions } from './bootstrap-props';

/** CloudWatch Database Insights mode. */
export type DatabaseInsightsModeName = 'standard' | 'advanced';

/**
 * Props of `Database`. Every default follows the one policy for a construct used alone: safe (no
 * data lost by accident: encrypted storage, TLS required, automated backups, deletion protection, a
 * final snapshot on delete), small (the cheapest class and storage that work) and availability
 * opt-in (single-AZ, no proxy). `databasePropsFor(profile)` sets every value for a profile.
 */
export interface DatabaseProps {
  /** The VPC the database and its proxy run in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the instance and the proxy.
   *
   * @default - the VPC's isolated subnets when it has two or more, else its private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * A Graviton DB instance class from `GRAVITON_INSTANCE_CLASSES` (lib/core/database.ts). The
   * tuned parameters follow its memory and vCPUs.
   *
   * @default 'db.t4g.micro' - the smallest Graviton class (2 burstable vCPUs, 1 GiB)
   */
  readonly instanceClass?: string;
  /**
   * The PostgreSQL version, pinned to a full minor version.
   *
   * @default PostgresEngineVersion.VER_17_9
   */
  readonly engineVersion?: rds.PostgresEngineVersion;
  /**
   * The database created at launch.
   *
   * @default 'app'
   */
  readonly databaseName?: string;
  /**
   * A synchronous standby in another AZ with automatic failover. It doubles the instance and
   * storage bill, so it is opt-in: a single-AZ instance loses availability, not data, when its AZ
   * fails (automated backups and point-in-time recovery restore it elsewhere).
   *
   * @default false - one AZ
   */
  readonly multiAz?: boolean;
  /**
   * gp3 storage at launch, in GiB (20 to 65,536).
   *
   * @default 20 - the gp3 minimum on RDS
   */
  readonly allocatedStorageGiB?: number;
  /**
   * Ceiling for storage autoscaling, in GiB: at least 10 % above `allocatedStorageGiB`, or equal
   * to it to turn autoscaling off.
   *
   * @default 50 - room to grow 2.5 times before a full disk stops the database
   */
  readonly maxAllocatedStorageGiB?: number;
  /**
   * Days of automated backups and point-in-time recovery (0 to 35; 0 turns backups off).
   *
   * @default 7 - a week: a bad migration found after a weekend can still be undone
   */
  readonly backupRetentionDays?: number;
  /**
   * Refuse to delete the instance (a stack delete or a replacing update fails instead).
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Put RDS Proxy in front of the instance: clients connect to the proxy, which pools and
   * multiplexes their connections, requires TLS, and shortens failovers.
   *
   * @default false - clients connect to the instance (TLS is required there too: rds.force_ssl)
   */
  readonly proxy?: boolean;
  /**
   * The share of max_connections the proxy may open, in percent.
   *
   * @default - 90, lowered on small classes so 10 admin connections always fit beside the proxy
   */
  readonly proxyMaxConnectionsPercent?: number;
  /**
   * Clients authenticate to the proxy with IAM tokens only (`grantConnect()`), never with the
   * password: nothing breaks when RDS rotates the password, and no client holds a long-lived secret.
   *
   * @default true
   */
  readonly proxyRequireIamAuth?: boolean;
  /**
   * Secrets (`username`, `password`) of further database users the proxy may log in as with
   * their password (`grantConnect(role, 'reporting')`). Creating those users in PostgreSQL is
   * yours (e.g. `bootstrap.statements`).
   *
   * @default - the bootstrap's roles only (the master user with `bootstrap: false`)
   */
  readonly proxyUserSecrets?: secretsmanager.ISecret[];
  /**
   * RDS manages the master password in Secrets Manager and rotates it every 7 days
   * (`ManageMasterUserPassword`). When false, CDK generates the password into a Secrets Manager
   * secret once and it never changes.
   *
   * @default true
   */
  readonly rotateCredentials?: boolean;
  /**
   * Encrypt storage, snapshots, Performance Insights and the credentials secret with a
   * customer-managed KMS key this construct creates (with yearly rotation). Storage is encrypted in
   * every case; without it, with the AWS-managed keys.
   *
   * @default false - the AWS-managed keys ($1 a month less per key)
   */
  readonly customerManagedKey?: boolean;
  /**
   * Bring your own customer-managed key instead. Implies `customerManagedKey`.
   *
   * @default - a new key when `customerManagedKey` is true, else the AWS-managed keys
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Seconds between enhanced-monitoring (OS) samples: 0 (off), 1, 5, 10, 15, 30 or 60.
   *
   * @default 0 - off: OS samples are billed as CloudWatch Logs ingestion
   */
  readonly enhancedMonitoringIntervalSeconds?: number;
  /**
   * CloudWatch Database Insights mode (Performance Insights is on in both).
   *
   * @default 'standard' - free, 7 days of history
   */
  readonly databaseInsights?: DatabaseInsightsModeName;
  /**
   * Retention of the exported PostgreSQL and upgrade logs.
   *
   * @default RetentionDays.ONE_WEEK
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Statements slower than this are logged with their plan.
   *
   * @default Duration.millis(250)
   */
  readonly slowQueryThreshold?: Duration;
  /**
   * Sessions open at the worst case (application pools at their maximum plus the admin reserve).
   * Sizes work_mem so that many sessions fit in memory.
   *
   * @default 22 - a small app: two web tasks with pools of 5, two workers with 1 connection each,
   * and the 10 admin connections
   */
  readonly expectedConnections?: number;
  /**
   * PostgreSQL parameters that replace the tuned values, e.g. `{ work_mem: '64MB' }`. Names and
   * values are checked against PostgreSQL 17's settings; values with units are converted to the
   * base unit RDS takes. `shared_preload_libraries` is merged with the libraries this construct
   * needs rather than replacing them.
   *
   * @default - the tuned values only
   */
  readonly parameterOverrides?: Record<string, string>;
  /**
   * The bootstrap custom resource: on every deploy it creates the application role (owner of its
   * schema, no SUPERUSER, CREATEROLE or CREATEDB), the monitoring role (`pg_monitor`), the
   * extensions the parameter group preloads (pg_stat_statements) and runs your own statements, so
   * no client needs the master credentials and no SQL is run by hand. `false` turns it off: then
   * `applicationUser` and `monitoringUser` are the master user.
   *
   * @default - on, with the defaults of DatabaseBootstrapOptions
   */
  readonly bootstrap?: DatabaseBootstrapOptions | false;
}
