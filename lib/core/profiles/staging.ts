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
    // Staging scales like prod so load tests there show prod's timeline (docs/web-service.md);
    // 2 metrics x ~$0.30/month (`npm run cost`).
    highResolutionMetrics: ['CPUUtilization', 'MemoryUtilization'],
    // minTasks 1: with one task there is nothing to shift traffic to.
    anomalyMitigation: false,
    // Per-task metrics and running-task counts for diagnosis and alarms (~$8.40/month).
    containerInsights: true,
    scaleSchedule: [],
    // Linear, 50 % then 100 % with 3 minutes between (one 2-of-3-minute alarm evaluation), and the
    // smoke test: staging rehearses prod's machinery (second target group, test listener, hook,
    // alarm rollback) in ~10 minutes instead of prod's ~25.
    delivery: {
      deploymentStrategy: 'linear',
      trafficShiftPercent: 50,
      trafficShiftBakeMinutes: 3,
      deploymentBakeMinutes: 5,
      smokeTest: true,
      smokeTestPaths: [],
    },
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
    // node-postgres' default pool, as in prod, so pool behaviour is rehearsed: 4 tasks x 10 + 5 jobs
    // workers x 2 + insights 1 + bootstrap 1 = 52 against the medium's 413 max_connections.
    poolSizePerWebTask: 10,
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
    // Prod's batch and timeout, so a load test here measures batches against the timeout (and the
    // p99-duration alarm at 80 % of it) as prod runs them: 6 records, 3 rounds of at most 16 s
    // (prod.ts says why) = 48 s of a 60 s timeout. The visibility timeout is prod's too: 6 minutes.
    timeoutSeconds: 60,
    // 5 invocations x 2 pooled connections = 10 of db.t4g.medium's 413 max_connections.
    maxConcurrency: 5,
    batchSize: 6,
    // Off: the smallest provisioned setting (2 pollers, up to 20 invocations) exceeds the 5
    // invocations db.t4g.medium's connection budget allows above, and would cost $13.50 a month
    // (2 x 730 h x $0.00925). Prod's setting is rehearsed by `npm run deploy:local` and the tests.
    provisionedPollers: 'off',
    // The AWS-owned key, like the cache and database here (customerManagedKey: false).
    idempotencyCustomerManagedKey: false,
    // AWS's default Lambda concurrency per account and Region (Service Quotas shows yours; a new
    // account may start lower). Synth checks that it leaves maxConcurrency to the jobs worker.
    accountConcurrency: 1000,
  },
  observability: {
    logRetentionDays: 30,
    // Staging rehearses production's log encryption: a key policy the logs service refuses fails
    // here, before prod's log groups are created. $1 a month.
    encryptLogs: true,
    // On, as in prod, so a release's traces are compared with prod's before it ships. A tenth of
    // the requests beyond one a second: staging's load tests are where slow paths are hunted.
    // The collector takes 64 of the 512 CPU units and 128 of the 1,024 MiB (an eighth); the app
    // keeps 448 units and 896 MiB. `npm run cost`: $8.25 a month at baseline (X-Ray's $5.00 per million
    // traces: the 1.6 million origin requests, all within the reservoir, $8.00; the jobs worker $0.25).
    tracing: { enabled: true, samplingRate: 0.1, reservoirPerSecond: 1, collectorCpu: 64, collectorMemoryMiB: 128 },
  },
  cost: {
    // `npm run cost` prices the synthesized staging stack at $224.51 baseline ($351.15 at its
    // peak): NAT gateway, ALB, one on-demand task, db.t4g.medium, two cache.t4g.small, monitoring
    // $11.46, X-Ray traces $8.25, log key $1.06. $300 leaves room for Spot tasks during load tests;
    // the peak month is over it, which the budget's alarm is for.
    monthlyBudgetUsd: 300,
  },
  monitoring: {
    // Staging rehearses production: every alarm prod has, with thresholds a step looser where its
    // smaller sizes make a metric noisier. $11.36 a month with the dashboard and key
    // (`npm run cost`), under 4 % of its budget.
    //
    // 99.5 %: 3.6 hours of errors a month. Deploys and experiments land here first; the burn-rate
    // alarms still catch a release that would break prod's 99.9 %.
    availabilitySloPercent: 99.5,
    latencySloPercent: 99,
    // The WebService scales out above a 1 s p99; 99 % of requests within it is the same promise.
    latencySloThresholdMs: 1000,
    sloBurnRateAlarms: true,
    // The PostgreSQL alarms below rehearse prod's: 8 custom metrics, $2.40 a month (`npm run cost`).
    databaseInsightsMetrics: true,
    web: {
      // The WebService's own rollback thresholds (lib/core/web.ts DEPLOYMENT_ALARM).
      errorRatePercent: 5,
      p99LatencyMs: 2000,
      // One failing task for 5 minutes: replaced by ECS by then if only it was sick.
      unhealthyHostCount: 1,
      // Any refused connection means the ALB could not scale as fast as the traffic came.
      rejectedConnectionsPer5Min: 1,
      // Target tracking holds 65 %; 90 % for 15 minutes means scaling is not keeping up (or is at
      // maxTasks 4).
      cpuPercent: 90,
      // 80 % is the memory target; 90 % for 15 minutes is a leak or an undersized task.
      memoryPercent: 90,
      runningTasksPercentOfMinimum: 100,
    },
    database: {
      // A db.t4g.medium at 90 % drains its credits (its baseline is 20 %).
      cpuPercent: 90,
      // One hour of what a db.t4g.medium earns (24 credits an hour).
      cpuCredits: 24,
      // 10 % of 4 GiB: below it the page cache is gone and reads go to disk.
      freeableMemoryPercent: 10,
      // 10 % of the 20 GiB: autoscaling should have grown the disk by then.
      freeStorageGiB: 2,
      // 80 %: room for a deploy's second set of pools before new connections are refused.
      connectionsPercentOfMax: 80,
      // gp3 answers in 1-2 ms; an average of 20 ms for 15 minutes is a saturated volume.
      readLatencyMs: 20,
      writeLatencyMs: 20,
      // No proxy in staging.
      proxyConnectionsPercentOfMax: 'off',
    },
    cache: {
      // Valkey runs commands on one thread: at 90 % latency grows for every client.
      engineCpuPercent: 90,
      memoryPercent: 90,
      // A cache.t4g.small holds ~1.4 GiB; 100 evictions in 5 minutes, sustained for 15, means the
      // working set no longer fits: the hit rate falls and the database takes the reads.
      evictionsPer5Min: 100,
      // Tens of clients (4 tasks, 5 workers) hold a few connections each; 1,000 is a leak.
      connectionCount: 1000,
      // Replicas normally trail by well under a second; 10 s means reads from the reader
      // endpoint are stale and a failover would lose that much.
      replicationLagSeconds: 10,
    },
    worker: {
      errorsPer5Min: 1,
      // The event source caps concurrency at 5; a throttle means the account's limit is reached.
      throttlesPer5Min: 1,
      // 80 % of the 60 s timeout, 48 s: the batch's worst case (worker above), batches close to
      // being killed mid-way (and retried).
      p99DurationPercentOfTimeout: 80,
      // 15 minutes. A failing message is retried every 6 minutes (the visibility timeout, 6 x 60 s)
      // and the metric stops counting it after its third receive (~12 minutes; SQS moves it to the
      // back of the queue), so an older message is a backlog or a stopped worker, not a retry.
      oldestMessageAgeSeconds: 900,
      deadLetterMessageCount: 1,
    },
    databaseInsights: {
      // A db.t4g.medium (4 GiB) holding test data and taking load tests from a cold start: a step
      // looser than prod's 95 %.
      bufferCacheHitRatioPercent: 90,
      // Migrations and experiments land here first and count until the statistics are reset:
      // twice prod's allowance.
      slowStatementCount: 20,
      // Load tests and migrations run longer transactions than prod's requests: 10 minutes.
      longestTransactionSeconds: 600,
      // Above database.connectionsPercentOfMax's 80 %: the budget (4 tasks x 10, 5 workers) is
      // nearly spent, seen by the worker whose report lists the idle-in-transaction sessions.
      connectionUsePercent: 90,
      // 4 tasks and 5 workers: more than 5 sessions idle in a transaction at two runs in a row is
      // a code path that holds transactions open.
      idleInTransactionSessions: 5,
      // A candidate found here is fixed before prod runs the query.
      indexCandidateCount: 1,
      unavailableSectionCount: 1,
    },
    scheduledWorker: {
      errorsPer5Min: 1,
      deadLetterMessageCount: 1,
    },
  },
  edge: {
    // Staging rehearses prod's path: CloudFront, its web ACL and an internal load balancer.
    enabled: true,
    // On, as in prod, so a rule that blocks a legitimate request shows up here first.
    webAcl: true,
    // Prod's limit: a load test that trips it here would trip it in prod.
    rateLimitPer5Minutes: 2000,
    // Cache hit rate and origin latency on the dashboard ($2.40 a month), to compare with prod.
    additionalMetrics: true,
    // Staging's traffic is too small for Origin Shield to pay for its requests.
    originShieldRegion: 'off',
    // A year, what `Cache-Control: max-age=31536000, immutable` on fingerprinted assets asks for.
    staticMaxTtlSeconds: 31_536_000,
  },
  backup: {
    // Off: staging's data is rebuilt from fixtures; its 7 days of automated backups cover a bad
    // migration rehearsed there. Turn it on (with a copyRegion) to rehearse a cross-region restore.
    enabled: false,
    schedule: 'cron(0 1 ? * * *)',
    retentionDays: 7,
    copyRegion: 'off',
    vaultLock: 'off',
    vaultLockMinRetentionDays: 1,
    vaultLockMaxRetentionDays: 35,
  },
};
