// `npm run cost`: a monthly estimate of every profile, priced from the templates `npm run synth:all`
// writes to cdk.out/<profile>/, at the list prices in tools/cost/data/ and the usage assumptions
// beside them. Two figures per profile: baseline (autoscaling at its minimum) and peak (at its
// maximum).
//
//   npm run cost -- [--profile dev|staging|prod] [--templates <path>] [--usage <file>] [--prices <file>]
//                   [--json] [--details] [--check] [--compare]
//
// Exit codes: 0 fine, 1 --check failed (over budget, or something could not be priced), 2 bad input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROFILE_NAMES, profiles } from '../../lib/core/profiles';
import { compare } from './compare';
import { CostInputError } from './errors';
import { estimate } from './estimate';
import { DEFAULT_PRICES_FILE, loadPriceTable } from './prices';
import { renderBudgetFailure, renderComparison, renderMarkdown, renderProfile, renderSummary, renderUnpricedFailure, toJson, withinBudget, type ProfileReport } from './report';
import { type NamedTemplate, readTemplates, templateFilesIn } from './template';
import { DEFAULT_USAGE_FILE, UsageAssumptions } from './usage';

export interface CostOptions {
  readonly profiles: readonly string[];
  /** Set when --profile named one profile. */
  readonly profileGiven: boolean;
  readonly templates: string;
  readonly usage?: string;
  readonly prices: string;
  readonly json: boolean;
  readonly details: boolean;
  readonly check: boolean;
  readonly compare: boolean;
  readonly markdown: boolean;
  readonly help: boolean;
}

export const USAGE_TEXT = `Usage: npm run cost -- [options]
  --profile <name>    price one profile (${PROFILE_NAMES.join(', ')}); default: all of them
  --templates <path>  where the templates are: a directory holding <profile>/ directories as
                      \`npm run synth:all\` writes them (default: cdk.out), or one profile's
                      templates (a directory of *.template.json, or one file) named with --profile
  --usage <file>      override usage assumptions (shape of tools/cost/data/usage.json)
  --prices <file>     another price table (default: lib/core/prices/prices-us-east-1.json)
  --json              machine-readable output
  --details           show how each line item is computed
  --check             exit 1 when a profile's baseline is over cost.monthlyBudgetUsd or an item is unpriced
  --compare           also price the defaults a hand-written stack gets, and print the saving
  --markdown          the README's cost tables (implies --compare)`;

/** Parses the command line; a mistake is a CostInputError that says what is valid. */
export function parseArgs(argv: readonly string[]): CostOptions {
  const options = {
    profiles: [...PROFILE_NAMES] as string[], profileGiven: false, templates: 'cdk.out', usage: undefined as string | undefined,
    prices: DEFAULT_PRICES_FILE, json: false, details: false, check: false, compare: false, markdown: false, help: false,
  };
  const value = (flag: string, i: number): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new CostInputError(`${flag} needs a value\n${USAGE_TEXT}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--profile': {
        const name = value(arg, i++);
        if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
          throw new CostInputError(`unknown profile ${JSON.stringify(name)}; valid profiles are ${PROFILE_NAMES.join(', ')}`);
        }
        options.profiles = [name];
        options.profileGiven = true;
        break;
      }
      case '--templates': options.templates = value(arg, i++); break;
      case '--usage': options.usage = value(arg, i++); break;
      case '--prices': options.prices = value(arg, i++); break;
      case '--json': options.json = true; break;
      case '--details': options.details = true; break;
      case '--check': options.check = true; break;
      case '--compare': options.compare = true; break;
      case '--markdown': options.markdown = true; options.compare = true; break;
      case '--help': case '-h': options.help = true; break;
      default: throw new CostInputError(`unknown option '${arg}'\n${USAGE_TEXT}`);
    }
  }
  return options;
}

/** Each profile's templates: `<root>/<profile>/`, or, for one named profile, the path itself. */
export function locateTemplates(options: CostOptions): Map<string, NamedTemplate[]> {
  const root = options.templates;
  const fix = 'run `npm run synth:all` first, or pass --templates <path>';
  if (!fs.existsSync(root)) throw new CostInputError(`template path ${root} does not exist; ${fix}`);
  const holdsTemplates = fs.statSync(root).isFile() || templateFilesIn(root).length > 0;
  if (holdsTemplates) {
    if (!options.profileGiven) {
      throw new CostInputError(`template path ${root} holds the templates of one profile; say which with --profile (${PROFILE_NAMES.join(', ')}), or point --templates at a directory of <profile>/ directories`);
    }
    return new Map([[options.profiles[0], readTemplates(root, fix)]]);
  }
  return new Map(options.profiles.map((profile) => [profile, readTemplates(path.join(root, profile), fix)]));
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const consoleIo: Io = { out: (t) => console.log(t), err: (t) => console.error(t) };

/** Runs the tool; returns the exit code. */
export function main(argv: readonly string[], io: Io = consoleIo): number {
  try {
    const options = parseArgs(argv);
    if (options.help) {
      io.out(USAGE_TEXT);
      return 0;
    }
    const prices = loadPriceTable(options.prices);
    let assumptions = UsageAssumptions.load(DEFAULT_USAGE_FILE);
    if (options.usage) assumptions = assumptions.withOverrides(options.usage);
    const located = locateTemplates(options);

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

    if (!options.check) return 0;
    const failures = reports.flatMap((report) => [
      ...(withinBudget(report) ? [] : [renderBudgetFailure(report)]),
      ...(report.estimate.unpriced.length > 0 ? [renderUnpricedFailure(report.estimate)] : []),
    ]);
    if (failures.length > 0) {
      io.err(`cost check failed:\n${failures.join('\n')}`);
      return 1;
    }
    io.err(`cost check passed: ${reports.map((r) => `${r.estimate.profile} $${r.estimate.baseline.toFixed(2)} <= $${(r.budgetUsd ?? 0).toFixed(2)}`).join(', ')}`);
    return 0;
  } catch (error) {
    if (error instanceof CostInputError) {
      io.err(`cost: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
