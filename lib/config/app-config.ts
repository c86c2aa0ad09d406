import { readFileSync } from 'node:fs';
import { profileFor, PROFILE_NAMES, type Profile } from '../core/profiles';
import { overrideProfileFromFile } from '../core/profiles/overrides';
import { EMAIL_ADDRESS } from '../core/monitoring';
import { ConfigurationError, show } from '../private/problems';
import { copyRegionProblem } from '../core/backup';

/** What `bin/app.ts` reads from CDK context and the CDK CLI's environment, checked and typed. */
export interface AppConfig {
  readonly profile: Profile;
  /**
   * Account and region to pin the stack to, from `-c account` and `-c region` only; each one absent
   * is left to deploy time. The CDK CLI's CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION are never read:
   * the CLI fills them from the caller's AWS configuration (us-east-1 when there is none), so they
   * would make the template depend on the machine that runs synth.
   */
  readonly env: { readonly account?: string; readonly region?: string };
  /**
   * Run aws-cdk-lib's built-in CloudFormation validator on synth (`-c validate=true`, which
   * `npm run synth:all` sets in CI). cdk-nag runs on every synth either way.
   */
  readonly cloudFormationValidation: boolean;
  /** Container image reference for the web service; absent = the built-in default image. */
  readonly image?: string;
  /** Explicit availability zone names; absent = the region's first zones at deploy time. */
  readonly availabilityZones?: string[];
  /** The name clients use for the web service; absent = the load balancer's DNS name over HTTP. */
  readonly domainName?: string;
  /** The Route 53 zone of `domainName`, by ID and name (never looked up). */
  readonly hostedZone?: { readonly hostedZoneId: string; readonly zoneName: string };
  /** An existing ACM certificate for `domainName`, in us-east-1 (CloudFront's); absent = one is issued when a zone is given. */
  readonly certificateArn?: string;
  /** A CLOUDFRONT-scope web ACL from a us-east-1 stack, for a stack deployed elsewhere. */
  readonly edgeWebAclArn?: string;
  /** Addresses subscribed to the alarm topic; absent = no subscription. */
  readonly alarmEmails?: string[];
}

/** The context keys the app reads (`-c key=value`), with what each takes. */
export const CONTEXT_KEYS = {
  profile: `one of ${PROFILE_NAMES.join(', ')} (default dev)`,
  account: 'a 12-digit AWS account ID; pins the stack to that account',
  region: "an AWS region name such as 'us-east-1'; pins the stack to that region",
  validate: "'true' to also run aws-cdk-lib's built-in CloudFormation validator (npm run synth:all does), 'false' (the default) to skip it",
  image: "a container image reference such as 'public.ecr.aws/nginx/nginx:stable' or 'repo@sha256:<64 hex>'",
  availabilityZones: "comma-separated zone names such as 'us-east-1a,us-east-1b,us-east-1c', or zone IDs such as 'use1-az1,use1-az2,use1-az4'",
  domain: "the DNS name clients use, such as 'app.example.com' (with hostedZoneId and hostedZoneName, or certificateArn)",
  hostedZoneId: "the ID of the Route 53 hosted zone of the domain, such as 'Z0123456789ABCDEFGHIJ' (with hostedZoneName)",
  hostedZoneName: "the name of that hosted zone, such as 'example.com' (with hostedZoneId)",
  certificateArn:
    "the ARN of an ACM certificate for the domain in us-east-1 (CloudFront takes certificates from there only), such as 'arn:aws:acm:us-east-1:123456789012:certificate/<uuid>'",
  edgeWebAclArn:
    "the ARN of a CLOUDFRONT-scope WAF web ACL in us-east-1, such as 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/<name>/<id>', for a stack outside us-east-1 (docs/edge.md)",
  profileOverrides: 'a JSON file of profile fields to change, as `npm run rightsize -- --apply` writes it (docs/cost-review.md)',
  alarmEmail: "one or more e-mail addresses for the alarm notifications, comma-separated, such as 'ops@example.com,oncall@example.com'",
  backupCopyRegion:
    "the AWS Region the backup plan copies recovery points to, other than the stack's, such as 'us-east-2'; replaces the profile's backup.copyRegion (docs/backup-restore.md)",
} as const;

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ZONE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}[a-z]$|^[a-z]{2,4}\d{1,2}(-[a-z]+\d+)?-az\d{1,2}$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[0-9a-f-]{36}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(-[a-z]+)+-\d{1,2}):\d{12}:certificate\/[0-9a-f-]{36}$/;

/**
 * Reads and checks the app's context. Every malformed value is reported at once, each with what is
 * valid. `context` is `(key) => app.node.tryGetContext(key)`. Only context is read, never the
 * environment: the same `-c` options give the same template on every machine.
 */
export function parseAppConfig(context: (key: string) => unknown): AppConfig {
  const problems: string[] = [];
  const text = (key: keyof typeof CONTEXT_KEYS): string | undefined => {
    const value = context(key);
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
  const overridesFile = text('profileOverrides');
  if (profile !== undefined && overridesFile !== undefined) {
    const overridden = overrideProfileFromFile(profile, overridesFile, (file) => readFileSync(file, 'utf8'));
    problems.push(...overridden.problems);
    profile = overridden.profile;
  }

  const account = text('account');
  if (account !== undefined && !ACCOUNT.test(account)) {
    problems.push(`account ${show(account)} is not an AWS account ID: ${CONTEXT_KEYS.account}`);
  }
  const region = text('region');
  if (region !== undefined && !REGION.test(region)) {
    problems.push(`region ${show(region)} is not an AWS region name: ${CONTEXT_KEYS.region}`);
  }

  // -c backupCopyRegion replaces the profile's backup.copyRegion (checked here against -c region;
  // against a region known only at deploy time, DataBackup's CloudFormation rule checks it).
  const backupCopyRegion = text('backupCopyRegion');
  if (backupCopyRegion !== undefined) {
    const why = copyRegionProblem('-c backupCopyRegion', backupCopyRegion, region);
    if (why) problems.push(why);
    else if (profile !== undefined) profile = { ...profile, backup: { ...profile.backup, copyRegion: backupCopyRegion } };
  }

  const cloudFormationValidation = flag(context('validate'), 'validate', problems);

  const image = text('image');
  if (image !== undefined) {
    const why = imageReferenceProblem(image);
    if (why) problems.push(`image ${show(image)} cannot be parsed: ${why}. Expected ${CONTEXT_KEYS.image}`);
  }

  const zonesText = text('availabilityZones');
  const availabilityZones = zonesText
    ?.split(',')
    .map((z) => z.trim())
    .filter((z) => z !== '');
  for (const zone of availabilityZones ?? []) {
    if (!ZONE.test(zone)) problems.push(`availabilityZones entry ${show(zone)} is not a zone name or ID: ${CONTEXT_KEYS.availabilityZones}`);
  }

  const web = parseWebContext(text, problems);
  const edgeWebAclArn = text('edgeWebAclArn');
  if (edgeWebAclArn !== undefined && !WEB_ACL_ARN.test(edgeWebAclArn)) {
    problems.push(`edgeWebAclArn ${show(edgeWebAclArn)} is not a CLOUDFRONT-scope web ACL ARN in us-east-1: ${CONTEXT_KEYS.edgeWebAclArn}`);
  }

  const emailsText = text('alarmEmail');
  const alarmEmails = [
    ...new Set(
      emailsText
        ?.split(',')
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    ),
  ];
  for (const email of alarmEmails) {
    if (!EMAIL_ADDRESS.test(email)) problems.push(`alarmEmail entry ${show(email)} is not an e-mail address: ${CONTEXT_KEYS.alarmEmail}`);
  }

  if (problems.length > 0 || profile === undefined) throw new ConfigurationError('cdk context', problems);
  return {
    profile,
    env: { account, region },
    cloudFormationValidation,
    image,
    availabilityZones: availabilityZones?.length ? availabilityZones : undefined,
    ...web,
    edgeWebAclArn,
    alarmEmails: alarmEmails.length > 0 ? alarmEmails : undefined,
  };
}

/** A true/false context value: a boolean from cdk.json or the text `-c key=true|false` gives. */
function flag(value: unknown, key: keyof typeof CONTEXT_KEYS, problems: string[]): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  problems.push(`-c ${key}=${show(value)} must be true or false: ${CONTEXT_KEYS[key]}`);
  return false;
}

/** The web service's domain, zone and certificate: each well-formed, and a combination that works. */
function parseWebContext(
  text: (key: keyof typeof CONTEXT_KEYS) => string | undefined,
  problems: string[],
): Pick<AppConfig, 'domainName' | 'hostedZone' | 'certificateArn'> {
  const domainName = text('domain')?.toLowerCase().replace(/\.$/, '');
  const hostedZoneId = text('hostedZoneId');
  const zoneName = text('hostedZoneName')?.toLowerCase().replace(/\.$/, '');
  const certificateArn = text('certificateArn');

  if (domainName !== undefined && !DNS_NAME.test(domainName)) {
    problems.push(`domain ${show(domainName)} is not a DNS name: ${CONTEXT_KEYS.domain}`);
  }
  if (hostedZoneId !== undefined && !HOSTED_ZONE_ID.test(hostedZoneId)) {
    problems.push(`hostedZoneId ${show(hostedZoneId)} is not a Route 53 hosted zone ID: ${CONTEXT_KEYS.hostedZoneId}`);
  }
  if (zoneName !== undefined && !DNS_NAME.test(zoneName)) {
    problems.push(`hostedZoneName ${show(zoneName)} is not a DNS name: ${CONTEXT_KEYS.hostedZoneName}`);
  }
  if ((hostedZoneId === undefined) !== (zoneName === undefined)) {
    problems.push(`hostedZoneId and hostedZoneName go together (the zone is never looked up); give both or neither`);
  }
  const certificate = certificateArn === undefined ? undefined : CERTIFICATE_ARN.exec(certificateArn);
  if (certificateArn !== undefined && !certificate) {
    problems.push(`certificateArn ${show(certificateArn)} is not an ACM certificate ARN: ${CONTEXT_KEYS.certificateArn}`);
  }
  if (certificate && certificate[1] !== 'us-east-1') {
    problems.push(
      `certificateArn is in ${certificate[1]}, but CloudFront serves the domain and takes certificates from us-east-1 only; issue or import the certificate in us-east-1`,
    );
  }
  const hasZone = hostedZoneId !== undefined && zoneName !== undefined;
  if (domainName === undefined && (hasZone || certificateArn !== undefined)) {
    problems.push(
      `${hasZone ? 'hostedZoneId/hostedZoneName' : 'certificateArn'} given without domain: set -c domain=<name clients use>, such as 'app.example.com'`,
    );
  }
  if (domainName !== undefined && !hasZone && certificateArn === undefined) {
    problems.push(
      `domain ${show(domainName)} needs -c hostedZoneId=… -c hostedZoneName=… (to issue a certificate and create the alias record) or -c certificateArn=…`,
    );
  }
  const judgeable = domainName !== undefined && zoneName !== undefined && DNS_NAME.test(domainName) && DNS_NAME.test(zoneName);
  if (judgeable && domainName !== zoneName && !domainName.endsWith(`.${zoneName}`)) {
    problems.push(`domain ${show(domainName)} is not in hosted zone ${show(zoneName)}; use a name under it, such as 'app.${zoneName}'`);
  }
  return {
    domainName,
    hostedZone: hasZone ? { hostedZoneId, zoneName } : undefined,
    certificateArn,
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
