import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { createClients } from '../../../tools/deploy-local/aws';
import { RDSClient, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import {
  attributeReader,
  describeDeployedStack,
  failureEvents,
  formatEvent,
  PLACEHOLDER_MARK,
  placeholdersOf,
} from '../../../tools/deploy-local/stack';

const cfn = mockClient(CloudFormationClient);
const rds = mockClient(RDSClient);
const clients = createClients('http://localhost:9');
const { cloudformation } = clients;
beforeEach(() => {
  cfn.reset();
  rds.reset();
});

const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 5, 0, second));
const event = (second: number, logicalId: string, type: string, status: string, reason?: string): StackEvent => ({
  Timestamp: at(second),
  LogicalResourceId: logicalId,
  ResourceType: type,
  ResourceStatus: status as StackEvent['ResourceStatus'],
  ResourceStatusReason: reason,
  StackName: 'S',
  StackId: 'id',
  EventId: `${second}`,
});

test('failureEvents: the failed resources and the rollback of the last attempt, oldest first', async () => {
  // GIVEN an earlier attempt that failed, then a new attempt that failed on the database (newest first, as CloudFormation lists them)
  cfn.on(DescribeStackEventsCommand).resolves({
    StackEvents: [
      event(9, 'S', 'AWS::CloudFormation::Stack', 'ROLLBACK_COMPLETE'),
      event(8, 'S', 'AWS::CloudFormation::Stack', 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [Db].'),
      event(7, 'Db', 'AWS::RDS::DBInstance', 'CREATE_FAILED', 'Invalid DB instance class: db.t4g.nano'),
      event(6, 'Vpc', 'AWS::EC2::VPC', 'CREATE_COMPLETE'),
      event(5, 'S', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated'),
      event(2, 'Old', 'AWS::SQS::Queue', 'CREATE_FAILED', 'an earlier failure'),
      event(1, 'S', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated'),
    ],
  });
  // WHEN
  const events = await failureEvents(cloudformation, 'S');
  // THEN
  expect(events.map(formatEvent)).toEqual([
    'Db (AWS::RDS::DBInstance) CREATE_FAILED: Invalid DB instance class: db.t4g.nano',
    'S (AWS::CloudFormation::Stack) ROLLBACK_IN_PROGRESS: The following resource(s) failed to create: [Db].',
    'S (AWS::CloudFormation::Stack) ROLLBACK_COMPLETE',
  ]);
});

test('failureEvents: no stack, no events', async () => {
  cfn.on(DescribeStackEventsCommand).rejects(Object.assign(new Error('Stack with id S does not exist'), { name: 'ValidationError' }));
  expect(await failureEvents(cloudformation, 'S')).toEqual([]);
});

test('describeDeployedStack: status, resolved parameters, outputs, and resources without the blank rows moto adds for skipped ones', async () => {
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'S',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: at(0),
        Parameters: [
          { ParameterKey: 'Ami', ParameterValue: '/aws/service/ami', ResolvedValue: 'ami-1' },
          { ParameterKey: 'BootstrapVersion', ParameterValue: '33' },
        ],
        Outputs: [{ OutputKey: 'Url', OutputValue: 'http://x' }],
      },
    ],
  });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      {
        LogicalResourceId: 'Vpc',
        ResourceType: 'AWS::EC2::VPC',
        PhysicalResourceId: 'vpc-1',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: at(1),
      },
      { LogicalResourceId: '', ResourceType: '', PhysicalResourceId: '', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: at(1) },
    ],
  });
  expect(await describeDeployedStack(cloudformation, 'S')).toEqual({
    name: 'S',
    status: 'CREATE_COMPLETE',
    parameters: { Ami: 'ami-1', BootstrapVersion: '33' },
    outputs: { Url: 'http://x' },
    resources: [{ logicalId: 'Vpc', type: 'AWS::EC2::VPC', physicalId: 'vpc-1', status: 'CREATE_COMPLETE' }],
  });
});

test('describeDeployedStack: a stack that does not exist is undefined', async () => {
  cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id S does not exist'), { name: 'ValidationError' }));
  expect(await describeDeployedStack(cloudformation, 'S')).toBeUndefined();
});

test('placeholdersOf: the resources moto_server.py stood in for in the last deploy, by their CREATE_COMPLETE event', async () => {
  // GIVEN an earlier deploy with a placeholder, then the last one with two (newest first)
  const reason = `${PLACEHOLDER_MARK}: moto does not model AWS::ElastiCache::ReplicationGroup; …`;
  cfn.on(DescribeStackEventsCommand).resolves({
    StackEvents: [
      event(9, 'S', 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE'),
      event(8, 'Secret', 'AWS::SecretsManager::Secret', 'CREATE_COMPLETE', `${PLACEHOLDER_MARK}: moto does not model AWS::SecretsManager::Secret; …`),
      event(7, 'Cache', 'AWS::ElastiCache::ReplicationGroup', 'CREATE_COMPLETE', reason),
      event(6, 'Vpc', 'AWS::EC2::VPC', 'CREATE_COMPLETE', 'created'),
      event(5, 'S', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated'),
      event(2, 'Old', 'AWS::RDS::DBProxy', 'CREATE_COMPLETE', `${PLACEHOLDER_MARK}: …`),
      event(1, 'S', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated'),
    ],
  });
  // WHEN
  const placeholders = await placeholdersOf(cloudformation, 'S');
  // THEN
  expect([...placeholders.keys()]).toEqual(['Cache', 'Secret']);
  expect(placeholders.get('Cache')).toBe(reason);
});

test('attributeReader: an RDS instance’s managed master secret ARN, read from RDS', async () => {
  rds
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'db-1' })
    .resolves({ DBInstances: [{ MasterUserSecret: { SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf' } }] });
  expect(await attributeReader(clients)('Db', 'AWS::RDS::DBInstance', 'db-1', 'MasterUserSecret.SecretArn')).toBe(
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf',
  );
});
