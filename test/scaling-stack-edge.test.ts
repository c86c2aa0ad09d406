import { Match, Template } from 'aws-cdk-lib/assertions';
import { dev, PROFILE_NAMES, profiles, type ProfileName } from '../lib';
import { scalingStack } from './helpers/app';

// Every profile behind CloudFront (issue 14). One synthesis per profile, shared by the file: in
// us-east-1 (bin/app.ts's default region) with a domain, so the viewer TLS policy applies too.
const DOMAIN = { domainName: 'app.example.com', hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' } };
const templates = Object.fromEntries(
  PROFILE_NAMES.map((name) => [
    name,
    Template.fromStack(
      scalingStack({
        profile: name,
        env: { account: '123456789012', region: 'us-east-1' },
        ...DOMAIN,
      }),
    ),
  ]),
) as Record<ProfileName, Template>;

const WORLD = ['0.0.0.0/0'];
const WORLD_V6 = ['::/0'];

/** Every ingress rule of the template, inline in a security group or standalone. */
function ingressRules(template: Template): Record<string, unknown>[] {
  const inline = Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(
    (r) => (r.Properties?.SecurityGroupIngress ?? []) as Record<string, unknown>[],
  );
  const standalone = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties as Record<string, unknown>);
  return [...inline, ...standalone];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized CloudFormation JSON, read path by path
function distributionConfig(template: Template): Record<string, any> {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  return distribution.Properties.DistributionConfig;
}

describe.each(PROFILE_NAMES)('%s behind the edge', (name) => {
  const template = templates[name];
  const profile = profiles[name];

  test('one distribution, which redirects viewers to HTTPS on every behaviour, with compression', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const config = distributionConfig(template);
    const behaviours = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
    expect(behaviours.length).toBe(3);
    for (const behaviour of behaviours) {
      expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(behaviour.Compress).toBe(true);
    }
    expect(config.HttpVersion).toBe('http2and3');
  });

  test('the domain gets TLS 1.2 at least, with the issued certificate', () => {
    const config = distributionConfig(template);
    expect(config.Aliases).toEqual(['app.example.com']);
    expect(config.ViewerCertificate).toEqual(expect.objectContaining({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }));
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
  });

  test('the load balancer is internal, and the web URL is the edge', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    template.resourceCountIs('AWS::CloudFront::VpcOrigin', 1);
    template.hasOutput('WebUrl', { Value: 'https://app.example.com' });
  });

  test('no security group admits 0.0.0.0/0 or ::/0', () => {
    const rules = ingressRules(template);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(WORLD).not.toContain(rule.CidrIp);
      expect(WORLD_V6).not.toContain(rule.CidrIpv6);
    }
  });

  test('the web ACL and its rate limit follow the profile', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', profile.edge.webAcl ? 1 : 0);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: profile.edge.rateLimitPer5Minutes }) } }),
      ]),
    });
  });

  test('in us-east-1, an alarm on the edge 5xx rate at the web error threshold (CloudFront failing to reach the origin)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
      Threshold: profile.monitoring.web.errorRatePercent,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  test('additional metrics and Origin Shield follow the profile', () => {
    template.resourceCountIs('AWS::CloudFront::MonitoringSubscription', profile.edge.additionalMetrics ? 1 : 0);
    const [origin] = distributionConfig(template).Origins;
    if (profile.edge.originShieldRegion === 'off') {
      expect(origin.OriginShield).toBeUndefined();
    } else {
      expect(origin.OriginShield).toEqual({ Enabled: true, OriginShieldRegion: profile.edge.originShieldRegion });
    }
  });
});

describe('edge choices of ScalingStack', () => {
  test('an environment-agnostic stack refuses, at deploy time, a region where the web ACL cannot live', () => {
    const template = Template.fromStack(scalingStack({ profile: 'dev' }));
    // ... which binds it to us-east-1, where the edge's 5xx alarm can read its metrics.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate' });
    template.templateMatches({
      Rules: {
        EdgeRegion: {
          Assertions: [Match.objectLike({ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } })],
        },
      },
    });
  });

  test('a stack in another region without a web ACL of us-east-1 is refused with the way out', () => {
    expect(() => scalingStack({ profile: 'dev', env: { region: 'eu-west-1' } })).toThrow(
      'the web ACL of a CloudFront distribution must be created in us-east-1 (WAF scope CLOUDFRONT), and this stack is in eu-west-1; create an EdgeWebAcl in a us-east-1 stack and pass its ARN as webAclArn, or set webAcl to false',
    );
  });

  test("edge: false leaves no distribution, the load balancer internal and closed, and the URL the load balancer's", () => {
    const stack = scalingStack({ profile: { ...dev, edge: { ...dev.edge, enabled: false, webAcl: false } } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    for (const rule of ingressRules(template)) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    expect(stack.edge).toBeUndefined();
    expect(stack.web.url).toMatch(/^http:\/\//);
  });

  test('a stack in another region gets no alarm on the distribution (its metrics are in us-east-1), only the dashboard row', () => {
    const template = Template.fromStack(
      scalingStack({
        profile: 'staging',
        env: { region: 'eu-west-1' },
        edgeWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      }),
    );
    expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'AWS/CloudFront' } })).toEqual({});
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'))).toContain('5xxErrorRate');
  });

  test("the dashboard shows the distribution's metrics, read from us-east-1", () => {
    const body = JSON.stringify(templates.prod.findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of ['Requests', '4xxErrorRate', '5xxErrorRate', 'CacheHitRate', 'OriginLatency'])
      expect(body).toContain(`AWS/CloudFront\\",\\"${metric}`);
    expect(body).toContain('us-east-1');
  });
});
