import { Token, type Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import { APP_ENVIRONMENT } from '../core/app-contract';
import { CREDENTIAL_NAME } from '../core/web';
import { show, type Problems } from '../private/problems';
import { checkWebDelivery } from '../core/web-delivery';
import { checkWebSizing, type WebSizing } from '../core/web-sizing';

/** Everything WebService judges, after its defaults are applied. */
export interface WebServiceValues {
  readonly sizing: WebSizing;
  readonly containerPort: number;
  readonly healthCheck: {
    readonly path: string;
    readonly interval: Duration;
    readonly timeout: Duration;
    readonly healthyThresholdCount: number;
    readonly unhealthyThresholdCount: number;
    readonly healthyHttpCodes: string;
  };
  readonly healthCheckGracePeriod: Duration;
  readonly deregistrationDelay: Duration;
  readonly slowStart: Duration;
  readonly idleTimeout: Duration;
  readonly latencyThreshold: Duration;
  /** The caller's environment only (the service's own `PORT` is not judged). */
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
  readonly writablePaths: readonly string[];
  readonly certificate?: acm.ICertificate;
  readonly domainName?: string;
  readonly hostedZone?: route53.IHostedZone;
}

// RFC 3986 path characters (pchar, '/', and a query), as the ALB accepts them; 1-1024 long.
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]{0,1023}$/;
const HTTP_CODES = /^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$/;
const DOMAIN_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONTRACT_CREDENTIALS: readonly string[] = [APP_ENVIRONMENT.databaseUser, APP_ENVIRONMENT.databasePassword, APP_ENVIRONMENT.cacheAuthToken];

/** Records every problem of a WebService's resolved props in `p`. Unresolved tokens are not judged. */
export function checkWebProps(p: Problems, v: WebServiceValues): void {
  checkWebSizing(p, v.sizing, '');
  checkWebDelivery(p, v.sizing.delivery, '');
  p.range('containerPort', v.containerPort, 1, 65535, { integer: true });

  const hc = v.healthCheck;
  if (!Token.isUnresolved(hc.path)) {
    p.check(
      HEALTH_CHECK_PATH.test(hc.path),
      `healthCheck.path (${show(hc.path)}) must be a URL path: it starts with '/', is at most 1024 characters and has no spaces, such as '/health'`,
    );
  }
  const interval = seconds(hc.interval);
  const timeout = seconds(hc.timeout);
  p.range('healthCheck.interval', interval, 5, 300, { integer: true, unit: 's' });
  p.range('healthCheck.timeout', timeout, 2, 120, { integer: true, unit: 's' });
  if (interval !== undefined && timeout !== undefined && timeout >= interval) {
    p.add(`healthCheck.timeout (${timeout} s) must be shorter than healthCheck.interval (${interval} s); lower the timeout or raise the interval`);
  }
  p.range('healthCheck.healthyThresholdCount', hc.healthyThresholdCount, 2, 10, { integer: true });
  p.range('healthCheck.unhealthyThresholdCount', hc.unhealthyThresholdCount, 2, 10, { integer: true });
  if (!Token.isUnresolved(hc.healthyHttpCodes)) {
    p.check(
      HTTP_CODES.test(hc.healthyHttpCodes),
      `healthCheck.healthyHttpCodes (${show(hc.healthyHttpCodes)}) must be codes from 200 to 499, single or as ranges, comma-separated, such as '200' or '200-399'`,
    );
  }

  // ECS accepts up to 2^31 - 1 s; a grace period over an hour hides a task that never becomes healthy.
  p.range('healthCheckGracePeriod', seconds(v.healthCheckGracePeriod), 0, 3600, { integer: true, unit: 's' });
  p.range('deregistrationDelay', seconds(v.deregistrationDelay), 0, 3600, { integer: true, unit: 's' });
  const slowStart = seconds(v.slowStart);
  if (slowStart !== undefined && slowStart !== 0) {
    p.range('slowStart', slowStart, 30, 900, { integer: true, unit: 's', fix: 'or 0 to turn slow start off' });
    // The ALB rejects the pair (and aws-cdk-lib's own check would throw a less helpful message).
    p.check(
      !v.sizing.anomalyMitigation,
      `slowStart (${slowStart} s) cannot be used with anomalyMitigation: weighted random routing allows no slow start; set slowStart to 0 (the default with anomalyMitigation) or anomalyMitigation false`,
    );
  }
  p.range('idleTimeout', seconds(v.idleTimeout), 1, 4000, { integer: true, unit: 's' });
  const latency = seconds(v.latencyThreshold);
  if (latency !== undefined) p.check(latency > 0, `latencyScaleOutThreshold (${latency} s) must be above 0`);

  checkEnvironment(p, v.environment, v.secrets);
  for (const path of v.writablePaths) {
    p.check(/^\/[^\s]+$/.test(path) && path !== '/', `writablePaths entry ${show(path)} must be an absolute path below '/', such as '/tmp'`);
  }
  checkDomain(p, v);
}

function checkEnvironment(p: Problems, environment: Record<string, string>, secrets: Record<string, ecs.Secret>): void {
  for (const name of Object.keys(environment)) {
    p.check(ENV_NAME.test(name), `environment variable name ${show(name)} must be letters, digits and '_', not starting with a digit`);
    if (CONTRACT_CREDENTIALS.includes(name) || CREDENTIAL_NAME.test(name)) {
      p.add(
        `environment variable ${show(name)} looks like a credential; pass it in secrets (an ecs.Secret from Secrets Manager), where it is not readable in the task definition`,
      );
    }
    if (name in secrets) p.add(`${show(name)} is set in both environment and secrets; keep it in one of them`);
  }
  for (const name of Object.keys(secrets)) {
    p.check(ENV_NAME.test(name), `secrets variable name ${show(name)} must be letters, digits and '_', not starting with a digit`);
  }
}

function checkDomain(p: Problems, v: WebServiceValues): void {
  const { domainName, hostedZone, certificate } = v;
  if (domainName === undefined) {
    if (certificate) {
      p.add(
        "certificate is given but domainName is not; set domainName to the name the certificate covers: clients must use it, since no certificate covers the load balancer's own DNS name",
      );
    }
    if (hostedZone) p.add("hostedZone is given but domainName is not; set domainName to the record to create in it, such as 'app.example.com'");
    return;
  }
  if (Token.isUnresolved(domainName)) return;
  const wellFormed = DOMAIN_NAME.test(domainName);
  if (!wellFormed) {
    p.add(`domainName (${show(domainName)}) must be a lower-case DNS name such as 'app.example.com'`);
  }
  if (!hostedZone && !certificate) {
    p.add(
      `domainName (${show(domainName)}) needs a hostedZone (to validate a new certificate and create the alias record) or a certificate; pass one, or leave domainName out to serve HTTP on the load balancer's DNS name`,
    );
  }
  if (wellFormed && hostedZone && !Token.isUnresolved(hostedZone.zoneName)) {
    const zone = hostedZone.zoneName.replace(/\.$/, '');
    p.check(
      domainName === zone || domainName.endsWith(`.${zone}`),
      `domainName (${show(domainName)}) is not in hostedZone ${show(zone)}; use a name under it, such as 'app.${zone}'`,
    );
  }
}

/** Seconds of a duration (fractions kept, for the whole-number checks to see), or undefined for a token. */
function seconds(duration: Duration): number | undefined {
  return duration.isUnresolved() ? undefined : duration.toSeconds({ integral: false });
}
