import type { CfnResource } from '../template';
import { bool, num, refTarget, refersTo, str } from '../template';
import type { Scenario } from '../usage';
import { Bill, logStorageMonths, type PricingContext, type Priced, range, unpriced, usd } from './context';
import { exportedLogTypes, rdsExportLogGroup } from './data';
import { flowLogGb } from './network';
import { functionLogGb, functionLogGroup } from './worker';

/** Where a log group's ingestion comes from, and whether it is vended (billed at the source). */
interface LogSource {
  readonly what: string;
  readonly gb: (s: Scenario) => number;
  readonly vended: boolean;
}

function logSources(id: string, ctx: PricingContext): LogSource[] {
  const sources: LogSource[] = [];
  for (const [, flowLog] of ctx.ofType('AWS::EC2::FlowLog')) {
    if (refersTo(flowLog.Properties?.LogGroupName, id) || refersTo(flowLog.Properties?.LogDestination, id)) {
      sources.push({
        what: `flow logs (${str(flowLog.Properties?.TrafficType) ?? 'ALL'}), delivery priced on the flow log`,
        gb: (s) => flowLogGb(flowLog, ctx, s),
        vended: true,
      });
    }
  }
  for (const [taskDefinitionId, td] of ctx.ofType('AWS::ECS::TaskDefinition')) {
    if (!refersTo(td.Properties?.ContainerDefinitions, id)) continue;
    const tasks = ctx.taskDefinitionTasks(taskDefinitionId);
    sources.push({
      what: `${range(tasks)} task(s) x appLogGbPerTask ${ctx.assumed('appLogGbPerTask')} GB`,
      gb: (s) => tasks[s] * ctx.use('appLogGbPerTask', s),
      vended: false,
    });
  }
  for (const [functionId, fn] of ctx.ofType('AWS::Lambda::Function')) {
    if (functionLogGroup(functionId, fn, ctx) !== id) continue;
    sources.push({ what: `function ${functionId}`, gb: (s) => functionLogGb(functionId, ctx, s), vended: false });
  }
  for (const [instanceId, instance] of ctx.ofType('AWS::RDS::DBInstance')) {
    const types = exportedLogTypes(instance.Properties);
    for (const type of types.filter((t) => rdsExportLogGroup(instanceId, instance, t, ctx) === id)) {
      sources.push({
        what: `${instanceId}'s exported ${type} log (rdsLogExportGb ${ctx.assumed('rdsLogExportGb')} GB / ${types.length} log types)`,
        gb: (s) => ctx.use('rdsLogExportGb', s) / types.length,
        vended: false,
      });
    }
  }
  if (sources.length === 0) {
    sources.push({ what: `otherLogGroupGb ${ctx.assumed('otherLogGroupGb')} GB`, gb: (s) => ctx.use('otherLogGroupGb', s), vended: false });
  }
  return sources;
}

/**
 * CloudWatch Logs group: ingestion (by class) of what the template writes to it, and storage of
 * as many months of it as the retention keeps.
 */
export function logGroup(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const logClass = (str(p.LogGroupClass) ?? 'STANDARD').toUpperCase();
  if (logClass !== 'STANDARD' && logClass !== 'INFREQUENT_ACCESS') return unpriced(`log group class '${logClass}' is not in the price table`);
  const ingestionKey = logClass === 'STANDARD' ? 'cloudwatch.logs.ingestion.standard.gb' : 'cloudwatch.logs.ingestion.infrequentAccess.gb';
  const days = num(p.RetentionInDays);
  const sources = logSources(id, ctx);
  const ingested = sources.filter((source) => !source.vended);
  const total = (s: Scenario) => sources.reduce((sum, source) => sum + source.gb(s), 0);
  const bill = new Bill();
  if (ingested.length > 0) {
    bill.add(
      `log ingestion (${logClass.toLowerCase().replace('_', ' ')})`,
      () => `${ingested.map((s) => s.what).join(' + ')} x ${usd(ctx.price(ingestionKey))}/GB`,
      (s) => ingested.reduce((sum, source) => sum + source.gb(s), 0) * ctx.price(ingestionKey),
    );
  }
  bill.add(
    'log storage',
    () =>
      `${sources.map((s) => s.what).join(' + ')}, kept ${days === undefined ? `neverExpireLogMonths ${ctx.assumed('neverExpireLogMonths')} months` : `${days} days`} x ${usd(ctx.price('cloudwatch.logs.storage.gbMonth'))}/GB-month`,
    (s) => total(s) * logStorageMonths(days, ctx, s) * ctx.price('cloudwatch.logs.storage.gbMonth'),
  );
  return bill;
}

/** The metrics an alarm evaluates, whether it is high resolution, and its anomaly bands. */
export function alarmShape(p: Record<string, unknown>): { metrics: number; highResolution: boolean; anomalyBands: number; insightsQuery: boolean } {
  const periods: number[] = [];
  let metrics = 0;
  let anomalyBands = 0;
  let insightsQuery = false;
  if (Array.isArray(p.Metrics)) {
    for (const query of p.Metrics as Record<string, unknown>[]) {
      const stat = query.MetricStat as Record<string, unknown> | undefined;
      if (stat) {
        metrics += 1;
        const period = num(stat.Period);
        if (period !== undefined) periods.push(period);
      }
      const expression = str(query.Expression) ?? '';
      if (/ANOMALY_DETECTION_BAND/i.test(expression)) anomalyBands += 1;
      if (/^\s*SELECT\b/i.test(expression)) insightsQuery = true;
      const period = num(query.Period);
      if (period !== undefined) periods.push(period);
    }
  } else {
    metrics = 1;
    const period = num(p.Period);
    if (period !== undefined) periods.push(period);
  }
  return { metrics, highResolution: periods.some((period) => period < 60), anomalyBands, insightsQuery };
}

/**
 * CloudWatch alarm: per alarm metric, standard (period >= 60 s) or high resolution; an
 * anomaly-detection alarm bills as three metrics per band. No free tier (it is per account).
 */
export function alarm(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const shape = alarmShape(r.Properties ?? {});
  if (shape.insightsQuery) return unpriced('Metrics Insights query alarms bill per metric analyzed, which the template does not show');
  const resolution = shape.highResolution ? 'highResolution' : 'standard';
  const label = shape.highResolution ? 'high-resolution' : 'standard';
  const bill = new Bill();
  if (shape.anomalyBands > 0) {
    const key = `cloudwatch.alarm.anomalyDetection.${resolution}.month`;
    bill.add(
      `anomaly-detection alarm (${label})`,
      () => `${shape.anomalyBands} band(s) x ${usd(ctx.price(key))}/month (3 alarm metrics each)`,
      () => shape.anomalyBands * ctx.price(key),
    );
  } else {
    const key = `cloudwatch.alarm.${resolution}.month`;
    bill.add(
      `alarm (${label})`,
      () => `${shape.metrics} metric(s) x ${usd(ctx.price(key))}/month`,
      () => shape.metrics * ctx.price(key),
    );
  }
  return bill;
}

export function compositeAlarm(_id: string, _r: CfnResource, ctx: PricingContext): Priced {
  const bill = new Bill();
  bill.add(
    'composite alarm',
    () => `1 x ${usd(ctx.price('cloudwatch.alarm.composite.month'))}/month`,
    () => ctx.price('cloudwatch.alarm.composite.month'),
  );
  return bill;
}

/** Dashboards: $3 each; the free three are per account, so not applied. */
export function dashboard(_id: string, _r: CfnResource, ctx: PricingContext): Priced {
  const bill = new Bill();
  bill.add(
    'dashboard',
    () => `1 x ${usd(ctx.price('cloudwatch.dashboard.month'))}/month (the 3 free per account not applied)`,
    () => ctx.price('cloudwatch.dashboard.month'),
  );
  return bill;
}

/** SNS topic: publishes a month (alarm and budget notifications). */
export function snsTopic(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  if (bool(r.Properties?.FifoTopic)) return unpriced('FIFO topics are not in the price table');
  const bill = new Bill();
  bill.add(
    'SNS publishes',
    () => `snsPublishesPerTopic ${ctx.assumed('snsPublishesPerTopic')} x ${usd(ctx.price('sns.standard.publish.perMillion'))}/M`,
    (s) => (ctx.use('snsPublishesPerTopic', s) / 1e6) * ctx.price('sns.standard.publish.perMillion'),
  );
  return bill;
}

const DELIVERY: Readonly<Record<string, { key: string; per: number }>> = {
  email: { key: 'sns.delivery.email.per100k', per: 1e5 },
  'email-json': { key: 'sns.delivery.email.per100k', per: 1e5 },
  http: { key: 'sns.delivery.http.per100k', per: 1e5 },
  https: { key: 'sns.delivery.http.per100k', per: 1e5 },
  sqs: { key: 'sns.delivery.sqsOrLambda.perMillion', per: 1e6 },
  lambda: { key: 'sns.delivery.sqsOrLambda.perMillion', per: 1e6 },
};

/** SNS subscription: one delivery per message published to its topic. */
export function snsSubscription(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const protocol = str(r.Properties?.Protocol)?.toLowerCase() ?? '(token)';
  const delivery = DELIVERY[protocol];
  if (!delivery) return unpriced(`deliveries over '${protocol}' are not in the price table`);
  const topic = refTarget(r.Properties?.TopicArn);
  const bill = new Bill();
  bill.add(
    `SNS ${protocol} deliveries`,
    () =>
      `snsPublishesPerTopic ${ctx.assumed('snsPublishesPerTopic')} to ${topic ?? 'its topic'} x ${usd(ctx.price(delivery.key))}/${delivery.per === 1e5 ? '100k' : 'M'}`,
    (s) => (ctx.use('snsPublishesPerTopic', s) / delivery.per) * ctx.price(delivery.key),
  );
  return bill;
}
