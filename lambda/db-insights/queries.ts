// The statistics queries of the database insights worker. Each carries MARKER so the worker can
// leave its own statements out of pg_stat_statements' ranking.

/** A comment in every statement the worker runs. */
export const MARKER = 'cdk-scaling-stack:db-insights';

const sql = (text: string) => `/* ${MARKER} */ ${text.replace(/\s+/g, ' ').trim()}`;

/** Statements of this database by total or mean execution time ($1: limit). PostgreSQL 13+ column names. */
export const topStatements = (orderBy: 'total_exec_time' | 'mean_exec_time') =>
  sql(`
  SELECT s.queryid::text AS queryid, s.query, s.calls::float8 AS calls, s.rows::float8 AS rows,
         s.total_exec_time AS total_ms, s.mean_exec_time AS mean_ms,
         s.shared_blks_hit::float8 AS shared_blks_hit, s.shared_blks_read::float8 AS shared_blks_read
  FROM pg_stat_statements s
  JOIN pg_database d ON d.oid = s.dbid
  WHERE d.datname = current_database() AND s.query NOT LIKE '%${MARKER}%'
  ORDER BY s.${orderBy} DESC
  LIMIT $1`);

/** Statements of this database whose mean execution time is at least $1 ms. */
export const SLOW_STATEMENT_COUNT = sql(`
  SELECT count(*)::int AS count
  FROM pg_stat_statements s
  JOIN pg_database d ON d.oid = s.dbid
  WHERE d.datname = current_database() AND s.query NOT LIKE '%${MARKER}%' AND s.mean_exec_time >= $1`);

/** Tables with at least $1 live rows, most rows read by sequential scans first. */
export const LARGE_TABLES = sql(`
  SELECT relid::int8::text AS relid, schemaname AS schema, relname AS table,
         coalesce(seq_scan, 0)::float8 AS seq_scan, coalesce(seq_tup_read, 0)::float8 AS seq_tup_read,
         coalesce(idx_scan, 0)::float8 AS idx_scan, n_live_tup::float8 AS rows,
         pg_total_relation_size(relid)::float8 AS bytes
  FROM pg_stat_user_tables
  WHERE n_live_tup >= $1
  ORDER BY seq_tup_read DESC NULLS LAST
  LIMIT 50`);

/** The columns of the tables with the given relids ($1: text[]), and each index's columns in order. */
export const TABLE_COLUMNS = sql(`
  SELECT c.oid::int8::text AS relid, a.attname AS column
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  WHERE c.oid = ANY($1::int8[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped`);

export const TABLE_INDEXES = sql(`
  SELECT t.oid::int8::text AS relid, i.relname AS index,
         array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
  FROM pg_index ix
  JOIN pg_class i ON i.oid = ix.indexrelid
  JOIN pg_class t ON t.oid = ix.indrelid
  WHERE t.oid = ANY($1::int8[]::oid[]) AND ix.indisvalid`);

/** Indexes never scanned, at least $1 bytes, that enforce nothing (not unique, not a primary key). */
export const UNUSED_INDEXES = sql(`
  SELECT s.schemaname AS schema, s.relname AS table, s.indexrelname AS index,
         pg_relation_size(s.indexrelid)::float8 AS bytes
  FROM pg_stat_user_indexes s
  JOIN pg_index i ON i.indexrelid = s.indexrelid
  WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary AND i.indisvalid
    AND pg_relation_size(s.indexrelid) >= $1
  ORDER BY bytes DESC
  LIMIT 20`);

/** Block reads of this database served from shared buffers, and from outside them. */
export const BUFFER_CACHE = sql(`
  SELECT blks_hit::float8 AS hit, blks_read::float8 AS read
  FROM pg_stat_database WHERE datname = current_database()`);

/** Client sessions other than this one, with the age of their transaction, query and state. */
export const SESSIONS = sql(`
  SELECT pid, usename AS user, application_name AS application, state,
         extract(epoch FROM now() - xact_start)::float8 AS transaction_seconds,
         extract(epoch FROM now() - query_start)::float8 AS query_seconds,
         extract(epoch FROM now() - state_change)::float8 AS state_seconds,
         query_id::text AS queryid, query, wait_event_type
  FROM pg_stat_activity
  WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`);

/** Client connections against max_connections. */
export const CONNECTIONS = sql(`
  SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS used,
         current_setting('max_connections')::int AS max,
         current_setting('superuser_reserved_connections')::int AS reserved,
         current_database() AS database, current_user AS user`);
