import * as logs from 'aws-cdk-lib/aws-logs';

// What a Cache gets when a prop is left out: small (the cheapest node that works) and safe (nothing
// lost by accident, as far as a cache can promise: see CacheProps.snapshotRetentionDays);
// availability is opt-in. The environment-independent values (engine, windows, parameters) and
// their reasons are in lib/core/cache.ts; `cachePropsFor(profile)` sets every value below from a
// profile, so ScalingStack never falls back on them.

/** The smallest Graviton node: 2 vCPUs, 0.5 GiB, $0.0128/h = $9.34/month for Valkey (lib/core/prices). */
export const DEFAULT_NODE_TYPE = 'cache.t4g.micro';

/** One primary, no replica: losing it costs a cold cache until it is replaced, not data. */
export const DEFAULT_NODES = 1;

/**
 * One daily snapshot, kept a day: a warm restore point after a lost node or a mistaken flush. A
 * cache.t4g.micro's snapshot is at most the ~0.4 GB it holds: under $0.04/month at $0.085/GB-month.
 */
export const DEFAULT_SNAPSHOT_RETENTION_DAYS = 1;

/** The slow (and engine) log is kept a week: enough to read last week's slow commands, cheap to store. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_WEEK;
