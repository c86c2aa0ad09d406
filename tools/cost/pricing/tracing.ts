import type { CfnResource } from '../template';
import { num, str } from '../template';
import type { Scenario } from '../usage';
import { Bill, fmt, type PerScenario, type PricingContext, type Priced, unpriced, usd } from './context';

// X-Ray (issue 18): traces recorded, $5.00 per million (xray.traces.recorded.perMillion). Reading
// traces (retrieved or scanned, $0.50 per million, the first million a month free) is an
// operator's act and not modelled. As everywhere in the tool, no free tier is applied (the
// 100,000 traces a month are per account).

/**
 * Traces a month that a sampling rule records from `requests` a month spread evenly over the
 * month: the reservoir takes up to `reservoir` a second, the fixed rate a share of the rest.
 */
export function tracesRecorded(requests: number, reservoirPerSecond: number, fixedRate: number, hours: number): number {
  const reservoirCapacity = reservoirPerSecond * hours * 3600;
  const byReservoir = Math.min(requests, reservoirCapacity);
  return byReservoir + fixedRate * Math.max(0, requests - byReservoir);
}

/**
 * An X-Ray sampling rule: the traces it records from the requests reaching the service, which the
 * tool takes, like CloudFront's and WAF's request charges, from `edgeRequests`, less the share
 * the edge's cache answers (`edgeCacheHitPercent`). Requests are assumed evenly spread over the
 * month, so the reservoir is full whenever there are at least that many a second.
 */
export function samplingRule(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const rule = (r.Properties?.SamplingRule ?? {}) as Record<string, unknown>;
  const fixedRate = num(rule.FixedRate);
  const reservoir = num(rule.ReservoirSize);
  if (fixedRate === undefined || reservoir === undefined) return unpriced('FixedRate or ReservoirSize is not a literal in the template');
  const requests = (s: Scenario) => ctx.use('edgeRequests', s) * (1 - ctx.use('edgeCacheHitPercent', s) / 100);
  const bill = new Bill();
  bill.add(
    `X-Ray traces recorded (${str(rule.ServiceName) ?? 'service'})`,
    () =>
      `edgeRequests ${ctx.assumed('edgeRequests')} x (100 - edgeCacheHitPercent ${ctx.assumed('edgeCacheHitPercent')}) %, ` +
      `reservoir ${fmt(reservoir)}/s + ${fmt(fixedRate * 100)} % of the rest, x ${usd(ctx.price('xray.traces.recorded.perMillion'))}/M`,
    (s) => (tracesRecorded(requests(s), reservoir, fixedRate, ctx.hours) / 1e6) * ctx.price('xray.traces.recorded.perMillion'),
  );
  return bill;
}

/**
 * Lambda's own sampling with active tracing: one invocation a second and 5 % of the rest, not
 * configurable (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html: "you can't
 * configure the X-Ray sampling rate for your functions"). Added to a function's bill when its
 * TracingConfig is Active.
 */
export const LAMBDA_SAMPLING = { reservoirPerSecond: 1, fixedRate: 0.05 } as const;

export function addLambdaTraces(bill: Bill, r: CfnResource, invocations: PerScenario, ctx: PricingContext): void {
  const mode = str((r.Properties?.TracingConfig as Record<string, unknown> | undefined)?.Mode);
  if (mode !== 'Active') return;
  bill.add(
    'X-Ray traces recorded (active tracing)',
    () => `Lambda samples 1 invocation/s + 5 % of the rest of the invocations above, x ${usd(ctx.price('xray.traces.recorded.perMillion'))}/M`,
    (s) =>
      (tracesRecorded(invocations[s], LAMBDA_SAMPLING.reservoirPerSecond, LAMBDA_SAMPLING.fixedRate, ctx.hours) / 1e6) *
      ctx.price('xray.traces.recorded.perMillion'),
  );
}
