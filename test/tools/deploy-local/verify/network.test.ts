import {
  DescribeAddressesCommand,
  DescribeFlowLogsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { dev, prod } from '../../../../lib/core/profiles';
import { architectureOf, networkVerifier } from '../../../../tools/deploy-local/verify/network';
import { deployedSubnets, failures, networkPhysicalIds, networkTemplate, verifyContext, ZONES } from '../helpers';

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());

/** Default routes: public subnets to the internet gateway, App subnets to `appTarget(az index)`. */
function routeTables(azs: number, appTarget: (i: number) => Record<string, string>) {
  return ['public', 'app', 'data'].flatMap((tier) =>
    Array.from({ length: azs }, (_, k) => ({
      RouteTableId: `rtb-${tier}${k + 1}`,
      Routes: [
        { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' },
        ...(tier === 'public' ? [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }] : []),
        ...(tier === 'app' ? [{ DestinationCidrBlock: '0.0.0.0/0', ...appTarget(k) }] : []),
      ],
    })),
  );
}

describe('dev: one NAT instance', () => {
  // GIVEN dev's network: two AZs, a t4g.nano NAT instance in the first public subnet
  const template = {
    ...networkTemplate(2, {
      Nat: {
        Type: 'AWS::EC2::Instance',
        Properties: {
          InstanceType: 't4g.nano',
          ImageId: { Ref: 'Ami' },
          SourceDestCheck: false,
          NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: { Ref: 'Public1' } }],
        },
      },
    }),
    Parameters: {
      Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64' },
    },
  };
  const physical = { ...networkPhysicalIds(2), Nat: 'i-nat' };

  function mockDeployed(instanceType = 't4g.nano', sourceDestCheck = false) {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: deployedSubnets(2) });
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: routeTables(2, () => ({ InstanceId: 'i-nat' })) });
    ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [] });
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            {
              InstanceId: 'i-nat',
              InstanceType: instanceType as 't4g.nano',
              SourceDestCheck: sourceDestCheck,
              SubnetId: 'subnet-public1',
              ImageId: 'ami-arm',
              State: { Name: 'running' },
            },
          ],
        },
      ],
    });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-arm', Architecture: 'arm64' }] });
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [{ FlowLogId: 'fl-1', TrafficType: 'REJECT', LogGroupName: 'S-FlowLogs-ABC' }] });
  }

  test('a network deployed as dev says passes every check, each compared to the profile or the template', async () => {
    // GIVEN
    mockDeployed();
    const ctx = verifyContext(template, physical, { profile: dev, parameters: { Ami: 'ami-arm' } });
    // WHEN
    await networkVerifier.verify(ctx);
    // THEN
    expect(failures(ctx)).toEqual([]);
    const sources = Object.fromEntries(ctx.checks.checks.map((c) => [`${c.subject.logicalId} ${c.property}`, c.source]));
    expect(sources).toMatchObject({
      'Vpc CidrBlock': 'profile.network.cidr',
      'Vpc subnet count': "profile.network.maxAzs (2) × the template's 3 tiers (Public, App, Data)",
      'Nat InstanceType': 'profile.network.natInstanceType',
      'Nat AMI architecture': "profile.network.natInstanceType ('t4g.nano')",
      'App1 default route target': "profile.network.natStrategy 'instance' (egress through the NAT instance)",
      'FlowLog TrafficType': 'profile.network.flowLogTraffic',
    });
    expect(ctx.checks.checks).toHaveLength(
      2 /* VPC */ + 2 /* tier AZs */ + 1 + 18 /* 6 subnets × 3 */ + 2 /* NAT counts */ + 6 /* instance */ + 2 /* routes */ + 3 /* flow log */,
    );
  });

  test('a NAT instance of another size, or one that drops forwarded packets, fails against the profile', async () => {
    // GIVEN
    mockDeployed('t4g.micro', true);
    const ctx = verifyContext(template, physical, { profile: dev, parameters: { Ami: 'ami-arm' } });
    // WHEN
    await networkVerifier.verify(ctx);
    // THEN
    expect(failures(ctx)).toEqual([
      'Nat InstanceType: "t4g.micro" vs "t4g.nano" (profile.network.natInstanceType)',
      'Nat SourceDestCheck: true vs false (template (a NAT instance forwards packets it did not address))',
    ]);
  });

  test('a missing subnet fails the per-AZ count of its tier', async () => {
    // GIVEN the second Data subnet is not there
    mockDeployed();
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: deployedSubnets(2).filter((s) => s.SubnetId !== 'subnet-data2') });
    const ctx = verifyContext(template, physical, { profile: dev, parameters: { Ami: 'ami-arm' } });
    // WHEN
    await networkVerifier.verify(ctx);
    // THEN
    expect(failures(ctx)).toEqual([
      "Vpc subnet count: 5 vs 6 (profile.network.maxAzs (2) × the template's 3 tiers (Public, App, Data))",
      'Vpc Data subnets: distinct AZs: 1 vs 2 (profile.network.maxAzs)',
      'Data2 CidrBlock: undefined vs "10.0.50.0/24" (template)',
      'Data2 AvailabilityZone: undefined vs "us-east-1b" (template)',
    ]);
  });
});

describe('prod: a NAT gateway per AZ', () => {
  // GIVEN prod's network: three AZs, three gateways
  const template = networkTemplate(3);
  const physical = networkPhysicalIds(3);
  const gateways = ZONES.map((_, k) => ({
    NatGatewayId: `nat-${k + 1}`,
    SubnetId: `subnet-public${k + 1}`,
    State: 'available' as const,
    NatGatewayAddresses: [{ AllocationId: `eipalloc-${k + 1}` }],
  }));

  function mockDeployed(appTarget: (k: number) => string) {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: prod.network.cidr }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: deployedSubnets(3) });
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: routeTables(3, (k) => ({ NatGatewayId: appTarget(k) })) });
    ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: gateways });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: gateways.map((g) => ({ AllocationId: g.NatGatewayAddresses[0].AllocationId })) });
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [{ FlowLogId: 'fl-1', TrafficType: 'ALL', LogGroupName: 'S-FlowLogs-ABC' }] });
  }

  test('each App subnet leaves through the gateway in its own AZ', async () => {
    mockDeployed((k) => `nat-${k + 1}`);
    const ctx = verifyContext(template, physical, { profile: prod });
    await networkVerifier.verify(ctx);
    expect(failures(ctx)).toEqual([]);
    expect(ctx.checks.checks.filter((c) => c.property === 'NAT gateway AZ')).toHaveLength(3);
  });

  test('an App subnet routed through another AZ’s gateway fails: prod must survive the loss of an AZ', async () => {
    // GIVEN every App subnet routes through the first gateway
    mockDeployed(() => 'nat-1');
    const ctx = verifyContext(template, physical, { profile: prod });
    // WHEN
    await networkVerifier.verify(ctx);
    // THEN
    expect(failures(ctx)).toEqual([
      'App2 NAT gateway AZ: "us-east-1a" vs "us-east-1b" (profile.network.natGateways (3) = one per AZ: egress stays in the subnet\'s AZ)',
      'App3 NAT gateway AZ: "us-east-1a" vs "us-east-1c" (profile.network.natGateways (3) = one per AZ: egress stays in the subnet\'s AZ)',
    ]);
  });

  test('flow logs record what the profile says', async () => {
    mockDeployed((k) => `nat-${k + 1}`);
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [{ FlowLogId: 'fl-1', TrafficType: 'REJECT', LogGroupName: 'S-FlowLogs-ABC' }] });
    const ctx = verifyContext(template, physical, { profile: prod });
    await networkVerifier.verify(ctx);
    expect(failures(ctx)).toEqual(['FlowLog TrafficType: "REJECT" vs "ALL" (profile.network.flowLogTraffic)']);
  });
});

test('architectureOf: Graviton families are arm64', () => {
  expect(['t4g.nano', 'c7gn.large', 'm8g.xlarge', 'r7gd.large'].map(architectureOf)).toEqual(['arm64', 'arm64', 'arm64', 'arm64']);
  expect(['t3.nano', 'm7i.large', 'c5n.large', 'g5.xlarge'].map(architectureOf)).toEqual(['x86_64', 'x86_64', 'x86_64', 'x86_64']);
});
