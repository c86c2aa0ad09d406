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
  },
  cache: {
    // Primary + one replica with failover, so a failover can be rehearsed: 2 x $0.0256/h = $37.38/month.
    nodeType: 'cache.t4g.small',
    nodes: 2,
    multiAz: true,
    snapshotRetentionDays: 1,
    customerManagedKey: false,
  },
  worker: {
    memoryMiB: 512,
    timeoutSeconds: 30,
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
