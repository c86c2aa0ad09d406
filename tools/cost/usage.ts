import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { CostInputError, describeIssues } from './errors';

/** The usage assumptions shipped with the repo, each with its unit and reason. */
export const DEFAULT_USAGE_FILE = path.join(__dirname, 'data', 'usage.json');

/** A quiet month with autoscaling at its minimum, or a busy one at its maximum. */
export type Scenario = 'baseline' | 'peak';
export const SCENARIOS: readonly Scenario[] = ['baseline', 'peak'];

/** Every assumption a pricer may read. The data file must define each, with a unit and a reason. */
export const USAGE_KEYS = [
  'albLcu',
  'albNodesPerAz',
  'natGatewayDataGb',
  'internetEgressGb',
  'crossAzGb',
  'flowLogGbReject',
  'flowLogGbAll',
  'appLogGbPerTask',
  'workerMessages',
  'workerDurationMs',
  'workerLogGb',
  'sqsIdlePollRequests',
  'dlqMessages',
  'otherQueueRequests',
  'otherFunctionInvocations',
  'otherFunctionDurationMs',
  'otherFunctionLogGb',
  'otherLogGroupGb',
  'neverExpireLogMonths',
  'interfaceEndpointDataGb',
  'ec2RootVolumeGiB',
  'rdsLogExportGb',
  'rdsEnhancedMonitoringKbPerSample',
  'rdsBackupGbBeyondFree',
  'cacheSnapshotGb',
  'backupDataGb',
  'backupDailyChangeGb',
  'cacheServerlessGb',
  'cacheServerlessEcpuMillions',
  'containerInsightsMetricsPerCluster',
  'containerInsightsMetricsPerService',
  'containerInsightsLogGbPerTask',
  'snsPublishesPerTopic',
  'secretApiCallsPerSecret',
  'kmsRequestsPerKey',
  's3StorageGbPerBucket',
  's3PutRequestsPerBucket',
  'edgeRequests',
  'edgeDataOutGb',
  'edgeDataToOriginGb',
  'edgeCacheHitPercent',
] as const;
export type UsageKey = (typeof USAGE_KEYS)[number];

/** One resolved assumption, and where its figures came from. */
export interface Assumption {
  readonly unit: string;
  readonly reason: string;
  readonly baseline: number;
  readonly peak: number;
  /** 'default', 'profile <name>' or the --usage file that set it last. */
  readonly from: string;
}
export type Usage = Readonly<Record<UsageKey, Assumption>>;

// A figure in an override: a number (baseline and peak) or either of them. Negatives are refused
// with the key's path in the message.
const figure = z.number({ error: 'must be a number' }).finite().nonnegative({ error: 'must not be negative (it is a monthly amount)' });
const override = z.union(
  [figure, z.object({ baseline: figure.optional(), peak: figure.optional(), reason: z.string().min(1).optional() }).strict()],
  { error: 'must be a number, or {"baseline": number, "peak": number, "reason": "why"}' },
);
const overrides = z.record(z.string(), override);
const overrideFileSchema = z
  .object({
    $comment: z.string().optional(),
    assumptions: overrides.optional(),
    profiles: z.record(z.string(), overrides).optional(),
  })
  .strict();

const defaultsSchema = z.object({
  $comment: z.string().optional(),
  assumptions: z.record(z.string(), z.object({ unit: z.string().min(1), baseline: figure, peak: figure, reason: z.string().min(1) }).strict()),
  profiles: z.record(z.string(), overrides).optional(),
});

type OverrideFile = z.infer<typeof overrideFileSchema>;
type DefaultsFile = z.infer<typeof defaultsSchema>;

function readJson(file: string, what: string, fix: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CostInputError(`${what} ${file} not found; ${fix}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CostInputError(`${what} ${file} is not valid JSON (${(error as Error).message})`);
  }
}

/** The assumptions every profile starts from, and the per-profile overrides of the data file. */
export class UsageAssumptions {
  private constructor(
    private readonly defaults: DefaultsFile,
    private readonly extra: { file: string; data: OverrideFile }[],
  ) {}

  static load(file: string = DEFAULT_USAGE_FILE): UsageAssumptions {
    const parsed = defaultsSchema.safeParse(readJson(file, 'usage assumptions', 'restore tools/cost/data/usage.json from git'));
    if (!parsed.success) throw new CostInputError(`usage assumptions ${file} are malformed:\n${describeIssues(parsed.error.issues)}`);
    const missing = USAGE_KEYS.filter((key) => !(key in parsed.data.assumptions));
    if (missing.length > 0)
      throw new CostInputError(`usage assumptions ${file} lack ${missing.join(', ')}; each needs {unit, baseline, peak, reason}`);
    const unknown = Object.keys(parsed.data.assumptions).filter((key) => !(USAGE_KEYS as readonly string[]).includes(key));
    if (unknown.length > 0)
      throw new CostInputError(
        `usage assumptions ${file} define ${unknown.join(', ')}, which no pricer reads; remove them or add them to USAGE_KEYS`,
      );
    const assumptions = new UsageAssumptions(parsed.data, []);
    assumptions.checkKeys(file, parsed.data.profiles);
    return assumptions;
  }

  /** These assumptions with a user's `--usage` file applied on top. */
  withOverrides(file: string): UsageAssumptions {
    const parsed = overrideFileSchema.safeParse(readJson(file, 'usage file', 'check the path given to --usage'));
    if (!parsed.success) {
      throw new CostInputError(
        `usage file ${file} is invalid; give {"assumptions": {"<key>": number or {"baseline": n, "peak": n}}, "profiles": {"<profile>": {...}}}:\n${describeIssues(parsed.error.issues)}`,
      );
    }
    this.checkKeys(file, { '': parsed.data.assumptions ?? {}, ...parsed.data.profiles });
    return new UsageAssumptions(this.defaults, [...this.extra, { file, data: parsed.data }]);
  }

  /** The assumptions for one profile: defaults, then the profile's, then each --usage file's. */
  forProfile(profile: string): Usage {
    const resolved = {} as Record<UsageKey, Assumption>;
    for (const key of USAGE_KEYS) {
      const base = this.defaults.assumptions[key];
      resolved[key] = { unit: base.unit, reason: base.reason, baseline: base.baseline, peak: base.peak, from: 'default' };
    }
    const apply = (layer: Record<string, z.infer<typeof override>> | undefined, from: string) => {
      for (const [key, value] of Object.entries(layer ?? {})) {
        const current = resolved[key as UsageKey];
        const next = typeof value === 'number' ? { baseline: value, peak: value, reason: undefined } : value;
        resolved[key as UsageKey] = {
          ...current,
          baseline: next.baseline ?? current.baseline,
          peak: next.peak ?? current.peak,
          reason: next.reason ?? current.reason,
          from,
        };
      }
    };
    apply(this.defaults.profiles?.[profile], `profile ${profile}`);
    for (const { file, data } of this.extra) {
      apply(data.assumptions, file);
      apply(data.profiles?.[profile], file);
    }
    return resolved;
  }

  private checkKeys(file: string, layers: Record<string, Record<string, unknown>> | undefined): void {
    for (const [profile, layer] of Object.entries(layers ?? {})) {
      for (const key of Object.keys(layer)) {
        if (!(USAGE_KEYS as readonly string[]).includes(key)) {
          const where = profile ? `profiles.${profile}.${key}` : `assumptions.${key}`;
          throw new CostInputError(`usage file ${file}: ${where} is not an assumption; valid keys are ${USAGE_KEYS.join(', ')}`);
        }
      }
    }
  }
}
