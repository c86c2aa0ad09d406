// `npm run cost`: a monthly estimate of every profile, priced from the templates `npm run synth:all`
// writes to cdk.out/<profile>/, at the list prices in tools/cost/data/ and the usage assumptions
// beside them. Two figures per profile: baseline (autoscaling at its minimum) and peak (at its
// maximum).
//
//   npm run cost -- [--profile dev|staging|prod] [--templates <path>] [--usage <file>] [--prices <file>]
//                   [--json] [--details] [--check] [--compare] [--markdown]
//
// Exit codes: 0 fine, 1 --check failed (over budget, or something could not be priced), 2 bad input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROFILE_NAMES, profiles } from '../../lib/core/profiles';
import { consoleIo, defineCommand, EXIT, guard, type Io } from '../shared/cli';
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

export const COMMAND = defineCommand({
  usage: 'npm run cost -- [options]',
  options: {
    profile: { type: 'string', placeholder: '<name>', choices: PROFILE_NAMES, noun: 'profile', help: `price one profile (${PROFILE_NAMES.join(', ')}); default: all of them` },
    templates: {
      type: 'string', placeholder: '<path>', default: 'cdk.out',
      help: 'where the templates are: a directory holding <profile>/ directories as `npm run synth:all` writes them (default: cdk.out), '
        + "or one profile's templates (a directory of *.template.json, or one file) named with --profile",
    },
    usage: { type: 'string', placeholder: '<file>', help: 'override usage assumptions (shape of tools/cost/data/usage.json)' },
    prices: { type: 'string', placeholder: '<file>', default: DEFAULT_PRICES_FILE, help: 'another price table (default: lib/core/prices/prices-us-east-1.json)' },
    json: { type: 'boolean', help: 'machine-readable output' },
    details: { type: 'boolean', help: 'show how each line item is computed' },
    check: { type: 'boolean', help: "exit 1 when a profile's baseline is over cost.monthlyBudgetUsd or an item is unpriced" },
    compare: { type: 'boolean', help: 'also price the defaults a hand-written stack gets, and print the saving' },
    markdown: { type: 'boolean', help: "the README's cost tables (implies --compare)" },
  },
});

/** Parses the command line; a mistake is a UsageError that says what is valid. */
export function parseArgs(argv: readonly string[]): CostOptions {
  const { profile, ...values } = COMMAND.parse(argv);
  return {
    ...values,
    profiles: profile === undefined ? [...PROFILE_NAMES] : [profile],
    profileGiven: profile !== undefined,
    compare: values.compare || values.markdown,
  };
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

/** Runs the tool; returns the exit code. */
export function main(argv: readonly string[], io: Io = consoleIo): number {
  return guard('cost', io, () => {
    const options = parseArgs(argv);
    if (options.help) {
      io.out(COMMAND.helpText);
      return EXIT.ok;
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

    if (!options.check) return EXIT.ok;
    const failures = reports.flatMap((report) => [
      ...(withinBudget(report) ? [] : [renderBudgetFailure(report)]),
      ...(report.estimate.unpriced.length > 0 ? [renderUnpricedFailure(report.estimate)] : []),
    ]);
    if (failures.length > 0) {
      io.err(`cost check failed:\n${failures.join('\n')}`);
      return EXIT.failed;
    }
    io.err(`cost check passed: ${reports.map((r) => `${r.estimate.profile} $${r.estimate.baseline.toFixed(2)} <= $${(r.budgetUsd ?? 0).toFixed(2)}`).join(', ')}`);
    return EXIT.ok;
  });
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
