// `npm run cost`: a monthly estimate of every profile, priced from its synthesized templates at the
// list prices in lib/core/prices/ and the usage assumptions in tools/cost/data/. Two figures per
// profile: baseline (autoscaling at its minimum) and peak (at its maximum). Without templates it
// synthesizes them first; with --diff it prices a git ref against the working tree.
//
//   npm run cost -- [--profile dev|staging|prod] [--templates <path>] [--usage <file>] [--prices <file>]
//                   [--json] [--details] [--check] [--compare] [--markdown]
//   npm run cost -- --diff <git ref> [--max-increase <USD or %>] [--markdown | --json] [--profile …]
//   npm run cost -- --diff-templates <before> <after> [--max-increase <USD or %>] [--markdown | --json]
//
// Exit codes: 0 fine, 1 --check or --max-increase failed (or a synthesis failed), 2 bad input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROFILE_NAMES, profiles } from '../../lib/core/profiles';
import { consoleIo, defineCommand, EXIT, guard, type Io } from '../shared/cli';
import { compare } from './compare';
import { parseThreshold, type Threshold } from './diff';
import {
  defaultEnvironment,
  diffSides,
  printDiff,
  synthesizeAll,
  synthesizeRefAndWorkingTree,
  takeDiffTemplates,
  type DiffEnvironment,
  type TwoSides,
} from './diff-command';
import { CostInputError } from './errors';
import { estimate } from './estimate';
import { DEFAULT_PRICES_FILE, loadPriceTable } from './prices';
import {
  renderBudgetFailure,
  renderComparison,
  renderMarkdown,
  renderProfile,
  renderSummary,
  renderUnpricedFailure,
  toJson,
  withinBudget,
  type ProfileReport,
} from './report';
import { defaultJobs } from './synth';
import { type NamedTemplate, readTemplates, templateFilesIn } from './template';
import { DEFAULT_USAGE_FILE, UsageAssumptions } from './usage';

/** Where `npm run synth:all` writes, and where `npm run cost` looks (and synthesizes) by default. */
export const DEFAULT_TEMPLATES = 'cdk.out';

export interface CostOptions {
  readonly profiles: readonly string[];
  /** Set when --profile named one profile. */
  readonly profileGiven: boolean;
  readonly templates: string;
  /** Set when --templates was given: then nothing is synthesized. */
  readonly templatesGiven: boolean;
  readonly usage?: string;
  readonly prices: string;
  readonly json: boolean;
  readonly details: boolean;
  readonly check: boolean;
  readonly compare: boolean;
  readonly markdown: boolean;
  /** --diff: the git ref to compare the working tree with. */
  readonly diff?: string;
  /** --diff-templates: two template directories to compare. */
  readonly diffTemplates?: readonly [string, string];
  readonly maxIncrease?: Threshold;
  readonly jobs: number;
  readonly help: boolean;
}

export const COMMAND = defineCommand({
  usage: 'npm run cost -- [options]',
  options: {
    profile: {
      type: 'string',
      placeholder: '<name>',
      choices: PROFILE_NAMES,
      noun: 'profile',
      help: `price one profile (${PROFILE_NAMES.join(', ')}); default: all of them`,
    },
    templates: {
      type: 'string',
      placeholder: '<path>',
      help: `where the templates are: a directory holding <profile>/ directories as \`npm run synth:all\` writes them, or one profile's templates (a directory of *.template.json, or one file) named with --profile. Default: ${DEFAULT_TEMPLATES}, where the profiles it lacks are synthesized first`,
    },
    usage: { type: 'string', placeholder: '<file>', help: 'override usage assumptions (shape of tools/cost/data/usage.json)' },
    prices: {
      type: 'string',
      placeholder: '<file>',
      default: DEFAULT_PRICES_FILE,
      help: 'another price table (default: lib/core/prices/prices-us-east-1.json)',
    },
    json: { type: 'boolean', help: 'machine-readable output' },
    details: { type: 'boolean', help: 'show how each line item is computed' },
    check: { type: 'boolean', help: "exit 1 when a profile's baseline is over cost.monthlyBudgetUsd or an item is unpriced" },
    compare: { type: 'boolean', help: 'also price the defaults a hand-written stack gets, and print the saving' },
    markdown: {
      type: 'boolean',
      help: "the README's cost tables (implies --compare); with --diff or --diff-templates, the difference as a pull-request comment",
    },
    diff: {
      type: 'string',
      placeholder: '<git ref>',
      help:
        'price the working tree against a git ref (a branch, tag, commit, HEAD~1): both are synthesized, the ref in a temporary worktree with its own dependencies, ' +
        "and every profile's change is printed by component and line item. With --templates, those are the working tree's templates (already synthesized) and only the ref is synthesized",
    },
    'diff-templates': {
      type: 'string',
      placeholder: '<before> <after>',
      help: 'the same difference between two template directories, without git or synthesis',
    },
    'max-increase': {
      type: 'string',
      placeholder: '<USD or %>',
      help: "with a diff: exit 1 when a profile's baseline rises more than this, a monthly amount (25, $12.50) or a share of the baseline before (5%), naming the line items that raised it",
    },
    jobs: {
      type: 'integer',
      placeholder: '<n>',
      min: 1,
      max: 8,
      unit: 'syntheses',
      why: 'each is a Node process of about one CPU',
      help: 'syntheses at once (default: the CPUs, at most 3)',
    },
  },
});

const THRESHOLD_HELP = 'a monthly amount in USD (such as 25, 12.50 or $12.50) or a percentage of the baseline before (such as 5%)';

/** Parses the command line; a mistake is a UsageError that says what is valid. */
export function parseArgs(argv: readonly string[]): CostOptions {
  const taken = takeDiffTemplates(argv);
  const { profile, templates, 'max-increase': maxIncrease, 'diff-templates': _unused, jobs, ...values } = COMMAND.parse(taken.argv);
  let threshold: Threshold | undefined;
  if (maxIncrease !== undefined) {
    threshold = parseThreshold(maxIncrease);
    if (!threshold) throw COMMAND.usageError(`--max-increase needs ${THRESHOLD_HELP}, got '${maxIncrease}'`);
  }
  const options: CostOptions = {
    ...values,
    profiles: profile === undefined ? [...PROFILE_NAMES] : [profile],
    profileGiven: profile !== undefined,
    templates: templates ?? DEFAULT_TEMPLATES,
    templatesGiven: templates !== undefined,
    compare: values.compare || (values.markdown && values.diff === undefined && taken.dirs === undefined),
    diffTemplates: taken.dirs,
    maxIncrease: threshold,
    jobs: jobs ?? defaultJobs(),
  };
  if (options.help) return options;
  const diffing = options.diff !== undefined || options.diffTemplates !== undefined;
  if (options.diff !== undefined && options.diffTemplates)
    throw COMMAND.usageError('give --diff <git ref> or --diff-templates <before> <after>, not both');
  if (threshold && !diffing)
    throw COMMAND.usageError('--max-increase judges a difference: use it with --diff <git ref> or --diff-templates <before> <after>');
  if (diffing) {
    const misplaced = (['check', 'compare', 'details'] as const).filter((flag) => values[flag]).map((flag) => `--${flag}`);
    // With --diff, --templates names the working tree's templates, synthesized already.
    if (options.templatesGiven && options.diff === undefined) misplaced.push('--templates');
    if (misplaced.length > 0) {
      throw COMMAND.usageError(
        `${misplaced.join(', ')} ${misplaced.length === 1 ? 'prices' : 'price'} one revision; with --diff or --diff-templates use --max-increase, --markdown or --json`,
      );
    }
  }
  return options;
}

/**
 * Each profile's templates under `root`: `<root>/<profile>/`, or, for one named profile, the path
 * itself when it holds templates.
 */
export function locateTemplates(
  root: string,
  options: Pick<CostOptions, 'profiles' | 'profileGiven'>,
  fix = 'run `npm run synth:all` first, or pass --templates <path>',
): Map<string, NamedTemplate[]> {
  if (!fs.existsSync(root)) throw new CostInputError(`template path ${root} does not exist; ${fix}`);
  const holdsTemplates = fs.statSync(root).isFile() || templateFilesIn(root).length > 0;
  if (holdsTemplates) {
    if (!options.profileGiven) {
      throw new CostInputError(
        `template path ${root} holds the templates of one profile; say which with --profile (${PROFILE_NAMES.join(', ')}), or point --templates at a directory of <profile>/ directories`,
      );
    }
    return new Map([[options.profiles[0], readTemplates(root, fix)]]);
  }
  return new Map(options.profiles.map((profile) => [profile, readTemplates(path.join(root, profile), fix)]));
}

/**
 * The templates of `--diff-templates <before> <after>`: without --profile, every profile with a
 * directory on either side; one that is on one side only is named and left out.
 */
function locateBothSides([before, after]: readonly [string, string], options: CostOptions, io: Io): TwoSides {
  const fix = 'give two directories of templates: --diff-templates <before> <after>';
  for (const dir of [before, after]) if (!fs.existsSync(dir)) throw new CostInputError(`template path ${dir} does not exist; ${fix}`);
  const onePerSide = (dir: string) => fs.statSync(dir).isFile() || templateFilesIn(dir).length > 0;
  if (options.profileGiven || onePerSide(before) || onePerSide(after)) {
    return { sides: { before, after }, before: locateTemplates(before, options, fix), after: locateTemplates(after, options, fix) };
  }
  const present = (dir: string) => options.profiles.filter((p) => fs.existsSync(path.join(dir, p)));
  const both = present(before).filter((p) => present(after).includes(p));
  for (const p of new Set([...present(before), ...present(after)])) {
    if (!both.includes(p)) io.err(`cost: profile ${p} has templates in ${present(before).includes(p) ? before : after} only; it is not compared`);
  }
  if (both.length === 0)
    throw new CostInputError(`${before} and ${after} have no profile directory in common (${options.profiles.join(', ')}); ${fix}`);
  const on = { ...options, profiles: both };
  return { sides: { before, after }, before: locateTemplates(before, on, fix), after: locateTemplates(after, on, fix) };
}

/**
 * The default templates, synthesized first where a profile's are missing (into
 * `cdk.out/<profile>/`, as `npm run synth:all` does), with progress on stderr. A cdk.out that
 * holds one profile's `cdk synth` output is left alone: --profile says which it is.
 */
async function ensureTemplates(options: CostOptions, env: DiffEnvironment, io: Io): Promise<void> {
  const root = path.resolve(options.templates);
  if (fs.existsSync(root) && templateFilesIn(root).length > 0) return;
  const missing = options.profiles.filter(
    (profile) => !fs.existsSync(path.join(root, profile)) || templateFilesIn(path.join(root, profile)).length === 0,
  );
  if (missing.length === 0) return;
  io.err(
    `cost: no templates of ${missing.join(', ')} in ${options.templates}/: synthesizing ${missing.length === 1 ? 'it' : 'them'} as \`npm run synth:all\` does ` +
      '(cdk-nag on, the built-in validator skipped: pricing does not need it) ...',
  );
  const started = Date.now();
  await synthesizeAll(
    missing.map((profile) => ({ cwd: env.root, profile, outDir: path.join(root, profile), label: 'working tree' })),
    env,
  );
  io.err(
    `cost: synthesized into ${options.templates}/ in ${((Date.now() - started) / 1000).toFixed(1)} s; the next run reuses them (\`npm run synth:all\` refreshes them)`,
  );
}

/** What `main` needs from outside, replaced in tests. */
export interface CostDependencies {
  readonly environment?: (io: Io, jobs: number) => DiffEnvironment;
}

/** Runs the tool; returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo, deps: CostDependencies = {}): Promise<number> {
  return guard('cost', io, async () => {
    const options = parseArgs(argv);
    if (options.help) {
      io.out(COMMAND.helpText);
      return EXIT.ok;
    }
    const prices = loadPriceTable(options.prices);
    let assumptions = UsageAssumptions.load(DEFAULT_USAGE_FILE);
    if (options.usage) assumptions = assumptions.withOverrides(options.usage);
    const env = () => (deps.environment ?? defaultEnvironment)(io, options.jobs);

    if (options.diff !== undefined) {
      const workingTree = options.templatesGiven ? locateTemplates(options.templates, options) : undefined;
      const two = await synthesizeRefAndWorkingTree(options.diff, options.profiles, env(), io, workingTree);
      return printDiff(
        diffSides(two, prices, assumptions),
        two.sides,
        prices,
        { json: options.json, markdown: options.markdown, threshold: options.maxIncrease },
        io,
      );
    }
    if (options.diffTemplates) {
      const two = locateBothSides(options.diffTemplates, options, io);
      return printDiff(
        diffSides(two, prices, assumptions),
        two.sides,
        prices,
        { json: options.json, markdown: options.markdown, threshold: options.maxIncrease },
        io,
      );
    }

    if (!options.templatesGiven) await ensureTemplates(options, env(), io);
    const located = locateTemplates(options.templates, options);
    const reports: ProfileReport[] = [...located.entries()].map(([profile, templates]) => {
      const usage = assumptions.forProfile(profile);
      return {
        estimate: estimate(profile, templates, prices, usage),
        usage,
        budgetUsd: profiles[profile as keyof typeof profiles]?.cost.monthlyBudgetUsd,
        comparison: options.compare ? compare(profile, templates, prices, usage) : undefined,
      };
    });

    if (options.json) {
      io.out(JSON.stringify(toJson(reports, prices), null, 2));
    } else if (options.markdown) {
      io.out(renderMarkdown(reports));
    } else {
      for (const report of reports) io.out(`${renderProfile(report, prices, { details: options.details })}\n`);
      if (reports.length > 1) io.out(`${renderSummary(reports)}\n`);
      if (options.compare) io.out(`${renderComparison(reports.map((r) => r.comparison!))}\n`);
      // Wall time of this process, module loading included: the figure the README's timing quotes.
      io.out(`Priced ${reports.map((r) => r.estimate.profile).join(', ')} in ${process.uptime().toFixed(2)} s (process start to finish).`);
    }

    if (!options.check) return EXIT.ok;
    const failures = reports.flatMap((report) => [
      ...(withinBudget(report) ? [] : [renderBudgetFailure(report)]),
      ...(report.estimate.unpriced.length > 0 ? [renderUnpricedFailure(report.estimate)] : []),
    ]);
    if (failures.length > 0) {
      io.err(`cost check failed:\n${failures.join('\n')}`);
      return EXIT.failed;
    }
    io.err(
      `cost check passed: ${reports.map((r) => `${r.estimate.profile} $${r.estimate.baseline.toFixed(2)} <= $${(r.budgetUsd ?? 0).toFixed(2)}`).join(', ')}`,
    );
    return EXIT.ok;
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
