import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GRAVITON_INSTANCE_CLASSES } from '../core/database';
import { show } from '../private/problems';
import { type CatalogAlarms, percentOf } from './catalog-alarms';
import { type DashboardRow, databaseRow } from './dashboard';
import type { MonitorableDatabase } from './monitorable';

/**
 * The RDS instance's alarms in `scope` and its dashboard row: CPU, CPU credits (burstable
 * classes), freeable memory (classes of known memory), free storage, connections against
 * max_connections, disk read and write latency, and the proxy's connections (with a proxy, whose
 * metric methods the caller has checked).
 */
export function watchDatabase(alarms: CatalogAlarms, database: MonitorableDatabase, scope: Construct): DashboardRow {
  const ms = (value: number) => ({ threshold: value / 1000, text: `${value} ms` });
  alarms.add('database', 'cpuPercent', database, scope, { metric: (period) => database.metricCpuUtilization({ period }) });
  if (database.burstable) {
    alarms.add('database', 'cpuCredits', database, scope, { metric: (period) => database.metricCpuCreditBalance({ period }) });
  }
  const memoryGiB = GRAVITON_INSTANCE_CLASSES[database.instanceClass]?.memoryGiB;
  if (memoryGiB !== undefined) {
    alarms.add('database', 'freeableMemoryPercent', database, scope, {
      metric: (period) => database.metricFreeableMemory({ period }),
      threshold: (percent) => {
        const mib = Math.round((memoryGiB * 1024 * percent) / 100);
        return { threshold: mib * 1024 * 1024, text: `${percent} % of ${memoryGiB} GiB (${mib} MiB)` };
      },
    });
  } else if (alarms.thresholds.database.freeableMemoryPercent !== 'off') {
    Annotations.of(scope).addWarningV2(
      'cdk-scaling-stack:freeableMemoryAlarm',
      `No freeable-memory alarm: the memory of instance class ${show(database.instanceClass)} is unknown; add one with addAlarm() and database.metricFreeableMemory().`,
    );
  }
  alarms.add('database', 'freeStorageGiB', database, scope, {
    metric: (period) => database.metricFreeStorageSpace({ period }),
    threshold: (value) => ({ threshold: value * 1024 ** 3, text: `${value} GiB` }),
  });
  alarms.add('database', 'connectionsPercentOfMax', database, scope, {
    metric: (period) => database.metricDatabaseConnections({ period }),
    threshold: (percent) => percentOf(percent, database.maxConnections, 'max_connections', 'connections'),
  });
  alarms.add('database', 'readLatencyMs', database, scope, { metric: (period) => database.metricReadLatency({ period }), threshold: ms });
  alarms.add('database', 'writeLatencyMs', database, scope, { metric: (period) => database.metricWriteLatency({ period }), threshold: ms });
  const proxyConnections = database.proxy ? database.metricProxyDatabaseConnections?.bind(database) : undefined;
  if (proxyConnections) {
    const share = Math.floor((database.maxConnections * (database.proxyMaxConnectionsPercent ?? 100)) / 100);
    alarms.add('database', 'proxyConnectionsPercentOfMax', database, scope, {
      metric: (period) => proxyConnections({ period }),
      threshold: (percent) => percentOf(percent, share, "the proxy's share of max_connections", 'connections'),
    });
  }
  return { title: `Database: RDS PostgreSQL ${database.instanceClass} (${database.node.path})`, widgets: databaseRow(database, alarms.thresholds) };
}
