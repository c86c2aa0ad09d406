import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { dev, prod } from '../../../../lib/profiles';
import type { CfnTemplate } from '../../../../tools/deploy-local/template';
import { loadBalancerVerifier } from '../../../../tools/deploy-local/verify/load-balancer';
import { failures, verifyContext } from '../helpers';

const elb = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => elb.reset());

// GIVEN an internet-facing ALB in two public subnets with an HTTP listener forwarding to a target group
const template: CfnTemplate = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC' },
    Public1: { Type: 'AWS::EC2::Subnet' },
    Public2: { Type: 'AWS::EC2::Subnet' },
    Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internet-facing', Type: 'application', Subnets: [{ Ref: 'Public1' }, { Ref: 'Public2' }] } },
    Group: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 80, Protocol: 'HTTP', TargetType: 'ip', HealthCheckPath: '/', VpcId: { Ref: 'Vpc' } } },
    Http: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Group' } }] } },
  },
};
const physical = { Vpc: 'vpc-1', Public1: 'subnet-p1', Public2: 'subnet-p2', Lb: 'arn:lb', Group: 'arn:tg', Http: 'arn:listener' };

function deployed(listenerPort = 80) {
  elb.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [{ LoadBalancerArn: 'arn:lb', Type: 'application', Scheme: 'internet-facing', State: { Code: 'active' }, AvailabilityZones: [{ SubnetId: 'subnet-p1', ZoneName: 'us-east-1a' }, { SubnetId: 'subnet-p2', ZoneName: 'us-east-1b' }] }],
  });
  elb.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: 'arn:listener', Port: listenerPort, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: 'arn:tg' }] }] });
  elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: 'arn:tg', Port: 80, Protocol: 'HTTP', TargetType: 'ip', HealthCheckPath: '/', VpcId: 'vpc-1' }] });
}

test('the load balancer, its listener and target group match the template, over profile.network.maxAzs zones', async () => {
  deployed();
  const ctx = verifyContext(template, physical, { profile: dev });
  await loadBalancerVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([]);
  expect(ctx.checks.checks.map((c) => `${c.subject.logicalId} ${c.property}`)).toEqual([
    'Lb Type', 'Lb Scheme', 'Lb State', 'Lb Subnets', 'Lb distinct AZs', 'Lb listeners',
    'Http Port', 'Http Protocol', 'Http DefaultActions',
    'Group Port', 'Group Protocol', 'Group TargetType', 'Group VpcId', 'Group HealthCheckPath',
  ]);
});

test('a listener on another port fails; a load balancer in fewer AZs than the profile fails', async () => {
  deployed(8080);
  const ctx = verifyContext(template, physical, { profile: prod });
  await loadBalancerVerifier.verify(ctx);
  expect(failures(ctx)).toEqual(['Lb distinct AZs: 2 vs 3 (profile.network.maxAzs)', 'Http Port: 8080 vs 80 (template)']);
});
