import { Logger } from '@aws-lambda-powertools/logger';
import { cacheInvalidate, escapeGlob, unlinkPrefix } from '../../../lambda/jobs/cache-invalidate';
import type { JobDependencies } from '../../../lambda/shared/job';
import { FakeCache } from '../helpers';

function deps(cache: FakeCache): JobDependencies {
  return { cache: async () => cache.asClient(), query: jest.fn(), logger: new Logger() };
}

async function seed(cache: FakeCache, keys: string[]): Promise<void> {
  for (const key of keys) await cache.set(key, '1');
}

describe('cache.invalidate', () => {
  test('deletes the listed keys and every key under the listed prefixes, nothing else', async () => {
    // GIVEN
    const cache = new FakeCache();
    await seed(cache, ['user:1', 'user:2', 'page:/a', 'page:/b', 'pages', 'other']);
    // WHEN
    const result = await cacheInvalidate.run({ keys: ['user:1', 'missing'], prefixes: ['page:'] }, deps(cache));
    // THEN
    expect(result).toEqual({ deleted: 3 });
    expect([...cache.entries.keys()].sort()).toEqual(['other', 'pages', 'user:2']);
  });

  test('walks prefixes with SCAN and deletes with UNLINK: never KEYS, never DEL', async () => {
    const cache = new FakeCache();
    await seed(
      cache,
      Array.from({ length: 2_500 }, (_, i) => `feed:${i}`),
    );
    cache.commands.length = 0;

    const deleted = await unlinkPrefix(cache.asClient(), 'feed:', 1_000);

    expect(deleted).toBe(2_500);
    expect(cache.entries.size).toBe(0);
    expect(new Set(cache.commands)).toEqual(new Set(['SCAN', 'UNLINK']));
    // One UNLINK per SCAN step that found keys: 3 round trips of 1,000 keys, not 2,500.
    expect(cache.commands.filter((c) => c === 'UNLINK')).toHaveLength(3);
  });

  test('a prefix is literal: glob characters in it match only themselves', async () => {
    const cache = new FakeCache();
    await seed(cache, ['a*1', 'a*2', 'ab', 'a?', 'a[x]1', 'ax1']);

    await unlinkPrefix(cache.asClient(), 'a*');
    await unlinkPrefix(cache.asClient(), 'a[x]');

    expect([...cache.entries.keys()].sort()).toEqual(['a?', 'ab', 'ax1']);
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
  });

  test('running it again deletes nothing more and does not fail (safe to retry)', async () => {
    const cache = new FakeCache();
    await seed(cache, ['k:1']);
    await cacheInvalidate.run({ prefixes: ['k:'] }, deps(cache));
    await expect(cacheInvalidate.run({ prefixes: ['k:'] }, deps(cache))).resolves.toEqual({ deleted: 0 });
  });

  test.each([
    [{}, '(root): list at least one key or prefix'],
    [{ keys: [], prefixes: [] }, '(root): list at least one key or prefix'],
    [{ prefixes: [''] }, 'prefixes.0: Too small: expected string to have >=1 characters'],
    [{ keys: ['a'.repeat(1025)] }, 'keys.0: Too big: expected string to have <=1024 characters'],
    [{ keys: 'user:1' }, 'keys: Invalid input: expected array, received string'],
  ])('rejects the payload %j', (payload, issue) => {
    const result = cacheInvalidate.payload.safeParse(payload);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)).toEqual([issue]);
  });
});
