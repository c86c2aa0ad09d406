import { BURN_RATE_WINDOWS, EMAIL_ADDRESS, MAX_BURN_RATE } from './monitoring';
import { type Problems, show } from './errors';
import type { MonitoringProfile } from './profiles/profile';
import { type AlarmDefinition, type AlarmSection, ALARM_CATALOG, thresholdRange } from './alarm-catalog';

/** The lowest SLO target whose fastest burn-rate alarm can still fire below a 100 % bad share. */
export const MIN_SLO_PERCENT_WITH_BURN_ALARMS = Math.ceil((100 - 100 / MAX_BURN_RATE) * 100) / 100;

/**
 * Every problem of a `monitoring` section (SLO targets and thresholds), each naming the field as
 * `<prefix><field>`. Shared by validateProfile() and the Monitoring construct.
 */
export function checkMonitoringSettings(p: Problems, m: MonitoringProfile, prefix: string): void {
  for (const field of ['availabilitySloPercent', 'latencySloPercent'] as const) {
    const target = m[field];
    if (p.isUnresolved(target)) continue;
    if (typeof target !== 'number' || !Number.isFinite(target) || target <= 0 || target >= 100) {
      p.add(
        `${prefix}${field} (${show(target)}) must be above 0 and below 100: the share of requests that must meet the SLO over 30 days, such as 99.9 (100 leaves no error budget to alarm on)`,
      );
    } else if (m.sloBurnRateAlarms && target < MIN_SLO_PERCENT_WITH_BURN_ALARMS) {
      const fastest = BURN_RATE_WINDOWS.find((w) => w.burnRate === MAX_BURN_RATE)!;
      p.add(
        `${prefix}${field} (${target}) leaves an error budget of ${round(100 - target)} %: the ${fastest.name.toLowerCase()} burn-rate alarm (${fastest.burnRate}x) would need ${round(fastest.burnRate * (100 - target))} % of requests to fail, which cannot happen; use a target of at least ${MIN_SLO_PERCENT_WITH_BURN_ALARMS}, or sloBurnRateAlarms: false`,
      );
    }
  }
  const latency = m.latencySloThresholdMs;
  if (!p.isUnresolved(latency) && (typeof latency !== 'number' || !Number.isFinite(latency) || latency <= 0 || latency > 3_600_000)) {
    p.add(
      `${prefix}latencySloThresholdMs (${show(latency)}) must be above 0 and at most 3600000 (an hour): the response time a request must beat to count as fast`,
    );
  }
  if (typeof m.sloBurnRateAlarms !== 'boolean') {
    p.add(`${prefix}sloBurnRateAlarms (${show(m.sloBurnRateAlarms)}) must be true or false`);
  }
  if (typeof m.databaseInsightsMetrics !== 'boolean') {
    p.add(`${prefix}databaseInsightsMetrics (${show(m.databaseInsightsMetrics)}) must be true or false`);
  } else if (!m.databaseInsightsMetrics) {
    const on = Object.entries((m.databaseInsights ?? {}) as unknown as Record<string, unknown>).filter(([, value]) => value !== 'off');
    if (on.length > 0) {
      p.add(
        `${prefix}databaseInsightsMetrics is false, so the database insights worker publishes no metrics, but ${on.map(([field, value]) => `databaseInsights.${field} (${show(value)})`).join(', ')} would alarm on them; set ${on.length === 1 ? 'it' : 'them'} to 'off', or databaseInsightsMetrics to true`,
      );
    }
  }
  for (const section of Object.keys(ALARM_CATALOG) as AlarmSection[]) {
    const values = (m[section] ?? {}) as unknown as Record<string, unknown>;
    for (const [field, definition] of Object.entries(ALARM_CATALOG[section] as Record<string, AlarmDefinition>)) {
      const problem = thresholdProblem(definition, values[field], (v) => p.isUnresolved(v));
      if (problem) p.add(`${prefix}${section}.${field} (${show(values[field])}) ${problem}`);
    }
    for (const field of Object.keys(values)) {
      if (!(field in ALARM_CATALOG[section])) {
        p.add(
          `${prefix}${section}.${field} is not a threshold Monitoring knows; the ${section} thresholds are ${Object.keys(ALARM_CATALOG[section]).join(', ')}`,
        );
      }
    }
  }
}

/**
 * Why `value` is not a threshold of `definition`, or undefined when it is one. `isUnresolved` tells
 * deploy-time values (CDK tokens), which are not judged; plain data has none.
 */
export function thresholdProblem(
  definition: AlarmDefinition,
  value: unknown,
  isUnresolved: (value: unknown) => boolean = () => false,
): string | undefined {
  if (value === 'off') {
    return definition.adopted ? "cannot be 'off': this alarm is also the WebService's deployment (rollback) alarm; give a number" : undefined;
  }
  if (typeof value === 'number' && isUnresolved(value)) return undefined;
  const r = thresholdRange(definition);
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (r.minExclusive ? value > r.min : value >= r.min) &&
    (r.maxExclusive ? value < r.max : value <= r.max) &&
    (!r.integer || Number.isInteger(value));
  if (ok) return undefined;
  const low = `${r.minExclusive ? 'above' : 'at least'} ${r.min}`;
  const high = `${r.maxExclusive ? 'below' : 'at most'} ${r.max}`;
  return `must be ${r.integer ? 'a whole number ' : ''}${low} and ${high} (${r.what})${definition.adopted ? '' : ", or 'off'"}`;
}

/** Every problem of a list of alarm e-mail addresses, for `where` ('alarmEmails', '-c alarmEmail'). */
export function checkAlarmEmails(p: Problems, emails: readonly string[], where: string): void {
  for (const email of emails) {
    if (p.isUnresolved(email)) continue;
    p.check(EMAIL_ADDRESS.test(email), `${where} entry ${show(email)} is not an e-mail address such as 'ops@example.com'`);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
