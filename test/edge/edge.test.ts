import { Duration, Stack, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Edge } from '../../lib';
import { nagFindings } from '../helpers/app';
import { stackWithAlb } from './helpers';

const logicalId = (stack: Stack, element: unknown) => stack.getLogicalId((element as { node: { defaultChild: CfnElement } }).node.defaultChild);

describe('Edge alone in front of an internal ALB (us-east-1, defaults)', () => {
  // GIVEN a user's stack in us-east-1 with an internal ALB
  const { stack, loadBalancer } = stackWithAlb('us-east-1');
  loadBalancer.addListener('Http', { port: 80, open: false, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
  // WHEN an Edge is put in front of it, with nothing but the load balancer
  const edge = new Edge(stack, 'Edge', { loadBalancer });
  new cloudwatch.Dashboard(stack, 'Dashboard', {
    widgets: [[new cloudwatch.GraphWidget({ left: [edge.metricCacheHitRate(), edge.metricOriginLatency()] })]],
  });
  const template = Template.fromStack(stack);
  const distribution = () => Object.values(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;

  test('viewers get HTTPS only: HTTP redirects, on every behaviour', () => {
    const config = distribution();
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.CacheBehaviors.map((b: { ViewerProtocolPolicy: string }) => b.ViewerProtocolPolicy)).toEqual([
      'redirect-to-https',
      'redirect-to-https',
    ]);
  });

  test('HTTP/2 and HTTP/3, IPv6, the cheapest price class; no viewer certificate of its own without a domain', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        HttpVersion: 'http2and3',
        IPV6Enabled: true,
        PriceClass: 'PriceClass_100',
        Aliases: Match.absent(),
        ViewerCertificate: Match.absent(),
      }),
    });
    expect(edge.url).toMatch(/^https:\/\/\$\{Token\[/);
    expect(stack.resolve(edge.url)).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack, edge.distribution), 'DomainName'] }]],
    });
  });

  test('the default behaviour forwards every method and caches only GET and HEAD, compressed, with the dynamic policy and AllViewer', () => {
    expect(distribution().DefaultCacheBehavior).toEqual(
      expect.objectContaining({
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachedMethods: ['GET', 'HEAD'],
        Compress: true,
        CachePolicyId: { Ref: logicalId(stack, edge.dynamicCachePolicy) },
        // Managed AllViewer (docs: using-managed-origin-request-policies).
        OriginRequestPolicyId: '216adef6-5c7f-47e4-b989-5492eafa07d3',
        ResponseHeadersPolicyId: { Ref: logicalId(stack, edge.responseHeadersPolicy) },
      }),
    );
  });

  test('the dynamic cache policy keeps nothing unless the origin says so, and keys on Authorization, cookies and query strings', () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MinTTL: 0,
        DefaultTTL: 0,
        MaxTTL: 86400,
        ParametersInCacheKeyAndForwardedToOrigin: {
          HeadersConfig: {
            HeaderBehavior: 'whitelist',
            Headers: ['Authorization', 'Host', 'Origin', 'X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'],
          },
          CookiesConfig: { CookieBehavior: 'all' },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
        },
      }),
    });
  });

  test('static paths: GET and HEAD only, compressed, long TTLs, no cookies or headers in the key, no origin request policy', () => {
    const behaviours = distribution().CacheBehaviors;
    expect(behaviours.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['/static/*', '/assets/*']);
    for (const behaviour of behaviours) {
      expect(behaviour).toEqual(
        expect.objectContaining({
          AllowedMethods: ['GET', 'HEAD'],
          Compress: true,
          CachePolicyId: { Ref: logicalId(stack, edge.staticCachePolicy) },
        }),
      );
      expect(behaviour.OriginRequestPolicyId).toBeUndefined();
    }
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MinTTL: 0,
        DefaultTTL: 86400,
        MaxTTL: 31536000,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
        }),
      }),
    });
  });

  test('the security headers: HSTS for two years with subdomains, nosniff, DENY framing, a strict referrer policy', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: false, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: false },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: false },
        },
      }),
    });
  });

  test('the origin is a VPC origin to the ALB over HTTP on port 80, TLS 1.2 offered', () => {
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({
        Arn: { Ref: logicalId(stack, loadBalancer) },
        HTTPPort: 80,
        HTTPSPort: 443,
        OriginProtocolPolicy: 'http-only',
        OriginSSLProtocols: ['TLSv1.2'],
      }),
    });
    const origin = distribution().Origins[0];
    expect(origin.VpcOriginConfig).toEqual({ VpcOriginId: { 'Fn::GetAtt': [expect.stringMatching(/VpcOrigin/), 'Id'] } });
    expect(origin.CustomOriginConfig).toBeUndefined();
  });

  test("the ALB admits only CloudFront's origin-facing prefix list of the region, on the origin port", () => {
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
      SourcePrefixListId: 'pl-3b927c52',
    });
  });

  test('the web ACL: IP reputation, a 429 rate limit of 2,000 per IP per 5 minutes, core rules, known bad inputs', () => {
    const rules = new Capture();
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} }, Rules: rules });
    const captured = rules.asArray();
    expect(captured.map((r: { Name: string; Priority: number }) => [r.Priority, r.Name])).toEqual([
      [0, 'AWSManagedRulesAmazonIpReputationList'],
      [1, 'RateLimitPerIp'],
      [2, 'AWSManagedRulesCommonRuleSet'],
      [3, 'AWSManagedRulesKnownBadInputsRuleSet'],
    ]);
    expect(captured[1].Statement).toEqual({ RateBasedStatement: { Limit: 2000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' } });
    expect(captured[1].Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests' } } });
    for (const managed of [captured[0], captured[2], captured[3]]) {
      expect(managed.OverrideAction).toEqual({ None: {} });
      expect(managed.Statement.ManagedRuleGroupStatement.VendorName).toBe('AWS');
    }
    expect(distribution().WebACLId).toEqual({ 'Fn::GetAtt': [logicalId(stack, edge.webAcl), 'Arn'] });
  });

  test('access logs go to an encrypted, private, TLS-only bucket that expires them after 7 days', () => {
    expect(distribution().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logicalId(stack, edge.accessLogBucket), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7, Status: 'Enabled' })] },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test("additional metrics are on, and the metrics read us-east-1 with the distribution's dimensions", () => {
    template.resourceCountIs('AWS::CloudFront::MonitoringSubscription', 1);
    const metric = edge.metricCacheHitRate();
    expect(metric.region).toBe('us-east-1');
    expect(metric.namespace).toBe('AWS/CloudFront');
    expect(stack.resolve(metric.dimensions)).toEqual({ DistributionId: { Ref: logicalId(stack, edge.distribution) }, Region: 'Global' });
    expect(edge.metricOriginLatency().statistic).toBe('p99');
    expect(edge.metricRequests().statistic).toBe('Sum');
    expect(edge.metric5xxErrorRate().metricName).toBe('5xxErrorRate');
  });

  test('a dashboard widget reads the metrics from us-east-1', () => {
    const body = JSON.stringify(stack.resolve(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody));
    expect(body).toContain('\\"region\\":\\"us-east-1\\"');
    expect(body).toContain('CacheHitRate');
  });

  test("cdk-nag finds nothing in the Edge: the only findings are the fixture VPC's and ALB's own", () => {
    expect(nagFindings(stack)).toEqual([
      'AwsSolutions-VPC7 at undefined (UserStack/Vpc/Resource)',
      'AwsSolutions-ELB2 at undefined (UserStack/Alb/Resource)',
    ]);
  });

  test('no warning for an internal load balancer in a stack with a region', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('Edge with a domain in us-east-1', () => {
  // GIVEN a hosted zone
  const { stack, loadBalancer } = stackWithAlb('us-east-1');
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  // WHEN the Edge gets a domain name and the zone
  const edge = new Edge(stack, 'Edge', { loadBalancer, domainName: 'app.example.com', hostedZone });
  const template = Template.fromStack(stack);

  test('issues a DNS-validated certificate here and serves it with SNI and TLS 1.2 (2021 policy)', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'app.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'app.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['app.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: { Ref: logicalId(stack, edge.certificate) },
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    expect(edge.url).toBe('https://app.example.com');
  });

  test('A and AAAA alias records point the name at the distribution', () => {
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'app.example.com.',
        Type: type,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: Match.objectLike({ DNSName: { 'Fn::GetAtt': [logicalId(stack, edge.distribution), 'DomainName'] } }),
      });
    }
  });

  test('with a certificate of its own the CFR4 finding is gone, and Edge still has none', () => {
    expect(nagFindings(stack).filter((f) => f.includes('/Edge/'))).toEqual([]);
  });
});

describe('Edge options', () => {
  test("a us-east-1 certificate from another region's stack is accepted; TLS 1.3 policy on request", () => {
    // GIVEN a stack in eu-west-1 and a certificate imported by its us-east-1 ARN
    const { stack, loadBalancer } = stackWithAlb('eu-west-1');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    // WHEN
    new Edge(stack, 'Edge', {
      loadBalancer,
      domainName: 'app.example.com',
      certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_3_2025,
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1234abcd',
    });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          MinimumProtocolVersion: 'TLSv1.3_2025',
          SslSupportMethod: 'sni-only',
        },
        WebACLId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1234abcd',
      }),
    });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    // The eu-west-1 ID of the origin-facing prefix list.
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourcePrefixListId: 'pl-4fa04526' });
  });

  test('Origin Shield, HTTPS to the origin, own static paths and TTLs, a custom headers policy, a different rate limit', () => {
    // GIVEN
    const { stack, loadBalancer } = stackWithAlb('us-east-1');
    const headers = cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS;
    // WHEN
    const edge = new Edge(stack, 'Edge', {
      loadBalancer,
      originDomainName: 'origin.example.com',
      originShieldRegion: 'us-east-1',
      staticPathPatterns: ['/_next/static/*'],
      staticDefaultTtl: Duration.hours(1),
      staticMaxTtl: Duration.days(30),
      dynamicMaxTtl: Duration.minutes(5),
      responseHeadersPolicy: headers,
      rateLimitPer5Minutes: 500,
      additionalMetrics: false,
    });
    // THEN
    const template = Template.fromStack(stack);
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    expect(config.Origins[0]).toEqual(
      expect.objectContaining({
        DomainName: 'origin.example.com',
        OriginShield: { Enabled: true, OriginShieldRegion: 'us-east-1' },
      }),
    );
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 443, ToPort: 443, SourcePrefixListId: 'pl-3b927c52' });
    // Over HTTPS the Host header stays behind, in the key and in the forwarded headers.
    expect(config.DefaultCacheBehavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MaxTTL: 300,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: {
            HeaderBehavior: 'whitelist',
            Headers: ['Authorization', 'Origin', 'X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'],
          },
        }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ MinTTL: 0, DefaultTTL: 3600, MaxTTL: 2592000 }),
    });
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['/_next/static/*']);
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBe(headers.responseHeadersPolicyId);
    template.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 500 }) } })]),
    });
    template.resourceCountIs('AWS::CloudFront::MonitoringSubscription', 0);
    expect(() => edge.metricCacheHitRate()).toThrow(
      "UserStack/Edge: CacheHitRate is one of CloudFront's additional metrics, which additionalMetrics: false turned off; turn them on ($2.40 a month) or use Requests and the error rates",
    );
    expect(edge.metricRequests().metricName).toBe('Requests');
  });

  test('web ACL, access logs and geo restriction switched: each finding it opens is acknowledged with the reason', () => {
    // GIVEN
    const { stack, loadBalancer } = stackWithAlb('us-east-1');
    // WHEN
    new Edge(stack, 'Edge', { loadBalancer, webAcl: false, accessLogs: false, geoRestriction: cloudfront.GeoRestriction.allowlist('DE', 'FR') });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: Match.absent(),
        Logging: Match.absent(),
        Restrictions: { GeoRestriction: { RestrictionType: 'whitelist', Locations: ['DE', 'FR'] } },
      }),
    });
    // CFR2 (no WAF) and CFR3 (no logging) would be open without the acknowledgments.
    expect(nagFindings(stack).filter((f) => f.includes('/Edge/'))).toEqual([]);
  });

  test('an internet-facing load balancer behind the VPC origin draws a warning', () => {
    // GIVEN an internet-facing ALB
    const { stack, loadBalancer } = stackWithAlb('us-east-1', { internetFacing: true });
    // WHEN
    new Edge(stack, 'Edge', { loadBalancer });
    // THEN
    Annotations.fromStack(stack).hasWarning(
      '/UserStack/Edge',
      Match.stringLikeRegexp('The load balancer UserStack/Alb is internet-facing: viewers can reach it around CloudFront'),
    );
  });

  test('a stack without a region: the prefix list comes from a region map, and the us-east-1 bindings are warned about', () => {
    // GIVEN an environment-agnostic stack and a zone
    const { stack, loadBalancer } = stackWithAlb(undefined);
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    // WHEN
    new Edge(stack, 'Edge', { loadBalancer, domainName: 'app.example.com', hostedZone });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourcePrefixListId: { 'Fn::FindInMap': ['CloudFrontOriginFacingPrefixLists', { Ref: 'AWS::Region' }, 'id'] },
    });
    template.hasMapping('CloudFrontOriginFacingPrefixLists', { 'us-east-1': { id: 'pl-3b927c52' }, 'eu-west-1': { id: 'pl-4fa04526' } });
    const warnings = Annotations.fromStack(stack);
    warnings.hasWarning('/UserStack/Edge/WebAcl', Match.stringLikeRegexp('the CLOUDFRONT-scope web ACL deploys only in us-east-1'));
    warnings.hasWarning(
      '/UserStack/Edge',
      Match.stringLikeRegexp('the certificate for app.example.com works with CloudFront only if the stack is deployed in us-east-1'),
    );
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
  });
});
