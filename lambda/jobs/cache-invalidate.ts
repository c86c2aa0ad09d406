import * as z from 'zod/mini';
import '../shared/schema';
import type { CacheClient } from '../shared/cache';
import { defineJob } from '../shared/job';

/** Keys per SCAN step and per UNLINK: big enough to amortize round trips, small enough not to block the server. */
export const SCAN_COUNT = 1_000;
/** UNLINK commands in flight at once while scanning continues. */
const MAX_IN_FLIGHT = 4;

const key = z.string().check(z.minLength(1), z.maxLength(1024));
// A prefix must name something: an empty one would match every key in the cache.
const prefix = z.string().check(z.minLength(1), z.maxLength(1024));

const Payload = z
  .object({
    keys: z.optional(z.array(key).check(z.maxLength(1000))),
    prefixes: z.optional(z.array(prefix).check(z.maxLength(100))),
  })
  .check(z.refine((p) => (p.keys?.length ?? 0) + (p.prefixes?.length ?? 0) > 0, 'list at least one key or prefix'));

/**
 * `cache.invalidate`: deletes the listed keys and every key under the listed prefixes. Prefixes are
 * walked with SCAN (never KEYS, which blocks the server for the whole keyspace) and deleted with
 * UNLINK (freed in the background) in pipelined batches. Deleting what is already gone is a no-op,
 * so a retry is harmless.
 */
export const cacheInvalidate = defineJob({
  type: 'cache.invalidate',
  payload: Payload,
  async run({ keys = [], prefixes = [] }, { cache }) {
    const client = await cache();
    let deleted = keys.length > 0 ? await client.unlink(keys) : 0;
    for (const p of prefixes) deleted += await unlinkPrefix(client, p);
    return { deleted };
  },
});

/**
 * Deletes every key that starts with `prefix`: SCAN steps of SCAN_COUNT keys, each step's keys
 * deleted by one UNLINK sent while the next SCAN runs (node-redis pipelines commands that are not
 * awaited). Returns how many keys were deleted.
 */
export async function unlinkPrefix(client: CacheClient, prefix: string, count = SCAN_COUNT): Promise<number> {
  const match = `${escapeGlob(prefix)}*`;
  const inFlight: Promise<number>[] = [];
  let deleted = 0;
  let cursor = '0';
  do {
    const reply = await client.scan(cursor, { MATCH: match, COUNT: count });
    cursor = String(reply.cursor);
    if (reply.keys.length > 0) inFlight.push(client.unlink(reply.keys));
    if (inFlight.length >= MAX_IN_FLIGHT) deleted += await inFlight.shift()!;
  } while (cursor !== '0');
  for (const n of await Promise.all(inFlight)) deleted += n;
  return deleted;
}

/** Escapes the glob characters of a Redis MATCH pattern, so a prefix is matched literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
