import { BadMessageError, defineJob, type JobDefinition } from '../shared/job';
import * as z from 'zod/mini';
import { describeIssues } from '../shared/schema';
import { QUERIES, type NamedQuery } from './queries';

/** Longest TTL a message may ask for: a day, so a stale entry cannot outlive a bad refresh for long. */
const MAX_TTL_SECONDS = 24 * 60 * 60;

const Payload = z.object({
  /** A name in the worker's query registry. */
  query: z.string().check(z.minLength(1), z.maxLength(128)),
  /** The query's parameters, checked against its schema. */
  params: z.optional(z.record(z.string(), z.unknown())),
  /** Overrides the query's TTL. */
  ttlSeconds: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_TTL_SECONDS))),
});

/**
 * Builds a `cache.refresh` job over a query registry: runs the named, parameterized query against
 * PostgreSQL and stores its rows in the cache as JSON under the query's key with a TTL. Writing
 * the same result again is harmless, so a retry is too.
 */
export function cacheRefreshJob(queries: Readonly<Record<string, NamedQuery>>): JobDefinition<typeof Payload> {
  return defineJob({
    type: 'cache.refresh',
    payload: Payload,
    async run({ query: name, params = {}, ttlSeconds }, { query, cache }) {
      const named = Object.hasOwn(queries, name) ? queries[name] : undefined;
      if (!named) throw new BadMessageError(`unknown query '${name}'; known queries: ${Object.keys(queries).join(', ')}`);
      const parsed = named.params.safeParse(params);
      if (!parsed.success) {
        throw new BadMessageError(`invalid params for query '${name}': ${describeIssues(parsed.error)}`);
      }
      const result = await query(named.sql, named.values(parsed.data));
      const key = named.key(parsed.data);
      const ttl = ttlSeconds ?? named.ttlSeconds;
      await (await cache()).set(key, JSON.stringify(result.rows), { expiration: { type: 'EX', value: ttl } });
      return { key, rows: result.rowCount ?? result.rows.length, ttlSeconds: ttl };
    },
  });
}

export const cacheRefresh = cacheRefreshJob(QUERIES);
