import type { Profile } from './profile';

/**
 * dev: as cheap as a working stack can be. Loses data on purpose (no Multi-AZ, one-day backups),
 * never anything a production rule protects.
 *
 * Prices are us-east-1 on-demand list prices, 730 h a month, from
 * `../shared/data/aws-prices-us-east-1.json` (sources in PRICES.md).
 */
export const dev: Profile = {
  name: 'dev',
  production: false,
  network: {
    cidr: '10.0.0.0/16',
    // Two AZs: the ALB requires subnets in at least two.
    maxAzs: 2,
    // Egress for private subnets, cheapest that still lets Fargate pull a public image and reach
    // AWS APIs (ECR, CloudWatch Logs, Secrets Manager, SQS):
    //   NAT instance t4g.nano:  $0.0042/h = $3.07 + its public IPv4 $3.65           =   $6.72/month
    //   one NAT gateway:        $0.045/h = $32.85 + public IPv4 $3.65 (+$0.045/GB)  =  $36.50/month
    //   interface endpoints only (ecr.api, ecr.dkr, logs, secretsmanager, sqs, sts, monitoring):
    //                           7 x 2 AZs x $0.01/h = $102.20/month, and still no route to
    //                           public registries (ECR Public, Docker Hub) for the default image.
    // The instance wins by $30/month; its weakness (one AZ, no managed failover) is fine for dev.
    natStrategy: 'instance',
    natGateways: 1,
    natInstanceType: 't4g.nano',
    // Rejected flows only: enough to debug a blocked path, a fraction of ALL's log volume ($0.50/GB).
    flowLogTraffic: 'REJECT',
  },
  web: {
    // Smallest Fargate task. x86 on-demand $0.01234/h = $9.01/month; ARM64 on-demand $0.00988/h =
    // $7.21/month; x86 on Spot (~70 % off, an estimate) ~$2.70/month. Spot wins, and Spot runs
    // only X86_64 tasks, so dev is X86_64 on FARGATE_SPOT. An interruption costs a dev minutes.
    cpu: 256,
    memoryMiB: 512,
    cpuArchitecture: 'X86_64',
    onDemandBaseTasks: 0,
    onDemandWeight: 0,
    spotWeight: 1,
    // One task is enough to work against; a second absorbs a load test or a Spot replacement.
    minTasks: 1,
    maxTasks: 2,
    // Scale out at 75 % CPU: with one or two tasks, cost matters more than headroom in dev.
    cpuTargetPercent: 75,
    // Memory rarely tracks load; 80 % leaves room for a spike before the kernel kills the task.
    memoryTargetPercent: 80,
    // Requests per task per minute, at the same 75 %: assuming ~100 requests/s per vCPU for a
    // typical API (measure yours and set this), 0.25 vCPU serves ~25/s; 75 % is ~19/s = 1,125/min.
    requestsPerTarget: 1125,
    // 50 % of one task rounds up to one: a deployment never empties dev, and with two tasks it
    // replaces them one at a time instead of paying for four.
    minHealthyPercent: 50,
    deletionProtection: false,
    // Forecasts need days of history and a daily pattern; dev has neither.
    predictiveScaling: 'off',
    // 60-second metrics are free; dev's one Spot task has nothing to scale fast for.
    highResolutionMetrics: [],
    // One task: nothing to shift traffic to (anomaly mitigation needs at least 2).
    anomalyMitigation: false,
    // Container Insights bills its ~28 metrics as custom metrics ($8.40/month, `npm run cost`):
    // more than dev's Fargate Spot task itself. ECS's free service CPU/memory metrics and the ALB's
    // healthy-host count cover what dev needs.
    containerInsights: false,
    // No schedule by default. To stop dev outside working hours (Berlin, weekdays 08-20):
    //   [{ name: 'NightsOff', schedule: 'cron(0 20 ? * MON-FRI *)', timeZone: 'Europe/Berlin', minTasks: 0, maxTasks: 0 },
    //    { name: 'Mornings', schedule: 'cron(0 8 ? * MON-FRI *)', timeZone: 'Europe/Berlin', minTasks: 1, maxTasks: 2 }]
    // Tasks then run 60 of 168 hours a week; `npx tsx tools/web-scaling.ts` prints the saving.
    scaleSchedule: [],
    // Rolling replacement: one Spot task, nothing to compare a canary with, and no second target
    // group or hook to pay for. The circuit breaker and the deployment alarms still roll back.
    delivery: {
      deploymentStrategy: 'rolling',
      trafficShiftPercent: 10,
      trafficShiftBakeMinutes: 0,
      deploymentBakeMinutes: 0,
      smokeTest: false,
      smokeTestPaths: [],
    },
  },
  database: {
    // Smallest Graviton class: 2 vCPU (burstable), 1 GiB. $0.016/h = $11.68/month.
    instanceClass: 'db.t4g.micro',
    multiAz: false,
    // 20 GiB is the gp3 minimum; autoscaling to 50 GiB caps a runaway dev at $5.75/month of storage.
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 50,
    // One day of point-in-time recovery: enough to undo a bad migration the same day.
    backupRetentionDays: 1,
    deletionProtection: false,
    // A proxy bills at least 2 vCPU-hours per hour ($21.90/month), more than the database itself.
    proxy: false,
    // The AWS-managed key still encrypts at rest, for $1/month less per key.
    customerManagedKey: false,
    // No rotation: dev clients connect straight to the instance with the password they read at
    // start, and a weekly rotation would break their new connections. The secret is still generated.
    rotateCredentials: false,
    // A 0.25-vCPU task cannot keep node-postgres' default pool of 10 busy; 5 per task (DB_POOL_MAX)
    // keeps the worst case (2 tasks x 5 + 2 jobs workers x 2 + insights 1 + bootstrap 1 = 16) far
    // below the micro's 85 max_connections (RDS's formula on the ~780 MB DBInstanceClassMemory of
    // its 1 GiB). The same 16 sessions + 10 admin size work_mem (6.7 MB): shared_buffers 195 MB +
    // 6.7 MB x 3 sort/hash nodes x 26 sessions + maintenance_work_mem 64 MB fits the ~780 MB, where
    // the nominal 1 GiB this used to be tuned from would not (lib/core/postgres/memory-fit.ts).
    poolSizePerWebTask: 5,
    // Off: OS metrics are billed as CloudWatch Logs ingestion, and dev has CloudWatch's own.
    enhancedMonitoringIntervalSeconds: 0,
    // Standard mode is free: 7 days of Performance Insights history.
    databaseInsights: 'standard',
  },
  cache: {
    // Smallest Graviton node, Valkey: $0.0128/h = $9.34/month. One node, no replica.
    nodeType: 'cache.t4g.micro',
    nodes: 1,
    // One node has nothing to fail over to; losing it costs a cold cache, not data.
    multiAz: false,
    // A dev cache refills from the database; snapshots would only add storage ($0.085/GB-month).
    snapshotRetentionDays: 0,
    // The AWS-managed key still encrypts at rest, for $1/month less.
    customerManagedKey: false,
    // The slow log is enough to debug a dev cache; the engine log's failover story needs replicas.
    engineLog: false,
  },
  worker: {
    // The jobs worker is I/O-bound (cache and database round trips) and peaks under 100 MB; 256 MiB
    // (~0.15 vCPU) at ARM's $0.0000133334/GB-s costs $0.33 per million 100 ms jobs.
    memoryMiB: 256,
    // 30 s keeps the queue's visibility timeout at 6 x 30 s = 3 minutes: a job that failed while
    // developing runs again 3 minutes later. The batch below must fit it at its worst case.
    timeoutSeconds: 30,
    // The minimum SQS allows; keeps dev's micro database far from its connection limit
    // (2 invocations x 2 pooled connections = 4 of db.t4g.micro's 85 max_connections).
    maxConcurrency: 2,
    // The time budget (lib/core/worker-timing.ts) sets this: a record may wait 16 s at most (cache
    // connect 2 s + database connect 3 s + query 11 s) and an environment runs 2 records at a time,
    // so 2 records are one round, 16 s of the 30 s timeout. 10 would be 5 rounds, 80 s: a database
    // that hangs would get the batch killed mid-way and every record of it retried, the finished ones
    // too. A smaller batch rather than a longer timeout: parallelism is maxConcurrency x 2 records
    // either way, and the 3-minute retry stays. It costs invocations: 50,000 a month instead of
    // 10,000 at 100,000 jobs, $0.07 a month (`npm run cost`, worker $3.97 -> $4.04).
    batchSize: 2,
    // Off. Provisioned mode's smallest setting, 2 pollers (the SQS minimum), runs up to 2 x 10 = 20
    // invocations, ten times the 2 above that dev's micro database is budgeted for; and its 2
    // pollers cost 2 x 730 h x $0.00925 = $13.50 a month, 18 % of the $75 budget, for pick-up
    // latency nobody waits on in dev. The standard mode is free.
    provisionedPollers: 'off',
    // The AWS-owned key: free, and dev's records are a day of test jobs' results.
    idempotencyCustomerManagedKey: false,
    // AWS's default Lambda concurrency per account and Region (Service Quotas shows yours; a new
    // account may start lower). Synth checks that it leaves maxConcurrency to the jobs worker.
    accountConcurrency: 1000,
  },
  observability: {
    logRetentionDays: 7,
    // CloudWatch Logs' default encryption (AWS-owned keys): a dev stack holds no production data,
    // and a customer-managed key would be $1 a month that outlives every deleted dev stack (the
    // key is retained with the log groups it can read).
    encryptLogs: false,
    // Off: a dev stack's handful of requests is read in the logs, and the collector sidecar would
    // take a quarter of the 0.25 vCPU / 0.5 GiB task (or force a larger one, ~$9/month). The
    // values below are what `tracing.enabled: true` would use (checked either way).
    tracing: { enabled: false, samplingRate: 0.05, reservoirPerSecond: 1, collectorCpu: 64, collectorMemoryMiB: 128 },
  },
  cost: {
    // Target from the cost issue: a working dev stack at or under $75/month. `npm run cost` prices
    // the synthesized dev stack at $74.83 baseline: web $21.40 (ALB hours, 0.1 LCU, one Spot task;
    // the load balancer is internal, so no public IPv4), edge $10.52 (CloudFront and the web ACL),
    // database $15.51 (with the bootstrap's two role secrets), cache $9.82, idempotency table $0.13, network $7.61 (NAT instance and its IPv4), monitoring $5.66,
    // worker $4.04 (of it $3.60 for the 12 custom metrics the jobs worker publishes), data transfer
    // $0.14, insight workers $0.01. Two decisions keep it there:
    //   - the database insights worker logs its report instead of publishing 8 custom metrics
    //     (monitoring.databaseInsightsMetrics below): $2.40, and the one PostgreSQL alarm dev had, $0.10;
    //   - the ALB is priced at the 0.1 LCU a dev stack uses, not 1 (tools/cost/data/usage.json
    //     says why): $5.26.
    // One interface endpoint ($14.60) or Container Insights (~$8.40) would break it, and `npm run
    // cost -- --check` fails CI then.
    monthlyBudgetUsd: 75,
  },
  monitoring: {
    // Dev gets the alarms that catch a broken stack (nothing serving, a full disk, dead-lettered
    // jobs) and little else: alarms cost $0.10 a month per metric, and with the KMS key ($1) and
    // the dashboard ($3) the monitoring is $5.56 of dev's $75 (`npm run cost`). Every 'off'
    // below is on in staging and prod.
    //
    // The SLOs state the intent; their burn-rate alarms are off: they judge a window only above
    // 20 requests a minute, which a dev stack rarely sees, and cost $3.00 a month (4 %).
    availabilitySloPercent: 99,
    latencySloPercent: 95,
    latencySloThresholdMs: 1000,
    sloBurnRateAlarms: false,
    // The database insights worker logs its report only: slow statements, index candidates,
    // sessions and a missing pg_stat_statements (a warning with its fix) are all in its log group,
    // and the dashboard's PostgreSQL row reads them from there. Its 8 custom metrics would cost
    // $2.40 a month (3 % of the budget; `npm run cost`) to feed alarms that judge a database
    // serving a developer, not users: a slow one-off migration, a developer's open psql
    // transaction, tables too small to need an index. Its runs are still watched (scheduledWorker
    // below). Staging and prod publish them.
    databaseInsightsMetrics: false,
    web: {
      // The WebService's own rollback thresholds (lib/core/web.ts DEPLOYMENT_ALARM).
      errorRatePercent: 5,
      p99LatencyMs: 2000,
      // One task: when it fails its health check the running-tasks alarm below pages already.
      unhealthyHostCount: 'off',
      // A dev ALB sees no surge that would reach its connection limit.
      rejectedConnectionsPer5Min: 'off',
      // Load tests push dev's 0.25 vCPU to 100 % on purpose; CPU alone breaks nothing.
      cpuPercent: 'off',
      // 0.5 GB tasks: memory is what kills them (exit 137), and a leak shows here first.
      memoryPercent: 90,
      // Below 100 % of one task is no task at all: the stack serves nothing.
      runningTasksPercentOfMinimum: 100,
    },
    database: {
      // Burstable: the credit balance says more than CPU % (a micro runs at 10 % baseline and
      // bursts); 12 credits is one hour of what a db.t4g.micro earns.
      cpuPercent: 'off',
      cpuCredits: 12,
      // 1 GiB of memory; the free-storage and credit alarms catch what breaks a dev database.
      freeableMemoryPercent: 'off',
      // 10 % of the 20 GiB: storage autoscaling should have grown the disk by then; if not, it is
      // at its 50 GiB ceiling or in its 6-hour cooldown, and a full disk stops the database.
      freeStorageGiB: 2,
      // 85 max_connections for at most 16 client connections (the connection budget): nothing to watch.
      connectionsPercentOfMax: 'off',
      readLatencyMs: 'off',
      writeLatencyMs: 'off',
      // No proxy in dev.
      proxyConnectionsPercentOfMax: 'off',
    },
    cache: {
      engineCpuPercent: 'off',
      // One cache.t4g.micro (0.5 GiB): a full cache evicts and sends reads to the database.
      memoryPercent: 90,
      evictionsPer5Min: 'off',
      connectionCount: 'off',
      // One node, no replica: no lag to measure.
      replicationLagSeconds: 'off',
    },
    worker: {
      // A whole batch failing (a throw outside the record handler, a timeout) is a bug in any profile.
      errorsPer5Min: 1,
      // maxConcurrency 2 keeps dev far from the account's concurrency limit.
      throttlesPer5Min: 'off',
      p99DurationPercentOfTimeout: 'off',
      // Half an hour: a dev worker stopped by a broken deploy shows up the same working session.
      oldestMessageAgeSeconds: 1800,
      // Any dead-lettered job needs an operator (README, "Redrive").
      deadLetterMessageCount: 1,
    },
    databaseInsights: {
      // No metrics in dev (databaseInsightsMetrics above), so no alarm can read them.
      bufferCacheHitRatioPercent: 'off',
      slowStatementCount: 'off',
      longestTransactionSeconds: 'off',
      connectionUsePercent: 'off',
      idleInTransactionSessions: 'off',
      indexCandidateCount: 'off',
      unavailableSectionCount: 'off',
    },
    scheduledWorker: {
      // A failed run is retried once; one that fails twice reaches the dead-letter queue, which
      // alarms below: in dev that is soon enough.
      errorsPer5Min: 'off',
      // Any dead-lettered run: the worker is broken (README, "Insight workers").
      deadLetterMessageCount: 1,
    },
  },
  edge: {
    // Every profile serves viewers through CloudFront: HTTPS on the *.cloudfront.net name without a
    // domain, and an internal load balancer (the public ALB's two IPv4 addresses, $7.30, go away).
    enabled: true,
    // The managed rules and rate limit guard a dev stack that is on the internet as much as prod:
    // $5 for the ACL, $1 per rule (4), $0.60 per million requests. Within dev's $75 only with the
    // additional metrics off (below): $76.00 with both (the Edge's own estimate); $73.78 as built,
    // the edge 5xx alarm of a us-east-1 stack included (npm run cost).
    webAcl: true,
    // The Edge's default (6.7 requests a second sustained per IP): a developer's browser and test
    // scripts stay far below it.
    rateLimitPer5Minutes: 2000,
    // Off: the 8 custom metrics cost $2.40 a month and would push dev past its budget; dev's
    // dashboard shows requests and error rates, which CloudFront publishes for free.
    additionalMetrics: false,
    // Dev's traffic is too small for a second cache layer to save origin fetches worth its price.
    originShieldRegion: 'off',
    // A year, what `Cache-Control: max-age=31536000, immutable` on fingerprinted assets asks for.
    staticMaxTtlSeconds: 31_536_000,
  },
  backup: {
    // Off: dev's data is disposable, and the database's one-day automated backups cover a mistake
    // made today. A plan with a cross-region copy would cost more than dev's database storage.
    enabled: false,
    schedule: 'cron(0 1 ? * * *)',
    retentionDays: 1,
    copyRegion: 'off',
    vaultLock: 'off',
    vaultLockMinRetentionDays: 1,
    vaultLockMaxRetentionDays: 2,
  },
};
