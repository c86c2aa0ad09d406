import * as path from 'node:path';
import { Annotations, CfnElement, CustomResource, Duration, RemovalPolicy, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  APPLICATION_STATEMENT_TIMEOUT_MS,
  BOOTSTRAP_EXTENSIONS,
  DEFAULT_APPLICATION_ROLE,
  DEFAULT_MONITORING_CONNECTION_LIMIT,
  DEFAULT_MONITORING_ROLE,
  MONITORING_STATEMENT_TIMEOUT_MS,
  defaultApplicationConnectionLimit,
  roleNameProblem,
  type BootstrapProperties,
} from '../core/database-roles';
import { DEFAULT_MASTER_USERNAME } from '../core/database';
import { BUNDLE_AWS_SDK, WORKER_NODE_OPTIONS } from '../core/worker';
import { grantOwnLogGroup, grantVpcNetworkInterfaces } from '../private/lambda-role';
import { Problems } from '../private/problems';
import { acknowledgeTracingWrites, lambdaTracing } from '../private/lambda-tracing';
import { WORKER_ARCHITECTURE, WORKER_RUNTIME, workerBundling } from '../private/worker-defaults';
import { findLockFile, lambdaEntry } from '../queue-worker/package-paths';
import type { DatabaseBootstrapOptions } from './bootstrap-props';

/** The bootstrap's options, resolved and checked. */
export interface BootstrapConfig {
  readonly applicationRoleName: string;
  readonly monitoringRoleName: string;
  readonly applicationConnectionLimit: number;
  readonly monitoringConnectionLimit: number;
  readonly applicationStatementTimeoutMs: number;
  readonly statements: readonly string[];
  readonly runToken?: string;
}

/** Resolves the bootstrap's defaults and throws one error with every problem, naming the Database at `path`. */
export function resolveBootstrapConfig(
  path: string,
  options: DatabaseBootstrapOptions,
  maxConnections: number,
  proxyMaxConnectionsPercent: number | undefined,
): BootstrapConfig {
  const config: BootstrapConfig = {
    applicationRoleName: options.applicationRoleName ?? DEFAULT_APPLICATION_ROLE,
    monitoringRoleName: options.monitoringRoleName ?? DEFAULT_MONITORING_ROLE,
    applicationConnectionLimit: options.applicationConnectionLimit ?? defaultApplicationConnectionLimit(maxConnections, proxyMaxConnectionsPercent),
    monitoringConnectionLimit: options.monitoringConnectionLimit ?? DEFAULT_MONITORING_CONNECTION_LIMIT,
    applicationStatementTimeoutMs: options.applicationStatementTimeout?.toMilliseconds() ?? APPLICATION_STATEMENT_TIMEOUT_MS,
    statements: options.statements ?? [],
    runToken: options.runToken,
  };
  const p = new Problems(path);
  for (const [prop, name] of [
    ['bootstrap.applicationRoleName', config.applicationRoleName],
    ['bootstrap.monitoringRoleName', config.monitoringRoleName],
  ] as const) {
    const problem = Token.isUnresolved(name)
      ? `${prop} is an unresolved token; pass the name itself`
      : roleNameProblem(prop, name, DEFAULT_MASTER_USERNAME);
    if (problem) p.add(problem);
  }
  p.check(
    config.applicationRoleName !== config.monitoringRoleName,
    `bootstrap.applicationRoleName and bootstrap.monitoringRoleName are both '${config.applicationRoleName}'; give the roles different names`,
  );
  const fix = `from 1 to max_connections (${maxConnections})`;
  p.range('bootstrap.applicationConnectionLimit', config.applicationConnectionLimit, 1, maxConnections, { integer: true, fix });
  p.range('bootstrap.monitoringConnectionLimit', config.monitoringConnectionLimit, 1, maxConnections, { integer: true, fix });
  p.range('bootstrap.applicationStatementTimeout (ms)', config.applicationStatementTimeoutMs, 0, 86_400_000, {
    integer: true,
    fix: 'from 0 (off) to a day',
  });
  config.statements.forEach((sql, i) => p.check(sql.trim() !== '', `bootstrap.statements[${i}] is empty; remove it`));
  p.throwIfAny();
  return config;
}

/** What the bootstrap is built from (resolved by the Database). */
export interface DatabaseBootstrapProps {
  readonly vpc: ec2.IVpc;
  /** X-Ray active tracing of the function. */
  readonly tracing?: boolean;
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The database's subnets, where the function runs when the VPC has no private subnets with egress. */
  readonly fallbackSubnets: ec2.SubnetSelection;
  readonly instance: rds.DatabaseInstance;
  readonly masterSecret: secretsmanager.ISecret;
  readonly databaseName: string;
  /** IAM mode: the roles log in with IAM tokens only (`rds_iam`), and get no password secret. */
  readonly iamAuth: boolean;
  readonly config: BootstrapConfig;
  /** Encrypts the roles' secrets, when the database has a customer-managed key. */
  readonly encryptionKey?: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly bundling?: nodejs.BundlingOptions;
}

/**
 * The database bootstrap (construct ID `Bootstrap` of a Database): a Lambda function in the VPC that
 * logs in to the instance as the master user (TLS verified against the RDS CAs) and applies the
 * roles, extensions and your statements in one transaction, behind the custom-resources Provider
 * framework, which turns a thrown error into a FAILED event carrying its message. It runs on create
 * and on every update of its properties; delete keeps every role and all data.
 *
 * In password mode it generates one secret per role (`applicationSecret`, `monitoringSecret`); in
 * IAM mode the roles are members of `rds_iam` and have no password.
 */
export class DatabaseBootstrap extends Construct implements ec2.IConnectable {
  /** The function that applies the SQL: the only principal of this library that reads the master secret. */
  readonly function: lambda.Function;
  /** The custom resource; make what needs the roles depend on it (`node.addDependency(bootstrap)`). */
  readonly resource: CustomResource;
  /** The function's security group: the instance admits it on 5432. */
  readonly connections: ec2.Connections;
  readonly applicationRoleName: string;
  readonly monitoringRoleName: string;
  /**
   * The application role's login: `{ username, dbname }` and, in password mode, `password`. In IAM
   * mode it names the user only (clients sign a token for it), so every client reads its user from
   * the same place in both modes.
   */
  readonly applicationSecret: secretsmanager.ISecret;
  /** The monitoring role's login, as `applicationSecret`. */
  readonly monitoringSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DatabaseBootstrapProps) {
    super(scope, id);
    const { config } = props;
    this.applicationRoleName = config.applicationRoleName;
    this.monitoringRoleName = config.monitoringRoleName;
    this.applicationSecret = this.roleSecret('ApplicationSecret', config.applicationRoleName, props);
    this.monitoringSecret = this.roleSecret('MonitoringSecret', config.monitoringRoleName, props);

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${this.node.path}: the bootstrap function; HTTPS to Secrets Manager and PostgreSQL to the instance`,
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to Secrets Manager');
    this.connections = new ec2.Connections({ securityGroups: [securityGroup] });

    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${this.node.path}: reads the master and role secrets, connects to the instance`,
    });
    const tracing = lambdaTracing(props.tracing ?? false);
    const entry = lambdaEntry('db-bootstrap');
    const depsLockFilePath = findLockFile(entry);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      depsLockFilePath,
      projectRoot: depsLockFilePath ? path.dirname(depsLockFilePath) : undefined,
      description: 'Creates the database roles and extensions (custom resource)',
      runtime: WORKER_RUNTIME,
      architecture: WORKER_ARCHITECTURE,
      memorySize: 256,
      // Three connect attempts of 10 s with 5 s between them, then a few statements: well inside.
      timeout: Duration.minutes(2),
      role,
      logGroup,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? defaultSubnets(this, props),
      securityGroups: [securityGroup],
      bundling: { ...workerBundling(props.bundling?.bundleAwsSDK ?? BUNDLE_AWS_SDK), ...props.bundling },
      tracing: tracing.tracing,
      environment: { ...tracing.environment, NODE_OPTIONS: WORKER_NODE_OPTIONS, POWERTOOLS_SERVICE_NAME: 'db-bootstrap' },
    });
    acknowledgeTracingWrites(role, tracing);
    grantOwnLogGroup(role, logGroup);
    grantVpcNetworkInterfaces(role);
    props.masterSecret.grantRead(role);
    if (!props.iamAuth) {
      this.applicationSecret.grantRead(role);
      this.monitoringSecret.grantRead(role);
    }

    // The Provider framework's function gets a role of ours that may write its own log group and
    // invoke the bootstrap, not the AWSLambdaBasicExecutionRole aws-cdk-lib would attach (which may
    // also create log groups anywhere).
    const providerLogGroup = new logs.LogGroup(this, 'ProviderLogGroup', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const providerRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${this.node.path}: the custom-resource framework that invokes the bootstrap function`,
    });
    grantOwnLogGroup(providerRole, providerLogGroup);
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      logGroup: providerLogGroup,
      frameworkOnEventRole: providerRole,
    });
    acknowledgeProviderInvoke(providerRole, this.function);

    const properties: BootstrapProperties = {
      host: props.instance.instanceEndpoint.hostname,
      port: 5432,
      database: props.databaseName,
      masterSecretArn: props.masterSecret.secretArn,
      iamAuth: props.iamAuth,
      extensions: BOOTSTRAP_EXTENSIONS,
      application: {
        name: config.applicationRoleName,
        connectionLimit: config.applicationConnectionLimit,
        statementTimeoutMs: config.applicationStatementTimeoutMs,
        secretArn: props.iamAuth ? undefined : this.applicationSecret.secretArn,
      },
      monitoring: {
        name: config.monitoringRoleName,
        connectionLimit: config.monitoringConnectionLimit,
        statementTimeoutMs: MONITORING_STATEMENT_TIMEOUT_MS,
        secretArn: props.iamAuth ? undefined : this.monitoringSecret.secretArn,
      },
      statements: config.statements,
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::DatabaseBootstrap',
      // runToken is read by nobody: a new value is a change, and a change runs the bootstrap.
      properties: { ...properties, port: String(properties.port), ...(config.runToken !== undefined ? { runToken: config.runToken } : {}) },
    });
    // The function's egress and its role's policy exist before the resource runs.
    this.resource.node.addDependency(securityGroup, role);
  }

  private roleSecret(id: string, username: string, props: DatabaseBootstrapProps): secretsmanager.Secret {
    const identity = { username, dbname: props.databaseName, engine: 'postgres' };
    const secret = new secretsmanager.Secret(this, id, {
      description: props.iamAuth
        ? `${this.node.path}: the ${username} database role's user name; it logs in with IAM tokens (rds_iam), so there is no password`
        : `${this.node.path}: the ${username} database role's login (username, password); the bootstrap sets the password on every deploy`,
      encryptionKey: props.encryptionKey,
      ...(props.iamAuth
        ? // Nothing secret: the names, in the place every client reads its user from.
          { secretObjectValue: Object.fromEntries(Object.entries(identity).map(([k, v]) => [k, SecretValue.unsafePlainText(v)])) }
        : {
            generateSecretString: {
              secretStringTemplate: JSON.stringify(identity),
              generateStringKey: 'password',
              passwordLength: 32,
              // Letters and digits only: nothing a connection string or a shell would need to escape.
              excludePunctuation: true,
            },
          }),
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: props.iamAuth
        ? 'IAM mode: the secret holds the role name only; the role logs in with 15-minute IAM tokens, there is no password to rotate.'
        : 'Password mode (no RDS Proxy IAM authentication): rotate by writing a new password into this secret and deploying again (docs/database.md, "Rotating credentials"); the bootstrap sets it. A rotation Lambda would change the password under running clients that read it at start.',
    });
    return secret;
  }
}

/**
 * The VPC's private subnets with egress (a route to Secrets Manager), else the database's own
 * subnets with a warning: they reach Secrets Manager only through an interface endpoint.
 */
function defaultSubnets(scope: Construct, props: DatabaseBootstrapProps): ec2.SubnetSelection {
  if (props.vpc.privateSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  Annotations.of(scope).addWarningV2(
    'cdk-scaling-stack:bootstrapSubnets',
    'The VPC has no private subnets with egress: the bootstrap function runs in the database subnets and reaches Secrets Manager only through an interface endpoint (ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER). Add one, or pass bootstrap.vpcSubnets, or bootstrap: false.',
  );
  return props.fallbackSubnets;
}

/** The Provider framework's one finding: the invoke grant aws-cdk-lib writes, on the function's versions too. */
function acknowledgeProviderInvoke(providerRole: iam.Role, onEvent: lambda.Function): void {
  const onEventId = Stack.of(onEvent).getLogicalId(onEvent.node.defaultChild as CfnElement);
  Validations.of(providerRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${onEventId}.Arn>:*]`,
    reason: 'aws-cdk-lib grants the Provider framework lambda:InvokeFunction on the bootstrap function and its versions (`:*`); nothing else.',
  });
}
