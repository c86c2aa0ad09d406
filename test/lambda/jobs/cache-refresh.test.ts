import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod/mini';
import { cacheRefresh, cacheRefreshJob } from '../../../lambda/jobs/cache-refresh';
import { defineQuery, QUERIES } from '../../../lambda/jobs/queries';
import type { JobDependencies } from '../../../lambda/shared/job';
import { FakeCache } from '../helpers';

const queries = {
  'user.profile': defineQuery({
    sql: 'SELECT id, name FROM users WHERE id = $1',
    params: z.object({ id: z.number().check(z.int()) }),
    values: (p) => [p.id],
    key: (p) => `user:${p.id}:profile`,
    ttlSeconds: 300,
  }),
};

function setup() {
  const cache = new FakeCache();
  const query = jest.fn().mockResolvedValue({ rows: [{ id: 7, name: 'Ada' }], rowCount: 1 });
  const deps: JobDependencies = { cache: async () => cache.asClient(), query, logger: new Logger() };
  return { cache, query, deps, job: cacheRefreshJob(queries) };
}

describe('cache.refresh', () => {
  test('runs the named query with its parameters and caches the rows as JSON with its TTL', async () => {
    // GIVEN
    const { cache, query, deps, job } = setup();
    // WHEN
    const result = await job.run({ query: 'user.profile', params: { id: 7 } }, deps);
    // THEN
    expect(query).toHaveBeenCalledWith('SELECT id, name FROM users WHERE id = $1', [7]);
    expect(result).toEqual({ key: 'user:7:profile', rows: 1, ttlSeconds: 300 });
    expect(JSON.parse((await cache.get('user:7:profile'))!)).toEqual([{ id: 7, name: 'Ada' }]);
    expect(cache.ttl('user:7:profile')).toBe(300);
  });

  test('a message may shorten or lengthen the TTL within a day', async () => {
    const { cache, deps, job } = setup();
    await job.run({ query: 'user.profile', params: { id: 7 }, ttlSeconds: 60 }, deps);
    expect(cache.ttl('user:7:profile')).toBe(60);
    expect(job.payload.safeParse({ query: 'user.profile', ttlSeconds: 86_401 }).success).toBe(false);
    expect(job.payload.safeParse({ query: 'user.profile', ttlSeconds: 0 }).success).toBe(false);
  });

  test('SQL never comes from the message: extra fields are dropped and only the registry is run', async () => {
    const { query, deps, job } = setup();
    const payload = job.payload.parse({ query: 'user.profile', params: { id: 1 }, sql: 'DROP TABLE users' });
    await job.run(payload, deps);
    expect(payload).not.toHaveProperty('sql');
    expect(query).toHaveBeenCalledWith('SELECT id, name FROM users WHERE id = $1', [1]);
  });

  test('an unknown query is a bad message that names the known ones', async () => {
    const { deps, job } = setup();
    await expect(job.run({ query: 'toString', params: {} }, deps)).rejects.toThrow("unknown query 'toString'; known queries: user.profile");
  });

  test('parameters are checked against the query schema before anything runs', async () => {
    const { query, deps, job } = setup();
    await expect(job.run({ query: 'user.profile', params: { id: '1 OR 1=1' } }, deps)).rejects.toThrow(
      "invalid params for query 'user.profile': id: Invalid input: expected number, received string",
    );
    expect(query).not.toHaveBeenCalled();
  });

  test('the built-in table.rowEstimate query passes the table name as a value and accepts only table names', async () => {
    const estimate = QUERIES['table.rowEstimate'];
    expect(estimate.sql).toContain('to_regclass($1)');
    expect(estimate.values({ table: 'public.orders' })).toEqual(['public.orders']);
    expect(estimate.key({ table: 'public.orders' })).toBe('rowEstimate:public.orders');
    expect(estimate.params.safeParse({ table: 'orders; DROP TABLE orders' }).success).toBe(false);
    expect(cacheRefresh.type).toBe('cache.refresh');
  });
});
