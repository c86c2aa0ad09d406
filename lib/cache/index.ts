export * from './cache';
export {
  VALKEY_NODE_TYPES,
  VALKEY_EVICTION_POLICIES,
  VALKEY_ENGINE_VERSION,
  DEFAULT_EVICTION_POLICY,
  type CacheEvictionPolicy,
  type CacheNodeTypeInfo,
} from '../defaults/cache';
