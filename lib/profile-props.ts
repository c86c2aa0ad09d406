import { Duration } from 'aws-cdk-lib';
import { ADMIN_RESERVED_CONNECTIONS } from './core/database';
import { profileConnectionDemand } from './core/postgres/connection-budget';
import { resolveProfile, type Profile, type ProfileName } from './core/profiles';
import type { DatabaseProps } from './database';
import type { MonitoringProps } from './monitoring';
import type { NetworkProps } from './network';
import type { QueueWorkerProps } from './queue-worker';
import type { WebServiceProps } from './web-service';
import { retentionDays } from './private/retention';

// The one road from a profile to the constructs: each function maps a profile to the flat props of
// one construct, converting units at the edge (days to RetentionDays, seconds to Duration).
// ScalingStack builds every construct through these, and a user composing the constructs in their
// own stack gets the same sizing with the same call:
//
//   new Database(this, 'Db', { vpc, ...databasePropsFor('prod') });
//
// Constructs never take a profile: what is not given here falls back to the construct's own
// defaults (safe and small, availability opt-in).

/** A built-in profile by name, or a profile value. */
export type ProfileRef = ProfileName | Profile;

/** Network props (everything but a VPC of your own): the `network` section and the log retention. */
export function networkPropsFor(profile: ProfileRef): Omit<NetworkProps, 'vpc'> {
  const p = resolveProfile(profile);
  const n = p.network;
  return {
    cidr: n.cidr,
    maxAzs: n.maxAzs,
    natStrategy: n.natStrategy,
    natGateways: n.natGateways,
    natInstanceType: n.natInstanceType,
    flowLogTraffic: n.flowLogTraffic,
    flowLogRetention: retentionDays(p.observability.logRetentionDays),
  };
}

/** WebService props (everything but the VPC, subnets, image and domain): the `web` section and the log retention. */
export function webServicePropsFor(profile: ProfileRef): Omit<WebServiceProps, 'vpc' | 'image'> {
  const p = resolveProfile(profile);
  return { ...p.web, logRetention: retentionDays(p.observability.logRetentionDays) };
}

/**
 * Database props (everything but the VPC): the `database` section, the log retention, and the
 * worst-case sessions of `web`, `worker` and the pool sizes (which size work_mem).
 */
export function databasePropsFor(profile: ProfileRef): Omit<DatabaseProps, 'vpc' | 'vpcSubnets'> {
  const p = resolveProfile(profile);
  const d = p.database;
  return {
    instanceClass: d.instanceClass,
    multiAz: d.multiAz,
    allocatedStorageGiB: d.allocatedStorageGiB,
    maxAllocatedStorageGiB: d.maxAllocatedStorageGiB,
    backupRetentionDays: d.backupRetentionDays,
    deletionProtection: d.deletionProtection,
    proxy: d.proxy,
    customerManagedKey: d.customerManagedKey,
    rotateCredentials: d.rotateCredentials,
    enhancedMonitoringIntervalSeconds: d.enhancedMonitoringIntervalSeconds,
    databaseInsights: d.databaseInsights,
    logRetention: retentionDays(p.observability.logRetentionDays),
    expectedConnections: profileConnectionDemand(p) + ADMIN_RESERVED_CONNECTIONS,
  };
}

/** QueueWorker sizing (memory, timeout, batch, concurrency) from the `worker` section, and the log retention. */
export function queueWorkerPropsFor(profile: ProfileRef): Pick<QueueWorkerProps, 'memoryMiB' | 'timeout' | 'batchSize' | 'maxConcurrency' | 'logRetention'> {
  const p = resolveProfile(profile);
  const w = p.worker;
  return {
    memoryMiB: w.memoryMiB,
    timeout: Duration.seconds(w.timeoutSeconds),
    batchSize: w.batchSize,
    maxConcurrency: w.maxConcurrency,
    logRetention: retentionDays(p.observability.logRetentionDays),
  };
}

/**
 * Monitoring's thresholds and SLO targets from the `monitoring` section, labelled with the
 * profile's name (alarm descriptions, the dashboard's header and default name).
 */
export function monitoringPropsFor(profile: ProfileRef): Pick<MonitoringProps, 'thresholds' | 'profileName'> {
  const p = resolveProfile(profile);
  return { thresholds: p.monitoring, profileName: p.name };
}
