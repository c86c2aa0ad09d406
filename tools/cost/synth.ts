// Synthesis for pricing: `npx cdk synth` of one profile into a directory of its own, run the way
// the project's app is run (its cdk.json, its CLI, its dependencies), so a git ref's worktree is
// synthesized by that revision's own code. The built-in CloudFormation validator is skipped
// (CDK_VALIDATION=false: a price does not depend on it and it costs ~1.5 s a synth); cdk-nag runs
// as the app registers it.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { ExternalFailure, type Io } from '../shared/cli';

/** One synthesis: a profile of the app in `cwd`, written to `outDir`. */
export interface SynthJob {
  /** The directory of the app: the working tree, or a git ref's worktree. */
  readonly cwd: string;
  readonly profile: string;
  readonly outDir: string;
  /** More context for the app (`-c key=value`), e.g. `profileOverrides`. */
  readonly context?: Readonly<Record<string, string>>;
  /** What `cwd` is, for progress and errors: `working tree`, `HEAD~1 (9aa918a)`. */
  readonly label: string;
}

export type Synthesize = (job: SynthJob) => Promise<void>;

/** The environment of a synthesis for pricing: the built-in validator off (aws-cdk-lib reads CDK_VALIDATION). */
export const PRICING_SYNTH_ENV: Readonly<Record<string, string>> = { CDK_VALIDATION: 'false' };

/** The `cdk synth` arguments of a job. */
export function synthArgs(job: SynthJob): string[] {
  const context = Object.entries({ profile: job.profile, ...job.context }).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  return ['cdk', 'synth', '--quiet', ...context, '-o', job.outDir];
}

/** How many lines of a failed synthesis' output an error quotes: the end, where CDK says what went wrong. */
const QUOTED_LINES = 25;

/** `npx cdk synth` in a child process, with a line on stderr when it starts and ends. */
export function cdkSynth(io: Pick<Io, 'err'>): Synthesize {
  return (job) =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      io.err(`cost: synthesizing profile ${job.profile} (${job.label}) ...`);
      const child = spawn('npx', synthArgs(job), { cwd: job.cwd, env: { ...process.env, ...PRICING_SYNTH_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
      const output: string[] = [];
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.on('error', (error) => reject(new ExternalFailure(`could not run npx cdk synth in ${job.cwd}: ${error.message}`, { cause: error })));
      child.on('close', (code, signal) => {
        if (code === 0) {
          io.err(`cost: synthesized profile ${job.profile} (${job.label}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
          resolve();
          return;
        }
        const tail = output.join('').trimEnd().split('\n').slice(-QUOTED_LINES).join('\n');
        reject(
          new ExternalFailure(
            `cdk synth of profile ${job.profile} failed (${job.label}; ${signal ? `signal ${signal}` : `exit ${code}`}; ` +
              `\`npx cdk synth -c profile=${job.profile}\` in ${job.cwd} shows it all). Its last lines:\n${tail}`,
          ),
        );
      });
    });
}

/** Syntheses at once: each is mostly one CPU-bound Node process (esbuild bundling aside). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(os.availableParallelism(), 3));
}

/** Runs at most `limit` tasks at a time, in the order they are given. */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Waits for every promise, then throws the first failure: a synthesis that fails must not leave
 * the others writing into a worktree that is being removed.
 */
export async function allOrFirstError<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
