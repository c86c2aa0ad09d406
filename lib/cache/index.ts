export { Cache, type CacheClusterMode, type CacheMetricAggregation, type CacheMetricOptions, type CacheProps } from './cache';
