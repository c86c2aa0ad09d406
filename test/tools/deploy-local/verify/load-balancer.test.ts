import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { dev, prod } from '../../../../lib/core/profiles';
import type { CfnTemplate } from '../../../../tools/deploy-local/template';
import { loadBalancerVerifier } from '../../../../tools/deploy-local/verify/load-balancer';
import { failures, verifyContext } from '../helpers';

const elb = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => elb.reset());

// GIVEN an internet-facing ALB in two public subnets with an HTTP listener forwarding to the target
// group of an ECS service (so it is the web tier's), with attributes on both
const template: CfnTemplate = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC' },
    Public1: { Type: 'AWS::EC2::Subnet' },
    Public2: { Type: 'AWS::EC2::Subnet' },
    Lb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Scheme: 'internet-facing',
        Type: 'application',
        Subnets: [{ Ref: 'Public1' }, { Ref: 'Public2' }],
        LoadBalancerAttributes: [
          { Key: 'deletion_protection.enabled', Value: 'false' },
          { Key: 'idle_timeout.timeout_seconds', Value: '60' },
        ],
      },
    },
    Group: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Port: 80,
        Protocol: 'HTTP',
        TargetType: 'ip',
        HealthCheckPath: '/',
        HealthCheckIntervalSeconds: 10,
        Matcher: { HttpCode: '200-399' },
        VpcId: { Ref: 'Vpc' },
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      },
    },
    Http: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: { Ref: 'Lb' },
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Group' } }],
      },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: { LoadBalancers: [{ TargetGroupArn: { Ref: 'Group' }, ContainerName: 'Web', ContainerPort: 80 }] },
    },
  },
};
const physical = { Vpc: 'vpc-1', Public1: 'subnet-p1', Public2: 'subnet-p2', Lb: 'arn:lb', Group: 'arn:tg', Http: 'arn:listener' };

function deployed(listenerPort = 80, deletionProtection = 'false') {
  elb.on(DescribeLoadBalancerAttributesCommand).resolves({
    Attributes: [
      { Key: 'deletion_protection.enabled', Value: deletionProtection },
      { Key: 'idle_timeout.timeout_seconds', Value: '60' },
    ],
  });
  elb.on(DescribeTargetGroupAttributesCommand).resolves({
    Attributes: [
      { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
      { Key: 'stickiness.enabled', Value: 'false' },
    ],
  });
  elb.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [
      {
        LoadBalancerArn: 'arn:lb',
        Type: 'application',
        Scheme: 'internet-facing',
        State: { Code: 'active' },
        AvailabilityZones: [
          { SubnetId: 'subnet-p1', ZoneName: 'us-east-1a' },
          { SubnetId: 'subnet-p2', ZoneName: 'us-east-1b' },
        ],
      },
    ],
  });
  elb.on(DescribeListenersCommand).resolves({
    Listeners: [
      { ListenerArn: 'arn:listener', Port: listenerPort, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: 'arn:tg' }] },
    ],
  });
  elb.on(DescribeTargetGroupsCommand).resolves({
    TargetGroups: [
      {
        TargetGroupArn: 'arn:tg',
        Port: 80,
        Protocol: 'HTTP',
        TargetType: 'ip',
        HealthCheckPath: '/',
        HealthCheckIntervalSeconds: 10,
        Matcher: { HttpCode: '200-399' },
        VpcId: 'vpc-1',
      },
    ],
  });
}

test('the load balancer, its listener and target group match the template, over profile.network.maxAzs zones', async () => {
  deployed();
  const ctx = verifyContext(template, physical, { profile: dev });
  await loadBalancerVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([]);
  expect(ctx.checks.checks.map((c) => `${c.subject.logicalId} ${c.property}`)).toEqual([
    'Lb Type',
    'Lb Scheme',
    'Lb State',
    'Lb Subnets',
    'Lb distinct AZs',
    'Lb attribute deletion_protection.enabled',
    'Lb attribute idle_timeout.timeout_seconds',
    'Lb attribute deletion_protection.enabled',
    'Lb listeners',
    'Http Port',
    'Http Protocol',
    'Http DefaultActions',
    'Group Port',
    'Group Protocol',
    'Group TargetType',
    'Group VpcId',
    'Group HealthCheckPath',
    'Group HealthCheckIntervalSeconds',
    'Group Matcher.HttpCode',
    'Group attribute deregistration_delay.timeout_seconds',
  ]);
  expect(ctx.checks.checks.filter((c) => c.source.startsWith('profile.web')).map((c) => c.property)).toEqual([
    'attribute deletion_protection.enabled',
  ]);
});

test('a listener on another port fails; a load balancer in fewer AZs than the profile fails, and so does a web load balancer unprotected where the profile protects it', async () => {
  deployed(8080);
  const ctx = verifyContext(template, physical, { profile: prod });
  await loadBalancerVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Lb distinct AZs: 2 vs 3 (profile.network.maxAzs)',
    'Lb attribute deletion_protection.enabled: "false" vs "true" (profile.web.deletionProtection)',
    'Http Port: 8080 vs 80 (template)',
  ]);
});

test('attributes the template sets and ELB does not have fail against the template', async () => {
  deployed(80, 'true');
  elb.on(DescribeTargetGroupAttributesCommand).resolves({ Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }] });
  const ctx = verifyContext(template, physical, { profile: dev });
  await loadBalancerVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Lb attribute deletion_protection.enabled: "true" vs "false" (template)',
    'Lb attribute deletion_protection.enabled: "true" vs "false" (profile.web.deletionProtection)',
    'Group attribute deregistration_delay.timeout_seconds: "300" vs "30" (template)',
  ]);
});
