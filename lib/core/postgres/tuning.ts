import {
  describeKnownInstanceClasses,
  GRAVITON_INSTANCE_CLASSES,
  IDLE_IN_TRANSACTION_SESSION_TIMEOUT_MS,
  DEFAULT_SLOW_QUERY_THRESHOLD_MS,
  type InstanceClassSpec,
} from '../database';
import { ConfigurationError } from '../errors';
import { engineMemoryBytes, maxConnectionsFor, RDS_BYTES_PER_CONNECTION } from './engine-memory';

export { maxConnectionsFor } from './engine-memory';

/** What the workload looks like, beyond the instance class. */
export interface PostgresWorkloadHints {
  /**
   * Sessions open at the worst case: every client's pool at its maximum plus the admin reserve
   * (the connection budget's demand + ADMIN_RESERVED_CONNECTIONS). work_mem is sized so that this
   * many sessions, each running a plan with WORK_MEM_NODES_PER_SESSION sort or hash nodes, fit in
   * the DBInstanceClassMemory that shared_buffers and maintenance_work_mem leave.
   */
  readonly expectedConnections: number;
  /** Allocated storage in GiB. WAL lives on the same volume, so max_wal_size is capped by it. */
  readonly allocatedStorageGiB: number;
  /**
   * Statements slower than this many milliseconds are logged with their plan.
   *
   * @default 250
   */
  readonly slowQueryMs?: number;
}

/** One computed parameter, with where its value comes from. */
export interface TunedParameter {
  readonly name: string;
  /** The value as the RDS parameter group takes it: an integer in the parameter's base unit, `1`/`0` for booleans. */
  readonly value: string;
  /** The rule that produced the value, with the arithmetic for this instance. */
  readonly rule: string;
  /** Where the rule comes from (AWS guidance, the PostgreSQL docs, a widely used tuning tool). */
  readonly source: string;
  /** A static parameter: a change waits for the next reboot (RDS shows `pending-reboot`). */
  readonly requiresReboot: boolean;
  /** An RDS-only parameter (`rds.*`) that community PostgreSQL does not know. */
  readonly rdsOnly: boolean;
}

/** The parameters computed for one instance class and workload. */
export interface PostgresTuning {
  readonly instanceClass: string;
  readonly vCpus: number;
  readonly memoryGiB: number;
  /** DBInstanceClassMemory: the bytes RDS gives the engine (`engineMemoryBytes`), which every memory setting is computed from. */
  readonly engineMemoryBytes: number;
  /** The computed max_connections (the connection budget's ceiling). */
  readonly maxConnections: number;
  readonly parameters: readonly TunedParameter[];
}

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;
const PAGE = 8 * KIB;

const PG_DOCS = 'https://www.postgresql.org/docs/17';
const SOURCES = {
  resource: `${PG_DOCS}/runtime-config-resource.html`,
  query: `${PG_DOCS}/runtime-config-query.html`,
  wal: `${PG_DOCS}/wal-configuration.html`,
  autovacuum: `${PG_DOCS}/routine-vacuuming.html#AUTOVACUUM`,
  awsAutovacuum: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Autovacuum.html',
  awsMaxConnections: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections',
  awsFormulaVariables: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ParamValuesRef.html#USER_FormulaVariables',
  pgtune: 'https://github.com/le0pard/pgtune (pgtune, the widely used calculator)',
  client: `${PG_DOCS}/runtime-config-client.html`,
  logging: `${PG_DOCS}/runtime-config-logging.html`,
  statistics: `${PG_DOCS}/runtime-config-statistics.html`,
  autoExplain: `${PG_DOCS}/auto-explain.html`,
  pgStatStatements: `${PG_DOCS}/pgstatstatements.html`,
  jit: `${PG_DOCS}/jit-decision.html`,
  awsSsl: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html',
  awsLogs: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Concepts.PostgreSQL.html',
  awsPiSqlText: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.UsingDashboard.SQLTextSize.html',
} as const;

/**
 * Sort or hash nodes one session's plan is assumed to run at once, each allowed work_mem: work_mem is
 * sized for this many per session, and the memory-fit check (memory-fit.ts) counts the same.
 */
export const WORK_MEM_NODES_PER_SESSION = 3;

/** Libraries every instance preloads: per-statement statistics and plans of slow statements. */
export const PRELOADED_LIBRARIES = ['pg_stat_statements', 'auto_explain'] as const;

/**
 * The hardware of a Graviton DB instance class, or a ConfigurationError that lists the known ones.
 */
export function instanceClassSpec(instanceClass: string): InstanceClassSpec {
  const spec = GRAVITON_INSTANCE_CLASSES[instanceClass];
  if (!spec) throw new ConfigurationError('tunePostgresParameters', [unknownInstanceClassMessage(instanceClass)]);
  return spec;
}

/** The message for an instance class that is not in the table. */
export function unknownInstanceClassMessage(instanceClass: string): string {
  return `instanceClass ('${instanceClass}') is not a Graviton DB instance class this library knows; known classes: ${describeKnownInstanceClasses()}`;
}

/**
 * Computes PostgreSQL parameters for an RDS instance class and a workload. Pure: the same inputs
 * always give the same parameters, so the values can be reviewed, tested and checked against a
 * real server. Every memory figure starts from DBInstanceClassMemory (the memory RDS leaves the
 * engine after the OS and its own processes, `engineMemoryBytes`), as RDS's own formulas do
 * (`{DBInstanceClassMemory/32768}` for shared_buffers, `{DBInstanceClassMemory/9531392}` for
 * max_connections), never from the class's nominal memory.
 */
export function tunePostgresParameters(instanceClass: string, hints: PostgresWorkloadHints): PostgresTuning {
  const { vCpus, memoryGiB } = instanceClassSpec(instanceClass);
  const memory = engineMemoryBytes(memoryGiB);
  const slowQueryMs = hints.slowQueryMs ?? DEFAULT_SLOW_QUERY_THRESHOLD_MS;
  const sessions = Math.max(1, Math.floor(hints.expectedConnections));
  const parameters: TunedParameter[] = [];
  const add = (name: string, value: string | number, rule: string, source: string, requiresReboot = false): void => {
    parameters.push({ name, value: String(value), rule, source, requiresReboot, rdsOnly: name.startsWith('rds.') });
  };
  const mem = `DBInstanceClassMemory ${formatBytes(memory)} of ${memoryGiB} GiB`;

  // --- Memory -------------------------------------------------------------------------------
  const sharedBuffersBytes = Math.floor(memory / 4);
  add(
    'shared_buffers',
    Math.floor(sharedBuffersBytes / PAGE),
    `25% of ${mem} = ${formatBytes(sharedBuffersBytes)}, in 8 kB pages: the RDS default {DBInstanceClassMemory/32768}`,
    SOURCES.resource,
    true,
  );

  add(
    'effective_cache_size',
    Math.floor((memory * 3) / 4 / PAGE),
    `75% of ${mem} = ${formatBytes((memory * 3) / 4)}: shared_buffers plus the OS page cache the planner may count on, in 8 kB pages`,
    SOURCES.pgtune,
  );

  const parallelPerGather = Math.min(4, Math.ceil(vCpus / 2));
  // maintenance_work_mem first: work_mem gets what shared_buffers and one maintenance operation leave,
  // so the worst case (memory-fit.ts) fits DBInstanceClassMemory by construction.
  const maintenanceKb = clamp(Math.floor(memory / 16 / KIB), 64 * 1024, 2 * 1024 * 1024);
  const workMemKb = clamp(
    Math.floor((memory - sharedBuffersBytes - maintenanceKb * KIB) / KIB / (sessions * WORK_MEM_NODES_PER_SESSION) / parallelPerGather),
    64,
    256 * 1024,
  );
  add(
    'work_mem',
    workMemKb,
    `(DBInstanceClassMemory − shared_buffers − maintenance_work_mem) / (${sessions} expected sessions × ${WORK_MEM_NODES_PER_SESSION} sort/hash nodes) / ${parallelPerGather} parallel worker(s) per gather = ${formatBytes(workMemKb * KIB)}, within 64 kB–256 MB`,
    SOURCES.pgtune,
  );

  add(
    'maintenance_work_mem',
    maintenanceKb,
    `DBInstanceClassMemory / 16 = ${formatBytes(maintenanceKb * KIB)}, within 64 MB (the PostgreSQL default) and 2 GB: faster VACUUM and CREATE INDEX`,
    SOURCES.pgtune,
  );

  // --- Connections and sessions ---------------------------------------------------------------
  const maxConnections = maxConnectionsFor(memoryGiB);
  add(
    'max_connections',
    maxConnections,
    `LEAST(DBInstanceClassMemory / ${RDS_BYTES_PER_CONNECTION} bytes, 5000) = ${maxConnections} for ${mem}: the RDS default formula, about 9 MiB of memory per connection (DBInstanceClassMemory estimated, lib/core/postgres/engine-memory.ts)`,
    `${SOURCES.awsMaxConnections}; ${SOURCES.awsFormulaVariables}`,
    true,
  );

  add(
    'idle_in_transaction_session_timeout',
    IDLE_IN_TRANSACTION_SESSION_TIMEOUT_MS,
    'end sessions idle inside a transaction for 1 minute (ms): an abandoned transaction holds locks and stops vacuum everywhere',
    SOURCES.client,
  );

  // --- Planner on SSD (gp3) ---------------------------------------------------------------------
  add(
    'random_page_cost',
    '1.1',
    'SSD storage (gp3): a random read costs about the same as a sequential one (default 4.0 assumes spinning disks)',
    SOURCES.query,
  );
  add(
    'effective_io_concurrency',
    200,
    "SSD storage (gp3) serves many concurrent reads; lets bitmap heap scans prefetch (pgtune's SSD value)",
    SOURCES.pgtune,
  );
  add(
    'jit',
    '0',
    'off: JIT compilation pays off for long analytical queries; an OLTP query above jit_above_cost pays tens of ms of compile time instead',
    SOURCES.jit,
  );

  // --- Parallelism from vCPUs -------------------------------------------------------------------
  add(
    'max_worker_processes',
    Math.max(8, vCpus),
    `max(8, ${vCpus} vCPUs): one background worker per vCPU, never below the default 8 that logical replication and extensions share`,
    SOURCES.pgtune,
    true,
  );
  add('max_parallel_workers', vCpus, `${vCpus} vCPUs: parallel query may use every core`, SOURCES.pgtune);
  add(
    'max_parallel_workers_per_gather',
    parallelPerGather,
    `min(4, ceil(${vCpus} vCPUs / 2)) = ${parallelPerGather}: one query takes at most half the cores`,
    SOURCES.pgtune,
  );
  add(
    'max_parallel_maintenance_workers',
    parallelPerGather,
    `min(4, ceil(${vCpus} vCPUs / 2)) = ${parallelPerGather}: CREATE INDEX and VACUUM use at most half the cores`,
    SOURCES.pgtune,
  );

  // --- WAL and checkpoints ----------------------------------------------------------------------
  const maxWalMb = clamp(Math.min(8192, Math.floor((hints.allocatedStorageGiB * 1024) / 10)), 1024, 8192);
  add(
    'max_wal_size',
    maxWalMb,
    `min(8 GB for a busy OLTP database, 10% of ${hints.allocatedStorageGiB} GiB storage), at least 1 GB = ${maxWalMb} MB: fewer forced checkpoints, and a write burst cannot fill the volume with WAL`,
    SOURCES.wal,
  );
  add(
    'min_wal_size',
    Math.floor(maxWalMb / 4),
    `max_wal_size / 4 = ${Math.floor(maxWalMb / 4)} MB (pgtune's ratio): recycled WAL segments absorb bursts without new allocations`,
    SOURCES.pgtune,
  );
  add(
    'checkpoint_timeout',
    900,
    '15 minutes (s): fewer checkpoints mean fewer full-page images in WAL (less I/O, smaller Multi-AZ replication); crash recovery replays at most max_wal_size',
    SOURCES.wal,
  );

  // --- Autovacuum for a busy OLTP table set -----------------------------------------------------
  add(
    'autovacuum_max_workers',
    Math.max(3, Math.floor(vCpus / 2)),
    `max(3, ${vCpus} vCPUs / 2): more tables vacuumed at once on larger instances, never more than half the cores`,
    SOURCES.awsAutovacuum,
    true,
  );
  add(
    'autovacuum_vacuum_scale_factor',
    '0.05',
    'vacuum a table after 5% of its rows change (default 20%): large hot tables are cleaned before bloat builds up',
    SOURCES.awsAutovacuum,
  );
  add(
    'autovacuum_vacuum_insert_scale_factor',
    '0.05',
    'vacuum after inserts of 5% of a table (default 20%): keeps the visibility map current for index-only scans on append-mostly tables',
    SOURCES.autovacuum,
  );
  add(
    'autovacuum_analyze_scale_factor',
    '0.02',
    'analyze after 2% of rows change (default 10%): planner statistics stay fresh on large tables',
    SOURCES.awsAutovacuum,
  );
  add('log_autovacuum_min_duration', 10000, 'log autovacuum runs longer than 10 s (ms): shows which tables vacuum struggles with', SOURCES.logging);

  // --- Statement visibility ---------------------------------------------------------------------
  add(
    'shared_preload_libraries',
    PRELOADED_LIBRARIES.join(','),
    'pg_stat_statements (per-statement totals, read by Performance Insights) and auto_explain (plans of slow statements)',
    SOURCES.pgStatStatements,
    true,
  );
  add('log_min_duration_statement', slowQueryMs, `log every statement slower than ${slowQueryMs} ms with its duration`, SOURCES.logging);
  add('auto_explain.log_min_duration', slowQueryMs, `log the plan of every statement slower than ${slowQueryMs} ms`, SOURCES.autoExplain);
  add('auto_explain.log_analyze', '1', 'plans show actual row counts, so a misestimate is visible in the log', SOURCES.autoExplain);
  add(
    'auto_explain.log_timing',
    '0',
    'no per-node timing: keeps log_analyze cheap (row counts only), as the auto_explain docs advise',
    SOURCES.autoExplain,
  );
  add('auto_explain.log_buffers', '1', 'plans show buffer hits and reads: tells a cache miss from a CPU-bound plan', SOURCES.autoExplain);
  add('auto_explain.log_nested_statements', '1', 'also explain statements run inside functions, where slow queries hide', SOURCES.autoExplain);
  add('track_io_timing', '1', "I/O time in pg_stat_statements and EXPLAIN (BUFFERS); cheap on Graviton's clock source", SOURCES.statistics);
  add(
    'track_activity_query_size',
    4096,
    '4 kB of SQL text per session (default 1 kB) so Performance Insights and pg_stat_activity show whole statements',
    SOURCES.awsPiSqlText,
    true,
  );
  add(
    'log_lock_waits',
    '1',
    'log any lock wait longer than deadlock_timeout (1 s): the usual cause of a query that is slow only sometimes',
    SOURCES.logging,
  );
  add(
    'log_temp_files',
    10240,
    'log temporary files of 10 MB or more (kB): a sort or hash that spilled means work_mem is too small for it',
    SOURCES.logging,
  );
  add('log_statement', 'ddl', 'log schema changes: who changed which table, and when', SOURCES.logging);

  // --- Transport and logs on the instance (RDS) ---------------------------------------------------
  add('rds.force_ssl', '1', 'refuse connections without TLS: encryption in transit for every client', SOURCES.awsSsl);
  add('ssl_min_protocol_version', 'TLSv1.2', 'no TLS 1.0/1.1', SOURCES.awsSsl);
  add(
    'rds.log_retention_period',
    1440,
    "keep logs on the instance 1 day (minutes; default 3 days): CloudWatch Logs holds them with the profile's retention, and the instance's storage stays for data",
    SOURCES.awsLogs,
  );

  return { instanceClass, vCpus, memoryGiB, engineMemoryBytes: memory, maxConnections, parameters };
}

/** The tuned values as a name → value map, the shape an RDS parameter group takes. */
export function parameterValues(parameters: readonly Pick<TunedParameter, 'name' | 'value'>[]): Record<string, string> {
  return Object.fromEntries(parameters.map((p) => [p.name, p.value]));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** 268435456 → '256 MB'; whole units only where exact. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GB', GIB],
    ['MB', MIB],
    ['kB', KIB],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MB` : `${Math.round(bytes / KIB)} kB`;
}
