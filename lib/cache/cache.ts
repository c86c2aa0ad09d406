import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createAuthSecret } from './auth';
import { resolveCacheConfig } from './config';
import { createLogGroups } from './logs';
import { groupMetric, hitRateMetric } from './metrics';
import { createParameterGroup } from './parameters';
import type { CacheMetricOptions, CacheProps } from './props';
import { createReplicationGroup, createSecurityGroup, createSubnetGroup, memberClusterIdsOf } from './replication-group';

/**
 * An ElastiCache Valkey replication group with the L2 API aws-cdk-lib never shipped: encryption in
 * transit and at rest, an AUTH token generated into Secrets Manager, a tuned parameter group, slow
 * (and engine) logs in CloudWatch Logs, snapshots and a final snapshot on delete, its own subnet
 * group and a security group that admits only the peers you allow:
 *
 *   cache.connections.allowDefaultPortFrom(service);
 *
 * Used alone it is safe and small, with availability opt-in: one cache.t4g.micro node, no
 * Multi-AZ, TLS, encryption at rest, an AUTH token, one daily snapshot kept a day and a final
 * snapshot on delete (what "nothing lost" means for a cache: `CacheProps.snapshotRetentionDays`).
 * `cachePropsFor(profile)` gives a profile's sizes and switches.
 *
 * Metrics combine the group's nodes (see `metric()`).
 */
export class Cache extends Construct implements ec2.IConnectable {
  /** The security group of the nodes; `allowDefaultPortFrom(peer)` opens the cache port to a peer. */
  readonly connections: ec2.Connections;
  /** Host clients connect to: the primary endpoint, or the configuration endpoint in cluster mode. */
  readonly endpoint: string;
  /** The port clients connect to. */
  readonly port: number;
  /** Host of the reader endpoint (spreads reads over the replicas); only without cluster mode and with a replica. */
  readonly readerEndpoint?: string;
  /** The secret whose whole `SecretString` is the AUTH token (plain text, not JSON). */
  readonly authSecret: secretsmanager.ISecret;
  /** Whether clients must speak the cluster protocol. */
  readonly clusterMode: boolean;
  /** The replication group ID (its `Ref`). */
  readonly replicationGroupId: string;
  /**
   * The `CacheClusterId` of every node, the dimension ElastiCache publishes node metrics under
   * (with `CacheNodeId` 0001): `<group>-001`…, or `<group>-0001-001`… in cluster mode.
   */
  readonly memberClusterIds: string[];
  /** The key that encrypts data at rest, snapshots and the AUTH token, when it is customer-managed. */
  readonly encryptionKey?: kms.IKey;
  /** The slow-log group (commands slower than the engine's threshold, as JSON lines). */
  readonly slowLogGroup: logs.ILogGroup;
  /** The engine-log group, when `engineLog` is on. */
  readonly engineLogGroup?: logs.ILogGroup;
  /** The L1 resource, for what this construct does not expose. */
  readonly replicationGroup: elasticache.CfnReplicationGroup;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    // Every prop resolved and checked before the first resource: all problems in one error.
    const config = resolveCacheConfig(this, props);
    this.port = config.port;
    this.clusterMode = config.clusterMode !== undefined;

    // Every child keeps the construct ID it always had (Key, SecurityGroup, SubnetGroup,
    // ParameterGroup, AuthToken, SlowLog, EngineLog, Resource): logical IDs are API.
    this.encryptionKey =
      props.encryptionKey ??
      (config.customerManagedKey
        ? new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Valkey cache ${this.node.path}: data at rest, snapshots, AUTH token` })
        : undefined);
    const securityGroup = createSecurityGroup(this, props.vpc);
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(config.port) });
    const subnetGroup = createSubnetGroup(this, config.subnets);
    const parameterGroup = createParameterGroup(this, config.evictionPolicy, this.clusterMode);
    this.authSecret = createAuthSecret(this, this.encryptionKey);
    const logGroups = createLogGroups(this, config.engineLog, config.logRetention);
    this.slowLogGroup = logGroups.slowLog;
    this.engineLogGroup = logGroups.engineLog;

    const group = createReplicationGroup(this, {
      config,
      securityGroup,
      subnetGroup,
      parameterGroup,
      authSecret: this.authSecret,
      encryptionKey: this.encryptionKey,
      slowLogGroup: this.slowLogGroup,
      engineLogGroup: this.engineLogGroup,
      notificationTopic: props.notificationTopic,
    });
    this.replicationGroup = group;
    this.replicationGroupId = group.ref;
    this.memberClusterIds = memberClusterIdsOf(group, config);
    if (config.clusterMode) {
      this.endpoint = group.attrConfigurationEndPointAddress;
    } else {
      this.endpoint = group.attrPrimaryEndPointAddress;
      this.readerEndpoint = config.nodes > 1 ? group.attrReaderEndPointAddress : undefined;
    }
  }

  /**
   * Lets `grantee` read the AUTH token (and decrypt it with a customer-managed key). ECS tasks that
   * receive the token as an ECS secret get this on their execution role automatically.
   */
  grantReadAuthToken(grantee: iam.IGrantable): iam.Grant {
    return this.authSecret.grantRead(grantee);
  }

  /**
   * One metric of the whole group: `metricName` of every node (dimensions `CacheClusterId` =
   * the member cluster, `CacheNodeId` = 0001; there is no group-level dimension), combined with
   * `aggregation` (default MAX). Statistic Average and a 5-minute period unless `props` say
   * otherwise. A one-node group returns the node's metric itself.
   *
   * An alarm may reference at most 10 metrics: alarm on the aggregate of groups of up to 10 nodes
   * (5 for the hit rate); build per-node alarms from `memberClusterIds` beyond that.
   */
  metric(metricName: string, props: CacheMetricOptions = {}): cloudwatch.IMetric {
    return groupMetric(this, this.memberClusterIds, metricName, props);
  }

  /**
   * Percent of the engine's thread busy, on the busiest node (`EngineCPUUtilization`). Valkey
   * executes commands on one thread, so this, not host CPU, is the saturation signal.
   */
  metricEngineCpuUtilization(props: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.metric('EngineCPUUtilization', props);
  }

  /**
   * Percent of `maxmemory` in use on the fullest node (`DatabaseMemoryUsagePercentage`); evictions
   * start at 100 %.
   */
  metricMemoryUsagePercent(props: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.metric('DatabaseMemoryUsagePercentage', props);
  }

  /** Keys evicted for memory, summed over the nodes (`Evictions`, statistic Sum). */
  metricEvictions(props: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.metric('Evictions', { statistic: 'Sum', aggregation: 'SUM', ...props });
  }

  /**
   * Connections open on the busiest node (`CurrConnections`, statistic Maximum): the number the
   * 65,000-connections-per-node limit applies to. `aggregation: 'SUM'` gives the group's total.
   */
  metricCurrentConnections(props: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.metric('CurrConnections', { statistic: 'Maximum', ...props });
  }

  /**
   * Seconds the most lagging replica is behind its primary (`ReplicationLag`, statistic Maximum).
   * Only replicas publish it: a group without replicas has no data points.
   */
  metricReplicationLag(props: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.metric('ReplicationLag', { statistic: 'Maximum', ...props });
  }

  /**
   * Percent of key lookups that found their key, over all nodes: 100 × hits / (hits + misses),
   * from the Sum of `CacheHits` and `CacheMisses` per node, so a busy node weighs more than an idle
   * one (an average of per-node rates would not). No data point when there were no lookups.
   * Of `props`, `period`, `label` and `color` apply.
   */
  metricCacheHitRate(props: cloudwatch.MetricOptions = {}): cloudwatch.IMetric {
    return hitRateMetric(this, this.memberClusterIds, props);
  }
}
