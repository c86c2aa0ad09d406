import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ConfigurationError } from '../private/problems';

/** What the proxy is built from. */
export interface ProxyParts {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly instance: rds.DatabaseInstance;
  /** The master user's secret first, then further users the proxy may log in as. */
  readonly secrets: secretsmanager.ISecret[];
  readonly requireIamAuth: boolean;
  /**
   * Database users the proxy logs in as with IAM end to end (`DefaultAuthScheme: IAM_AUTH`): the
   * proxy signs its own token for the client's user, so it needs no secret of theirs, only
   * `rds-db:connect` on the instance for each. Undefined: the proxy logs in with `secrets`.
   */
  readonly endToEndIamUsers?: readonly string[];
  readonly maxConnectionsPercent: number;
}

/**
 * RDS Proxy (construct ID `Proxy`) and its own security group (`ProxySecurityGroup`), children of
 * `scope`: clients connect to the proxy, which requires TLS and pools their connections onto at most
 * `maxConnectionsPercent` of the instance's max_connections.
 */
export function createProxy(scope: Construct, parts: ProxyParts): { proxy: rds.DatabaseProxy; securityGroup: ec2.SecurityGroup } {
  const securityGroup = new ec2.SecurityGroup(scope, 'ProxySecurityGroup', {
    vpc: parts.vpc,
    description: `${scope.node.path} RDS Proxy: clients connect here; it connects to the instance only`,
    allowAllOutbound: false,
  });
  const proxy = new rds.DatabaseProxy(scope, 'Proxy', {
    proxyTarget: rds.ProxyTarget.fromInstance(parts.instance),
    secrets: parts.secrets.length > 0 ? parts.secrets : undefined,
    // End-to-end IAM authentication: clients sign a token for their own role, the proxy signs one
    // for the same role towards the instance; no secret of the master user or of the roles is read.
    // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-iam-setup.html ("Creating an
    // IAM policy for end-to-end IAM authentication") and rds-proxy-iam-migration.html.
    defaultAuthScheme: parts.endToEndIamUsers ? rds.DefaultAuthScheme.IAM_AUTH : undefined,
    vpc: parts.vpc,
    vpcSubnets: parts.vpcSubnets,
    securityGroups: [securityGroup],
    requireTLS: true,
    iamAuth: parts.requireIamAuth,
    maxConnectionsPercent: parts.maxConnectionsPercent,
    // Clients that set session state (SET, prepared statements) pin their connection; SET of
    // variables is common in ORMs and does not need a pin.
    sessionPinningFilters: [rds.SessionPinningFilter.EXCLUDE_VARIABLE_SETS],
  });
  // CDK marks the target group taggable, but AWS::RDS::DBProxyTargetGroup takes no Tags
  // (cfn-lint E3002): drop whatever tags an app or stack applies to it.
  const targetGroup = proxy.node.findChild('ProxyTargetGroup') as rds.CfnDBProxyTargetGroup;
  targetGroup.addPropertyDeletionOverride('Tags');
  // aws-cdk-lib gives the proxy's role read access to the secrets only; end to end it must also
  // connect to the instance as each user (rds-db:connect on the instance's DbiResourceId).
  for (const user of parts.endToEndIamUsers ?? []) parts.instance.grantConnect(proxy.node.findChild('IAMRole') as iam.Role, user);
  return { proxy, securityGroup };
}

/**
 * A metric of the proxy (namespace AWS/RDS, dimension ProxyName). Throws, naming the Database at
 * `path`, when there is no proxy: an alarm on a metric nothing publishes would never fire.
 */
export function proxyMetric(
  path: string,
  proxy: rds.DatabaseProxy | undefined,
  metricName: string,
  props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  if (!proxy) {
    throw new ConfigurationError(path, [`metricProxy('${metricName}') needs a proxy, and this Database has none; create it with proxy: true`]);
  }
  return new cloudwatch.Metric({
    namespace: 'AWS/RDS',
    metricName,
    dimensionsMap: { ProxyName: proxy.dbProxyName },
    ...props,
  });
}
