import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { VALKEY_ENGINE, VALKEY_ENGINE_VERSION } from '../core/cache';
import type { CacheConfig } from './config';

/**
 * The nodes' security group (construct ID `SecurityGroup`): only peers let in through
 * `connections` reach the port.
 */
export function createSecurityGroup(scope: Construct, vpc: ec2.IVpc): ec2.SecurityGroup {
  return new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `Valkey cache ${scope.node.path}: only allowed peers reach its port`,
    // The nodes never open connections; replication between them does not pass security groups.
    allowAllOutbound: false,
  });
}

/** The group's own subnet group (construct ID `SubnetGroup`) over the selected subnets. */
export function createSubnetGroup(scope: Construct, subnets: ec2.SelectedSubnets): elasticache.CfnSubnetGroup {
  return new elasticache.CfnSubnetGroup(scope, 'SubnetGroup', {
    description: `Valkey cache ${scope.node.path}`,
    subnetIds: subnets.subnetIds,
  });
}

/** What the replication group is built from besides its config. */
export interface ReplicationGroupParts {
  readonly config: CacheConfig;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly subnetGroup: elasticache.CfnSubnetGroup;
  readonly parameterGroup: elasticache.CfnParameterGroup;
  readonly authSecret: secretsmanager.ISecret;
  readonly encryptionKey?: kms.IKey;
  readonly slowLogGroup: logs.ILogGroup;
  readonly engineLogGroup?: logs.ILogGroup;
  readonly notificationTopic?: sns.ITopic;
}

/**
 * The replication group (construct ID `Resource`, a child of `scope`): encrypted in transit and at
 * rest, AUTH required, snapshots, logs, and the removal policy of the config.
 */
export function createReplicationGroup(scope: Construct, parts: ReplicationGroupParts): elasticache.CfnReplicationGroup {
  const { config } = parts;
  const clusterMode = config.clusterMode;
  const group = new elasticache.CfnReplicationGroup(scope, 'Resource', {
    replicationGroupDescription: `Valkey cache ${scope.node.path}`,
    engine: VALKEY_ENGINE,
    engineVersion: VALKEY_ENGINE_VERSION,
    autoMinorVersionUpgrade: true,
    cacheNodeType: config.nodeType,
    cacheParameterGroupName: parts.parameterGroup.ref,
    cacheSubnetGroupName: parts.subnetGroup.ref,
    securityGroupIds: [parts.securityGroup.securityGroupId],
    port: config.port,
    ...(clusterMode
      ? { clusterMode: 'enabled', numNodeGroups: clusterMode.shards, replicasPerNodeGroup: clusterMode.replicasPerShard }
      : { numCacheClusters: config.nodes }),
    // Failover needs a replica to promote; cluster mode requires the flag whatever the replicas.
    automaticFailoverEnabled: clusterMode !== undefined || config.replicasPerShard > 0,
    multiAzEnabled: config.multiAz,
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    kmsKeyId: parts.encryptionKey?.keyArn,
    authToken: parts.authSecret.secretValue.unsafeUnwrap(),
    snapshotRetentionLimit: config.snapshotRetentionDays,
    snapshotWindow: config.snapshotRetentionDays > 0 ? config.snapshotWindow : undefined,
    preferredMaintenanceWindow: config.maintenanceWindow,
    notificationTopicArn: parts.notificationTopic?.topicArn,
    logDeliveryConfigurations: [
      logDelivery('slow-log', parts.slowLogGroup),
      ...(parts.engineLogGroup ? [logDelivery('engine-log', parts.engineLogGroup)] : []),
    ],
  });
  group.applyRemovalPolicy(config.removalPolicy);
  if (!config.multiAz) {
    Validations.of(group).acknowledge({
      id: 'AwsSolutions-AEC4',
      reason:
        'Multi-AZ is off by configuration (availability is opt-in: it needs a replica, and one node has none). Losing the node costs a cold cache, not data; the database stays the source of truth, and snapshots restore a warm cache. validateProfile() requires Multi-AZ in production profiles.',
    });
  }
  return group;
}

/**
 * The `CacheClusterId` of every node, the dimension ElastiCache publishes node metrics under:
 * `<group>-001`…, or `<group>-0001-001`… (shard, node) in cluster mode.
 */
export function memberClusterIdsOf(group: elasticache.CfnReplicationGroup, config: CacheConfig): string[] {
  const clusterMode = config.clusterMode;
  if (clusterMode) {
    return range(clusterMode.shards).flatMap((shard) =>
      range(clusterMode.replicasPerShard + 1).map((node) => `${group.ref}-${pad(shard, 4)}-${pad(node, 3)}`),
    );
  }
  return range(config.nodes).map((node) => `${group.ref}-${pad(node, 3)}`);
}

function logDelivery(
  logType: 'slow-log' | 'engine-log',
  group: logs.ILogGroup,
): elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty {
  return {
    logType,
    // JSON lines: CloudWatch Logs Insights reads their fields without a parse step.
    logFormat: 'json',
    destinationType: 'cloudwatch-logs',
    destinationDetails: { cloudWatchLogsDetails: { logGroup: group.logGroupName } },
  };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
