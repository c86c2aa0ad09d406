import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  DEFAULT_EVICTION_POLICY,
  DEFAULT_MAINTENANCE_WINDOW,
  DEFAULT_SNAPSHOT_WINDOW,
  MAX_CLUSTER_NODES,
  MAX_NODES_WITHOUT_CLUSTER_MODE,
  MAX_REPLICAS_PER_SHARD,
  MAX_SHARDS,
  MAX_SNAPSHOT_RETENTION_DAYS,
  VALKEY_DEFAULT_PORT,
  VALKEY_EVICTION_POLICIES,
  VALKEY_NODE_TYPES,
  type CacheEvictionPolicy,
} from '../core/cache';
import { Problems, show } from '../private/problems';
import { DEFAULT_LOG_RETENTION, DEFAULT_NODE_TYPE, DEFAULT_NODES, DEFAULT_SNAPSHOT_RETENTION_DAYS } from './defaults';
import type { CacheClusterMode, CacheProps } from './props';
import { dailyOverlapsWeekly, isShorterThanMinimum, minutes, parseDailyWindow, parseWeeklyWindow } from './windows';

/** A Cache's props with every default applied and every value checked. */
export interface CacheConfig {
  readonly nodeType: string;
  /** Nodes without cluster mode (ignored with it). */
  readonly nodes: number;
  readonly clusterMode?: CacheClusterMode;
  /** Replicas per shard: `nodes - 1` without cluster mode. */
  readonly replicasPerShard: number;
  readonly multiAz: boolean;
  readonly customerManagedKey: boolean;
  readonly evictionPolicy: CacheEvictionPolicy;
  readonly port: number;
  readonly snapshotRetentionDays: number;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
  readonly engineLog: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly subnets: ec2.SelectedSubnets;
}

/**
 * Resolves the defaults once and checks everything before a resource exists: every problem is
 * reported in one error; unresolved tokens are not judged.
 */
export function resolveCacheConfig(scope: Construct, props: CacheProps): CacheConfig {
  const nodes = props.nodes ?? DEFAULT_NODES;
  const clusterMode = props.clusterMode;
  const replicasPerShard = clusterMode ? clusterMode.replicasPerShard : nodes - 1;
  const vpcSubnets = props.vpcSubnets ?? {
    subnetType: props.vpc.isolatedSubnets.length >= 2 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
  };
  const config: CacheConfig = {
    nodeType: props.nodeType ?? DEFAULT_NODE_TYPE,
    nodes,
    clusterMode,
    replicasPerShard,
    // A replica is the opt-in to availability; Multi-AZ then makes it a failover target elsewhere.
    multiAz: props.multiAz ?? replicasPerShard > 0,
    customerManagedKey: props.customerManagedKey ?? false,
    evictionPolicy: props.evictionPolicy ?? DEFAULT_EVICTION_POLICY,
    port: props.port ?? VALKEY_DEFAULT_PORT,
    snapshotRetentionDays: props.snapshotRetentionDays ?? DEFAULT_SNAPSHOT_RETENTION_DAYS,
    snapshotWindow: props.snapshotWindow ?? DEFAULT_SNAPSHOT_WINDOW,
    maintenanceWindow: props.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW,
    engineLog: props.engineLog ?? false,
    logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.SNAPSHOT,
    subnets: props.vpc.selectSubnets(vpcSubnets),
  };
  checkConfiguration(scope, config, { nodesSet: props.nodes !== undefined, transitEncryption: props.transitEncryption ?? true });
  return config;
}

/** Every problem of the configuration, reported together; unresolved tokens are not judged. */
function checkConfiguration(scope: Construct, c: CacheConfig, given: { nodesSet: boolean; transitEncryption: boolean }): void {
  const p = new Problems(scope.node.path);

  if (!Token.isUnresolved(c.nodeType) && !(c.nodeType in VALKEY_NODE_TYPES)) p.add(unknownNodeType(c.nodeType));

  p.check(
    given.transitEncryption,
    'transitEncryption is false, but ElastiCache requires encryption in transit for every Valkey replication group; remove the prop (it defaults to true) and connect with TLS',
  );
  p.oneOf('evictionPolicy', c.evictionPolicy, VALKEY_EVICTION_POLICIES);
  p.range('port', c.port, 1, 65535, { integer: true });

  const sizes = c.clusterMode ? [c.clusterMode.shards, c.clusterMode.replicasPerShard] : [c.nodes];
  if (sizes.some((n) => Token.isUnresolved(n))) {
    // Each node's metrics are named after it, so the count cannot wait for deploy time.
    p.add(
      'the node count (nodes, or clusterMode.shards and replicasPerShard) is an unresolved token; pass numbers, the construct names every node at synth time',
    );
  } else if (c.clusterMode) {
    const { shards, replicasPerShard } = c.clusterMode;
    p.check(
      !given.nodesSet,
      `nodes (${c.nodes}) and clusterMode are both set; with cluster mode the group has clusterMode.shards x (1 + clusterMode.replicasPerShard) nodes, so remove nodes`,
    );
    p.range('clusterMode.shards', shards, 1, MAX_SHARDS, { integer: true });
    p.range('clusterMode.replicasPerShard', replicasPerShard, 0, MAX_REPLICAS_PER_SHARD, { integer: true });
    const total = shards * (replicasPerShard + 1);
    if (total > MAX_CLUSTER_NODES) {
      p.add(
        `clusterMode has ${total} nodes (${shards} shards x ${replicasPerShard + 1} nodes); a cluster holds at most ${MAX_CLUSTER_NODES} (90 under the default quota); use fewer shards or replicas`,
      );
    }
    p.check(
      !(c.multiAz && replicasPerShard < 1),
      `multiAz needs a replica in every shard to fail over to, but clusterMode.replicasPerShard is ${replicasPerShard}; set it to 1 or more, or multiAz false`,
    );
  } else {
    p.range('nodes', c.nodes, 1, MAX_NODES_WITHOUT_CLUSTER_MODE, {
      integer: true,
      fix: 'one primary and up to five replicas; use clusterMode for more',
    });
    p.check(
      !(c.multiAz && c.nodes < 2),
      `multiAz needs a replica to fail over to, but nodes is ${c.nodes}; set nodes to 2 or more, or multiAz false`,
    );
  }
  const azs = new Set(c.subnets.availabilityZones).size;
  p.check(
    !(c.multiAz && azs < 2),
    `multiAz needs subnets in at least 2 AZs, but vpcSubnets selects subnets in ${azs}; select subnets in more AZs, or multiAz false`,
  );
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

function checkWindows(p: Problems, c: CacheConfig): void {
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
