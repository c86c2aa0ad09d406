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
    // Scale out at 60 % CPU: the 40 % headroom absorbs a surge of up to 1.6x on the running tasks
    // during the ~150 s new tasks take to serve (docs/web-service.md, "How fast it scales").
    cpuTargetPercent: 60,
    memoryTargetPercent: 80,
    // ~100 requests/s per vCPU assumed (see dev): 1 vCPU ~100/s; 60 % is 60/s = 3,600/min.
    requestsPerTarget: 3600,
    // A deployment never lowers serving capacity: new tasks start before old ones stop.
    minHealthyPercent: 100,
    // The load balancer's DNS name is what clients and DNS records point at; keep it.
    deletionProtection: true,
    // Forecasts only (free: no alarms, no metrics billed): after a week of traffic compare the
    // forecast with the load, and switch to 'ForecastAndScale' if it tracks (docs/web-service.md,
    // "Predictive scaling").
    predictiveScaling: 'ForecastOnly',
    // CPU and memory every 20 s: target tracking decides in ~80 s instead of ~240 s, and a new
    // task serves ~150 s after a load step (docs/web-service.md, "How fast it scales").
    highResolutionMetrics: ['CPUUtilization', 'MemoryUtilization'],
    // Three tasks: a task that fails quietly (errors, slowness) gets less traffic at once.
    anomalyMitigation: true,
    // Per-task metrics and running-task counts for diagnosis and alarms (~$8.40/month).
    containerInsights: true,
    scaleSchedule: [],
    // Canary: 10 % of production traffic (3 of 30 tasks' worth at peak) for 10 minutes, long enough
    // for two evaluations of the 2-of-3-minute deployment alarms and two 5-minute fast-burn windows;
    // then the rest. The old revision stays up 10 more minutes so a late alarm rolls back without
    // starting a task. The smoke test requests the health path through the test listener first.
    delivery: {
      deploymentStrategy: 'canary',
      trafficShiftPercent: 10,
      trafficShiftBakeMinutes: 10,
      deploymentBakeMinutes: 10,
      smokeTest: true,
      smokeTestPaths: [],
    },
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
    // RDS rotates the master password every 7 days; clients reach the proxy with IAM tokens, so a
    // rotation never touches them.
    rotateCredentials: true,
    // node-postgres' default pool: 30 tasks x 10 + 20 jobs workers x 2 = 340 client connections,
    // which the proxy multiplexes onto at most 90% (1,568) of the r7g.large's 1,743 max_connections;
    // the insights worker (1) and the bootstrap (1) connect to the instance beside it.
    poolSizePerWebTask: 10,
    // One-minute OS metrics (per-process CPU and memory, swap, I/O) for incident reviews; billed
    // only as CloudWatch Logs ingestion of the RDSOSMetrics log group.
    enhancedMonitoringIntervalSeconds: 60,
    // $0.0125 per vCPU-hour x 2 vCPUs x 730 h = $18.25/month: 15 months of query-load history
    // (this quarter against last) and execution plans, where standard mode keeps 7 days.
    databaseInsights: 'advanced',
  },
  cache: {
    // Primary + two replicas across three AZs with automatic failover: 3 x $0.1752/h = $383.69/month.
    nodeType: 'cache.r7g.large',
    nodes: 3,
    multiAz: true,
    // Daily snapshots as far back as the database's point-in-time restore (database.backupRetentionDays,
    // 14): whatever day the database is restored to, the cache restores warm from the same day
    // instead of serving entries newer than the data (or every read hitting the database while it
    // refills). AWS Backup does not protect ElastiCache, so these are the cache's only backups
    // (docs/backup-restore.md). A snapshot is one copy of the data (at most the 9.8 GiB a node
    // holds after the 25 % reserve): 14 x 9.8 GB x $0.085/GB-month <= $11.66/month (was 7 days, $5.83).
    snapshotRetentionDays: 14,
    // Key policy and CloudTrail record of every use of the key that protects cached user data ($1/month).
    customerManagedKey: true,
    // The record of every failover and replica resync, for incident reviews.
    engineLog: true,
  },
  worker: {
    // ~0.6 vCPU: JSON-encoding large refresh results is CPU-bound; $1.33 per million 100 ms jobs.
    memoryMiB: 1024,
    // Refresh queries on production-sized tables may run up to the 10 s statement timeout; 60 s
    // holds three rounds of them (batchSize below). Visibility timeout 6 x 60 s = 6 minutes, which
    // the oldest-message alarm's 20 minutes below is reasoned from.
    timeoutSeconds: 60,
    // 20 invocations x 2 pooled connections = 40, pooled by the RDS Proxy, far below
    // db.r7g.large's 1,743 max_connections and leaving the web tier its share.
    maxConcurrency: 20,
    // The time budget (lib/core/worker-timing.ts): a record waits at most 16 s (cache connect 2 s +
    // database connect 3 s + the client's query backstop 11 s: through the proxy the server's 10 s
    // needs the role setting) and an environment runs 2 records at a time. 6 records are 3 rounds,
    // 48 s of the 60 s timeout; the 12 s left cover what nothing bounds (a cold start's secret
    // fetches, cache round trips). 10 would be 80 s. A smaller batch, not a 90 s timeout: that would
    // stretch the visibility timeout to 9 minutes, delaying every retry. It costs two thirds more
    // invocations: $0.73 a month at 3 million jobs (`npm run cost`, worker $6.75 -> $7.48; the
    // tool prices every invocation at the same duration, so a smaller batch costs less than that).
    batchSize: 6,
    // On, at 2 pollers fixed: 2 x 10 invocations per poller = 20, exactly maxConcurrency above, so
    // the connection budget does not move (provisioned mode ignores maxConcurrency; the rules hold
    // maximumPollers x 10 to it). The standard mode starts a burst at 5 concurrent invocations and
    // adds up to 300 a minute; the dedicated pollers are polling before the burst, so a bulk
    // write's invalidations start on all 20 at once and the cache is stale for less. Price:
    // 2 pollers x 730 h x $0.00925 per EPU-hour (one EPU per SQS poller) = $13.50 a month, 1 % of
    // the $1,300 budget (`npm run cost`). Raising the ceiling later means raising maxConcurrency
    // and the connection budget with it.
    provisionedPollers: { minimumPollers: 2, maximumPollers: 2 },
    // The customer-managed key, like the database's and the cache's: records hold job results
    // (rows of cache.refresh), and the key policy and CloudTrail show every use; $1 a month.
    idempotencyCustomerManagedKey: true,
    // AWS's default Lambda concurrency per account and Region (Service Quotas shows yours; a new
    // account may start lower). Synth checks that it leaves maxConcurrency to the jobs worker.
    accountConcurrency: 1000,
  },
  observability: {
    // Three months covers a quarter's incident reviews; validateProfile() requires at least 90 days.
    logRetentionDays: 90,
    // Every log group under the stack's own key (validateProfile() requires it in production):
    // access to the logs (statements, job payload errors) is then audited and revocable in KMS.
    encryptLogs: true,
    // On: one trace per second guaranteed (X-Ray's default reservoir) and 5 % of the rest (its
    // default rate), which at prod's ~8 origin requests a second is ~1.3 traced a second. The
    // collector takes 128 of the 1,024 CPU units and 256 of the 2,048 MiB (an eighth; it idles at
    // ~40 MiB, the rest absorbs bursts); the app keeps 896 units and 1,792 MiB. `npm run cost`: $20.23 a
    // month at baseline ($5.00 per million traces: 3.5 million of the 21 million origin requests,
    // $17.73; the jobs worker's invocations, $2.50), $78.71 at peak.
    tracing: { enabled: true, samplingRate: 0.05, reservoirPerSecond: 1, collectorCpu: 128, collectorMemoryMiB: 256 },
  },
  cost: {
    // `npm run cost` prices the synthesized prod stack at $1,284.77 baseline: database $415
    // (Multi-AZ db.r7g.large, 100 GiB, proxy, Database Insights), cache $387 (three
    // cache.r7g.large, 14 days of snapshots), web $152 (three ARM64 tasks, ALB, 20-second metrics,
    // X-Ray traces), network $134 (a NAT gateway per AZ, all-traffic flow logs), edge $101, backup
    // $47 (AWS Backup and its copy in us-west-2), worker $23 (with 2 provisioned pollers $13.50),
    // monitoring $12, idempotency table $5, data transfer $4, log key $1. $1,300 leaves ~1 %: the
    // second wave's protections (backups, traces, pollers) took most of the old headroom, so a
    // larger prod should raise this budget deliberately (docs/cost.md has the tables).
    monthlyBudgetUsd: 1300,
  },
  monitoring: {
    // Every alarm, with thresholds that page before users notice. $11.86 a month with the
    // dashboard and key (`npm run cost`), under 1 % of prod's budget.
    //
    // 99.9 %: 43 minutes of errors a month. The fast burn-rate pair pages when an hour spends
    // 2 % of that (1.44 % of requests failing), the slow pair when six hours spend 5 % (0.6 %).
    availabilitySloPercent: 99.9,
    latencySloPercent: 99,
    // Half of the 1 s p99 at which the service scales out: most requests of a healthy API are fast.
    latencySloThresholdMs: 500,
    sloBurnRateAlarms: true,
    // The engine's own view (slow statements, index candidates, idle-in-transaction sessions) as
    // alarms: 8 custom metrics, $2.40 a month (`npm run cost`).
    databaseInsightsMetrics: true,
    web: {
      // 2 % for 2 of 3 minutes is 20 times the 99.9 % SLO's error rate: a release that does that
      // would spend the month's budget in a day and a half. It also rolls the deployment back.
      errorRatePercent: 2,
      // Twice the 1 s scale-out threshold: slow enough that scaling did not help (and a rollback).
      p99LatencyMs: 2000,
      unhealthyHostCount: 1,
      rejectedConnectionsPer5Min: 1,
      // Target tracking holds 60 %; 85 % for 15 minutes means scaling is not keeping up or the
      // service is at maxTasks 30.
      cpuPercent: 85,
      memoryPercent: 90,
      // Three tasks, one per AZ: two left is an AZ's capacity gone.
      runningTasksPercentOfMinimum: 100,
    },
    database: {
      // A db.r7g.large has no credits; 80 % for 15 minutes leaves little room for a spike.
      cpuPercent: 80,
      // Not burstable: no alarm is made (the value applies only to db.t4g classes).
      cpuCredits: 'off',
      // 10 % of 16 GiB.
      freeableMemoryPercent: 10,
      // 10 % of the 100 GiB: autoscaling (up to 1 TiB) should have grown the disk by then.
      freeStorageGiB: 10,
      connectionsPercentOfMax: 80,
      // A larger instance has more EBS bandwidth: 10 ms average for 15 minutes is already slow.
      readLatencyMs: 10,
      writeLatencyMs: 10,
      // 90 % of the proxy's share of max_connections: clients start to wait for a connection.
      proxyConnectionsPercentOfMax: 90,
    },
    cache: {
      // Page earlier than staging: three cache.r7g.large carry production's read load.
      engineCpuPercent: 80,
      memoryPercent: 85,
      // A cache.r7g.large holds ~13 GiB; 1,000 evictions in 5 minutes, sustained, means the
      // working set no longer fits.
      evictionsPer5Min: 1000,
      // Up to 30 tasks and 20 workers; 5,000 connections on one node is a leak (limit 65,000).
      connectionCount: 5000,
      // Failover promotes a replica: 5 s of lag is 5 s of writes lost in a failover.
      replicationLagSeconds: 5,
    },
    worker: {
      errorsPer5Min: 1,
      throttlesPer5Min: 1,
      p99DurationPercentOfTimeout: 80,
      // 20 minutes. A failing message is retried every 6 minutes (the visibility timeout, 6 x 60 s)
      // and the metric stops counting it after its third receive (~12 minutes; SQS moves it to the
      // back of the queue), so an older message is a backlog or a stopped worker, not a retry.
      oldestMessageAgeSeconds: 1200,
      deadLetterMessageCount: 1,
    },
    databaseInsights: {
      // A db.r7g.large keeps an OLTP working set in shared_buffers and the page cache at 99 %+.
      // The ratio is cumulative since the statistics were reset, so below 95 % for an hour the
      // working set has outgrown memory or a new query reads a large table whole.
      bufferCacheHitRatioPercent: 95,
      // Distinct statements averaging 250 ms+ (the slow-query log's threshold): a release's
      // migrations add a few one-offs until the statistics are reset; more than 10 is a query
      // that got slow.
      slowStatementCount: 10,
      // Requests and jobs finish in seconds (the worker's timeout is 60 s) and sessions idle in a
      // transaction end after 60 s: a transaction open 5 minutes is a runaway query or a batch
      // holding its locks and vacuum back.
      longestTransactionSeconds: 300,
      // Above database.connectionsPercentOfMax's 80 %: the connection budget is nearly spent,
      // seen by the worker whose report lists the idle-in-transaction sessions.
      connectionUsePercent: 90,
      // Up to 30 tasks with pools of 10 behind RDS Proxy: a few sessions between two statements
      // at any instant are normal; more than 10 at two runs in a row is code holding
      // transactions open across slow work, which pins proxy connections.
      idleInTransactionSessions: 10,
      // Each candidate comes with its CREATE INDEX CONCURRENTLY in the report.
      indexCandidateCount: 1,
      // A section not read (or no report) blinds every alarm above.
      unavailableSectionCount: 1,
    },
    scheduledWorker: {
      // The first failure is worth a look before the retry fails too.
      errorsPer5Min: 1,
      deadLetterMessageCount: 1,
    },
  },
  edge: {
    // Viewers reach prod only through CloudFront, its web ACL and its cache.
    enabled: true,
    // The managed rule groups and the rate limit: production is what attackers probe.
    webAcl: true,
    // The Edge's default, 6.7 requests a second sustained per IP; raise it for customers behind one
    // NAT address (docs/edge.md).
    rateLimitPer5Minutes: 2000,
    // Cache hit rate and origin latency explain a slow page: on, $2.40 a month.
    additionalMetrics: true,
    // Origin Shield in the region the stack is usually deployed in (bin/app.ts's default env):
    // every edge location's miss for one object becomes one origin fetch, which protects the
    // tasks when a popular static file expires. $0.0075 per 10,000 requests reaching it.
    originShieldRegion: 'us-east-1',
    // A year, what `Cache-Control: max-age=31536000, immutable` on fingerprinted assets asks for.
    staticMaxTtlSeconds: 31_536_000,
  },
  backup: {
    // A daily AWS Backup snapshot of the database beside its own automated backups (14 days of
    // point-in-time restore): these outlive a lost region, a deleted stack or a compromised account
    // user, which the automated backups (deleted with the instance's region) do not. $47.44 a month
    // at baseline (`npm run cost`): $7.98 of snapshots in each region, $30.42 of daily copies priced
    // as full 50 GB transfers (an upper bound), $1 for the vault's key.
    enabled: true,
    // 01:00 UTC, outside the 03:00-11:00 UTC block from which RDS picks an unset backup window in
    // us-east-1, so the snapshot never waits for the automated backup (the job may start up to
    // 8 hours late before AWS Backup cancels it).
    schedule: 'cron(0 1 ? * * *)',
    // 35 days: a month's close plus a weekend, above the 30-day production minimum
    // (lib/core/backup.ts). ~84 GB per region at the stated 50 GB of data, $7.98 a month each.
    retentionDays: 35,
    // The other US coast: a different geography from us-east-1 (bin/app.ts's usual region), and
    // $0.02/GB inter-region transfer. Deploying prod in us-west-2 needs -c backupCopyRegion=...
    copyRegion: 'us-west-2',
    // Governance: no one deletes a recovery point or shortens its retention, but the lock itself
    // can be lifted by an administrator holding backup:DeleteBackupVaultLockConfiguration, which a
    // template shipped to many accounts should leave possible. 'compliance' (with
    // vaultLockChangeableForDays >= 3) is stronger and IRREVERSIBLE after the grace period: neither
    // this account, its root user nor AWS can then delete the vaults or their recovery points
    // before they expire, or lower the retention. Choose it deliberately.
    vaultLock: 'governance',
    // The lock holds every recovery point at least the production minimum (30 days)...
    vaultLockMinRetentionDays: 30,
    // ...and refuses a retention above a year, so a typo cannot make storage pile up for decades.
    vaultLockMaxRetentionDays: 365,
  },
};
