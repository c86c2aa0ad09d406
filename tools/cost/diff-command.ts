// `npm run cost -- --diff <ref>` and `--diff-templates <before> <after>`: get both sides'
// templates (synthesizing a git ref and the working tree when asked), price both with the same
// table and assumptions, and print the difference; `--max-increase` turns it into a gate.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT, UsageError, type Io } from '../shared/cli';
import { breachOf, diffEstimates, type ProfileDiff, type Threshold } from './diff';
import { diffJson, renderBreach, renderDiffMarkdown, renderDiffSummary, renderDiffText, type DiffSides } from './diff-report';
import { estimate } from './estimate';
import { checkoutRef, npmCi, resolveRef, type Install } from './git-ref';
import type { PriceTable } from './prices';
import { allOrFirstError, cdkSynth, Limiter, type SynthJob, type Synthesize } from './synth';
import { readTemplates, type NamedTemplate } from './template';
import type { UsageAssumptions } from './usage';

/** The repository the tool belongs to: the working tree `--diff` compares. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** What a diff needs from outside: where the repository is and how to synthesize and install. */
export interface DiffEnvironment {
  readonly root: string;
  readonly synthesize: Synthesize;
  readonly install: Install;
  readonly jobs: number;
}

export function defaultEnvironment(io: Pick<Io, 'err'>, jobs: number): DiffEnvironment {
  return { root: REPO_ROOT, synthesize: cdkSynth(io), install: npmCi, jobs };
}

/** Templates of each profile on both sides, and what the sides are. */
export interface TwoSides {
  readonly sides: DiffSides;
  readonly before: ReadonlyMap<string, NamedTemplate[]>;
  readonly after: ReadonlyMap<string, NamedTemplate[]>;
}

/** Every job, `jobs` at a time; the templates each wrote, by job. */
export async function synthesizeAll(jobs: readonly SynthJob[], env: DiffEnvironment): Promise<NamedTemplate[][]> {
  const limiter = new Limiter(env.jobs);
  await allOrFirstError(jobs.map((job) => limiter.run(() => env.synthesize(job))));
  return jobs.map((job) => readTemplates(job.outDir, `the synthesis of profile ${job.profile} (${job.label}) wrote no template`));
}

/**
 * Synthesizes `ref` (in a temporary worktree) and the working tree, every profile of both, and
 * returns their templates. The working tree's syntheses start at once; the ref's join them when its
 * worktree is ready. The worktree and the synthesized output are removed before this returns.
 */
export async function synthesizeRefAndWorkingTree(
  ref: string,
  profiles: readonly string[],
  env: DiffEnvironment,
  io: Pick<Io, 'err'>,
  /** The working tree's templates when they are synthesized already (CI after `npm run synth:all`): only the ref is synthesized. */
  workingTree?: ReadonlyMap<string, NamedTemplate[]>,
): Promise<TwoSides> {
  const resolved = resolveRef(env.root, ref);
  const started = Date.now();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-diff-'));
  const limiter = new Limiter(env.jobs);
  const job = (cwd: string, label: string, side: string, profile: string): SynthJob => ({
    cwd,
    label,
    profile,
    outDir: path.join(out, side, profile),
  });
  let checkout: Awaited<ReturnType<typeof checkoutRef>> | undefined;
  try {
    const afterJobs = workingTree ? [] : profiles.map((p) => job(env.root, 'working tree', 'after', p));
    const running = afterJobs.map((j) => limiter.run(() => env.synthesize(j)));
    let beforeJobs: SynthJob[] = [];
    try {
      checkout = await checkoutRef(env.root, resolved, io, env.install);
      beforeJobs = profiles.map((p) => job(checkout!.dir, resolved.label, 'before', p));
      running.push(...beforeJobs.map((j) => limiter.run(() => env.synthesize(j))));
    } catch (error) {
      // The working tree's syntheses end before anything is removed; the checkout's failure is the news.
      await Promise.allSettled(running);
      throw error;
    }
    await allOrFirstError(running);
    const read = (jobs: SynthJob[]) =>
      new Map(jobs.map((j) => [j.profile, readTemplates(j.outDir, `the synthesis of profile ${j.profile} (${j.label}) wrote no template`)]));
    const result = { sides: { before: resolved.label, after: 'working tree' }, before: read(beforeJobs), after: workingTree ?? read(afterJobs) };
    io.err(`cost: ${afterJobs.length + beforeJobs.length} syntheses, ${env.jobs} at a time, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } finally {
    checkout?.remove();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** Prices both sides of every profile and compares them. */
export function diffSides(two: TwoSides, prices: PriceTable, assumptions: UsageAssumptions): ProfileDiff[] {
  return [...two.after.keys()]
    .filter((profile) => two.before.has(profile))
    .map((profile) => {
      const usage = assumptions.forProfile(profile);
      return diffEstimates(estimate(profile, two.before.get(profile)!, prices, usage), estimate(profile, two.after.get(profile)!, prices, usage));
    });
}

export interface DiffOutput {
  readonly json: boolean;
  readonly markdown: boolean;
  readonly threshold?: Threshold;
}

/** Prints the difference as asked; the exit code says whether a baseline rose past the threshold. */
export function printDiff(diffs: readonly ProfileDiff[], sides: DiffSides, prices: PriceTable, output: DiffOutput, io: Io): number {
  const breaches = output.threshold ? diffs.flatMap((d) => breachOf(d, output.threshold!) ?? []) : [];
  if (output.json) {
    io.out(JSON.stringify(diffJson(diffs, sides, prices, output.threshold, breaches), null, 2));
  } else if (output.markdown) {
    io.out(renderDiffMarkdown(diffs, sides, prices, breaches));
  } else {
    io.out(diffs.map((d) => renderDiffText(d, sides, prices)).join('\n\n'));
    if (diffs.length > 1) io.out(`\n${renderDiffSummary(diffs)}`);
  }
  if (!output.threshold) return EXIT.ok;
  if (breaches.length > 0) {
    io.err(`cost diff failed:\n${breaches.map(renderBreach).join('\n')}`);
    return EXIT.failed;
  }
  io.err(
    `cost diff passed: no baseline rose more than --max-increase ${output.threshold.text} (${diffs.map((d) => `${d.profile} ${d.baseline.change >= 0 ? '+' : '-'}$${Math.abs(d.baseline.change).toFixed(2)}`).join(', ')})`,
  );
  return EXIT.ok;
}

/**
 * `--diff-templates A B` takes two values, which the shared option parser does not do: they are
 * taken out of argv here (`--diff-templates A B` or `--diff-templates=A B`) and the rest is parsed
 * as usual.
 */
export function takeDiffTemplates(argv: readonly string[]): { argv: string[]; dirs?: [string, string] } {
  const at = argv.findIndex((a) => a === '--diff-templates' || a.startsWith('--diff-templates='));
  if (at < 0) return { argv: [...argv] };
  const inline = argv[at].startsWith('--diff-templates=') ? argv[at].slice('--diff-templates='.length) : undefined;
  const values = inline !== undefined ? [inline, argv[at + 1]] : [argv[at + 1], argv[at + 2]];
  const taken = inline !== undefined ? 2 : 3;
  if (values.some((v) => v === undefined || v === '' || v.startsWith('-'))) {
    throw new UsageError(
      "--diff-templates needs two template directories: --diff-templates <before> <after> (each holding <profile>/ directories as `npm run synth:all` writes them, or one profile's templates with --profile)",
    );
  }
  if (argv.slice(at + taken).some((a) => a === '--diff-templates' || a.startsWith('--diff-templates=')))
    throw new UsageError('--diff-templates is given twice; give it once');
  return { argv: [...argv.slice(0, at), ...argv.slice(at + taken)], dirs: values as [string, string] };
}
