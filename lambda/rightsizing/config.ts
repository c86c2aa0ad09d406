import * as z from 'zod/mini';
import { describeIssues } from '../shared/schema';
import { RIGHTSIZING_PERIOD_RANGE, RIGHTSIZING_PERIOD_SECONDS, RIGHTSIZING_WINDOW_DAYS, RIGHTSIZING_WINDOW_RANGE } from '../../lib/core/insights';
import type { Profile } from '../../lib/core/profiles/profile';
import type { Targets } from './plan';

/** The environment variable that holds the advisor's configuration (JSON, written by the construct). */
export const CONFIG_VARIABLE = 'RIGHTSIZING_CONFIG';
/** The environment variable with the ARN of the topic the advisor notifies (optional). */
export const TOPIC_VARIABLE = 'RIGHTSIZING_TOPIC_ARN';

/** Bad configuration or input: said once, never retried (the same input would fail the same way). */
export class AdvisorInputError extends Error {
  override readonly name = 'AdvisorInputError';
}

export interface AdvisorConfig {
  /** The profile the stack was synthesized from. */
  readonly profile: Profile;
  readonly targets: Targets;
  readonly windowDays: number;
  readonly periodSeconds: number;
}

const name = z.string().check(z.minLength(1), z.maxLength(512));
const section = z.looseObject({});
const ProfileShape = z.looseObject({
  name: z.string().check(z.minLength(1)),
  production: z.boolean(),
  network: section,
  web: section,
  database: section,
  cache: section,
  worker: section,
  observability: section,
  cost: section,
});

export const WindowDays = z.int().check(z.gte(RIGHTSIZING_WINDOW_RANGE.min), z.lte(RIGHTSIZING_WINDOW_RANGE.max));
export const PeriodSeconds = z.int().check(
  z.gte(RIGHTSIZING_PERIOD_RANGE.min),
  z.lte(RIGHTSIZING_PERIOD_RANGE.max),
  z.refine((n) => n % 60 === 0, 'must be a whole number of minutes (a multiple of 60)'),
);

const Config = z.object({
  profile: ProfileShape,
  targets: z.object({
    web: z.optional(z.object({ clusterName: name, serviceName: name, loadBalancer: name, targetGroup: name, containerInsights: z.boolean() })),
    database: z.optional(z.object({ instanceIdentifier: name })),
    cache: z.optional(z.object({ memberClusterIds: z.array(name).check(z.minLength(1), z.maxLength(90)) })),
    worker: z.optional(z.object({ functionName: name, queueName: name })),
  }),
  windowDays: z._default(WindowDays, RIGHTSIZING_WINDOW_DAYS),
  periodSeconds: z._default(PeriodSeconds, RIGHTSIZING_PERIOD_SECONDS),
});

/** The configuration in `text` (JSON), or an AdvisorInputError naming every field at fault. */
export function parseAdvisorConfig(text: string | undefined, source = CONFIG_VARIABLE): AdvisorConfig {
  if (text === undefined || text.trim() === '')
    throw new AdvisorInputError(`${source} is not set: the advisor needs its configuration (the profile and where its metrics are)`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AdvisorInputError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = Config.safeParse(json);
  if (!parsed.success) throw new AdvisorInputError(`${source} is not a valid advisor configuration: ${describeIssues(parsed.error)}`);
  return { ...parsed.data, profile: parsed.data.profile as unknown as Profile };
}

/** What an invocation may override (`aws lambda invoke --payload '{"windowDays":7,"notify":false}'`). */
const Event = z.strictObject({
  windowDays: z.optional(WindowDays),
  notify: z.optional(z.boolean()),
});
export type AdvisorEvent = z.output<typeof Event>;

/**
 * The overrides of an invocation. EventBridge Scheduler sends no payload (an empty object); unknown
 * fields are refused so a typo does not pass silently.
 */
export function parseAdvisorEvent(event: unknown): AdvisorEvent {
  if (event === undefined || event === null || (typeof event === 'object' && Object.keys(event).length === 0)) return {};
  const parsed = Event.safeParse(event);
  if (!parsed.success)
    throw new AdvisorInputError(
      `the invocation's payload is not valid: ${describeIssues(parsed.error)}; send {} or { "windowDays": 1-15, "notify": true|false }`,
    );
  return parsed.data;
}
