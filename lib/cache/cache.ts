import { Duration, Fn, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  authTokenGeneration,
  cacheParameters,
  DEFAULT_EVICTION_POLICY,
  DEFAULT_MAINTENANCE_WINDOW,
  DEFAULT_SNAPSHOT_WINDOW,
  MAX_CLUSTER_NODES,
  MAX_NODES_WITHOUT_CLUSTER_MODE,
  MAX_REPLICAS_PER_SHARD,
  MAX_SHARDS,
  MAX_SNAPSHOT_RETENTION_DAYS,
  VALKEY_DEFAULT_PORT,
  VALKEY_ENGINE,
  VALKEY_ENGINE_VERSION,
  VALKEY_EVICTION_POLICIES,
  VALKEY_NODE_TYPES,
  VALKEY_PARAMETER_GROUP_FAMILY,
  type CacheEvictionPolicy,
} from '../core/cache';
import { resolveProfile, type Profile, type ProfileName } from '../core/profiles';
import { Problems, show } from '../private/problems';
import { dailyOverlapsWeekly, isShorterThanMinimum, minutes, parseDailyWindow, parseWeeklyWindow } from './windows';
import { retentionDays } from '../private/retention';

/** Cluster mode: the keyspace split over shards, each with its own primary, for write scaling. */
export interface CacheClusterMode {
  /** Shards (node groups), 1-500; each primary takes the writes for its share of the 16,384 hash slots. */
  readonly shards: number;
  /** Read replicas in each shard, 0-5. */
  readonly replicasPerShard: number;
}

export interface CacheProps {
  /** The VPC the cache lives in. */
  readonly vpc: ec2.IVpc;
  /**
   * Where the nodes go.
   *
   * @default - the VPC's isolated subnets when it has them in two or more AZs, else its private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The profile (a name or a value) whose `cache` section sizes the group (node type, node count,
   * Multi-AZ, snapshot retention, customer-managed key, engine log) and whose
   * `observability.logRetentionDays` keeps its logs. The props below override single values.
   *
   * @default 'dev'
   */
  readonly profile?: ProfileName | Profile;
  /**
   * Node type, one of `VALKEY_NODE_TYPES` (e.g. 'cache.r7g.large').
   *
   * @default - the profile's `cache.nodeType`
   */
  readonly nodeType?: string;
  /**
   * Nodes in the group without cluster mode: one primary and `nodes - 1` read replicas (1-6).
   * Not used with `clusterMode`.
   *
   * @default - the profile's `cache.nodes`
   */
  readonly nodes?: number;
  /**
   * Turn cluster mode on to scale writes over several shards. Clients must then speak the cluster
   * protocol (node-redis `createCluster`) and connect to the configuration endpoint.
   *
   * @default - cluster mode off: one shard of `nodes` nodes
   */
  readonly clusterMode?: CacheClusterMode;
  /**
   * Multi-AZ with automatic failover: a replica in another AZ is promoted when the primary fails.
   * Needs a replica (in every shard, with cluster mode).
   *
   * @default - the profile's `cache.multiAz` when the sizes come from the profile; on whenever
   * there is a replica when you set `nodes` or `clusterMode` yourself
   */
  readonly multiAz?: boolean;
  /**
   * Encryption in transit (TLS). ElastiCache requires it for Valkey replication groups; `false` is
   * rejected at synth time. Clients connect with TLS (`rediss://`).
   *
   * @default true
   */
  readonly transitEncryption?: boolean;
  /**
   * The KMS key that encrypts the data at rest, snapshots and the AUTH token secret.
   *
   * @default - a new customer-managed key with yearly rotation when the profile's
   * `cache.customerManagedKey` is true; else the AWS-managed keys of ElastiCache and Secrets Manager
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What Valkey evicts when memory is full (`maxmemory-policy`), one of `VALKEY_EVICTION_POLICIES`.
   *
   * @default 'allkeys-lru' - any key, least recently used first, as a cache should
   */
  readonly evictionPolicy?: CacheEvictionPolicy;
  /**
   * The port clients connect to.
   *
   * @default 6379
   */
  readonly port?: number;
  /**
   * Days of automatic daily snapshots (0-35; 0 turns them off).
   *
   * @default - the profile's `cache.snapshotRetentionDays`
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Daily snapshot window, UTC, `hh:mm-hh:mm`, at least 60 minutes. Used when snapshots are kept.
   *
   * @default '06:00-07:00' - the US overnight trough
   */
  readonly snapshotWindow?: string;
  /**
   * Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm`, at least 60 minutes, apart from the
   * snapshot window.
   *
   * @default 'sun:07:30-sun:08:30' - Sunday night in the US, after the snapshot window
   */
  readonly maintenanceWindow?: string;
  /**
   * Deliver the engine log to CloudWatch Logs besides the slow log.
   *
   * @default - the profile's `cache.engineLog`
   */
  readonly engineLog?: boolean;
  /**
   * Retention of the slow-log and engine-log groups.
   *
   * @default - the profile's `observability.logRetentionDays`
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the group when it leaves the stack or is replaced.
   *
   * @default RemovalPolicy.SNAPSHOT - CloudFormation takes a final snapshot before deleting it
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * An SNS topic for the group's ElastiCache events (failover, node replacement, snapshot failures).
   *
   * @default - no event notifications
   */
  readonly notificationTopic?: sns.ITopic;
}

/** How the series of the group's nodes combine into one. */
export type CacheMetricAggregation = 'MAX' | 'MIN' | 'SUM' | 'AVG';

export interface CacheMetricOptions extends cloudwatch.MetricOptions {
  /**
   * How the per-node series combine into one series for the whole group. `dimensionsMap` is
   * ignored: the construct sets each node's dimensions.
   *
   * @default 'MAX' - the busiest node
   */
  readonly aggregation?: CacheMetricAggregation;
}

const NAMESPACE = 'AWS/ElastiCache';
/** Each member cluster of a replication group holds exactly one node, always called 0001. */
const NODE_ID = '0001';
const DEFAULT_PERIOD = Duration.minutes(5);

/**
 * An ElastiCache Valkey replication group with the L2 API aws-cdk-lib never shipped: encryption in
 * transit and at rest, an AUTH token generated into Secrets Manager, a tuned parameter group, slow
 * (and engine) logs in CloudWatch Logs, snapshots and a final snapshot on delete, its own subnet
 * group and a security group that admits only the peers you allow:
 *
 *   cache.connections.allowDefaultPortFrom(service);
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
  readonly slowLogGroup: logs.ILogGroup;
  readonly engineLogGroup?: logs.ILogGroup;
  /** The L1 resource, for what this construct does not expose. */
  readonly replicationGroup: elasticache.CfnReplicationGroup;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);

    // Defaults, resolved once.
    const profile = resolveProfile(props.profile ?? 'dev');
    const sizedByProps = props.nodes !== undefined || props.clusterMode !== undefined;
    const nodeType = props.nodeType ?? profile.cache.nodeType;
    const nodes = props.nodes ?? profile.cache.nodes;
    const clusterMode = props.clusterMode;
    const replicasPerShard = clusterMode ? clusterMode.replicasPerShard : nodes - 1;
    const multiAz = props.multiAz ?? (sizedByProps ? replicasPerShard > 0 : profile.cache.multiAz);
    const transitEncryption = props.transitEncryption ?? true;
    const evictionPolicy = props.evictionPolicy ?? DEFAULT_EVICTION_POLICY;
    const port = props.port ?? VALKEY_DEFAULT_PORT;
    const snapshotRetentionDays = props.snapshotRetentionDays ?? profile.cache.snapshotRetentionDays;
    const snapshotWindow = props.snapshotWindow ?? DEFAULT_SNAPSHOT_WINDOW;
    const maintenanceWindow = props.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW;
    const engineLog = props.engineLog ?? profile.cache.engineLog;
    const logRetention = props.logRetention ?? retentionDays(profile.observability.logRetentionDays);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    const vpcSubnets = props.vpcSubnets ?? {
      subnetType: props.vpc.isolatedSubnets.length >= 2 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    };
    const subnets = props.vpc.selectSubnets(vpcSubnets);

    checkConfiguration(this, {
      nodeType, nodes, nodesSet: props.nodes !== undefined, clusterMode, multiAz, transitEncryption, evictionPolicy, port,
      snapshotRetentionDays, snapshotWindow, maintenanceWindow, subnets,
    });

    this.port = port;
    this.clusterMode = clusterMode !== undefined;
    this.encryptionKey = props.encryptionKey ?? (profile.cache.customerManagedKey
      ? new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Valkey cache ${this.node.path}: data at rest, snapshots, AUTH token` })
      : undefined);

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Valkey cache ${this.node.path}: only allowed peers reach its port`,
      // The nodes never open connections; replication between them does not pass security groups.
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(port) });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: `Valkey cache ${this.node.path}`,
      subnetIds: subnets.subnetIds,
    });

    const parameterGroup = new elasticache.CfnParameterGroup(this, 'ParameterGroup', {
      cacheParameterGroupFamily: VALKEY_PARAMETER_GROUP_FAMILY,
      description: `Valkey cache ${this.node.path}: tuned for caching`,
      properties: cacheParameters(evictionPolicy, this.clusterMode),
    });

    this.authSecret = new secretsmanager.Secret(this, 'AuthToken', {
      description: `AUTH token of the Valkey cache ${this.node.path}`,
      encryptionKey: this.encryptionKey,
      generateSecretString: authTokenGeneration(),
    });
    Validations.of(this.authSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The Valkey AUTH token changes only through ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE, then SET once clients have the new token); no AWS-provided Secrets Manager rotation function does that, so the token is rotated by a stack update instead.',
    });

    this.slowLogGroup = new logs.LogGroup(this, 'SlowLog', { logGroupName: this.vendedLogGroupName('slow-log'), retention: logRetention });
    this.engineLogGroup = engineLog
      ? new logs.LogGroup(this, 'EngineLog', { logGroupName: this.vendedLogGroupName('engine-log'), retention: logRetention })
      : undefined;

    const group = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupDescription: `Valkey cache ${this.node.path}`,
      engine: VALKEY_ENGINE,
      engineVersion: VALKEY_ENGINE_VERSION,
      autoMinorVersionUpgrade: true,
      cacheNodeType: nodeType,
      cacheParameterGroupName: parameterGroup.ref,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      port,
      ...(clusterMode
        ? { clusterMode: 'enabled', numNodeGroups: clusterMode.shards, replicasPerNodeGroup: clusterMode.replicasPerShard }
        : { numCacheClusters: nodes }),
      // Failover needs a replica to promote; cluster mode requires the flag whatever the replicas.
      automaticFailoverEnabled: this.clusterMode || replicasPerShard > 0,
      multiAzEnabled: multiAz,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      kmsKeyId: this.encryptionKey?.keyArn,
      authToken: this.authSecret.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: snapshotRetentionDays,
      snapshotWindow: snapshotRetentionDays > 0 ? snapshotWindow : undefined,
      preferredMaintenanceWindow: maintenanceWindow,
      notificationTopicArn: props.notificationTopic?.topicArn,
      logDeliveryConfigurations: [
        logDelivery('slow-log', this.slowLogGroup),
        ...(this.engineLogGroup ? [logDelivery('engine-log', this.engineLogGroup)] : []),
      ],
    });
    group.applyRemovalPolicy(removalPolicy);
    if (!multiAz) {
      Validations.of(group).acknowledge({
        id: 'AwsSolutions-AEC4',
        reason: 'Multi-AZ is off by configuration (profile cache.multiAz false: one node in dev). Losing the node costs a cold cache, not data; the database stays the source of truth. Production profiles must turn it on (validateProfile).',
      });
    }
    this.replicationGroup = group;
    this.replicationGroupId = group.ref;

    if (clusterMode) {
      this.endpoint = group.attrConfigurationEndPointAddress;
      this.memberClusterIds = range(clusterMode.shards).flatMap((shard) =>
        range(clusterMode.replicasPerShard + 1).map((node) => `${group.ref}-${pad(shard, 4)}-${pad(node, 3)}`));
    } else {
      this.endpoint = group.attrPrimaryEndPointAddress;
      this.readerEndpoint = nodes > 1 ? group.attrReaderEndPointAddress : undefined;
      this.memberClusterIds = range(nodes).map((node) => `${group.ref}-${pad(node, 3)}`);
    }
  }

  /**
   * ElastiCache delivers its logs as vended logs: CloudWatch Logs lets the delivery service write
   * through the account's log resource policy, which holds at most 5,120 characters and lists each
   * log group by name, unless the names start with `/aws/vendedlogs/` (then one wildcard covers
   * them). The stack's ID (a UUID per stack creation) keeps the name unique, so a stack deleted
   * with its retained log groups can be created again.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-CloudWatchLogs.html
   */
  private vendedLogGroupName(logType: string): string {
    const stackUuid = Fn.select(2, Fn.split('/', Stack.of(this).stackId));
    return `/aws/vendedlogs/elasticache/${Names.uniqueResourceName(this, { maxLength: 128, separator: '-' })}/${stackUuid}/${logType}`;
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
    const { aggregation = 'MAX', ...options } = props;
    const perNode = this.nodeMetrics(metricName, options);
    if (perNode.length === 1) return perNode[0];
    // IDs named after the metric (`evictions1`, `evictions2`…), so aggregates of different metrics
    // can share one graph or alarm (CloudWatch wants each ID once per graph).
    const ids = perNode.map((_, i) => `${metricName[0].toLowerCase()}${metricName.slice(1).replace(/[^A-Za-z0-9]/g, '')}${i + 1}`);
    return new cloudwatch.MathExpression({
      expression: `${aggregation}([${ids.join(', ')}])`,
      usingMetrics: Object.fromEntries(perNode.map((m, i) => [ids[i], m])),
      label: options.label ?? `${metricName} (${aggregation} over ${perNode.length} nodes)`,
      period: options.period ?? DEFAULT_PERIOD,
      color: options.color,
    });
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
    const period = props.period ?? DEFAULT_PERIOD;
    const hits = this.nodeMetrics('CacheHits', { statistic: 'Sum', period });
    const misses = this.nodeMetrics('CacheMisses', { statistic: 'Sum', period });
    const list = (prefix: string) => `[${hits.map((_, i) => `${prefix}${i + 1}`).join(', ')}]`;
    return new cloudwatch.MathExpression({
      expression: `100 * SUM(${list('hits')}) / (SUM(${list('hits')}) + SUM(${list('misses')}))`,
      usingMetrics: Object.fromEntries([
        ...hits.map((m, i) => [`hits${i + 1}`, m] as const),
        ...misses.map((m, i) => [`misses${i + 1}`, m] as const),
      ]),
      label: props.label ?? 'Cache hit rate (%)',
      period,
      color: props.color,
    });
  }

  private nodeMetrics(metricName: string, options: cloudwatch.MetricOptions): cloudwatch.Metric[] {
    return this.memberClusterIds.map((clusterId) => new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      period: DEFAULT_PERIOD,
      statistic: 'Average',
      ...options,
      dimensionsMap: { CacheClusterId: clusterId, CacheNodeId: NODE_ID },
    }).attachTo(this));
  }
}

function logDelivery(logType: 'slow-log' | 'engine-log', group: logs.ILogGroup): elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty {
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

interface CheckedConfiguration {
  readonly nodeType: string;
  readonly nodes: number;
  readonly nodesSet: boolean;
  readonly clusterMode?: CacheClusterMode;
  readonly multiAz: boolean;
  readonly transitEncryption: boolean;
  readonly evictionPolicy: string;
  readonly port: number;
  readonly snapshotRetentionDays: number;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
  readonly subnets: ec2.SelectedSubnets;
}

/** Every problem of the configuration, reported together; unresolved tokens are not judged. */
function checkConfiguration(scope: Construct, c: CheckedConfiguration): void {
  const p = new Problems(scope.node.path);

  if (!Token.isUnresolved(c.nodeType) && !(c.nodeType in VALKEY_NODE_TYPES)) p.add(unknownNodeType(c.nodeType));

  p.check(c.transitEncryption,
    'transitEncryption is false, but ElastiCache requires encryption in transit for every Valkey replication group; remove the prop (it defaults to true) and connect with TLS');
  p.oneOf('evictionPolicy', c.evictionPolicy, VALKEY_EVICTION_POLICIES);
  p.range('port', c.port, 1, 65535, { integer: true });

  const sizes = c.clusterMode ? [c.clusterMode.shards, c.clusterMode.replicasPerShard] : [c.nodes];
  if (sizes.some((n) => Token.isUnresolved(n))) {
    // Each node's metrics are named after it, so the count cannot wait for deploy time.
    p.add('the node count (nodes, or clusterMode.shards and replicasPerShard) is an unresolved token; pass numbers, the construct names every node at synth time');
  } else if (c.clusterMode) {
    const { shards, replicasPerShard } = c.clusterMode;
    p.check(!c.nodesSet,
      `nodes (${c.nodes}) and clusterMode are both set; with cluster mode the group has clusterMode.shards x (1 + clusterMode.replicasPerShard) nodes, so remove nodes`);
    p.range('clusterMode.shards', shards, 1, MAX_SHARDS, { integer: true });
    p.range('clusterMode.replicasPerShard', replicasPerShard, 0, MAX_REPLICAS_PER_SHARD, { integer: true });
    const total = shards * (replicasPerShard + 1);
    if (total > MAX_CLUSTER_NODES) {
      p.add(`clusterMode has ${total} nodes (${shards} shards x ${replicasPerShard + 1} nodes); a cluster holds at most ${MAX_CLUSTER_NODES} (90 under the default quota); use fewer shards or replicas`);
    }
    p.check(!(c.multiAz && replicasPerShard < 1),
      `multiAz needs a replica in every shard to fail over to, but clusterMode.replicasPerShard is ${replicasPerShard}; set it to 1 or more, or multiAz false`);
  } else {
    p.range('nodes', c.nodes, 1, MAX_NODES_WITHOUT_CLUSTER_MODE, {
      integer: true, fix: 'one primary and up to five replicas; use clusterMode for more',
    });
    p.check(!(c.multiAz && c.nodes < 2),
      `multiAz needs a replica to fail over to, but nodes is ${c.nodes}; set nodes to 2 or more, or multiAz false`);
  }
  const azs = new Set(c.subnets.availabilityZones).size;
  p.check(!(c.multiAz && azs < 2),
    `multiAz needs subnets in at least 2 AZs, but vpcSubnets selects subnets in ${azs}; select subnets in more AZs, or multiAz false`);
  p.check(c.subnets.subnetIds.length > 0, 'vpcSubnets selects no subnet; select the subnets the nodes should live in');

  p.range('snapshotRetentionDays', c.snapshotRetentionDays, 0, MAX_SNAPSHOT_RETENTION_DAYS, { integer: true });
  checkWindows(p, c);
  p.throwIfAny();
}

function unknownNodeType(nodeType: string): string {
  const known = Object.keys(VALKEY_NODE_TYPES);
  const family = /^(cache\.[a-z0-9]+)\./.exec(nodeType)?.[1];
  const sizes = known.filter((t) => family !== undefined && t.startsWith(`${family}.`)).map((t) => t.slice(family!.length + 1));
  if (sizes.length > 0) {
    return `nodeType (${show(nodeType)}) is not a size ElastiCache offers for Valkey; ${family} comes in ${sizes.join(', ')}`;
  }
  const families = [...new Set(known.map((t) => t.split('.').slice(0, 2).join('.')))];
  return `nodeType (${show(nodeType)}) is not a node type ElastiCache offers for Valkey; use a current-generation type of ${families.join(', ')} (sizes in VALKEY_NODE_TYPES)`;
}

function checkWindows(p: Problems, c: CheckedConfiguration): void {
  const snapshots = c.snapshotRetentionDays > 0 && !Token.isUnresolved(c.snapshotWindow);
  const daily = snapshots ? parseDailyWindow(c.snapshotWindow) : undefined;
  if (snapshots && !daily) {
    p.add(`snapshotWindow (${show(c.snapshotWindow)}) must be a daily UTC range 'hh:mm-hh:mm' such as '06:00-07:00'`);
  } else if (daily && isShorterThanMinimum(daily)) {
    p.add(`snapshotWindow (${show(c.snapshotWindow)}) lasts ${minutes(daily)} minutes; ElastiCache needs at least 60`);
  }
  if (Token.isUnresolved(c.maintenanceWindow)) return;
  const weekly = parseWeeklyWindow(c.maintenanceWindow);
  if (!weekly) {
    p.add(`maintenanceWindow (${show(c.maintenanceWindow)}) must be a weekly UTC range 'ddd:hh:mm-ddd:hh:mm' such as 'sun:07:30-sun:08:30'`);
    return;
  }
  if (isShorterThanMinimum(weekly)) {
    p.add(`maintenanceWindow (${show(c.maintenanceWindow)}) lasts ${minutes(weekly)} minutes; ElastiCache needs at least 60`);
  }
  if (daily && dailyOverlapsWeekly(daily, weekly)) {
    p.add(`maintenanceWindow (${show(c.maintenanceWindow)}) overlaps snapshotWindow (${show(c.snapshotWindow)}); move one so they do not overlap`);
  }
}
