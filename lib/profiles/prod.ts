import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Profile } from './profile';

/**
 * prod: survives the loss of an AZ and loses no data. Every production rule in
 * `validateProfile()` holds. Prices as in `dev.ts`.
 */
export const prod: Profile = {
  name: 'prod',
  production: true,
  network: {
    cidr: '10.2.0.0/16',
    // Three AZs: losing one leaves two thirds of capacity, not half.
    maxAzs: 3,
    // One NAT gateway per AZ ($36.50/month each): an AZ outage never cuts the other AZs' egress,
    // and no cross-AZ NAT data charge ($0.01/GB each way).
    natStrategy: 'gateway',
    natGateways: 3,
    natInstanceType: 't4g.nano',
    // Every flow: the record an incident review or a security investigation needs.
    flowLogTraffic: 'ALL',
  },
  web: {
    // 1 vCPU / 2 GiB on Graviton, on demand: ARM64 $0.0395/h against x86 $0.0494/h (20 % less),
    // and no Spot interruptions. A Spot mix would need X86_64: a 1-task on-demand base with 3:1 Spot
    // above it averages ~$0.025/h per task at 30 tasks but pays the x86 premium on the base and
    // loses tasks on reclaim; prod chooses predictability.
    cpu: 1024,
    memoryMiB: 2048,
    cpuArchitecture: 'ARM64',
    onDemandBaseTasks: 0,
    onDemandWeight: 1,
    spotWeight: 0,
    // One task per AZ at minimum; up to 30 for peaks.
    minTasks: 3,
    maxTasks: 30,
  },
  database: {
    // 2 vCPU, 16 GiB memory-optimized Graviton, Multi-AZ: $0.478/h = $348.94/month.
    instanceClass: 'db.r7g.large',
    multiAz: true,
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 1000,
    backupRetentionDays: 14,
    deletionProtection: true,
    // Pools connections for 30 tasks and the workers: 2 vCPU x $0.015/h = $21.90/month.
    proxy: true,
    customerManagedKey: true,
  },
  cache: {
    // Primary + two replicas across three AZs with automatic failover: 3 x $0.1752/h = $383.69/month.
    nodeType: 'cache.r7g.large',
    nodes: 3,
    multiAz: true,
    snapshotRetentionDays: 7,
    customerManagedKey: true,
  },
  worker: {
    memoryMiB: 1024,
    timeoutSeconds: 60,
    maxConcurrency: 20,
    batchSize: 10,
  },
  observability: {
    // Three months covers a quarter's incident reviews; validateProfile() requires at least 90 days.
    logRetention: RetentionDays.THREE_MONTHS,
  },
  cost: {
    // The sizes above sum to roughly $1,100 at baseline: three cache.r7g.large $383.69, Multi-AZ
    // db.r7g.large $348.94 + 100 GiB $23 + proxy $21.90, three NAT gateways $109.50, three tasks
    // $86.50, ALB ~$45, flow logs of all traffic ~$18, data transfer ~$28. $1,300 keeps ~15 %
    // headroom. Revisit against `npm run cost` once every construct is in the stack.
    monthlyBudgetUsd: 1300,
  },
};
