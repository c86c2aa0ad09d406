// `npm run rightsize`: the right-sizing advisor from a workstation. The same analysis as the
// deployed advisor (lambda/rightsizing), as a table or JSON, from a recorded metrics file (no AWS
// account needed) or live from CloudWatch with the deployed advisor's configuration.
//
//   npm run rightsize -- --metrics <file> [--profile dev|staging|prod] [--json] [--prices <file>]
//   npm run rightsize -- --config <file> [--window <days>] [--record <file>] [--json]
//   npm run rightsize -- (--metrics <file> | --config <file>) --apply [--overrides <file>] [--skip-diff]
//
// --apply writes the recommendations that pass the profile's safety rules as a profile override
// file (lib/core/profiles/overrides.ts; `cdk synth -c profileOverrides=<file>` reads it) and prices
// the change by synthesizing the profile without and with it (the cost tool's diff).
//
// Exit codes: 0 a report (with or without recommendations), 1 AWS or a synthesis failed, 2 bad input.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { advise, type RightsizingReport } from '../../lambda/rightsizing/advisor';
import { AdvisorInputError, parseAdvisorConfig, type AdvisorConfig } from '../../lambda/rightsizing/config';
import { COMPONENTS } from '../../lambda/rightsizing/plan';
import type { PriceLookup } from '../../lambda/rightsizing/prices';
import { usdPerMonth } from '../../lambda/rightsizing/format';
import { renderTable } from '../../lambda/rightsizing/report';
import { readMetrics, windowEnding } from '../../lambda/rightsizing/run';
import { safetyProblems } from '../../lambda/rightsizing/safety';
import { RIGHTSIZING_WINDOW_RANGE } from '../../lib/core/insights';
import { PROFILE_NAMES, profileFor } from '../../lib/core/profiles';
import type { Profile } from '../../lib/core/profiles/profile';
import { diffEstimates } from '../cost/diff';
import { defaultEnvironment, synthesizeAll, type DiffEnvironment } from '../cost/diff-command';
import { diffJson, renderDiffText } from '../cost/diff-report';
import { estimate } from '../cost/estimate';
import { DEFAULT_PRICES_FILE, loadPriceTable, type PriceTable } from '../cost/prices';
import { defaultJobs } from '../cost/synth';
import { UsageAssumptions } from '../cost/usage';
import { consoleIo, defineCommand, EXIT, ExternalFailure, guard, UsageError, type Io } from '../shared/cli';
import { overrideFileText, planJson, planOverrides, renderPlan, type ApplyPlan } from './apply';
import { readMetricsFile, RightsizeInputError, toMetricsFile } from './metrics-file';

export const COMMAND = defineCommand({
  usage: 'npm run rightsize -- (--metrics <file> | --config <file>) [options]',
  options: {
    metrics: { type: 'string', placeholder: '<file>', help: 'a recorded metrics file (README "Right-sizing advisor"): no AWS account needed' },
    config: {
      type: 'string',
      placeholder: '<file>',
      help: "the deployed advisor's configuration (its RIGHTSIZING_CONFIG variable: the profile and where its metrics are), to read CloudWatch with your credentials",
    },
    profile: {
      type: 'string',
      placeholder: '<name>',
      choices: PROFILE_NAMES,
      noun: 'profile',
      help: `the profile to judge against (${PROFILE_NAMES.join(', ')}); default: the file's`,
    },
    window: {
      type: 'integer',
      placeholder: '<days>',
      min: RIGHTSIZING_WINDOW_RANGE.min,
      max: RIGHTSIZING_WINDOW_RANGE.max,
      unit: 'days',
      why: 'CloudWatch keeps one-minute datapoints 15 days',
      help: `with --config: days to read (${RIGHTSIZING_WINDOW_RANGE.min}-${RIGHTSIZING_WINDOW_RANGE.max}), default the configuration's (14)`,
    },
    record: { type: 'string', placeholder: '<file>', help: 'with --config: also save what was read as a metrics file' },
    prices: {
      type: 'string',
      placeholder: '<file>',
      default: DEFAULT_PRICES_FILE,
      help: 'another price table (default: lib/core/prices/prices-us-east-1.json)',
    },
    json: { type: 'boolean', help: 'the report as JSON' },
    apply: {
      type: 'boolean',
      help: 'write the recommendations that pass every profile rule as a profile override file, and print what they do to the bill (both variants synthesized and priced)',
    },
    overrides: { type: 'string', placeholder: '<file>', help: 'with --apply: the file to write (default: profile-overrides-<profile>.json)' },
    'skip-diff': { type: 'boolean', help: 'with --apply: write the file without synthesizing to price it' },
    jobs: {
      type: 'integer',
      placeholder: '<n>',
      min: 1,
      max: 8,
      unit: 'syntheses',
      why: 'each is a Node process of about one CPU',
      help: 'with --apply: syntheses at once (default: the CPUs, at most 3)',
    },
  },
});

export interface RightsizeOptions {
  readonly metrics?: string;
  readonly config?: string;
  readonly profile?: string;
  readonly window?: number;
  readonly record?: string;
  readonly prices: string;
  readonly json: boolean;
  readonly apply: boolean;
  readonly overrides?: string;
  readonly 'skip-diff': boolean;
  readonly jobs?: number;
  readonly help: boolean;
}

/** Parses the command line; a mistake is a UsageError saying what is valid. */
export function parseArgs(argv: readonly string[]): RightsizeOptions {
  const options: RightsizeOptions = COMMAND.parse(argv);
  if (options.help) return options;
  if (!options.metrics === !options.config) throw COMMAND.usageError('give either --metrics <file> or --config <file>');
  if (options.metrics && (options.window !== undefined || options.record))
    throw new UsageError('--window and --record read CloudWatch: use them with --config, not --metrics');
  const applyOnly = [
    options.overrides !== undefined && '--overrides',
    options['skip-diff'] && '--skip-diff',
    options.jobs !== undefined && '--jobs',
  ].filter((f): f is string => f !== false);
  if (!options.apply && applyOnly.length > 0) throw new UsageError(`${applyOnly.join(', ')} ${applyOnly.length === 1 ? 'goes' : 'go'} with --apply`);
  return options;
}

/** What the live mode needs from AWS (the SDK in `main`, a fake in tests). */
export interface Aws {
  readonly getMetricData: Parameters<typeof readMetrics>[2];
  readonly now: () => Date;
}

/** Runs the advisor as the options say and returns the report. */
export async function rightsize(options: RightsizeOptions, aws?: Aws): Promise<RightsizingReport> {
  const prices: PriceLookup = loadPriceTable(options.prices);
  if (options.metrics) {
    const recorded = readMetricsFile(options.metrics);
    const name = options.profile ?? recorded.profile;
    if (!name)
      throw new RightsizeInputError(`${options.metrics} does not say which profile it was recorded for: pass --profile (dev, staging, prod)`);
    return advise({
      profile: profileFor(name),
      targets: recorded.components,
      series: recorded.series,
      window: recorded.window,
      prices,
      safetyProblems,
    });
  }
  const config = readConfig(options.config!);
  const profile: Profile = options.profile ? profileFor(options.profile) : config.profile;
  if (!aws) throw new Error('reading CloudWatch needs AWS access');
  const window = windowEnding(aws.now(), options.window ?? config.windowDays, config.periodSeconds);
  const series = await readMetrics(config, window, aws.getMetricData).catch((error: unknown) => {
    // AWS's answer (no credentials, access denied, throttled past the retries) is not a bug here:
    // say it alone. A programming error keeps its stack.
    if (error instanceof TypeError || error instanceof ReferenceError || !(error instanceof Error)) throw error;
    throw new ExternalFailure(error.message, { cause: error });
  });
  if (options.record) {
    const components = COMPONENTS.filter((c) => config.targets[c] !== undefined);
    fs.writeFileSync(options.record, `${JSON.stringify(toMetricsFile({ profile: profile.name, window, components, series }))}\n`);
  }
  return advise({ profile, targets: config.targets, series, window, prices, safetyProblems });
}

function readConfig(file: string): AdvisorConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new RightsizeInputError(
      `configuration file ${file} not found; save the deployed advisor's with: aws lambda get-function-configuration --function-name <advisor function> --query Environment.Variables.RIGHTSIZING_CONFIG --output text > ${file}`,
    );
  }
  return parseAdvisorConfig(text, file);
}

/**
 * Input errors of the code the tool shares with the deployed advisor (lambda/ and lib/ cannot
 * import tools/): the user's to fix, like a UsageError.
 */
export function isInputError(error: unknown): boolean {
  return error instanceof AdvisorInputError || (error as Error)?.name === 'ConfigurationError';
}

/** The CLI: prints the report (or the usage, or the problem) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo, aws?: () => Promise<Aws>, deps: RightsizeDependencies = {}): Promise<number> {
  return guard(
    'rightsize',
    io,
    async () => {
      const options = parseArgs(argv);
      if (options.help) {
        io.out(COMMAND.helpText);
        return EXIT.ok;
      }
      const report = await rightsize(options, options.config ? await (aws ?? liveAws)() : undefined);
      if (!options.apply) {
        io.out(options.json ? JSON.stringify(report, null, 2) : renderTable(report));
        return EXIT.ok;
      }
      return applyAdvice(report, options, io, (deps.environment ?? defaultEnvironment)(io, options.jobs ?? defaultJobs()));
    },
    { isUsageError: isInputError },
  );
}

/** What `main` needs from outside for --apply, replaced in tests. */
export interface RightsizeDependencies {
  /** Where the app is and how to synthesize it (the cost tool's). */
  readonly environment?: (io: Io, jobs: number) => DiffEnvironment;
}

/**
 * --apply: the plan (what passes the rules), the override file, and the priced difference of the
 * profile without and with it.
 */
async function applyAdvice(report: RightsizingReport, options: RightsizeOptions, io: Io, env: DiffEnvironment): Promise<number> {
  const profile = profileFor(report.profile);
  const plan = planOverrides(report, profile, {
    tool: 'npm run rightsize -- --apply',
    generatedAt: report.generatedAt,
    ...(options.metrics ? { metrics: options.metrics } : { config: options.config }),
    window: report.window,
    advisorMonthlyUsd: report.monthlyUsd,
  });
  const file = plan.applied.length > 0 ? (options.overrides ?? `profile-overrides-${profile.name}.json`) : undefined;
  if (file) fs.writeFileSync(file, overrideFileText(plan));
  const priced = file && !options['skip-diff'] ? await pricedDifference(plan, file, loadPriceTable(options.prices), env) : undefined;
  if (options.json) {
    io.out(JSON.stringify({ report, apply: planJson(plan, file), diff: priced?.json ?? null }, null, 2));
    return EXIT.ok;
  }
  io.out(renderTable(report));
  io.out(`\n${renderPlan(plan, file)}`);
  if (priced) io.out(`\n${priced.text}`);
  return EXIT.ok;
}

/**
 * Synthesizes the profile without and with the override file (`-c profileOverrides=<file>`, as a
 * user would), prices both, and renders the difference with the cost tool's diff.
 */
async function pricedDifference(plan: ApplyPlan, file: string, prices: PriceTable, env: DiffEnvironment): Promise<{ text: string; json: unknown }> {
  const name = plan.profile.name;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rightsize-apply-'));
  try {
    const sides = { before: `profile ${name}`, after: `profile ${name} + ${file}` };
    const [before, after] = await synthesizeAll(
      [
        { cwd: env.root, profile: name, outDir: path.join(out, 'before'), label: sides.before },
        { cwd: env.root, profile: name, outDir: path.join(out, 'after'), label: sides.after, context: { profileOverrides: path.resolve(file) } },
      ],
      env,
    );
    const usage = UsageAssumptions.load().forProfile(name);
    const diff = diffEstimates(estimate(name, before, prices, usage), estimate(name, after, prices, usage));
    const lines = [
      `Priced through the templates: npx cdk synth -c profile=${name}, without and with -c profileOverrides=${file}`,
      renderDiffText(diff, sides, prices),
    ];
    const same = JSON.stringify(before.map((t) => t.template.Resources)) === JSON.stringify(after.map((t) => t.template.Resources));
    if (same) {
      lines.push(
        `warning: the templates with -c profileOverrides=${file} are the same as without it: this app does not read profileOverrides yet ` +
          '(bin/app.ts / lib/config, see docs/cost-review.md), so the change is not priced',
      );
    } else {
      const advisor = plan.applied.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0);
      lines.push(
        `The advisor estimated ${usdPerMonth(Math.round(advisor * 100) / 100)} at the load it measured; the templates give the baseline ${usdPerMonth(Math.round(diff.baseline.change * 100) / 100)} ` +
          `and the peak ${usdPerMonth(Math.round(diff.peak.change * 100) / 100)} at the usage assumptions of tools/cost/data/usage.json (autoscaling at its minimum and its maximum).`,
      );
    }
    return { text: lines.join('\n'), json: diffJson([diff], sides, prices, undefined, []) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function liveAws(): Promise<Aws> {
  const { CloudWatchClient, GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const client = new CloudWatchClient({ maxAttempts: 1 });
  return { getMetricData: (input) => client.send(new GetMetricDataCommand(input)), now: () => new Date() };
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
