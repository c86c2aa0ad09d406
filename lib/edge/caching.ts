import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { HSTS_MAX_AGE_SECONDS } from '../core/edge';

/**
 * Headers in the default behaviour's cache key besides `Authorization`: the managed
 * UseOriginCacheControlHeaders policy's (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html),
 * so a CORS response for one `Origin` or a method-overridden request is never served for another.
 */
const DYNAMIC_KEY_HEADERS = ['Origin', 'X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'];

/**
 * The default behaviour's cache policy. No managed policy fits: CachingDisabled caches nothing,
 * and UseOriginCacheControlHeaders honours `Cache-Control` but leaves `Authorization` out of the
 * key, so CloudFront would not forward it on GET and HEAD (an origin request policy cannot forward
 * it either: it must be in the key, repost.aws/knowledge-center/cloudfront-authorization-header).
 *
 * So: minimum and default TTL 0 (nothing is kept unless the origin's `Cache-Control` says so),
 * and the key holds everything that can tell one user from another: `Authorization`, every
 * cookie, every query string. Two users share a cached response only if they send the same
 * credentials, cookies and URL, and the origin marked it cacheable. Host joins the key when it is
 * forwarded (HTTP origins), so two domains on one distribution never share entries.
 */
export function dynamicCachePolicy(scope: Construct, maxTtl: Duration, forwardsHost: boolean): cloudfront.CachePolicy {
  const headers = ['Authorization', ...(forwardsHost ? ['Host'] : []), ...DYNAMIC_KEY_HEADERS];
  return new cloudfront.CachePolicy(scope, 'DynamicCachePolicy', {
    comment: 'Caches only what the origin marks cacheable; keyed on Authorization, all cookies and all query strings',
    minTtl: Duration.seconds(0),
    defaultTtl: Duration.seconds(0),
    maxTtl,
    headerBehavior: cloudfront.CacheHeaderBehavior.allowList(...headers),
    cookieBehavior: cloudfront.CacheCookieBehavior.all(),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
    // Normalizes Accept-Encoding into the key so compressed and plain copies are kept apart.
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
}

/**
 * The static behaviour's cache policy: no cookies and no headers in the key (and so none reach the
 * origin), query strings in it so `?v=2` busts the cache; long TTLs.
 */
export function staticCachePolicy(scope: Construct, ttl: { min: Duration; default: Duration; max: Duration }): cloudfront.CachePolicy {
  return new cloudfront.CachePolicy(scope, 'StaticCachePolicy', {
    comment: 'Public static files: long TTLs, no cookies or Authorization, query strings in the key',
    minTtl: ttl.min,
    defaultTtl: ttl.default,
    maxTtl: ttl.max,
    headerBehavior: cloudfront.CacheHeaderBehavior.none(),
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
}

/**
 * What the default behaviour forwards beyond its cache key: every viewer header, cookie and query
 * string (managed AllViewer). Over HTTPS, the Host header stays behind (AllViewerExceptHostHeader):
 * CloudFront checks the origin's certificate against the Host it forwards, and the viewer's name
 * is not the one the load balancer's certificate covers.
 */
export function dynamicOriginRequestPolicy(https: boolean): cloudfront.IOriginRequestPolicy {
  return https ? cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER : cloudfront.OriginRequestPolicy.ALL_VIEWER;
}

/**
 * Security headers on every response. HSTS and nosniff override what the origin sends (no route
 * should weaken them); frame options and referrer policy are defaults a route may set otherwise.
 */
export function securityHeadersPolicy(scope: Construct): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    comment: 'HSTS, nosniff, frame and referrer policy',
    securityHeadersBehavior: {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
        includeSubdomains: true,
        // Preloading commits the whole domain to HTTPS in browsers for months: the owner's call.
        preload: false,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: false },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: false },
    },
  });
}
