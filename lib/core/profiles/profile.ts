import type { TracingSettings } from '../tracing';
import type { ProvisionedPollers } from '../worker-pollers';
import type { MonitoringProfile } from './monitoring-profile';

export type { ProvisionedPollers } from '../worker-pollers';
// The monitoring section's types live in ./monitoring-profile.ts; every name is exported from here too.
export type {
  AlarmThreshold,
  MonitoringProfile,
  WebAlarmThresholds,
  DatabaseAlarmThresholds,
  CacheAlarmThresholds,
  WorkerAlarmThresholds,
  DatabaseInsightsAlarmThresholds,
  ScheduledWorkerAlarmThresholds,
} from './monitoring-profile';

/** The names of the built-in profiles. */
export type ProfileName = 'dev' | 'staging' | 'prod';

/**
 * Everything that differs between environments, in one typed table.
 *
 * Constructs never branch on the profile name: each number and switch they need is a field here,
 * so a user can extend a profile (`{ ...prod, web: { ...prod.web, maxTasks: 60 } }`) and every
 * construct follows. `validateProfile()` rejects a profile that contradicts itself.
 */
export interface Profile {
  /** Short name; the stack is called `ScalingStack-<name>`. Lower-case letters, digits and dashes. */
  readonly name: string;
  /**
   * Whether production safety rules apply: Multi-AZ data stores, deletion protection, retained
   * data, long log retention. `validateProfile()` enforces them when this is true.
   */
  readonly production: boolean;
  readonly network: NetworkProfile;
  readonly web: WebProfile;
  readonly database: DatabaseProfile;
  readonly cache: CacheProfile;
  readonly worker: WorkerProfile;
  readonly observability: ObservabilityProfile;
  readonly cost: CostProfile;
  readonly monitoring: MonitoringProfile;
  /** CloudFront in front of the web service's load balancer (the `Edge` construct). */
  readonly edge: EdgeProfile;
  /**
   * Backups that survive a region: an AWS Backup plan for the database with a copy in a second
   * region and a vault that refuses deletion (the `DataBackup` construct, docs/backup-restore.md).
   */
  readonly backup: BackupProfile;
}

/** How the stack reaches the internet from private subnets. */
export type NatStrategy =
  /** One EC2 NAT instance (cheapest; one AZ; no managed failover). */
  | 'instance'
  /** NAT gateways: `natGateways` of them (1 = shared, maxAzs = one per AZ). */
  | 'gateway';

export interface NetworkProfile {
  /** IPv4 CIDR of the VPC the stack creates. */
  readonly cidr: string;
  /** Availability zones the VPC spans (2 or 3). Prod uses 3 so it survives the loss of one AZ with headroom. */
  readonly maxAzs: number;
  readonly natStrategy: NatStrategy;
  /** NAT gateways (natStrategy 'gateway'); ignored for 'instance', which always runs one instance. */
  readonly natGateways: number;
  /** Instance type of the NAT instance (natStrategy 'instance'). */
  readonly natInstanceType: string;
  /** Which flows VPC flow logs record: REJECT (cheap; shows blocked paths) or ALL (forensics). */
  readonly flowLogTraffic: 'ALL' | 'REJECT';
}

/** Fargate CPU architecture. Fargate Spot runs X86_64 only. */
export type CpuArchitectureName = 'X86_64' | 'ARM64';

export interface WebProfile {
  /** Task CPU in vCPU units (256 = 0.25 vCPU). Must pair with `memoryMiB` as Fargate allows. */
  readonly cpu: number;
  /** Task memory in MiB. */
  readonly memoryMiB: number;
  readonly cpuArchitecture: CpuArchitectureName;
  /** Tasks always on FARGATE (on-demand) before any weight is applied. */
  readonly onDemandBaseTasks: number;
  /** Relative weight of FARGATE (on-demand) above the base. */
  readonly onDemandWeight: number;
  /** Relative weight of FARGATE_SPOT above the base. Must be 0 for ARM64. */
  readonly spotWeight: number;
  /** Autoscaling floor: tasks running at all times. */
  readonly minTasks: number;
  /** Autoscaling ceiling. */
  readonly maxTasks: number;
  /** Target tracking: average CPU utilization (%) the service scales to hold. In (0, 100]. */
  readonly cpuTargetPercent: number;
  /** Target tracking: average memory utilization (%) the service scales to hold. In (0, 100]. */
  readonly memoryTargetPercent: number;
  /** Target tracking: ALB requests per task per minute the service scales to hold. */
  readonly requestsPerTarget: number;
  /**
   * Lower limit of running tasks during a deployment, as a percentage of the desired count
   * (rounded up: 50 % of one task is one task). 100 never lowers capacity during a deployment.
   */
  readonly minHealthyPercent: number;
  /** Deletion protection on the load balancer: a stack delete or replacement cannot remove it. */
  readonly deletionProtection: boolean;
  /**
   * Predictive scaling (on CPU, from the load of the past days): 'off', 'ForecastOnly' (forecasts
   * without acting, to judge them first) or 'ForecastAndScale'.
   */
  readonly predictiveScaling: PredictiveScalingMode;
  /**
   * Service metrics ECS publishes every 20 s instead of every 60 s (`AWS::ECS::Service`
   * `Monitoring`); target tracking on each then uses its `…HighResolution` predefined metric and
   * decides in about 80 s instead of about 240 s. Only 'CPUUtilization' and 'MemoryUtilization'
   * have a 20-second version (ALB metrics stay at 60 s). Billed as CloudWatch metrics. Empty = none.
   */
  readonly highResolutionMetrics: readonly HighResolutionMetricName[];
  /**
   * Automatic target weights on the target group (`weighted_random` routing with anomaly
   * mitigation): a task that answers with errors or slowly gets less traffic before its health
   * checks fail. Needs at least 2 tasks (`minTasks` >= 2) and turns slow start off (the ALB allows
   * no slow start with weighted random routing).
   */
  readonly anomalyMitigation: boolean;
  /** Scheduled changes of the task range, e.g. none at night in dev. Empty = no schedule. */
  readonly scaleSchedule: readonly WebScaleSchedule[];
  /**
   * CloudWatch Container Insights on the cluster: per-task CPU, memory, network and task counts.
   * Without it ECS still publishes service CPU and memory (AWS/ECS) for free.
   */
  readonly containerInsights: boolean;
  /** How a new revision reaches production traffic (strategy, traffic shares, bake times, smoke test). */
  readonly delivery: WebDeliveryProfile;
}

/**
 * How the web service rolls out a new revision. Every traffic shift is gated by the deployment
 * alarms (and the SLO fast-burn alarms where the profile has them): an alarm in ALARM rolls back.
 */
export interface WebDeliveryProfile {
  /**
   * 'rolling' replaces tasks in place; 'blueGreen' starts the new revision beside the old one and
   * moves all traffic at once; 'canary' moves `trafficShiftPercent` first and the rest after
   * `trafficShiftBakeMinutes`; 'linear' moves `trafficShiftPercent` per step, waiting
   * `trafficShiftBakeMinutes` between steps.
   */
  readonly deploymentStrategy: 'rolling' | 'blueGreen' | 'canary' | 'linear';
  /** Canary: the share of production traffic (%) the new revision takes first, in (0, 100). Linear: each step (%), 3-100, dividing 100. */
  readonly trafficShiftPercent: number;
  /** Minutes between traffic shifts (canary: before the rest moves; linear: between steps), 0-1440. */
  readonly trafficShiftBakeMinutes: number;
  /** Minutes the old revision keeps running after all traffic moved, for an instant rollback, 0-1440. */
  readonly deploymentBakeMinutes: number;
  /** Run the smoke-test hook through the test listener before production traffic moves (not with 'rolling'). */
  readonly smokeTest: boolean;
  /** Paths the smoke test requests; empty = the health check path. */
  readonly smokeTestPaths: readonly string[];
}

/** The ECS service metrics that can be published at 20-second resolution. */
export type HighResolutionMetricName = 'CPUUtilization' | 'MemoryUtilization';

/** How predictive scaling acts; 'off' creates no policy. */
export type PredictiveScalingMode = 'off' | 'ForecastOnly' | 'ForecastAndScale';

/** A scheduled change of the service's task range (an Application Auto Scaling scheduled action). */
export interface WebScaleSchedule {
  /** A name unique within the service, letters and digits, e.g. 'NightsOff'. */
  readonly name: string;
  /**
   * When, in Application Auto Scaling syntax: 'cron(0 20 ? * MON-FRI *)' (minutes hours
   * day-of-month month day-of-week year), 'rate(1 day)' or 'at(2026-12-24T18:00:00)'.
   */
  readonly schedule: string;
  /** IANA time zone of `schedule`, e.g. 'Europe/Berlin'. Absent = UTC. */
  readonly timeZone?: string;
  /** Autoscaling floor from then on. */
  readonly minTasks: number;
  /** Autoscaling ceiling from then on. */
  readonly maxTasks: number;
}

export interface DatabaseProfile {
  /** RDS instance class, e.g. 'db.t4g.micro' (Graviton). */
  readonly instanceClass: string;
  readonly multiAz: boolean;
  /** Initial gp3 storage in GiB (RDS minimum for gp3 is 20). */
  readonly allocatedStorageGiB: number;
  /** Ceiling for storage autoscaling in GiB. */
  readonly maxAllocatedStorageGiB: number;
  /** Days of automated backups (0-35). */
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /** RDS Proxy in front of the instance for connection pooling. */
  readonly proxy: boolean;
  /** Encrypt with a customer-managed KMS key (else the AWS-managed RDS key). */
  readonly customerManagedKey: boolean;
  /**
   * RDS manages the master password in Secrets Manager and rotates it every 7 days. Without it the
   * password is generated once into a Secrets Manager secret and never changes. Clients that hold
   * the password (an ECS secret read at task start) fail to open new connections after a rotation
   * until they read the secret again; clients using IAM tokens through the proxy never notice.
   */
  readonly rotateCredentials: boolean;
  /**
   * Connections each web task's pool may hold open (node-postgres `Pool({ max })`), passed to the
   * container as DB_POOL_MAX. With `web.maxTasks` it sets the web service's share of the connection
   * budget. The jobs worker's pool is DATABASE_POOL_SIZE (lib/core/worker-timing.ts), the size its
   * code opens, also passed as DB_POOL_MAX.
   */
  readonly poolSizePerWebTask: number;
  /** Seconds between enhanced-monitoring (OS) samples: 0 (off), 1, 5, 10, 15, 30 or 60. */
  readonly enhancedMonitoringIntervalSeconds: number;
  /**
   * CloudWatch Database Insights mode: 'standard' (free, 7 days of Performance Insights history)
   * or 'advanced' (15 months of history, execution plans; billed per vCPU-hour).
   */
  readonly databaseInsights: 'standard' | 'advanced';
}

export interface CacheProfile {
  /** ElastiCache node type, e.g. 'cache.t4g.micro'; one of `VALKEY_NODE_TYPES` (the Cache construct checks it). */
  readonly nodeType: string;
  /** Nodes in the replication group: 1 primary + (n - 1) replicas. */
  readonly nodes: number;
  /** Multi-AZ with automatic failover (needs at least one replica). */
  readonly multiAz: boolean;
  /** Days of automatic snapshots (0 = none). Production profiles keep at least one. */
  readonly snapshotRetentionDays: number;
  /** Encrypt at rest (and the AUTH token secret) with a customer-managed KMS key. */
  readonly customerManagedKey: boolean;
  /**
   * Deliver the engine log (failovers, replica syncs, client-buffer warnings) to CloudWatch Logs
   * besides the slow log. Production profiles require it: it is how a failover is explained.
   */
  readonly engineLog: boolean;
}

export interface WorkerProfile {
  /** Memory of the jobs worker function in MiB (128-10,240); its CPU share scales with it. */
  readonly memoryMiB: number;
  /** How long one batch may run; the queue's visibility timeout is 6 times this. */
  readonly timeoutSeconds: number;
  /**
   * Ceiling on concurrent Lambda invocations from the queue (2-1,000), so a burst cannot exhaust
   * the database: each invocation holds at most 2 database connections.
   */
  readonly maxConcurrency: number;
  /** Messages per invocation (1-10; there is no batching window). */
  readonly batchSize: number;
  /**
   * Provisioned mode of the event source: dedicated pollers, `minimumPollers` always running and
   * billed ($0.00925 per poller-hour in us-east-1), scaling to `maximumPollers` (SQS: 2-200 and
   * 2-2,000). Each poller runs up to 10 invocations and provisioned mode ignores `maxConcurrency`,
   * so `maximumPollers` × 10 must not exceed `maxConcurrency`. 'off': the standard mode, free.
   */
  readonly provisionedPollers: ProvisionedPollers | 'off';
  /**
   * Encrypt the jobs worker's idempotency table with a customer-managed KMS key ($1 a month plus
   * requests; key policy and CloudTrail of every use) instead of the AWS-owned key (free).
   */
  readonly idempotencyCustomerManagedKey: boolean;
  /**
   * The account's Lambda concurrent-executions quota in the stack's Region (AWS default 1,000;
   * Service Quotas shows yours). Synth checks that it leaves the jobs worker its `maxConcurrency`
   * after every reserved concurrency and the 100 AWS keeps unreserved (lib/core/lambda-concurrency.ts).
   */
  readonly accountConcurrency: number;
}

export interface ObservabilityProfile {
  /**
   * Retention in days of every log group the stack creates (application, flow logs, database,
   * cache): one of the values CloudWatch Logs accepts (LOG_RETENTION_DAYS; 9999 keeps logs forever).
   */
  readonly logRetentionDays: number;
  /**
   * Encrypt every log group of the stack with a customer-managed KMS key of the stack (rotated
   * yearly; $1 a month plus requests) instead of CloudWatch Logs' default encryption. Production
   * profiles require it.
   */
  readonly encryptLogs: boolean;
  /**
   * Traces (AWS X-Ray): the web tier's OpenTelemetry collector sidecar and its share of each task,
   * active tracing on every Lambda function, and the sampling rule (a fixed rate beyond a
   * guaranteed reservoir per second). docs/tracing.md.
   */
  readonly tracing: TracingSettings;
}

export interface CostProfile {
  /** Monthly budget in USD for the baseline (autoscaling at its minimum). */
  readonly monthlyBudgetUsd: number;
}

/**
 * The edge: a CloudFront distribution that serves viewers HTTPS and reaches the internal load
 * balancer through a VPC origin, optionally behind a WAF web ACL (lib/edge/, docs/edge.md).
 */
export interface EdgeProfile {
  /**
   * Create the distribution. Off, the load balancer is still internal: nothing serves viewers
   * until a distribution of your own (or a VPC origin) points at it.
   */
  readonly enabled: boolean;
  /** Put a WAF web ACL (managed rule groups and a rate limit per IP) in front of the distribution. */
  readonly webAcl: boolean;
  /** Requests one client IP may send in 5 minutes before the web ACL answers 429 (WAF: 10-2,000,000,000). */
  readonly rateLimitPer5Minutes: number;
  /** CloudFront's additional metrics (cache hit rate, origin latency): 8 custom metrics, $2.40 a month. */
  readonly additionalMetrics: boolean;
  /** The AWS Region of Origin Shield (one more cache layer before the origin), or 'off'. */
  readonly originShieldRegion: string | 'off';
  /** Longest time, in seconds, CloudFront keeps a file under the static path patterns. */
  readonly staticMaxTtlSeconds: number;
}

/**
 * An AWS Backup plan for the database (AWS Backup does not protect ElastiCache: the cache keeps its
 * own snapshots, `cache.snapshotRetentionDays`), copied to a second region, in vaults whose access
 * policy refuses `backup:DeleteRecoveryPoint` to everyone.
 */
export interface BackupProfile {
  /** Create the plan and its vaults. Production profiles require it. */
  readonly enabled: boolean;
  /** When the plan backs up, as an AWS Backup cron expression in UTC: 'cron(0 1 ? * * *)' (daily at 01:00). */
  readonly schedule: string;
  /** Days each recovery point (and its copy) is kept; production profiles keep at least 30. */
  readonly retentionDays: number;
  /**
   * The AWS Region each recovery point is copied to (not the stack's own), or 'off'. Production
   * profiles require a copy. `-c backupCopyRegion=<region>` replaces it for one deployment.
   */
  readonly copyRegion: string | 'off';
  /**
   * AWS Backup Vault Lock on both vaults: 'off', 'governance' (removable by a principal allowed
   * `backup:DeleteBackupVaultLockConfiguration`) or 'compliance' (IRREVERSIBLE once
   * `vaultLockChangeableForDays` have passed: no one, the root user and AWS included, can then
   * shorten a retention, delete a recovery point before it expires, or delete the vault).
   */
  readonly vaultLock: 'off' | 'governance' | 'compliance';
  /** With a lock: the shortest retention a backup or copy job into the vault may ask for (>= 1). */
  readonly vaultLockMinRetentionDays: number;
  /** With a lock: the longest retention a job may ask for (above the minimum, <= 36,500). */
  readonly vaultLockMaxRetentionDays: number;
  /**
   * Compliance lock only: days (>= 3) during which the lock can still be changed or removed; after
   * them it is permanent. Leave it out for 'governance' and 'off'.
   */
  readonly vaultLockChangeableForDays?: number;
}
