import { VALKEY_NODE_TYPES } from '../../../lib/core/cache';
import { CACHE_MEMORY_LIMIT_PERCENT, DOWNSIZE_PEAK_PERCENT, UPSIZE_P95_PERCENT } from '../../../lib/core/insights';
import { applyChanges, candidate, firstSafe, tooShortToDownsize } from './kit';
import type { Candidate, RuleContext, RuleResult } from '../types';
import { num } from '../format';
import { PRICE_KEYS } from '../prices';
import { generation } from './database';

/** Memory use (of maxmemory) from which evictions make a node "full". */
const FULL_PERCENT = 90;
/** Engine CPU of the busiest node below which a replica is idle enough to drop. */
const IDLE_ENGINE_CPU_PERCENT = 20;
/** A replication group has at most one primary and five replicas. */
const MAX_NODES = 6;

/**
 * The cache node type from memory use (projected onto each candidate's memory) and evictions, and
 * the node count from the busiest node's engine CPU. Valkey runs commands on one thread, so engine
 * CPU does not change with the node size; memory does. Same or newer generations only; a smaller
 * type keeps the kind (burstable or not). Multi-AZ keeps
 * the replica it needs: the safety rules refuse fewer nodes than that.
 */
export function cacheRules(ctx: RuleContext): RuleResult {
  const cache = ctx.profile.cache;
  const current = VALKEY_NODE_TYPES[cache.nodeType];
  if (!current) return { candidates: [], notes: [`cache.nodeType '${cache.nodeType}' is not a known Valkey node type; not sized`] };
  const cpu = ctx.stat('cache.cpu')!;
  const memory = ctx.stat('cache.memory');
  const evictions = ctx.stat('cache.evictions')?.sum ?? 0;
  const notes: string[] = [];
  const candidates: Candidate[] = [];
  const hourly = (type: string) => ctx.prices.usd(PRICE_KEYS.cacheNodeHour(type), `Valkey ${type}`);
  if (!ctx.prices.has(PRICE_KEYS.cacheNodeHour(cache.nodeType)))
    return { candidates, notes: [`the price table has no price for ${cache.nodeType}; not sized`] };
  const burstable = (type: string) => type.startsWith('cache.t');

  // Node type.
  if (!memory) {
    notes.push('no DatabaseMemoryUsagePercentage datapoints: the node type is not judged');
  } else {
    const projected = (memoryGiB: number) => (memory.max * current.memoryGiB) / memoryGiB;
    const full = evictions > 0 && memory.max >= FULL_PERCENT;
    const types = Object.entries(VALKEY_NODE_TYPES)
      .filter(
        ([type, spec]) =>
          generation(type) >= generation(cache.nodeType) &&
          ctx.prices.has(PRICE_KEYS.cacheNodeHour(type)) &&
          projected(spec.memoryGiB) <= CACHE_MEMORY_LIMIT_PERCENT,
      )
      .sort(([a], [b]) => hourly(a) - hourly(b));
    // As for the database: growing may leave the burstable types, shrinking keeps the kind.
    const pool = full
      ? types.filter(([type, spec]) => spec.memoryGiB > current.memoryGiB && hourly(type) > hourly(cache.nodeType))
      : evictions === 0 && cpu.max <= DOWNSIZE_PEAK_PERCENT
        ? types.filter(([type]) => burstable(type) === burstable(cache.nodeType) && hourly(type) < hourly(cache.nodeType))
        : [];
    const safe = firstSafe(
      pool.map(([t]) => t),
      (type) => applyChanges(ctx.profile, [{ path: 'cache.nodeType', from: cache.nodeType, to: type }]),
      ctx.safetyProblems,
    );
    if (evictions > 0 && !full)
      notes.push(
        `${num(evictions, 0)} keys were evicted while memory stayed below ${FULL_PERCENT} %: check TTLs and the eviction policy before adding memory`,
      );
    if (safe.value !== undefined && !full && !ctx.mayDownsize) {
      notes.push(tooShortToDownsize(`the cache node type ${cache.nodeType}`, ctx, cpu.days));
    } else if (safe.value !== undefined) {
      const to = safe.value;
      candidates.push(
        candidate({
          component: 'cache',
          action: full ? 'upsize' : 'downsize',
          summary: full
            ? `grow the cache nodes from ${cache.nodeType} to ${to}: memory is full (${num(memory.max)} %) and ${num(evictions, 0)} keys were evicted`
            : `shrink the cache nodes from ${cache.nodeType} to ${to}: memory would peak at ${num(projected(VALKEY_NODE_TYPES[to].memoryGiB))} % of its ${VALKEY_NODE_TYPES[to].memoryGiB} GiB, with no evictions`,
          changes: [{ path: 'cache.nodeType', from: cache.nodeType, to }],
          evidence: [ctx.evidence('cache.memory', ['p95', 'max']), ctx.evidence('cache.evictions', ['sum']), ctx.evidence('cache.cpu')],
          costBasis: `every node x the hourly difference x ${ctx.prices.hoursPerMonth} h`,
          confidence: ctx.confidence,
        }),
      );
    }
  }

  // Node count: replicas share the reads.
  if (cpu.p95 >= UPSIZE_P95_PERCENT && cache.nodes < MAX_NODES) {
    candidates.push(
      nodesCandidate(
        ctx,
        cache.nodes + 1,
        'upsize',
        `engine CPU runs at ${num(cpu.p95)} % (p95) on the busiest node; another replica takes a share of the reads (readers must use the reader endpoint)`,
      ),
    );
  } else if (cpu.max < IDLE_ENGINE_CPU_PERCENT && cache.nodes > 2) {
    const safe = firstSafe(
      [cache.nodes - 1],
      (n) => applyChanges(ctx.profile, [{ path: 'cache.nodes', from: cache.nodes, to: n }]),
      ctx.safetyProblems,
    );
    if (safe.value === undefined) notes.push(`one fewer node breaks a safety rule: ${safe.problems.join('; ')}`);
    else if (!ctx.mayDownsize) notes.push(tooShortToDownsize(`the cache's ${cache.nodes} nodes`, ctx, cpu.days));
    else
      candidates.push(
        nodesCandidate(
          ctx,
          safe.value,
          'downsize',
          `even the busiest node's engine CPU stays below ${IDLE_ENGINE_CPU_PERCENT} % (max ${num(cpu.max)} %); ${safe.value} nodes still give a failover target`,
        ),
      );
  }
  return { candidates, notes, monthlyCost: (p) => p.cache.nodes * hourly(p.cache.nodeType) * ctx.prices.hoursPerMonth };
}

function nodesCandidate(ctx: RuleContext, to: number, action: 'upsize' | 'downsize', why: string): Candidate {
  const cache = ctx.profile.cache;
  return candidate({
    component: 'cache',
    action,
    summary: `${action === 'upsize' ? 'add a' : 'remove a'} cache node (${cache.nodes} to ${to}): ${why}`,
    changes: [{ path: 'cache.nodes', from: cache.nodes, to }],
    evidence: [ctx.evidence('cache.cpu', ['p50', 'p95', 'max'])],
    costBasis: `one node at its hourly price x ${ctx.prices.hoursPerMonth} h`,
    confidence: ctx.confidence,
  });
}
