// `npm run bench`: times, in one run, `cdk synth` of a one-queue hello-world app (the floor set by
// Node, the CDK CLI and aws-cdk-lib with its defaults, built-in validator included; and the same
// app without the validator, for reference) and of every profile twice: as `npx cdk synth -c profile=<p>` runs for a user, and with the gates CI adds
// (`npm run synth:all`); then the unit-test suite. Runs are interleaved so the machine's noise
// spreads over all targets; compare the ratios, not the seconds.
//
// Each synth also reports where its time went, from the counters aws-cdk-lib writes to
// performance-counters.json (phase:Load, phase:Construction, phase:Synthesis, bundling and the
// validation plugins) and the wall clock around the CLI.
//
//   npm run bench -- [--runs N] [--test-runs N] [--json]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROFILE_NAMES } from '../../lib/core/profiles';
import { interleave, machine, median, ROOT, table, timeCommand } from './harness';

/** The context `npm run synth:all` adds to every profile's synth in CI (tools/synth-all.sh). */
export const CI_GATES = ['-c', 'validate=true'] as const;

/** The ratio to the floor the issue asks of every profile's default synth. */
export const TARGET_RATIO = 1.5;

const OUT_ROOT = path.join(ROOT, '.bench');

export function parseArgs(argv: string[]): { runs: number; testRuns: number; json: boolean } {
  const options = { runs: 3, testRuns: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--runs' || arg === '--test-runs') {
      const value = Number(argv[++i]);
      const min = arg === '--runs' ? 1 : 0;
      if (!Number.isInteger(value) || value < min || value > 50)
        throw new Error(`${arg} needs a whole number from ${min} to 50, got '${argv[i] ?? ''}'`);
      options[arg === '--runs' ? 'runs' : 'testRuns'] = value;
    } else throw new Error(`unknown option '${arg}'; use --runs N, --test-runs N, --json`);
  }
  return options;
}

/** Where one synth spent its seconds. */
export interface Breakdown {
  /** The CDK CLI's own start and finish, and launching the app (npx, tsx's launcher). */
  readonly cli: number;
  /** The app process from its start to `new App()`: Node, tsx, transpiling and loading modules. */
  readonly load: number;
  /** Building the constructs, bundling excluded. */
  readonly build: number;
  /** esbuild bundling of every Lambda function. */
  readonly bundle: number;
  /** Validation plugins: cdk-nag and, where it runs, aws-cdk-lib's built-in validator. */
  readonly checks: number;
  /** The rest of synthesis: resolving tokens, writing templates and the assembly. */
  readonly write: number;
  /** Whether the built-in CloudFormation validator ran. */
  readonly validator: boolean;
}

export const BREAKDOWN_PARTS = ['cli', 'load', 'build', 'bundle', 'checks', 'write'] as const;

/**
 * Splits one synth's wall-clock seconds by aws-cdk-lib's performance counters (milliseconds).
 * phase:Load runs from the app process's start to `new App()`; Construction from there to
 * `app.synth()`, and includes bundling; Synthesis includes validateTemplates (every plugin).
 */
export function breakdown(wallSeconds: number, counters: Record<string, number>): Breakdown {
  const ms = (key: string) => {
    const value = counters[key];
    if (value === undefined && key.startsWith('phase:')) throw new Error(`performance counters lack ${key}`);
    return (value ?? 0) / 1000;
  };
  const load = ms('phase:Load');
  const construction = ms('phase:Construction');
  const synthesis = ms('phase:Synthesis');
  const bundle = ms('bundle:NodejsFunction');
  const checks = ms('validateTemplates');
  return {
    cli: wallSeconds - load - construction - synthesis,
    load,
    build: construction - bundle,
    bundle,
    checks,
    write: synthesis - checks,
    validator: (counters['CloudFormationValidate.validate(cnt)'] ?? 0) > 0,
  };
}

interface SynthTarget {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
}

/** The floor runs with the same launcher as the app in cdk.json ("node --require tsx/cjs bin/app.ts"). */
export function helloApp(cdkJsonApp: string): string {
  if (!cdkJsonApp.includes('bin/app.ts'))
    throw new Error(`cdk.json's app '${cdkJsonApp}' does not run bin/app.ts; update the bench's floor to match`);
  return cdkJsonApp.replace('bin/app.ts', 'tools/bench/hello-app.ts');
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => !options.json && process.stderr.write(`${line}\n`);
  const cdk = [process.execPath, path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk')];
  const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));
  const floor: SynthTarget = { name: 'hello-world (floor)', args: ['--app', helloApp(cdkJson.app)] };
  // The floor keeps aws-cdk-lib's defaults, as the issue measured it; the same app without the
  // validator shows how much of the floor that is, and what the app adds over a bare CDK app.
  const bare: SynthTarget = { name: 'hello-world, no validator', args: floor.args, env: { CDK_VALIDATION: 'false' } };
  const targets: SynthTarget[] = [floor, bare];
  for (const p of PROFILE_NAMES) {
    targets.push({ name: `synth ${p}`, args: ['-c', `profile=${p}`] });
    targets.push({ name: `synth ${p} (CI gates)`, args: ['-c', `profile=${p}`, ...CI_GATES] });
  }
  const byName = new Map(targets.map((t) => [t.name, t]));
  const parts = new Map<string, Breakdown[]>(targets.map((t) => [t.name, []]));

  fs.mkdirSync(OUT_ROOT, { recursive: true });
  const loadAtStart = machine().load;
  const synthSeconds = interleave(
    targets.map((t) => t.name),
    options.runs,
    (name) => {
      const outdir = path.join(OUT_ROOT, name.replace(/\W+/g, '-'));
      const target = byName.get(name)!;
      // The threshold 0 makes aws-cdk-lib write its counters for every synth, not only slow ones.
      const args = ['synth', '--quiet', '-o', outdir, '-c', '@aws-cdk/core.slowSynthThreshold=0', ...target.args];
      const seconds = timeCommand(name, [...cdk, ...args], { ...process.env, CI: '1', ...target.env });
      const counters = JSON.parse(fs.readFileSync(path.join(outdir, 'performance-counters.json'), 'utf8')).counters;
      parts.get(name)!.push(breakdown(seconds, counters));
      log(`  ${name}: ${seconds.toFixed(2)} s`);
      return seconds;
    },
  );
  const jest = [process.execPath, path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--silent'];
  const testSeconds = interleave(['npm test'], options.testRuns, (name) => {
    const seconds = timeCommand(name, jest, { ...process.env, CI: '1' });
    log(`  ${name}: ${seconds.toFixed(2)} s`);
    return seconds;
  })['npm test'];

  const floorMedian = median(synthSeconds[floor.name]);
  const bareMedian = median(synthSeconds[bare.name]);
  const rows = targets.map((t) => {
    const s = synthSeconds[t.name];
    const b = parts.get(t.name)!;
    const part = Object.fromEntries(BREAKDOWN_PARTS.map((k) => [k, median(b.map((x) => x[k]))])) as Record<(typeof BREAKDOWN_PARTS)[number], number>;
    return {
      target: t.name,
      runs: s.length,
      medianSeconds: median(s),
      minSeconds: Math.min(...s),
      maxSeconds: Math.max(...s),
      ratioToFloor: median(s) / floorMedian,
      breakdownSeconds: part,
      validator: b.every((x) => x.validator),
    };
  });
  const tests =
    testSeconds.length === 0
      ? undefined
      : {
          target: 'npm test',
          runs: testSeconds.length,
          medianSeconds: median(testSeconds),
          minSeconds: Math.min(...testSeconds),
          maxSeconds: Math.max(...testSeconds),
          ratioToFloor: median(testSeconds) / floorMedian,
        };
  // cdk-nag runs in every app synth; the validator only where asked. With both in one target and
  // nag alone in its pair, the difference of their checks is the validator's cost for that profile.
  const validatorCost = Object.fromEntries(
    PROFILE_NAMES.map((p) => {
      const user = rows.find((r) => r.target === `synth ${p}`)!;
      const ci = rows.find((r) => r.target === `synth ${p} (CI gates)`)!;
      return [p, !user.validator && ci.validator ? ci.breakdownSeconds.checks - user.breakdownSeconds.checks : undefined];
    }),
  );
  const goal = Object.fromEntries(PROFILE_NAMES.map((p) => [p, rows.find((r) => r.target === `synth ${p}`)!.ratioToFloor <= TARGET_RATIO]));

  if (options.json) {
    console.log(
      JSON.stringify({ machine: { ...machine(), loadAtStart }, rows, tests, validatorCostSeconds: validatorCost, ratioAtMost1_5: goal }, null, 2),
    );
    return;
  }
  const m = machine();
  const f = (x: number) => x.toFixed(2);
  console.log(
    `\nmachine: ${m.cpus} CPUs, Node ${m.node}, load ${loadAtStart.toFixed(2)} at start, ${m.load.toFixed(2)} at end; seconds are medians of ${options.runs} interleaved runs\n`,
  );
  console.log(
    table(
      ['target', 'runs', 'median s', 'min s', 'max s', 'x floor', ...BREAKDOWN_PARTS, 'validator'],
      [
        ...rows.map((r) => [
          r.target,
          String(r.runs),
          f(r.medianSeconds),
          f(r.minSeconds),
          f(r.maxSeconds),
          f(r.ratioToFloor),
          ...BREAKDOWN_PARTS.map((k) => f(r.breakdownSeconds[k])),
          r.validator ? 'on' : 'off',
        ]),
        ...(tests
          ? [[tests.target, String(tests.runs), f(tests.medianSeconds), f(tests.minSeconds), f(tests.maxSeconds), f(tests.ratioToFloor)]]
          : []),
      ],
    ),
  );
  console.log(`
cli: the CDK CLI and the app launcher; load: Node, tsx and every import up to new App();
build: constructs; bundle: esbuild per Lambda function; checks: validation plugins (cdk-nag, and the
built-in CloudFormation validator where 'on'); write: resolving tokens, writing the assembly.`);
  for (const p of PROFILE_NAMES) {
    const cost = validatorCost[p];
    const user = rows.find((r) => r.target === `synth ${p}`)!;
    console.log(
      `${p}: x floor ${f(user.ratioToFloor)} (target <= ${TARGET_RATIO}: ${goal[p] ? 'met' : 'NOT met'}), ` +
        `x the hello-world without validator ${f(user.medianSeconds / bareMedian)}` +
        (cost === undefined ? '' : `; the built-in validator adds ${f(cost)} s in CI`),
    );
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
