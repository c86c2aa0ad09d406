import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { CacheEvictionPolicy } from '../core/cache';

/** Cluster mode: the keyspace split over shards, each with its own primary, for write scaling. */
export interface CacheClusterMode {
  /** Shards (node groups), 1-500; each primary takes the writes for its share of the 16,384 hash slots. */
  readonly shards: number;
  /** Read replicas in each shard, 0-5. */
  readonly replicasPerShard: number;
}

/**
 * Props of `Cache`. Every default follows the one policy for a construct used alone: safe (TLS,
 * encryption at rest, an AUTH token, a daily snapshot and a final one on delete), small (one
 * cache.t4g.micro node) and availability opt-in (replicas, and with them Multi-AZ).
 * `cachePropsFor(profile)` sets every sizing value for a profile.
 */
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
   * Node type, one of `VALKEY_NODE_TYPES` (e.g. 'cache.r7g.large').
   *
   * @default 'cache.t4g.micro' - the smallest Graviton node (0.5 GiB, $0.0128/h)
   */
  readonly nodeType?: string;
  /**
   * Nodes in the group without cluster mode: one primary and `nodes - 1` read replicas (1-6).
   * Not used with `clusterMode`.
   *
   * @default 1 - a primary without replicas: replicas are opt-in
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
   * Needs a replica (in every shard, with cluster mode). It adds no node: the opt-in to
   * availability is asking for replicas, and once there are some, Multi-AZ is what makes them a
   * failover target in another AZ.
   *
   * @default - on when there is a replica (`nodes` of 2 or more, or `clusterMode.replicasPerShard`
   * of 1 or more); off for a single node
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
   * Encrypt the data at rest, the snapshots and the AUTH token secret with a customer-managed KMS
   * key this construct creates (with yearly rotation). Data is encrypted at rest in every case;
   * without it, with the AWS-managed keys of ElastiCache and Secrets Manager.
   *
   * @default false - the AWS-managed keys ($1 a month less)
   */
  readonly customerManagedKey?: boolean;
  /**
   * Bring your own KMS key for the data at rest, the snapshots and the AUTH token. Implies
   * `customerManagedKey`.
   *
   * @default - a new key when `customerManagedKey` is true, else the AWS-managed keys
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
   * A cache is not the source of truth: the database is, and a lost cache costs a cold start
   * (every read goes to the database until it refills), not data. But a cache often holds what is
   * costly to rebuild or not rebuilt at all (sessions, idempotency records such as this stack's
   * jobs worker keeps, rate-limit counters). So "nothing lost by accident" means here: a deletion
   * or replacement leaves a final snapshot (`removalPolicy`; replication groups have no deletion
   * protection), and a snapshot at most a day old restores a warm cache after a lost node or a
   * mistaken FLUSHALL. Writes since the last snapshot are not kept: that is what a cache promises.
   *
   * @default 1 - one daily snapshot, kept a day: at most the 0.4 GB a cache.t4g.micro holds, under
   * $0.04 a month at $0.085/GB-month (lib/core/prices)
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
   * Deliver the engine log (failovers, replica syncs, client-buffer warnings) to CloudWatch Logs
   * besides the slow log.
   *
   * @default false - the slow log only; the engine log tells a failover's story, which needs replicas
   */
  readonly engineLog?: boolean;
  /**
   * Retention of the slow-log and engine-log groups.
   *
   * @default RetentionDays.ONE_WEEK
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
