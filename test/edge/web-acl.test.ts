import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Edge, EdgeWebAcl, EDGE_RATE_LIMIT_RULE } from '../../lib';
import { testApp } from '../helpers/app';
import { ACCOUNT } from './helpers';

describe('EdgeWebAcl in a us-east-1 stack, for an Edge in another region', () => {
  // GIVEN an app with a us-east-1 stack for the web ACL and a eu-west-1 stack for the service
  const app = testApp();
  const global = new Stack(app, 'EdgeGlobal', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const regional = new Stack(app, 'Service', { env: { account: ACCOUNT, region: 'eu-west-1' }, crossRegionReferences: true });
  const vpc = new ec2.Vpc(regional, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(regional, 'Alb', { vpc, internetFacing: false });
  // WHEN the web ACL lives in us-east-1 and the Edge takes its ARN
  const acl = new EdgeWebAcl(global, 'WebAcl', { rateLimitPer5Minutes: 300 });
  new Edge(regional, 'Edge', { loadBalancer, webAclArn: acl.webAclArn });
  const aclTemplate = Template.fromStack(global);
  const serviceTemplate = Template.fromStack(regional);

  test('the web ACL is CLOUDFRONT-scoped, named after its path, with the given limit', () => {
    aclTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Name: acl.webAclName,
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: acl.webAclName },
      Rules: Match.arrayWith([Match.objectLike({ Name: EDGE_RATE_LIMIT_RULE, Statement: { RateBasedStatement: Match.objectLike({ Limit: 300 }) } })]),
    });
    expect(acl.webAclName).toMatch(/^EdgeGlobal-WebAcl-[0-9A-F]{8}$/);
  });

  test('the service stack creates no web ACL and points its distribution at the us-east-1 one', () => {
    serviceTemplate.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const config = Object.values(serviceTemplate.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    // A cross-region reference: read at deploy time from the us-east-1 stack's output.
    expect(config.WebACLId).toEqual({
      'Fn::GetStackOutput': { StackName: 'EdgeGlobal', Region: 'us-east-1', OutputName: expect.stringMatching(/WebAcl.*Arn/) },
    });
  });

  test('the metrics read AWS/WAFV2 in us-east-1 by web ACL and rule', () => {
    const rateLimited = acl.metricRateLimitedRequests();
    expect(rateLimited.namespace).toBe('AWS/WAFV2');
    expect(rateLimited.region).toBe('us-east-1');
    expect(rateLimited.dimensions).toEqual({ WebACL: acl.webAclName, Rule: EDGE_RATE_LIMIT_RULE });
    expect(acl.metricBlockedRequests().dimensions).toEqual({ WebACL: acl.webAclName, Rule: 'ALL' });
  });
});
