import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Network, networkPropsFor } from '../../lib';
import { nagFindings, userStack } from '../helpers/app';

function networkTemplate(profile: 'dev' | 'staging' | 'prod'): { stack: Stack; network: Network; template: Template } {
  // GIVEN a user's own stack
  const stack = userStack();
  // WHEN
  const network = new Network(stack, 'Network', networkPropsFor(profile));
  return { stack, network, template: Template.fromStack(stack) };
}

describe('Network for dev', () => {
  const { stack, network, template } = networkTemplate('dev');

  test('spans two AZs with public, app and data subnets', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    expect(network.vpc.publicSubnets).toHaveLength(2);
    expect(network.vpc.privateSubnets).toHaveLength(2);
    expect(network.vpc.isolatedSubnets).toHaveLength(2);
    expect(network.dataSubnets.subnetType).toBe(ec2.SubnetType.PRIVATE_ISOLATED);
  });

  test('public subnets do not hand out public IPs', () => {
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('egress goes through one encrypted t4g.nano NAT instance, not a NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Instance', 1);
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3' } }],
    });
    // Both private subnets route to the same instance.
    const routes = template.findResources('AWS::EC2::Route', { Properties: { InstanceId: Match.anyValue() } });
    expect(Object.keys(routes)).toHaveLength(2);
  });

  test('the NAT instance accepts traffic from the VPC only', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Security Group for NAT instances',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/16', IpProtocol: '-1' })],
    });
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    for (const group of Object.values(groups)) {
      for (const rule of group.Properties.SecurityGroupIngress ?? []) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    }
  });

  test('an S3 gateway endpoint keeps image layers and logs off the NAT', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }),
    });
  });

  test('flow logs record rejected traffic into a log group with a week of retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('the default security group is stripped of its rules', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('no open cdk-nag findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('Network for prod', () => {
  const { stack, template } = networkTemplate('prod');

  test('one NAT gateway per AZ and no NAT instance', () => {
    // A plain user stack is environment-agnostic, so CDK offers it two AZs; ScalingStack gives three.
    const azs = stack.availabilityZones.length;
    template.resourceCountIs('AWS::EC2::NatGateway', azs);
    template.resourceCountIs('AWS::EC2::Instance', 0);
  });

  test('flow logs record all traffic, kept three months', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });
});

describe('Network with an existing VPC', () => {
  test('uses it and creates nothing', () => {
    // GIVEN
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Mine', { maxAzs: 2, natGateways: 1 });
    // WHEN
    const network = new Network(stack, 'Network', { vpc });
    // THEN
    expect(network.vpc).toBe(vpc);
    expect(network.flowLogGroup).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    // A VPC without isolated subnets puts the data tier in its private subnets.
    expect(network.dataSubnets.subnetType).toBe(ec2.SubnetType.PRIVATE_WITH_EGRESS);
  });

  test('without private subnets with egress, names what is missing and the fix', () => {
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'PublicOnly', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    expect(() => new Network(stack, 'Network', { vpc })).toThrow(
      'UserStack/Network: vpc has private subnets with egress in 0 AZ(s); tasks and workers need them in at least 2 AZs (PRIVATE_WITH_EGRESS, routed through NAT). Add them, or let Network create the VPC',
    );
  });

  test('an imported VPC with one AZ reports both missing tiers at once', () => {
    const stack = userStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-123', availabilityZones: ['us-east-1a'],
      publicSubnetIds: ['subnet-pub'], privateSubnetIds: ['subnet-priv'],
    });
    expect(() => new Network(stack, 'Network', { vpc })).toThrow(/UserStack\/Network: 2 problems:\n {2}- vpc has public subnets in 1 AZ\(s\); the load balancer needs public subnets in at least 2 AZs/);
  });
});

describe('Network used alone, with flat props', () => {
  test('defaults to the smallest VPC that works: two AZs, one NAT instance, rejected flows for a week', () => {
    // GIVEN a user's stack  WHEN Network has no props
    const stack = userStack();
    new Network(stack, 'Network');
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::Instance', { InstanceType: 't4g.nano' });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('networkPropsFor(prod) gives three AZs with a NAT gateway each and 90 days of flow logs', () => {
    // A stack with a known region sees three zones (an environment-agnostic one sees two).
    const stack = new Stack(undefined, 'Regional', { env: { account: '123456789012', region: 'us-east-1' } });
    new Network(stack, 'Network', networkPropsFor('prod'));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.resourceCountIs('AWS::EC2::Subnet', 9);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('bad props are reported together, each with the allowed values', () => {
    const stack = userStack();
    expect(() => new Network(stack, 'Network', { cidr: '10.0.0/16', maxAzs: 4, natStrategy: 'gateway', natGateways: 0 })).toThrow(
      "UserStack/Network: 3 problems:\n"
      + "  - cidr ('10.0.0/16') must be an IPv4 CIDR block such as '10.0.0.0/16'\n"
      + '  - maxAzs (4) must be between 2 and 3; the ALB needs two AZs; the stack lays out subnets for at most three\n'
      + '  - natGateways (0) must be between 1 and 4; use 1 (shared) up to maxAzs (one per AZ)',
    );
  });

  test('a CIDR too small for three subnet tiers per AZ is named with the fix', () => {
    const stack = userStack();
    expect(() => new Network(stack, 'Network', { cidr: '10.0.0.0/24' })).toThrow(
      'UserStack/Network: cidr prefix length (24) must be between 16 and 20; three subnet tiers per AZ need at least a /20',
    );
  });
});
