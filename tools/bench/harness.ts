// What the three benches share (`npm run bench`, `bench:worker`, `bench:insights`): interleaved
// timing, medians and spreads, aligned tables, and measuring a Lambda worker the way its construct
// bundles it (bundle size by package from esbuild's metafile, cold start in fresh Node processes).
//
// The machines here are shared and noisy. Every bench runs its targets interleaved, round after
// round, so a burst of load spreads over all of them, and reports ratios beside the seconds.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';

export const ROOT = path.join(__dirname, '..', '..');

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median and the spread of one target's measurements. */
export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function sample(values: number[]): Sample {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** `median (min-max)`, the way every bench prints a sample. */
export function range(s: Sample, digits = 1): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

/** What the figures were measured on; the load average says how much to trust them. */
export function machine(): { cpus: number; node: string; load: number } {
  return { cpus: os.cpus().length, node: process.version, load: os.loadavg()[0] };
}

/**
 * Measures every target once per round, in order, for `rounds` rounds, and returns each target's
 * measurements. Interleaving (instead of all runs of one target, then the next) is what makes the
 * ratios between targets trustworthy on a machine whose load drifts.
 */
export function interleave<T extends string>(names: readonly T[], rounds: number, measure: (name: T, round: number) => number): Record<T, number[]> {
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<T, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) samples[name].push(measure(name, round));
  }
  return samples;
}

/** Runs a command to completion and returns its wall-clock seconds; a failed command is an error. */
export function timeCommand(name: string, command: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${name} failed (exit ${result.status ?? result.signal}):\n${result.stderr || result.stdout}`);
  }
  return seconds;
}

/** A plain-text table: the first column left-aligned, the others right-aligned (they hold numbers). */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export interface Metafile {
  readonly outputs: Record<
    string,
    { readonly bytes: number; readonly entryPoint?: string; readonly inputs: Record<string, { readonly bytesInOutput: number }> }
  >;
}

/** Bytes of the bundle by npm package (or by source folder for the project's own code), largest first. */
export function bundleBreakdown(metafile: Metafile): { total: number; byPackage: Array<{ name: string; bytes: number }> } {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error('the metafile has no entry-point output');
  const byPackage = new Map<string, number>();
  for (const [file, input] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const name = pkg ? pkg[1] : file.split('/').slice(0, 2).join('/');
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  return {
    total: output.bytes,
    byPackage: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}

/** The bundling options a bench adds to a worker's construct: a metafile, and the AWS SDK in or out. */
export interface BenchBundling {
  readonly metafile: boolean;
  readonly bundleAwsSDK: boolean;
}

/** Builds one worker construct in `stack` with the given bundling options. */
export type BuildWorker = (stack: Stack, bundling: BenchBundling) => unknown;

/**
 * Synthesizes `build` alone in an app with cdk.json's feature flags, so the worker is bundled
 * exactly as its construct bundles it (plus a metafile); returns the asset directory.
 */
export function bundleWorker(build: BuildWorker, outdir: string, bundleAwsSDK: boolean): string {
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
  const app = new App({ outdir, context, builtinCloudFormationValidation: false });
  build(new Stack(app, 'Bench'), { metafile: true, bundleAwsSDK });
  const assembly = app.synth();
  const dir = fs.readdirSync(assembly.directory).find((d) => d.startsWith('asset.') && fs.existsSync(path.join(assembly.directory, d, 'index.js')));
  if (!dir) throw new Error('bundling produced no index.js');
  return path.join(assembly.directory, dir);
}

/** Milliseconds to require `module` in a fresh Node process (the process's own start-up excluded). */
export function loadTime(module: string, nodeOptions: string[] = []): number {
  const script = `const t=performance.now();require(${JSON.stringify(module)});process.stdout.write(String(performance.now()-t))`;
  const result = spawnSync(process.execPath, [...nodeOptions, '--no-warnings', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_REGION: 'us-east-1' },
  });
  if (result.status !== 0) throw new Error(`loading ${module} failed:\n${result.stderr}`);
  return Number(result.stdout);
}

/** A worker's bundle and cold start, as `bench:worker` and `bench:insights` report them. */
export interface WorkerFigures {
  readonly bundle: { bytes: number; sourceMapBytes: number; byPackage: Array<{ name: string; bytes: number }>; withAwsSdkBundledBytes: number };
  readonly coldStartMs: Record<'deployed' | 'withoutSourceMaps' | 'sdkBundled' | 'sdkFromRuntime', Sample>;
}

/**
 * Bundles the worker twice (the AWS SDK left to the Lambda runtime, as deployed, and bundled),
 * reads both metafiles, then loads each bundle in `runs` fresh Node processes per variant,
 * interleaved: as deployed (--enable-source-maps), without source maps, with the SDK bundled, and
 * the SDK client the worker loads on first use (which the Lambda runtime provides).
 */
export function measureWorker(
  build: BuildWorker,
  sdkClient: string,
  options: { runs: number; work: string; log: (line: string) => void; name: string },
): WorkerFigures {
  options.log(`bundling ${options.name} as its construct does (local esbuild) ...`);
  const asset = bundleWorker(build, path.join(options.work, options.name, 'external-sdk'), false);
  const assetWithSdk = bundleWorker(build, path.join(options.work, options.name, 'bundled-sdk'), true);
  const meta = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'index.meta.json'), 'utf8')) as Metafile;
  const size = bundleBreakdown(meta(asset));
  const sizeWithSdk = bundleBreakdown(meta(assetWithSdk));

  options.log(`cold start of ${options.name}: ${options.runs} fresh Node processes per variant, interleaved ...`);
  const variants = {
    deployed: () => loadTime(path.join(asset, 'index.js'), ['--enable-source-maps']),
    withoutSourceMaps: () => loadTime(path.join(asset, 'index.js')),
    sdkBundled: () => loadTime(path.join(assetWithSdk, 'index.js'), ['--enable-source-maps']),
    sdkFromRuntime: () => loadTime(sdkClient),
  };
  const names = Object.keys(variants) as Array<keyof typeof variants>;
  const times = interleave(names, options.runs, (name) => variants[name]());
  return {
    bundle: {
      bytes: size.total,
      sourceMapBytes: fs.statSync(path.join(asset, 'index.js.map')).size,
      byPackage: size.byPackage,
      withAwsSdkBundledBytes: sizeWithSdk.total,
    },
    coldStartMs: Object.fromEntries(names.map((n) => [n, sample(times[n])])) as WorkerFigures['coldStartMs'],
  };
}

/** The top packages of a bundle, one line each: name, size, share. */
export function packageLines(figures: WorkerFigures, count: number, indent: string): string[] {
  return figures.bundle.byPackage
    .slice(0, count)
    .map(
      ({ name, bytes }) => `${indent}${name.padEnd(40)} ${kb(bytes).padStart(8)}  ${((100 * bytes) / figures.bundle.bytes).toFixed(0).padStart(3)} %`,
    );
}
