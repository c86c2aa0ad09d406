import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { BURN_RATE_WINDOWS } from '../core/monitoring';
import type { MonitoringProfile } from '../core/profiles';
import { DEPLOYMENT_ALARM } from '../core/web';
import type { AlarmFactory } from './alarm-factory';
import { round } from './catalog-alarms';
import type { MonitorableWebService } from './monitorable';

/**
 * Multi-window burn-rate alarms on the availability and the latency SLO: per SLO, a composite
 * that is in ALARM when both windows of a pair (fast: 1 h and 5 min; slow: 6 h and 30 min) see the
 * bad share above burn rate × error budget. The window alarms notify through their composite.
 */
export function addBurnRateAlarms(factory: AlarmFactory, s: MonitoringProfile, web: MonitorableWebService, scope: Construct): void {
  const slos = [
    {
      id: 'AvailabilitySlo',
      target: s.availabilitySloPercent,
      what: `availability SLO: ${s.availabilitySloPercent} % of requests without a 5xx over 30 days`,
      bad: '5xx rate',
      metric: (period: Duration) => web.metric5xxRate({ period }),
      checkFirst: 'the 5xx-rate alarm and the errors graph (ALB against task 5xx), and a deployment in the window.',
    },
    {
      id: 'LatencySlo',
      target: s.latencySloPercent,
      what: `latency SLO: ${s.latencySloPercent} % of requests answered within ${s.latencySloThresholdMs} ms over 30 days`,
      bad: `share of requests slower than ${s.latencySloThresholdMs} ms`,
      metric: (period: Duration) => slowRequestShare(web, s.latencySloThresholdMs, period),
      checkFirst: 'the latency graph (p50/p90/p99), then the database and cache rows.',
    },
  ];
  for (const slo of slos) {
    const budget = 100 - slo.target;
    const pairs = BURN_RATE_WINDOWS.map((w) => {
      const longWindow = Duration.seconds(w.longWindowSeconds);
      const shortWindow = Duration.seconds(w.shortWindowSeconds);
      const threshold = round(w.burnRate * budget);
      const window = (length: Duration, kind: 'Long' | 'Short') =>
        factory.component(scope, `${slo.id}${w.name}${kind}`, {
          watched: web,
          metric: slo.metric(length),
          threshold,
          comparison: 'above',
          // No requests spend no budget.
          missingData: 'ok',
          description: `One window of the ${slo.what}: ${slo.bad} above ${threshold} % (burn rate ${w.burnRate}) over ${length.toHumanString()}. Notifies through ${factory.name(web, slo.id, 'critical')}.`,
        });
      return {
        rule: cloudwatch.AlarmRule.allOf(window(longWindow, 'Long'), window(shortWindow, 'Short')),
        text: `${w.name.toLowerCase()}: ${slo.bad} above ${threshold} % over both ${longWindow.toHumanString()} and ${shortWindow.toHumanString()} (${w.budgetSpentPercent} % of the month's budget in ${longWindow.toHumanString()})`,
      };
    });
    factory.composite(scope, slo.id, {
      key: `slo.${slo.id === 'AvailabilitySlo' ? 'availabilitySloPercent' : 'latencySloPercent'}`,
      tier: 'SLO',
      severity: 'critical',
      setting: slo.target,
      watched: web,
      rule: cloudwatch.AlarmRule.anyOf(...pairs.map((pair) => pair.rule)),
      description: `The ${slo.what} is burning its error budget (${round(budget)} %) too fast: ${pairs.map((pair) => pair.text).join('; ')}. Check first: ${slo.checkFirst}`,
    });
  }
}

/**
 * The share (%) of requests slower than `thresholdMs`, from the percentile rank of the target
 * response time (PR(:t) is the share at or below t). 0 below the WebService's minimum request rate,
 * where a share says nothing yet.
 */
function slowRequestShare(web: MonitorableWebService, thresholdMs: number, period: Duration): cloudwatch.MathExpression {
  const minRequests = DEPLOYMENT_ALARM.minRequestsPerMinute * Math.max(1, period.toMinutes({ integral: false }));
  return new cloudwatch.MathExpression({
    expression: `IF(requests >= ${minRequests}, 100 - FILL(fast, 100), 0)`,
    usingMetrics: {
      // The requests that reached a task, whichever target group is live (both, when there are two).
      requests: web.metricTargetRequestCount
        ? web.metricTargetRequestCount({ period })
        : web.metric('targetGroup', 'RequestCount', { statistic: 'Sum', period }),
      fast: web.metricTargetResponseTime({ statistic: cloudwatch.Stats.percentileRank(thresholdMs / 1000), period }),
    },
    label: `requests slower than ${thresholdMs} ms (%)`,
    period,
  });
}

/**
 * The short-window alarms of the fast burn-rate pair (5 minutes at 14.4x the error budget) that
 * `addBurnRateAlarms` made anywhere under `scope`: the signal a deployment can act on. The long
 * window (1 hour) is mostly traffic from before the deployment, and a composite alarm cannot be a
 * deployment alarm, so a WebService rolls back on these (ScalingStack: `addDeploymentAlarms`).
 * Their metrics read the load balancer only, never the ECS service: no dependency cycle.
 */
export function fastBurnDeploymentAlarms(scope: Construct): cloudwatch.Alarm[] {
  const fast = BURN_RATE_WINDOWS.reduce((a, b) => (a.burnRate >= b.burnRate ? a : b));
  const ids = ['AvailabilitySlo', 'LatencySlo'].map((slo) => `${slo}${fast.name}ShortAlarm`);
  return scope.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm && ids.includes(c.node.id));
}
