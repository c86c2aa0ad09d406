import { QUEUE_AGE_LIMIT_SECONDS } from '../../../lib/core/insights';
import { applyChanges, candidate, descending, firstSafe, tooShortToDownsize } from './kit';
import type { Candidate, RuleContext, RuleResult } from '../types';
import { num } from '../format';
import { PRICE_KEYS } from '../prices';
import { DAY_MS } from '../series';

/** Share of the timeout from which a run is too close to being killed. */
const NEAR_TIMEOUT = 0.8;
/** Share of the timeout below which a run leaves CPU to spare (so less memory, less CPU, is fine). */
const FAR_FROM_TIMEOUT = 0.5;
/** Lambda Insights memory use (max) below which half the memory suffices. */
const MEMORY_IDLE_PERCENT = 40;
/** Share of the concurrency ceiling at which the worker counts as held back by it. */
const AT_CEILING = 0.9;
const LAMBDA_MEMORY = { min: 128, max: 10_240 } as const;
const MAX_CONCURRENCY = 1000;
const DAYS_PER_MONTH = 365.25 / 12;

/**
 * The jobs worker: memory from run time against the timeout (Lambda gives CPU in proportion to
 * memory) and from Lambda Insights' memory use when it is on; maxConcurrency from how often the
 * worker sits at its ceiling while messages wait.
 */
export function workerRules(ctx: RuleContext): RuleResult {
  const worker = ctx.profile.worker;
  const duration = ctx.stat('worker.duration');
  const memory = ctx.stat('worker.memory');
  const concurrency = ctx.stat('worker.concurrency');
  const age = ctx.stat('worker.queueAge')!;
  const throttles = ctx.stat('worker.throttles')?.sum ?? 0;
  const timeoutMs = worker.timeoutSeconds * 1000;
  const candidates: Candidate[] = [];
  const notes: string[] = [];

  if (throttles > 0)
    notes.push(
      `${num(throttles, 0)} invocations were throttled: the account's concurrency limit, not maxConcurrency (which never throttles), was reached`,
    );
  if (!duration) notes.push('no Duration datapoints: the worker ran no job in the window; memory not judged');
  if (!memory) notes.push('memory use is not published (Lambda Insights is off): the advisor never lowers memory without it');

  if (duration && duration.max >= NEAR_TIMEOUT * timeoutMs && worker.memoryMiB < LAMBDA_MEMORY.max) {
    const to = Math.min(LAMBDA_MEMORY.max, worker.memoryMiB * 2);
    candidates.push(
      memoryCandidate(
        ctx,
        to,
        'upsize',
        `the longest run took ${num(duration.max / 1000)} s of the ${worker.timeoutSeconds} s timeout; twice the memory is twice the CPU (or raise worker.timeoutSeconds if the time is spent waiting)`,
      ),
    );
  } else if (
    duration &&
    memory &&
    memory.max < MEMORY_IDLE_PERCENT &&
    duration.p95 < FAR_FROM_TIMEOUT * timeoutMs &&
    worker.memoryMiB > LAMBDA_MEMORY.min
  ) {
    const to = Math.max(LAMBDA_MEMORY.min, Math.floor(worker.memoryMiB / 2));
    if (!ctx.mayDownsize) notes.push(tooShortToDownsize(`the worker's ${worker.memoryMiB} MiB`, ctx, age.days));
    else
      candidates.push(
        memoryCandidate(
          ctx,
          to,
          'downsize',
          `memory use peaks at ${num(memory.max)} % and runs stay far from the timeout (p95 ${num(duration.p95 / 1000)} s)`,
        ),
      );
  }

  if (
    concurrency &&
    concurrency.p95 >= AT_CEILING * worker.maxConcurrency &&
    age.p95 > QUEUE_AGE_LIMIT_SECONDS &&
    worker.maxConcurrency < MAX_CONCURRENCY
  ) {
    const proposed = Math.min(MAX_CONCURRENCY, worker.maxConcurrency * 2);
    const safe = firstSafe(
      descending(proposed, worker.maxConcurrency + 1),
      (n) => applyChanges(ctx.profile, [{ path: 'worker.maxConcurrency', from: worker.maxConcurrency, to: n }]),
      ctx.safetyProblems,
    );
    if (safe.value === undefined) {
      notes.push(
        `the worker is held back by maxConcurrency ${worker.maxConcurrency} while messages wait, but more concurrency breaks a safety rule: ${safe.problems.join('; ')}`,
      );
    } else {
      candidates.push(
        candidate({
          component: 'worker',
          action: 'upsize',
          summary: `raise worker.maxConcurrency from ${worker.maxConcurrency} to ${safe.value}: the worker runs at its ceiling while the oldest message waits ${num(age.p95, 0)} s (p95)`,
          changes: [{ path: 'worker.maxConcurrency', from: worker.maxConcurrency, to: safe.value }],
          evidence: [ctx.evidence('worker.concurrency', ['p50', 'p95', 'max']), ctx.evidence('worker.queueAge', ['p50', 'p95', 'max'])],
          costBasis: 'Lambda bills run time, not concurrency: the same jobs cost the same, sooner',
          confidence: ctx.confidence,
        }),
      );
    }
  }
  return { candidates, notes, monthlyCost: (p) => gbSecondsPerMonth(ctx) * (p.worker.memoryMiB / 1024) * ctx.prices.usd(PRICE_KEYS.lambdaGbSecond) };
}

/** Seconds of run time a month at the observed rate (invocations in the window x their average duration). */
function gbSecondsPerMonth(ctx: RuleContext): number {
  const invocations = ctx.stat('worker.invocations')?.sum ?? 0;
  const averageMs = ctx.stat('worker.durationAverage')?.mean ?? 0;
  const windowDays = (ctx.window.end - ctx.window.start) / DAY_MS;
  return (invocations / windowDays) * DAYS_PER_MONTH * (averageMs / 1000);
}

function memoryCandidate(ctx: RuleContext, to: number, action: 'upsize' | 'downsize', why: string): Candidate {
  const worker = ctx.profile.worker;
  const invocations = ctx.stat('worker.invocations')?.sum ?? 0;
  const averageMs = ctx.stat('worker.durationAverage')?.mean ?? 0;
  return candidate({
    component: 'worker',
    action,
    summary: `${action === 'upsize' ? 'raise' : 'lower'} worker.memoryMiB from ${worker.memoryMiB} to ${to}: ${why}`,
    changes: [{ path: 'worker.memoryMiB', from: worker.memoryMiB, to }],
    evidence: [
      ctx.evidence('worker.duration', ['p50', 'p95', 'max']),
      ctx.evidence('worker.memory', ['p95', 'max']),
      ctx.evidence('worker.invocations', ['sum']),
    ],
    costBasis: `${num(invocations, 0)} invocations in the window at their average ${num(averageMs, 0)} ms, as a month, x the memory difference (the same run time assumed; more CPU usually shortens it)`,
    confidence: ctx.confidence,
  });
}
