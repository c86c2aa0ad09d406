// `npm run bench:insights`: bundle size and cold start of the two insight workers (the
// right-sizing advisor and the database insights worker), measured as `npm run bench:worker`
// measures the jobs worker and with its helpers:
//
//   1. Bundle size: from esbuild's metafile of the bundle each construct builds, by package.
//   2. Cold start: time to load the bundled handler in a fresh Node process, as deployed (with
//      NODE_OPTIONS=--enable-source-maps) and without it; what the lazily loaded AWS SDK client
//      costs at its first use (the Lambda runtime provides it); and what bundling the SDK would add.
//
// The machine may be shared: compare the ratios, and rerun when the spread (min-max) is wide.
//
//   npm run bench:insights -- [--runs N] [--json]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DatabaseInsights, RightsizingAdvisor } from '../../lib';
import { bundleBreakdown, loadTime, sample, type Metafile, type Sample } from '../bench-worker/bench-worker';

const root = path.join(__dirname, '..', '..');

export interface Options {
  readonly runs: number;
  readonly json: boolean;
}

export function parseArgs(argv: string[]): Options {
  const options = { runs: 15, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--runs') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 3 || value > 100) throw new Error(`--runs needs a whole number from 3 to 100, got '${argv[i] ?? ''}'`);
      options.runs = value;
    } else throw new Error(`unknown option '${arg}'; use --runs N, --json`);
  }
  return options;
}

/** The workers, each with the construct that bundles it and the SDK client it loads on first use. */
export const WORKERS = {
  rightsizing: {
    sdkClient: '@aws-sdk/client-cloudwatch',
    build: (stack: Stack, bundling: { metafile: boolean; bundleAwsSDK: boolean }) => new RightsizingAdvisor(stack, 'Worker', { bundling }),
  },
  'db-insights': {
    sdkClient: '@aws-sdk/client-secrets-manager',
    build: (stack: Stack, bundling: { metafile: boolean; bundleAwsSDK: boolean }) => {
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-1'] });
      const instance = rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Db', { instanceIdentifier: 'db', instanceEndpointAddress: 'db.example', port: 5432, securityGroups: [] });
      return new DatabaseInsights(stack, 'Worker', { vpc, instance, bundling });
    },
  },
} as const;
export type WorkerName = keyof typeof WORKERS;

/** Bundles a worker exactly as its construct does (plus a metafile); returns the asset directory. */
function bundle(worker: WorkerName, outdir: string, bundleAwsSDK: boolean): string {
  const context = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).context;
  const app = new App({ outdir, context, builtinCloudFormationValidation: false });
  WORKERS[worker].build(new Stack(app, 'Bench'), { metafile: true, bundleAwsSDK });
  const assembly = app.synth();
  const dir = fs.readdirSync(assembly.directory).find((d) => d.startsWith('asset.') && fs.existsSync(path.join(assembly.directory, d, 'index.js')));
  if (!dir) throw new Error(`bundling ${worker} produced no index.js`);
  return path.join(assembly.directory, dir);
}

interface WorkerResult {
  readonly bundle: { bytes: number; sourceMapBytes: number; byPackage: Array<{ name: string; bytes: number }>; withAwsSdkBundledBytes: number };
  readonly coldStartMs: Record<'deployed' | 'withoutSourceMaps' | 'sdkBundled' | 'sdkFromRuntime', Sample>;
}

async function measure(worker: WorkerName, options: Options, work: string, log: (line: string) => void): Promise<WorkerResult> {
  log(`bundling ${worker} as its construct does (local esbuild) ...`);
  const asset = bundle(worker, path.join(work, worker, 'external-sdk'), false);
  const assetWithSdk = bundle(worker, path.join(work, worker, 'bundled-sdk'), true);
  const meta = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'index.meta.json'), 'utf8')) as Metafile;
  const size = bundleBreakdown(meta(asset));
  const sizeWithSdk = bundleBreakdown(meta(assetWithSdk));
  log(`cold start of ${worker}: ${options.runs} fresh Node processes per variant, interleaved ...`);
  const variants = {
    deployed: () => loadTime(path.join(asset, 'index.js'), ['--enable-source-maps']),
    withoutSourceMaps: () => loadTime(path.join(asset, 'index.js')),
    sdkBundled: () => loadTime(path.join(assetWithSdk, 'index.js'), ['--enable-source-maps']),
    sdkFromRuntime: () => loadTime(WORKERS[worker].sdkClient),
  };
  const times: Record<keyof typeof variants, number[]> = { deployed: [], withoutSourceMaps: [], sdkBundled: [], sdkFromRuntime: [] };
  for (let run = 0; run < options.runs; run++) {
    for (const [name, fn] of Object.entries(variants) as Array<[keyof typeof variants, () => number]>) times[name].push(fn());
  }
  return {
    bundle: { bytes: size.total, sourceMapBytes: fs.statSync(path.join(asset, 'index.js.map')).size, byPackage: size.byPackage, withAwsSdkBundledBytes: sizeWithSdk.total },
    coldStartMs: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, sample(v)])) as WorkerResult['coldStartMs'],
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => !options.json && process.stderr.write(`${line}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-insights-'));
  try {
    const results: Record<string, WorkerResult> = {};
    for (const worker of Object.keys(WORKERS) as WorkerName[]) results[worker] = await measure(worker, options, work, log);
    const result = { machine: { cpus: os.cpus().length, node: process.version, load: os.loadavg()[0] }, workers: results };
    if (options.json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
    const range = (s: Sample) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}-${s.max.toFixed(1)})`;
    console.log(`\nmachine: ${result.machine.cpus} CPUs, Node ${result.machine.node}, load ${result.machine.load.toFixed(2)}`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`\n${name}`);
      console.log(`  cold start (ms, median (min-max)): as deployed (--enable-source-maps) ${range(r.coldStartMs.deployed)}; without ${range(r.coldStartMs.withoutSourceMaps)}; with the AWS SDK bundled ${range(r.coldStartMs.sdkBundled)}`);
      console.log(`  first use of ${WORKERS[name as WorkerName].sdkClient} (runtime-provided in Lambda): ${range(r.coldStartMs.sdkFromRuntime)}`);
      console.log(`  bundle (esbuild metafile): ${kb(r.bundle.bytes)} minified, source map ${kb(r.bundle.sourceMapBytes)}; with the AWS SDK bundled: ${kb(r.bundle.withAwsSdkBundledBytes)}`);
      for (const { name: pkg, bytes } of r.bundle.byPackage.slice(0, 8)) console.log(`    ${pkg.padEnd(40)} ${kb(bytes).padStart(8)}  ${((100 * bytes) / r.bundle.bytes).toFixed(0).padStart(3)} %`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench:insights: ${(error as Error).message}`);
    process.exit(1);
  });
}
