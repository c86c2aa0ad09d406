// After `cdk destroy`: which of the stack's resources still exist. Those the template retains on
// purpose (DeletionPolicy Retain / RetainExceptOnCreate, e.g. log groups) are expected; any other
// survivor is a failure. Each type is probed with the SDK; types without a probe are listed.
import { GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeAddressesCommand,
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetInstanceProfileCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetEventSourceMappingCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import {
  DescribeDBInstancesCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBSnapshotsCommand,
  DescribeDBSubnetGroupsCommand,
} from '@aws-sdk/client-rds';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { errorName, type Clients } from './aws';
import type { DeployedResource } from './stack';
import type { CfnTemplate } from './template';

/** Whether a resource still exists; undefined when deploy-local has no probe for its type. */
type Probe = (clients: Clients, physicalId: string) => Promise<boolean>;

/** Exists: has a state, and not one of the states a deleted resource lingers in. */
const existsUnless = (state: string | undefined, ...goneStates: string[]) => state !== undefined && !goneStates.includes(state);

const PROBES: Record<string, Probe> = {
  'AWS::EC2::VPC': async (c, id) => ((await c.ec2.send(new DescribeVpcsCommand({ VpcIds: [id] }))).Vpcs ?? []).length > 0,
  'AWS::EC2::Subnet': async (c, id) => ((await c.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [id] }))).Subnets ?? []).length > 0,
  'AWS::EC2::SecurityGroup': async (c, id) =>
    ((await c.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups ?? []).length > 0,
  'AWS::EC2::RouteTable': async (c, id) => ((await c.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables ?? []).length > 0,
  'AWS::EC2::InternetGateway': async (c, id) =>
    ((await c.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] }))).InternetGateways ?? []).length > 0,
  'AWS::EC2::NatGateway': async (c, id) =>
    existsUnless((await c.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways?.[0]?.State, 'deleted', 'deleting'),
  'AWS::EC2::EIP': async (c, id) =>
    ((await c.ec2.send(new DescribeAddressesCommand(id.startsWith('eipalloc-') ? { AllocationIds: [id] } : { PublicIps: [id] }))).Addresses ?? [])
      .length > 0,
  'AWS::EC2::Instance': async (c, id) =>
    existsUnless(
      (await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0]?.State?.Name,
      'terminated',
      'shutting-down',
    ),
  'AWS::EC2::VPCEndpoint': async (c, id) =>
    existsUnless(
      (await c.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints?.[0]?.State,
      'deleted',
      'Deleted',
      'deleting',
    ),
  'AWS::EC2::FlowLog': async (c, id) => ((await c.ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: [id] }))).FlowLogs ?? []).length > 0,
  'AWS::Logs::LogGroup': async (c, id) =>
    ((await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: id }))).logGroups ?? []).some((g) => g.logGroupName === id),
  'AWS::IAM::Role': async (c, id) => (await c.iam.send(new GetRoleCommand({ RoleName: id }))).Role !== undefined,
  'AWS::IAM::InstanceProfile': async (c, id) =>
    (await c.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: id }))).InstanceProfile !== undefined,
  'AWS::KMS::Key': async (c, id) =>
    existsUnless((await c.kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata?.KeyState, 'PendingDeletion', 'PendingReplicaDeletion'),
  'AWS::Lambda::Function': async (c, id) => (await c.lambda.send(new GetFunctionCommand({ FunctionName: id }))).Configuration !== undefined,
  'AWS::Lambda::EventSourceMapping': async (c, id) => (await c.lambda.send(new GetEventSourceMappingCommand({ UUID: id }))).UUID !== undefined,
  'AWS::SQS::Queue': async (c, id) =>
    (await c.sqs.send(new GetQueueUrlCommand({ QueueName: id.slice(id.lastIndexOf('/') + 1) }))).QueueUrl !== undefined,
  'AWS::ECS::Cluster': async (c, id) =>
    existsUnless((await c.ecs.send(new DescribeClustersCommand({ clusters: [id] }))).clusters?.[0]?.status, 'INACTIVE'),
  'AWS::ECS::TaskDefinition': async (c, id) =>
    existsUnless(
      (await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: id }))).taskDefinition?.status,
      'INACTIVE',
      'DELETE_IN_PROGRESS',
    ),
  'AWS::ECS::Service': async (c, id) => {
    const cluster = id.split('/').slice(-2, -1)[0];
    return existsUnless((await c.ecs.send(new DescribeServicesCommand({ cluster, services: [id] }))).services?.[0]?.status, 'INACTIVE', 'DRAINING');
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': async (c, id) =>
    ((await c.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [id] }))).LoadBalancers ?? []).length > 0,
  'AWS::ElasticLoadBalancingV2::TargetGroup': async (c, id) =>
    ((await c.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [id] }))).TargetGroups ?? []).length > 0,
  'AWS::ElasticLoadBalancingV2::Listener': async (c, id) =>
    ((await c.elbv2.send(new DescribeListenersCommand({ ListenerArns: [id] }))).Listeners ?? []).length > 0,
  'AWS::RDS::DBInstance': async (c, id) =>
    ((await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances ?? []).length > 0,
  'AWS::RDS::DBParameterGroup': async (c, id) =>
    ((await c.rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: id }))).DBParameterGroups ?? []).length > 0,
  'AWS::RDS::DBSubnetGroup': async (c, id) =>
    ((await c.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: id }))).DBSubnetGroups ?? []).length > 0,
  'AWS::S3::Bucket': async (c, id) => {
    await c.s3.send(new HeadBucketCommand({ Bucket: id }));
    return true;
  },
  'AWS::SNS::Topic': async (c, id) => (await c.sns.send(new GetTopicAttributesCommand({ TopicArn: id }))).Attributes !== undefined,
  'AWS::CloudWatch::Dashboard': async (c, id) =>
    (await c.cloudwatch.send(new GetDashboardCommand({ DashboardName: id }))).DashboardName !== undefined,
};

/**
 * Types that exist only as part of another resource of the stack, which is probed: a route in its
 * route table, a rule in its security group, an inline policy in its roles, a queue or bucket
 * policy on its queue or bucket. They are not probed on their own.
 */
const PARTS = new Set([
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::IAM::Policy',
  'AWS::Lambda::Permission',
  'AWS::SQS::QueuePolicy',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::ECS::ClusterCapacityProviderAssociations',
  'AWS::RDS::DBProxyTargetGroup',
  'AWS::SecretsManager::SecretTargetAttachment',
]);

/** Error names the services answer with when the resource does not exist. */
const NOT_FOUND =
  /NotFound|NoSuchEntity|NoSuchBucket|NonExistentQueue|QueueDoesNotExist|ResourceNotFound|ClusterNotFound|ServiceNotFound|InvalidParameterException|InvalidParameterValue/;

/** DeletionPolicy values that keep a resource when its stack is deleted. */
const RETAINING = new Set(['Retain', 'RetainExceptOnCreate']);

export interface Remains {
  /** Retained by the template's DeletionPolicy: expected. `still` is false when moto deleted it anyway. */
  readonly retained: Array<DeployedResource & { readonly still: boolean }>;
  /** Final snapshots of DB instances whose DeletionPolicy is Snapshot (missing: the policy did not work). */
  readonly snapshots: Array<DeployedResource & { readonly snapshot?: string }>;
  /** Still there without a DeletionPolicy that keeps it: a failure. */
  readonly leftover: DeployedResource[];
  /** Types deploy-local cannot probe (their resources are neither passed nor failed). */
  readonly unprobedTypes: string[];
  /** Types not probed because each is part of another resource of the stack that is probed. */
  readonly partTypes: string[];
  /** Probes that failed for another reason than "not found": what remains of these is unknown. */
  readonly probeErrors: string[];
}

/**
 * Probes each resource the stack listed. `placeholders` (logical IDs moto_server.py stood in for)
 * were never created, and are not probed.
 */
export async function checkRemains(
  clients: Clients,
  template: CfnTemplate,
  resources: readonly DeployedResource[],
  placeholders: ReadonlySet<string> = new Set(),
  probes: Record<string, Probe> = PROBES,
): Promise<Remains> {
  const retained: Remains['retained'] = [];
  const snapshots: Remains['snapshots'] = [];
  const leftover: DeployedResource[] = [];
  const unprobed = new Set<string>();
  const parts = new Set<string>();
  const probeErrors: string[] = [];
  for (const r of resources) {
    if (placeholders.has(r.logicalId)) continue;
    if (PARTS.has(r.type)) {
      parts.add(r.type);
      continue;
    }
    const probe = probes[r.type];
    if (!probe || r.physicalId === '') {
      unprobed.add(r.type);
      continue;
    }
    let exists: boolean;
    try {
      exists = await probe(clients, r.physicalId);
    } catch (error) {
      if (!NOT_FOUND.test(errorName(error))) {
        probeErrors.push(`${r.logicalId} (${r.type}) ${r.physicalId}: ${errorName(error) || 'Error'}: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
      exists = false;
    }
    const policy = template.Resources[r.logicalId]?.DeletionPolicy;
    if (policy && RETAINING.has(policy)) retained.push({ ...r, still: exists });
    else if (exists) leftover.push(r);
    if (policy === 'Snapshot' && r.type === 'AWS::RDS::DBInstance') {
      const found =
        (await clients.rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: r.physicalId, SnapshotType: 'manual' }))).DBSnapshots ?? [];
      snapshots.push({ ...r, snapshot: found[0]?.DBSnapshotIdentifier });
    }
  }
  return { retained, snapshots, leftover, unprobedTypes: [...unprobed].sort(), partTypes: [...parts].sort(), probeErrors };
}

export interface StrayLogGroups {
  /** Written by CDK's own custom-resource provider, which aws-cdk-lib gives no log group setting. */
  readonly fromCdkProviders: string[];
  /**
   * The default group of a function whose LoggingConfig names a group the stack manages: on AWS it
   * logs there; moto ignores LoggingConfig and writes the default group when it tries to run it.
   */
  readonly fromIgnoredLoggingConfig: string[];
  /** Anything else: a function of ours logging to a group the stack does not manage. */
  readonly unexpected: string[];
}

/** CDK's core custom-resource providers (e.g. the default-SG restriction) live at this construct path. */
const CDK_PROVIDER_PATH = /\/Custom::[A-Za-z0-9]+CustomResourceProvider\/Handler$/;

/**
 * Log groups named after the stack that survive it and are not its resources: Lambda creates
 * `/aws/lambda/<function>` on first run unless the stack manages that group, and nothing deletes it.
 */
export async function strayLogGroups(
  clients: Clients,
  template: CfnTemplate,
  stackName: string,
  resources: readonly DeployedResource[],
): Promise<StrayLogGroups> {
  const managed = new Set(resources.filter((r) => r.type === 'AWS::Logs::LogGroup').map((r) => r.physicalId));
  const providerFunctions = new Set(
    resources
      .filter(
        (r) =>
          r.type === 'AWS::Lambda::Function' && CDK_PROVIDER_PATH.test(String(template.Resources[r.logicalId]?.Metadata?.['aws:cdk:path'] ?? '')),
      )
      .map((r) => `/aws/lambda/${r.physicalId}`),
  );
  const configuredFunctions = new Set(
    resources
      .filter(
        (r) =>
          r.type === 'AWS::Lambda::Function' &&
          (template.Resources[r.logicalId]?.Properties?.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup,
      )
      .map((r) => `/aws/lambda/${r.physicalId}`),
  );
  const result: StrayLogGroups = { fromCdkProviders: [], fromIgnoredLoggingConfig: [], unexpected: [] };
  for await (const page of paginateDescribeLogGroups({ client: clients.logs }, {})) {
    for (const name of (page.logGroups ?? []).map((g) => g.logGroupName ?? '')) {
      if (!name.includes(stackName) || managed.has(name)) continue;
      if (providerFunctions.has(name)) result.fromCdkProviders.push(name);
      else if (configuredFunctions.has(name)) result.fromIgnoredLoggingConfig.push(name);
      else result.unexpected.push(name);
    }
  }
  return result;
}
