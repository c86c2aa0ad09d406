import { Duration, Names, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { DEFAULT_MASTER_USERNAME, LOG_EXPORTS, POSTGRES_PORT } from '../core/database';
import type { DatabaseConfig } from './config';
import { CA_CERTIFICATE } from './defaults';

/** What the instance is built from besides its config. */
export interface InstanceParts {
  readonly vpc: ec2.IVpc;
  readonly config: DatabaseConfig;
  readonly instanceIdentifier: string;
  readonly parameterGroup: rds.IParameterGroup;
  readonly logGroups: Readonly<Record<string, logs.ILogGroup>>;
  readonly encryptionKey?: kms.IKey;
}

/**
 * The customer-managed key (construct ID `Key`) for storage, snapshots, Performance Insights and
 * the credentials secret, rotated yearly. Kept when the stack goes: the snapshots it encrypts outlive
 * the instance and are unreadable without it.
 */
export function createEncryptionKey(scope: Construct): kms.Key {
  return new kms.Key(scope, 'Key', {
    description: `Encrypts the ${scope.node.path} database, its snapshots, Performance Insights and its credentials`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * A valid, stable DB instance identifier from the construct path: lower case, ≤ 63 characters. The
 * export log groups are named after it (so they exist before RDS writes to them), and a fixed name
 * makes CloudFormation refuse an update that would replace the database, instead of replacing it.
 */
export function instanceIdentifierFor(scope: Construct): string {
  const name = Names.uniqueResourceName(scope, { maxLength: 60, separator: '-' }).toLowerCase().replace(/-+/g, '-').replace(/-$/, '');
  return /^[a-z]/.test(name) ? name : `db-${name}`;
}

/**
 * The instance (construct ID `Resource`) and its security group (`SecurityGroup`, no inbound rule
 * until a client is let in), both children of `scope`, with the cdk-nag acknowledgments that
 * follow from its configuration.
 */
export function createInstance(scope: Construct, parts: InstanceParts): { instance: rds.DatabaseInstance; securityGroup: ec2.SecurityGroup } {
  const { config, encryptionKey } = parts;
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: parts.vpc,
    description: `${scope.node.path} PostgreSQL instance: no inbound rule until a client is allowed in`,
    // The database starts no connections of its own.
    allowAllOutbound: false,
  });

  const instance = new rds.DatabaseInstance(scope, 'Resource', {
    engine: config.engine,
    instanceIdentifier: parts.instanceIdentifier,
    instanceType: new ec2.InstanceType(config.instanceClass.replace(/^db\./, '')),
    vpc: parts.vpc,
    vpcSubnets: config.vpcSubnets,
    securityGroups: [securityGroup],
    publiclyAccessible: false,
    port: POSTGRES_PORT,
    databaseName: config.databaseName,
    parameterGroup: parts.parameterGroup,
    // Rotating: RDS creates the password, keeps it in Secrets Manager and rotates it every 7 days
    // (no rotation Lambda, no CloudFormation transform, no network path from the data subnets to
    // Secrets Manager; README, "Credentials and rotation"). Else a secret generated once.
    credentials: config.rotateCredentials
      ? rds.Credentials.fromUsername(DEFAULT_MASTER_USERNAME, { encryptionKey })
      : rds.Credentials.fromGeneratedSecret(DEFAULT_MASTER_USERNAME, { encryptionKey }),
    manageMasterUserPassword: config.rotateCredentials,
    iamAuthentication: true,
    caCertificate: CA_CERTIFICATE,
    multiAz: config.multiAz,
    storageType: rds.StorageType.GP3,
    allocatedStorage: config.allocatedStorageGiB,
    // Equal to the allocated storage means no autoscaling; RDS wants the property absent then.
    maxAllocatedStorage: config.maxAllocatedStorageGiB > config.allocatedStorageGiB ? config.maxAllocatedStorageGiB : undefined,
    storageEncrypted: true,
    storageEncryptionKey: encryptionKey,
    backupRetention: Duration.days(config.backupRetentionDays),
    // Automated backups outlive the instance until their retention ends.
    deleteAutomatedBackups: false,
    copyTagsToSnapshot: true,
    deletionProtection: config.deletionProtection,
    // A final snapshot on delete and before a replacement (DeletionPolicy and UpdateReplacePolicy).
    removalPolicy: RemovalPolicy.SNAPSHOT,
    autoMinorVersionUpgrade: true,
    allowMajorVersionUpgrade: false,
    cloudwatchLogsExports: [...LOG_EXPORTS],
    enablePerformanceInsights: true,
    databaseInsightsMode: config.insights === 'advanced' ? rds.DatabaseInsightsMode.ADVANCED : rds.DatabaseInsightsMode.STANDARD,
    performanceInsightRetention: config.insights === 'advanced' ? rds.PerformanceInsightRetention.MONTHS_15 : rds.PerformanceInsightRetention.DEFAULT,
    performanceInsightEncryptionKey: encryptionKey,
    monitoringInterval: config.monitoringSeconds > 0 ? Duration.seconds(config.monitoringSeconds) : undefined,
  });
  const cfnInstance = instance.node.defaultChild as rds.CfnDBInstance;
  for (const group of Object.values(parts.logGroups)) cfnInstance.node.addDependency(group);

  acknowledgeConfiguration(instance, config);
  return { instance, securityGroup };
}

/**
 * cdk-nag findings that are choices, acknowledged where the choice is made: the port always, and
 * single-AZ, no deletion protection and no rotation only when the props say so. Each reason says
 * what is given up and what still protects the data.
 */
function acknowledgeConfiguration(instance: rds.DatabaseInstance, config: DatabaseConfig): void {
  const monitoringRole = instance.node.tryFindChild('MonitoringRole');
  if (monitoringRole) {
    Validations.of(monitoringRole).acknowledge({
      // Granular: this one AWS-managed policy, nothing else the role might be given.
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason:
        'Enhanced monitoring needs AmazonRDSEnhancedMonitoringRole, the AWS-maintained policy RDS documents for this role; it only writes the RDSOSMetrics log group.',
    });
  }
  Validations.of(instance).acknowledge({
    id: 'AwsSolutions-RDS11',
    reason:
      'PostgreSQL stays on 5432: the instance is in isolated subnets behind a security group with no inbound rule until a client is allowed in, and RDS Proxy listens on 5432 whatever the instance port, so another port would hide nothing.',
  });
  const recovery =
    config.backupRetentionDays > 0
      ? `${config.backupRetentionDays} day(s) of point-in-time recovery and a final snapshot on delete`
      : 'a final snapshot on delete';
  if (!config.multiAz) {
    Validations.of(instance).acknowledge({
      id: 'AwsSolutions-RDS3',
      reason: `multiAz is off (availability is opt-in): a single-AZ ${config.instanceClass} halves the instance bill, and an AZ outage costs it downtime, not data (${recovery}). validateProfile() requires Multi-AZ in production profiles.`,
    });
  }
  if (!config.deletionProtection) {
    Validations.of(instance).acknowledge({
      id: 'AwsSolutions-RDS10',
      reason: `deletionProtection is off by configuration, so its stack can be deleted (a dev or test environment); ${recovery} still keep the data. validateProfile() requires deletion protection in production profiles.`,
    });
  }
  if (!config.rotateCredentials) {
    Validations.of(instance.node.findChild('Secret')).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'rotateCredentials is off by configuration: clients connect straight to the instance with the password they read at start, which a rotation would break every 7 days; the password is still generated into Secrets Manager, never written in the template. validateProfile() requires rotation in production profiles, where clients use IAM tokens through RDS Proxy.',
    });
  }
}
