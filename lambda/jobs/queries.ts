import * as z from 'zod/mini';
import '../shared/schema';

/**
 * A query `cache.refresh` may run: fixed SQL with numbered placeholders, the schema of its
 * parameters, how they become the placeholder values, and the cache key and TTL of its result.
 * Messages name a query and pass parameters; SQL never comes from a message.
 */
export interface NamedQuery<Params extends z.ZodMiniType = z.ZodMiniType> {
  readonly sql: string;
  readonly params: Params;
  values(params: z.output<Params>): readonly unknown[];
  key(params: z.output<Params>): string;
  /** How long the cached result lives. */
  readonly ttlSeconds: number;
}

export function defineQuery<Params extends z.ZodMiniType>(query: NamedQuery<Params>): NamedQuery<Params> {
  return query;
}

// A PostgreSQL table name, optionally schema-qualified, passed as a value (never spliced into SQL).
const tableName = z.string().check(z.regex(/^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/));

/**
 * The queries of the jobs worker, by name. Add yours here (your tables are your app's):
 *
 *   'user.profile': defineQuery({
 *     sql: 'SELECT id, name FROM users WHERE id = $1',
 *     params: z.object({ id: z.number().check(z.int()) }),
 *     values: (p) => [p.id],
 *     key: (p) => `user:${p.id}:profile`,
 *     ttlSeconds: 300,
 *   }),
 */
export const QUERIES: Readonly<Record<string, NamedQuery>> = {
  /**
   * The planner's row estimate of a table: what a paginated list shows as "about N results" without
   * a `count(*)` that reads the whole table on every page view.
   */
  'table.rowEstimate': defineQuery({
    sql: "SELECT c.reltuples::bigint AS estimate FROM pg_class c WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p')",
    params: z.object({ table: tableName }),
    values: (p) => [p.table],
    key: (p) => `rowEstimate:${p.table}`,
    ttlSeconds: 300,
  }),
};
