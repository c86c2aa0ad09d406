import * as path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { dev, IdempotencyTable, prod, profileProblems, QueueWorker, staging, type Profile, type QueueWorkerProps } from '../../lib';
import { nagFindings, scalingStack, userStack } from '../helpers/app';

const ENTRY = QueueWorker.jobsEntry();
const OTHER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'jobs', 'registry.ts');
type Statement = { Action: string | string[]; Resource: unknown };

/** The statements of the policies attached to the worker's role. */
function roleStatements(template: Template, stack: ReturnType<typeof userStack>, worker: QueueWorker): Statement[] {
  const roleId = stack.getLogicalId(worker.function.role!.node.defaultChild as never);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe.each([
  ['dev', dev],
  ['staging', staging],
  ['prod', prod],
] as const)('the %s stack', (name, profile) => {
  const stack = scalingStack({ profile: name });
  const template = Template.fromStack(stack);
  const table = stack.worker.idempotencyTable!;
  const tableId = stack.getLogicalId(table.table.node.defaultChild as never);

  test("the event source follows the profile's provisioned pollers (or caps concurrency without them)", () => {
    const pollers = profile.worker.provisionedPollers;
    template.hasResourceProperties(
      'AWS::Lambda::EventSourceMapping',
      pollers === 'off'
        ? { ScalingConfig: { MaximumConcurrency: profile.worker.maxConcurrency }, ProvisionedPollerConfig: Match.absent() }
        : {
            ProvisionedPollerConfig: { MinimumPollers: pollers.minimumPollers, MaximumPollers: pollers.maximumPollers },
            ScalingConfig: Match.absent(),
          },
    );
  });

  test('one idempotency table: on demand, key id, TTL on expiration, no point-in-time recovery, deleted with the stack', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  test("encrypted with the profile's key choice", () => {
    if (profile.worker.idempotencyCustomerManagedKey) {
      const keyId = stack.getLogicalId(table.encryptionKey!.node.defaultChild as never);
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('idempotency records') });
    } else {
      // The AWS-owned key: DynamoDB encrypts every table at rest; SSEEnabled false means the
      // AWS-owned key (true would switch to the AWS-managed key, billed per request).
      template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: false } });
      expect(table.encryptionKey).toBeUndefined();
    }
  });

  test('the worker gets the table name and only the four item actions on this table', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_TABLE_NAME: { Ref: tableId } }) },
    });
    const statements = roleStatements(template, stack, stack.worker);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
      }),
    ]);
    const kms = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    if (table.encryptionKey) {
      expect(kms).toEqual([
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(table.encryptionKey.node.defaultChild as never), 'Arn'] },
        }),
      ]);
    } else {
      expect(kms).toEqual([]);
    }
  });
});

describe('QueueWorker alone', () => {
  test('another handler gets no table, no table name and no DynamoDB permission', () => {
    const stack = userStack();
    const worker = new QueueWorker(stack, 'Worker', { entry: OTHER_ENTRY, publishedMetrics: { series: [] } });
    const template = Template.fromStack(stack);
    expect(worker.idempotencyTable).toBeUndefined();
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_TABLE_NAME: Match.absent() }) },
    });
    expect(
      roleStatements(template, stack, worker)
        .flatMap((s) => [s.Action].flat())
        .filter((a) => a.startsWith('dynamodb:')),
    ).toEqual([]);
  });

  test('the jobs worker gets a table of its own by default; one given is used instead', () => {
    const stack = userStack();
    const own = new QueueWorker(stack, 'Jobs', { entry: ENTRY });
    const shared = new IdempotencyTable(stack, 'Shared', { removalPolicy: RemovalPolicy.RETAIN, pointInTimeRecovery: true });
    const other = new QueueWorker(stack, 'Other', { entry: OTHER_ENTRY, publishedMetrics: { series: [] }, idempotencyTable: shared });
    const template = Template.fromStack(stack);
    expect(own.idempotencyTable!.node.path).toBe('UserStack/Jobs/IdempotencyTable');
    expect(other.idempotencyTable).toBe(shared);
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      DeletionPolicy: 'Retain',
    });
    // DDB3 is acknowledged only where point-in-time recovery is off; the worker's tree has no open finding.
    expect(nagFindings(stack).filter((f) => f.includes('UserStack/Jobs/') || f.includes('UserStack/Shared/'))).toEqual([]);
    const acknowledged = JSON.stringify(stack.node.findAll().flatMap((c) => c.node.metadata));
    expect(acknowledged).toContain('AwsSolutions-DDB3');
  });

  test('provisioned pollers replace the maximum concurrency on the event source', () => {
    const stack = userStack();
    new QueueWorker(stack, 'Worker', { entry: ENTRY, maxConcurrency: 40, provisionedPollers: { minimumPollers: 2, maximumPollers: 4 } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 4 },
      ScalingConfig: Match.absent(),
    });
  });
});

describe('provisioned pollers: bad input with its message', () => {
  const build = (props: Partial<QueueWorkerProps>) => () => new QueueWorker(userStack(), 'Worker', { entry: ENTRY, maxConcurrency: 1000, ...props });

  test('minimum above maximum', () => {
    expect(build({ provisionedPollers: { minimumPollers: 5, maximumPollers: 3 } })).toThrow(
      'UserStack/Worker: provisionedPollers.minimumPollers (5) must not exceed provisionedPollers.maximumPollers (3); raise maximumPollers or lower minimumPollers',
    );
  });

  test.each([
    [
      { minimumPollers: 1, maximumPollers: 2 },
      'provisionedPollers.minimumPollers (1) must be between 2 and 200; SQS event sources in provisioned mode keep 2 to 200 pollers running',
    ],
    [{ minimumPollers: 201, maximumPollers: 300 }, 'provisionedPollers.minimumPollers (201) must be between 2 and 200'],
    [
      { minimumPollers: 2, maximumPollers: 2001 },
      'provisionedPollers.maximumPollers (2001) must be between 2 and 2000; SQS event sources in provisioned mode scale to 2 to 2000 pollers',
    ],
    [{ minimumPollers: 2.5, maximumPollers: 4 }, 'provisionedPollers.minimumPollers (2.5) must be a whole number between 2 and 200'],
  ])('outside what SQS allows: %p', (provisionedPollers, message) => {
    expect(build({ provisionedPollers })).toThrow(message);
  });

  test('more invocations than maxConcurrency budgets for', () => {
    expect(build({ maxConcurrency: 20, provisionedPollers: { minimumPollers: 2, maximumPollers: 3 } })).toThrow(
      'provisionedPollers.maximumPollers (3) lets the event source run up to 30 concurrent invocations (10 per poller; provisioned mode ignores maximum concurrency), above maxConcurrency (20), the ceiling the database connections are budgeted for; lower maximumPollers to 2 or raise maxConcurrency to 30, or turn provisioned pollers off',
    );
  });
});

describe('the profile rules for provisioned pollers', () => {
  const withPollers = (base: Profile, pollers: Profile['worker']['provisionedPollers'], maxConcurrency = base.worker.maxConcurrency): Profile => ({
    ...base,
    worker: { ...base.worker, provisionedPollers: pollers, maxConcurrency },
  });

  test('the built-in profiles pass', () => {
    for (const profile of [dev, staging, prod]) expect(profileProblems(profile)).toEqual([]);
  });

  test('minimum above maximum, named by the profile field', () => {
    expect(profileProblems(withPollers(prod, { minimumPollers: 3, maximumPollers: 2 }))).toContain(
      'worker.provisionedPollers.minimumPollers (3) must not exceed worker.provisionedPollers.maximumPollers (2); raise maximumPollers or lower minimumPollers',
    );
  });

  test("dev's maxConcurrency (2) cannot take even the smallest provisioned setting", () => {
    expect(profileProblems(withPollers(dev, { minimumPollers: 2, maximumPollers: 2 }))).toContain(
      'worker.provisionedPollers.maximumPollers (2) lets the event source run up to 20 concurrent invocations (10 per poller; provisioned mode ignores maximum concurrency), above worker.maxConcurrency (2), the ceiling the database connections are budgeted for; raise worker.maxConcurrency to 20 (provisioned mode runs at least 20), or turn provisioned pollers off',
    );
  });

  test('a maximum above what SQS allows', () => {
    expect(profileProblems(withPollers(prod, { minimumPollers: 2, maximumPollers: 5000 }, 1000))).toContain(
      'worker.provisionedPollers.maximumPollers (5000) must be between 2 and 2000; SQS event sources in provisioned mode scale to 2 to 2000 pollers',
    );
  });
});
