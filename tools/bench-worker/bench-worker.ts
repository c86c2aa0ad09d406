// `npm run bench:worker`: the jobs worker's performance figures, in one run.
//
//   1. Invalidation throughput: 10,000 keys under a prefix (among as many other keys) deleted by
//      the worker's SCAN + pipelined UNLINK, against a one-round-trip-per-key baseline (the same
//      SCAN, one awaited DEL per key), on a redis-server of its own, interleaved.
//   2. Cold start: time to load the bundled handler module in a fresh Node process, as deployed
//      (with NODE_OPTIONS=--enable-source-maps) and without it; plus what the lazily loaded AWS SDK
//      client costs on the first secret fetch, and what bundling the SDK would cost.
//   3. Bundle size: from esbuild's metafile of the bundle the construct builds, by package.
//
// The machine may be shared: compare the ratios, and rerun when the spread (min-max) is wide.
//
//   npm run bench:worker -- [--runs N] [--keys N] [--json]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClient } from '@redis/client';
import { unlinkPrefix } from '../../lambda/jobs/cache-invalidate';
import type { CacheClient } from '../../lambda/shared/cache';
import { QueueWorker } from '../../lib';
import { kb, machine, measureWorker, packageLines, range, sample, type Sample } from '../bench/harness';
import { LocalRedis } from './local-redis';

export interface Options {
  readonly runs: number;
  readonly keys: number;
  readonly json: boolean;
}

export function parseArgs(argv: string[]): Options {
  const options = { runs: 15, keys: 10_000, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--runs' || arg === '--keys') {
      const value = Number(argv[++i]);
      const [min, max] = arg === '--runs' ? [3, 100] : [100, 1_000_000];
      if (!Number.isInteger(value) || value < min || value > max)
        throw new Error(`${arg} needs a whole number from ${min} to ${max}, got '${argv[i] ?? ''}'`);
      options[arg === '--runs' ? 'runs' : 'keys'] = value;
    } else throw new Error(`unknown option '${arg}'; use --runs N, --keys N, --json`);
  }
  return options;
}

async function fill(client: CacheClient, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, count - i) }, (_, j) => client.set(`${prefix}${i + j}`, 'cached value')));
  }
}

/** The baseline: the same SCAN walk, one awaited DEL (one round trip) per key. */
async function deleteOneByOne(client: CacheClient, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const reply = await client.scan(cursor, { MATCH: `${prefix}*`, COUNT: 1000 });
    cursor = String(reply.cursor);
    for (const key of reply.keys) deleted += await client.del(key);
  } while (cursor !== '0');
  return deleted;
}

async function invalidation(options: Options): Promise<{ pipelined: Sample; baseline: Sample; keys: number }> {
  const redis = await LocalRedis.start();
  const client = createClient({ socket: { host: '127.0.0.1', port: redis.port } }) as unknown as CacheClient;
  await client.connect();
  try {
    // Other keys in the cache: SCAN has to walk past them, as in a real keyspace.
    await fill(client, 'other:', options.keys);
    const pipelined: number[] = [];
    const baseline: number[] = [];
    const rounds = Math.max(3, Math.round(options.runs / 3));
    for (let round = 0; round < rounds; round++) {
      for (const [name, run, into] of [
        ['pipelined', unlinkPrefix, pipelined],
        ['baseline', deleteOneByOne, baseline],
      ] as const) {
        await fill(client, 'page:', options.keys);
        const start = process.hrtime.bigint();
        const deleted = await run(client, 'page:');
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (deleted !== options.keys) throw new Error(`${name} deleted ${deleted} keys, expected ${options.keys}`);
        into.push(options.keys / seconds);
      }
    }
    return { pipelined: sample(pipelined), baseline: sample(baseline), keys: options.keys };
  } finally {
    client.destroy();
    await redis.kill();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => !options.json && process.stderr.write(`${line}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-worker-'));
  try {
    const jobs = measureWorker(
      (stack, bundling) => new QueueWorker(stack, 'Worker', { entry: QueueWorker.jobsEntry(), bundling }),
      '@aws-sdk/client-secrets-manager',
      { runs: options.runs, work, log, name: 'the jobs worker' },
    );

    log(`invalidation: ${options.keys} keys under a prefix, pipelined vs one round trip per key ...`);
    const inv = await invalidation(options);

    const coldStart = jobs.coldStartMs;
    const result = {
      machine: machine(),
      invalidation: {
        keys: inv.keys,
        pipelinedKeysPerSecond: inv.pipelined,
        baselineKeysPerSecond: inv.baseline,
        ratio: inv.pipelined.median / inv.baseline.median,
      },
      coldStartMs: coldStart,
      bundle: jobs.bundle,
      targets: {
        invalidationRatioAtLeast10: inv.pipelined.median / inv.baseline.median >= 10,
        coldStartAtMost150Ms: coldStart.deployed.median <= 150,
        bundleAtMost250KB: jobs.bundle.bytes <= 250 * 1024,
      },
    };
    if (options.json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(`\nmachine: ${result.machine.cpus} CPUs, Node ${result.machine.node}, load ${result.machine.load.toFixed(2)}`);
    console.log(`\ninvalidation of ${inv.keys} keys under a prefix (keys/s, median (min-max)):`);
    console.log(`  SCAN + pipelined UNLINK      ${range(inv.pipelined, 0)}`);
    console.log(`  one round trip per key       ${range(inv.baseline, 0)}`);
    console.log(`  ratio                        ${result.invalidation.ratio.toFixed(1)}x   (target >= 10x)`);
    console.log('\ncold start: load the bundled handler in a fresh Node process (ms, median (min-max)):');
    console.log(`  as deployed (--enable-source-maps)  ${range(coldStart.deployed)}   (target <= 150 ms)`);
    console.log(`  without --enable-source-maps        ${range(coldStart.withoutSourceMaps)}`);
    console.log(`  with the AWS SDK bundled            ${range(coldStart.sdkBundled)}`);
    console.log(`  first secret fetch: SDK client from node_modules (runtime-provided in Lambda)  ${range(coldStart.sdkFromRuntime)}`);
    console.log(
      `\nbundle (esbuild metafile): ${kb(jobs.bundle.bytes)} minified (target <= 250 KB), source map ${kb(jobs.bundle.sourceMapBytes)}; with the AWS SDK bundled: ${kb(jobs.bundle.withAwsSdkBundledBytes)}`,
    );
    for (const line of packageLines(jobs, 10, '  ')) console.log(line);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench:worker: ${(error as Error).message}`);
    process.exit(1);
  });
}
