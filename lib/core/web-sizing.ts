import { describeFargateMemory, FARGATE_TASK_SIZES, HIGH_RESOLUTION_METRICS } from './web';
import type { Problems } from './errors';
import type { WebProfile } from './profiles/profile';

/** The sizing values of a web service: the profile's `web` section, all of it. */
export type WebSizing = WebProfile;

const SCHEDULE_NAME = /^[A-Za-z0-9]{1,64}$/;
const SCHEDULE_EXPRESSION = /^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\))$/;

/**
 * Checks a web service's sizing: Fargate task size, architecture against capacity providers, task
 * range, scaling targets, deployment floor and schedules. `prefix` names where the values come from
 * ('web.' in a profile, '' for construct props). Shared by validateProfile() and WebService, so a
 * profile and a construct reject the same values with the same words.
 */
export function checkWebSizing(p: Problems, s: WebSizing, prefix: string): void {
  const n = (name: string) => `${prefix}${name}`;

  const cpus = Object.keys(FARGATE_TASK_SIZES).map(Number);
  if (!cpus.includes(s.cpu)) {
    p.add(`${n('cpu')} (${s.cpu}) must be one of ${cpus.join(', ')} (vCPU units; 1024 = 1 vCPU), the Fargate task sizes`);
  } else if (!FARGATE_TASK_SIZES[s.cpu].includes(s.memoryMiB)) {
    p.add(
      `${n('memoryMiB')} (${s.memoryMiB}) is not a Fargate size for ${n('cpu')} ${s.cpu}; with ${n('cpu')} ${s.cpu} use ${describeFargateMemory(s.cpu)} MiB`,
    );
  }
  p.oneOf(n('cpuArchitecture'), s.cpuArchitecture, ['X86_64', 'ARM64']);

  p.range(n('minTasks'), s.minTasks, 0, 1000, { integer: true });
  p.range(n('maxTasks'), s.maxTasks, 1, 1000, { integer: true });
  p.notAbove(n('minTasks'), s.minTasks, n('maxTasks'), s.maxTasks);
  p.range(n('onDemandBaseTasks'), s.onDemandBaseTasks, 0, 100000, { integer: true });
  p.range(n('onDemandWeight'), s.onDemandWeight, 0, 1000, { integer: true });
  p.range(n('spotWeight'), s.spotWeight, 0, 1000, { integer: true });
  // Only when both are valid weights: a negative one is reported by its range check alone.
  p.check(
    !(s.onDemandWeight === 0 && s.spotWeight === 0),
    `${n('onDemandWeight')} and ${n('spotWeight')} are both 0; give at least one capacity provider a weight above 0`,
  );
  // CDK does not catch this and the deployment would fail: Fargate Spot has no ARM64 capacity.
  p.check(
    !(s.cpuArchitecture === 'ARM64' && s.spotWeight > 0),
    `${n('spotWeight')} (${s.spotWeight}) must be 0 when ${n('cpuArchitecture')} is 'ARM64': Fargate Spot runs only X86_64 tasks; set ${n('cpuArchitecture')} 'X86_64' or ${n('spotWeight')} 0`,
  );

  for (const target of ['cpuTargetPercent', 'memoryTargetPercent'] as const) {
    const value = s[target];
    p.check(
      Number.isFinite(value) && value > 0 && value <= 100,
      `${n(target)} (${value}) must be above 0 and at most 100 (a utilization percentage)`,
    );
  }
  p.range(n('requestsPerTarget'), s.requestsPerTarget, 1, 1_000_000, { integer: true, fix: 'requests per task per minute' });
  p.range(n('minHealthyPercent'), s.minHealthyPercent, 0, 100, { integer: true });
  p.oneOf(n('predictiveScaling'), s.predictiveScaling, ['off', 'ForecastOnly', 'ForecastAndScale']);
  checkFastScaling(p, s, n);

  const names = new Set<string>();
  s.scaleSchedule.forEach((entry, i) => {
    const at = `${n('scaleSchedule')}[${i}]`;
    p.check(SCHEDULE_NAME.test(entry.name), `${at}.name (${JSON.stringify(entry.name)}) must be 1-64 letters or digits, such as 'NightsOff'`);
    p.check(!names.has(entry.name), `${at}.name (${JSON.stringify(entry.name)}) is used twice; give each scheduled action its own name`);
    names.add(entry.name);
    p.check(
      SCHEDULE_EXPRESSION.test(entry.schedule),
      `${at}.schedule (${JSON.stringify(entry.schedule)}) must be 'cron(<6 fields>)', 'rate(<n> <unit>)' or 'at(yyyy-mm-ddThh:mm:ss)', such as 'cron(0 20 ? * MON-FRI *)'`,
    );
    if (entry.timeZone !== undefined)
      p.check(isTimeZone(entry.timeZone), `${at}.timeZone (${JSON.stringify(entry.timeZone)}) is not an IANA time zone such as 'Europe/Berlin'`);
    p.range(`${at}.minTasks`, entry.minTasks, 0, 1000, { integer: true });
    p.range(`${at}.maxTasks`, entry.maxTasks, 0, 1000, { integer: true });
    p.notAbove(`${at}.minTasks`, entry.minTasks, `${at}.maxTasks`, entry.maxTasks);
  });
}

/**
 * High-resolution metrics and anomaly mitigation: only the metrics ECS publishes at 20 s, each
 * once; automatic target weights only where there is more than one task to weigh.
 */
function checkFastScaling(p: Problems, s: WebSizing, n: (name: string) => string): void {
  const seen = new Set<string>();
  s.highResolutionMetrics.forEach((metric, i) => {
    const at = `${n('highResolutionMetrics')}[${i}]`;
    if (!(HIGH_RESOLUTION_METRICS as readonly string[]).includes(metric)) {
      p.add(
        `${at} (${JSON.stringify(metric)}) has no high-resolution version: ECS publishes only ${HIGH_RESOLUTION_METRICS.map((m) => `'${m}'`).join(' and ')} every 20 s (ALB metrics such as requests per target stay at 60 s); remove it`,
      );
    } else if (seen.has(metric)) {
      p.add(`${at} (${JSON.stringify(metric)}) is listed twice; list each metric once`);
    }
    seen.add(metric);
  });
  if (s.anomalyMitigation && Number.isInteger(s.minTasks) && s.minTasks < 2) {
    p.add(
      `${n('anomalyMitigation')} (true) needs ${n('minTasks')} of at least 2 (it is ${s.minTasks}): with one task there is nothing to shift traffic to; raise ${n('minTasks')} to 2 or set ${n('anomalyMitigation')} false`,
    );
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
