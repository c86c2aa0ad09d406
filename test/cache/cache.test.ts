import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import { Cache, cachePropsFor, Network, networkPropsFor, type ProfileName } from '../../lib';
import { nagFindings, userStack } from '../helpers/app';

interface Fixture {
  readonly stack: Stack;
  readonly cache: Cache;
  readonly template: Template;
}

/**
 * A cache sized by a profile (through cachePropsFor, as ScalingStack sizes it) in a stack of its
 * own, with two stand-ins for the clients built in parallel elsewhere: one security group the
 * stack lets in (as it will the web service and the workers) and one it does not.
 */
function cacheFor(profile: ProfileName): Fixture {
  // GIVEN
  const stack = userStack();
  const network = new Network(stack, 'Network', networkPropsFor(profile));
  const allowed = new ec2.SecurityGroup(stack, 'AllowedClient', { vpc: network.vpc });
  new ec2.SecurityGroup(stack, 'OtherClient', { vpc: network.vpc });
  // WHEN
  const cache = new Cache(stack, 'Cache', { vpc: network.vpc, vpcSubnets: network.dataSubnets, ...cachePropsFor(profile) });
  cache.connections.allowDefaultPortFrom(allowed, 'stand-in client');
  return { stack, cache, template: Template.fromStack(stack) };
}

/** The logical ID of a construct's primary CloudFormation resource. */
function idOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The cdk-nag rules acknowledged on a construct itself. */
function acknowledged(construct: IConstruct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .map((rule) => rule.replace(/^Annotation::/, ''));
}

/** Every ingress rule in the template that targets `groupId`: inline ones and separate resources. */
function ingressRulesOf(template: Template, groupLogicalId: string): Record<string, unknown>[] {
  const rules: Record<string, unknown>[] = [];
  const groups = template.findResources('AWS::EC2::SecurityGroup');
  rules.push(...(groups[groupLogicalId].Properties.SecurityGroupIngress ?? []));
  for (const ingress of Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))) {
    if (JSON.stringify(ingress.Properties.GroupId).includes(groupLogicalId)) rules.push(ingress.Properties);
  }
  return rules;
}

describe('Cache for dev', () => {
  const { stack, cache, template } = cacheFor('dev');

  test('one cache.t4g.micro Valkey 8.2 node, no replica, no failover', () => {
    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      EngineVersion: '8.2',
      AutoMinorVersionUpgrade: true,
      CacheNodeType: 'cache.t4g.micro',
      NumCacheClusters: 1,
      MultiAZEnabled: false,
      AutomaticFailoverEnabled: false,
      NumNodeGroups: Match.absent(),
      ClusterMode: Match.absent(),
      Port: 6379,
    });
    expect(cache.port).toBe(6379);
    expect(cache.clusterMode).toBe(false);
    expect(cache.readerEndpoint).toBeUndefined();
  });

  test('encrypted in transit and at rest (AWS-managed key), with the AUTH token from Secrets Manager', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      KmsKeyId: Match.absent(),
      AuthToken: {
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: idOf(stack, cache.authSecret) }, ':SecretString:::}}']],
      },
    });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('the AUTH token is 64 letters and digits, each class present, no punctuation or space', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        PasswordLength: 64,
        ExcludePunctuation: true,
        IncludeSpace: false,
        RequireEachIncludedType: true,
      },
      KmsKeyId: Match.absent(),
    });
  });

  test('a tuned valkey8 parameter group: LRU over all keys, reserved memory, idle timeout, keepalive', () => {
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'valkey8',
      Properties: {
        'maxmemory-policy': 'allkeys-lru',
        'reserved-memory-percent': '25',
        timeout: '300',
        'tcp-keepalive': '60',
        'cluster-enabled': 'no',
      },
    });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      CacheParameterGroupName: { Ref: Match.stringLikeRegexp('^CacheParameterGroup') },
    });
  });

  test('its own subnet group in the isolated data subnets', () => {
    const subnets = new Capture();
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: subnets });
    const dataSubnets = Object.entries(template.findResources('AWS::EC2::Subnet'))
      .filter(([, s]) => JSON.stringify(s.Properties.Tags).includes('"Data"'))
      .map(([id]) => ({ Ref: id }));
    expect(subnets.asArray()).toEqual(dataSubnets);
    expect(dataSubnets).toHaveLength(2);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      CacheSubnetGroupName: { Ref: Match.stringLikeRegexp('^CacheSubnetGroup') },
    });
  });

  test('only the allowed client security group reaches the cache port; nothing else, no CIDR', () => {
    const cacheGroup = idOf(stack, cache.connections.securityGroups[0]);
    const allowed = idOf(stack, stack.node.findChild('AllowedClient'));
    expect(ingressRulesOf(template, cacheGroup)).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 6379,
        ToPort: 6379,
        SourceSecurityGroupId: { 'Fn::GetAtt': [allowed, 'GroupId'] },
      }),
    ]);
    // The nodes open no connections of their own.
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Valkey cache UserStack/Cache: only allowed peers reach its port',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      SecurityGroupIds: [{ 'Fn::GetAtt': [cacheGroup, 'GroupId'] }],
    });
  });

  test('the slow log goes to CloudWatch Logs, kept a week; no engine log', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      LogDeliveryConfigurations: [
        {
          LogType: 'slow-log',
          LogFormat: 'json',
          DestinationType: 'cloudwatch-logs',
          DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: Match.stringLikeRegexp('^CacheSlowLog') } } },
        },
      ],
    });
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 7 } }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^CacheSlowLog/)]),
    );
    expect(cache.engineLogGroup).toBeUndefined();
  });

  test('log groups are named under /aws/vendedlogs/, unique to the stack instance', () => {
    // One resource-policy wildcard covers /aws/vendedlogs/*; the stack ID's UUID lets a deleted
    // stack be created again although its log groups were retained.
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: {
        'Fn::Join': [
          '',
          [
            Match.stringLikeRegexp('^/aws/vendedlogs/elasticache/UserStack-Cache-[0-9A-F]{8}/$'),
            { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
            '/slow-log',
          ],
        ],
      },
    });
  });

  test('dev turns the daily snapshots off (its table says why); a maintenance window, and a final snapshot on delete or replace', () => {
    template.hasResource('AWS::ElastiCache::ReplicationGroup', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: Match.objectLike({
        SnapshotRetentionLimit: 0,
        SnapshotWindow: Match.absent(),
        PreferredMaintenanceWindow: 'sun:07:30-sun:08:30',
      }),
    });
  });

  test('the endpoint is the primary endpoint address', () => {
    expect(stack.resolve(cache.endpoint)).toEqual({ 'Fn::GetAtt': [idOf(stack, cache), 'PrimaryEndPoint.Address'] });
  });

  test("its one node's metrics are the node's own series, under CacheClusterId <group>-001 and CacheNodeId 0001", () => {
    const stat = cache.metricEngineCpuUtilization().toMetricConfig().metricStat!;
    expect(stat).toMatchObject({ namespace: 'AWS/ElastiCache', metricName: 'EngineCPUUtilization', statistic: 'Average' });
    expect(stat.period.toSeconds()).toBe(300);
    expect(stack.resolve(stat.dimensions)).toEqual([
      { name: 'CacheClusterId', value: { 'Fn::Join': ['', [{ Ref: idOf(stack, cache) }, '-001']] } },
      { name: 'CacheNodeId', value: '0001' },
    ]);
  });

  test('no open cdk-nag findings; Multi-AZ off and the token rotation are acknowledged, nothing else', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(acknowledged(cache.replicationGroup)).toEqual(['AwsSolutions-AEC4']);
    expect(acknowledged(cache.authSecret)).toEqual(['AwsSolutions-SMG4']);
  });
});

describe('Cache for prod', () => {
  const { stack, cache, template } = cacheFor('prod');

  test('a primary and two replicas of cache.r7g.large, Multi-AZ with automatic failover', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      CacheNodeType: 'cache.r7g.large',
      NumCacheClusters: 3,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
    });
    expect(stack.resolve(cache.readerEndpoint)).toEqual({ 'Fn::GetAtt': [idOf(stack, cache), 'ReaderEndPoint.Address'] });
  });

  test('a rotating customer-managed key encrypts the data, the snapshots and the AUTH token', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const key = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
  });

  test('daily snapshots kept 14 days (as far back as the database restores) in the 06:00-07:00 UTC window, maintenance after it', () => {
    template.hasResource('AWS::ElastiCache::ReplicationGroup', {
      DeletionPolicy: 'Snapshot',
      Properties: Match.objectLike({
        SnapshotRetentionLimit: 14,
        SnapshotWindow: '06:00-07:00',
        PreferredMaintenanceWindow: 'sun:07:30-sun:08:30',
      }),
    });
  });

  test('slow log and engine log go to CloudWatch Logs, kept three months', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      LogDeliveryConfigurations: [
        Match.objectLike({
          LogType: 'slow-log',
          DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: Match.stringLikeRegexp('^CacheSlowLog') } } },
        }),
        Match.objectLike({
          LogType: 'engine-log',
          DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: Match.stringLikeRegexp('^CacheEngineLog') } } },
        }),
      ],
    });
    const kept90 = Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 90 } }));
    expect(kept90).toEqual(expect.arrayContaining([expect.stringMatching(/^CacheSlowLog/), expect.stringMatching(/^CacheEngineLog/)]));
  });

  test('only the allowed client security group reaches the cache port', () => {
    const cacheGroup = idOf(stack, cache.connections.securityGroups[0]);
    const allowed = idOf(stack, stack.node.findChild('AllowedClient'));
    const rules = ingressRulesOf(template, cacheGroup);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ FromPort: 6379, ToPort: 6379, SourceSecurityGroupId: { 'Fn::GetAtt': [allowed, 'GroupId'] } });
  });

  test('metrics name every node and combine them: MAX for CPU and memory, SUM for evictions', () => {
    const group = idOf(stack, cache);
    expect(cache.memberClusterIds.map((id) => stack.resolve(id))).toEqual(
      ['-001', '-002', '-003'].map((suffix) => ({ 'Fn::Join': ['', [{ Ref: group }, suffix]] })),
    );
    const cpu = stack.resolve(cache.metricEngineCpuUtilization().toMetricConfig()).mathExpression;
    expect(cpu.expression).toBe('MAX([engineCPUUtilization1, engineCPUUtilization2, engineCPUUtilization3])');
    expect(Object.values(cpu.usingMetrics).map((m) => stack.resolve((m as { dimensions?: unknown }).dimensions))).toEqual(
      cache.memberClusterIds.map((id) => ({ CacheClusterId: stack.resolve(id), CacheNodeId: '0001' })),
    );
    expect(
      stack.resolve(cache.metricMemoryUsagePercent().toMetricConfig()).mathExpression.usingMetrics.databaseMemoryUsagePercentage1.metricName,
    ).toBe('DatabaseMemoryUsagePercentage');
    const evictions = stack.resolve(cache.metricEvictions().toMetricConfig()).mathExpression;
    expect(evictions.expression).toBe('SUM([evictions1, evictions2, evictions3])');
    expect(evictions.usingMetrics.evictions2).toMatchObject({ metricName: 'Evictions', statistic: 'Sum' });
  });

  test('hit rate is total hits over total lookups, not an average of per-node rates', () => {
    const hitRate = stack.resolve(cache.metricCacheHitRate().toMetricConfig()).mathExpression;
    expect(hitRate.expression).toBe('100 * SUM([hits1, hits2, hits3]) / (SUM([hits1, hits2, hits3]) + SUM([misses1, misses2, misses3]))');
    expect(hitRate.usingMetrics.hits3).toMatchObject({ metricName: 'CacheHits', statistic: 'Sum' });
    expect(hitRate.usingMetrics.misses1).toMatchObject({ metricName: 'CacheMisses', statistic: 'Sum' });
  });

  test("connections and replication lag take each node's maximum; the busiest node by default", () => {
    const connections = stack.resolve(cache.metricCurrentConnections().toMetricConfig()).mathExpression;
    expect(connections.expression).toBe('MAX([currConnections1, currConnections2, currConnections3])');
    expect(connections.usingMetrics.currConnections1).toMatchObject({ metricName: 'CurrConnections', statistic: 'Maximum' });
    const total = stack.resolve(cache.metricCurrentConnections({ aggregation: 'SUM' }).toMetricConfig()).mathExpression;
    expect(total.expression).toBe('SUM([currConnections1, currConnections2, currConnections3])');
    const lag = stack.resolve(cache.metricReplicationLag().toMetricConfig()).mathExpression;
    expect(lag.usingMetrics.replicationLag3).toMatchObject({ metricName: 'ReplicationLag', statistic: 'Maximum' });
    // IDs are named after the metric, so aggregates of different metrics can share a graph or alarm.
    const ids = (metric: ReturnType<Cache['metric']>) => Object.keys(stack.resolve(metric.toMetricConfig()).mathExpression.usingMetrics);
    const cpuIds = ids(cache.metricEngineCpuUtilization());
    expect(ids(cache.metricMemoryUsagePercent()).filter((id) => cpuIds.includes(id))).toEqual([]);
  });

  test('no open cdk-nag findings, and Multi-AZ needs no acknowledgment', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(acknowledged(cache.replicationGroup)).toEqual([]);
  });
});
