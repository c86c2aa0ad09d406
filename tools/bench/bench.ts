// `npm run bench`: times, in one run, `cdk synth` of every profile and of a one-queue hello-world
// app (the floor set by Node, the CDK CLI and aws-cdk-lib), and the unit-test suite. Runs are
// interleaved so the machine's noise spreads over all targets; compare the ratios, not the seconds.
//
//   npm run bench -- [--runs N] [--test-runs N] [--json]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROFILE_NAMES } from '../../lib/core/profiles';

interface Target {
  readonly name: string;
  readonly command: string[];
}

const root = path.join(__dirname, '..', '..');
const outRoot = path.join(root, '.bench');

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function parseArgs(argv: string[]): { runs: number; testRuns: number; json: boolean } {
  const options = { runs: 3, testRuns: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--runs' || arg === '--test-runs') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1 || value > 50) throw new Error(`${arg} needs a whole number from 1 to 50, got '${argv[i] ?? ''}'`);
      options[arg === '--runs' ? 'runs' : 'testRuns'] = value;
    } else throw new Error(`unknown option '${arg}'; use --runs N, --test-runs N, --json`);
  }
  return options;
}

function time(target: Target): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(target.command[0], target.command.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${target.name} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  }
  return seconds;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const cdk = [process.execPath, path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk')];
  const synth = (name: string, extra: string[]): Target => ({
    name, command: [...cdk, 'synth', '--quiet', '-o', path.join(outRoot, name), ...extra],
  });
  const floor = synth('hello-world (floor)', ['--app', 'npx tsx tools/bench/hello-app.ts']);
  const synths = [floor, ...PROFILE_NAMES.map((p) => synth(`synth ${p}`, ['-c', `profile=${p}`]))];
  const tests: Target = { name: 'npm test', command: [process.execPath, path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--silent'] };

  fs.mkdirSync(outRoot, { recursive: true });
  const samples = new Map<string, number[]>();
  const record = (t: Target) => {
    const s = time(t);
    samples.set(t.name, [...(samples.get(t.name) ?? []), s]);
    if (!options.json) process.stderr.write(`  ${t.name}: ${s.toFixed(2)} s\n`);
  };
  for (let run = 0; run < options.runs; run++) synths.forEach(record);
  for (let run = 0; run < options.testRuns; run++) record(tests);

  const floorMedian = median(samples.get(floor.name)!);
  const rows = [...synths, tests].map((t) => {
    const s = samples.get(t.name)!;
    return { target: t.name, runs: s.length, medianSeconds: median(s), minSeconds: Math.min(...s), maxSeconds: Math.max(...s), ratioToFloor: median(s) / floorMedian };
  });
  if (options.json) {
    console.log(JSON.stringify({ cpus: os.cpus().length, node: process.version, rows }, null, 2));
    return;
  }
  console.log(`\n${'target'.padEnd(22)} ${'runs'.padStart(4)} ${'median s'.padStart(9)} ${'min s'.padStart(7)} ${'max s'.padStart(7)} ${'x floor'.padStart(8)}`);
  for (const r of rows) {
    console.log(`${r.target.padEnd(22)} ${String(r.runs).padStart(4)} ${r.medianSeconds.toFixed(2).padStart(9)} ${r.minSeconds.toFixed(2).padStart(7)} ${r.maxSeconds.toFixed(2).padStart(7)} ${r.ratioToFloor.toFixed(2).padStart(8)}`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    process.exit(1);
  }
}
