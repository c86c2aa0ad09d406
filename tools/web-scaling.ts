// How fast the web service scales out, and what a scaled-down schedule saves: computed from the
// settings the construct actually uses (lib/core/web.ts, the profiles), so the README's figures
// can be rerun: `npx tsx tools/web-scaling.ts`.
import * as defaults from '../lib/core/web';
import { dev, profiles, PROFILE_NAMES, type Profile, type WebScaleSchedule } from '../lib/core/profiles';
import { markdownTable } from './shared/cli';

/**
 * Assumptions that no template fixes, each with its source. Change them here and rerun.
 * - CloudWatch makes a one-minute ECS or ALB datapoint available about a minute after its minute.
 * - A Fargate task for a small image (the default NGINX is ~20 MB compressed) is running about a
 *   minute after ECS starts it: capacity, ENI attachment, image pull, process start. Large images
 *   and slow-booting apps take longer; measure yours (ECS task events show createdAt → startedAt).
 */
export const ASSUMPTIONS = {
  metricDelaySeconds: 60,
  taskStartSeconds: 60,
} as const;

/** Target tracking alarms of Application Auto Scaling on one-minute metrics: 3 of 3 datapoints to scale out. */
const TARGET_TRACKING_DATAPOINTS = 3;

export interface ReactionTime {
  readonly path: string;
  /** Seconds of each phase, in order. */
  readonly phases: readonly { readonly name: string; readonly seconds: number }[];
  /** Seconds from the step in load until a new task receives its first requests. */
  readonly firstRequestSeconds: number;
  /** Seconds until it receives a full share (after slow start). */
  readonly fullShareSeconds: number;
}

/** Seconds from a step increase in load until new tasks take traffic, per scaling path. */
export function reactionTimes(): ReactionTime[] {
  const period = defaults.METRIC_PERIOD_SECONDS;
  const healthy = defaults.HEALTH_CHECK.healthyThresholdCount * defaults.HEALTH_CHECK.intervalSeconds;
  const slowStart = defaults.SLOW_START_SECONDS;
  const build = (path: string, datapoints: number): ReactionTime => {
    // The load steps up at the start of a minute: the alarm has its datapoints once that many
    // minutes have passed, and sees the last of them a publication delay later.
    const phases = [
      { name: `alarm: ${datapoints} x ${period} s datapoint${datapoints > 1 ? 's' : ''}`, seconds: datapoints * period },
      { name: 'last datapoint published', seconds: ASSUMPTIONS.metricDelaySeconds },
      { name: 'task started (assumed)', seconds: ASSUMPTIONS.taskStartSeconds },
      { name: `healthy: ${defaults.HEALTH_CHECK.healthyThresholdCount} checks x ${defaults.HEALTH_CHECK.intervalSeconds} s`, seconds: healthy },
    ];
    const firstRequestSeconds = phases.reduce((sum, phase) => sum + phase.seconds, 0);
    return { path, phases, firstRequestSeconds, fullShareSeconds: firstRequestSeconds + slowStart };
  };
  return [build('step scaling on p99 latency', 1), build('target tracking (CPU, memory, requests per task)', TARGET_TRACKING_DATAPOINTS)];
}

/** us-east-1 Fargate list prices (USD per hour), from ../shared/data/aws-prices-us-east-1.json. */
export const FARGATE_PRICES = {
  X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
  ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 },
  // fargate.spot.x86.*.estimate: 70 % off on demand (low confidence; Spot prices float).
  spot: { vcpuHour: 0.012144, gbHour: 0.0013335 },
} as const;

const HOURS_PER_MONTH = 730;

/**
 * USD per hour of `tasks` tasks of `profile`: the first `onDemandBaseTasks` on demand, the rest
 * split between on demand and Spot by the weights (as ECS places them).
 */
export function tasksHourUsd(profile: Profile, tasks: number): number {
  const web = profile.web;
  const vcpu = web.cpu / 1024;
  const gb = web.memoryMiB / 1024;
  const price = (p: { vcpuHour: number; gbHour: number }) => vcpu * p.vcpuHour + gb * p.gbHour;
  const onDemand = price(FARGATE_PRICES[web.cpuArchitecture]);
  const mixed = (web.onDemandWeight * onDemand + web.spotWeight * price(FARGATE_PRICES.spot)) / (web.onDemandWeight + web.spotWeight);
  const base = Math.min(tasks, web.onDemandBaseTasks);
  return base * onDemand + (tasks - base) * mixed;
}

/**
 * Hours per week a weekday schedule keeps tasks off: the schedule must be a pair of cron
 * expressions 'cron(0 <hour> ? * MON-FRI *)' (off, then on); weekends stay off between them.
 */
export function hoursOffPerWeek(off: WebScaleSchedule, on: WebScaleSchedule): number {
  const hour = (s: WebScaleSchedule) => {
    const match = /^cron\(0 (\d{1,2}) \? \* MON-FRI \*\)$/.exec(s.schedule);
    if (!match) throw new Error(`${s.name}: only 'cron(0 <hour> ? * MON-FRI *)' schedules are modelled`);
    return Number(match[1]);
  };
  const onHoursPerWeekday = (hour(off) - hour(on) + 24) % 24;
  return 7 * 24 - 5 * onHoursPerWeekday;
}

/** The dev profile's documented nights-off example (see lib/core/profiles/dev.ts). */
export const NIGHTS_OFF_EXAMPLE: readonly WebScaleSchedule[] = [
  { name: 'NightsOff', schedule: 'cron(0 20 ? * MON-FRI *)', timeZone: 'Europe/Berlin', minTasks: 0, maxTasks: 0 },
  { name: 'Mornings', schedule: 'cron(0 8 ? * MON-FRI *)', timeZone: 'Europe/Berlin', minTasks: 1, maxTasks: 2 },
];

export interface ScheduleSaving {
  readonly profile: string;
  readonly hoursOffPerWeek: number;
  readonly taskMonthUsd: number;
  readonly savedMonthUsd: number;
}

/**
 * What the nights-off example saves per month on the floor (minTasks tasks) of each non-production
 * profile. Production keeps serving at night, so it is not offered the schedule.
 */
export function scheduleSavings(): ScheduleSaving[] {
  const off = hoursOffPerWeek(NIGHTS_OFF_EXAMPLE[0], NIGHTS_OFF_EXAMPLE[1]);
  return PROFILE_NAMES.filter((name) => !profiles[name].production).map((name) => {
    const profile = profiles[name];
    const taskMonthUsd = tasksHourUsd(profile, profile.web.minTasks) * HOURS_PER_MONTH;
    return { profile: name, hoursOffPerWeek: off, taskMonthUsd, savedMonthUsd: (taskMonthUsd * off) / 168 };
  });
}

const usd = (value: number) => `$${value.toFixed(2)}`;

/** The README's tables, as Markdown. */
export function renderMarkdown(): string {
  const headers = (...names: string[]) => names.map((header) => ({ header }));
  const reaction = markdownTable(
    headers('scaling path', 'alarm datapoints', 'metric delay', 'task start', 'healthy', 'first requests', 'full share'),
    reactionTimes().map((r) => {
      const [alarm, delay, start, healthy] = r.phases.map((p) => `${p.seconds} s`);
      return [
        r.path,
        `${alarm} (${r.phases[0].name.replace('alarm: ', '')})`,
        delay,
        start,
        healthy,
        `**${r.firstRequestSeconds} s**`,
        `${r.fullShareSeconds} s`,
      ];
    }),
  );
  const savings = markdownTable(
    headers('profile', 'floor tasks, per month', 'off hours a week', 'saved per month'),
    scheduleSavings().map((s) => [s.profile, usd(s.taskMonthUsd), `${s.hoursOffPerWeek} of 168`, usd(s.savedMonthUsd)]),
  );
  return `${reaction}\n\n${savings}`;
}

if (require.main === module) {
  console.log(renderMarkdown());
  console.log(`\nAssumptions: ${JSON.stringify(ASSUMPTIONS)}; one dev task ${usd(tasksHourUsd(dev, 1) * HOURS_PER_MONTH)}/month.`);
}
