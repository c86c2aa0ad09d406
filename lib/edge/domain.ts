import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import { CLOUDFRONT_REGION } from '../core/edge';

/**
 * The viewer certificate for `domainName`: the one given, else one issued here with DNS
 * validation in `hostedZone`. The checks (lib/edge/checks.ts) have already refused a stack whose
 * region is known and not us-east-1; when the region is a token, the certificate is issued and a
 * warning says it must be deployed in us-east-1 (CloudFront rejects it from anywhere else).
 */
export function viewerCertificate(
  scope: Construct,
  domainName: string | undefined,
  hostedZone: route53.IHostedZone | undefined,
  given: acm.ICertificate | undefined,
): acm.ICertificate | undefined {
  if (given || !domainName || !hostedZone) return given;
  if (Token.isUnresolved(Stack.of(scope).region)) {
    Annotations.of(scope).addWarningV2(
      'cdk-scaling-stack:edgeCertificateRegion',
      `This stack has no region at synth time; the certificate for ${domainName} works with CloudFront only if the stack is deployed in ${CLOUDFRONT_REGION}.`,
    );
  }
  return new acm.Certificate(scope, 'Certificate', {
    domainName,
    validation: acm.CertificateValidation.fromDns(hostedZone),
  });
}

/** A and AAAA alias records of `domainName` in `hostedZone` (the distribution answers IPv6 too). */
export function aliasRecords(scope: Construct, domainName: string, hostedZone: route53.IHostedZone, distribution: cloudfront.IDistribution): void {
  const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
  new route53.ARecord(scope, 'AliasRecord', { zone: hostedZone, recordName: domainName, target });
  new route53.AaaaRecord(scope, 'AliasRecordIpv6', { zone: hostedZone, recordName: domainName, target });
}
