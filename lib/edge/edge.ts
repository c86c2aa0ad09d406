import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  CLOUDFRONT_REGION,
  DEFAULT_RATE_LIMIT_PER_5_MINUTES,
  DEFAULT_STATIC_PATH_PATTERNS,
  DYNAMIC_TTL_SECONDS,
  STATIC_TTL_SECONDS,
} from '../core/edge';
import { dev } from '../core/profiles/dev';
import { ConfigurationError, Problems } from '../private/problems';
import { accessLogBucket } from './access-logs';
import { dynamicCachePolicy, dynamicOriginRequestPolicy, securityHeadersPolicy, staticCachePolicy } from './caching';
import { checkEdgeProps } from './checks';
import { aliasRecords, viewerCertificate } from './domain';
import { buildOrigin } from './origin';
import type { EdgeMetricName, EdgeProps } from './props';
import { EdgeWebAcl } from './web-acl';

/** Metrics CloudFront publishes only with `additionalMetrics` on. */
const ADDITIONAL_METRICS: ReadonlySet<EdgeMetricName> = new Set([
  'CacheHitRate',
  'OriginLatency',
  '401ErrorRate',
  '403ErrorRate',
  '404ErrorRate',
  '502ErrorRate',
  '503ErrorRate',
  '504ErrorRate',
]);

/**
 * CloudFront in front of an Application Load Balancer: HTTPS for every viewer, caching only what
 * the origin marks cacheable, security headers, a WAF web ACL and access logs.
 *
 * - Origin: a CloudFront VPC origin by default. The load balancer can then be internal, with no
 *   public address and no route from the internet: the only way in is through CloudFront, its web
 *   ACL and its cache, and nothing (no header, no IP list kept in sync) has to be trusted to hold
 *   that line. `publicOrigin` keeps an internet-facing load balancer instead and guards it with
 *   CloudFront's origin-facing prefix list (any distribution's, not only this one's) plus a secret
 *   header the listener checks: two controls that a misconfigured extra listener rule or a leaked
 *   header value undo, which is why it is not the default.
 * - Viewers: HTTP redirects to HTTPS; HTTP/2 and HTTP/3; TLS 1.2 minimum with `domainName`;
 *   gzip and Brotli compression; IPv6.
 * - Caching: the default behaviour forwards every method, header, cookie and query string, and
 *   keys its cache on `Authorization`, all cookies and all query strings with a TTL of 0 unless the
 *   origin's `Cache-Control` allows more; `staticPathPatterns` get long TTLs and no cookies.
 * - Web ACL (us-east-1): AWS IP reputation, core rule set, known bad inputs, a rate limit per IP.
 *
 * CloudFront's metrics, like its certificates and web ACLs, live in us-east-1: the `metric*()`
 * methods point there, so a dashboard in any region can show them; an alarm on them must be in a
 * us-east-1 stack.
 */
export class Edge extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** Where viewers reach the service: `https://<domainName>` or `https://<id>.cloudfront.net`. */
  readonly url: string;
  /** The web ACL created here; absent with `webAclArn` or `webAcl: false`. */
  readonly webAcl?: EdgeWebAcl;
  /** The ARN of the web ACL in front of the distribution, created here or given. */
  readonly webAclArn?: string;
  /** The viewer certificate, with `domainName`. */
  readonly certificate?: acm.ICertificate;
  /** The bucket of the access logs, with `accessLogs`. */
  readonly accessLogBucket?: s3.Bucket;
  readonly dynamicCachePolicy: cloudfront.CachePolicy;
  readonly staticCachePolicy: cloudfront.CachePolicy;
  readonly responseHeadersPolicy: cloudfront.IResponseHeadersPolicy;
  readonly staticPathPatterns: readonly string[];
  /** Whether CloudFront publishes its additional metrics (cache hit rate, origin latency). */
  readonly additionalMetrics: boolean;
  /** The secret origin header's value, with `publicOrigin`. */
  readonly originSecret?: secretsmanager.ISecret;
  private readonly verifyCondition?: elbv2.ListenerCondition;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const stackRegion = Stack.of(this).region;
    const webAcl = props.webAcl ?? true;
    this.staticPathPatterns = [...(props.staticPathPatterns ?? DEFAULT_STATIC_PATH_PATTERNS)];
    const staticTtl = {
      min: props.staticMinTtl ?? Duration.seconds(STATIC_TTL_SECONDS.min),
      default: props.staticDefaultTtl ?? Duration.seconds(STATIC_TTL_SECONDS.default),
      max: props.staticMaxTtl ?? Duration.seconds(STATIC_TTL_SECONDS.max),
    };
    const dynamicMaxTtl = props.dynamicMaxTtl ?? Duration.seconds(DYNAMIC_TTL_SECONDS.max);
    const logRetentionDays = props.logRetentionDays ?? dev.observability.logRetentionDays;
    this.additionalMetrics = props.additionalMetrics ?? true;

    const problems = new Problems(this.node.path);
    checkEdgeProps(problems, {
      region: Token.isUnresolved(stackRegion) ? undefined : stackRegion,
      staticPathPatterns: this.staticPathPatterns,
      staticTtl,
      dynamicMaxTtl,
      originShieldRegion: props.originShieldRegion,
      originDomainName: props.originDomainName,
      publicOrigin: props.publicOrigin,
      webAcl,
      webAclArn: props.webAclArn,
      rateLimitPer5Minutes: props.rateLimitPer5Minutes,
      logRetentionDays,
      accessLogs: props.accessLogs ?? true,
      logRetentionGiven: props.logRetentionDays !== undefined,
      minimumProtocolVersion: props.minimumProtocolVersion,
      domainName: props.domainName,
      hostedZone: props.hostedZone,
      certificate: props.certificate,
    });
    problems.throwIfAny();

    const https = props.originDomainName !== undefined;
    const built = buildOrigin(this, {
      loadBalancer: props.loadBalancer,
      publicOrigin: props.publicOrigin,
      originDomainName: props.originDomainName,
      originShieldRegion: props.originShieldRegion,
    });
    this.originSecret = built.originSecret;
    this.verifyCondition = built.verifyCondition;

    this.dynamicCachePolicy = dynamicCachePolicy(this, dynamicMaxTtl, !https);
    this.staticCachePolicy = staticCachePolicy(this, staticTtl);
    this.responseHeadersPolicy = props.responseHeadersPolicy ?? securityHeadersPolicy(this);

    if (webAcl && props.webAclArn === undefined) {
      this.webAcl = new EdgeWebAcl(this, 'WebAcl', { rateLimitPer5Minutes: props.rateLimitPer5Minutes ?? DEFAULT_RATE_LIMIT_PER_5_MINUTES });
    }
    this.webAclArn = props.webAclArn ?? this.webAcl?.webAclArn;
    this.certificate = viewerCertificate(this, props.domainName, props.hostedZone, props.certificate);
    this.accessLogBucket = (props.accessLogs ?? true) ? accessLogBucket(this, logRetentionDays) : undefined;

    const common = {
      origin: built.origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: this.responseHeadersPolicy,
      compress: true,
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${this.node.path}`.slice(0, 128),
      defaultBehavior: {
        ...common,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: this.dynamicCachePolicy,
        originRequestPolicy: dynamicOriginRequestPolicy(https),
      },
      additionalBehaviors: Object.fromEntries(
        this.staticPathPatterns.map((pattern) => [
          pattern,
          {
            ...common,
            allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
            cachePolicy: this.staticCachePolicy,
          },
        ]),
      ),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      certificate: this.certificate,
      domainNames: props.domainName ? [props.domainName] : undefined,
      // Only a certificate of one's own takes a security policy; CDK warns when one is set without.
      minimumProtocolVersion: this.certificate ? (props.minimumProtocolVersion ?? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021) : undefined,
      webAclId: this.webAclArn,
      logBucket: this.accessLogBucket,
      logFilePrefix: this.accessLogBucket ? 'cloudfront/' : undefined,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      geoRestriction: props.geoRestriction,
      publishAdditionalMetrics: this.additionalMetrics,
    });
    this.acknowledgeChoices(props);

    if (props.domainName && props.hostedZone) aliasRecords(this, props.domainName, props.hostedZone, this.distribution);
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;
  }

  /** The cdk-nag findings that are choices of the props, each with its reason. */
  private acknowledgeChoices(props: EdgeProps): void {
    const on = Validations.of(this.distribution);
    if (!props.geoRestriction) {
      on.acknowledge({
        id: 'AwsSolutions-CFR1',
        reason: 'An API serves every country by default; geoRestriction allows or denies countries when the product or the law requires it.',
      });
    }
    if (!this.webAclArn) {
      on.acknowledge({ id: 'AwsSolutions-CFR2', reason: 'The web ACL was turned off with webAcl: false.' });
    }
    if (!this.accessLogBucket) {
      on.acknowledge({ id: 'AwsSolutions-CFR3', reason: 'Access logs were turned off with accessLogs: false.' });
    }
    if (!this.certificate) {
      on.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "Without domainName the distribution serves HTTPS on its *.cloudfront.net name with CloudFront's own certificate, whose security policy CloudFront fixes at TLSv1 (no distribution can change it); modern clients negotiate TLS 1.2 or 1.3 anyway. Setting domainName enforces TLS 1.2.",
      });
    }
    if (props.publicOrigin && props.originDomainName === undefined) {
      on.acknowledge({
        id: 'AwsSolutions-CFR5',
        reason:
          'The public load balancer has no certificate (HTTP listener), so CloudFront reaches it over HTTP; set originDomainName with an HTTPS listener to encrypt that leg.',
      });
    }
  }

  /**
   * A metric of the distribution (`AWS/CloudFront`, dimensions `DistributionId` and
   * `Region: Global`), read from us-east-1 where CloudFront publishes it. One-minute period unless
   * `props` says otherwise.
   */
  metric(metricName: EdgeMetricName, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (ADDITIONAL_METRICS.has(metricName) && !this.additionalMetrics) {
      throw new ConfigurationError(this.node.path, [
        `${metricName} is one of CloudFront's additional metrics, which additionalMetrics: false turned off; turn them on ($2.40 a month) or use Requests and the error rates`,
      ]);
    }
    return new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName,
      dimensionsMap: { DistributionId: this.distribution.distributionId, Region: 'Global' },
      region: CLOUDFRONT_REGION,
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** Viewer requests, all methods. Sum. */
  metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Requests', { statistic: 'Sum', ...props });
  }

  /** Bytes viewers downloaded (GET, HEAD, OPTIONS). Sum. */
  metricBytesDownloaded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('BytesDownloaded', { statistic: 'Sum', ...props });
  }

  /** Percentage of viewer requests answered with a 4xx (WAF blocks included). Average. */
  metric4xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('4xxErrorRate', { statistic: 'Average', ...props });
  }

  /** Percentage of viewer requests answered with a 5xx. Average. */
  metric5xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('5xxErrorRate', { statistic: 'Average', ...props });
  }

  /** Percentage of cacheable requests served from CloudFront's cache (additional metric). Average. */
  metricCacheHitRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CacheHitRate', { statistic: 'Average', ...props });
  }

  /** Milliseconds from CloudFront's request to the origin's first byte (additional metric). p99. */
  metricOriginLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('OriginLatency', { statistic: 'p99', ...props });
  }

  /**
   * The listener condition that admits only CloudFront's requests (the secret origin header), for
   * rules you add to the public load balancer's listener yourself. Only with `publicOrigin`.
   */
  originVerifyCondition(): elbv2.ListenerCondition {
    if (!this.verifyCondition) {
      throw new ConfigurationError(this.node.path, [
        'originVerifyCondition() exists only with publicOrigin; the VPC origin needs no header, since the load balancer is not reachable from the internet',
      ]);
    }
    return this.verifyCondition;
  }
}
