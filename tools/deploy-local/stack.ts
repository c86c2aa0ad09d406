// What CloudFormation (the emulator's) says about a stack: its status, parameters, outputs and
// resources, the events that explain a failure, and the attributes `Fn::GetAtt` reads.
import {
  DescribeStacksCommand,
  paginateDescribeStackEvents,
  paginateListStackResources,
  type CloudFormationClient,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { DescribeAvailabilityZonesCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { ACCOUNT, REGION, errorName, type Clients } from './aws';
import type { AttributeReader } from './template';

export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly status: string;
}

export interface DeployedStack {
  readonly name: string;
  readonly status: string;
  readonly parameters: Record<string, string>;
  readonly outputs: Record<string, string>;
  /** Resources CloudFormation lists; moto also lists the ones it skipped, with no logical ID: those are left out. */
  readonly resources: DeployedResource[];
}

/** The stack as CloudFormation reports it, or undefined when there is no such stack. */
export async function describeDeployedStack(cfn: CloudFormationClient, name: string): Promise<DeployedStack | undefined> {
  let stack;
  try {
    stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
  } catch (error) {
    if (errorName(error) === 'ValidationError') return undefined;
    throw error;
  }
  if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
  const resources: DeployedResource[] = [];
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: name })) {
    for (const r of page.StackResourceSummaries ?? []) {
      if (!r.LogicalResourceId) continue;
      resources.push({
        logicalId: r.LogicalResourceId,
        type: r.ResourceType ?? '',
        physicalId: r.PhysicalResourceId ?? '',
        status: r.ResourceStatus ?? '',
      });
    }
  }
  return {
    name,
    status: stack.StackStatus ?? 'UNKNOWN',
    parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ResolvedValue ?? p.ParameterValue ?? ''])),
    outputs: Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
    resources,
  };
}

const FAILED = /FAILED$|ROLLBACK/;

/** The events of the stack's last operation (from the most recent "User Initiated" on), oldest first; empty when there is no stack. */
async function lastOperationEvents(cfn: CloudFormationClient, name: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  try {
    for await (const page of paginateDescribeStackEvents({ client: cfn }, { StackName: name })) events.push(...(page.StackEvents ?? []));
  } catch (error) {
    if (errorName(error) === 'ValidationError') return [];
    throw error;
  }
  // DescribeStackEvents lists newest first.
  const chronological = [...events].reverse();
  const lastStart = chronological
    .map((e) => e.ResourceStatusReason === 'User Initiated' && e.ResourceType === 'AWS::CloudFormation::Stack')
    .lastIndexOf(true);
  return chronological.slice(Math.max(lastStart, 0));
}

/**
 * The events that explain why a deploy failed, oldest first: every failed resource with its
 * reason, and the stack's own rollback events. Empty when the stack never came to exist.
 */
export async function failureEvents(cfn: CloudFormationClient, name: string): Promise<StackEvent[]> {
  return (await lastOperationEvents(cfn, name)).filter((e) => FAILED.test(e.ResourceStatus ?? ''));
}

/** How tools/deploy-local/moto_server.py starts the status reason of a placeholder's CREATE_COMPLETE event. */
export const PLACEHOLDER_MARK = 'moto_server.py placeholder';

/**
 * Resources of the last deploy that moto_server.py stood in for (a type moto does not model, that a
 * created resource or an output refers to): logical ID -> the event's reason. CloudFormation lists
 * them with a physical ID, but nothing was created.
 */
export async function placeholdersOf(cfn: CloudFormationClient, name: string): Promise<Map<string, string>> {
  const placeholders = new Map<string, string>();
  for (const e of await lastOperationEvents(cfn, name)) {
    if (e.ResourceStatus === 'CREATE_COMPLETE' && e.LogicalResourceId && e.ResourceStatusReason?.startsWith(PLACEHOLDER_MARK)) {
      placeholders.set(e.LogicalResourceId, e.ResourceStatusReason);
    }
  }
  return placeholders;
}

/** `LogicalId (Type) STATUS: reason`, one line per event. */
export function formatEvent(event: StackEvent): string {
  const reason = event.ResourceStatusReason ? `: ${event.ResourceStatusReason}` : '';
  return `${event.LogicalResourceId} (${event.ResourceType}) ${event.ResourceStatus}${reason}`;
}

/** The region's availability zones in order, as `Fn::GetAZs` returns them. */
export async function zonesOf(clients: Clients): Promise<string[]> {
  const zones = (await clients.ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? [];
  return zones
    .map((z) => z.ZoneName ?? '')
    .filter((z) => z !== '')
    .sort();
}

/**
 * Reads `Fn::GetAtt` attributes: from the physical ID where CloudFormation derives them from it
 * (ARNs, IDs), otherwise from the service. Undefined for attributes it does not know.
 */
export function attributeReader(clients: Clients, account: string = ACCOUNT, region: string = REGION): AttributeReader {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
  return async (_logicalId, type, physical, attribute) => {
    switch (`${type}.${attribute}`) {
      case 'AWS::EC2::SecurityGroup.GroupId':
      case 'AWS::EC2::VPC.VpcId':
      case 'AWS::EC2::Subnet.SubnetId':
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerArn':
      case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupArn':
      case 'AWS::ElasticLoadBalancingV2::Listener.ListenerArn':
      case 'AWS::ECS::TaskDefinition.TaskDefinitionArn':
      case 'AWS::ECS::Service.ServiceArn':
        return physical;
      case 'AWS::EC2::EIP.AllocationId':
        return physical;
      case 'AWS::Lambda::Function.Arn':
        return arn('lambda', `function:${physical}`);
      case 'AWS::SQS::Queue.Arn':
        return arn('sqs', lastSegment(physical));
      case 'AWS::SQS::Queue.QueueName':
        return lastSegment(physical);
      case 'AWS::SQS::Queue.QueueUrl':
        return physical;
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${account}:role/${physical}`;
      case 'AWS::ECS::Cluster.Arn':
        return arn('ecs', `cluster/${physical}`);
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${physical}:*`);
      case 'AWS::KMS::Key.Arn':
        return arn('kms', `key/${physical}`);
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName':
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerFullName':
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.CanonicalHostedZoneID': {
        const lb = (await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [physical] }))).LoadBalancers?.[0];
        if (attribute === 'DNSName') return lb?.DNSName;
        if (attribute === 'CanonicalHostedZoneID') return lb?.CanonicalHostedZoneId;
        return physical.split(':loadbalancer/')[1];
      }
      case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupFullName': {
        const tg = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [physical] }))).TargetGroups?.[0];
        return tg?.TargetGroupArn?.split(':')[5];
      }
      case 'AWS::RDS::DBInstance.Endpoint.Address':
      case 'AWS::RDS::DBInstance.Endpoint.Port':
      case 'AWS::RDS::DBInstance.MasterUserSecret.SecretArn': {
        const db = (await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: physical }))).DBInstances?.[0];
        if (attribute === 'MasterUserSecret.SecretArn') return db?.MasterUserSecret?.SecretArn;
        return attribute === 'Endpoint.Address' ? db?.Endpoint?.Address : db?.Endpoint?.Port?.toString();
      }
      default:
        return undefined;
    }
  };
}

function lastSegment(text: string): string {
  return text.slice(text.lastIndexOf('/') + 1);
}
