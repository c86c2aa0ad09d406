import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The database bootstrap: a custom resource that, on every deploy, creates the application and
 * monitoring roles, the extensions the parameter group preloads, and runs your own statements.
 * Every value has a default; `bootstrap: false` on the Database turns the bootstrap off.
 */
export interface DatabaseBootstrapOptions {
  /**
   * The role the application logs in as. It owns the schema of the same name (first on PostgreSQL's
   * default search_path) and has no SUPERUSER, CREATEROLE or CREATEDB.
   *
   * @default 'app'
   */
  readonly applicationRoleName?: string;
  /**
   * The role the database insights worker logs in as: member of `pg_monitor`, no access to the
   * application's tables.
   *
   * @default 'monitoring'
   */
  readonly monitoringRoleName?: string;
  /**
   * `CONNECTION LIMIT` of the application role: the most sessions it may hold at once.
   *
   * @default - max_connections less RDS's 3 superuser slots and the 10-connection admin reserve;
   * behind RDS Proxy, the proxy's share of max_connections
   */
  readonly applicationConnectionLimit?: number;
  /**
   * `CONNECTION LIMIT` of the monitoring role.
   *
   * @default 3 - the insights worker's pool of 2 and one operator session, within the admin reserve
   */
  readonly monitoringConnectionLimit?: number;
  /**
   * The application role's server-side `statement_timeout` (`ALTER ROLE … SET`), which also holds
   * through RDS Proxy, where clients cannot send it at connection start-up. `Duration.millis(0)`
   * turns it off.
   *
   * @default Duration.seconds(10) - the workers' statement timeout (lib/core/worker-timing.ts)
   */
  readonly applicationStatementTimeout?: Duration;
  /**
   * Your own SQL, run as the master user in the application database after the bootstrap's own
   * statements and in the same transaction, on every deploy: each must be idempotent
   * (`CREATE EXTENSION IF NOT EXISTS pg_trgm`, `GRANT … TO app`) and able to run in a transaction
   * block (not `CREATE INDEX CONCURRENTLY` or `VACUUM`). A failing statement fails the deployment
   * and nothing of the bootstrap is applied.
   *
   * @default - none
   */
  readonly statements?: string[];
  /**
   * Any value; changing it makes the next deploy run the bootstrap again although nothing else of
   * it changed: after writing a new password into a role's secret (docs/database.md, "Rotating
   * credentials"), or to restore roles someone dropped by hand.
   *
   * @default - none: the bootstrap runs when the stack is created and when its properties change
   */
  readonly runToken?: string;
  /**
   * Subnets of the bootstrap function. They need a route to the instance and to Secrets Manager
   * (NAT or an interface endpoint).
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Bundling of the function (the local esbuild; never Docker).
   *
   * @default - the workers' bundling: minified, source maps, the AWS SDK from the runtime
   */
  readonly bundling?: nodejs.BundlingOptions;
  /**
   * X-Ray active tracing of the bootstrap function (lib/private/lambda-tracing.ts): its invocations
   * appear in the stack's traces beside the workers'.
   *
   * @default false - not traced (traces are billed per trace; ScalingStack follows the profile's
   * `observability.tracing.enabled`)
   */
  readonly tracing?: boolean;
}
