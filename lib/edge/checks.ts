import { Arn, ArnFormat, Token, type Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import { CLOUDFRONT_REGION, PATH_PATTERN, WAF_RATE_LIMIT } from '../core/edge';
import { show, type Problems } from '../private/problems';
import type { EdgePublicOrigin } from './props';

/** Everything Edge judges, after its defaults are applied. `region` is undefined while a token. */
export interface EdgeValues {
  readonly region?: string;
  readonly staticPathPatterns: readonly string[];
  readonly staticTtl: { readonly min: Duration; readonly default: Duration; readonly max: Duration };
  readonly dynamicMaxTtl: Duration;
  readonly originShieldRegion?: string;
  readonly originDomainName?: string;
  readonly publicOrigin?: EdgePublicOrigin;
  readonly webAcl: boolean;
  readonly webAclArn?: string;
  readonly rateLimitPer5Minutes?: number;
  readonly logRetentionDays: number;
  /** Whether access logs are on, and whether logRetentionDays was given (not defaulted). */
  readonly accessLogs: boolean;
  readonly logRetentionGiven: boolean;
  readonly minimumProtocolVersion?: cloudfront.SecurityPolicyProtocol;
  readonly domainName?: string;
  readonly hostedZone?: route53.IHostedZone;
  readonly certificate?: acm.ICertificate;
}

const DOMAIN_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// A CLOUDFRONT-scope web ACL is 'global' and lives in us-east-1, in every partition that has CloudFront.
const CLOUDFRONT_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[^/]+$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const PATTERN_RULE = "use up to 255 of the characters A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & and the wildcards * and ?, such as '/static/*'";

/** Records every problem of an Edge's resolved props in `p`. Unresolved tokens are not judged. */
export function checkEdgeProps(p: Problems, v: EdgeValues): void {
  checkPathPatterns(p, v.staticPathPatterns);
  checkTtls(p, v);
  if (v.originShieldRegion !== undefined && !Token.isUnresolved(v.originShieldRegion)) {
    p.check(
      REGION.test(v.originShieldRegion),
      `originShieldRegion (${show(v.originShieldRegion)}) must be an AWS Region code such as 'us-east-2', the region closest to the load balancer`,
    );
  }
  checkOrigin(p, v);
  checkWebAcl(p, v);
  p.range('logRetentionDays', v.logRetentionDays, 1, 36_500, { integer: true, unit: 'days' });
  if (!v.accessLogs && v.logRetentionGiven) p.add('logRetentionDays is given but accessLogs is false, so no logs are kept; remove one of them');
  checkDomain(p, v);
  checkTls(p, v);
}

function checkPathPatterns(p: Problems, patterns: readonly string[]): void {
  const seen = new Set<string>();
  for (const pattern of patterns) {
    if (Token.isUnresolved(pattern)) continue;
    if (pattern === '*' || pattern === '/*') {
      p.add(
        `staticPathPatterns entry ${show(pattern)} matches every path, which the default behaviour covers; name the static folders, such as '/static/*'`,
      );
    } else if (!PATH_PATTERN.test(pattern)) {
      p.add(`staticPathPatterns entry ${show(pattern)} is not a CloudFront path pattern; ${PATTERN_RULE}`);
    }
    // CloudFront treats a pattern with and without its leading '/' as the same one.
    const key = pattern.replace(/^\//, '');
    if (seen.has(key)) p.add(`staticPathPatterns lists ${show(pattern)} twice (a leading '/' makes no difference); remove one`);
    seen.add(key);
  }
}

function checkTtls(p: Problems, v: EdgeValues): void {
  const min = seconds(v.staticTtl.min);
  const def = seconds(v.staticTtl.default);
  const max = seconds(v.staticTtl.max);
  for (const [name, value] of [
    ['staticMinTtl', min],
    ['staticDefaultTtl', def],
    ['staticMaxTtl', max],
    ['dynamicMaxTtl', seconds(v.dynamicMaxTtl)],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) p.add(`${name} (${value} s) must be a whole number of seconds, 0 or more`);
  }
  if (min !== undefined && max !== undefined && min > max) {
    p.add(`staticMinTtl (${min} s) must not exceed staticMaxTtl (${max} s); raise staticMaxTtl or lower staticMinTtl`);
  } else {
    if (min !== undefined && def !== undefined && def < min)
      p.add(`staticDefaultTtl (${def} s) must not be below staticMinTtl (${min} s); raise staticDefaultTtl or lower staticMinTtl`);
    if (max !== undefined && def !== undefined && def > max)
      p.add(`staticDefaultTtl (${def} s) must not exceed staticMaxTtl (${max} s); raise staticMaxTtl or lower staticDefaultTtl`);
  }
}

function checkOrigin(p: Problems, v: EdgeValues): void {
  const name = v.originDomainName;
  if (name !== undefined && !Token.isUnresolved(name)) {
    p.check(
      DOMAIN_NAME.test(name) && !name.startsWith('*.'),
      `originDomainName (${show(name)}) must be a lower-case DNS name the load balancer's certificate covers, such as 'origin.example.com'`,
    );
  }
  const origin = v.publicOrigin;
  if (!origin) return;
  p.range('publicOrigin.rulePriority', origin.rulePriority, 1, 50_000, { integer: true });
  p.check(origin.targetGroups.length > 0, 'publicOrigin.targetGroups is empty; pass the target groups the listener forwards to');
  if (origin.listener.protocol === elbv2.ApplicationProtocol.HTTPS && name === undefined) {
    p.add(
      `publicOrigin.listener is HTTPS (port ${origin.listener.port}), but originDomainName is not set: CloudFront checks the load balancer's certificate against the name it connects to, and no certificate covers the load balancer's own DNS name; set originDomainName to a name the certificate covers`,
    );
  }
  if (origin.listener.protocol === elbv2.ApplicationProtocol.HTTP && name !== undefined) {
    p.add(
      `originDomainName (${show(name)}) asks for HTTPS to the origin, but publicOrigin.listener is HTTP (port ${origin.listener.port}); pass the HTTPS listener`,
    );
  }
}

function checkWebAcl(p: Problems, v: EdgeValues): void {
  p.range('rateLimitPer5Minutes', v.rateLimitPer5Minutes, WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max, {
    integer: true,
    fix: 'the bounds AWS WAF allows for a rate-based rule',
  });
  if (!v.webAcl) {
    if (v.webAclArn !== undefined) p.add('webAclArn is given but webAcl is false; remove one of them');
    if (v.rateLimitPer5Minutes !== undefined)
      p.add('rateLimitPer5Minutes is given but webAcl is false, so there is no rate-based rule; remove one of them');
    return;
  }
  if (v.webAclArn !== undefined) {
    if (v.rateLimitPer5Minutes !== undefined) {
      p.add(
        'rateLimitPer5Minutes applies to the web ACL Edge creates, but webAclArn names an existing one; set the limit in that web ACL (EdgeWebAcl takes rateLimitPer5Minutes) or remove webAclArn',
      );
    }
    if (!Token.isUnresolved(v.webAclArn)) {
      p.check(
        CLOUDFRONT_WEB_ACL_ARN.test(v.webAclArn),
        `webAclArn (${show(v.webAclArn)}) is not a CLOUDFRONT-scope web ACL; those live in us-east-1 and read arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>`,
      );
    }
    return;
  }
  if (v.region !== undefined && v.region !== CLOUDFRONT_REGION) {
    p.add(
      `the web ACL of a CloudFront distribution must be created in us-east-1 (WAF scope CLOUDFRONT), and this stack is in ${v.region}; create an EdgeWebAcl in a us-east-1 stack and pass its ARN as webAclArn, or set webAcl to false`,
    );
  }
}

// TLS 1.2 as the floor, with the 2021 cipher list (AEAD only) or newer; the older policies keep
// CBC ciphers or allow TLS 1.0/1.1.
const CURRENT_TLS_POLICIES: readonly cloudfront.SecurityPolicyProtocol[] = [
  cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
  cloudfront.SecurityPolicyProtocol.TLS_V1_2_2025,
  cloudfront.SecurityPolicyProtocol.TLS_V1_3_2025,
];

function checkTls(p: Problems, v: EdgeValues): void {
  const policy = v.minimumProtocolVersion;
  if (policy === undefined) return;
  if (v.domainName === undefined) {
    p.add(
      `minimumProtocolVersion (${show(policy)}) applies only to a certificate of your own, and without domainName CloudFront serves its *.cloudfront.net certificate, whose policy it fixes; set domainName or remove minimumProtocolVersion`,
    );
  }
  p.oneOf('minimumProtocolVersion', policy, CURRENT_TLS_POLICIES, 'older policies allow TLS 1.0/1.1 or CBC ciphers');
}

function checkDomain(p: Problems, v: EdgeValues): void {
  const { domainName, hostedZone, certificate, region } = v;
  if (domainName === undefined) {
    if (certificate)
      p.add(
        "certificate is given but domainName is not; set domainName to the name the certificate covers: viewers must use it, since a certificate of yours cannot cover the distribution's *.cloudfront.net name",
      );
    if (hostedZone) p.add("hostedZone is given but domainName is not; set domainName to the records to create in it, such as 'app.example.com'");
    return;
  }
  if (Token.isUnresolved(domainName)) return;
  const wellFormed = DOMAIN_NAME.test(domainName);
  if (!wellFormed) p.add(`domainName (${show(domainName)}) must be a lower-case DNS name such as 'app.example.com'`);
  if (wellFormed && hostedZone && !Token.isUnresolved(hostedZone.zoneName)) {
    const zone = hostedZone.zoneName.replace(/\.$/, '');
    p.check(
      domainName === zone || domainName.endsWith(`.${zone}`),
      `domainName (${show(domainName)}) is not in hostedZone ${show(zone)}; use a name under it, such as 'app.${zone}'`,
    );
  }
  if (certificate) {
    const certificateRegion = regionOf(certificate);
    if (certificateRegion !== undefined && certificateRegion !== CLOUDFRONT_REGION) {
      p.add(
        `certificate is in ${certificateRegion}, but CloudFront uses certificates from us-east-1 only; issue one for ${show(domainName)} there and pass it (acm.Certificate.fromCertificateArn with its arn:aws:acm:us-east-1:... ARN)`,
      );
    }
    return;
  }
  if (!hostedZone) {
    p.add(
      `domainName (${show(domainName)}) needs a hostedZone (to issue its certificate and create the alias records) or a certificate in us-east-1; pass one, or leave domainName out to serve HTTPS on the distribution's own *.cloudfront.net name`,
    );
  } else if (region !== undefined && region !== CLOUDFRONT_REGION) {
    p.add(
      `domainName (${show(domainName)}) needs a certificate in us-east-1, and this stack is in ${region}, where Edge cannot issue one for CloudFront; issue it in a us-east-1 stack and pass it as certificate`,
    );
  }
}

/**
 * Where a certificate lives: the region in its ARN when the ARN is known (an imported certificate's
 * `env` is the importing stack's), else its stack's region; undefined when neither is known.
 */
function regionOf(certificate: acm.ICertificate): string | undefined {
  if (!Token.isUnresolved(certificate.certificateArn)) return Arn.split(certificate.certificateArn, ArnFormat.SLASH_RESOURCE_NAME).region;
  return Token.isUnresolved(certificate.env.region) ? undefined : certificate.env.region;
}

/** Seconds of a duration (fractions kept, for the whole-number check), or undefined for a token. */
function seconds(duration: Duration): number | undefined {
  return duration.isUnresolved() ? undefined : duration.toSeconds({ integral: false });
}
