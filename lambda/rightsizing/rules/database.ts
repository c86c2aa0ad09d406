import { maxConnectionsFor } from '../../../lib/core/postgres/tuning';
import { GRAVITON_INSTANCE_CLASSES, type InstanceClassSpec } from '../../../lib/core/database';
import { DATABASE_FREE_MEMORY_SHARE, DOWNSIZE_PEAK_PERCENT, UPSIZE_P95_PERCENT } from '../../../lib/core/insights';
import type { DatabaseProfile } from '../../../lib/core/profiles/profile';
import { applyChanges, candidate, firstSafe, tooShortToDownsize } from './kit';
import type { RuleContext, RuleResult } from '../types';
import { num } from '../format';
import { PRICE_KEYS, type PriceLookup } from '../prices';

const GIB = 1024 ** 3;
/** Share of max_connections the busiest minute may use on a smaller class. */
const CONNECTION_SHARE = 0.8;
/** gp3 includes 3,000 IOPS below 400 GiB (as the cost tool prices it). */
const GP3_INCLUDED_IOPS = 3000;

/**
 * The database class from CPU (projected onto each candidate's vCPUs), memory in use (the class's
 * memory less the least freeable memory seen) and the busiest minute's connections. Candidates
 * are the known Graviton classes of the same kind (burstable stays burstable), cheapest first;
 * Multi-AZ and everything else the profile's safety rules require stay as they are.
 */
export function databaseRules(ctx: RuleContext): RuleResult {
  const db = ctx.profile.database;
  const current = GRAVITON_INSTANCE_CLASSES[db.instanceClass];
  const notes: string[] = [];
  const iops = (ctx.stat('database.readIops')?.p95 ?? 0) + (ctx.stat('database.writeIops')?.p95 ?? 0);
  if (iops > GP3_INCLUDED_IOPS) {
    notes.push(
      `read + write IOPS reach ${num(iops, 0)}/s (p95 each), above the ${GP3_INCLUDED_IOPS} gp3 includes below 400 GiB: storage, not the class, may be the limit`,
    );
  }
  if (!current) return { candidates: [], notes: [...notes, `database.instanceClass '${db.instanceClass}' is not a known class; not sized`] };
  const cpu = ctx.stat('database.cpu')!;
  const freeable = ctx.stat('database.freeableMemory');
  const connections = ctx.stat('database.connections');
  const usedGiB = freeable ? Math.max(0, current.memoryGiB - freeable.min / GIB) : undefined;
  if (usedGiB === undefined) notes.push('no FreeableMemory datapoints: memory is not judged, so no smaller class is suggested');

  const fits = (spec: InstanceClassSpec) => {
    const ratio = current.vCpus / spec.vCpus;
    return (
      cpu.max * ratio <= DOWNSIZE_PEAK_PERCENT &&
      cpu.p95 * ratio < UPSIZE_P95_PERCENT &&
      (usedGiB === undefined ? spec.memoryGiB >= current.memoryGiB : usedGiB <= spec.memoryGiB * (1 - DATABASE_FREE_MEMORY_SHARE)) &&
      (connections === undefined || connections.max <= CONNECTION_SHARE * maxConnectionsFor(spec.memoryGiB))
    );
  };
  const hourly = (name: string) => ctx.prices.usd(PRICE_KEYS.rdsInstanceHour(name, db.multiAz), `${name} ${db.multiAz ? 'Multi-AZ' : 'Single-AZ'}`);
  const options = Object.entries(GRAVITON_INSTANCE_CLASSES)
    .filter(([name]) => generation(name) >= generation(db.instanceClass) && ctx.prices.has(PRICE_KEYS.rdsInstanceHour(name, db.multiAz)))
    .sort(([a], [b]) => hourly(a) - hourly(b));
  if (!ctx.prices.has(PRICE_KEYS.rdsInstanceHour(db.instanceClass, db.multiAz))) {
    return { candidates: [], notes: [...notes, `the price table has no price for ${db.instanceClass}; not sized`] };
  }
  const currentPrice = hourly(db.instanceClass);
  const starved = cpu.p95 >= UPSIZE_P95_PERCENT || (usedGiB !== undefined && usedGiB > current.memoryGiB * (1 - DATABASE_FREE_MEMORY_SHARE / 2));
  // Growing may leave the burstable classes (sustained CPU is what they are bad at); shrinking
  // never enters them, and neither moves to an older generation.
  const pool = starved
    ? options.filter(([name, spec]) => hourly(name) > currentPrice && fits(spec))
    : options.filter(([name, spec]) => spec.burstable === current.burstable && hourly(name) < currentPrice && fits(spec));
  const safe = firstSafe(
    pool.map(([name]) => name),
    (name) => applyChanges(ctx.profile, [{ path: 'database.instanceClass', from: db.instanceClass, to: name }]),
    ctx.safetyProblems,
  );
  if (pool.length > 0 && safe.value === undefined) {
    notes.push(`a class of the right size breaks a safety rule: ${safe.problems.join('; ')}`);
    return { candidates: [], notes };
  }
  if (safe.value === undefined) {
    if (starved)
      notes.push(
        `the database is short of ${cpu.p95 >= UPSIZE_P95_PERCENT ? 'CPU' : 'memory'}, but no larger ${current.burstable ? 'burstable ' : ''}class in the price table fits`,
      );
    return { candidates: [], notes };
  }
  const target = safe.value;
  if (!starved && !ctx.mayDownsize)
    return { candidates: [], notes: [...notes, tooShortToDownsize(`the database class ${db.instanceClass}`, ctx, cpu.days)] };
  const spec = GRAVITON_INSTANCE_CLASSES[target];
  const why = starved
    ? cpu.p95 >= UPSIZE_P95_PERCENT
      ? `CPU runs at ${num(cpu.p95)} % (p95)`
      : `only ${num(current.memoryGiB - (usedGiB ?? 0), 2)} GiB of ${current.memoryGiB} GiB stays freeable`
    : `CPU would peak at ${num((cpu.max * current.vCpus) / spec.vCpus)} % on ${spec.vCpus} vCPUs and ${num(usedGiB ?? 0, 2)} GiB in use fits ${spec.memoryGiB} GiB`;
  return {
    notes,
    monthlyCost: (p) => monthlyCost(ctx.prices, p.database),
    candidates: [
      candidate({
        component: 'database',
        action: starved ? 'upsize' : 'downsize',
        summary: `${starved ? 'grow' : 'shrink'} the database from ${db.instanceClass} to ${target}${db.multiAz ? ' (still Multi-AZ)' : ''}: ${why}`,
        changes: [{ path: 'database.instanceClass', from: db.instanceClass, to: target }],
        evidence: [
          ctx.evidence('database.cpu', ['p50', 'p95', 'max']),
          ctx.evidence('database.freeableMemory', ['p50']).replace(/$/, freeable ? `, least ${num(freeable.min / GIB, 2)} GiB` : ''),
          ctx.evidence('database.connections', ['p95', 'max']),
        ],
        costBasis: `instance hours${db.proxy ? ', RDS Proxy vCPU-hours' : ''}${db.databaseInsights === 'advanced' ? ', Database Insights (advanced) vCPU-hours' : ''} at ${ctx.prices.hoursPerMonth} h a month`,
        confidence: ctx.confidence,
      }),
    ],
  };
}

/** What a database section costs a month by its class: instance hours, RDS Proxy and Database Insights (advanced). */
function monthlyCost(prices: PriceLookup, db: DatabaseProfile): number {
  const hours = prices.hoursPerMonth;
  const vcpus = GRAVITON_INSTANCE_CLASSES[db.instanceClass].vCpus;
  let cost = prices.usd(PRICE_KEYS.rdsInstanceHour(db.instanceClass, db.multiAz), db.instanceClass) * hours;
  // RDS Proxy bills the target's vCPUs, at least 2.
  if (db.proxy) cost += Math.max(2, vcpus) * prices.usd(PRICE_KEYS.rdsProxyVcpuHour) * hours;
  if (db.databaseInsights === 'advanced') cost += vcpus * prices.usd(PRICE_KEYS.databaseInsightsAdvancedVcpuHour) * hours;
  return cost;
}

/** The processor generation in a class or node type name: 7 for db.r7g.large, 4 for cache.t4g.micro. */
export function generation(name: string): number {
  return Number(/\.[a-z]+(\d+)[a-z]*\./.exec(name)?.[1] ?? 0);
}
