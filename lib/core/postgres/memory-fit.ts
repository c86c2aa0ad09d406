import { ADMIN_RESERVED_CONNECTIONS, GRAVITON_INSTANCE_CLASSES } from '../database';
import type { Profile } from '../profiles/profile';
import { profileConnectionDemand } from './connection-budget';
import { engineMemoryBytes } from './engine-memory';
import { instanceClassSpec, WORK_MEM_NODES_PER_SESSION, type TunedParameter } from './tuning';

const KIB = 1024;
const PAGE = 8 * KIB;
const MIB = 1024 * KIB;

/** 65536 → '64 kB', 268435456 → '256 MB', 818239488 → '780.3 MB': whole MB where exact, else one decimal. */
function mb(bytes: number): string {
  if (bytes < MIB) return `${Math.round(bytes / KIB)} kB`;
  return bytes % MIB === 0 ? `${bytes / MIB} MB` : `${(bytes / MIB).toFixed(1)} MB`;
}

/** The memory PostgreSQL may claim at the worst case, set against what RDS gives it. */
export interface MemoryFit {
  /** DBInstanceClassMemory of the class (bytes). */
  readonly engineMemoryBytes: number;
  /** shared_buffers + work_mem × nodes × workers × sessions + maintenance_work_mem (bytes). */
  readonly worstCaseBytes: number;
  readonly fits: boolean;
}

/** The settings the check reads, in bytes (work memory per session already multiplied out). */
interface MemorySettings {
  readonly sharedBuffersBytes: number;
  readonly workMemBytes: number;
  readonly maintenanceWorkMemBytes: number;
  readonly parallelPerGather: number;
}

/**
 * Sessions the memory is budgeted for: every client's worst case (the connection budget's demand)
 * plus the admin reserve, the `expectedConnections` work_mem is tuned for.
 */
export function profileBudgetedSessions(profile: Profile): number {
  return profileConnectionDemand(profile) + ADMIN_RESERVED_CONNECTIONS;
}

/**
 * The problem when the parameter group's memory settings do not fit the memory RDS gives the engine
 * (DBInstanceClassMemory, `engineMemoryBytes`) with `sessions` sessions each running a plan of
 * WORK_MEM_NODES_PER_SESSION sort or hash nodes (the assumption work_mem is tuned with), each node
 * with max_parallel_workers_per_gather workers, plus shared_buffers and one maintenance operation:
 *
 *   shared_buffers + work_mem × 3 × max_parallel_workers_per_gather × sessions + maintenance_work_mem
 *
 * Past that, the worst case pushes the instance into swap or the OOM killer, which restarts
 * PostgreSQL. The message names every number and the fixes; undefined when it fits, or when a
 * setting is not a plain number (a formula RDS resolves at boot cannot be checked here).
 */
export function memoryFitProblem(
  instanceClass: string,
  parameters: readonly Pick<TunedParameter, 'name' | 'value'>[],
  sessions: number,
): string | undefined {
  const settings = memorySettings(parameters);
  if (!settings) return undefined;
  const { memoryGiB } = instanceClassSpec(instanceClass);
  const fit = memoryFit(engineMemoryBytes(memoryGiB), settings, sessions);
  if (fit.fits) return undefined;

  const { sharedBuffersBytes: sb, workMemBytes: wm, maintenanceWorkMemBytes: mwm, parallelPerGather: workers } = settings;
  const perSession = wm * WORK_MEM_NODES_PER_SESSION * workers;
  const left = fit.engineMemoryBytes - sb - mwm;
  const fixes: string[] = [];
  const workMemKb = Math.floor(left / (WORK_MEM_NODES_PER_SESSION * workers * sessions) / KIB);
  if (workMemKb >= 64) fixes.push(`lower work_mem to ${workMemKb} kB or less (parameterOverrides)`);
  const sessionsThatFit = Math.floor(left / perSession);
  if (sessionsThatFit > ADMIN_RESERVED_CONNECTIONS) {
    fixes.push(
      `lower the pool sizes so that at most ${sessionsThatFit} sessions are budgeted (database.poolSizePerWebTask, web.maxTasks, worker.maxConcurrency)`,
    );
  }
  fixes.push(largerClassFix(instanceClass, fit.worstCaseBytes));
  return (
    `the database's memory settings do not fit ${instanceClass}: shared_buffers ${mb(sb)} + work_mem ${mb(wm)} × ${WORK_MEM_NODES_PER_SESSION} sort/hash nodes × ${workers} parallel worker(s) × ${sessions} budgeted sessions + maintenance_work_mem ${mb(mwm)} = ${mb(fit.worstCaseBytes)} at the worst case, ` +
    `more than the ${mb(fit.engineMemoryBytes)} RDS gives PostgreSQL on ${instanceClass} (DBInstanceClassMemory, of ${memoryGiB} GiB) by ${mb(fit.worstCaseBytes - fit.engineMemoryBytes)}; ${fixes.join('; or ')}`
  );
}

/** memoryFitProblem for a stack sized by `profile`, with the sessions the profile budgets; [] when it fits. */
export function checkProfileMemoryFit(profile: Profile, parameters: readonly Pick<TunedParameter, 'name' | 'value'>[]): string[] {
  const problem = memoryFitProblem(profile.database.instanceClass, parameters, profileBudgetedSessions(profile));
  return problem === undefined ? [] : [problem];
}

/** The worst case against DBInstanceClassMemory. */
function memoryFit(engine: number, s: MemorySettings, sessions: number): MemoryFit {
  const worstCaseBytes =
    s.sharedBuffersBytes + s.workMemBytes * WORK_MEM_NODES_PER_SESSION * s.parallelPerGather * sessions + s.maintenanceWorkMemBytes;
  return { engineMemoryBytes: engine, worstCaseBytes, fits: worstCaseBytes <= engine };
}

/** The settings in bytes, or undefined when one is missing or not a plain integer. */
function memorySettings(parameters: readonly Pick<TunedParameter, 'name' | 'value'>[]): MemorySettings | undefined {
  const values = new Map(parameters.map((p) => [p.name.toLowerCase(), p.value]));
  const integer = (name: string): number | undefined => {
    const value = values.get(name);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const sharedBuffers = integer('shared_buffers');
  const workMem = integer('work_mem');
  const maintenance = integer('maintenance_work_mem');
  if (sharedBuffers === undefined || workMem === undefined || maintenance === undefined) return undefined;
  return {
    sharedBuffersBytes: sharedBuffers * PAGE,
    workMemBytes: workMem * KIB,
    maintenanceWorkMemBytes: maintenance * KIB,
    parallelPerGather: Math.max(1, integer('max_parallel_workers_per_gather') ?? 1),
  };
}

/** "choose a larger database.instanceClass (db.t4g.small gives PostgreSQL 1.8 GB)", or the general advice. */
function largerClassFix(instanceClass: string, needed: number): string {
  const family = instanceClass.slice(0, instanceClass.lastIndexOf('.'));
  const fits = Object.entries(GRAVITON_INSTANCE_CLASSES).find(
    ([name, spec]) => name.startsWith(`${family}.`) && engineMemoryBytes(spec.memoryGiB) >= needed,
  );
  return fits
    ? `choose a larger database.instanceClass (${fits[0]} gives PostgreSQL ${mb(engineMemoryBytes(fits[1].memoryGiB))})`
    : 'choose a larger database.instanceClass';
}
