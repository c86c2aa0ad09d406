/**
 * The memory RDS gives the PostgreSQL engine (`DBInstanceClassMemory`), which RDS's own parameter
 * formulas use instead of the class's nominal memory, and the `max_connections` RDS derives from it.
 *
 * RDS User Guide, "Specifying DB parameters" (DB parameter formula variables):
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ParamValuesRef.html#USER_FormulaVariables
 * > DBInstanceClassMemory: Returns an integer for the number of bytes of memory available to the
 * > database process. This number is internally calculated by starting with the total amount of
 * > memory for the DB instance class. From this, the calculation subtracts memory reserved for the
 * > operating system and the RDS processes that manage the instance. Therefore, the number is always
 * > somewhat lower than the memory figures shown in the instance class tables [...]. The exact value
 * > depends on a combination of factors.
 *
 * RDS User Guide, "Maximum number of database connections" (the PostgreSQL default is
 * `LEAST({DBInstanceClassMemory/9531392},5000)`, also in AWS Prescriptive Guidance, "Tuning
 * PostgreSQL parameters: max_connections"):
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
 * https://docs.aws.amazon.com/prescriptive-guidance/latest/tuning-postgresql-parameters/max-connections.html
 *
 * AWS does not publish the reserve. The best figures available are what RDS for PostgreSQL itself
 * reports with the default parameter group (`SHOW max_connections`), which fixes
 * DBInstanceClassMemory to within one 9,531,392-byte step: OBSERVED_DEFAULT_MAX_CONNECTIONS below.
 * The reserve is interpolated between those points, held at the smallest observed reserve below
 * 2 GiB (the OS and RDS agents do not shrink with the class), and extended above 15.25 GiB at the
 * slope of the last observed segment (~16 MiB per GiB). This is an estimate: an instance reports
 * its real value with `SHOW max_connections` under a default parameter group, and the parameter
 * group here sets max_connections as a number, so the budget always uses the value the instance runs with.
 */

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** RDS for PostgreSQL's default max_connections: `LEAST({DBInstanceClassMemory/9531392},5000)`. */
export const RDS_BYTES_PER_CONNECTION = 9_531_392;
/** The ceiling of that default. */
export const RDS_MAX_CONNECTIONS_CEILING = 5_000;

/** One observation of RDS for PostgreSQL's default max_connections for a class of this memory. */
export interface MaxConnectionsObservation {
  /** The class's nominal memory (GiB), as the instance class tables list it. */
  readonly memoryGiB: number;
  /** `SHOW max_connections` under the default parameter group. */
  readonly maxConnections: number;
  /** The class the value was read on. */
  readonly instanceClass: string;
}

/**
 * Default max_connections read on RDS for PostgreSQL instances (`SHOW max_connections`, default
 * parameter group), collected in https://gist.github.com/guizmaii/1cacffef793c2ba9645083c3e18b3d8c
 * ("The default formula use by AWS RDS to calculate the max_connections"). x86 classes: no figures
 * for Graviton classes are published; the model assumes the reserve depends on the memory alone.
 */
export const OBSERVED_DEFAULT_MAX_CONNECTIONS: readonly MaxConnectionsObservation[] = [
  { instanceClass: 'db.t2.small', memoryGiB: 2, maxConnections: 198 },
  { instanceClass: 'db.t2.medium', memoryGiB: 4, maxConnections: 413 },
  { instanceClass: 'db.t2.large', memoryGiB: 8, maxConnections: 856 },
  { instanceClass: 'db.r4.large', memoryGiB: 15.25, maxConnections: 1660 },
];

/**
 * The reserve each observation implies (bytes): nominal memory less the middle of the
 * DBInstanceClassMemory range that gives its max_connections.
 */
function observedReserves(): Array<{ memory: number; reserve: number }> {
  return OBSERVED_DEFAULT_MAX_CONNECTIONS.map((o) => ({
    memory: o.memoryGiB * GIB,
    reserve: o.memoryGiB * GIB - (o.maxConnections + 0.5) * RDS_BYTES_PER_CONNECTION,
  }));
}

/** Bytes RDS keeps for the OS and its own processes on a class with this nominal memory (estimate, see the file comment). */
export function rdsReservedMemoryBytes(memoryGiB: number): number {
  const points = observedReserves();
  const memory = memoryGiB * GIB;
  const first = points[0];
  if (memory <= first.memory) return Math.round(first.reserve);
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    if (memory <= b.memory) return Math.round(a.reserve + ((memory - a.memory) * (b.reserve - a.reserve)) / (b.memory - a.memory));
  }
  const [a, b] = points.slice(-2);
  return Math.round(b.reserve + ((memory - b.memory) * (b.reserve - a.reserve)) / (b.memory - a.memory));
}

/** DBInstanceClassMemory in bytes for a class with this nominal memory: what the engine gets. */
export function engineMemoryBytes(memoryGiB: number): number {
  return memoryGiB * GIB - rdsReservedMemoryBytes(memoryGiB);
}

/**
 * RDS's default max_connections, `LEAST({DBInstanceClassMemory/9531392}, 5000)`, for a class with
 * this nominal memory: 85 for 1 GiB (db.t4g.micro), 413 for 4 GiB (db.t4g.medium), 1,743 for 16 GiB
 * (db.r7g.large).
 */
export function maxConnectionsFor(memoryGiB: number): number {
  return Math.min(Math.floor(engineMemoryBytes(memoryGiB) / RDS_BYTES_PER_CONNECTION), RDS_MAX_CONNECTIONS_CEILING);
}
