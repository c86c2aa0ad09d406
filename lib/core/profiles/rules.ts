import { ENHANCED_MONITORING_INTERVALS, minStorageCeiling } from '../database';
import { Problems } from '../errors';
import type { EdgeProfile, NetworkProfile, Profile } from './profile';
import { STATIC_TTL_SECONDS, WAF_RATE_LIMIT } from '../edge';
import { checkWebDelivery } from '../web-delivery';
import { checkWebSizing } from '../web-sizing';
import { checkMonitoringSettings } from '../monitoring-rules';
import { jobsBatchTimeBudgetProblem } from '../worker-timing';
import { provisionedPollersProblems } from '../worker-pollers';
import { checkConcurrencyBudget, stackScheduledWorkerReservations } from '../lambda-concurrency';
import { checkTracingSettings } from '../tracing';
import {
  BACKUP_MAX_RETENTION_DAYS,
  BACKUP_SCHEDULE,
  PRODUCTION_MIN_BACKUP_PLAN_RETENTION_DAYS,
  VAULT_LOCK_MODES,
  copyRegionProblem,
  vaultLockProblems,
} from '../backup';
import type { BackupProfile } from './profile';

/** The shortest log retention a production profile may keep: a quarter of incident reviews. */
export const PRODUCTION_MIN_LOG_RETENTION_DAYS = 90;
/** The shortest backup retention a production database may keep (AWS Well-Architected REL09). */
export const PRODUCTION_MIN_BACKUP_RETENTION_DAYS = 7;

/**
 * The retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy, `retentionInDays`);
 * 9999 is this project's and CDK's spelling of "never expire" (no retention policy).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 9999,
];

const PROFILE_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Rejects a profile that contradicts itself or, when `production` is set, breaks a production
 * safety rule, with one ConfigurationError listing every problem (see `profileProblems`).
 */
export function validateProfile(profile: Profile): void {
  profileRules(profile).throwIfAny();
}

/**
 * Every problem of a profile: contradictions, values outside what AWS accepts, and, when
 * `production` is set, broken production safety rules. The web section is checked by the same
 * function WebService uses (Fargate CPU/memory pairs included); other construct-level rules
 * (instance classes) are checked by the construct that owns them. Empty when the profile is valid.
 */
export function profileProblems(profile: Profile): readonly string[] {
  return profileRules(profile).all;
}

function profileRules(profile: Profile): Problems {
  const p = new Problems(`profile '${profile.name}'`);
  p.check(
    PROFILE_NAME.test(profile.name),
    `name (${JSON.stringify(profile.name)}) must be 1-31 lower-case letters, digits or dashes, starting with a letter; it becomes part of the stack name`,
  );

  const { network, web, database, cache, worker, observability, cost } = profile;

  checkNetworkSettings(p, network, 'network.');

  checkWebSizing(p, web, 'web.');
  checkWebDelivery(p, web.delivery, 'web.delivery.');

  p.range('database.allocatedStorageGiB', database.allocatedStorageGiB, 20, 65536, {
    integer: true,
    unit: 'GiB',
    fix: 'gp3 on RDS starts at 20 GiB',
  });
  p.notAbove('database.allocatedStorageGiB', database.allocatedStorageGiB, 'database.maxAllocatedStorageGiB', database.maxAllocatedStorageGiB);
  p.check(
    !(
      database.maxAllocatedStorageGiB > database.allocatedStorageGiB &&
      database.maxAllocatedStorageGiB < minStorageCeiling(database.allocatedStorageGiB)
    ),
    `database.maxAllocatedStorageGiB (${database.maxAllocatedStorageGiB}) must be at least 10% above database.allocatedStorageGiB (${database.allocatedStorageGiB}), i.e. ${minStorageCeiling(database.allocatedStorageGiB)} or more, for RDS storage autoscaling; raise it or set it equal to allocatedStorageGiB to turn autoscaling off`,
  );
  p.range('database.maxAllocatedStorageGiB', database.maxAllocatedStorageGiB, 20, 65536, { integer: true, unit: 'GiB' });
  p.range('database.backupRetentionDays', database.backupRetentionDays, 0, 35, { integer: true });
  p.range('database.poolSizePerWebTask', database.poolSizePerWebTask, 1, 100, { integer: true });
  p.oneOf(
    'database.enhancedMonitoringIntervalSeconds',
    database.enhancedMonitoringIntervalSeconds,
    ENHANCED_MONITORING_INTERVALS as readonly number[],
  );
  p.oneOf('database.databaseInsights', database.databaseInsights, ['standard', 'advanced']);

  p.range('cache.nodes', cache.nodes, 1, 6, { integer: true, fix: 'a replication group has one primary and up to five replicas' });
  p.check(
    !(cache.multiAz && cache.nodes < 2),
    `cache.multiAz needs a replica to fail over to, but cache.nodes is ${cache.nodes}; set nodes to 2 or more, or multiAz false`,
  );
  p.range('cache.snapshotRetentionDays', cache.snapshotRetentionDays, 0, 35, { integer: true });

  p.range('worker.maxConcurrency', worker.maxConcurrency, 2, 1000, { integer: true, fix: 'SQS event sources allow 2 to 1000' });
  p.range('worker.timeoutSeconds', worker.timeoutSeconds, 1, 900, { integer: true, fix: 'Lambda allows 1 second to 15 minutes' });
  p.range('worker.memoryMiB', worker.memoryMiB, 128, 10240, { integer: true, unit: 'MiB' });
  p.range('worker.batchSize', worker.batchSize, 1, 10, { integer: true, fix: 'SQS event sources take up to 10 records without a batching window' });
  if (worker.provisionedPollers !== 'off') {
    for (const problem of provisionedPollersProblems(worker.provisionedPollers, worker.maxConcurrency, {
      pollers: 'worker.provisionedPollers',
      maxConcurrency: 'worker.maxConcurrency',
    }))
      p.add(problem);
  }
  // The worker section sizes the jobs worker shipped in this package: its batch must finish inside
  // its timeout when every record takes its longest (judged once both numbers are valid).
  if (wholeIn(worker.batchSize, 1, 10) && wholeIn(worker.timeoutSeconds, 1, 900)) {
    const late = jobsBatchTimeBudgetProblem(worker.batchSize, worker.timeoutSeconds, {
      batchSize: 'worker.batchSize',
      timeout: 'worker.timeoutSeconds',
    });
    if (late) p.add(late);
  }
  // The scheduled workers reserve their concurrency; the jobs worker must still reach its maximum
  // in what the account has left (ScalingStack repeats this with every function it synthesizes).
  p.range('worker.accountConcurrency', worker.accountConcurrency, 1, 1_000_000, {
    integer: true,
    fix: "the account's Lambda concurrent-executions quota in the Region (Service Quotas; AWS default 1,000)",
  });
  if (Number.isInteger(worker.accountConcurrency) && Number.isInteger(worker.maxConcurrency)) {
    for (const problem of checkConcurrencyBudget({
      accountConcurrency: worker.accountConcurrency,
      reservations: stackScheduledWorkerReservations(),
      jobsMaxConcurrency: worker.maxConcurrency,
    }).problems)
      p.add(problem);
  }

  p.oneOf(
    'observability.logRetentionDays',
    observability.logRetentionDays,
    LOG_RETENTION_DAYS,
    'CloudWatch Logs accepts only these retention periods (9999 keeps logs forever)',
  );
  // The advisor's copy of a profile may leave tracing out, as it does the thresholds.
  if (observability.tracing !== undefined) checkTracingSettings(p, observability.tracing, 'observability.tracing.', web);

  p.range('cost.monthlyBudgetUsd', cost.monthlyBudgetUsd, 1, 1_000_000);

  // The right-sizing advisor's copy of a profile leaves the alarm thresholds out (they never change
  // with a size, and Lambda's environment holds 4 KB); Monitoring checks them when it is built.
  if (profile.monitoring !== undefined) checkMonitoringSettings(p, profile.monitoring, 'monitoring.');
  // Like the thresholds, the edge never changes with a size: the advisor's copy may leave it out.
  if (profile.edge !== undefined) checkEdgeSettings(p, profile.edge);
  // Nor does the backup plan: the advisor's copy may leave it out too.
  if (profile.backup !== undefined) checkBackupSettings(p, profile.backup, profile.production);

  if (profile.production) {
    const rule = 'production profiles require it';
    p.check(database.multiAz, `database.multiAz is false; ${rule} so the database survives an AZ outage`);
    p.check(database.deletionProtection, `database.deletionProtection is false; ${rule} so a stack update or delete cannot drop the database`);
    p.check(
      database.backupRetentionDays >= PRODUCTION_MIN_BACKUP_RETENTION_DAYS,
      `database.backupRetentionDays (${database.backupRetentionDays}) must be at least ${PRODUCTION_MIN_BACKUP_RETENTION_DAYS} in production`,
    );
    p.check(database.rotateCredentials, `database.rotateCredentials is false; ${rule} so a leaked password stops working within a week`);
    p.check(
      database.customerManagedKey,
      `database.customerManagedKey is false; ${rule} so the data, its snapshots and its secret are encrypted under a key this account controls and audits`,
    );
    p.check(
      database.enhancedMonitoringIntervalSeconds > 0,
      `database.enhancedMonitoringIntervalSeconds is 0; ${rule} so an incident review has per-process OS metrics (use 60 or less)`,
    );
    p.check(cache.multiAz, `cache.multiAz is false; ${rule} so the cache fails over when its primary's AZ fails`);
    p.check(
      cache.snapshotRetentionDays >= 1,
      `cache.snapshotRetentionDays (${cache.snapshotRetentionDays}) must be at least 1 in production, so a lost cluster restores warm instead of sending every read to the database`,
    );
    p.check(cache.engineLog, `cache.engineLog is false; ${rule} so a failover or replica resync leaves a record`);
    p.check(web.minTasks >= 2, `web.minTasks (${web.minTasks}) must be at least 2 in production, one per AZ, so an AZ outage leaves a task serving`);
    p.check(
      web.minHealthyPercent === 100,
      `web.minHealthyPercent (${web.minHealthyPercent}) must be 100 in production, so a deployment never lowers serving capacity`,
    );
    p.check(
      web.deletionProtection,
      `web.deletionProtection is false; ${rule} so a stack update or delete cannot remove the load balancer clients point at`,
    );
    p.check(
      network.natStrategy === 'gateway' && network.natGateways === network.maxAzs,
      `network needs one NAT gateway per AZ in production (natStrategy 'gateway', natGateways ${network.maxAzs}), so one AZ's outage cannot cut the others' egress`,
    );
    const days = observability.logRetentionDays === NEVER_EXPIRE ? Infinity : observability.logRetentionDays;
    p.check(
      profile.edge === undefined || (profile.edge.enabled && profile.edge.webAcl),
      `edge.enabled and edge.webAcl must both be true in production, so viewers get HTTPS and the managed rules and rate limit stand in front of the service`,
    );
    p.check(
      days >= PRODUCTION_MIN_LOG_RETENTION_DAYS,
      `observability.logRetentionDays (${observability.logRetentionDays}) must be at least ${PRODUCTION_MIN_LOG_RETENTION_DAYS} days in production`,
    );
    p.check(
      observability.encryptLogs,
      `observability.encryptLogs is false; ${rule} so every log group is encrypted under the stack's own KMS key, whose use is audited and revocable`,
    );
  }
  return p;
}

/**
 * Every problem of a network section (the profile's, or the Network construct's props), each
 * naming the field as `<prefix><field>`.
 */
export function checkNetworkSettings(
  p: Problems,
  network: Pick<NetworkProfile, 'cidr' | 'maxAzs' | 'natStrategy' | 'natGateways'>,
  prefix: string,
): void {
  const cidr = CIDR.exec(network.cidr);
  if (p.isUnresolved(network.cidr)) {
    // known at deploy time only
  } else if (!cidr || cidr.slice(1, 5).some((octet) => Number(octet) > 255)) {
    p.add(`${prefix}cidr ('${network.cidr}') must be an IPv4 CIDR block such as '10.0.0.0/16'`);
  } else {
    p.range(`${prefix}cidr prefix length`, Number(cidr[5]), 16, 20, { fix: 'three subnet tiers per AZ need at least a /20' });
  }
  p.range(`${prefix}maxAzs`, network.maxAzs, 2, 3, { integer: true, fix: 'the ALB needs two AZs; the stack lays out subnets for at most three' });
  if (network.natStrategy === 'gateway') {
    p.range(`${prefix}natGateways`, network.natGateways, 1, network.maxAzs, { integer: true, fix: 'use 1 (shared) up to maxAzs (one per AZ)' });
  }
  p.oneOf(`${prefix}natStrategy`, network.natStrategy, ['instance', 'gateway']);
}

function wholeIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** The profile's `edge` section: WAF's bounds, a region code, a TTL CloudFront accepts. */
function checkEdgeSettings(p: Problems, edge: EdgeProfile): void {
  p.range('edge.rateLimitPer5Minutes', edge.rateLimitPer5Minutes, WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max, {
    integer: true,
    fix: 'AWS WAF rate-based rules allow 10 to 2,000,000,000',
  });
  p.check(
    edge.originShieldRegion === 'off' || REGION.test(edge.originShieldRegion),
    `edge.originShieldRegion (${JSON.stringify(edge.originShieldRegion)}) must be an AWS Region code such as 'us-east-1', the region closest to the load balancer, or 'off'`,
  );
  p.range('edge.staticMaxTtlSeconds', edge.staticMaxTtlSeconds, STATIC_TTL_SECONDS.default, STATIC_TTL_SECONDS.max, {
    integer: true,
    unit: 's',
    fix: 'at least the static default TTL (one day) and at most a year',
  });
  p.check(
    edge.enabled || !edge.webAcl,
    'edge.webAcl is true but edge.enabled is false; a web ACL needs the distribution, so turn both on or both off',
  );
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The profile's `backup` section: a schedule AWS Backup reads, a retention and lock it accepts, a
 * real region to copy to; in production a plan with a copy, kept at least the production minimum.
 * Whether the copy region is the stack's own is known only with the stack's region: `DataBackup`
 * checks it at synth, or with a CloudFormation rule at deploy for an environment-agnostic stack.
 */
function checkBackupSettings(p: Problems, backup: BackupProfile, production: boolean): void {
  if (production) {
    p.check(
      backup.enabled,
      'backup.enabled is false; production profiles require it so the database has recovery points outside its region, in a vault that refuses deletion',
    );
  }
  if (!backup.enabled) return;
  p.check(
    BACKUP_SCHEDULE.test(backup.schedule),
    `backup.schedule (${JSON.stringify(backup.schedule)}) must be an AWS Backup cron expression in UTC with six fields, such as 'cron(0 1 ? * * *)' (daily at 01:00)`,
  );
  p.range('backup.retentionDays', backup.retentionDays, 1, BACKUP_MAX_RETENTION_DAYS, { integer: true, unit: 'days' });
  if (backup.copyRegion !== 'off') {
    const problem = copyRegionProblem('backup.copyRegion', backup.copyRegion);
    if (problem) p.add(`${problem}, or 'off'`);
  }
  p.oneOf('backup.vaultLock', backup.vaultLock, VAULT_LOCK_MODES);
  const lock = {
    mode: backup.vaultLock,
    minRetentionDays: backup.vaultLockMinRetentionDays,
    maxRetentionDays: backup.vaultLockMaxRetentionDays,
    changeableForDays: backup.vaultLockChangeableForDays,
  };
  for (const problem of vaultLockProblems(lock, backup.retentionDays, 'backup.')) p.add(problem);
  if (production) {
    p.check(
      backup.retentionDays >= PRODUCTION_MIN_BACKUP_PLAN_RETENTION_DAYS,
      `backup.retentionDays (${backup.retentionDays}) must be at least ${PRODUCTION_MIN_BACKUP_PLAN_RETENTION_DAYS} days in production, so damage found at the month's close still has a recovery point from before it`,
    );
    p.check(
      backup.copyRegion !== 'off',
      "backup.copyRegion is 'off'; production profiles require a copy in a second region (e.g. 'us-west-2'), so a lost region does not take the backups with it",
    );
  }
}

/** LOG_RETENTION_DAYS' spelling of "keep forever". */
const NEVER_EXPIRE = 9999;
