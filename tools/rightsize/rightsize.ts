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
import { profileFor } from '../../lib/core/profiles';
import type { Profile } from '../../lib/core/profiles/profile';
import { CostInputError } from '../cost/errors';
import { DEFAULT_PRICES_FILE, loadPriceTable } from '../cost/prices';
import { readMetricsFile, RightsizeInputError, toMetricsFile } from './metrics-file';

export const USAGE_TEXT = `Usage: npm run rightsize -- (--metrics <file> | --config <file>) [options]
  --metrics <file>   a recorded metrics file (README "Right-sizing advisor"): no AWS account needed
  --config <file>    the deployed advisor's configuration (its RIGHTSIZING_CONFIG variable: the
                     profile and where its metrics are), to read CloudWatch with your credentials
  --profile <name>   the profile to judge against (dev, staging, prod); default: the file's
  --window <days>    with --config: days to read (${RIGHTSIZING_WINDOW_RANGE.min}-${RIGHTSIZING_WINDOW_RANGE.max}), default the configuration's (14)
  --record <file>    with --config: also save what was read as a metrics file
  --prices <file>    another price table (default: lib/core/prices/prices-us-east-1.json)
  --json             the report as JSON`;

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

/** Parses the command line; a mistake is a RightsizeInputError saying what is valid. */
export function parseArgs(argv: readonly string[]): RightsizeOptions {
  const options: { -readonly [K in keyof RightsizeOptions]: RightsizeOptions[K] } = { prices: DEFAULT_PRICES_FILE, json: false, help: false };
  const value = (flag: string, i: number): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new RightsizeInputError(`${flag} needs a value\n${USAGE_TEXT}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--metrics': case '--config': case '--profile': case '--record': case '--prices':
        options[arg.slice(2) as 'metrics' | 'config' | 'profile' | 'record' | 'prices'] = value(arg, i++);
        break;
      case '--window': {
        const raw = value(arg, i++);
        const days = Number(raw);
        if (!Number.isInteger(days) || days < RIGHTSIZING_WINDOW_RANGE.min || days > RIGHTSIZING_WINDOW_RANGE.max) {
          throw new RightsizeInputError(`--window needs a whole number of days from ${RIGHTSIZING_WINDOW_RANGE.min} to ${RIGHTSIZING_WINDOW_RANGE.max} (CloudWatch keeps one-minute datapoints 15 days), got '${raw}'`);
        }
        options.window = days;
        break;
      }
      case '--json':
        options.json = true;
        break;
      case '--help': case '-h':
        options.help = true;
        break;
      default:
        throw new RightsizeInputError(`unknown option '${arg}'\n${USAGE_TEXT}`);
    }
  }
  if (options.help) return options;
  if (!options.metrics === !options.config) throw new RightsizeInputError(`give either --metrics <file> or --config <file>\n${USAGE_TEXT}`);
  if (options.metrics && (options.window !== undefined || options.record)) throw new RightsizeInputError('--window and --record read CloudWatch: use them with --config, not --metrics');
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
  const series = await readMetrics(config, window, aws.getMetricData);
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

/** Whether `error` is the user's to fix (printed alone, exit code 2). */
export function isInputError(error: unknown): boolean {
  return error instanceof RightsizeInputError || error instanceof AdvisorInputError || error instanceof CostInputError
    || (error as Error)?.name === 'ConfigurationError';
}

/** Where the CLI prints. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** The CLI: prints the report (or the usage, or the problem) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = { out: (t) => console.log(t), err: (t) => console.error(t) }, aws?: () => Promise<Aws>): Promise<number> {
  try {
    const options = parseArgs(argv);
    if (options.help) {
      io.out(USAGE_TEXT);
      return 0;
    }
    const report = await rightsize(options, options.config ? await (aws ?? liveAws)() : undefined);
    io.out(options.json ? JSON.stringify(report, null, 2) : renderTable(report));
    return 0;
  } catch (error) {
    io.err(`rightsize: ${(error as Error).message}`);
    return isInputError(error) ? 2 : 1;
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
