import { Duration } from 'aws-cdk-lib';
import { ADMIN_RESERVED_CONNECTIONS, GRAVITON_INSTANCE_CLASSES } from './core/database';
import { defaultApplicationConnectionLimit } from './core/database-roles';
import { defaultProxyMaxConnectionsPercent, profileConnectionDemand, roleConnectionLimits } from './core/postgres/connection-budget';
import { maxConnectionsFor } from './core/postgres/engine-memory';
import { resolveProfile, type Profile, type ProfileName, type WebProfile } from './core/profiles';
import * as events from 'aws-cdk-lib/aws-events';
import type { DataBackupProps } from './backup';
import type { CacheProps } from './cache';
import type { DatabaseProps } from './database';
import type { EdgeProps } from './edge';
import type { MonitoringProps } from './monitoring';
import type { NetworkProps } from './network';
import type { IdempotencyTableProps, QueueWorkerProps } from './queue-worker';
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

/**
 * WebService sizing (not the VPC, subnets, image, domain or the app's configuration): every field
 * of the `web` section, and the log retention. Named one by one rather than spread: the return type
 * requires each, and a profile field that is no WebService prop does not compile.
 */
export function webServicePropsFor(
  profile: ProfileRef,
): Required<Pick<WebServiceProps, Exclude<keyof WebProfile, 'delivery'> | keyof WebProfile['delivery'] | 'logRetention'>> &
  Pick<WebServiceProps, 'tracing'> {
  const p = resolveProfile(profile);
  const w = p.web;
  return {
    cpu: w.cpu,
    memoryMiB: w.memoryMiB,
    cpuArchitecture: w.cpuArchitecture,
    onDemandBaseTasks: w.onDemandBaseTasks,
    onDemandWeight: w.onDemandWeight,
    spotWeight: w.spotWeight,
    minTasks: w.minTasks,
    maxTasks: w.maxTasks,
    cpuTargetPercent: w.cpuTargetPercent,
    memoryTargetPercent: w.memoryTargetPercent,
    requestsPerTarget: w.requestsPerTarget,
    minHealthyPercent: w.minHealthyPercent,
    deletionProtection: w.deletionProtection,
    predictiveScaling: w.predictiveScaling,
    highResolutionMetrics: w.highResolutionMetrics,
    anomalyMitigation: w.anomalyMitigation,
    scaleSchedule: w.scaleSchedule,
    containerInsights: w.containerInsights,
    // web.delivery, flat: the construct's props carry the same names.
    deploymentStrategy: w.delivery.deploymentStrategy,
    trafficShiftPercent: w.delivery.trafficShiftPercent,
    trafficShiftBakeMinutes: w.delivery.trafficShiftBakeMinutes,
    deploymentBakeMinutes: w.delivery.deploymentBakeMinutes,
    smokeTest: w.delivery.smokeTest,
    smokeTestPaths: w.delivery.smokeTestPaths,
    logRetention: retentionDays(p.observability.logRetentionDays),
    // Off: no key at all, as for a WebService built without tracing.
    ...webTracingFor(p),
  };
}

/** The web tier's tracing from `observability.tracing` (off: nothing), labelled with the profile. */
function webTracingFor(p: Profile): Pick<WebServiceProps, 'tracing'> {
  const t = p.observability.tracing;
  if (!t?.enabled) return {};
  return {
    tracing: {
      samplingRate: t.samplingRate,
      reservoirPerSecond: t.reservoirPerSecond,
      collectorCpu: t.collectorCpu,
      collectorMemoryMiB: t.collectorMemoryMiB,
      resourceAttributes: { 'deployment.environment': p.name },
    },
  };
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
    bootstrap: { applicationConnectionLimit: applicationConnectionLimit(p), tracing: p.observability.tracing.enabled },
  };
}

/**
 * The application role's CONNECTION LIMIT from the profile's connection budget (web tasks and jobs
 * worker at their ceilings; through the proxy, the proxy's share, which it opens as that role), so
 * the server enforces the number synth checked. Undefined for an instance class the catalog does
 * not know: the Database reports that class itself, and its bootstrap keeps its own default. The
 * monitoring role keeps the bootstrap's default (DEFAULT_MONITORING_CONNECTION_LIMIT, 3: the
 * insights pool, a frozen environment's idle connection and an operator's session, inside the
 * admin reserve), since a limit of exactly the pool would lock out the next run behind a stale one.
 */
function applicationConnectionLimit(p: Profile): number | undefined {
  const spec = GRAVITON_INSTANCE_CLASSES[p.database.instanceClass];
  if (!spec) return undefined;
  const maxConnections = maxConnectionsFor(spec.memoryGiB);
  // Over budget, synth stops at the budget check (with its fixes); capped here so that message,
  // not the bootstrap's range check, is the one the user reads.
  const ceiling = defaultApplicationConnectionLimit(maxConnections, p.database.proxy ? defaultProxyMaxConnectionsPercent(maxConnections) : undefined);
  return Math.min(roleConnectionLimits(p, maxConnections).application, ceiling);
}

/**
 * Cache props (everything but the VPC and subnets): the `cache` section and the log retention. The
 * profile states Multi-AZ and the snapshots outright, so a profile that turns a protection off
 * (dev keeps no daily snapshots) does so with the reason in its table.
 */
export function cachePropsFor(profile: ProfileRef): Omit<CacheProps, 'vpc' | 'vpcSubnets'> {
  const p = resolveProfile(profile);
  const c = p.cache;
  return {
    nodeType: c.nodeType,
    nodes: c.nodes,
    multiAz: c.multiAz,
    snapshotRetentionDays: c.snapshotRetentionDays,
    customerManagedKey: c.customerManagedKey,
    engineLog: c.engineLog,
    logRetention: retentionDays(p.observability.logRetentionDays),
  };
}

/** QueueWorker sizing (memory, timeout, batch, concurrency) from the `worker` section, and the log retention. */
export function queueWorkerPropsFor(
  profile: ProfileRef,
): Pick<QueueWorkerProps, 'memoryMiB' | 'timeout' | 'batchSize' | 'maxConcurrency' | 'provisionedPollers' | 'logRetention' | 'tracing'> {
  const p = resolveProfile(profile);
  const w = p.worker;
  return {
    memoryMiB: w.memoryMiB,
    timeout: Duration.seconds(w.timeoutSeconds),
    batchSize: w.batchSize,
    maxConcurrency: w.maxConcurrency,
    provisionedPollers: w.provisionedPollers,
    logRetention: retentionDays(p.observability.logRetentionDays),
    tracing: p.observability.tracing?.enabled ?? false,
  };
}

/** The jobs worker's idempotency table from the `worker` section: its key. */
export function idempotencyTablePropsFor(profile: ProfileRef): Pick<IdempotencyTableProps, 'customerManagedKey'> {
  return { customerManagedKey: resolveProfile(profile).worker.idempotencyCustomerManagedKey };
}

/**
 * Monitoring's thresholds and SLO targets from the `monitoring` section, labelled with the
 * profile's name (alarm descriptions, the dashboard's header and default name).
 */
export function monitoringPropsFor(profile: ProfileRef): Pick<MonitoringProps, 'thresholds' | 'profileName'> {
  const p = resolveProfile(profile);
  return { thresholds: p.monitoring, profileName: p.name };
}

/**
 * Edge props (everything but the load balancer and the domain): the `edge` section and the log
 * retention of the distribution's access logs. `enabled` is ScalingStack's to read: a construct
 * that exists is on.
 */
export function edgePropsFor(
  profile: ProfileRef,
): Pick<EdgeProps, 'webAcl' | 'rateLimitPer5Minutes' | 'additionalMetrics' | 'originShieldRegion' | 'staticMaxTtl' | 'logRetentionDays'> {
  const p = resolveProfile(profile);
  const e = p.edge;
  return {
    webAcl: e.webAcl,
    rateLimitPer5Minutes: e.rateLimitPer5Minutes,
    additionalMetrics: e.additionalMetrics,
    originShieldRegion: e.originShieldRegion === 'off' ? undefined : e.originShieldRegion,
    staticMaxTtl: Duration.seconds(e.staticMaxTtlSeconds),
    logRetentionDays: p.observability.logRetentionDays,
  };
}

/**
 * DataBackup props (everything but the instances to protect) from the `backup` section. Whether
 * there is a plan at all is the section's `enabled`, for ScalingStack to read.
 */
export function backupPropsFor(profile: ProfileRef): Omit<DataBackupProps, 'databaseInstances'> {
  const p = resolveProfile(profile);
  const b = p.backup;
  return {
    schedule: events.Schedule.expression(b.schedule),
    retentionDays: b.retentionDays,
    copyRegion: b.copyRegion === 'off' ? undefined : b.copyRegion,
    vaultLock: b.vaultLock,
    vaultLockMinRetentionDays: b.vaultLockMinRetentionDays,
    vaultLockMaxRetentionDays: b.vaultLockMaxRetentionDays,
    vaultLockChangeableForDays: b.vaultLockChangeableForDays,
    logRetention: retentionDays(p.observability.logRetentionDays),
  };
}
