/**
 * Defaults and limits of the Edge (CloudFront in front of a load balancer, with a WAF web ACL) as
 * plain data with the unit in the name; lib/edge/ turns them into CDK types. The cost tool reads the
 * metric count from here too. Each number carries its reason, and the AWS limits their source.
 */

/** CloudFront takes certificates for viewers, and CLOUDFRONT-scope web ACLs, only from this region. */
export const CLOUDFRONT_REGION = 'us-east-1';

/**
 * AWS WAF's bounds on a rate-based rule's limit, per evaluation window: "The lowest limit setting
 * allowed is 10" (docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html),
 * and the CloudFormation schema of AWS::WAFv2::WebACL (`RateLimit`: integer, minimum 10, maximum
 * 2,000,000,000; as shipped with cfn-lint 1.51, checked 2026-12).
 */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

/**
 * The window the rate limit counts over. 300 s is WAF's default, one of its four settings (60, 120,
 * 300, 600; same sources as above): long enough that a burst of page loads does not trip it, short
 * enough that a flood is blocked within minutes.
 */
export const RATE_LIMIT_WINDOW_SECONDS = 300;

/**
 * Requests one client IP may send in RATE_LIMIT_WINDOW_SECONDS before WAF answers 429. 2,000 in
 * 5 minutes is 6.7 a second sustained: above what a person clicking through an app sends (cached
 * static files count too: WAF sees every request before the cache), below a scraper's or a
 * credential-stuffing script's pace. Offices behind one NAT address share it; raise it for them.
 */
export const DEFAULT_RATE_LIMIT_PER_5_MINUTES = 2_000;

/**
 * AWS managed rule groups in the web ACL, with the capacity (WCU) AWS states for each
 * (docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html): together with
 * the rate-based rule (2 WCU) they stay below the 1,500 WCU a web ACL holds before AWS charges more.
 * IP reputation runs first: it is the cheapest and drops known-bad sources before anything else.
 */
export const MANAGED_RULE_GROUPS = [
  { name: 'AWSManagedRulesAmazonIpReputationList', capacityWcu: 25 },
  { name: 'AWSManagedRulesCommonRuleSet', capacityWcu: 700 },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', capacityWcu: 200 },
] as const;

/** Web ACL capacity included in the base price (AWS WAF pricing page). */
export const WEB_ACL_INCLUDED_WCU = 1_500;

/**
 * Path patterns that get the long-TTL static behaviour by default: the folders most frameworks
 * emit fingerprinted assets into (Rails, Django, Vite, Next's `/_next/static` is covered by adding it).
 */
export const DEFAULT_STATIC_PATH_PATTERNS: readonly string[] = ['/static/*', '/assets/*'];

/**
 * TTLs of the default (dynamic) behaviour. Minimum and default 0: CloudFront keeps nothing the
 * origin did not mark cacheable with `Cache-Control: max-age`/`s-maxage`. The maximum caps what a
 * route may ask for: one day, so a dynamic route that sends a year-long max-age by mistake is wrong
 * at the edge for a day, not a year.
 */
export const DYNAMIC_TTL_SECONDS = { min: 0, default: 0, max: 86_400 } as const;

/**
 * TTLs of the static behaviour. Minimum 0: a `no-store` from the origin is still obeyed. Default one
 * day for files the origin sends without `Cache-Control`. Maximum one year, what a fingerprinted
 * file with `max-age=31536000, immutable` asks for.
 */
export const STATIC_TTL_SECONDS = { min: 0, default: 86_400, max: 31_536_000 } as const;

/**
 * `Strict-Transport-Security: max-age` of the security-headers policy: two years, the value
 * hstspreload.org asks for (it requires at least one); browsers then never try plain HTTP first.
 */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/**
 * CloudFront path patterns: at most 255 characters from A-Z a-z 0-9 _ - . $ / ~ " ' @ : + &, with
 * the wildcards * and ? (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern).
 */
export const PATH_PATTERN = /^[A-Za-z0-9_\-.$/~"'@:+&*?]{1,255}$/;

/**
 * The header CloudFront adds to every origin request when the load balancer stays public, and the
 * load balancer's listener rule requires; the value is a secret in Secrets Manager.
 */
export const ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';

/**
 * CloudFront's additional distribution metrics (CacheHitRate, OriginLatency and six per-status
 * error rates), billed as CloudWatch custom metrics (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewing-cloudfront-metrics.html,
 * "Estimate the cost for the additional CloudFront metrics").
 */
export const CLOUDFRONT_ADDITIONAL_METRICS = 8;

/**
 * IDs of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing` by region. The
 * list is AWS's, but its ID differs per region and AWS publishes no table: these come from public
 * deployment guides that looked them up (`aws ec2 describe-managed-prefix-lists --filters
 * Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`); two independent
 * sources agree on the ten most used regions. AWS-managed list IDs do not change. Confidence:
 * medium. A region missing here needs `originFacingPrefixList` given explicitly; a wrong ID fails
 * the deploy loudly (the security group rule names a list that does not exist), never silently.
 */
export const ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'ap-northeast-1': 'pl-58a04531',
  'ap-northeast-2': 'pl-22a6434b',
  'ap-south-1': 'pl-9aa247f3',
  'ap-southeast-1': 'pl-31a34658',
  'ap-southeast-2': 'pl-b8a742d1',
  'ca-central-1': 'pl-38a64351',
  'eu-central-1': 'pl-a3a144ca',
  'eu-north-1': 'pl-fab65393',
  'eu-west-1': 'pl-4fa04526',
  'eu-west-2': 'pl-93a247fa',
  'eu-west-3': 'pl-75b1541c',
  'sa-east-1': 'pl-5da64334',
  'us-east-1': 'pl-3b927c52',
  'us-east-2': 'pl-b6a144df',
  'us-west-1': 'pl-4ea04527',
  'us-west-2': 'pl-82a045eb',
};
