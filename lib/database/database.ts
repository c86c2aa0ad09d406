import { Duration, Names, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  ADMIN_RESERVED_CONNECTIONS,
  DEFAULT_DATABASE_NAME,
  DEFAULT_MASTER_USERNAME,
  ENHANCED_MONITORING_INTERVALS,
  GRAVITON_INSTANCE_CLASSES,
  LOG_EXPORTS,
  minStorageCeiling,
  POSTGRES_PORT,
} from '../core/database';
import { CA_CERTIFICATE, DEFAULT_SLOW_QUERY_THRESHOLD, POSTGRES_ENGINE_VERSION } from './defaults';
import { dev } from '../core/profiles/dev';
import { ConfigurationError, Problems } from '../private/problems';
import { defaultProxyMaxConnectionsPercent, profileConnectionDemand } from '../core/postgres/connection-budget';
import { POSTGRES_SETTINGS } from '../core/postgres/settings';
import { checkParameterOverride } from './parameter-overrides';
import { PRELOADED_LIBRARIES, tunePostgresParameters, unknownInstanceClassMessage, type TunedParameter } from '../core/postgres/tuning';

/** CloudWatch Database Insights mode. */
export type DatabaseInsightsModeName = 'standard' | 'advanced';

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
   * A Graviton DB instance class from the table in `lib/core/database.ts`. The tuned parameters
   * follow its memory and vCPUs.
   *
   * @default 'db.t4g.micro' (the dev profile's class)
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
   * A synchronous standby in another AZ with automatic failover.
   *
   * @default true
   */
  readonly multiAz?: boolean;
  /**
   * gp3 storage at launch, in GiB (20 to 65,536).
   *
   * @default 20
   */
  readonly allocatedStorageGiB?: number;
  /**
   * Ceiling for storage autoscaling, in GiB: at least 10 % above `allocatedStorageGiB`, or equal
   * to it to turn autoscaling off.
   *
   * @default 50
   */
  readonly maxAllocatedStorageGiB?: number;
  /**
   * Days of automated backups and point-in-time recovery (0 to 35; 0 turns backups off).
   *
   * @default 7
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
   * @default false
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
   * Secrets (`username`, `password`) of further database users the proxy may log in as, so
   * applications can connect through it as their own least-privileged users
   * (`grantConnect(role, 'app_user')`). Creating the users in PostgreSQL is the application's
   * migration.
   *
   * @default - the master user only
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
   * @default false
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
   * @default 0
   */
  readonly enhancedMonitoringIntervalSeconds?: number;
  /**
   * CloudWatch Database Insights mode (Performance Insights is on in both).
   *
   * @default 'standard'
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
   * @default - the dev profile's worst case: web.maxTasks × poolSizePerWebTask + worker.maxConcurrency × poolSizePerWorker + 10 admin connections
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
}

/**
 * RDS for PostgreSQL on Graviton with parameters tuned from its instance class, slow queries and
 * their plans in CloudWatch Logs, encrypted gp3 storage with autoscaling, snapshots on delete and
 * replacement, IAM authentication, credentials in Secrets Manager (rotated by RDS by default), and
 * an optional RDS Proxy.
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
  readonly masterUsername: string;
  /** The database created at launch. */
  readonly databaseName: string;
  /** The port clients connect to. */
  readonly port: number;
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
  readonly logGroups: Readonly<Record<(typeof LOG_EXPORTS)[number], logs.ILogGroup>>;
  /** The customer-managed key, when there is one. */
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const instanceClass = props.instanceClass ?? dev.database.instanceClass;
    const engineVersion = props.engineVersion ?? POSTGRES_ENGINE_VERSION;
    const allocatedStorageGiB = props.allocatedStorageGiB ?? dev.database.allocatedStorageGiB;
    const maxAllocatedStorageGiB = props.maxAllocatedStorageGiB ?? dev.database.maxAllocatedStorageGiB;
    const backupRetentionDays = props.backupRetentionDays ?? 7;
    const monitoringSeconds = props.enhancedMonitoringIntervalSeconds ?? 0;
    const insights = props.databaseInsights ?? 'standard';
    const rotateCredentials = props.rotateCredentials ?? true;
    const expectedConnections = props.expectedConnections ?? profileConnectionDemand(dev) + ADMIN_RESERVED_CONNECTIONS;
    const vpcSubnets = props.vpcSubnets ?? {
      subnetType: props.vpc.isolatedSubnets.length >= 2 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    };
    this.instanceClass = instanceClass;
    this.databaseName = props.databaseName ?? DEFAULT_DATABASE_NAME;
    this.masterUsername = DEFAULT_MASTER_USERNAME;
    this.port = POSTGRES_PORT;

    // --- Validate everything first, report every problem at once ---------------------------------
    const p = new Problems(this.node.path);
    const spec = GRAVITON_INSTANCE_CLASSES[instanceClass];
    if (Token.isUnresolved(instanceClass)) {
      p.add('instanceClass is an unresolved token; pass the class name itself (e.g. \'db.r7g.large\'): the parameters are computed from it at synth');
    } else if (!spec) {
      p.add(unknownInstanceClassMessage(instanceClass));
    }
    const engine = rds.DatabaseInstanceEngine.postgres({ version: engineVersion });
    checkEngineVersion(p, engineVersion, engine.parameterGroupFamily);
    p.range('allocatedStorageGiB', allocatedStorageGiB, 20, 65536, { integer: true, unit: 'GiB', fix: 'gp3 on RDS starts at 20 GiB' });
    p.range('maxAllocatedStorageGiB', maxAllocatedStorageGiB, 20, 65536, { integer: true, unit: 'GiB' });
    p.notAbove('allocatedStorageGiB', allocatedStorageGiB, 'maxAllocatedStorageGiB', maxAllocatedStorageGiB);
    p.check(!(maxAllocatedStorageGiB > allocatedStorageGiB && maxAllocatedStorageGiB < minStorageCeiling(allocatedStorageGiB)),
      `maxAllocatedStorageGiB (${maxAllocatedStorageGiB}) must be at least 10% above allocatedStorageGiB (${allocatedStorageGiB}), i.e. ${minStorageCeiling(allocatedStorageGiB)} or more, for storage autoscaling; raise it, or set it equal to allocatedStorageGiB to turn autoscaling off`);
    p.check(Token.isUnresolved(this.databaseName) || /^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(this.databaseName),
      `databaseName ('${this.databaseName}') must start with a letter and hold only letters, digits and underscores, at most 63 characters (an RDS for PostgreSQL DBName)`);
    p.range('backupRetentionDays', backupRetentionDays, 0, 35, { integer: true, fix: 'RDS keeps automated backups for 0 (off) to 35 days' });
    p.oneOf('enhancedMonitoringIntervalSeconds', monitoringSeconds, ENHANCED_MONITORING_INTERVALS as readonly number[]);
    p.oneOf('databaseInsights', insights, ['standard', 'advanced']);
    p.range('expectedConnections', expectedConnections, 1, 100_000, { integer: true });
    p.range('proxyMaxConnectionsPercent', props.proxyMaxConnectionsPercent, 1, 100, { integer: true });
    const slowQueryMs = (props.slowQueryThreshold ?? DEFAULT_SLOW_QUERY_THRESHOLD).toMilliseconds();
    p.range('slowQueryThreshold (ms)', slowQueryMs, 1, 3_600_000, { integer: true });

    const tuned = spec
      ? tunePostgresParameters(instanceClass, { expectedConnections, allocatedStorageGiB, slowQueryMs }).parameters
      : [];
    const parameters = applyOverrides(p, tuned, props.parameterOverrides ?? {});
    p.throwIfAny();

    this.parameters = parameters;
    this.burstable = spec.burstable;
    this.maxConnections = Number(parameters.find((x) => x.name === 'max_connections')?.value);

    // --- Encryption ------------------------------------------------------------------------------
    this.encryptionKey = props.encryptionKey ?? (props.customerManagedKey
      ? new kms.Key(this, 'Key', {
        description: `Encrypts the ${this.node.path} database, its snapshots, Performance Insights and its credentials`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      })
      : undefined);

    // --- Parameters, logs, network -----------------------------------------------------------------
    this.parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `Tuned for ${instanceClass} (${spec.vCpus} vCPUs, ${spec.memoryGiB} GiB) by cdk-scaling-stack`,
      parameters: Object.fromEntries(parameters.map((x) => [x.name, x.value])),
    });

    // The instance gets a name derived from its construct path so the export log groups can exist,
    // with their retention, before RDS writes to them (RDS would otherwise create them without
    // retention, and CloudFormation could then not create them). It also makes CloudFormation
    // refuse an update that would replace the database, instead of replacing it.
    const instanceIdentifier = instanceIdentifierFor(this);
    const logGroups: Record<string, logs.LogGroup> = {};
    for (const type of LOG_EXPORTS) {
      logGroups[type] = new logs.LogGroup(this, `${type[0].toUpperCase()}${type.slice(1)}Log`, {
        logGroupName: `/aws/rds/instance/${instanceIdentifier}/${type}`,
        retention: props.logRetention ?? logs.RetentionDays.ONE_WEEK,
        // The logs go only when the database itself is deleted: CloudFormation deletes the
        // instance (which fails under deletion protection) before the groups it depends on.
        removalPolicy: RemovalPolicy.DESTROY,
      });
    }
    this.logGroups = logGroups as Record<(typeof LOG_EXPORTS)[number], logs.LogGroup>;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${this.node.path} PostgreSQL instance: no inbound rule until a client is allowed in`,
      // The database starts no connections of its own.
      allowAllOutbound: false,
    });

    // --- The instance ------------------------------------------------------------------------------
    this.instance = new rds.DatabaseInstance(this, 'Resource', {
      engine,
      instanceIdentifier,
      instanceType: new ec2.InstanceType(instanceClass.replace(/^db\./, '')),
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [securityGroup],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      databaseName: this.databaseName,
      parameterGroup: this.parameterGroup,
      // Rotating: RDS creates the password, keeps it in Secrets Manager and rotates it every 7 days
      // (no rotation Lambda, no CloudFormation transform, no network path from the data subnets to
      // Secrets Manager; README, "Credentials and rotation"). Else a secret generated once.
      credentials: rotateCredentials
        ? rds.Credentials.fromUsername(this.masterUsername, { encryptionKey: this.encryptionKey })
        : rds.Credentials.fromGeneratedSecret(this.masterUsername, { encryptionKey: this.encryptionKey }),
      manageMasterUserPassword: rotateCredentials,
      iamAuthentication: true,
      caCertificate: CA_CERTIFICATE,
      multiAz: props.multiAz ?? true,
      storageType: rds.StorageType.GP3,
      allocatedStorage: allocatedStorageGiB,
      // Equal to the allocated storage means no autoscaling; RDS wants the property absent then.
      maxAllocatedStorage: maxAllocatedStorageGiB > allocatedStorageGiB ? maxAllocatedStorageGiB : undefined,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      backupRetention: Duration.days(backupRetentionDays),
      // Automated backups outlive the instance until their retention ends.
      deleteAutomatedBackups: false,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection ?? true,
      // A final snapshot on delete and before a replacement (DeletionPolicy and UpdateReplacePolicy).
      removalPolicy: RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      cloudwatchLogsExports: [...LOG_EXPORTS],
      enablePerformanceInsights: true,
      databaseInsightsMode: insights === 'advanced' ? rds.DatabaseInsightsMode.ADVANCED : rds.DatabaseInsightsMode.STANDARD,
      performanceInsightRetention: insights === 'advanced' ? rds.PerformanceInsightRetention.MONTHS_15 : rds.PerformanceInsightRetention.DEFAULT,
      performanceInsightEncryptionKey: this.encryptionKey,
      monitoringInterval: monitoringSeconds > 0 ? Duration.seconds(monitoringSeconds) : undefined,
    });
    const cfnInstance = this.instance.node.defaultChild as rds.CfnDBInstance;
    for (const group of Object.values(logGroups)) cfnInstance.node.addDependency(group);
    this.secret = this.instance.secret!;
    this.instanceEndpoint = this.instance.instanceEndpoint;

    const monitoringRole = this.instance.node.tryFindChild('MonitoringRole');
    if (monitoringRole) {
      Validations.of(monitoringRole).acknowledge({
        // Granular: this one AWS-managed policy, nothing else the role might be given.
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
        reason: 'Enhanced monitoring needs AmazonRDSEnhancedMonitoringRole, the AWS-maintained policy RDS documents for this role; it only writes the RDSOSMetrics log group.',
      });
    }
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason: 'PostgreSQL stays on 5432: the instance is in isolated subnets behind a security group with no inbound rule until a client is allowed in, and RDS Proxy listens on 5432 whatever the instance port, so another port would hide nothing.',
    });

    // --- The proxy -----------------------------------------------------------------------------------
    if (props.proxy ?? false) {
      const percent = props.proxyMaxConnectionsPercent ?? defaultProxyMaxConnectionsPercent(this.maxConnections);
      const proxySecurityGroup = new ec2.SecurityGroup(this, 'ProxySecurityGroup', {
        vpc: props.vpc,
        description: `${this.node.path} RDS Proxy: clients connect here; it connects to the instance only`,
        allowAllOutbound: false,
      });
      this.proxy = new rds.DatabaseProxy(this, 'Proxy', {
        proxyTarget: rds.ProxyTarget.fromInstance(this.instance),
        secrets: [this.secret, ...(props.proxyUserSecrets ?? [])],
        vpc: props.vpc,
        vpcSubnets,
        securityGroups: [proxySecurityGroup],
        requireTLS: true,
        iamAuth: props.proxyRequireIamAuth ?? true,
        maxConnectionsPercent: percent,
        // Clients that set session state (SET, prepared statements) pin their connection; SET of
        // variables is common in ORMs and does not need a pin.
        sessionPinningFilters: [rds.SessionPinningFilter.EXCLUDE_VARIABLE_SETS],
      });
      // CDK marks the target group taggable, but AWS::RDS::DBProxyTargetGroup takes no Tags
      // (cfn-lint E3002): drop whatever tags an app or stack applies to it.
      const targetGroup = this.proxy.node.findChild('ProxyTargetGroup') as rds.CfnDBProxyTargetGroup;
      targetGroup.addPropertyDeletionOverride('Tags');
      this.proxyMaxConnectionsPercent = percent;
      this.iamAuthRequired = props.proxyRequireIamAuth ?? true;
      this.connections = new ec2.Connections({ securityGroups: [proxySecurityGroup], defaultPort: ec2.Port.tcp(POSTGRES_PORT) });
      this.endpoint = new rds.Endpoint(this.proxy.endpoint, POSTGRES_PORT);
    } else {
      this.iamAuthRequired = false;
      this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(POSTGRES_PORT) });
      this.endpoint = this.instanceEndpoint;
    }
  }

  /**
   * Lets `grantee` connect as `dbUser` with an IAM authentication token (`rds-db:connect`), through
   * the proxy when there is one, else to the instance. Through the proxy, `dbUser` must be the user
   * of a proxy secret (the master user). Straight to the instance, the database user needs
   * `GRANT rds_iam TO <user>`, which turns its password login off: use an application user, not
   * the master user.
   *
   * @param dbUser the database user, default the master user
   */
  grantConnect(grantee: iam.IGrantable, dbUser: string = this.masterUsername): iam.Grant {
    return this.proxy ? this.proxy.grantConnect(grantee, dbUser) : this.instance.grantConnect(grantee, dbUser);
  }

  /** A metric of the instance (namespace AWS/RDS, dimension DBInstanceIdentifier), 5-minute period by default. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.instance.metric(metricName, props);
  }

  /** CPU utilization, percent (Average). */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', { statistic: 'Average', unit: cloudwatch.Unit.PERCENT, ...props });
  }

  /** Memory not in use, bytes (Minimum: the low point is what matters). */
  metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('FreeableMemory', { statistic: 'Minimum', unit: cloudwatch.Unit.BYTES, ...props });
  }

  /** Free storage, bytes (Minimum). Autoscaling adds storage below 10 % free, up to its ceiling. */
  metricFreeStorageSpace(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('FreeStorageSpace', { statistic: 'Minimum', unit: cloudwatch.Unit.BYTES, ...props });
  }

  /** Open connections to the instance (Maximum); compare with `maxConnections`. */
  metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DatabaseConnections', { statistic: 'Maximum', unit: cloudwatch.Unit.COUNT, ...props });
  }

  /** Average time per disk read, seconds. */
  metricReadLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ReadLatency', { statistic: 'Average', unit: cloudwatch.Unit.SECONDS, ...props });
  }

  /** Average time per disk write, seconds. */
  metricWriteLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('WriteLatency', { statistic: 'Average', unit: cloudwatch.Unit.SECONDS, ...props });
  }

  /** I/O requests waiting for the disk (Average): sustained values above a few mean storage is the bottleneck. */
  metricDiskQueueDepth(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DiskQueueDepth', { statistic: 'Average', unit: cloudwatch.Unit.COUNT, ...props });
  }

  /**
   * The oldest unfrozen transaction ID's age (Maximum). Near 2 billion PostgreSQL stops accepting
   * writes to avoid wraparound: a rising line means autovacuum is not keeping up.
   */
  metricMaximumUsedTransactionIds(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MaximumUsedTransactionIDs', { statistic: 'Maximum', unit: cloudwatch.Unit.COUNT, ...props });
  }

  /** Disk used by WAL, bytes (Maximum): grows when a replication slot or archiving falls behind. */
  metricTransactionLogsDiskUsage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('TransactionLogsDiskUsage', { statistic: 'Maximum', unit: cloudwatch.Unit.BYTES, ...props });
  }

  /** CPU credits left (Minimum). Only burstable classes (`burstable`) publish it; at 0 a db.t4g runs on surplus credits, billed. */
  metricCpuCreditBalance(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUCreditBalance', { statistic: 'Minimum', unit: cloudwatch.Unit.COUNT, ...props });
  }

  /** A metric of the proxy (namespace AWS/RDS, dimension ProxyName). Throws when there is no proxy. */
  metricProxy(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.proxy) {
      throw new ConfigurationError(this.node.path, [`metricProxy('${metricName}') needs a proxy, and this Database has none; create it with proxy: true`]);
    }
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { ProxyName: this.proxy.dbProxyName },
      ...props,
    });
  }

  /** Client connections open to the proxy (Sum over each minute's reports). */
  metricProxyClientConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricProxy('ClientConnections', { statistic: 'Sum', unit: cloudwatch.Unit.COUNT, ...props });
  }

  /** Connections the proxy holds to the instance (Sum over each minute's reports). */
  metricProxyDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricProxy('DatabaseConnections', { statistic: 'Sum', unit: cloudwatch.Unit.COUNT, ...props });
  }
}

/** Majors whose parameter family RDS offers and whose settings the tuner uses (PostgreSQL 14 and later). */
const SUPPORTED_FAMILIES = ['postgres14', 'postgres15', 'postgres16', 'postgres17', 'postgres18'];

function checkEngineVersion(p: Problems, version: rds.PostgresEngineVersion, family: string | undefined): void {
  const full = version.postgresFullVersion;
  if (Token.isUnresolved(full)) return;
  if (!family || !SUPPORTED_FAMILIES.includes(family)) {
    p.add(`engineVersion ('${full}', major '${version.postgresMajorVersion}') has no RDS parameter group family this construct can tune (${family ? `'${family}'` : 'none'}); use a PostgresEngineVersion.VER_1x_y constant or PostgresEngineVersion.of('17.9', '17'), majors 14 to 18`);
  } else if (!/^\d+\.\d+$/.test(full)) {
    p.add(`engineVersion ('${full}') must be a full minor version such as '17.9', not a bare major: cfn-lint flags it (W3691) and each environment could run a different minor`);
  }
}

/** Replaces tuned values with the caller's overrides, each checked; shared_preload_libraries is merged. */
function applyOverrides(p: Problems, tuned: readonly TunedParameter[], overrides: Record<string, string>): TunedParameter[] {
  const result = new Map(tuned.map((x) => [x.name, x]));
  for (const [rawName, rawValue] of Object.entries(overrides)) {
    const check = checkParameterOverride(rawName, rawValue);
    if (check.problem !== undefined) {
      p.add(check.problem);
      continue;
    }
    const name = rawName.toLowerCase();
    let value = check.value;
    if (name === 'shared_preload_libraries') {
      const libraries = new Set([...PRELOADED_LIBRARIES, ...value.split(',').map((s) => s.trim()).filter(Boolean)]);
      value = [...libraries].join(',');
    }
    if (name === 'max_connections' && !/^\d+$/.test(value)) {
      p.add(`parameterOverrides: max_connections ('${rawValue}') must be a plain number so the connection budget can be checked at synth`);
      continue;
    }
    const previous = result.get(name);
    result.set(name, {
      name,
      value,
      rule: `override from parameterOverrides${previous ? ` (tuned value was ${previous.value})` : ''}`,
      source: 'parameterOverrides',
      requiresReboot: POSTGRES_SETTINGS[name]?.context === 'postmaster',
      rdsOnly: name.startsWith('rds.'),
    });
  }
  return [...result.values()];
}

/** A valid, stable DB instance identifier from the construct path: lower case, ≤ 63 characters. */
function instanceIdentifierFor(scope: Construct): string {
  const name = Names.uniqueResourceName(scope, { maxLength: 60, separator: '-' }).toLowerCase().replace(/-+/g, '-').replace(/-$/, '');
  return /^[a-z]/.test(name) ? name : `db-${name}`;
}
