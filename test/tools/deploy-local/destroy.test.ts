import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { ElasticLoadBalancingV2Client, ModifyLoadBalancerAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { dev, prod } from '../../../lib/core/profiles';
import { createClients } from '../../../tools/deploy-local/aws';
import type { CdkResult, CdkRunner } from '../../../tools/deploy-local/cdk';
import { destroyStack, heldProtections, type DestroySession } from '../../../tools/deploy-local/destroy';

const cfn = mockClient(CloudFormationClient);
const rds = mockClient(RDSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => {
  cfn.reset();
  rds.reset();
  elb.reset();
});

/** A CDK CLI that answers each run with the next result, and records the arguments. */
function fakeCdk(...results: CdkResult[]): CdkRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (args) => {
      calls.push([...args]);
      return results.shift() ?? { code: 0, output: '' };
    },
    killRunning: () => undefined,
  };
}

function session(cdk: CdkRunner, lines: string[]): DestroySession {
  return { clients: createClients('http://localhost:9'), cdk, print: (line) => lines.push(line) };
}

const failed = (logicalId: string, type: string, reason: string): StackEvent => ({
  LogicalResourceId: logicalId,
  ResourceType: type,
  ResourceStatus: 'DELETE_FAILED',
  ResourceStatusReason: reason,
  StackId: 'x',
  StackName: 'S',
  EventId: logicalId,
  Timestamp: new Date(1),
});
const dbHeld = failed(
  'Db',
  'AWS::RDS::DBInstance',
  'InvalidParameterCombination: Cannot delete protected DB Instance, please disable deletion protection and try again.',
);
const lbHeld = failed(
  'Lb',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  "OperationNotPermitted: Load balancer 'arn:lb' cannot be deleted because deletion protection is enabled",
);

function stackWith(...resources: Array<[string, string, string]>) {
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'S', StackStatus: 'DELETE_FAILED', CreationTime: new Date(0) }] });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: resources.map(([logicalId, type, physicalId]) => ({
      LogicalResourceId: logicalId,
      ResourceType: type,
      PhysicalResourceId: physicalId,
      ResourceStatus: 'DELETE_FAILED',
      LastUpdatedTimestamp: new Date(0),
    })),
  });
}

test('heldProtections: which protection held which resource, from the DELETE_FAILED reasons', () => {
  const other = failed('Vpc', 'AWS::EC2::VPC', 'DependencyViolation: the VPC has dependencies');
  expect(heldProtections([dbHeld, other, lbHeld]).map(({ protection, logicalIds }) => [protection.setting, logicalIds])).toEqual([
    ['profile.database.deletionProtection', ['Db']],
    ['profile.web.deletionProtection', ['Lb']],
  ]);
});

test('deletion protection the profile asks for (database and load balancer): lifted, as an operator would, and the destroy retried', async () => {
  // GIVEN the first destroy stops at the protected database and load balancer
  const cdk = fakeCdk({ code: 1, output: 'DELETE_FAILED' }, { code: 0, output: '' });
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [lbHeld, dbHeld] });
  stackWith(['Db', 'AWS::RDS::DBInstance', 'db-1'], ['Lb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'arn:lb']);
  rds.on(ModifyDBInstanceCommand).resolves({});
  elb.on(ModifyLoadBalancerAttributesCommand).resolves({});
  const lines: string[] = [];
  // WHEN
  const problems = await destroyStack(session(cdk, lines), prod, 'S', '/assembly');
  // THEN
  expect(problems).toEqual([]);
  expect(rds.commandCalls(ModifyDBInstanceCommand).map((c) => c.args[0].input)).toEqual([
    { DBInstanceIdentifier: 'db-1', DeletionProtection: false, ApplyImmediately: true },
  ]);
  expect(elb.commandCalls(ModifyLoadBalancerAttributesCommand).map((c) => c.args[0].input)).toEqual([
    { LoadBalancerArn: 'arn:lb', Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }] },
  ]);
  expect(lines).toEqual([
    '  deletion protection held Db, as profile.database.deletionProtection intends; lifting it to finish the rehearsal',
    '  deletion protection held Lb, as profile.web.deletionProtection intends; lifting it to finish the rehearsal',
  ]);
  expect(cdk.calls).toEqual([
    ['destroy', 'S', '--app', '/assembly', '--force'],
    ['destroy', 'S', '--app', '/assembly', '--force'],
  ]);
});

test('a protection that shows only on the retry is lifted too; one that still holds after lifting is a failure', async () => {
  // GIVEN the database holds first, then the load balancer, then the load balancer again
  const cdk = fakeCdk({ code: 1, output: '' }, { code: 1, output: '' }, { code: 1, output: '' });
  cfn
    .on(DescribeStackEventsCommand)
    .resolvesOnce({ StackEvents: [dbHeld] })
    .resolves({ StackEvents: [lbHeld] });
  stackWith(['Db', 'AWS::RDS::DBInstance', 'db-1'], ['Lb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'arn:lb']);
  const problems = await destroyStack(session(cdk, []), prod, 'S', '/assembly');
  expect(cdk.calls).toHaveLength(3);
  expect(elb.commandCalls(ModifyLoadBalancerAttributesCommand)).toHaveLength(1);
  expect(problems).toEqual([
    `cdk destroy S failed (exit 1):\n      Lb (AWS::ElasticLoadBalancingV2::LoadBalancer) DELETE_FAILED: ${lbHeld.ResourceStatusReason}`,
  ]);
});

test('deletion protection the profile does not ask for is a failure, with the event that shows it', async () => {
  const cdk = fakeCdk({ code: 1, output: 'DELETE_FAILED' });
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [dbHeld] });
  const problems = await destroyStack(session(cdk, []), dev, 'S', '/assembly');
  expect(problems).toEqual([`cdk destroy S failed (exit 1):\n      Db (AWS::RDS::DBInstance) DELETE_FAILED: ${dbHeld.ResourceStatusReason}`]);
  expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
});

test('a destroy that fails without events says what the CLI said', async () => {
  const cdk = fakeCdk({ code: 1, output: 'line 1\nError: the credentials are not valid' });
  cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  expect(await destroyStack(session(cdk, []), dev, 'S', '/assembly')).toEqual([
    'cdk destroy S failed (exit 1); the CLI said:\n    line 1\n    Error: the credentials are not valid',
  ]);
});
