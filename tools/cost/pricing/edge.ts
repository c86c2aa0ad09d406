import { CLOUDFRONT_ADDITIONAL_METRICS } from '../../../lib/core/edge';
import type { CfnResource } from '../template';
import { bool, refersTo, str } from '../template';
import type { Scenario } from '../usage';
import { Bill, free, type PricingContext, type Priced, usd } from './context';

// CloudFront and WAF for the Edge (lib/edge). CloudFront's rates differ by the viewers' region;
// every figure here is North America's (the Edge's default price class serves North America and
// Europe, whose data-out rate is the same, $0.085/GB for the first 10 TB). All requests are priced
// as HTTPS: viewers are redirected to it, and the redirect of a plain-HTTP request costs less.

/** The `DistributionConfig` of a distribution, if it is a literal object. */
function configOf(r: CfnResource): Record<string, unknown> {
  const config = r.Properties?.DistributionConfig;
  return typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
}

/** Whether any origin of the distribution has Origin Shield on. */
function hasOriginShield(config: Record<string, unknown>): boolean {
  const origins = Array.isArray(config.Origins) ? (config.Origins as Record<string, unknown>[]) : [];
  return origins.some((o) => {
    const shield = o.OriginShield as Record<string, unknown> | undefined;
    return shield !== undefined && (shield.Enabled === undefined || bool(shield.Enabled));
  });
}

/**
 * CloudFront distribution: HTTPS requests and data out to viewers, data sent to the origin
 * (request bodies), and, with Origin Shield, every request that reaches it: the cache misses and
 * the uncacheable requests (edgeCacheHitPercent decides how many).
 */
export function distribution(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const config = configOf(r);
  if (config.Enabled !== undefined && !bool(config.Enabled)) return free('a disabled distribution serves nothing');
  const bill = new Bill();
  const requests = (s: Scenario) => ctx.use('edgeRequests', s);
  bill.add(
    'CloudFront HTTPS requests',
    () => `edgeRequests ${ctx.assumed('edgeRequests')} / 10k x ${usd(ctx.price('cloudfront.https.northAmerica.per10k'))}`,
    (s) => (requests(s) / 1e4) * ctx.price('cloudfront.https.northAmerica.per10k'),
  );
  bill.add(
    'CloudFront data out to viewers',
    () =>
      `edgeDataOutGb ${ctx.assumed('edgeDataOutGb')} GB x ${usd(ctx.price('cloudfront.dataTransferOut.northAmerica.first10TB.gb'))}/GB (first 10 TB)`,
    (s) => ctx.use('edgeDataOutGb', s) * ctx.price('cloudfront.dataTransferOut.northAmerica.first10TB.gb'),
  );
  bill.add(
    'CloudFront data to the origin',
    () => `edgeDataToOriginGb ${ctx.assumed('edgeDataToOriginGb')} GB x ${usd(ctx.price('cloudfront.dataTransferToOrigin.northAmerica.gb'))}/GB`,
    (s) => ctx.use('edgeDataToOriginGb', s) * ctx.price('cloudfront.dataTransferToOrigin.northAmerica.gb'),
  );
  if (hasOriginShield(config)) {
    const shielded = (s: Scenario) => requests(s) * (1 - ctx.use('edgeCacheHitPercent', s) / 100);
    bill.add(
      'Origin Shield requests',
      () =>
        `edgeRequests ${ctx.assumed('edgeRequests')} x (100 - edgeCacheHitPercent ${ctx.assumed('edgeCacheHitPercent')}) % / 10k x ${usd(ctx.price('cloudfront.originShield.northAmerica.per10k'))}`,
      (s) => (shielded(s) / 1e4) * ctx.price('cloudfront.originShield.northAmerica.per10k'),
    );
  }
  return bill;
}

/** CloudFront's additional metrics: CLOUDFRONT_ADDITIONAL_METRICS custom metrics per distribution. */
export function monitoringSubscription(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const config = (r.Properties?.MonitoringSubscription as Record<string, unknown> | undefined)?.RealtimeMetricsSubscriptionConfig as
    Record<string, unknown> | undefined;
  if (str(config?.RealtimeMetricsSubscriptionStatus) === 'Disabled') return free('additional metrics turned off');
  const bill = new Bill();
  bill.add(
    'CloudFront additional metrics',
    () => `${CLOUDFRONT_ADDITIONAL_METRICS} metrics x ${usd(ctx.price('cloudwatch.metrics.custom.first10k.metricMonth'))}/metric-month`,
    () => CLOUDFRONT_ADDITIONAL_METRICS * ctx.price('cloudwatch.metrics.custom.first10k.metricMonth'),
  );
  return bill;
}

/**
 * WAF web ACL: the ACL, one rule charge per rule (a managed rule group counts as one), and every
 * request it inspects: the requests of the distributions that name it, or one distribution's
 * worth when it protects a distribution of another template (an EdgeWebAcl in us-east-1).
 */
export function webAcl(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const rules = Array.isArray(r.Properties?.Rules) ? (r.Properties.Rules as unknown[]).length : 0;
  const users = ctx.ofType('AWS::CloudFront::Distribution').filter(([, d]) => refersTo(configOf(d).WebACLId, id)).length;
  const distributions = users > 0 ? users : 1;
  const bill = new Bill();
  bill.add(
    'WAF web ACL',
    () => `1 x ${usd(ctx.price('waf.webAcl.month'))}/month`,
    () => ctx.price('waf.webAcl.month'),
  );
  if (rules > 0) {
    bill.add(
      'WAF rules',
      () => `${rules} rule(s) x ${usd(ctx.price('waf.rule.month'))}/month`,
      () => rules * ctx.price('waf.rule.month'),
    );
  }
  const who = users > 0 ? `${users} distribution(s) here` : 'a distribution of another template (assumed 1)';
  bill.add(
    'WAF requests',
    () => `${who} x edgeRequests ${ctx.assumed('edgeRequests')} / 1M x ${usd(ctx.price('waf.requests.perMillion'))}`,
    (s) => ((distributions * ctx.use('edgeRequests', s)) / 1e6) * ctx.price('waf.requests.perMillion'),
  );
  return bill;
}

/** The Edge's pricers and its free resource types, by CloudFormation type. */
export const EDGE_PRICERS = {
  'AWS::CloudFront::Distribution': distribution,
  'AWS::CloudFront::MonitoringSubscription': monitoringSubscription,
  'AWS::WAFv2::WebACL': webAcl,
  'AWS::CloudFront::VpcOrigin': () => free("VPC origins carry no charge of their own; the distribution's requests and data are priced on it"),
  'AWS::CloudFront::CachePolicy': () => free('cache policies are free'),
  'AWS::CloudFront::OriginRequestPolicy': () => free('origin request policies are free'),
  'AWS::CloudFront::ResponseHeadersPolicy': () => free('response headers policies are free'),
} as const;
