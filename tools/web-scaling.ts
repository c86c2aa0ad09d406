// How fast the web service scales out, and what a scaled-down schedule saves. The reaction to a
// load step is modelled per profile from the synthesized template (metric periods, alarm
// datapoints, cooldowns, health checks, slow start: tools/web-scaling-template.ts), plus the two
// things no template fixes, stated in ASSUMPTIONS. Rerun: `npx tsx tools/web-scaling.ts` (add
// `--task-start <seconds>` with your own measured task start).
import { dev, profiles, PROFILE_NAMES, type Profile, type ProfileName, type WebScaleSchedule } from '../lib/core/profiles';
import { markdownTable } from './shared/cli';
import { readScalingDesign, synthesizeProfile, type CfnTemplate, type ScalingDesign } from './web-scaling-template';

/**
 * Assumptions that no template fixes, each with its source. Change them here (or pass
 * `--task-start`) and rerun.
 * - Publication delay: CloudWatch has a datapoint about one period after the period ends: ~60 s for
 *   one-minute ECS and ALB metrics, ~20 s for ECS's 20-second metrics. AWS's benchmark (a
 *   scale-out trigger 86 s after a load step on 20-second metrics, 3 x 20 s of them; AWS News Blog,
 *   2026-06-18, aws.amazon.com/blogs/aws/amazon-ecs-introduces-new-high-resolution-metrics-for-faster-service-auto-scaling/)
 *   puts it at ~26 s, within a few seconds of this model.
 * - Task start, 60 s: from the desired count rising to the container answering, for a small image
 *   (the default NGINX is ~20 MB compressed): Fargate capacity and ENI attachment ("several
 *   seconds", AWS ECS best practices, docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/task.html),
 *   the image pull (per task: Fargate caches no image) and the process start. AWS's benchmark puts
 *   the trigger-to-provisioned part at 23 s (109 s - 86 s, same post); the rest of the minute is
 *   pull and boot. A large image or a slow-booting app takes longer: measure yours (ECS task
 *   events, createdAt -> startedAt, plus the app's boot) and rerun with `--task-start`.
 * Not on the path: the health-check grace period (it only delays replacing a failing task).
 */
export const ASSUMPTIONS = {
  metricDelaySeconds: { 20: 20, 60: 60 } as Readonly<Record<number, number>>,
  taskStartSeconds: 60,
} as const;

/** What prod must meet, by design (issue 16): from a load step, a decision within 90 s and new tasks serving within 150 s. */
export const PROD_GOALS = { decisionSeconds: 90, servingSeconds: 150 } as const;

export interface ReactionTime {
  readonly profile: string;
  readonly path: string;
  /** Seconds of each phase, in order: datapoints, publication delay, task start, healthy. */
  readonly phases: readonly { readonly name: string; readonly seconds: number }[];
  /** Seconds from the step in load until the path scales out. */
  readonly decisionSeconds: number;
  /** Seconds from the step in load until a new task receives its first requests. */
  readonly firstRequestSeconds: number;
  /** Seconds until it receives a full share (after slow start, when on). */
  readonly fullShareSeconds: number;
  /** Seconds after the scale-out before the same path adds tasks again (its scale-out cooldown). */
  readonly cooldownSeconds: number;
}

/** Seconds from a step increase in load until new tasks take traffic, for every scale-out path of `design`. */
export function reactionTimes(profile: string, design: ScalingDesign, taskStartSeconds: number = ASSUMPTIONS.taskStartSeconds): ReactionTime[] {
  const healthy = design.healthCheck.healthyThresholdCount * design.healthCheck.intervalSeconds;
  return design.paths.map((path) => {
    const delay = ASSUMPTIONS.metricDelaySeconds[path.periodSeconds];
    if (delay === undefined) throw new Error(`${profile}: ${path.name} watches ${path.periodSeconds}-second datapoints; the model knows 20 and 60`);
    // The load steps up at the start of a period: the alarm has its datapoints once that many
    // periods have passed, and sees the last of them a publication delay later.
    const phases = [
      { name: `${path.datapoints} x ${path.periodSeconds} s`, seconds: path.datapoints * path.periodSeconds },
      { name: 'publication delay', seconds: delay },
      { name: 'task start (assumed)', seconds: taskStartSeconds },
      { name: `${design.healthCheck.healthyThresholdCount} checks x ${design.healthCheck.intervalSeconds} s`, seconds: healthy },
    ];
    const decisionSeconds = phases[0].seconds + phases[1].seconds;
    const firstRequestSeconds = phases.reduce((sum, phase) => sum + phase.seconds, 0);
    return {
      profile,
      path: path.name,
      phases,
      decisionSeconds,
      firstRequestSeconds,
      fullShareSeconds: firstRequestSeconds + design.slowStartSeconds,
      cooldownSeconds: path.cooldownSeconds,
    };
  });
}

/** The fastest path: what a load step meets first. */
export function fastest(times: readonly ReactionTime[]): ReactionTime {
  return [...times].sort((a, b) => a.firstRequestSeconds - b.firstRequestSeconds)[0];
}

/** The scaling design of a profile's synthesized template, synthesized once per process. */
const designs = new Map<ProfileName, ScalingDesign>();
export function designOf(profile: ProfileName, template?: CfnTemplate): ScalingDesign {
  if (template) return readScalingDesign(template);
  if (!designs.has(profile)) designs.set(profile, readScalingDesign(synthesizeProfile(profile)));
  return designs.get(profile)!;
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

const headers = (...names: string[]) => names.map((header) => ({ header }));

/** The reaction table of docs/web-service.md: every profile, every scale-out path, fastest first. */
export function renderReaction(taskStartSeconds: number = ASSUMPTIONS.taskStartSeconds): string {
  const rows = PROFILE_NAMES.flatMap((name) =>
    reactionTimes(name, designOf(name), taskStartSeconds)
      .sort((a, b) => a.firstRequestSeconds - b.firstRequestSeconds || a.path.localeCompare(b.path))
      .map((r) => {
        const [datapoints, delay, start, healthy] = r.phases;
        return [
          name,
          r.path,
          `${datapoints.seconds} s (${datapoints.name})`,
          `${delay.seconds} s`,
          `**${r.decisionSeconds} s**`,
          `${start.seconds} s`,
          `${healthy.seconds} s (${healthy.name})`,
          `**${r.firstRequestSeconds} s**`,
          `${r.fullShareSeconds} s`,
          `${r.cooldownSeconds} s`,
        ];
      }),
  );
  return markdownTable(
    headers(
      'profile',
      'scale-out path',
      'datapoints',
      'publication',
      'decision',
      'task start',
      'healthy',
      'first requests',
      'full share',
      'next step after',
    ),
    rows,
  );
}

/** The savings table of docs/web-service.md. */
export function renderSavings(): string {
  return markdownTable(
    headers('profile', 'floor tasks, per month', 'off hours a week', 'saved per month'),
    scheduleSavings().map((s) => [s.profile, usd(s.taskMonthUsd), `${s.hoursOffPerWeek} of 168`, usd(s.savedMonthUsd)]),
  );
}

if (require.main === module) {
  const at = process.argv.indexOf('--task-start');
  const taskStart = at >= 0 ? Number(process.argv[at + 1]) : ASSUMPTIONS.taskStartSeconds;
  if (!Number.isFinite(taskStart) || taskStart < 0) {
    console.error(`web-scaling: --task-start takes seconds, such as --task-start 45 (got ${process.argv[at + 1]})`);
    process.exit(2);
  }
  console.log(`${renderReaction(taskStart)}\n\n${renderSavings()}`);
  console.log(
    `\nAssumptions: publication delay ${JSON.stringify(ASSUMPTIONS.metricDelaySeconds)} s by period, task start ${taskStart} s; one dev task ${usd(tasksHourUsd(dev, 1) * HOURS_PER_MONTH)}/month.`,
  );
}
