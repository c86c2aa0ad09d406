import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { JOBS } from '../../lambda/jobs/registry';
import { jobsWorkerMetrics, prod, PUBLISHED_METRICS_METADATA, QueueWorker, type QueueWorkerProps } from '../../lib';
import { findLockFile, lambdaEntry, packageRoot } from '../../lib/queue-worker/package-paths';
import { nagFindings, scalingStack, testApp, userStack } from '../helpers/app';

const ENTRY = QueueWorker.jobsEntry();
const REPO = path.join(__dirname, '..', '..');

describe("QueueWorker in a user's stack and VPC", () => {
  // GIVEN a user's stack with their own VPC, a database secret and a database security group
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const secret = new secretsmanager.Secret(stack, 'DbSecret');
  const databaseGroup = new ec2.SecurityGroup(stack, 'DatabaseGroup', { vpc, allowAllOutbound: false });
  const webRole = new iam.Role(stack, 'WebTaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  // WHEN
  const worker = new QueueWorker(stack, 'Worker', {
    entry: ENTRY,
    vpc,
    environment: { FEATURE_FLAG: 'on', POWERTOOLS_SERVICE_NAME: 'billing' },
    secrets: { DB_SECRET_ARN: secret },
  });
  new ec2.Connections({ securityGroups: [databaseGroup], defaultPort: ec2.Port.tcp(5432) }).allowDefaultPortFrom(worker);
  worker.grantSend(webRole);
  const template = Template.fromStack(stack);
  const queueId = stack.getLogicalId(worker.queue.node.defaultChild as never);
  const dlqId = stack.getLogicalId(worker.deadLetterQueue.node.defaultChild as never);

  test('the queue is encrypted, keeps messages 4 days and dead-letters after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 4 * 24 * 3600,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  test('the dead-letter queue is encrypted and keeps messages 14 days, longer than the queue', () => {
    expect(template.toJSON().Resources[dlqId].Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  test('both queues deny any request that is not TLS', () => {
    for (const id of [queueId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
        },
      });
    }
  });

  test('queues outlive a stack deletion by default (they hold messages)', () => {
    expect(template.toJSON().Resources[queueId].DeletionPolicy).toBe('Retain');
    expect(template.toJSON().Resources[dlqId].DeletionPolicy).toBe('Retain');
  });

  test("the function runs Node.js 24 on ARM64 with the dev profile's size and its own log group", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 30,
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: stack.getLogicalId(worker.logGroup.node.defaultChild as never) } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test("the caller's environment is merged over the construct's, and secrets arrive as ARNs only", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_METRICS_NAMESPACE: 'CdkScalingStack/Workers',
          POWERTOOLS_SERVICE_NAME: 'billing',
          FEATURE_FLAG: 'on',
          DB_SECRET_ARN: { Ref: stack.getLogicalId(secret.node.defaultChild as never) },
        },
      },
    });
  });

  test('the event source reports partial batch failures and caps concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
  });

  test("in the VPC's private subnets with its own group: HTTPS out, plus exactly the ports opened through connections", () => {
    const groupId = stack.getLogicalId(worker.connections.securityGroups[0].node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
        SubnetIds: vpc.privateSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as never) })),
      },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^UserStack/Worker: '),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'HTTPS to AWS APIs' }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] },
      FromPort: 5432,
      ToPort: 5432,
      DestinationSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(databaseGroup.node.defaultChild as never), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] },
    });
  });

  test('its role has no managed policy: its log group, its idempotency table, its queue, its secret and the VPC interfaces only', () => {
    const roleId = stack.getLogicalId(worker.function.role!.node.defaultChild as never);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.map((s: { Action: string | string[] }) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [
        'ec2:AssignPrivateIpAddresses',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:UnassignPrivateIpAddresses',
      ],
      ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
    ]);
    expect(statements[0].Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(worker.logGroup.node.defaultChild as never), 'Arn'] });
    expect(statements[2].Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(worker.idempotencyTable!.table.node.defaultChild as never), 'Arn'] });
    expect(statements[4].Resource).toEqual({ Ref: stack.getLogicalId(secret.node.defaultChild as never) });
  });

  test('grantSend lets a producer send to the queue and nothing else', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(webRole.node.defaultChild as never) }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        ],
      },
    });
  });

  test("metrics: queue age and dead letters from SQS, failures from Lambda, jobs from the worker's EMF", () => {
    expect(stack.resolve(worker.metricDeadLetterMessages())).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Maximum',
      dimensions: { QueueName: { 'Fn::GetAtt': [dlqId, 'QueueName'] } },
    });
    expect(stack.resolve(worker.metricOldestMessageAge())).toMatchObject({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage' });
    expect(stack.resolve(worker.metricErrors())).toMatchObject({ namespace: 'AWS/Lambda', metricName: 'Errors' });
    expect(worker.metricJobsFailed()).toMatchObject({
      namespace: 'CdkScalingStack/Workers',
      metricName: 'JobsFailed',
      statistic: 'Sum',
      dimensions: { service: 'worker' },
    });
    expect(worker.metricJobsProcessed().metricName).toBe('JobsProcessed');
    expect(worker.metricJobDuration({ statistic: 'p50' })).toMatchObject({ metricName: 'JobDuration', statistic: 'p50' });
    expect(stack.resolve(worker.metricDuration())).toMatchObject({ namespace: 'AWS/Lambda', metricName: 'Duration' });
  });

  test('exposes the resolved settings', () => {
    expect({
      timeout: worker.timeout.toSeconds(),
      visibility: worker.visibilityTimeout.toSeconds(),
      maxReceiveCount: worker.maxReceiveCount,
      batchSize: worker.batchSize,
      maxConcurrency: worker.maxConcurrency,
      serviceName: worker.serviceName,
    }).toEqual({ timeout: 30, visibility: 180, maxReceiveCount: 5, batchSize: 2, maxConcurrency: 2, serviceName: 'worker' });
  });

  test("no open cdk-nag findings on the worker (the test's own VPC and secret are not its concern)", () => {
    expect(nagFindings(stack).filter((finding) => finding.includes('UserStack/Worker/'))).toEqual([]);
  });
});

describe('QueueWorker options', () => {
  test('without a VPC: no security group, no network-interface permissions, empty connections', () => {
    const stack = userStack();
    const worker = new QueueWorker(stack, 'Worker', { entry: ENTRY });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.absent() });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('ec2:');
    expect(worker.connections.securityGroups).toEqual([]);
  });

  test('sizes, batching window, a KMS key and a removal policy as given; visibility follows the timeout', () => {
    const stack = userStack();
    const key = new kms.Key(stack, 'Key');
    const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
    // A handler of the user's (not the jobs worker, whose waits would not fit 500 records in a minute).
    const worker = new QueueWorker(stack, 'Worker', {
      entry: lambdaEntry('db-insights'),
      memoryMiB: 1024,
      timeout: Duration.minutes(1),
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(5),
      maxConcurrency: 20,
      maxReceiveCount: 3,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: logs.RetentionDays.THREE_MONTHS,
    });
    worker.grantSend(producer);
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as never), 'Arn'] };
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 360,
      KmsMasterKeyId: keyArn,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    template.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 60 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(producer.node.defaultChild as never) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kms:Encrypt', 'kms:GenerateDataKey*']), Resource: keyArn })]),
      },
    });
    expect(Object.values(template.findResources('AWS::SQS::Queue')).map((q) => q.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });

  test('the jobs worker declares its metric series for the cost tool: 3 for the service and per job type, the unparsed type included', () => {
    const stack = userStack();
    const worker = new QueueWorker(stack, 'Jobs', { entry: ENTRY });
    const types = [...JOBS.map((j) => j.type), 'invalid'];
    const series = ['JobsProcessed', 'JobsFailed', 'JobDuration'].flatMap((name) => [
      { MetricName: name, Dimensions: { service: 'jobs' } },
      ...types.map((jobType) => ({ MetricName: name, Dimensions: { service: 'jobs', jobType } })),
    ]);
    Template.fromStack(stack).hasResource('AWS::Lambda::Function', {
      Metadata: Match.objectLike({ [PUBLISHED_METRICS_METADATA]: { Namespace: 'CdkScalingStack/Workers', Series: series } }),
    });
    expect(series).toHaveLength(3 * (JOBS.length + 2));
    expect(worker.publishedMetrics).toEqual(jobsWorkerMetrics('jobs'));
  });

  test('another handler declares what it is given, or nothing (the cost tool then lists it as unpriced)', () => {
    const stack = userStack();
    const declared = new QueueWorker(stack, 'Declared', {
      entry: lambdaEntry('db-insights'),
      publishedMetrics: { namespace: 'Shop', series: [{ metricName: 'Orders', dimensions: { service: 'declared' } }] },
    });
    const silent = new QueueWorker(stack, 'Silent', { entry: lambdaEntry('db-insights') });
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const metadata = (worker: QueueWorker) =>
      functions[stack.getLogicalId(worker.function.node.defaultChild as never)].Metadata?.[PUBLISHED_METRICS_METADATA];
    expect(metadata(declared)).toEqual({ Namespace: 'Shop', Series: [{ MetricName: 'Orders', Dimensions: { service: 'declared' } }] });
    expect(metadata(silent)).toBeUndefined();
    expect(silent.publishedMetrics).toBeUndefined();
  });

  test('addSecret after construction: the ARN in the environment and read access', () => {
    const stack = userStack();
    const worker = new QueueWorker(stack, 'Worker', { entry: ENTRY });
    const token = new secretsmanager.Secret(stack, 'CacheToken');
    worker.addSecret('CACHE_AUTH_SECRET_ARN', token);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CACHE_AUTH_SECRET_ARN: { Ref: stack.getLogicalId(token.node.defaultChild as never) } }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] })]),
      },
    });
  });
});

describe('QueueWorker rejects bad input at synth time', () => {
  const build = (props: Partial<QueueWorkerProps>) => () => new QueueWorker(userStack(), 'Worker', { entry: ENTRY, ...props });

  test('a visibility timeout below 6 x the function timeout', () => {
    expect(build({ timeout: Duration.seconds(30), visibilityTimeout: Duration.seconds(90) })).toThrow(
      "UserStack/Worker: visibilityTimeout (90 seconds) must be at least 6 × timeout (30 seconds) = 180 seconds, AWS's rule for SQS event sources (a shorter one redelivers batches that are still running); raise visibilityTimeout or leave it unset to get 180 seconds",
    );
  });

  test.each([0, 1001, 2.5])('maxReceiveCount %p', (maxReceiveCount) => {
    expect(build({ maxReceiveCount })).toThrow(
      Number.isInteger(maxReceiveCount)
        ? `UserStack/Worker: maxReceiveCount (${maxReceiveCount}) must be between 1 and 1000; SQS redrive policies allow 1 to 1000 receives`
        : `UserStack/Worker: maxReceiveCount (${maxReceiveCount}) must be a whole number between 1 and 1000; SQS redrive policies allow 1 to 1000 receives`,
    );
  });

  test('a batch size above 10 without a batching window', () => {
    expect(build({ batchSize: 11 })).toThrow(
      'UserStack/Worker: batchSize (11) must be between 1 and 10; SQS event sources take up to 10 records without a batching window; lower batchSize or set maxBatchingWindow',
    );
  });

  test('a batch size above 10,000 with a batching window', () => {
    expect(build({ batchSize: 10_001, maxBatchingWindow: Duration.seconds(1) })).toThrow(
      'UserStack/Worker: batchSize (10001) must be between 1 and 10000; SQS event sources take up to 10000 records with a batching window',
    );
  });

  test("the jobs worker's batch cannot finish inside its timeout when every record takes its longest", () => {
    expect(build({ batchSize: 10, timeout: Duration.seconds(30) })).toThrow(
      "UserStack/Worker: batchSize (10) at 2 records at a time is 5 rounds × 16 s per record (cache connect 2 s + database connect 3 s + query 11 s) = 80 s at the worst case, more than timeout (30 s): the function would be stopped mid-batch and every record of it retried, the finished ones too; lower batchSize to 2, or raise timeout to 80, or shorten the worker's timeouts (lib/core/worker-timing.ts)",
    );
  });

  test("a batching window's large batch of the jobs worker: no timeout Lambda allows would fit, so that fix is not offered", () => {
    expect(build({ batchSize: 200, maxBatchingWindow: Duration.seconds(10), timeout: Duration.minutes(15) })).toThrow(
      "UserStack/Worker: batchSize (200) at 2 records at a time is 100 rounds × 16 s per record (cache connect 2 s + database connect 3 s + query 11 s) = 1600 s at the worst case, more than timeout (900 s): the function would be stopped mid-batch and every record of it retried, the finished ones too; lower batchSize to 112, or shorten the worker's timeouts (lib/core/worker-timing.ts)",
    );
  });

  test("the jobs worker fits at the edge (3 rounds of 16 s in 48 s), and another handler's batch is its own business", () => {
    expect(build({ batchSize: 6, timeout: Duration.seconds(48) })).not.toThrow();
    expect(build({ entry: lambdaEntry('db-insights'), batchSize: 10, timeout: Duration.seconds(30) })).not.toThrow();
  });

  test('maxConcurrency below 2', () => {
    expect(build({ maxConcurrency: 1 })).toThrow(
      'UserStack/Worker: maxConcurrency (1) must be between 2 and 1000; SQS event sources allow 2 to 1000; to stop the worker, disable its event source instead',
    );
  });

  test('an entry file that does not exist', () => {
    expect(build({ entry: '/nowhere/worker.ts' })).toThrow(
      "UserStack/Worker: entry ('/nowhere/worker.ts') does not exist; pass the path of the handler file, e.g. path.join(__dirname, 'worker.ts')",
    );
  });

  test('a source queue that keeps messages as long as the dead-letter queue', () => {
    expect(build({ retentionPeriod: Duration.days(14) })).toThrow(
      "UserStack/Worker: retentionPeriod (1209600 seconds) must be between 60 and 1209599 seconds; it must be at least a minute and shorter than the dead-letter queue's 14 days, or dead-lettered messages would expire on arrival",
    );
  });

  test('every problem of one worker is reported at once', () => {
    expect(build({ timeout: Duration.minutes(20), memoryMiB: 64, maxConcurrency: 1, batchSize: 0, maxBatchingWindow: Duration.minutes(6) })).toThrow(
      'UserStack/Worker: 5 problems:\n' +
        '  - timeout (1200 seconds) must be between 1 and 900 seconds; Lambda allows 1 second to 15 minutes\n' +
        '  - memoryMiB (64 MiB) must be between 128 and 10240 MiB\n' +
        '  - batchSize (0) must be between 1 and 10000; SQS event sources take up to 10000 records with a batching window\n' +
        '  - maxBatchingWindow (360 seconds) must be between 0 and 300 seconds; SQS event sources wait at most 5 minutes\n' +
        '  - maxConcurrency (1) must be between 2 and 1000; SQS event sources allow 2 to 1000; to stop the worker, disable its event source instead',
    );
  });
});

describe('bundling', () => {
  test('the local esbuild bundles the jobs worker: minified, source map, AWS SDK left to the runtime', () => {
    // GIVEN an app that bundles (as `cdk synth` does)
    const app = testApp({ bundling: true });
    const stack = new Stack(app, 'Bundled');
    new QueueWorker(stack, 'Worker', { entry: ENTRY });
    // WHEN
    const assembly = app.synth();
    // THEN
    const assetDir = fs.readdirSync(assembly.directory).find((d) => d.startsWith('asset.'))!;
    const files = fs.readdirSync(path.join(assembly.directory, assetDir)).sort();
    expect(files).toEqual(['index.js', 'index.js.map']);
    const code = fs.readFileSync(path.join(assembly.directory, assetDir, 'index.js'), 'utf8');
    // (booleans, so a failure does not print the whole bundle)
    expect({
      minified: !code.includes('Keys per SCAN step') && !code.includes('unlinkPrefix'),
      sdkLeftToTheRuntime: /(require|import)\("@aws-sdk\/client-secrets-manager"\)/.test(code) && !code.includes('secretsmanager.{Region}'),
      sourceMapLinked: code.includes('//# sourceMappingURL=index.js.map'),
    }).toEqual({ minified: true, sdkLeftToTheRuntime: true, sourceMapLinked: true });
  });
});

describe('locating the workers shipped in the package', () => {
  test('from the repository: the package root is the repository', () => {
    expect(packageRoot(path.join(REPO, 'lib', 'queue-worker'))).toBe(REPO);
    expect(ENTRY).toBe(path.join(REPO, 'lambda', 'jobs', 'index.ts'));
    expect(findLockFile(ENTRY)).toBe(path.join(REPO, 'package-lock.json'));
  });

  test("from the built package installed in another project: lambda/ beside dist/, the project's lock file", () => {
    // GIVEN the layout npm installs: <project>/node_modules/cdk-scaling-stack/{package.json,dist,lambda}
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
    const installed = path.join(project, 'node_modules', 'cdk-scaling-stack');
    fs.mkdirSync(path.join(installed, 'dist', 'lib', 'queue-worker'), { recursive: true });
    fs.mkdirSync(path.join(installed, 'lambda', 'jobs'), { recursive: true });
    fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'cdk-scaling-stack' }));
    fs.writeFileSync(path.join(installed, 'lambda', 'jobs', 'index.ts'), '');
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer' }));
    fs.writeFileSync(path.join(project, 'pnpm-lock.yaml'), '');
    try {
      // WHEN resolved from the compiled module's directory
      const entry = lambdaEntry('jobs', path.join(installed, 'dist', 'lib', 'queue-worker'));
      // THEN
      expect(entry).toBe(path.join(installed, 'lambda', 'jobs', 'index.ts'));
      expect(findLockFile(entry)).toBe(path.join(project, 'pnpm-lock.yaml'));
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  test('no lock file above the entry is a synth error that says what to pass', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-lock-'));
    const entry = path.join(dir, 'worker.ts');
    fs.writeFileSync(entry, 'export const handler = async () => ({});');
    try {
      expect(() => new QueueWorker(userStack(), 'Worker', { entry })).toThrow(
        `UserStack/Worker: found no lock file (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock) in the directory of entry ('${entry}') or above; pass depsLockFilePath`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a visibility timeout above the SQS maximum of 12 hours', () => {
  expect(
    () => new QueueWorker(userStack(), 'Worker', { entry: ENTRY, timeout: Duration.minutes(15), visibilityTimeout: Duration.hours(13) }),
  ).toThrow('UserStack/Worker: visibilityTimeout (46800 seconds) must be between 0 and 43200 seconds; SQS allows at most 12 hours; lower timeout');
});

describe('the jobs worker in ScalingStack', () => {
  // GIVEN / WHEN the prod stack
  const stack = scalingStack({ profile: 'prod' });
  const template = Template.fromStack(stack);

  test("is sized by the profile's worker section, with the profile's log retention", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: prod.worker.memoryMiB,
      Timeout: prod.worker.timeoutSeconds,
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'scalingstack-prod-jobs' }) },
      VpcConfig: Match.objectLike({
        SubnetIds: stack.network.vpc
          .selectSubnets(stack.network.appSubnets)
          .subnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as never) })),
      }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * prod.worker.timeoutSeconds });
    // Provisioned pollers instead of a maximum concurrency (AWS takes one or the other).
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: prod.worker.batchSize,
      ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 2 },
      ScalingConfig: Match.absent(),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('production keeps both queues if the stack is deleted', () => {
    for (const queue of [stack.worker.queue, stack.worker.deadLetterQueue]) {
      expect(template.toJSON().Resources[stack.getLogicalId(queue.node.defaultChild as never)].DeletionPolicy).toBe('Retain');
    }
  });

  test('outputs the queue URL for producers and the dead-letter queue ARN for redrives', () => {
    template.hasOutput('JobsQueueUrl', { Value: { Ref: stack.getLogicalId(stack.worker.queue.node.defaultChild as never) } });
    template.hasOutput('JobsDeadLetterQueueArn', {
      Value: { 'Fn::GetAtt': [stack.getLogicalId(stack.worker.deadLetterQueue.node.defaultChild as never), 'Arn'] },
    });
  });
});

test('a depsLockFilePath that does not exist', () => {
  expect(() => new QueueWorker(userStack(), 'Worker', { entry: ENTRY, depsLockFilePath: '/nowhere/package-lock.json' })).toThrow(
    "UserStack/Worker: depsLockFilePath ('/nowhere/package-lock.json') does not exist; pass the project's lock file or leave it unset to find the nearest one",
  );
});
