import { CloudFormationClient, DescribeStackEventsCommand, DescribeStacksCommand, ListStackResourcesCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { createClients } from '../../../tools/deploy-local/aws';
import { describeDeployedStack, failureEvents, formatEvent } from '../../../tools/deploy-local/stack';

const cfn = mockClient(CloudFormationClient);
const { cloudformation } = createClients('http://localhost:9');
beforeEach(() => cfn.reset());

const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 5, 0, second));
const event = (second: number, logicalId: string, type: string, status: string, reason?: string): StackEvent =>
  ({ Timestamp: at(second), LogicalResourceId: logicalId, ResourceType: type, ResourceStatus: status as StackEvent['ResourceStatus'], ResourceStatusReason: reason, StackName: 'S', StackId: 'id', EventId: `${second}` });

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
    Stacks: [{
      StackName: 'S', StackStatus: 'CREATE_COMPLETE', CreationTime: at(0),
      Parameters: [{ ParameterKey: 'Ami', ParameterValue: '/aws/service/ami', ResolvedValue: 'ami-1' }, { ParameterKey: 'BootstrapVersion', ParameterValue: '33' }],
      Outputs: [{ OutputKey: 'Url', OutputValue: 'http://x' }],
    }],
  });
  cfn.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      { LogicalResourceId: 'Vpc', ResourceType: 'AWS::EC2::VPC', PhysicalResourceId: 'vpc-1', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: at(1) },
      { LogicalResourceId: '', ResourceType: '', PhysicalResourceId: '', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: at(1) },
    ],
  });
  expect(await describeDeployedStack(cloudformation, 'S')).toEqual({
    name: 'S', status: 'CREATE_COMPLETE', parameters: { Ami: 'ami-1', BootstrapVersion: '33' }, outputs: { Url: 'http://x' },
    resources: [{ logicalId: 'Vpc', type: 'AWS::EC2::VPC', physicalId: 'vpc-1', status: 'CREATE_COMPLETE' }],
  });
});

test('describeDeployedStack: a stack that does not exist is undefined', async () => {
  cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id S does not exist'), { name: 'ValidationError' }));
  expect(await describeDeployedStack(cloudformation, 'S')).toBeUndefined();
});
