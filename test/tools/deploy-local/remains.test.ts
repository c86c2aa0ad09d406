import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createClients } from '../../../tools/deploy-local/aws';
import { checkRemains, strayLogGroups } from '../../../tools/deploy-local/remains';
import type { DeployedResource } from '../../../tools/deploy-local/stack';
import type { CfnTemplate } from '../../../tools/deploy-local/template';

const ec2 = mockClient(EC2Client);
const logs = mockClient(CloudWatchLogsClient);
const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
const clients = createClients('http://localhost:9');

// GIVEN a stack with a retained log group and bucket, a VPC, a queue, an inline policy (part of its
// roles), a placeholder, and a type deploy-local cannot probe
const template: CfnTemplate = {
  Resources: {
    Logs: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain' },
    Bucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' },
    Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', DeletionPolicy: 'Snapshot' },
    Restrict: { Type: 'Custom::VpcRestrictDefaultSG' },
    Vpc: { Type: 'AWS::EC2::VPC' },
    Queue: { Type: 'AWS::SQS::Queue', DeletionPolicy: 'Delete' },
    Policy: { Type: 'AWS::IAM::Policy' },
    Handler: { Type: 'AWS::Lambda::Function', Metadata: { 'aws:cdk:path': 'S/Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler' } },
  },
};
const resources: DeployedResource[] = [
  { logicalId: 'Logs', type: 'AWS::Logs::LogGroup', physicalId: 'S-Logs-1', status: 'CREATE_COMPLETE' },
  { logicalId: 'Bucket', type: 'AWS::S3::Bucket', physicalId: 's-bucket-1', status: 'CREATE_COMPLETE' },
  { logicalId: 'Cache', type: 'AWS::ElastiCache::ReplicationGroup', physicalId: 's-cache-1', status: 'CREATE_COMPLETE' },
  { logicalId: 'Restrict', type: 'Custom::VpcRestrictDefaultSG', physicalId: 'x', status: 'CREATE_COMPLETE' },
  { logicalId: 'Vpc', type: 'AWS::EC2::VPC', physicalId: 'vpc-1', status: 'CREATE_COMPLETE' },
  {
    logicalId: 'Queue',
    type: 'AWS::SQS::Queue',
    physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/S-Queue-1',
    status: 'CREATE_COMPLETE',
  },
  { logicalId: 'Policy', type: 'AWS::IAM::Policy', physicalId: 'S-Polic-1', status: 'CREATE_COMPLETE' },
  { logicalId: 'Handler', type: 'AWS::Lambda::Function', physicalId: 'S-Handler-1', status: 'CREATE_COMPLETE' },
];

test('retained-by-design resources are listed; anything else still there is a leftover; unprobed types and parts are named; placeholders are not probed', async () => {
  // GIVEN the log group, the bucket and the queue survived; the VPC and the function are gone
  s3.on(HeadBucketCommand).resolves({});
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: 'S-Logs-1' }] });
  ec2.on(DescribeVpcsCommand).rejects(Object.assign(new Error("The vpc ID 'vpc-1' does not exist"), { name: 'InvalidVpcID.NotFound' }));
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: 'http://localhost:9/123456789012/S-Queue-1' });
  lambda.on(GetFunctionCommand).rejects(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' }));
  // WHEN
  const remains = await checkRemains(clients, template, resources, new Set(['Cache']));
  // THEN
  expect(remains.retained.map((r) => [r.logicalId, r.still])).toEqual([
    ['Logs', true],
    ['Bucket', true],
  ]);
  expect(remains.leftover.map((r) => r.logicalId)).toEqual(['Queue']);
  expect(remains.unprobedTypes).toEqual(['Custom::VpcRestrictDefaultSG']);
  expect(remains.partTypes).toEqual(['AWS::IAM::Policy']);
  expect(remains.probeErrors).toEqual([]);
});

test('log groups named after the stack that it does not manage: CDK provider ones are expected, others are not', async () => {
  logs.on(DescribeLogGroupsCommand).resolves({
    logGroups: [
      { logGroupName: 'S-Logs-1' },
      { logGroupName: '/aws/lambda/S-Handler-1' },
      { logGroupName: '/aws/lambda/S-Worker-1' },
      { logGroupName: 'OtherStack-Logs' },
    ],
  });
  expect(await strayLogGroups(clients, template, 'S-', resources)).toEqual({
    fromCdkProviders: ['/aws/lambda/S-Handler-1'],
    fromIgnoredLoggingConfig: [],
    unexpected: ['/aws/lambda/S-Worker-1'],
  });
});

test("a function's default log group is moto's doing when its LoggingConfig names a group of the stack", async () => {
  // GIVEN a function that logs to the stack's group on AWS, and one without LoggingConfig
  const configured: CfnTemplate = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { LoggingConfig: { LogGroup: { Ref: 'Logs' } } } },
      Bare: { Type: 'AWS::Lambda::Function', Properties: {} },
    },
  };
  const deployed: DeployedResource[] = [
    { logicalId: 'Fn', type: 'AWS::Lambda::Function', physicalId: 'S-Fn-1', status: 'CREATE_COMPLETE' },
    { logicalId: 'Bare', type: 'AWS::Lambda::Function', physicalId: 'S-Bare-1', status: 'CREATE_COMPLETE' },
  ];
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/aws/lambda/S-Fn-1' }, { logGroupName: '/aws/lambda/S-Bare-1' }] });
  // WHEN / THEN
  expect(await strayLogGroups(clients, configured, 'S-', deployed)).toEqual({
    fromCdkProviders: [],
    fromIgnoredLoggingConfig: ['/aws/lambda/S-Fn-1'],
    unexpected: ['/aws/lambda/S-Bare-1'],
  });
});

test('a probe that fails for another reason than "not found" is reported, and the others still run', async () => {
  // GIVEN the VPC probe answers HTTP 500
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  ec2.on(DescribeVpcsCommand).rejects(Object.assign(new Error('Internal Server Error\nmore'), { name: 'InternalError' }));
  sqs.on(GetQueueUrlCommand).rejects(Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' }));
  lambda.on(GetFunctionCommand).rejects(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' }));
  s3.on(HeadBucketCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
  // WHEN
  const remains = await checkRemains(clients, template, resources);
  // THEN
  expect(remains.probeErrors).toEqual(['Vpc (AWS::EC2::VPC) vpc-1: InternalError: Internal Server Error']);
  expect(remains.leftover).toEqual([]);
  expect(remains.retained.map((r) => [r.logicalId, r.still])).toEqual([
    ['Logs', false],
    ['Bucket', false],
  ]);
});
