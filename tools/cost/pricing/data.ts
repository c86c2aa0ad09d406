import type { CfnResource } from '../template';
import { bool, num, refTarget, refersTo, str } from '../template';
import type { Scenario } from '../usage';
import { Bill, fmt, logStorageMonths, type PricingContext, type Priced, range, unpriced, usd } from './context';

/** gp3 on RDS PostgreSQL includes 3,000 IOPS / 125 MiB/s below 400 GiB and 12,000 / 500 from 400 GiB. */
export function gp3Included(gib: number): { iops: number; mibps: number } {
  return gib >= 400 ? { iops: 12000, mibps: 500 } : { iops: 3000, mibps: 125 };
}

/** The engine of an instance, or of the instance a read replica copies. */
function engineOf(r: CfnResource, ctx: PricingContext): string | undefined {
  const own = str(r.Properties?.Engine);
  if (own) return own.toLowerCase();
  const source = ctx.get(refTarget(r.Properties?.SourceDBInstanceIdentifier));
  return source ? engineOf(source, ctx) : undefined;
}

/**
 * RDS for PostgreSQL instance: instance hours (the Multi-AZ price, never a doubling), storage by
 * type and Multi-AZ (autoscaled to its maximum at peak), gp3 extras, Performance/Database
 * Insights, Enhanced Monitoring and exported logs.
 */
export function dbInstance(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  if (p.DBClusterIdentifier !== undefined)
    return unpriced("Aurora cluster instances are not modeled; price the cluster's classes in the table first");
  const engine = engineOf(r, ctx);
  if (engine !== 'postgres') return unpriced(`engine '${engine ?? '(unknown)'}' is not in the price table (RDS for PostgreSQL only)`);
  const instanceClass = str(p.DBInstanceClass);
  if (!instanceClass) return unpriced('DBInstanceClass is not a literal in the template');
  const multiAz = bool(p.MultiAZ);
  const az = multiAz ? 'multiAz' : 'singleAz';
  const azText = multiAz ? 'Multi-AZ' : 'Single-AZ';
  const bill = new Bill();

  const hourKey = `rds.postgres.${instanceClass}.${az}.hour`;
  bill.add(
    `RDS PostgreSQL ${instanceClass} ${azText}`,
    () => `${ctx.hours} h x ${usd(ctx.price(hourKey, `${instanceClass} ${azText}`))}/h`,
    () => ctx.hours * ctx.price(hourKey, `${instanceClass} ${azText}`),
  );

  // Storage: the template's size at baseline, storage autoscaling's ceiling at peak.
  const allocated = num(p.AllocatedStorage);
  const ceiling = num(p.MaxAllocatedStorage) ?? allocated;
  const iops = num(p.Iops);
  const storageType = (str(p.StorageType) ?? (iops !== undefined ? 'io1' : 'gp3')).toLowerCase();
  if (allocated === undefined) {
    bill.cannot('AllocatedStorage is not a literal in the template');
  } else if (storageType !== 'gp2' && storageType !== 'gp3') {
    bill.cannot(`storage type '${storageType}' is not in the price table (gp2 and gp3 only)`);
  } else {
    const gib = (s: Scenario) => (s === 'peak' ? (ceiling ?? allocated) : allocated);
    const storageKey = `rds.postgres.storage.${storageType}.${az}.gbMonth`;
    const sizes = { baseline: gib('baseline'), peak: gib('peak') };
    bill.add(
      `RDS ${storageType} storage`,
      () =>
        `${range(sizes)} GiB${sizes.peak !== sizes.baseline ? " (peak: storage autoscaling's maximum)" : ''} x ${usd(ctx.price(storageKey))}/GB-month`,
      (s) => gib(s) * ctx.price(storageKey),
    );
    if (storageType === 'gp3') {
      const throughput = num(p.StorageThroughput);
      const extraIops = (s: Scenario) => Math.max(0, (iops ?? 0) - gp3Included(gib(s)).iops);
      const extraMibps = (s: Scenario) => Math.max(0, (throughput ?? 0) - gp3Included(gib(s)).mibps);
      if (extraIops('baseline') > 0 || extraIops('peak') > 0) {
        bill.add(
          'gp3 IOPS above the included',
          () => `${fmt(iops ?? 0)} IOPS - included x ${usd(ctx.price(`rds.postgres.storage.gp3.extraIops.${az}.iopsMonth`))}/IOPS-month`,
          (s) => extraIops(s) * ctx.price(`rds.postgres.storage.gp3.extraIops.${az}.iopsMonth`),
        );
      }
      if (extraMibps('baseline') > 0 || extraMibps('peak') > 0) {
        bill.add(
          'gp3 throughput above the included',
          () =>
            `${fmt(throughput ?? 0)} MiB/s - included x ${usd(ctx.price(`rds.postgres.storage.gp3.extraThroughput.${az}.mibpsMonth`))}/MiB/s-month`,
          (s) => extraMibps(s) * ctx.price(`rds.postgres.storage.gp3.extraThroughput.${az}.mibpsMonth`),
        );
      }
    }
  }

  const backup = ctx.usage.rdsBackupGbBeyondFree;
  if (backup.baseline > 0 || backup.peak > 0) {
    bill.add(
      'RDS backup storage beyond the free allowance',
      () => `rdsBackupGbBeyondFree ${ctx.assumed('rdsBackupGbBeyondFree')} GB x ${usd(ctx.price('rds.backupStorage.gbMonth'))}`,
      (s) => ctx.use('rdsBackupGbBeyondFree', s) * ctx.price('rds.backupStorage.gbMonth'),
    );
  }

  insights(bill, p, instanceClass, ctx);
  enhancedMonitoring(bill, p, ctx);
  logExports(bill, id, r, ctx);
  return bill;
}

/** Database Insights Advanced bills per vCPU-hour; Standard mode with paid Performance Insights retention per vCPU-month. */
function insights(bill: Bill, p: Record<string, unknown>, instanceClass: string, ctx: PricingContext): void {
  const vcpus = () => ctx.prices.rdsVcpus(instanceClass);
  if (str(p.DatabaseInsightsMode)?.toLowerCase() === 'advanced') {
    bill.add(
      'Database Insights (advanced)',
      () => `${vcpus()} vCPU x ${ctx.hours} h x ${usd(ctx.price('cloudwatch.databaseInsights.advanced.vcpuHour'))}/vCPU-h (primary only)`,
      () => vcpus() * ctx.hours * ctx.price('cloudwatch.databaseInsights.advanced.vcpuHour'),
    );
    return;
  }
  if (!bool(p.EnablePerformanceInsights)) return;
  const days = num(p.PerformanceInsightsRetentionPeriod) ?? 7;
  if (days <= 7) return; // 7 days of history are free
  const months = Math.min(24, Math.max(1, Math.round(days / 31)));
  const perVcpu = () =>
    ctx.price('rds.performanceInsights.retentionFirstMonth.vcpuMonth') +
    (months - 1) * ctx.price('rds.performanceInsights.retentionAdditionalMonth.vcpuMonth');
  bill.add(
    `Performance Insights retention (${months} month(s))`,
    () => `${vcpus()} vCPU x ${usd(perVcpu())}/vCPU-month`,
    () => vcpus() * perVcpu(),
  );
}

/** Enhanced Monitoring writes one RDSOSMetrics event per interval to CloudWatch Logs (kept 30 days). */
function enhancedMonitoring(bill: Bill, p: Record<string, unknown>, ctx: PricingContext): void {
  const interval = num(p.MonitoringInterval) ?? 0;
  if (interval <= 0) return;
  const samples = (ctx.hours * 3600) / interval;
  const gb = (s: Scenario) => (samples * ctx.use('rdsEnhancedMonitoringKbPerSample', s)) / (1024 * 1024);
  const rate = () => ctx.price('cloudwatch.logs.ingestion.standard.gb') + ctx.price('cloudwatch.logs.storage.gbMonth');
  bill.add(
    `Enhanced Monitoring (every ${interval} s)`,
    () =>
      `${fmt(samples)} samples x rdsEnhancedMonitoringKbPerSample ${ctx.assumed('rdsEnhancedMonitoringKbPerSample')} KB, ingested and kept a month at ${usd(rate())}/GB`,
    (s) => gb(s) * rate(),
  );
}

/** The log types a DB instance exports to CloudWatch Logs (`postgresql`, `upgrade`…). */
export function exportedLogTypes(p: Record<string, unknown> | undefined): string[] {
  return Array.isArray(p?.EnableCloudwatchLogsExports) ? p.EnableCloudwatchLogsExports.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * The log group of the template that receives a DB instance's exported `logType` log: the one named
 * `/aws/rds/instance/<identifier>/<logType>`, by the instance's literal identifier or a Ref to it.
 */
export function rdsExportLogGroup(instanceId: string, instance: CfnResource, logType: string, ctx: PricingContext): string | undefined {
  const identifier = str(instance.Properties?.DBInstanceIdentifier)?.toLowerCase();
  const names = [`/aws/rds/instance/{${instanceId}}/${logType}`, ...(identifier ? [`/aws/rds/instance/${identifier}/${logType}`] : [])];
  return ctx.ofType('AWS::Logs::LogGroup').find(([, group]) => names.includes(renderName(group.Properties?.LogGroupName)))?.[0];
}

/** A log group name as text, `{Id}` for a Ref to a resource; lower case, as RDS names its groups. */
function renderName(value: unknown): string {
  if (typeof value === 'string') return value.toLowerCase();
  const ref = refTarget(value);
  if (ref && (value as Record<string, unknown>).Ref !== undefined) return `{${ref}}`;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
  return Array.isArray(join) && Array.isArray(join[1])
    ? join[1].map((part) => (typeof part === 'string' ? part.toLowerCase() : renderName(part))).join(join[0])
    : '';
}

/**
 * Exported PostgreSQL logs: `rdsLogExportGb`, shared evenly by the exported log types. A type whose
 * log group is in the template is priced on that group (its ingestion and retention); the rest
 * here: ingestion and storage for the retention CDK's LogRetention sets (else never expiring).
 */
function logExports(bill: Bill, id: string, r: CfnResource, ctx: PricingContext): void {
  const types = exportedLogTypes(r.Properties);
  const elsewhere = types.filter((type) => !rdsExportLogGroup(id, r, type, ctx));
  if (elsewhere.length === 0) return;
  const share = elsewhere.length / types.length;
  const retention = ctx.ofType('Custom::LogRetention').find(([, lr]) => refersTo(lr.Properties?.LogGroupName, id));
  const days = num(retention?.[1].Properties?.RetentionInDays);
  const months = (s: Scenario) => logStorageMonths(days, ctx, s);
  const part = share === 1 ? '' : ` x ${elsewhere.length} of ${types.length} log types (the others are priced on their log groups)`;
  bill.add(
    'exported database logs',
    () =>
      `rdsLogExportGb ${ctx.assumed('rdsLogExportGb')} GB${part} x ${usd(ctx.price('cloudwatch.logs.ingestion.standard.gb'))}/GB + storage for ${days === undefined ? 'neverExpireLogMonths' : `${days} days`}`,
    (s) =>
      share *
      ctx.use('rdsLogExportGb', s) *
      (ctx.price('cloudwatch.logs.ingestion.standard.gb') + months(s) * ctx.price('cloudwatch.logs.storage.gbMonth')),
  );
}

/** RDS Proxy bills per vCPU-hour of its target instances, at least 2 vCPUs. */
export function dbProxy(id: string, _r: CfnResource, ctx: PricingContext): Priced {
  const groups = ctx.referencing('AWS::RDS::DBProxyTargetGroup', id, 'DBProxyName');
  const bill = new Bill();
  if (groups.some(([, g]) => Array.isArray(g.Properties?.DBClusterIdentifiers) && g.Properties.DBClusterIdentifiers.length > 0)) {
    return unpriced('proxies for Aurora clusters are not modeled');
  }
  const classes = groups
    .flatMap(([, g]) => (Array.isArray(g.Properties?.DBInstanceIdentifiers) ? g.Properties.DBInstanceIdentifiers : []))
    .map((ref) => str(ctx.get(refTarget(ref))?.Properties?.DBInstanceClass));
  if (classes.some((c) => c === undefined)) return unpriced('a proxy target is not a DB instance of the template with a literal class');
  const vcpus = () =>
    Math.max(
      2,
      classes.reduce((sum, c) => sum + ctx.prices.rdsVcpus(c as string), 0),
    );
  bill.add(
    'RDS Proxy',
    () =>
      `${vcpus()} vCPU (targets ${classes.join(', ') || 'none in the template'}; minimum 2) x ${ctx.hours} h x ${usd(ctx.price('rds.proxy.vcpuHour'))}/vCPU-h`,
    () => vcpus() * ctx.hours * ctx.price('rds.proxy.vcpuHour'),
  );
  return bill;
}

/** The price-table engine of an ElastiCache engine name; Memcached nodes cost what Redis OSS nodes cost. */
function cacheEngine(value: unknown, fallback: string): string {
  const engine = (str(value) ?? fallback).toLowerCase();
  return engine === 'memcached' ? 'redis' : engine;
}

/** Nodes of a replication group: shards x (replicas + 1), or NumCacheClusters (1 by default). */
export function replicationGroupNodes(p: Record<string, unknown>): number | undefined {
  if (Array.isArray(p.NodeGroupConfiguration) && p.NodeGroupConfiguration.length > 0) {
    const replicas = num(p.ReplicasPerNodeGroup) ?? 0;
    return (p.NodeGroupConfiguration as Record<string, unknown>[]).reduce((sum, group) => sum + (num(group.ReplicaCount) ?? replicas) + 1, 0);
  }
  if (p.NumNodeGroups !== undefined) {
    const shards = num(p.NumNodeGroups);
    return shards === undefined ? undefined : shards * ((num(p.ReplicasPerNodeGroup) ?? 0) + 1);
  }
  return p.NumCacheClusters === undefined ? 1 : num(p.NumCacheClusters);
}

function cacheNodes(bill: Bill, engine: string, nodeType: string, nodes: number, ctx: PricingContext): void {
  const key = `elasticache.${engine}.${nodeType}.hour`;
  const name = engine === 'valkey' ? 'Valkey' : 'Redis OSS';
  bill.add(
    `ElastiCache ${name} ${nodeType}`,
    () => `${nodes} node(s) x ${ctx.hours} h x ${usd(ctx.price(key, `${name} ${nodeType}`))}/h`,
    () => nodes * ctx.hours * ctx.price(key, `${name} ${nodeType}`),
  );
}

function cacheSnapshots(bill: Bill, p: Record<string, unknown>, ctx: PricingContext): void {
  if ((num(p.SnapshotRetentionLimit) ?? 0) <= 0) return;
  bill.add(
    'ElastiCache snapshots',
    () => `cacheSnapshotGb ${ctx.assumed('cacheSnapshotGb')} GB x ${usd(ctx.price('elasticache.backupStorage.gbMonth'))}/GB-month`,
    (s) => ctx.use('cacheSnapshotGb', s) * ctx.price('elasticache.backupStorage.gbMonth'),
  );
}

/** ElastiCache replication group (Valkey or Redis OSS): node type x nodes, plus snapshots. */
export function replicationGroup(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const nodeType = str(p.CacheNodeType);
  const nodes = replicationGroupNodes(p);
  if (!nodeType || nodes === undefined) return unpriced('CacheNodeType or the node count is not a literal in the template');
  const bill = new Bill();
  cacheNodes(bill, cacheEngine(p.Engine, 'redis'), nodeType, nodes, ctx);
  cacheSnapshots(bill, p, ctx);
  return bill;
}

/** ElastiCache cache cluster (a single-node Redis OSS/Valkey or a Memcached cluster). */
export function cacheCluster(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const nodeType = str(p.CacheNodeType);
  const nodes = num(p.NumCacheNodes ?? 1);
  if (!nodeType || nodes === undefined) return unpriced('CacheNodeType or NumCacheNodes is not a literal in the template');
  const bill = new Bill();
  cacheNodes(bill, cacheEngine(p.Engine, 'redis'), nodeType, nodes, ctx);
  cacheSnapshots(bill, p, ctx);
  return bill;
}

/** ElastiCache Serverless: stored GB (never below the engine's minimum) and ECPUs. */
export function serverlessCache(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const engine = cacheEngine(r.Properties?.Engine, 'valkey');
  const bill = new Bill();
  const gbHour = () => ctx.price(`elasticache.serverless.${engine}.gbHour`, `serverless ${engine} storage`);
  const floor = () => ctx.price(`elasticache.serverless.${engine}.minimumStorage.month`, `serverless ${engine} minimum storage`);
  bill.add(
    `ElastiCache Serverless ${engine} storage`,
    () => `cacheServerlessGb ${ctx.assumed('cacheServerlessGb')} GB x ${ctx.hours} h x ${usd(gbHour())}/GB-h, at least ${usd(floor())}/month`,
    (s) => Math.max(ctx.use('cacheServerlessGb', s) * ctx.hours * gbHour(), floor()),
  );
  bill.add(
    `ElastiCache Serverless ${engine} ECPUs`,
    () =>
      `cacheServerlessEcpuMillions ${ctx.assumed('cacheServerlessEcpuMillions')} M x ${usd(ctx.price(`elasticache.serverless.${engine}.perMillionEcpu`))}/M`,
    (s) => ctx.use('cacheServerlessEcpuMillions', s) * ctx.price(`elasticache.serverless.${engine}.perMillionEcpu`),
  );
  return bill;
}
