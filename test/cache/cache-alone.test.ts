import { RemovalPolicy, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Cache } from '../../lib';
import { nagFindings, userStack } from '../helpers/app';

describe("Cache alone in a user's own stack and VPC", () => {
  // GIVEN a user's stack and VPC with public and private subnets only (no isolated tier)
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'MyVpc', { maxAzs: 2, natGateways: 1 });
  const worker = new iam.Role(stack, 'WorkerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const workerGroup = new ec2.SecurityGroup(stack, 'WorkerGroup', { vpc });
  // WHEN only the VPC is given, and a client is let in
  const cache = new Cache(stack, 'Cache', { vpc });
  cache.connections.allowDefaultPortFrom(workerGroup);
  cache.grantReadAuthToken(worker);
  new cloudwatch.Alarm(stack, 'HitRateAlarm', { metric: cache.metricCacheHitRate(), threshold: 80, evaluationPeriods: 3 });
  const template = Template.fromStack(stack);

  test('small by default: one cache.t4g.micro node, no replica, so no Multi-AZ or failover', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      CacheNodeType: 'cache.t4g.micro',
      NumCacheClusters: 1,
      MultiAZEnabled: false,
      AutomaticFailoverEnabled: false,
    });
    expect(cache.readerEndpoint).toBeUndefined();
  });

  test('safe by default: TLS, encryption at rest (AWS-managed key) and an AUTH token from Secrets Manager', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      KmsKeyId: Match.absent(),
      AuthToken: {
        'Fn::Join': [
          '',
          ['{{resolve:secretsmanager:', { Ref: stack.getLogicalId(cache.authSecret.node.defaultChild as CfnElement) }, ':SecretString:::}}'],
        ],
      },
    });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('nothing lost by accident: a daily snapshot kept a day, and a final snapshot on delete or replace', () => {
    template.hasResource('AWS::ElastiCache::ReplicationGroup', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: Match.objectLike({
        SnapshotRetentionLimit: 1,
        SnapshotWindow: '06:00-07:00',
        PreferredMaintenanceWindow: 'sun:07:30-sun:08:30',
      }),
    });
  });

  test('the slow log only, kept a week', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      LogDeliveryConfigurations: [Match.objectLike({ LogType: 'slow-log' })],
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    expect(cache.engineLogGroup).toBeUndefined();
  });

  test('without isolated subnets, the nodes go in the private subnets', () => {
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
      SubnetIds: vpc.privateSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as CfnElement) })),
    });
  });

  test('the allowed client reaches the port; the grant reads the token', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 6379,
      ToPort: 6379,
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(workerGroup.node.defaultChild as CfnElement), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            Resource: { Ref: stack.getLogicalId(cache.authSecret.node.defaultChild as CfnElement) },
          }),
        ],
      },
    });
  });

  test("an alarm on the hit rate is a metric-math alarm over the node's hits and misses", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * SUM([hits1]) / (SUM([hits1]) + SUM([misses1]))', ReturnData: true }),
        Match.objectLike({ Id: 'hits1', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'CacheHits' }), Stat: 'Sum' }) }),
      ]),
    });
  });

  test("no open cdk-nag findings on the cache (the user's VPC is the user's)", () => {
    expect(nagFindings(stack).filter((finding) => finding.includes('UserStack/Cache'))).toEqual([]);
  });
});

describe("Cache with cluster mode, a key and a topic of the user's", () => {
  // GIVEN
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'MyVpc', {
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Events');
  // WHEN
  const cache = new Cache(stack, 'Cache', {
    vpc,
    // Asked for, but the given key wins: no key of the construct's own.
    customerManagedKey: true,
    clusterMode: { shards: 2, replicasPerShard: 1 },
    encryptionKey: key,
    evictionPolicy: 'allkeys-lfu',
    notificationTopic: topic,
    snapshotWindow: '02:00-03:30',
    maintenanceWindow: 'tue:04:00-tue:05:00',
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const template = Template.fromStack(stack);
  const group = stack.getLogicalId(cache.replicationGroup);

  test('two shards of a primary and a replica, Multi-AZ (on by default once there are replicas), behind the configuration endpoint', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ClusterMode: 'enabled',
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 1,
      NumCacheClusters: Match.absent(),
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
    });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      Properties: Match.objectLike({ 'cluster-enabled': 'yes', 'maxmemory-policy': 'allkeys-lfu' }),
    });
    expect(cache.clusterMode).toBe(true);
    expect(stack.resolve(cache.endpoint)).toEqual({ 'Fn::GetAtt': [group, 'ConfigurationEndPoint.Address'] });
    expect(cache.readerEndpoint).toBeUndefined();
  });

  test('every node of every shard is named for its metrics: <group>-<shard>-<node>', () => {
    expect(cache.memberClusterIds.map((id) => stack.resolve(id)['Fn::Join'][1][1])).toEqual(['-0001-001', '-0001-002', '-0002-001', '-0002-002']);
    expect(stack.resolve(cache.metricEvictions().toMetricConfig()).mathExpression.expression).toBe(
      'SUM([evictions1, evictions2, evictions3, evictions4])',
    );
  });

  test('uses the given key (no key of its own), topic, windows and removal policy', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::ElastiCache::ReplicationGroup', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as CfnElement), 'Arn'] },
        NotificationTopicArn: { Ref: stack.getLogicalId(topic.node.defaultChild as CfnElement) },
        SnapshotWindow: '02:00-03:30',
        PreferredMaintenanceWindow: 'tue:04:00-tue:05:00',
      }),
    });
    expect(cache.encryptionKey).toBe(key);
  });
});

describe('Cache with replicas asked for', () => {
  // GIVEN a user's stack and VPC with isolated subnets in two AZs
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'MyVpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  // WHEN only the node count is given
  const cache = new Cache(stack, 'Cache', { vpc, nodes: 2 });
  const template = Template.fromStack(stack);

  test('a replica is the opt-in: Multi-AZ with automatic failover follows, and needs no acknowledgment', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 2,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
    });
    expect(JSON.stringify(cache.replicationGroup.node.metadata)).not.toContain('AwsSolutions-AEC4');
    expect(nagFindings(stack).filter((finding) => finding.includes('UserStack/Cache'))).toEqual([]);
  });

  test('an explicit multiAz false keeps the replica in any AZ, acknowledged', () => {
    const other = userStack();
    const otherVpc = new ec2.Vpc(other, 'MyVpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const single = new Cache(other, 'Cache', { vpc: otherVpc, nodes: 2, multiAz: false });
    Template.fromStack(other).hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { MultiAZEnabled: false, AutomaticFailoverEnabled: true });
    expect(JSON.stringify(single.replicationGroup.node.metadata)).toContain('AwsSolutions-AEC4');
  });
});
