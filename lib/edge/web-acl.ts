import { Annotations, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { CLOUDFRONT_REGION, DEFAULT_RATE_LIMIT_PER_5_MINUTES, MANAGED_RULE_GROUPS, RATE_LIMIT_WINDOW_SECONDS, WAF_RATE_LIMIT } from '../core/edge';
import { Problems } from '../private/problems';

export interface EdgeWebAclProps {
  /**
   * Requests one client IP may send in 5 minutes before the web ACL answers 429
   * (10 to 2,000,000,000; WAF's bounds).
   *
   * @default 2000
   */
  readonly rateLimitPer5Minutes?: number;
}

/** Name of the rate-based rule, also its CloudWatch metric name (`AWS/WAFV2`, dimension `Rule`). */
export const EDGE_RATE_LIMIT_RULE = 'RateLimitPerIp';

/**
 * A CLOUDFRONT-scope WAF web ACL for an Edge: AWS's IP reputation list, core rule set and known bad
 * inputs, and a rate limit per client IP that answers 429. Everything else is allowed.
 *
 * CloudFront takes web ACLs from us-east-1 only, so this must be in a us-east-1 stack: Edge creates
 * one itself there; for a distribution in another region, create this in a us-east-1 stack and
 * pass `webAclArn` to the Edge (a cross-region reference or the ARN as text). A regional web ACL on
 * the load balancer would see CloudFront's addresses instead of the viewers', so its IP reputation
 * list and per-IP rate limit would judge CloudFront; see docs/edge.md.
 */
export class EdgeWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  /** The ARN to give a distribution (`webAclId`) or an Edge (`webAclArn`). */
  readonly webAclArn: string;
  readonly rateLimitPer5Minutes: number;
  /** The web ACL's name, the `WebACL` dimension of its metrics. */
  readonly webAclName: string;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps = {}) {
    super(scope, id);
    this.rateLimitPer5Minutes = props.rateLimitPer5Minutes ?? DEFAULT_RATE_LIMIT_PER_5_MINUTES;
    const region = Stack.of(this).region;
    const problems = new Problems(this.node.path);
    problems.range('rateLimitPer5Minutes', this.rateLimitPer5Minutes, WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max, {
      integer: true,
      fix: 'the bounds AWS WAF allows for a rate-based rule',
    });
    if (!Token.isUnresolved(region) && region !== CLOUDFRONT_REGION) {
      problems.add(
        `a web ACL for CloudFront (scope CLOUDFRONT) can only be created in us-east-1, and this stack is in ${region}; create it in a us-east-1 stack`,
      );
    }
    problems.throwIfAny();
    if (Token.isUnresolved(region)) {
      Annotations.of(this).addWarningV2(
        'cdk-scaling-stack:edgeWebAclRegion',
        'This stack has no region at synth time; the CLOUDFRONT-scope web ACL deploys only in us-east-1, and CloudFormation fails anywhere else.',
      );
    }

    // A physical name is needed for the WebACL metric dimension; derived from the path, so two
    // stacks (profiles) in one account never collide. WAF names: 1-128 of [\w-].
    this.webAclName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      name: this.webAclName,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: `Edge web ACL: AWS IP reputation, core rule set, known bad inputs, ${this.rateLimitPer5Minutes} requests per IP per 5 minutes`,
      visibilityConfig: visibility(this.webAclName),
      customResponseBodies: {
        TooManyRequests: { contentType: 'TEXT_PLAIN', content: 'Too many requests; slow down and retry in a few minutes.' },
      },
      rules: [
        managedRule(0, MANAGED_RULE_GROUPS[0].name),
        {
          name: EDGE_RATE_LIMIT_RULE,
          priority: 1,
          statement: {
            rateBasedStatement: {
              limit: this.rateLimitPer5Minutes,
              evaluationWindowSec: RATE_LIMIT_WINDOW_SECONDS,
              // The address CloudFront saw the request from: a viewer cannot forge it, as it could
              // an X-Forwarded-For header.
              aggregateKeyType: 'IP',
            },
          },
          // 429 tells a well-behaved client to back off; WAF's default block is a bare 403.
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } } },
          visibilityConfig: visibility(EDGE_RATE_LIMIT_RULE),
        },
        managedRule(2, MANAGED_RULE_GROUPS[1].name),
        managedRule(3, MANAGED_RULE_GROUPS[2].name),
      ],
    });
    this.webAclArn = this.webAcl.attrArn;
  }

  /**
   * A metric of this web ACL (`AWS/WAFV2`, published in us-east-1): `BlockedRequests`,
   * `AllowedRequests`, `CountedRequests`; `rule` narrows it to one rule (`EDGE_RATE_LIMIT_RULE` or a
   * managed group's name). Sum over 5 minutes unless `props` says otherwise.
   */
  metric(metricName: string, rule = 'ALL', props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName,
      dimensionsMap: { WebACL: this.webAclName, Rule: rule },
      statistic: 'Sum',
      region: CLOUDFRONT_REGION,
      ...props,
    });
  }

  /** Requests the web ACL blocked (every rule). */
  metricBlockedRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('BlockedRequests', 'ALL', props);
  }

  /** Requests the rate limit answered with 429. */
  metricRateLimitedRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('BlockedRequests', EDGE_RATE_LIMIT_RULE, props);
  }
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function managedRule(priority: number, name: string): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    // `none`: the group's own actions (block) apply; `count` would only watch.
    overrideAction: { none: {} },
    visibilityConfig: visibility(name),
  };
}
