export { Cache } from './cache';
export type { CacheClusterMode, CacheMetricAggregation, CacheMetricOptions, CacheProps } from './props';
