import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Stack } from 'aws-cdk-lib';
import { Edge, EdgeWebAcl, type EdgeProps } from '../../lib';
import { messageOf } from '../helpers/errors';
import { stackWithAlb } from './helpers';

interface Fixture {
  stack: Stack;
  vpc: ec2.IVpc;
  loadBalancer: elbv2.ApplicationLoadBalancer;
  targetGroup: elbv2.ApplicationTargetGroup;
}

// Construction throws before anything is synthesized, so every case builds its own small stack.
function errorFrom(props: Partial<EdgeProps> | ((f: Fixture) => Partial<EdgeProps>), region: string | undefined = 'us-east-1'): string {
  // GIVEN a user's stack with an ALB
  const fixture = stackWithAlb(region);
  // WHEN
  return messageOf(
    () => new Edge(fixture.stack, 'Edge', { loadBalancer: fixture.loadBalancer, ...(typeof props === 'function' ? props(fixture) : props) }),
  );
}

const zone = (stack: Stack) =>
  route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });

describe('Edge rejects bad input at synth time', () => {
  test('a path pattern that is not one', () => {
    expect(errorFrom({ staticPathPatterns: ['/static files/*'] })).toBe(
      "UserStack/Edge: staticPathPatterns entry '/static files/*' is not a CloudFront path pattern; use up to 255 of the characters A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & and the wildcards * and ?, such as '/static/*'",
    );
  });

  test('a path pattern that matches everything, and one listed twice', () => {
    expect(errorFrom({ staticPathPatterns: ['*', '/assets/*', 'assets/*'] })).toBe(
      [
        'UserStack/Edge: 2 problems:',
        "  - staticPathPatterns entry '*' matches every path, which the default behaviour covers; name the static folders, such as '/static/*'",
        "  - staticPathPatterns lists 'assets/*' twice (a leading '/' makes no difference); remove one",
      ].join('\n'),
    );
  });

  test('a TTL minimum above its maximum', () => {
    expect(errorFrom({ staticMinTtl: Duration.days(2), staticMaxTtl: Duration.days(1) })).toBe(
      'UserStack/Edge: staticMinTtl (172800 s) must not exceed staticMaxTtl (86400 s); raise staticMaxTtl or lower staticMinTtl',
    );
  });

  test('a default TTL outside its minimum and maximum', () => {
    expect(errorFrom({ staticDefaultTtl: Duration.days(400) })).toBe(
      'UserStack/Edge: staticDefaultTtl (34560000 s) must not exceed staticMaxTtl (31536000 s); raise staticMaxTtl or lower staticDefaultTtl',
    );
    expect(errorFrom({ staticMinTtl: Duration.hours(2), staticDefaultTtl: Duration.hours(1) })).toBe(
      'UserStack/Edge: staticDefaultTtl (3600 s) must not be below staticMinTtl (7200 s); raise staticDefaultTtl or lower staticMinTtl',
    );
  });

  test('a TTL that is not a whole number of seconds', () => {
    expect(errorFrom({ dynamicMaxTtl: Duration.millis(1500) })).toBe(
      'UserStack/Edge: dynamicMaxTtl (1.5 s) must be a whole number of seconds, 0 or more',
    );
  });

  test('a rate limit outside what WAF allows, below and above', () => {
    expect(errorFrom({ rateLimitPer5Minutes: 5 })).toBe(
      'UserStack/Edge: rateLimitPer5Minutes (5) must be between 10 and 2000000000; the bounds AWS WAF allows for a rate-based rule',
    );
    expect(errorFrom({ rateLimitPer5Minutes: 3_000_000_000 })).toBe(
      'UserStack/Edge: rateLimitPer5Minutes (3000000000) must be between 10 and 2000000000; the bounds AWS WAF allows for a rate-based rule',
    );
    expect(errorFrom({ rateLimitPer5Minutes: 100.5 })).toBe(
      'UserStack/Edge: rateLimitPer5Minutes (100.5) must be a whole number between 10 and 2000000000; the bounds AWS WAF allows for a rate-based rule',
    );
  });

  test('a certificate outside us-east-1 for the distribution', () => {
    expect(
      errorFrom(({ stack }) => ({
        domainName: 'app.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'),
      })),
    ).toBe(
      "UserStack/Edge: certificate is in eu-west-1, but CloudFront uses certificates from us-east-1 only; issue one for 'app.example.com' there and pass it (acm.Certificate.fromCertificateArn with its arn:aws:acm:us-east-1:... ARN)",
    );
  });

  test('a domain without a certificate or zone', () => {
    expect(errorFrom({ domainName: 'app.example.com' })).toBe(
      "UserStack/Edge: domainName ('app.example.com') needs a hostedZone (to issue its certificate and create the alias records) or a certificate in us-east-1; pass one, or leave domainName out to serve HTTPS on the distribution's own *.cloudfront.net name",
    );
  });

  test('a domain with a zone but no certificate in a stack outside us-east-1', () => {
    expect(errorFrom(({ stack }) => ({ domainName: 'app.example.com', hostedZone: zone(stack), webAcl: false }), 'eu-west-1')).toBe(
      "UserStack/Edge: domainName ('app.example.com') needs a certificate in us-east-1, and this stack is in eu-west-1, where Edge cannot issue one for CloudFront; issue it in a us-east-1 stack and pass it as certificate",
    );
  });

  test('a domain outside its zone, a malformed one, and a certificate or zone without a domain', () => {
    expect(errorFrom(({ stack }) => ({ domainName: 'app.example.org', hostedZone: zone(stack) }))).toBe(
      "UserStack/Edge: domainName ('app.example.org') is not in hostedZone 'example.com'; use a name under it, such as 'app.example.com'",
    );
    expect(errorFrom(({ stack }) => ({ domainName: 'App.Example.com', hostedZone: zone(stack) }))).toBe(
      "UserStack/Edge: domainName ('App.Example.com') must be a lower-case DNS name such as 'app.example.com'",
    );
    expect(
      errorFrom(({ stack }) => ({
        hostedZone: zone(stack),
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc'),
      })),
    ).toBe(
      [
        'UserStack/Edge: 2 problems:',
        "  - certificate is given but domainName is not; set domainName to the name the certificate covers: viewers must use it, since a certificate of yours cannot cover the distribution's *.cloudfront.net name",
        "  - hostedZone is given but domainName is not; set domainName to the records to create in it, such as 'app.example.com'",
      ].join('\n'),
    );
  });

  test('a web ACL to create in a stack outside us-east-1', () => {
    expect(errorFrom({}, 'eu-west-1')).toBe(
      'UserStack/Edge: the web ACL of a CloudFront distribution must be created in us-east-1 (WAF scope CLOUDFRONT), and this stack is in eu-west-1; create an EdgeWebAcl in a us-east-1 stack and pass its ARN as webAclArn, or set webAcl to false',
    );
  });

  test('a web ACL ARN that is not a CLOUDFRONT one, with a rate limit Edge cannot apply to it', () => {
    expect(errorFrom({ webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/1234', rateLimitPer5Minutes: 100 })).toBe(
      [
        'UserStack/Edge: 2 problems:',
        '  - rateLimitPer5Minutes applies to the web ACL Edge creates, but webAclArn names an existing one; set the limit in that web ACL (EdgeWebAcl takes rateLimitPer5Minutes) or remove webAclArn',
        "  - webAclArn ('arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/1234') is not a CLOUDFRONT-scope web ACL; those live in us-east-1 and read arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>",
      ].join('\n'),
    );
  });

  test('webAcl false together with a web ACL ARN or a rate limit', () => {
    expect(errorFrom({ webAcl: false, webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1234', rateLimitPer5Minutes: 100 })).toBe(
      [
        'UserStack/Edge: 2 problems:',
        '  - webAclArn is given but webAcl is false; remove one of them',
        '  - rateLimitPer5Minutes is given but webAcl is false, so there is no rate-based rule; remove one of them',
      ].join('\n'),
    );
  });

  test('an Origin Shield region that is not one, an origin name that is not a DNS name, a log retention of 0 days', () => {
    expect(errorFrom({ originShieldRegion: 'Virginia', originDomainName: 'https://origin.example.com', logRetentionDays: 0 })).toBe(
      [
        'UserStack/Edge: 3 problems:',
        "  - originShieldRegion ('Virginia') must be an AWS Region code such as 'us-east-2', the region closest to the load balancer",
        "  - originDomainName ('https://origin.example.com') must be a lower-case DNS name the load balancer's certificate covers, such as 'origin.example.com'",
        '  - logRetentionDays (0 days) must be between 1 and 36500 days',
      ].join('\n'),
    );
  });

  test('a public HTTPS listener without an origin name, an HTTP one with it, a bad rule priority and no targets', () => {
    expect(
      errorFrom(({ loadBalancer }) => {
        const listener = loadBalancer.addListener('Https', {
          port: 443,
          open: false,
          certificates: [elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:123456789012:certificate/abc')],
          defaultAction: elbv2.ListenerAction.fixedResponse(404),
        });
        return { publicOrigin: { listener, targetGroups: [], rulePriority: 0 } };
      }),
    ).toBe(
      [
        'UserStack/Edge: 3 problems:',
        '  - publicOrigin.rulePriority (0) must be between 1 and 50000',
        '  - publicOrigin.targetGroups is empty; pass the target groups the listener forwards to',
        "  - publicOrigin.listener is HTTPS (port 443), but originDomainName is not set: CloudFront checks the load balancer's certificate against the name it connects to, and no certificate covers the load balancer's own DNS name; set originDomainName to a name the certificate covers",
      ].join('\n'),
    );
    expect(
      errorFrom(({ loadBalancer, targetGroup }) => ({
        originDomainName: 'origin.example.com',
        publicOrigin: {
          listener: loadBalancer.addListener('Http', { port: 80, open: false, defaultTargetGroups: [targetGroup] }),
          targetGroups: [targetGroup],
        },
      })),
    ).toBe(
      "UserStack/Edge: originDomainName ('origin.example.com') asks for HTTPS to the origin, but publicOrigin.listener is HTTP (port 80); pass the HTTPS listener",
    );
  });

  test('a public origin in a region without a known prefix list ID', () => {
    expect(
      errorFrom(
        ({ loadBalancer, targetGroup }) => ({
          webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1234',
          publicOrigin: {
            listener: loadBalancer.addListener('Http', { port: 80, open: false, defaultTargetGroups: [targetGroup] }),
            targetGroups: [targetGroup],
          },
        }),
        'me-central-1',
      ),
    ).toBe(
      "UserStack/Edge: the ID of CloudFront's origin-facing prefix list in me-central-1 is not in ORIGIN_FACING_PREFIX_LISTS; look it up (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing --region me-central-1) and pass publicOrigin.originFacingPrefixList, or use the VPC origin in a listed region",
    );
  });

  test('a TLS policy older than TLSv1.2_2021, and one without a domain to apply it to', () => {
    expect(
      errorFrom(({ stack }) => ({
        domainName: 'app.example.com',
        hostedZone: zone(stack),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019,
      })),
    ).toBe(
      "UserStack/Edge: minimumProtocolVersion ('TLSv1.2_2019') must be one of 'TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'; older policies allow TLS 1.0/1.1 or CBC ciphers",
    );
    expect(errorFrom({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2025 })).toBe(
      "UserStack/Edge: minimumProtocolVersion ('TLSv1.2_2025') applies only to a certificate of your own, and without domainName CloudFront serves its *.cloudfront.net certificate, whose policy it fixes; set domainName or remove minimumProtocolVersion",
    );
  });

  test('a log retention without access logs', () => {
    expect(errorFrom({ accessLogs: false, logRetentionDays: 30 })).toBe(
      'UserStack/Edge: logRetentionDays is given but accessLogs is false, so no logs are kept; remove one of them',
    );
  });

  test("EdgeWebAcl outside us-east-1, with a rate limit below WAF's minimum", () => {
    const { stack } = stackWithAlb('eu-west-1');
    expect(messageOf(() => new EdgeWebAcl(stack, 'Acl', { rateLimitPer5Minutes: 1 }))).toBe(
      [
        'UserStack/Acl: 2 problems:',
        '  - rateLimitPer5Minutes (1) must be between 10 and 2000000000; the bounds AWS WAF allows for a rate-based rule',
        '  - a web ACL for CloudFront (scope CLOUDFRONT) can only be created in us-east-1, and this stack is in eu-west-1; create it in a us-east-1 stack',
      ].join('\n'),
    );
  });
});
