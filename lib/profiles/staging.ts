import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Profile } from './profile';

/**
 * staging: production's shape at a fraction of its size, so failover and deployments are rehearsed
 * on the same topology (replicated cache, on-demand base under Spot) without production's bill.
 * Prices as in `dev.ts`.
 */
export const staging: Profile = {
  name: 'staging',
  production: false,
  network: {
    cidr: '10.1.0.0/16',
    maxAzs: 2,
    // One shared NAT gateway ($36.50/month): managed and scalable like prod's, without paying for
    // one per AZ. An AZ outage takes staging's egress with it, which staging can afford.
    natStrategy: 'gateway',
    natGateways: 1,
    natInstanceType: 't4g.nano',
    flowLogTraffic: 'REJECT',
  },
  web: {
    // 0.5 vCPU / 1 GiB. One on-demand task always (a Spot reclaim never empties the service), every
    // task above it 3:1 on Spot. Spot is X86_64 only, so staging is X86_64: x86 on-demand
    // $0.0247/h, x86 Spot ~$0.0074/h, against ARM64 on-demand $0.0198/h.
    cpu: 512,
    memoryMiB: 1024,
    cpuArchitecture: 'X86_64',
    onDemandBaseTasks: 1,
    onDemandWeight: 1,
    spotWeight: 3,
    minTasks: 1,
    maxTasks: 4,
    // Staging rehearses production's scaling with a little less headroom: 65 % CPU.
    cpuTargetPercent: 65,
    memoryTargetPercent: 80,
    // ~100 requests/s per vCPU assumed (see dev): 0.5 vCPU ~50/s; 65 % is ~32.5/s = 1,950/min.
    requestsPerTarget: 1950,
    // Rolls half the tasks at a time: deployments finish sooner and cost less than at 100 %.
    minHealthyPercent: 50,
    deletionProtection: false,
    predictiveScaling: 'off',
    // Per-task metrics and running-task counts for diagnosis and alarms (~$8.40/month).
    containerInsights: true,
    scaleSchedule: [],
  },
  database: {
    // 2 vCPU (burstable), 4 GiB: $0.065/h = $47.45/month. Room to run realistic test data.
    instanceClass: 'db.t4g.medium',
    multiAz: false,
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 100,
    backupRetentionDays: 7,
    deletionProtection: false,
    proxy: false,
    customerManagedKey: false,
    // No proxy, so clients hold the password; rotation stays a production control (see dev).
    rotateCredentials: false,
    // node-postgres' default pool, as in prod, so pool behaviour is rehearsed:
    // 4 tasks x 10 + 5 workers x 1 = 45 against the medium's 450 max_connections.
    poolSizePerWebTask: 10,
    // One batch at a time per Lambda execution environment.
    poolSizePerWorker: 1,
    enhancedMonitoringIntervalSeconds: 0,
    databaseInsights: 'standard',
  },
  cache: {
    // Primary + one replica with failover, so a failover can be rehearsed: 2 x $0.0256/h = $37.38/month.
    nodeType: 'cache.t4g.small',
    nodes: 2,
    multiAz: true,
    // One daily snapshot, so a restore can be rehearsed; the first snapshot per cluster is free.
    snapshotRetentionDays: 1,
    customerManagedKey: false,
    // Staging's failovers are rehearsed through ElastiCache events; the engine log is prod's record.
    engineLog: false,
  },
  worker: {
    // Twice dev's CPU share (~0.3 vCPU) so load tests of the worker measure the app, not a starved
    // function: $0.67 per million 100 ms jobs.
    memoryMiB: 512,
    // As dev: 10 jobs bounded by the worker's own timeouts; visibility timeout 3 minutes.
    timeoutSeconds: 30,
    // 5 invocations x 2 pooled connections = 10 of db.t4g.medium's ~410 max_connections.
    maxConcurrency: 5,
    batchSize: 10,
  },
  observability: {
    logRetention: RetentionDays.ONE_MONTH,
  },
  cost: {
    // The sizes above sum to roughly $180 (NAT gateway $36.50, ALB ~$30, one on-demand task $18,
    // db.t4g.medium + storage $49.75, two cache.t4g.small $37.38, monitoring, logs and data);
    // $300 leaves room for Spot tasks during load tests. Revisit against `npm run cost` once
    // every construct is in the stack.
    monthlyBudgetUsd: 300,
  },
};
