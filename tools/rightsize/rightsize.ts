// `npm run rightsize`: the right-sizing advisor from a workstation. The same analysis as the
// deployed advisor (lambda/rightsizing), as a table or JSON, from a recorded metrics file (no AWS
// account needed) or live from CloudWatch with the deployed advisor's configuration.
//
//   npm run rightsize -- --metrics <file> [--profile dev|staging|prod] [--json] [--prices <file>]
//   npm run rightsize -- --config <file> [--window <days>] [--record <file>] [--json]
//
// Exit codes: 0 a report (with or without recommendations), 1 AWS failed, 2 bad input.
import * as fs from 'node:fs';
import { advise, type RightsizingReport } from '../../lambda/rightsizing/advisor';
import { AdvisorInputError, parseAdvisorConfig, type AdvisorConfig } from '../../lambda/rightsizing/config';
import { COMPONENTS } from '../../lambda/rightsizing/plan';
import type { PriceLookup } from '../../lambda/rightsizing/prices';
import { renderTable } from '../../lambda/rightsizing/report';
import { readMetrics, windowEnding } from '../../lambda/rightsizing/run';
import { safetyProblems } from '../../lambda/rightsizing/safety';
import { RIGHTSIZING_WINDOW_RANGE } from '../../lib/core/insights';
import { PROFILE_NAMES, profileFor } from '../../lib/core/profiles';
import type { Profile } from '../../lib/core/profiles/profile';
import { DEFAULT_PRICES_FILE, loadPriceTable } from '../cost/prices';
import { consoleIo, defineCommand, EXIT, ExternalFailure, guard, UsageError, type Io } from '../shared/cli';
import { readMetricsFile, RightsizeInputError, toMetricsFile } from './metrics-file';

export const COMMAND = defineCommand({
  usage: 'npm run rightsize -- (--metrics <file> | --config <file>) [options]',
  options: {
    metrics: { type: 'string', placeholder: '<file>', help: 'a recorded metrics file (README "Right-sizing advisor"): no AWS account needed' },
    config: {
      type: 'string', placeholder: '<file>',
      help: "the deployed advisor's configuration (its RIGHTSIZING_CONFIG variable: the profile and where its metrics are), to read CloudWatch with your credentials",
    },
    profile: { type: 'string', placeholder: '<name>', choices: PROFILE_NAMES, noun: 'profile', help: `the profile to judge against (${PROFILE_NAMES.join(', ')}); default: the file's` },
    window: {
      type: 'integer', placeholder: '<days>', min: RIGHTSIZING_WINDOW_RANGE.min, max: RIGHTSIZING_WINDOW_RANGE.max, unit: 'days',
      why: 'CloudWatch keeps one-minute datapoints 15 days',
      help: `with --config: days to read (${RIGHTSIZING_WINDOW_RANGE.min}-${RIGHTSIZING_WINDOW_RANGE.max}), default the configuration's (14)`,
    },
    record: { type: 'string', placeholder: '<file>', help: 'with --config: also save what was read as a metrics file' },
    prices: { type: 'string', placeholder: '<file>', default: DEFAULT_PRICES_FILE, help: 'another price table (default: lib/core/prices/prices-us-east-1.json)' },
    json: { type: 'boolean', help: 'the report as JSON' },
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
  readonly help: boolean;
}

/** Parses the command line; a mistake is a UsageError saying what is valid. */
export function parseArgs(argv: readonly string[]): RightsizeOptions {
  const options: RightsizeOptions = COMMAND.parse(argv);
  if (options.help) return options;
  if (!options.metrics === !options.config) throw COMMAND.usageError('give either --metrics <file> or --config <file>');
  if (options.metrics && (options.window !== undefined || options.record)) throw new UsageError('--window and --record read CloudWatch: use them with --config, not --metrics');
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
    if (!name) throw new RightsizeInputError(`${options.metrics} does not say which profile it was recorded for: pass --profile (dev, staging, prod)`);
    return advise({ profile: profileFor(name), targets: recorded.components, series: recorded.series, window: recorded.window, prices, safetyProblems });
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
    throw new RightsizeInputError(`configuration file ${file} not found; save the deployed advisor's with: aws lambda get-function-configuration --function-name <advisor function> --query Environment.Variables.RIGHTSIZING_CONFIG --output text > ${file}`);
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
export async function main(argv: readonly string[], io: Io = consoleIo, aws?: () => Promise<Aws>): Promise<number> {
  return guard('rightsize', io, async () => {
    const options = parseArgs(argv);
    if (options.help) {
      io.out(COMMAND.helpText);
      return EXIT.ok;
    }
    const report = await rightsize(options, options.config ? await (aws ?? liveAws)() : undefined);
    io.out(options.json ? JSON.stringify(report, null, 2) : renderTable(report));
    return EXIT.ok;
  }, { isUsageError: isInputError });
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
