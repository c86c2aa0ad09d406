/**
 * Environment-independent defaults of the Valkey cache. Sizes that vary per environment (node type,
 * node count, Multi-AZ, snapshot retention, key, engine log) live in the profiles' `cache` section.
 */

/** The engine. Valkey costs 20 % less per node than Redis OSS for the same node type (prices in `../shared/data`). */
export const VALKEY_ENGINE = 'valkey';

/**
 * Pinned engine version: the newest Valkey 8 release ElastiCache offers (8.2). Pinned so a deploy
 * never jumps a major version by itself; patch releases arrive through `autoMinorVersionUpgrade`.
 * Source: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
 */
export const VALKEY_ENGINE_VERSION = '8.2';

/** The parameter group family of every Valkey 8.x version (same source). Changes with the major version only. */
export const VALKEY_PARAMETER_GROUP_FAMILY = 'valkey8';

/**
 * The port clients connect to. Valkey's standard port: cdk-nag's AwsSolutions-AEC5 asks for a
 * non-default port only for the `redis` engine (and for a port left unset); with the engine set to
 * `valkey` and the port stated, 6379 passes. A different number would hide nothing from a client
 * that is already inside the security group, and every tool expects 6379.
 */
export const VALKEY_DEFAULT_PORT = 6379;

/** One supported node type: memory and vCPUs as AWS lists them. */
export interface CacheNodeTypeInfo {
  /** Memory of the node in GiB; about 25 % of it is reserved (`reserved-memory-percent`). */
  readonly memoryGiB: number;
  readonly vcpus: number;
}

/**
 * The node types ElastiCache offers for Valkey node-based clusters (current generation), with the
 * memory and vCPUs AWS lists for each. Source: the ElastiCache pricing-page feed (`Memory`, `vCPU`
 * per `Instance Type`; publication 2024-11-18, snapshot in github.com/yeo/ec2.shop
 * `data/elasticache/elasticache.json`, the feed `../shared/data/PRICES.md` uses) and the node-type list in
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html.
 *
 * Left out on purpose: previous generations (t2, m4, r4 and older: not for new clusters) and the
 * data-tiering types (r6gd: they move cold keys to SSD, which this construct does not configure).
 */
export const VALKEY_NODE_TYPES: Readonly<Record<string, CacheNodeTypeInfo>> = {
  // Burstable: CPU credits run out under sustained load; fine for dev and staging.
  'cache.t3.micro': { memoryGiB: 0.5, vcpus: 2 },
  'cache.t3.small': { memoryGiB: 1.37, vcpus: 2 },
  'cache.t3.medium': { memoryGiB: 3.09, vcpus: 2 },
  'cache.t4g.micro': { memoryGiB: 0.5, vcpus: 2 },
  'cache.t4g.small': { memoryGiB: 1.37, vcpus: 2 },
  'cache.t4g.medium': { memoryGiB: 3.09, vcpus: 2 },
  // General purpose.
  'cache.m5.large': { memoryGiB: 6.38, vcpus: 2 },
  'cache.m5.xlarge': { memoryGiB: 12.93, vcpus: 4 },
  'cache.m5.2xlarge': { memoryGiB: 26.04, vcpus: 8 },
  'cache.m5.4xlarge': { memoryGiB: 52.26, vcpus: 16 },
  'cache.m5.12xlarge': { memoryGiB: 157.12, vcpus: 48 },
  'cache.m5.24xlarge': { memoryGiB: 314.32, vcpus: 96 },
  'cache.m6g.large': { memoryGiB: 6.38, vcpus: 2 },
  'cache.m6g.xlarge': { memoryGiB: 12.93, vcpus: 4 },
  'cache.m6g.2xlarge': { memoryGiB: 26.04, vcpus: 8 },
  'cache.m6g.4xlarge': { memoryGiB: 52.26, vcpus: 16 },
  'cache.m6g.8xlarge': { memoryGiB: 103.68, vcpus: 32 },
  'cache.m6g.12xlarge': { memoryGiB: 157.12, vcpus: 48 },
  'cache.m6g.16xlarge': { memoryGiB: 209.55, vcpus: 64 },
  'cache.m7g.large': { memoryGiB: 6.38, vcpus: 2 },
  'cache.m7g.xlarge': { memoryGiB: 12.93, vcpus: 4 },
  'cache.m7g.2xlarge': { memoryGiB: 26.04, vcpus: 8 },
  'cache.m7g.4xlarge': { memoryGiB: 52.26, vcpus: 16 },
  'cache.m7g.8xlarge': { memoryGiB: 103.68, vcpus: 32 },
  'cache.m7g.12xlarge': { memoryGiB: 157.12, vcpus: 48 },
  'cache.m7g.16xlarge': { memoryGiB: 209.55, vcpus: 64 },
  // Memory optimized: the most cache per dollar once a working set outgrows a t-class node.
  'cache.r5.large': { memoryGiB: 13.07, vcpus: 2 },
  'cache.r5.xlarge': { memoryGiB: 26.32, vcpus: 4 },
  'cache.r5.2xlarge': { memoryGiB: 52.82, vcpus: 8 },
  'cache.r5.4xlarge': { memoryGiB: 105.81, vcpus: 16 },
  'cache.r5.12xlarge': { memoryGiB: 317.77, vcpus: 48 },
  'cache.r5.24xlarge': { memoryGiB: 635.61, vcpus: 96 },
  'cache.r6g.large': { memoryGiB: 13.07, vcpus: 2 },
  'cache.r6g.xlarge': { memoryGiB: 26.32, vcpus: 4 },
  'cache.r6g.2xlarge': { memoryGiB: 52.82, vcpus: 8 },
  'cache.r6g.4xlarge': { memoryGiB: 105.81, vcpus: 16 },
  'cache.r6g.8xlarge': { memoryGiB: 209.55, vcpus: 32 },
  'cache.r6g.12xlarge': { memoryGiB: 317.77, vcpus: 48 },
  'cache.r6g.16xlarge': { memoryGiB: 419.09, vcpus: 64 },
  'cache.r7g.large': { memoryGiB: 13.07, vcpus: 2 },
  'cache.r7g.xlarge': { memoryGiB: 26.32, vcpus: 4 },
  'cache.r7g.2xlarge': { memoryGiB: 52.82, vcpus: 8 },
  'cache.r7g.4xlarge': { memoryGiB: 105.81, vcpus: 16 },
  'cache.r7g.8xlarge': { memoryGiB: 209.55, vcpus: 32 },
  'cache.r7g.12xlarge': { memoryGiB: 317.77, vcpus: 48 },
  'cache.r7g.16xlarge': { memoryGiB: 419.09, vcpus: 64 },
  // Network optimized: high packet rates with little memory.
  'cache.c7gn.large': { memoryGiB: 3.09, vcpus: 2 },
  'cache.c7gn.xlarge': { memoryGiB: 6.38, vcpus: 4 },
  'cache.c7gn.2xlarge': { memoryGiB: 12.94, vcpus: 8 },
  'cache.c7gn.4xlarge': { memoryGiB: 26.05, vcpus: 16 },
  'cache.c7gn.8xlarge': { memoryGiB: 52.26, vcpus: 32 },
  'cache.c7gn.12xlarge': { memoryGiB: 78.56, vcpus: 48 },
  'cache.c7gn.16xlarge': { memoryGiB: 105.81, vcpus: 64 },
};

/**
 * Every eviction policy Valkey knows (`maxmemory-policy`).
 * Source: https://valkey.io/topics/lru-cache/
 */
export const VALKEY_EVICTION_POLICIES = [
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'noeviction',
] as const;

/** A Valkey eviction policy (`maxmemory-policy`). */
export type CacheEvictionPolicy = (typeof VALKEY_EVICTION_POLICIES)[number];

/**
 * LRU over all keys. A cache must make room for new entries whatever their TTL; ElastiCache's own
 * default (`volatile-lru`) evicts only keys that carry a TTL, so a cache full of keys written
 * without one starts rejecting writes (OOM) instead of evicting.
 */
export const DEFAULT_EVICTION_POLICY: CacheEvictionPolicy = 'allkeys-lru';

/**
 * The tuned engine parameters, each with its reason. Parameter names and defaults:
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
 */
export function cacheParameters(evictionPolicy: CacheEvictionPolicy, clusterMode: boolean): Record<string, string> {
  return {
    'maxmemory-policy': evictionPolicy,
    // Memory kept outside the dataset for the replication buffer and the fork of a snapshot: AWS
    // recommends 25 % so a full sync or a backup never pushes the node into swap.
    // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
    'reserved-memory-percent': '25',
    // Close a client idle for 5 minutes (ElastiCache's default 0 never does). Lambda execution
    // environments that are frozen or retired keep their connections open; without a timeout they
    // pile up toward the 65,000 per-node limit. node-redis does not notice the close by itself (a
    // thawed socket still looks ready): the workers replace a connection idle this long before
    // using it and retry a command that met a closed socket once (lambda/shared/cache.ts,
    // CACHE_SERVER_IDLE_TIMEOUT_SECONDS, kept equal to this value by a test).
    // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/BestPractices.Clients.Redis.ServerTimeout.html
    timeout: '300',
    // Probe idle clients every 60 s (default 300) so a client that vanished with its AZ or host is
    // noticed in about a minute, not five, and its connection freed.
    'tcp-keepalive': '60',
    // Must match the group's topology: cluster mode needs a parameter group with it on.
    'cluster-enabled': clusterMode ? 'yes' : 'no',
  };
}

/**
 * The daily snapshot window, UTC. 06:00-07:00 UTC is 01:00-03:00 on the US east coast and
 * 22:00-00:00 on the west coast: the overnight trough for the reference region (us-east-1).
 * Audiences elsewhere set `snapshotWindow`. ElastiCache needs at least 60 minutes.
 */
export const DEFAULT_SNAPSHOT_WINDOW = '06:00-07:00';

/**
 * The weekly maintenance window, UTC: Sunday 07:30-08:30, the quietest night of the week for the
 * same audience, after the snapshot window so an engine patch never races a backup.
 */
export const DEFAULT_MAINTENANCE_WINDOW = 'sun:07:30-sun:08:30';

/** ElastiCache's shortest snapshot and maintenance window, in minutes. */
export const MIN_WINDOW_MINUTES = 60;

/** Limits of a replication group (cluster mode disabled: one primary and up to five replicas). */
export const MAX_NODES_WITHOUT_CLUSTER_MODE = 6;
/** Replicas per shard, in either mode. */
export const MAX_REPLICAS_PER_SHARD = 5;
/**
 * Shards and nodes of a cluster-mode group. 500 is the hard ceiling (engine 5.0.6 and later); the
 * default quota is 90 nodes per cluster, raised on request.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.CreatingReplGroup.NoExistingCluster.Cluster.html
 */
export const MAX_SHARDS = 500;
export const MAX_CLUSTER_NODES = 500;
/** Days of automatic snapshots ElastiCache keeps at most. */
export const MAX_SNAPSHOT_RETENTION_DAYS = 35;

/**
 * The AUTH token Secrets Manager generates. ElastiCache accepts 16-128 printable characters with
 * only `!&#$^<>-` as punctuation, and asks for three character classes. 64 characters of upper,
 * lower and digits (each required) give about 380 bits and need no escaping in a `rediss://` URL,
 * an environment variable or a shell.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
 */
export const AUTH_TOKEN_LENGTH = 64;
export function authTokenGeneration(): {
  passwordLength: number;
  excludePunctuation: boolean;
  includeSpace: boolean;
  requireEachIncludedType: boolean;
} {
  return { passwordLength: AUTH_TOKEN_LENGTH, excludePunctuation: true, includeSpace: false, requireEachIncludedType: true };
}
