import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type { Construct } from 'constructs';
import { cacheParameters, VALKEY_PARAMETER_GROUP_FAMILY, type CacheEvictionPolicy } from '../core/cache';

/**
 * The tuned parameter group (construct ID `ParameterGroup`): the eviction policy, memory reserved
 * for replication and snapshots, idle-client timeout and keepalive (reasons in lib/core/cache.ts),
 * and `cluster-enabled` matching the group's topology.
 */
export function createParameterGroup(scope: Construct, evictionPolicy: CacheEvictionPolicy, clusterMode: boolean): elasticache.CfnParameterGroup {
  return new elasticache.CfnParameterGroup(scope, 'ParameterGroup', {
    cacheParameterGroupFamily: VALKEY_PARAMETER_GROUP_FAMILY,
    description: `Valkey cache ${scope.node.path}: tuned for caching`,
    properties: cacheParameters(evictionPolicy, clusterMode),
  });
}
