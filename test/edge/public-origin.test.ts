import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Edge } from '../../lib';
import { nagFindings } from '../helpers/app';
import { stackWithAlb } from './helpers';

const logicalId = (stack: Stack, element: unknown) => stack.getLogicalId((element as { node: { defaultChild: CfnElement } }).node.defaultChild);

describe('Edge in front of an internet-facing ALB (publicOrigin, HTTP listener)', () => {
  // GIVEN an internet-facing ALB whose HTTP listener is not open to the world
  const { stack, loadBalancer, targetGroup } = stackWithAlb('us-east-1', { internetFacing: true });
  const listener = loadBalancer.addListener('Http', { port: 80, open: false, defaultTargetGroups: [targetGroup] });
  // WHEN the Edge keeps it public
  const edge = new Edge(stack, 'Edge', { loadBalancer, publicOrigin: { listener, targetGroups: [targetGroup] } });
  // ... and the user adds a rule of their own that checks the header too
  listener.addAction('Api', {
    priority: 10,
    conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*']), edge.originVerifyCondition()],
    action: elbv2.ListenerAction.forward([targetGroup]),
  });
  const template = Template.fromStack(stack);
  const secretRef = () => ({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: logicalId(stack, edge.originSecret) }, ':SecretString:::}}']] });

  test("no VPC origin: an HTTP origin to the ALB's DNS name that sends the secret header, resolved at deploy time", () => {
    template.resourceCountIs('AWS::CloudFront::VpcOrigin', 0);
    const origin = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig.Origins[0];
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [logicalId(stack, loadBalancer), 'DNSName'] });
    expect(origin.CustomOriginConfig).toEqual(expect.objectContaining({ OriginProtocolPolicy: 'http-only', OriginSSLProtocols: ['TLSv1.2'] }));
    expect(origin.OriginCustomHeaders).toEqual([{ HeaderName: 'X-Origin-Verify', HeaderValue: secretRef() }]);
  });

  test('the header value is a generated secret: 48 letters and digits, never in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/X-Origin-Verify","HeaderValue":"[A-Za-z0-9]{48}"/);
  });

  test('the listener forwards only requests carrying the header (priority 1) and answers 403 to everything else', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 1,
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [secretRef()] } }],
      Actions: [Match.objectLike({ Type: 'forward', TargetGroupArn: { Ref: logicalId(stack, targetGroup) } })],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'Forbidden' } }],
    });
    // The user's own rule carries the same condition.
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: Match.arrayWith([{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [secretRef()] } }]),
    });
  });

  test("the ALB's security group admits only the origin-facing prefix list, on the listener port; nothing from 0.0.0.0/0", () => {
    const group = Object.values(template.findResources('AWS::EC2::SecurityGroup')).find((g) => g.Properties.GroupDescription.includes('Alb'));
    expect(group?.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 80,
      ToPort: 80,
      IpProtocol: 'tcp',
      SourcePrefixListId: 'pl-3b927c52',
    });
  });

  test("cdk-nag: nothing open in the Edge; the secret's rotation and the HTTP origin are acknowledged with reasons", () => {
    expect(nagFindings(stack).filter((f) => f.includes('/Edge/'))).toEqual([]);
  });

  test("the listener's replaced default action is acknowledged, not warned about; no internet-facing warning in this mode", () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('Edge with publicOrigin over HTTPS', () => {
  test("HTTPS to the name the ALB's certificate covers, on port 443, with a prefix list given", () => {
    // GIVEN an HTTPS listener and a prefix list looked up by the user
    const { stack, loadBalancer, targetGroup } = stackWithAlb('us-east-1', { internetFacing: true });
    const listener = loadBalancer.addListener('Https', {
      port: 443,
      open: false,
      certificates: [elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:123456789012:certificate/alb')],
      defaultTargetGroups: [targetGroup],
    });
    const prefixList = ec2.PrefixList.fromPrefixListId(stack, 'Pl', 'pl-0123456789abcdef0');
    // WHEN
    new Edge(stack, 'Edge', {
      loadBalancer,
      originDomainName: 'origin.example.com',
      publicOrigin: { listener, targetGroups: [targetGroup], originFacingPrefixList: prefixList, rulePriority: 5 },
    });
    // THEN
    const template = Template.fromStack(stack);
    const origin = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig.Origins[0];
    expect(origin.DomainName).toBe('origin.example.com');
    expect(origin.CustomOriginConfig).toEqual(
      expect.objectContaining({ OriginProtocolPolicy: 'https-only', HTTPSPort: 443, OriginSSLProtocols: ['TLSv1.2'] }),
    );
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 443, ToPort: 443, SourcePrefixListId: 'pl-0123456789abcdef0' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 5 });
    // HTTPS all the way: no CFR5 acknowledgment needed, and none open.
    expect(nagFindings(stack).filter((f) => f.includes('/Edge/'))).toEqual([]);
  });

  test('originVerifyCondition() without publicOrigin says why there is none', () => {
    const { stack, loadBalancer } = stackWithAlb('us-east-1');
    const edge = new Edge(stack, 'Edge', { loadBalancer });
    expect(() => edge.originVerifyCondition()).toThrow(
      'UserStack/Edge: originVerifyCondition() exists only with publicOrigin; the VPC origin needs no header, since the load balancer is not reachable from the internet',
    );
  });
});

describe('Edge publicOrigin refuses a listener rule that skips the origin header', () => {
  test('a rule without the header check fails synth, naming the rule, its priority and the fixes', () => {
    // GIVEN an internet-facing ALB behind the Edge's public origin
    const { stack, loadBalancer, targetGroup } = stackWithAlb('us-east-1', { internetFacing: true });
    const listener = loadBalancer.addListener('Http', { port: 80, open: false, defaultTargetGroups: [targetGroup] });
    new Edge(stack, 'Edge', { loadBalancer, publicOrigin: { listener, targetGroups: [targetGroup] } });
    // WHEN a rule forwards every path without the header (what a canary WebService's ProductionRule does)
    new elbv2.ApplicationListenerRule(stack, 'ProductionRule', {
      listener,
      priority: 5,
      conditions: [elbv2.ListenerCondition.pathPatterns(['*'])],
      action: elbv2.ListenerAction.forward([targetGroup]),
    });
    // THEN
    expect(() => Template.fromStack(stack)).toThrow(
      /publicOrigin\.listener has a rule that does not check the origin header \([^)]*ProductionRule, priority 5\): requests that never passed through CloudFront would reach the targets\. Add edge\.originVerifyCondition\(\) to its conditions/,
    );
  });
});
