import type { Construct } from 'constructs';
import type { CatalogAlarms } from './catalog-alarms';
import { type DashboardRow, cacheRow } from './dashboard';
import type { MonitorableCache } from './monitorable';

/**
 * The replication group's alarms in `scope`, every node in each alarm, and its dashboard row:
 * engine CPU, memory, evictions, connections, and replication lag (with replicas).
 */
export function watchCache(alarms: CatalogAlarms, cache: MonitorableCache, scope: Construct): DashboardRow {
  alarms.add('cache', 'engineCpuPercent', cache, scope, { metric: (period) => cache.metricEngineCpuUtilization({ period }) });
  alarms.add('cache', 'memoryPercent', cache, scope, { metric: (period) => cache.metricMemoryUsagePercent({ period }) });
  alarms.add('cache', 'evictionsPer5Min', cache, scope, { metric: (period) => cache.metricEvictions({ period }) });
  alarms.add('cache', 'connectionCount', cache, scope, { metric: (period) => cache.metricCurrentConnections({ period }) });
  // Only replicas publish ReplicationLag. In cluster mode without replicas the series stay empty,
  // which this alarm treats as OK.
  if (cache.memberClusterIds.length > 1) {
    alarms.add('cache', 'replicationLagSeconds', cache, scope, { metric: (period) => cache.metricReplicationLag({ period }) });
  }
  return { title: `Cache: Valkey, ${cache.memberClusterIds.length} node(s) (${cache.node.path})`, widgets: cacheRow(cache, alarms.thresholds) };
}
