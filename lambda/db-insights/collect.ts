import type { QueryResultRow } from 'pg';
import type { QueryRunner } from '../shared/job-runner';
import { indexCandidates, isSequentiallyScanned, type IndexCandidate, type StatementStats, type TableStats } from './analyze';
import { normalizeSql } from './normalize';
import * as q from './queries';

export interface InsightOptions {
  /** Mean execution time from which a statement is slow, in ms. */
  readonly slowStatementMs: number;
  /** Statements listed by total and by mean time. */
  readonly topStatements: number;
  /** Live rows from which a table counts as large. */
  readonly minTableRows: number;
  /** Seconds a transaction may be open before it is reported. */
  readonly longTransactionSeconds: number;
  /** Smallest unused index worth reporting, in bytes. */
  readonly minUnusedIndexBytes: number;
}

/** A part of the report the worker could not read, why, and what to enable. */
export interface Unavailable {
  readonly section: 'statements' | 'tables' | 'indexes' | 'bufferCache' | 'sessions' | 'connections';
  readonly reason: string;
  readonly fix: string;
}

export interface SessionInfo {
  readonly pid: number;
  readonly user: string | null;
  readonly application: string | null;
  readonly state: string | null;
  readonly transactionSeconds: number | null;
  readonly querySeconds: number | null;
  readonly waitEventType: string | null;
  /** The normalized text of its current or last statement. */
  readonly query: string;
}

export interface DatabaseInsightsReport {
  readonly database: string | null;
  readonly user: string | null;
  readonly generatedAt: string;
  readonly statements?: {
    readonly byTotalTime: readonly StatementStats[];
    readonly byMeanTime: readonly StatementStats[];
    /** Statements with a mean execution time at or above the threshold. */
    readonly slow: number;
    readonly slowThresholdMs: number;
  };
  readonly indexCandidates?: readonly IndexCandidate[];
  /** Large tables read mostly by sequential scans (with or without a candidate column). */
  readonly sequentialScans?: readonly Pick<TableStats, 'schema' | 'table' | 'rows' | 'seqScans' | 'seqTuplesRead' | 'indexScans'>[];
  readonly unusedIndexes?: readonly { readonly schema: string; readonly table: string; readonly index: string; readonly bytes: number }[];
  /** Percent of block reads served from shared buffers since the statistics were reset. */
  readonly bufferCacheHitRatio?: number;
  readonly connections?: { readonly used: number; readonly max: number; readonly percent: number };
  readonly sessions?: {
    /** Seconds the oldest open transaction has been open (0 when none is). */
    readonly longestTransactionSeconds: number;
    readonly longRunning: readonly SessionInfo[];
    readonly idleInTransaction: readonly SessionInfo[];
  };
  readonly unavailable: readonly Unavailable[];
}

const INSUFFICIENT_PRIVILEGE_TEXT = '<insufficient privilege>';

/**
 * Reads every section of the report. A section that fails for a reason a retry cannot fix (the
 * extension is missing, the user lacks a privilege) is listed in `unavailable` with what to
 * enable, and the other sections still run; any other failure (the database is unreachable)
 * throws.
 */
export async function collectInsights(db: QueryRunner, options: InsightOptions, now: Date = new Date()): Promise<DatabaseInsightsReport> {
  const unavailable: Unavailable[] = [];
  const rows = async <R extends QueryResultRow>(section: Unavailable['section'], text: string, values: unknown[] = []): Promise<R[] | undefined> => {
    try {
      return (await db.query<R>(text, values)).rows;
    } catch (error) {
      const problem = explain(section, error);
      if (!problem) throw error;
      unavailable.push(problem);
      return undefined;
    }
  };

  const connection = await rows<{ used: number; max: number; database: string; user: string }>('connections', q.CONNECTIONS);
  const who = connection?.[0];
  const user = who?.user ?? "the worker's user";

  // Statements.
  let statements: DatabaseInsightsReport['statements'];
  let ranked: StatementStats[] = [];
  const byTotal = await rows<StatementRow>('statements', q.topStatements('total_exec_time'), [Math.max(options.topStatements, 100)]);
  if (byTotal) {
    const byMean = (await rows<StatementRow>('statements', q.topStatements('mean_exec_time'), [options.topStatements])) ?? [];
    const slow = (await rows<{ count: number }>('statements', q.SLOW_STATEMENT_COUNT, [options.slowStatementMs]))?.[0]?.count ?? 0;
    ranked = byTotal.map(statement);
    if ([...byTotal, ...byMean].some((r) => r.query === INSUFFICIENT_PRIVILEGE_TEXT)) {
      unavailable.push({
        section: 'statements',
        reason: `${user} may not see the text of other users' statements (pg_stat_statements shows ${INSUFFICIENT_PRIVILEGE_TEXT})`,
        fix: `GRANT pg_read_all_stats TO ${user};`,
      });
    }
    statements = {
      byTotalTime: ranked.slice(0, options.topStatements),
      byMeanTime: byMean.map(statement),
      slow,
      slowThresholdMs: options.slowStatementMs,
    };
  }

  // Tables, their columns and indexes: sequential scans and index candidates.
  let tables: TableStats[] | undefined;
  const large = await rows<TableRow>('tables', q.LARGE_TABLES, [options.minTableRows]);
  if (large) {
    const relids = large.map((t) => t.relid);
    const columns = (await rows<{ relid: string; column: string }>('tables', q.TABLE_COLUMNS, [relids])) ?? [];
    const indexes = (await rows<{ relid: string; index: string; columns: string[] }>('tables', q.TABLE_INDEXES, [relids])) ?? [];
    tables = large.map((t) => ({
      relid: t.relid,
      schema: t.schema,
      table: t.table,
      seqScans: t.seq_scan,
      seqTuplesRead: t.seq_tup_read,
      indexScans: t.idx_scan,
      rows: t.rows,
      bytes: t.bytes,
      columns: columns.filter((c) => c.relid === t.relid).map((c) => c.column),
      indexes: indexes.filter((i) => i.relid === t.relid).map((i) => ({ name: i.index, columns: i.columns })),
    }));
  }

  const unused = await rows<{ schema: string; table: string; index: string; bytes: number }>('indexes', q.UNUSED_INDEXES, [
    options.minUnusedIndexBytes,
  ]);
  const buffers = (await rows<{ hit: number; read: number }>('bufferCache', q.BUFFER_CACHE))?.[0];
  const activity = await rows<SessionRow>('sessions', q.SESSIONS);

  let sessions: DatabaseInsightsReport['sessions'];
  if (activity) {
    const info = activity.map(session);
    const open = info.filter((s) => s.transactionSeconds !== null);
    sessions = {
      longestTransactionSeconds: Math.max(0, ...open.map((s) => s.transactionSeconds ?? 0)),
      longRunning: open
        .filter((s) => (s.transactionSeconds ?? 0) >= options.longTransactionSeconds)
        .sort((a, b) => (b.transactionSeconds ?? 0) - (a.transactionSeconds ?? 0)),
      idleInTransaction: info.filter((s) => s.state?.startsWith('idle in transaction')),
    };
  }

  return {
    database: who?.database ?? null,
    user: who?.user ?? null,
    generatedAt: now.toISOString(),
    statements,
    indexCandidates: tables && statements ? indexCandidates(tables, ranked, options.slowStatementMs) : undefined,
    sequentialScans: tables
      ?.filter(isSequentiallyScanned)
      .map(({ schema, table, rows: n, seqScans, seqTuplesRead, indexScans }) => ({ schema, table, rows: n, seqScans, seqTuplesRead, indexScans })),
    unusedIndexes: unused,
    bufferCacheHitRatio: buffers && buffers.hit + buffers.read > 0 ? (100 * buffers.hit) / (buffers.hit + buffers.read) : undefined,
    connections: who ? { used: who.used, max: who.max, percent: (100 * who.used) / who.max } : undefined,
    sessions,
    unavailable: dedupe(unavailable),
  };
}

interface StatementRow {
  queryid: string;
  query: string;
  calls: number;
  rows: number;
  total_ms: number;
  mean_ms: number;
}

interface TableRow {
  relid: string;
  schema: string;
  table: string;
  seq_scan: number;
  seq_tup_read: number;
  idx_scan: number;
  rows: number;
  bytes: number;
}

interface SessionRow {
  pid: number;
  user: string | null;
  application: string | null;
  state: string | null;
  transaction_seconds: number | null;
  query_seconds: number | null;
  wait_event_type: string | null;
  query: string | null;
}

function statement(r: StatementRow): StatementStats {
  return {
    queryid: r.queryid,
    query: normalizeSql(r.query ?? ''),
    calls: r.calls,
    rows: r.rows,
    totalMs: round(r.total_ms),
    meanMs: round(r.mean_ms),
  };
}

function session(r: SessionRow): SessionInfo {
  return {
    pid: r.pid,
    user: r.user,
    application: r.application,
    state: r.state,
    transactionSeconds: r.transaction_seconds === null ? null : round(r.transaction_seconds),
    querySeconds: r.query_seconds === null ? null : round(r.query_seconds),
    waitEventType: r.wait_event_type,
    query: normalizeSql(r.query ?? ''),
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function dedupe(list: Unavailable[]): Unavailable[] {
  const seen = new Set<string>();
  return list.filter((u) => !seen.has(`${u.section}:${u.reason}`) && seen.add(`${u.section}:${u.reason}`));
}

/** PostgreSQL error codes a retry cannot fix (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const UNDEFINED_TABLE = '42P01';
const UNDEFINED_FUNCTION = '42883';
const OBJECT_NOT_IN_PREREQUISITE_STATE = '55000';
const INSUFFICIENT_PRIVILEGE = '42501';

/** What went wrong and how to fix it, or undefined for an error that is not about setup. */
export function explain(section: Unavailable['section'], error: unknown): Unavailable | undefined {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  if (section === 'statements' && (e.code === UNDEFINED_TABLE || e.code === UNDEFINED_FUNCTION)) {
    return {
      section,
      reason: `the pg_stat_statements extension is not installed in this database (${message})`,
      fix: "connect as the master user and run CREATE EXTENSION IF NOT EXISTS pg_stat_statements; (the Database construct's parameter group already preloads the library)",
    };
  }
  if (section === 'statements' && e.code === OBJECT_NOT_IN_PREREQUISITE_STATE) {
    return {
      section,
      reason: `pg_stat_statements is installed but its library is not loaded (${message})`,
      fix: 'add pg_stat_statements to shared_preload_libraries in the parameter group and reboot the instance (the Database construct does this)',
    };
  }
  if (e.code === INSUFFICIENT_PRIVILEGE) {
    return {
      section,
      reason: `permission denied: ${message}`,
      fix: "GRANT pg_monitor TO <the worker's user>; (it includes pg_read_all_stats and pg_read_all_settings)",
    };
  }
  return undefined;
}
