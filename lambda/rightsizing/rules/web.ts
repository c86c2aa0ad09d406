import { DOWNSIZE_PEAK_PERCENT, SPIKE_FACTOR, UPSIZE_P95_PERCENT, WEB_LATENCY_LIMIT_SECONDS } from '../../../lib/core/insights';
import { FARGATE_TASK_SIZES } from '../../../lib/core/web';
import { taskHoldsCollector } from '../../../lib/core/tracing';
import type { Profile, WebProfile } from '../../../lib/core/profiles/profile';
import { applyChanges, candidate, descending, firstSafe, tooShortToDownsize } from './kit';
import type { Candidate, RuleContext, RuleResult } from '../types';
import { num, taskSize } from '../format';
import { PRICE_KEYS, type PriceLookup } from '../prices';

/** The lowest CPU target the advisor suggests: below it most of every task idles. */
const MIN_CPU_TARGET_PERCENT = 40;
/** How much headroom a latency-bound service gains per recommendation, in CPU-target points. */
const CPU_TARGET_STEP = 10;

/**
 * The web tier: task size (cpu, memoryMiB) from CPU and memory use, the task range from running
 * tasks against the ceiling, and the CPU target from latency.
 *
 * With target tracking, CPU per task stays near the target whenever the service runs above its
 * floor: more load means more tasks, not busier ones. The task's CPU is therefore oversized only
 * while the service rests at `minTasks` well below the target; its memory is oversized when even
 * the busiest minute uses little of it.
 */
export function webRules(ctx: RuleContext): RuleResult {
  const web = ctx.profile.web;
  const cpu = ctx.stat('web.cpu')!;
  const memory = ctx.stat('web.memory')!;
  const tasks = ctx.stat('web.tasks');
  const latency = ctx.stat('web.latency');
  const candidates: Candidate[] = [];
  const notes: string[] = [];
  const atCeiling = ctx.share('web.tasks', (v) => v >= web.maxTasks);
  const observedTasks = tasks ? Math.max(web.minTasks, tasks.p50) : web.minTasks;
  // Tasks running under a profile at the observed load: the observed median, scaled by a changed
  // CPU target, never below the floor, plus a raised ceiling's tasks while the load sat at the old one.
  const monthlyCost = (p: Profile) => {
    const running =
      Math.max(p.web.minTasks, observedTasks * (web.cpuTargetPercent / p.web.cpuTargetPercent)) +
      atCeiling * Math.max(0, p.web.maxTasks - web.maxTasks);
    return taskMonthlyUsd(p.web, p.web.cpu, p.web.memoryMiB, running, ctx.prices);
  };

  // The ceiling: the service wanted more tasks than maxTasks allows.
  if (tasks && tasks.max >= web.maxTasks && cpu.p95 >= web.cpuTargetPercent) {
    const proposed = Math.min(1000, Math.max(web.maxTasks + 1, Math.ceil(web.maxTasks * 1.5)));
    const safe = firstSafe(
      descending(proposed, web.maxTasks + 1),
      (v) => applyChanges(ctx.profile, [{ path: 'web.maxTasks', from: web.maxTasks, to: v }]),
      ctx.safetyProblems,
    );
    if (safe.value === undefined) {
      notes.push(
        `the service ran at its ceiling (web.maxTasks ${web.maxTasks}) at ${num(cpu.p95)} % p95 CPU, but a higher ceiling breaks a safety rule: ${safe.problems.join('; ')}`,
      );
    } else {
      candidates.push(
        candidate({
          component: 'web',
          action: 'upsize',
          summary: `raise the task ceiling from ${web.maxTasks} to ${safe.value}: the service ran at its ceiling with CPU above its ${web.cpuTargetPercent} % target`,
          changes: [{ path: 'web.maxTasks', from: web.maxTasks, to: safe.value }],
          evidence: [ctx.evidence('web.tasks', ['p50', 'max']), ctx.evidence('web.cpu'), `at the ceiling ${num(atCeiling * 100)} % of the time`],
          costBasis: `the extra tasks for the ${num(atCeiling * 100)} % of the time the service sat at its ceiling`,
          confidence: ctx.confidence,
        }),
      );
    }
  }

  // Latency: slow at the CPU target means the target leaves too little headroom.
  const latencyBound = latency !== undefined && latency.p95 > WEB_LATENCY_LIMIT_SECONDS;
  if (latencyBound && cpu.p95 >= web.cpuTargetPercent && web.cpuTargetPercent > MIN_CPU_TARGET_PERCENT) {
    const to = Math.max(MIN_CPU_TARGET_PERCENT, web.cpuTargetPercent - CPU_TARGET_STEP);
    candidates.push(
      candidate({
        component: 'web',
        action: 'tune',
        summary: `lower the CPU target from ${web.cpuTargetPercent} % to ${to} %: responses are slow while tasks run at the target`,
        changes: [{ path: 'web.cpuTargetPercent', from: web.cpuTargetPercent, to }],
        evidence: [ctx.evidence('web.latency', ['p95', 'p99', 'max']), ctx.evidence('web.cpu')],
        costBasis: `${num(observedTasks)} running tasks (p50) scaled by ${web.cpuTargetPercent}/${to} for the same load`,
        confidence: ctx.confidence,
      }),
    );
  }

  // Task size.
  const memoryNeed = web.memoryMiB * (memory.max / Math.min(web.memoryTargetPercent, DOWNSIZE_PEAK_PERCENT));
  if (memory.p95 >= UPSIZE_P95_PERCENT) {
    const size = smallestSize(web.cpu, memoryNeed, { minCpu: web.cpu, holds: collectorOf(ctx.profile) });
    if (size && (size.cpu !== web.cpu || size.memoryMiB !== web.memoryMiB)) {
      candidates.push(taskSizeCandidate(ctx, web, size, 'upsize', `memory runs at ${num(memory.p95)} % (p95), near the task's limit`));
    }
  } else {
    const atFloor = tasks !== undefined && tasks.p95 <= web.minTasks;
    const spiky = cpu.max > SPIKE_FACTOR * cpu.p95 && cpu.max >= web.cpuTargetPercent;
    const cpuNeed = atFloor && !spiky ? web.cpu * (cpu.p95 / web.cpuTargetPercent) : web.cpu;
    const size = smallestSize(cpuNeed, memoryNeed, { maxCpu: web.cpu, maxMemoryMiB: web.memoryMiB, holds: collectorOf(ctx.profile) });
    const smaller = size && (size.cpu < web.cpu || size.memoryMiB < web.memoryMiB);
    if (spiky) {
      notes.push(
        `task CPU kept: the load is spiky (busiest minute ${num(cpu.max)} % against a p95 of ${num(cpu.p95)} %); autoscaling needs the headroom of the current size to meet those minutes`,
      );
    } else if (!atFloor && tasks !== undefined) {
      notes.push(
        `task CPU kept: the service scales above its floor (running tasks p95 ${num(tasks.p95)} > web.minTasks ${web.minTasks}), so target tracking already holds CPU near ${web.cpuTargetPercent} %`,
      );
    } else if (tasks === undefined) {
      notes.push('task CPU not judged: no running-task datapoints, so it is unknown whether the service rests at its floor');
    }
    if (size && smaller && latencyBound) {
      notes.push(
        `the task size is kept although it looks oversized: responses are slow (p95 of one-minute averages ${num(latency!.p95, 3)} s > ${WEB_LATENCY_LIMIT_SECONDS} s)`,
      );
    } else if (size && smaller && !ctx.mayDownsize) {
      notes.push(tooShortToDownsize('the web task size', ctx, Math.min(cpu.days, memory.days)));
    } else if (size && smaller) {
      const why =
        size.cpu < web.cpu
          ? `the service rests at its floor of ${web.minTasks} task(s) at ${num(cpu.p95)} % CPU (p95) against a ${web.cpuTargetPercent} % target`
          : `memory peaks at ${num(memory.max)} %`;
      candidates.push(taskSizeCandidate(ctx, web, size, 'downsize', why));
    }
  }
  return { candidates, notes, monthlyCost };
}

interface TaskSize {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** Whether a task size leaves the profile's trace collector its share (lib/core/tracing.ts); always true without tracing. */
function collectorOf(profile: Profile): (size: TaskSize) => boolean {
  return (size) => taskHoldsCollector(profile.observability?.tracing, size);
}

/**
 * The cheapest Fargate size with at least `cpuNeed` vCPU units and `memoryNeed` MiB, within the
 * bounds, that `holds` the task's sidecars.
 */
function smallestSize(
  cpuNeed: number,
  memoryNeed: number,
  bounds: { minCpu?: number; maxCpu?: number; maxMemoryMiB?: number; holds?: (size: TaskSize) => boolean },
): TaskSize | undefined {
  const sizes = Object.entries(FARGATE_TASK_SIZES).flatMap(([cpu, memories]) => memories.map((memoryMiB) => ({ cpu: Number(cpu), memoryMiB })));
  const fitting = sizes.filter(
    (s) =>
      s.cpu >= cpuNeed &&
      s.memoryMiB >= memoryNeed &&
      s.cpu >= (bounds.minCpu ?? 0) &&
      s.cpu <= (bounds.maxCpu ?? Infinity) &&
      s.memoryMiB <= (bounds.maxMemoryMiB ?? Infinity) &&
      (bounds.holds?.(s) ?? true),
  );
  // Fargate bills vCPU about 9 times a GB: order by vCPU, then memory.
  return fitting.sort((a, b) => a.cpu - b.cpu || a.memoryMiB - b.memoryMiB)[0];
}

function taskSizeCandidate(ctx: RuleContext, web: WebProfile, size: TaskSize, action: 'upsize' | 'downsize', why: string): Candidate {
  const changes = [
    ...(size.cpu !== web.cpu ? [{ path: 'web.cpu', from: web.cpu, to: size.cpu }] : []),
    ...(size.memoryMiB !== web.memoryMiB ? [{ path: 'web.memoryMiB', from: web.memoryMiB, to: size.memoryMiB }] : []),
  ];
  return candidate({
    component: 'web',
    action,
    summary: `${action === 'downsize' ? 'shrink' : 'grow'} the task from ${taskSize(web.cpu, web.memoryMiB)} to ${taskSize(size.cpu, size.memoryMiB)}: ${why}`,
    changes,
    evidence: [
      ctx.evidence('web.cpu', ['p50', 'p95', 'max']),
      ctx.evidence('web.memory', ['p95', 'max']),
      ctx.evidence('web.tasks', ['p50', 'p95', 'max']),
    ],
    costBasis: "running tasks (p50, at least web.minTasks) x the size difference, at the profile's on-demand/Spot mix and Fargate prices",
    confidence: ctx.confidence,
  });
}

/**
 * USD a month of `tasks` tasks of a size, split between on demand and Spot as the profile's
 * capacity-provider strategy splits them (base on demand, the rest by weight).
 */
export function taskMonthlyUsd(web: WebProfile, cpu: number, memoryMiB: number, tasks: number, prices: PriceLookup): number {
  const arch = web.cpuArchitecture === 'ARM64' ? 'arm' : 'x86';
  const base = Math.min(tasks, web.onDemandBaseTasks);
  const weights = web.onDemandWeight + web.spotWeight;
  const above = tasks - base;
  const onDemand = base + (weights > 0 ? (above * web.onDemandWeight) / weights : above);
  const spot = tasks - onDemand;
  const hourly = (isSpot: boolean) =>
    (cpu / 1024) * prices.usd(PRICE_KEYS.fargateVcpuHour(arch, isSpot)) + (memoryMiB / 1024) * prices.usd(PRICE_KEYS.fargateGbHour(arch, isSpot));
  return prices.hoursPerMonth * (onDemand * hourly(false) + (spot > 0 ? spot * hourly(true) : 0));
}
