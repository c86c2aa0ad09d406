import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Unit } from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEFAULT_MASTER_USERNAME, POSTGRES_PORT } from '../core/database';
import { defaultProxyMaxConnectionsPercent } from '../core/postgres/connection-budget';
import type { TunedParameter } from '../core/postgres/tuning';
import { resolveDatabaseConfig } from './config';
import { createEncryptionKey, createInstance, instanceIdentifierFor } from './instance';
import { createLogGroups, type DatabaseLogType } from './logs';
import { createParameterGroup } from './parameters';
import type { DatabaseProps } from './props';
import { createProxy, proxyMetric } from './proxy';
import { DatabaseBootstrap, resolveBootstrapConfig } from './bootstrap';

/**
 * RDS for PostgreSQL on Graviton with parameters tuned from its instance class, slow queries and
 * their plans in CloudWatch Logs, encrypted gp3 storage with autoscaling, snapshots on delete and
 * replacement, IAM authentication, credentials in Secrets Manager (rotated by RDS by default), and
 * an optional RDS Proxy.
 *
 * Used alone it is safe and small, with availability opt-in: a single-AZ db.t4g.micro with
 * deletion protection, encrypted storage, TLS required, 7 days of backups and a final snapshot on
 * delete. `databasePropsFor(profile)` gives a profile's sizes and switches.
 *
 * Clients connect to `endpoint` (the proxy when there is one) and are let in through
 * `connections`; grant IAM access with `grantConnect()`.
 */
export class Database extends Construct implements ec2.IConnectable {
  /** The RDS instance. Admin tools connect here directly (`instance.connections`); applications use `endpoint`. */
  readonly instance: rds.DatabaseInstance;
  /** RDS Proxy in front of the instance, when `proxy` is on. */
  readonly proxy?: rds.DatabaseProxy;
  /**
   * Whether clients must authenticate with IAM tokens (`grantConnect()`): true when the proxy
   * requires IAM authentication. Then no client gets the password.
   */
  readonly iamAuthRequired: boolean;
  /**
   * The network path clients are let in through: the proxy's security group when there is a
   * proxy (clients never reach the instance directly), else the instance's. Default port 5432.
   */
  readonly connections: ec2.Connections;
  /** What clients connect to: the proxy's endpoint when there is a proxy, else the instance's. */
  readonly endpoint: rds.Endpoint;
  /** The instance's own endpoint (admin tools, migrations). */
  readonly instanceEndpoint: rds.Endpoint;
  /** The master user's credentials (`username`, `password`): managed and rotated by RDS, or generated once (`rotateCredentials: false`). */
  readonly secret: secretsmanager.ISecret;
  /** The master user's name. */
  readonly masterUsername: string = DEFAULT_MASTER_USERNAME;
  /**
   * The bootstrap custom resource that creates the application and monitoring roles (absent with
   * `bootstrap: false`). Make what needs the roles depend on it: `node.addDependency(db.bootstrap)`.
   */
  readonly bootstrap?: DatabaseBootstrap;
  /** The user the application logs in as: the bootstrap's application role (the master user with `bootstrap: false`). */
  readonly applicationUser: string;
  /** The user monitoring tools log in as: the bootstrap's monitoring role (the master user with `bootstrap: false`). */
  readonly monitoringUser: string;
  /**
   * The application's login: the application role's secret, `{ username, dbname }` plus `password`
   * in password mode; when `iamAuthRequired` it holds no password (sign an IAM token for
   * `applicationUser`). With `bootstrap: false`, the master secret.
   */
  readonly applicationSecret: secretsmanager.ISecret;
  /** The monitoring login, as `applicationSecret` is the application's. */
  readonly monitoringSecret: secretsmanager.ISecret;
  /** The database created at launch. */
  readonly databaseName: string;
  /** The port clients connect to. */
  readonly port: number = POSTGRES_PORT;
  /** The instance class, resolved. */
  readonly instanceClass: string;
  /** True for burstable (db.t4g) classes, which run on CPU credits. */
  readonly burstable: boolean;
  /** max_connections of the instance (tuned, or the override). */
  readonly maxConnections: number;
  /** The proxy's share of max_connections in percent, when there is a proxy. */
  readonly proxyMaxConnectionsPercent?: number;
  /** Every parameter the parameter group sets, with its rule and source (overrides marked as such). */
  readonly parameters: readonly TunedParameter[];
  /** The parameter group holding `parameters`. */
  readonly parameterGroup: rds.ParameterGroup;
  /** The exported log groups by log type: `postgresql` (slow queries, plans, lock waits) and `upgrade`. */
  readonly logGroups: Readonly<Record<DatabaseLogType, logs.ILogGroup>>;
  /** The customer-managed key, when there is one. */
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    // Every prop resolved and checked before the first resource: all problems in one error.
    const config = resolveDatabaseConfig(this, props);
    this.instanceClass = config.instanceClass;
    this.databaseName = config.databaseName;
    this.parameters = config.parameters;
    this.burstable = config.spec.burstable;
    this.maxConnections = Number(config.parameters.find((x) => x.name === 'max_connections')?.value);
    const percent = config.proxy ? (props.proxyMaxConnectionsPercent ?? defaultProxyMaxConnectionsPercent(this.maxConnections)) : undefined;
    const bootstrapOptions = props.bootstrap === false ? undefined : (props.bootstrap ?? {});
    const bootstrapConfig = bootstrapOptions && resolveBootstrapConfig(this.node.path, bootstrapOptions, this.maxConnections, percent);

    // Every child keeps the construct ID it always had (Key, Parameters, PostgresqlLog,
    // UpgradeLog, SecurityGroup, Resource, ProxySecurityGroup, Proxy): logical IDs are API.
    this.encryptionKey = props.encryptionKey ?? (config.customerManagedKey ? createEncryptionKey(this) : undefined);
    this.parameterGroup = createParameterGroup(this, config.engine, config.instanceClass, config.spec, config.parameters);
    const instanceIdentifier = instanceIdentifierFor(this);
    this.logGroups = createLogGroups(this, instanceIdentifier, config.logRetention);
    const { instance, securityGroup } = createInstance(this, {
      vpc: props.vpc,
      config,
      instanceIdentifier,
      parameterGroup: this.parameterGroup,
      logGroups: this.logGroups,
      encryptionKey: this.encryptionKey,
    });
    this.instance = instance;
    this.secret = instance.secret!;
    this.instanceEndpoint = instance.instanceEndpoint;

    const iamAuth = config.proxy && config.proxyRequireIamAuth;
    if (bootstrapConfig) {
      this.bootstrap = new DatabaseBootstrap(this, 'Bootstrap', {
        vpc: props.vpc,
        vpcSubnets: bootstrapOptions?.vpcSubnets,
        fallbackSubnets: config.vpcSubnets,
        instance,
        masterSecret: this.secret,
        databaseName: config.databaseName,
        iamAuth,
        config: bootstrapConfig,
        encryptionKey: this.encryptionKey,
        logRetention: config.logRetention,
        bundling: bootstrapOptions?.bundling,
        tracing: bootstrapOptions?.tracing,
      });
      // The resource runs once the instance admits the function: it depends on that ingress rule
      // alone (the whole security group would also hold the clients' rules, and clients wait for
      // the bootstrap: a cycle).
      const before = new Set(securityGroup.node.children);
      instance.connections.allowDefaultPortFrom(this.bootstrap, 'the database bootstrap (master user)');
      for (const rule of securityGroup.node.children.filter((child) => !before.has(child))) this.bootstrap.resource.node.addDependency(rule);
      this.applicationUser = this.bootstrap.applicationRoleName;
      this.monitoringUser = this.bootstrap.monitoringRoleName;
      this.applicationSecret = this.bootstrap.applicationSecret;
      this.monitoringSecret = this.bootstrap.monitoringSecret;
    } else {
      this.applicationUser = this.masterUsername;
      this.monitoringUser = this.masterUsername;
      this.applicationSecret = this.secret;
      this.monitoringSecret = this.secret;
    }

    if (config.proxy) {
      const proxy = createProxy(this, {
        vpc: props.vpc,
        vpcSubnets: config.vpcSubnets,
        instance,
        // With the bootstrap the proxy logs in as the roles (never the master user): with their
        // secrets in password mode, with IAM end to end in IAM mode (see proxy.ts).
        secrets: this.bootstrap
          ? [...(iamAuth ? [] : [this.bootstrap.applicationSecret, this.bootstrap.monitoringSecret]), ...(props.proxyUserSecrets ?? [])]
          : [this.secret, ...(props.proxyUserSecrets ?? [])],
        requireIamAuth: config.proxyRequireIamAuth,
        endToEndIamUsers: this.bootstrap && iamAuth ? [this.applicationUser, this.monitoringUser] : undefined,
        maxConnectionsPercent: percent!,
      });
      this.proxy = proxy.proxy;
      this.proxyMaxConnectionsPercent = percent;
      this.iamAuthRequired = iamAuth;
      this.connections = new ec2.Connections({ securityGroups: [proxy.securityGroup], defaultPort: ec2.Port.tcp(POSTGRES_PORT) });
      this.endpoint = new rds.Endpoint(proxy.proxy.endpoint, POSTGRES_PORT);
    } else {
      this.iamAuthRequired = false;
      this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(POSTGRES_PORT) });
      this.endpoint = this.instanceEndpoint;
    }
  }

  /**
   * Lets `grantee` connect as `dbUser` with an IAM authentication token (`rds-db:connect`), through
   * the proxy when there is one, else to the instance. The database user needs `rds_iam` (the
   * bootstrap grants it to its roles in IAM mode), which turns its password login off.
   *
   * @param dbUser the database user, default `applicationUser`
   */
  grantConnect(grantee: iam.IGrantable, dbUser: string = this.applicationUser): iam.Grant {
    return this.proxy ? this.proxy.grantConnect(grantee, dbUser) : this.instance.grantConnect(grantee, dbUser);
  }

  /** A metric of the instance (namespace AWS/RDS, dimension DBInstanceIdentifier), 5-minute period by default. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.instance.metric(metricName, props);
  }

  /** CPU utilization, percent (Average). */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', { statistic: 'Average', unit: Unit.PERCENT, ...props });
  }

  /** Memory not in use, bytes (Minimum: the low point is what matters). */
  metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('FreeableMemory', { statistic: 'Minimum', unit: Unit.BYTES, ...props });
  }

  /** Free storage, bytes (Minimum). Autoscaling adds storage below 10 % free, up to its ceiling. */
  metricFreeStorageSpace(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('FreeStorageSpace', { statistic: 'Minimum', unit: Unit.BYTES, ...props });
  }

  /** Open connections to the instance (Maximum); compare with `maxConnections`. */
  metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DatabaseConnections', { statistic: 'Maximum', unit: Unit.COUNT, ...props });
  }

  /** Average time per disk read, seconds. */
  metricReadLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ReadLatency', { statistic: 'Average', unit: Unit.SECONDS, ...props });
  }

  /** Average time per disk write, seconds. */
  metricWriteLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('WriteLatency', { statistic: 'Average', unit: Unit.SECONDS, ...props });
  }

  /** I/O requests waiting for the disk (Average): sustained values above a few mean storage is the bottleneck. */
  metricDiskQueueDepth(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DiskQueueDepth', { statistic: 'Average', unit: Unit.COUNT, ...props });
  }

  /**
   * The oldest unfrozen transaction ID's age (Maximum). Near 2 billion PostgreSQL stops accepting
   * writes to avoid wraparound: a rising line means autovacuum is not keeping up.
   */
  metricMaximumUsedTransactionIds(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MaximumUsedTransactionIDs', { statistic: 'Maximum', unit: Unit.COUNT, ...props });
  }

  /** Disk used by WAL, bytes (Maximum): grows when a replication slot or archiving falls behind. */
  metricTransactionLogsDiskUsage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('TransactionLogsDiskUsage', { statistic: 'Maximum', unit: Unit.BYTES, ...props });
  }

  /** CPU credits left (Minimum). Only burstable classes (`burstable`) publish it; at 0 a db.t4g runs on surplus credits, billed. */
  metricCpuCreditBalance(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUCreditBalance', { statistic: 'Minimum', unit: Unit.COUNT, ...props });
  }

  /** A metric of the proxy (namespace AWS/RDS, dimension ProxyName). Throws when there is no proxy. */
  metricProxy(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return proxyMetric(this.node.path, this.proxy, metricName, props);
  }

  /** Client connections open to the proxy (Sum over each minute's reports). */
  metricProxyClientConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricProxy('ClientConnections', { statistic: 'Sum', unit: Unit.COUNT, ...props });
  }

  /** Connections the proxy holds to the instance (Sum over each minute's reports). */
  metricProxyDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricProxy('DatabaseConnections', { statistic: 'Sum', unit: Unit.COUNT, ...props });
  }
}
