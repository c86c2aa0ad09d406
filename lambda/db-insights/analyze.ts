/** A statement as pg_stat_statements counts it. */
export interface StatementStats {
  readonly queryid: string;
  /** Normalized text (no literals). */
  readonly query: string;
  readonly calls: number;
  readonly rows: number;
  readonly totalMs: number;
  readonly meanMs: number;
}

/** A table of at least the minimum size, with its scan counters. */
export interface TableStats {
  readonly relid: string;
  readonly schema: string;
  readonly table: string;
  readonly seqScans: number;
  readonly seqTuplesRead: number;
  readonly indexScans: number;
  readonly rows: number;
  readonly bytes: number;
  readonly columns: readonly string[];
  /** Each index's columns, in order. */
  readonly indexes: readonly { readonly name: string; readonly columns: readonly string[] }[];
}

/** A column that slow statements filter on, of a large table they read sequentially, with no index starting with it. */
export interface IndexCandidate {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly rows: number;
  readonly seqScans: number;
  readonly seqTuplesRead: number;
  /** The statements that filter on it, by total time. */
  readonly statements: readonly Pick<StatementStats, 'queryid' | 'query' | 'calls' | 'meanMs' | 'totalMs'>[];
  /** The index to try (build it without blocking writes, then check EXPLAIN). */
  readonly suggestion: string;
}

/**
 * Times the table must have been read whole by sequential scans to count as "scanned
 * sequentially": once is a batch job; ten times is a pattern.
 */
export const SEQ_SCAN_FULL_READS = 10;

/** Whether a large table is mostly read by sequential scans. */
export function isSequentiallyScanned(table: TableStats): boolean {
  return table.rows > 0 && table.seqScans > 0 && table.seqTuplesRead >= SEQ_SCAN_FULL_READS * table.rows;
}

/**
 * Index candidates: for each large, sequentially scanned table, the columns that the statements
 * reading it compare in WHERE or JOIN ... ON, when no index of the table starts with that column.
 * Only statements that are slow (mean at least `slowMs`) or frequent count.
 * Adding such an index makes the candidate disappear at the next run, even though the table's
 * cumulative sequential-scan counters stay.
 */
export function indexCandidates(tables: readonly TableStats[], statements: readonly StatementStats[], slowMs: number): IndexCandidate[] {
  const candidates: IndexCandidate[] = [];
  // A statement run once is not a pattern unless it was slow.
  const relevant = statements.filter((s) => s.meanMs >= slowMs || s.calls >= SEQ_SCAN_FULL_READS);
  for (const table of tables.filter(isSequentiallyScanned)) {
    const leading = new Set(table.indexes.map((i) => i.columns[0]).filter((c): c is string => c !== undefined));
    const byColumn = new Map<string, StatementStats[]>();
    for (const statement of relevant) {
      for (const column of filteredColumns(statement.query, table)) {
        if (leading.has(column)) continue;
        byColumn.set(column, [...(byColumn.get(column) ?? []), statement]);
      }
    }
    for (const [column, list] of byColumn) {
      const sorted = [...list].sort((a, b) => b.totalMs - a.totalMs);
      candidates.push({
        schema: table.schema,
        table: table.table,
        column,
        rows: table.rows,
        seqScans: table.seqScans,
        seqTuplesRead: table.seqTuplesRead,
        statements: sorted.slice(0, 5).map(({ queryid, query, calls, meanMs, totalMs }) => ({ queryid, query, calls, meanMs, totalMs })),
        suggestion: `CREATE INDEX CONCURRENTLY ON ${ident(table.schema)}.${ident(table.table)} (${ident(column)});`,
      });
    }
  }
  const weight = (c: IndexCandidate) => c.statements.reduce((sum, s) => sum + s.totalMs, 0);
  return candidates.sort((a, b) => weight(b) - weight(a));
}

const NAME = '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
/** Words that can follow a table name but are not its alias. */
const NOT_ALIAS = new Set([
  'where',
  'join',
  'inner',
  'left',
  'right',
  'full',
  'cross',
  'on',
  'using',
  'group',
  'order',
  'limit',
  'offset',
  'for',
  'set',
  'values',
  'returning',
  'union',
  'natural',
  'window',
  'having',
  'as',
  'lateral',
  'fetch',
  'default',
  'select',
]);
const CLAUSE_END = /\b(group\s+by|order\s+by|limit|offset|returning|having|union|window|for\s+update|for\s+share|set)\b/i;

/**
 * The columns of `table` that `query` compares with something in its WHERE and ON conditions.
 * A heuristic over the normalized text (no SQL parser in a Lambda): references are matched by
 * table name or alias, and an unqualified column counts when the table has such a column.
 */
export function filteredColumns(query: string, table: Pick<TableStats, 'schema' | 'table' | 'columns'>): string[] {
  const names = new Set<string>();
  const references = new RegExp(`\\b(?:from|join|update|into)\\s+(?:only\\s+)?(${NAME}(?:\\.${NAME})?)(?:\\s+(?:as\\s+)?(${NAME}))?`, 'gi');
  let reads = false;
  for (const m of query.matchAll(references)) {
    const parts = m[1].split('.').map(unquote);
    const [schema, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (name !== table.table || (schema !== undefined && schema !== table.schema)) continue;
    reads = true;
    names.add(name);
    if (schema) names.add(`${schema}.${name}`);
    const alias = m[2] && !NOT_ALIAS.has(m[2].toLowerCase()) ? unquote(m[2]) : undefined;
    if (alias) names.add(alias);
  }
  if (!reads) return [];
  const columns = new Set(table.columns);
  const found = new Set<string>();
  const operator = '(?:=|<>|!=|<=|>=|<|>|\\bin\\b|\\blike\\b|\\bilike\\b|\\bbetween\\b|\\bis\\b)';
  const reference = `(${NAME}(?:\\.${NAME}){0,2})`;
  // The left side of a comparison, and the right side (a join's other column).
  const left = new RegExp(`${reference}\\s*${operator}`, 'gi');
  const right = new RegExp(`(?:=|<>|!=|<=|>=|<|>)\\s*${reference}`, 'gi');
  for (const condition of conditions(query)) {
    for (const m of [...condition.matchAll(left), ...condition.matchAll(right)]) {
      const parts = m[1].split('.').map(unquote);
      const column = parts[parts.length - 1];
      const qualifier = parts.slice(0, -1).join('.');
      if (!columns.has(column)) continue;
      if (qualifier === '' || names.has(qualifier)) found.add(column);
    }
  }
  return [...found];
}

/** The text of each WHERE and JOIN ... ON condition, up to the clause that ends it. */
function conditions(query: string): string[] {
  const out: string[] = [];
  for (const m of query.matchAll(/\b(where|on)\b/gi)) {
    const rest = query.slice(m.index! + m[0].length);
    const end = rest.search(CLAUSE_END);
    const next = rest.search(/\b(where|join|on)\b/i);
    const stop = [end, next].filter((n) => n >= 0);
    out.push(stop.length ? rest.slice(0, Math.min(...stop)) : rest);
  }
  return out;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}

/** An identifier as SQL needs it: quoted unless it is a plain lower-case name. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
