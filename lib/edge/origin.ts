import { Annotations, Aws, CfnMapping, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ORIGIN_FACING_PREFIX_LISTS, ORIGIN_VERIFY_HEADER } from '../core/edge';
import { ConfigurationError } from '../private/problems';
import type { EdgePublicOrigin } from './props';

/** What the distribution needs from its origin. */
export interface BuiltOrigin {
  readonly origin: cloudfront.IOrigin;
  /** The secret value of the origin header, with the public origin only. */
  readonly originSecret?: secretsmanager.Secret;
  /** The condition the listener checks, with the public origin only. */
  readonly verifyCondition?: elbv2.ListenerCondition;
}

export interface OriginOptions {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly publicOrigin?: EdgePublicOrigin;
  readonly originDomainName?: string;
  readonly originShieldRegion?: string;
}

/**
 * The origin of the distribution: a VPC origin to the load balancer by default, or, with
 * `publicOrigin`, an HTTP(S) origin over the internet that carries a secret header. Either way
 * the load balancer's security group admits CloudFront's origin-facing addresses on the origin port.
 */
export function buildOrigin(scope: Construct, options: OriginOptions): BuiltOrigin {
  const https = options.originDomainName !== undefined;
  const port = https ? 443 : 80;
  const protocolPolicy = https ? cloudfront.OriginProtocolPolicy.HTTPS_ONLY : cloudfront.OriginProtocolPolicy.HTTP_ONLY;
  const shield = options.originShieldRegion ? { originShieldRegion: options.originShieldRegion } : {};
  if (!options.publicOrigin) {
    warnIfInternetFacing(scope, options.loadBalancer);
    // CloudFront's VPC origin connections come from its origin-facing addresses (through ENIs it
    // places in the VPC), so the same prefix list admits them (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html).
    options.loadBalancer.connections.allowFrom(
      originFacingPeer(scope, undefined),
      ec2.Port.tcp(port),
      'CloudFront origin-facing servers (VPC origin)',
    );
    return {
      origin: origins.VpcOrigin.withApplicationLoadBalancer(options.loadBalancer, {
        domainName: options.originDomainName,
        protocolPolicy,
        httpPort: 80,
        httpsPort: 443,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        ...shield,
      }),
    };
  }

  const publicOrigin = options.publicOrigin;
  publicOrigin.listener.connections.allowFrom(
    originFacingPeer(scope, publicOrigin.originFacingPrefixList),
    ec2.Port.tcp(publicOrigin.listener.port),
    'CloudFront origin-facing servers',
  );
  // The prefix list admits every distribution, anyone's: the secret header proves the request
  // came through this one. Secrets Manager generates it at deploy time, so it is never in the
  // template, the cloud assembly or source control; CloudFormation passes it to CloudFront and the
  // listener rule by dynamic reference.
  const originSecret = new secretsmanager.Secret(scope, 'OriginSecret', {
    description: `The value CloudFront sends in ${ORIGIN_VERIFY_HEADER} to the load balancer, which forwards only requests that carry it.`,
    // Letters and digits: ALB header conditions treat * and ? as wildcards.
    generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
  });
  Validations.of(originSecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The origin header secret is copied into the CloudFront origin and the ALB listener rule at deploy time; a rotation Lambda would have to update both in step or cut traffic. Rotate by changing the secret and redeploying (docs/edge.md).',
  });
  const value = originSecret.secretValue.unsafeUnwrap();
  const verifyCondition = elbv2.ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER, [value]);
  publicOrigin.listener.addAction('EdgeOriginVerified', {
    priority: publicOrigin.rulePriority ?? 1,
    conditions: [verifyCondition],
    action: elbv2.ListenerAction.forward(publicOrigin.targetGroups),
  });
  // A rule someone else puts on the listener without the header check would forward requests that
  // never passed through CloudFront: a WebService's canary/linear ProductionRule ('*' at priority 1)
  // is one. Judged at synth, so rules added after the Edge count too.
  scope.node.addValidation({ validate: () => rulesWithoutOriginHeader(publicOrigin.listener) });
  // Without the header: 403, whoever asks. Replaces the listener's default action.
  publicOrigin.listener.addAction('EdgeOriginDenied', {
    action: elbv2.ListenerAction.fixedResponse(403, { contentType: 'text/plain', messageBody: 'Forbidden' }),
  });
  Annotations.of(publicOrigin.listener).acknowledgeWarning(
    '@aws-cdk/aws-elbv2:listenerExistingDefaultActionReplaced',
    'Edge replaces the default action with a 403 on purpose: only requests carrying the origin header are forwarded.',
  );
  const httpOptions: origins.HttpOriginProps = {
    protocolPolicy,
    httpPort: 80,
    httpsPort: 443,
    originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    customHeaders: { [ORIGIN_VERIFY_HEADER]: value },
    ...shield,
  };
  return {
    // Over HTTPS, CloudFront connects by the name the load balancer's certificate covers.
    origin: options.originDomainName
      ? new origins.HttpOrigin(options.originDomainName, httpOptions)
      : new origins.LoadBalancerV2Origin(options.loadBalancer, httpOptions),
    originSecret,
    verifyCondition,
  };
}

/**
 * CloudFront's origin-facing prefix list: the one given, else the stack region's ID from the
 * table, chosen at deploy time from a region map when the region is a token.
 */
function originFacingPeer(scope: Construct, given: ec2.IPrefixList | undefined): ec2.IPeer {
  if (given) return ec2.Peer.prefixList(given.prefixListId);
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region)) {
    const id = ORIGIN_FACING_PREFIX_LISTS[stack.region];
    if (!id) {
      throw new ConfigurationError(scope.node.path, [
        `the ID of CloudFront's origin-facing prefix list in ${stack.region} is not in ORIGIN_FACING_PREFIX_LISTS; look it up (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing --region ${stack.region}) and pass publicOrigin.originFacingPrefixList, or use the VPC origin in a listed region`,
      ]);
    }
    return ec2.Peer.prefixList(id);
  }
  const map =
    (stack.node.tryFindChild('CloudFrontOriginFacingPrefixLists') as CfnMapping | undefined) ??
    new CfnMapping(stack, 'CloudFrontOriginFacingPrefixLists', {
      mapping: Object.fromEntries(Object.entries(ORIGIN_FACING_PREFIX_LISTS).map(([region, id]) => [region, { id }])),
    });
  return ec2.Peer.prefixList(map.findInMap(Aws.REGION, 'id'));
}

/** The VPC origin exists so the load balancer needs no public address; say so when it has one. */
function warnIfInternetFacing(scope: Construct, loadBalancer: elbv2.IApplicationLoadBalancer): void {
  const resource = loadBalancer.node.defaultChild;
  if (resource instanceof elbv2.CfnLoadBalancer && (resource.scheme ?? 'internet-facing') === 'internet-facing') {
    Annotations.of(scope).addWarningV2(
      'cdk-scaling-stack:edgeInternetFacingOrigin',
      `The load balancer ${loadBalancer.node.path} is internet-facing: viewers can reach it around CloudFront, its web ACL and its cache. Make it internal (internetFacing: false) and remove its 0.0.0.0/0 rules; the VPC origin needs no public address.`,
    );
  }
}

/**
 * The listener's rules that forward without checking the origin header, each as a problem naming
 * the rule, its priority and the fixes.
 */
function rulesWithoutOriginHeader(listener: elbv2.ApplicationListener): string[] {
  const stack = Stack.of(listener);
  return stack.node
    .findAll()
    .filter((c): c is elbv2.CfnListenerRule => c instanceof elbv2.CfnListenerRule && c.listenerArn === listener.listenerArn)
    .filter((rule) => !JSON.stringify(stack.resolve(rule.conditions)).includes(ORIGIN_VERIFY_HEADER))
    .map(
      (rule) =>
        `publicOrigin.listener has a rule that does not check the origin header (${(rule.node.scope ?? rule).node.path}, priority ${String(stack.resolve(rule.priority))}): requests that never passed through CloudFront would reach the targets. Add edge.originVerifyCondition() to its conditions; a WebService with deploymentStrategy 'canary', 'linear' or 'blueGreen' owns such a rule, so put that service behind the VPC origin (leave publicOrigin out) or deploy it with 'rolling'`,
    );
}
