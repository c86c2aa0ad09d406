import { GetEventSourceMappingCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { dev } from '../../../../lib/core/profiles';
import type { CfnTemplate } from '../../../../tools/deploy-local/template';
import { functionVerifier, queueVerifier } from '../../../../tools/deploy-local/verify/worker';
import { failures, verifyContext } from '../helpers';

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
beforeEach(() => {
  sqs.reset();
  lambda.reset();
});

// GIVEN a worker: a queue with a DLQ feeding a function, and a CDK custom-resource handler beside it
const template: CfnTemplate = {
  Resources: {
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
    Queue: {
      Type: 'AWS::SQS::Queue',
      Properties: { VisibilityTimeout: 180, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 } },
    },
    Role: { Type: 'AWS::IAM::Role' },
    App1: { Type: 'AWS::EC2::Subnet' },
    Sg: { Type: 'AWS::EC2::SecurityGroup' },
    Logs: { Type: 'AWS::Logs::LogGroup' },
    Cache: { Type: 'AWS::ElastiCache::ReplicationGroup' },
    Worker: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: 30,
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Environment: {
          Variables: { DB_NAME: 'app', JOBS_DLQ_URL: { Ref: 'Dlq' }, CACHE_HOST: { 'Fn::GetAtt': ['Cache', 'PrimaryEndPoint.Address'] } },
        },
        VpcConfig: { SubnetIds: [{ Ref: 'App1' }], SecurityGroupIds: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] },
        LoggingConfig: { LogGroup: { Ref: 'Logs' } },
      },
    },
    Handler: {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs24.x', Handler: '__entrypoint__.handler', Timeout: 900, MemorySize: 128 },
    },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
        FunctionName: { Ref: 'Worker' },
        BatchSize: 2,
        ScalingConfig: { MaximumConcurrency: 2 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    },
  },
};
const url = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;
const physical = {
  Dlq: url('S-Dlq-1'),
  Queue: url('S-Queue-1'),
  Worker: 'S-Worker-1',
  Handler: 'S-Handler-1',
  Mapping: 'uuid-1',
  Role: 'S-Role-1',
  App1: 'subnet-app1',
  Sg: 'sg-1',
  Logs: 'S-Logs-1',
  Cache: 's-cache-1',
};
const roleArn = 'arn:aws:iam::123456789012:role/S-Role-1';
const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

function mockQueues(queueAttributes: Record<string, string> = {}) {
  sqs.on(GetQueueUrlCommand).callsFake((input: { QueueName: string }) => ({ QueueUrl: `http://localhost:9/123456789012/${input.QueueName}` }));
  sqs
    .on(GetQueueAttributesCommand, { QueueUrl: 'http://localhost:9/123456789012/S-Dlq-1' })
    .resolves({ Attributes: { VisibilityTimeout: '30', MessageRetentionPeriod: '1209600', SqsManagedSseEnabled: 'true', QueueArn: arn('S-Dlq-1') } });
  sqs.on(GetQueueAttributesCommand, { QueueUrl: 'http://localhost:9/123456789012/S-Queue-1' }).resolves({
    Attributes: {
      VisibilityTimeout: '180',
      MessageRetentionPeriod: '345600',
      SqsManagedSseEnabled: 'true',
      QueueArn: arn('S-Queue-1'),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('S-Dlq-1'), maxReceiveCount: 3 }),
      ...queueAttributes,
    },
  });
}

describe('queues', () => {
  test('the redrive policy reaches the DLQ the template names, and the worker queue outlasts 6 × the worker timeout', async () => {
    mockQueues();
    const ctx = verifyContext(template, physical, { profile: dev });
    await queueVerifier.verify(ctx);
    expect(failures(ctx)).toEqual([]);
    expect(ctx.checks.checks.find((c) => c.property === 'VisibilityTimeout vs worker timeout')).toMatchObject({
      ok: true,
      actual: 180,
      expected: 'at least 180 s',
      source: '6 × profile.worker.timeoutSeconds (30)',
    });
  });

  test('a queue without its redrive policy, or with too short a visibility timeout, fails', async () => {
    mockQueues({ RedrivePolicy: '', VisibilityTimeout: '30' });
    const ctx = verifyContext(template, physical, { profile: dev });
    await queueVerifier.verify(ctx);
    expect(failures(ctx)).toEqual([
      'Queue VisibilityTimeout: 30 vs 180 (template)',
      `Queue RedrivePolicy.deadLetterTargetArn: undefined vs "${arn('S-Dlq-1')}" (template)`,
      'Queue RedrivePolicy.maxReceiveCount: undefined vs 3 (template)',
      'Queue VisibilityTimeout vs worker timeout: 30 vs "at least 180 s" (6 × profile.worker.timeoutSeconds (30))',
    ]);
  });
});

describe('functions and event source mappings', () => {
  function mockFunctions(worker: Record<string, unknown> = {}, mapping: Record<string, unknown> = {}) {
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'S-Worker-1' }).resolves({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 30,
      Role: roleArn,
      Environment: { Variables: { DB_NAME: 'app', JOBS_DLQ_URL: url('S-Dlq-1'), CACHE_HOST: 'master.s-cache-1.abc123.use1.cache.amazonaws.com' } },
      VpcConfig: { SubnetIds: ['subnet-app1'], SecurityGroupIds: ['sg-1'] },
      ...worker,
    });
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: 'S-Handler-1' })
      .resolves({ Runtime: 'nodejs24.x', Handler: '__entrypoint__.handler', Architectures: ['x86_64'], MemorySize: 128, Timeout: 900 });
    lambda.on(GetEventSourceMappingCommand).resolves({
      UUID: 'uuid-1',
      EventSourceArn: arn('S-Queue-1'),
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:S-Worker-1',
      BatchSize: 2,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      State: 'Enabled',
      ...mapping,
    });
  }

  test('the worker is sized by profile.worker, the custom-resource handler by the template', async () => {
    mockFunctions();
    const ctx = verifyContext(template, physical, { profile: dev });
    await functionVerifier.verify(ctx);
    expect(failures(ctx)).toEqual([]);
    const sources = ctx.checks.checks
      .filter((c) => c.property === 'MemorySize' || c.property === 'BatchSize')
      .map((c) => `${c.subject.logicalId} ${c.property} <- ${c.source}`);
    expect(sources).toEqual([
      'Worker MemorySize <- profile.worker.memoryMiB',
      'Handler MemorySize <- template',
      'Mapping BatchSize <- profile.worker.batchSize',
    ]);
    expect(
      ctx.checks.checks.filter((c) => c.subject.logicalId === 'Worker' && /Role|environment|VpcConfig/.test(c.property)).map((c) => c.property),
    ).toEqual([
      'Role',
      'environment names',
      'environment DB_NAME',
      'environment JOBS_DLQ_URL',
      'environment CACHE_HOST',
      'VpcConfig.SubnetIds',
      'VpcConfig.SecurityGroupIds',
    ]);
    expect(ctx.checks.notModelled.map((n) => `${n.subject.logicalId} ${n.property}`)).toEqual(['Worker LoggingConfig']);
  });

  test('a worker outside its subnets, or without a variable the template gives it, fails against the template', async () => {
    mockFunctions({
      Environment: { Variables: { DB_NAME: 'app', JOBS_DLQ_URL: url('S-Dlq-1') } },
      VpcConfig: { SubnetIds: ['subnet-public1'], SecurityGroupIds: ['sg-1'] },
    });
    const ctx = verifyContext(template, physical, { profile: dev, placeholders: ['Cache'] });
    await functionVerifier.verify(ctx);
    expect(failures(ctx)).toEqual([
      'Worker environment names: ["DB_NAME","JOBS_DLQ_URL"] vs ["CACHE_HOST","DB_NAME","JOBS_DLQ_URL"] (template)',
      'Worker environment CACHE_HOST: undefined vs "a value" (template (its expression needs an attribute only AWS knows))',
      'Worker VpcConfig.SubnetIds: ["subnet-public1"] vs ["subnet-app1"] (template)',
    ]);
  });

  test('an x86 worker of the wrong size, and a mapping without its concurrency ceiling, fail', async () => {
    mockFunctions({ Architectures: ['x86_64'], MemorySize: 512 }, { ScalingConfig: undefined, BatchSize: 1 });
    const ctx = verifyContext(template, physical, { profile: dev });
    await functionVerifier.verify(ctx);
    expect(failures(ctx)).toEqual([
      'Worker Architectures: ["x86_64"] vs ["arm64"] (template)',
      'Worker MemorySize: 512 vs 256 (profile.worker.memoryMiB)',
      'Mapping BatchSize: 1 vs 2 (profile.worker.batchSize)',
      'Mapping ScalingConfig.MaximumConcurrency: undefined vs 2 (profile.worker.maxConcurrency)',
    ]);
  });
});
