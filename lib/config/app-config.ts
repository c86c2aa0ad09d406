import { profileFor, PROFILE_NAMES, type Profile } from '../profiles';
import { ConfigurationError, show } from '../private/problems';

/** What `bin/app.ts` reads from CDK context and the CDK CLI's environment, checked and typed. */
export interface AppConfig {
  readonly profile: Profile;
  /** Account and region to pin the stack to; absent = environment-agnostic. */
  readonly env: { readonly account?: string; readonly region?: string };
  /** Container image reference for the web service; absent = the built-in default image. */
  readonly image?: string;
  /** Explicit availability zone names; absent = the region's first zones at deploy time. */
  readonly availabilityZones?: string[];
}

/** The context keys the app reads (`-c key=value`), with what each takes. */
export const CONTEXT_KEYS = {
  profile: `one of ${PROFILE_NAMES.join(', ')} (default dev)`,
  account: 'a 12-digit AWS account ID (or set CDK_DEFAULT_ACCOUNT)',
  region: "an AWS region name such as 'us-east-1' (or set CDK_DEFAULT_REGION)",
  image: "a container image reference such as 'public.ecr.aws/nginx/nginx:stable' or 'repo@sha256:<64 hex>'",
  availabilityZones: "comma-separated zone names such as 'us-east-1a,us-east-1b,us-east-1c'",
} as const;

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ZONE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}[a-z]$/;

/**
 * Reads and checks the app's context. Every malformed value is reported at once, each with what is
 * valid. `context` is `(key) => app.node.tryGetContext(key)`; `environment` is `process.env`.
 */
export function parseAppConfig(
  context: (key: string) => unknown,
  environment: Readonly<Record<string, string | undefined>> = {},
): AppConfig {
  const problems: string[] = [];
  const text = (key: keyof typeof CONTEXT_KEYS, fallback?: string): string | undefined => {
    const value = context(key) ?? fallback;
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') {
      problems.push(`-c ${key}=${show(value)} must be text: ${CONTEXT_KEYS[key]}`);
      return undefined;
    }
    return value.trim();
  };

  const profileName = text('profile') ?? 'dev';
  let profile: Profile | undefined;
  try {
    profile = profileFor(profileName);
  } catch {
    problems.push(`-c profile=${profileName} is not a profile; valid profiles are ${PROFILE_NAMES.join(', ')}`);
  }

  const account = text('account', environment.CDK_DEFAULT_ACCOUNT);
  if (account !== undefined && !ACCOUNT.test(account)) {
    problems.push(`account ${show(account)} is not an AWS account ID: ${CONTEXT_KEYS.account}`);
  }
  const region = text('region', environment.CDK_DEFAULT_REGION);
  if (region !== undefined && !REGION.test(region)) {
    problems.push(`region ${show(region)} is not an AWS region name: ${CONTEXT_KEYS.region}`);
  }

  const image = text('image');
  if (image !== undefined) {
    const why = imageReferenceProblem(image);
    if (why) problems.push(`image ${show(image)} cannot be parsed: ${why}. Expected ${CONTEXT_KEYS.image}`);
  }

  const zonesText = text('availabilityZones');
  const availabilityZones = zonesText?.split(',').map((z) => z.trim()).filter((z) => z !== '');
  for (const zone of availabilityZones ?? []) {
    if (!ZONE.test(zone)) problems.push(`availabilityZones entry ${show(zone)} is not a zone name: ${CONTEXT_KEYS.availabilityZones}`);
  }

  if (problems.length > 0 || profile === undefined) throw new ConfigurationError('cdk context', problems);
  return {
    profile,
    env: { account, region },
    image,
    availabilityZones: availabilityZones?.length ? availabilityZones : undefined,
  };
}

// The distribution reference grammar (github.com/distribution/reference, reference.go), reduced
// to what a deploy needs: [host[:port]/]path[:tag][@digest], path components lower-case.
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/** Why `ref` is not a valid image reference, or undefined when it is. */
export function imageReferenceProblem(ref: string): string | undefined {
  if (ref.length > 255 + 128 + 72) return 'it is longer than any valid reference';
  if (/\s/.test(ref)) return 'it contains whitespace';
  let rest = ref;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!DIGEST.test(rest.slice(at + 1))) return `the digest '${rest.slice(at + 1)}' is not algorithm:hex (e.g. sha256:<64 hex>)`;
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    const tag = rest.slice(colon + 1);
    if (!TAG.test(tag)) return `the tag '${tag}' must be 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`;
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) {
    if (!HOST.test(parts[0])) return `the registry host '${parts[0]}' is not a host name`;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((part) => !PATH_COMPONENT.test(part))) {
    return `the repository '${parts.join('/')}' must be lower-case path components separated by '/'`;
  }
  return undefined;
}
