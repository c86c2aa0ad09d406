import type { Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as route53 from 'aws-cdk-lib/aws-route53';

/**
 * How CloudFront reaches a load balancer that stays internet-facing. Its presence turns the VPC
 * origin off: CloudFront then connects over the internet, and the load balancer admits only
 * CloudFront's origin-facing addresses and, on `listener`, only requests carrying a secret header.
 */
export interface EdgePublicOrigin {
  /**
   * The listener CloudFront connects to. Its default action becomes a 403, and a rule at
   * `rulePriority` forwards requests that carry the secret origin header to `targetGroups`. Rules
   * you add to this listener yourself must check the header too (`Edge.originVerifyCondition()`),
   * or they stay reachable without CloudFront by anyone who finds the load balancer's name.
   * Create it with `open: false`: Edge admits CloudFront's addresses on its port.
   */
  readonly listener: elbv2.ApplicationListener;
  /** Where requests that carry the header go: the listener's targets. */
  readonly targetGroups: elbv2.IApplicationTargetGroup[];
  /**
   * The managed prefix list `com.amazonaws.global.cloudfront.origin-facing` of the stack's region
   * (`ec2.PrefixList.fromLookup(...)` or `fromPrefixListId`).
   *
   * @default - the list's ID for the stack's region from `ORIGIN_FACING_PREFIX_LISTS` (16 regions)
   */
  readonly originFacingPrefixList?: ec2.IPrefixList;
  /**
   * Priority of the listener rule that checks the header (1 to 50,000, unique on the listener).
   *
   * @default 1
   */
  readonly rulePriority?: number;
}

export interface EdgeProps {
  /**
   * The load balancer CloudFront forwards every request to. By default CloudFront reaches it
   * through a VPC origin, so it should be internal (`internetFacing: false`, in private subnets of
   * a VPC that has an internet gateway); Edge admits CloudFront on its security group.
   */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /**
   * Keep the load balancer internet-facing and protect it with CloudFront's origin-facing prefix
   * list and a secret origin header instead of a VPC origin.
   *
   * @default - a CloudFront VPC origin: the load balancer needs no public address at all
   */
  readonly publicOrigin?: EdgePublicOrigin;
  /**
   * A DNS name covered by the load balancer's certificate and resolving to it. With it, CloudFront
   * talks HTTPS (TLS 1.2) to the load balancer on port 443 and checks the certificate against this
   * name; the load balancer needs an HTTPS listener for it.
   *
   * @default - HTTP on port 80 to the load balancer's own DNS name: with the VPC origin that
   * traffic never leaves AWS's network; with `publicOrigin` it crosses the internet unencrypted
   */
  readonly originDomainName?: string;
  /**
   * The name viewers use, e.g. 'app.example.com'. With `hostedZone`, A and AAAA alias records
   * point it at the distribution (and a certificate is issued for it in us-east-1 unless
   * `certificate` is given).
   *
   * @default - the distribution's own `*.cloudfront.net` name, over HTTPS
   */
  readonly domainName?: string;
  /**
   * The hosted zone `domainName` belongs to.
   *
   * @default - no DNS records are created
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * The certificate viewers see for `domainName`. CloudFront takes certificates from us-east-1
   * only: import one with `acm.Certificate.fromCertificateArn` when this stack is elsewhere.
   *
   * @default - a DNS-validated certificate issued here when the stack is in us-east-1 and
   * `hostedZone` is given; without `domainName`, CloudFront's own `*.cloudfront.net` certificate
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The oldest TLS version and the ciphers viewers may use with `domainName`: TLS_V1_2_2021,
   * TLS_V1_2_2025 or TLS_V1_3_2025. CloudFront's own `*.cloudfront.net` certificate ignores it (its
   * policy is fixed at TLSv1), so it needs `domainName`.
   *
   * @default SecurityPolicyProtocol.TLS_V1_2_2021 (TLS 1.2 and 1.3, AEAD ciphers only)
   */
  readonly minimumProtocolVersion?: cloudfront.SecurityPolicyProtocol;
  /**
   * Path patterns of static, public content that CloudFront caches for long: no cookies and no
   * `Authorization` reach the origin for them, so nothing personal may live under them.
   *
   * @default ['/static/*', '/assets/*']
   */
  readonly staticPathPatterns?: string[];
  /**
   * Shortest time CloudFront keeps a static file, even if the origin says less.
   *
   * @default Duration.seconds(0) - the origin's `no-store` is obeyed
   */
  readonly staticMinTtl?: Duration;
  /**
   * How long CloudFront keeps a static file the origin sends without `Cache-Control`.
   *
   * @default Duration.days(1)
   */
  readonly staticDefaultTtl?: Duration;
  /**
   * Longest time CloudFront keeps a static file, whatever the origin asks for.
   *
   * @default Duration.days(365) - what `max-age=31536000, immutable` asks for
   */
  readonly staticMaxTtl?: Duration;
  /**
   * Longest time CloudFront keeps a response of any other path, whatever `max-age` the origin
   * sends. Those are cached only when the origin marks them cacheable; the minimum and default
   * TTL are always 0.
   *
   * @default Duration.days(1)
   */
  readonly dynamicMaxTtl?: Duration;
  /**
   * Turn on Origin Shield in this region (the one closest to the load balancer, e.g. the stack's):
   * one more cache layer that collapses requests for the same object from all edge locations into
   * one origin fetch. It bills $0.0075 per 10,000 requests that reach it (North America), cache
   * misses and uncacheable requests alike, so it pays off only for cacheable content.
   *
   * @default - no Origin Shield
   */
  readonly originShieldRegion?: string;
  /**
   * The response headers policy of every behaviour.
   *
   * @default - a policy created here: HSTS (2 years, subdomains), X-Content-Type-Options nosniff,
   * X-Frame-Options DENY and Referrer-Policy strict-origin-when-cross-origin, the last two only
   * where the origin sets none
   */
  readonly responseHeadersPolicy?: cloudfront.IResponseHeadersPolicy;
  /**
   * Put a WAF web ACL in front of the distribution.
   *
   * @default true - a web ACL created here (the stack must be in us-east-1) unless `webAclArn` names one
   */
  readonly webAcl?: boolean;
  /**
   * ARN of an existing CLOUDFRONT-scope web ACL (it lives in us-east-1), e.g. an `EdgeWebAcl` of a
   * us-east-1 stack, for a distribution whose stack is in another region.
   *
   * @default - a web ACL is created here when `webAcl` is true
   */
  readonly webAclArn?: string;
  /**
   * Requests one client IP may send in 5 minutes before the web ACL answers 429
   * (10 to 2,000,000,000; WAF's bounds).
   *
   * @default 2000
   */
  readonly rateLimitPer5Minutes?: number;
  /**
   * Write the distribution's standard access logs to an S3 bucket created here.
   *
   * @default true
   */
  readonly accessLogs?: boolean;
  /**
   * Days the access logs are kept before S3 expires them.
   *
   * @default 7 (the dev profile's log retention)
   */
  readonly logRetentionDays?: number;
  /**
   * CloudFront's additional metrics (cache hit rate, origin latency, error rates per status):
   * 8 CloudWatch custom metrics, $2.40 a month.
   *
   * @default true - `metricCacheHitRate()` and `metricOriginLatency()` need them
   */
  readonly additionalMetrics?: boolean;
  /**
   * The edge locations that serve viewers.
   *
   * @default PriceClass.PRICE_CLASS_100 - North America, Europe and Israel, the cheapest; viewers
   * elsewhere are served from the nearest of those
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * Countries to allow or deny.
   *
   * @default - viewers from every country
   */
  readonly geoRestriction?: cloudfront.GeoRestriction;
}

/** Which distribution metrics `Edge.metric()` reads. */
export type EdgeMetricName =
  | 'Requests'
  | 'BytesDownloaded'
  | 'BytesUploaded'
  | 'TotalErrorRate'
  | '4xxErrorRate'
  | '5xxErrorRate'
  | 'CacheHitRate'
  | 'OriginLatency'
  | '401ErrorRate'
  | '403ErrorRate'
  | '404ErrorRate'
  | '502ErrorRate'
  | '503ErrorRate'
  | '504ErrorRate';
