// The VPC against profile.network: CIDR, subnets per AZ and tier, NAT by strategy (instance or
// gateways, with routes and addresses), flow logs, and gateway endpoints.
import {
  DescribeAddressesCommand,
  DescribeFlowLogsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type Subnet,
} from '@aws-sdk/client-ec2';
import { referencedId, resourcesOfType, type TemplateResource } from '../template';
import { deployed, forEach, isProfileVpc, templateValue, type DeployedTemplateResource, type Verifier, type VerifyContext } from './context';

const SUBNET_NAME_TAG = 'aws-cdk:subnet-name';
const SUBNET_TYPE_TAG = 'aws-cdk:subnet-type';

export const networkVerifier: Verifier = {
  name: 'network',
  types: ['AWS::EC2::VPC'],
  async verify(ctx) {
    await forEach(ctx, 'AWS::EC2::VPC', (vpc) => verifyVpc(ctx, vpc));
  },
};

interface TemplateSubnet {
  readonly resource: TemplateResource;
  readonly physicalId: string;
  readonly tier: string;
  readonly kind: string;
}

async function verifyVpc(ctx: VerifyContext, vpc: DeployedTemplateResource): Promise<void> {
  const { checks, profile, clients } = ctx;
  const net = profile.network;
  const fromProfile = isProfileVpc(ctx, vpc.logicalId);
  const [actual] = (await clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc.physicalId] }))).Vpcs ?? [];
  checks.equal(
    vpc.subject,
    'CidrBlock',
    actual?.CidrBlock,
    fromProfile ? net.cidr : await ctx.resolver.resolve(vpc.properties.CidrBlock),
    fromProfile ? 'profile.network.cidr' : 'template',
  );

  // Subnets: the template says which tiers exist; the profile says how many AZs each spans.
  const templateSubnets: TemplateSubnet[] = resourcesOfType(ctx.template, 'AWS::EC2::Subnet')
    .filter((s) => referencedId(s.properties.VpcId) === vpc.logicalId)
    .map((s) => ({
      resource: s,
      physicalId: ctx.physicalIds.get(s.logicalId) ?? '',
      tier: tag(s, SUBNET_NAME_TAG) ?? s.logicalId,
      kind: tag(s, SUBNET_TYPE_TAG) ?? '',
    }));
  const tiers = [...new Set(templateSubnets.map((s) => s.tier))];
  const deployedSubnets =
    (await clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.physicalId] }] }))).Subnets ?? [];
  const byId = new Map(deployedSubnets.map((s) => [s.SubnetId ?? '', s]));
  if (fromProfile) {
    checks.equal(
      vpc.subject,
      'subnet count',
      deployedSubnets.length,
      net.maxAzs * tiers.length,
      `profile.network.maxAzs (${net.maxAzs}) × the template's ${tiers.length} tiers (${tiers.join(', ')})`,
    );
    for (const tier of tiers) {
      const zones = new Set(
        templateSubnets
          .filter((s) => s.tier === tier)
          .map((s) => byId.get(s.physicalId)?.AvailabilityZone)
          .filter((z) => z !== undefined),
      );
      checks.equal(vpc.subject, `${tier} subnets: distinct AZs`, zones.size, net.maxAzs, 'profile.network.maxAzs');
    }
  } else {
    checks.equal(vpc.subject, 'subnet count', deployedSubnets.length, templateSubnets.length, 'template');
  }
  for (const s of templateSubnets) {
    const d = byId.get(s.physicalId);
    const subject = { logicalId: s.resource.logicalId, type: s.resource.type };
    checks.equal(subject, 'CidrBlock', d?.CidrBlock, await ctx.resolver.resolve(s.resource.properties.CidrBlock), 'template');
    checks.equal(subject, 'AvailabilityZone', d?.AvailabilityZone, await ctx.resolver.resolve(s.resource.properties.AvailabilityZone), 'template');
    checks.equal(
      subject,
      'MapPublicIpOnLaunch',
      d?.MapPublicIpOnLaunch ?? false,
      await templateValue(ctx, s.resource.properties, 'MapPublicIpOnLaunch', false),
      'template',
    );
  }

  const routes = await defaultRoutes(ctx, vpc.physicalId, templateSubnets);
  const publicIds = templateSubnets.filter((s) => s.kind === 'Public').map((s) => s.physicalId);
  const egress = templateSubnets.filter((s) => s.kind === 'Private');
  if (fromProfile) {
    if (net.natStrategy === 'instance') await verifyNatInstance(ctx, vpc, publicIds, egress, routes);
    else await verifyNatGateways(ctx, vpc, publicIds, egress, routes, byId);
  }
  await verifyFlowLogs(ctx, vpc, fromProfile);
  await verifyEndpoints(ctx, vpc);
}

function tag(resource: TemplateResource, key: string): string | undefined {
  const tags = resource.properties.Tags;
  if (!Array.isArray(tags)) return undefined;
  const found = tags.find((t) => (t as { Key?: string }).Key === key) as { Value?: unknown } | undefined;
  return typeof found?.Value === 'string' ? found.Value : undefined;
}

interface DefaultRoute {
  readonly routeTableId: string;
  readonly natGatewayId?: string;
  readonly instanceId?: string;
  readonly gatewayId?: string;
}

/**
 * Each subnet's 0.0.0.0/0 route, by subnet physical ID. The subnet's route table is the one the
 * template associates with it: moto's CloudFormation records the association but does not show it
 * in DescribeRouteTables.
 */
async function defaultRoutes(ctx: VerifyContext, vpcId: string, subnets: readonly TemplateSubnet[]): Promise<Map<string, DefaultRoute | undefined>> {
  const tables = (await ctx.clients.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables ?? [];
  const associations = resourcesOfType(ctx.template, 'AWS::EC2::SubnetRouteTableAssociation');
  const result = new Map<string, DefaultRoute | undefined>();
  for (const s of subnets) {
    const association = associations.find((a) => referencedId(a.properties.SubnetId) === s.resource.logicalId);
    const tableLogicalId = association ? referencedId(association.properties.RouteTableId) : undefined;
    const tableId = tableLogicalId ? ctx.physicalIds.get(tableLogicalId) : undefined;
    const table = tables.find((t) => t.RouteTableId === tableId) ?? tables.find((t) => t.Associations?.some((a) => a.SubnetId === s.physicalId));
    const route = table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
    result.set(
      s.physicalId,
      route
        ? { routeTableId: table?.RouteTableId ?? '', natGatewayId: route.NatGatewayId, instanceId: route.InstanceId, gatewayId: route.GatewayId }
        : undefined,
    );
  }
  return result;
}

/** The NAT instances of the template: instances in this VPC's public subnets that forward traffic. */
function natInstancesOf(ctx: VerifyContext, vpc: TemplateResource): Array<DeployedTemplateResource> {
  const publicSubnetIds = new Set(
    resourcesOfType(ctx.template, 'AWS::EC2::Subnet')
      .filter((s) => referencedId(s.properties.VpcId) === vpc.logicalId && tag(s, SUBNET_TYPE_TAG) === 'Public')
      .map((s) => s.logicalId),
  );
  return deployed(ctx, 'AWS::EC2::Instance').filter((i) => {
    const primary = (i.properties.NetworkInterfaces as Array<Record<string, unknown>> | undefined)?.[0];
    const subnet = referencedId(i.properties.SubnetId) ?? referencedId(primary?.SubnetId);
    return subnet !== undefined && publicSubnetIds.has(subnet) && String(i.properties.SourceDestCheck) === 'false';
  });
}

async function verifyNatInstance(
  ctx: VerifyContext,
  vpc: DeployedTemplateResource,
  publicIds: string[],
  egress: readonly TemplateSubnet[],
  routes: Map<string, DefaultRoute | undefined>,
): Promise<void> {
  const { checks, clients, profile } = ctx;
  const nat = natInstancesOf(ctx, vpc);
  checks.equal(vpc.subject, 'NAT instances', nat.length, 1, "profile.network.natStrategy 'instance' (one instance)");
  const gateways =
    (await clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [vpc.physicalId] }] }))).NatGateways ?? [];
  checks.equal(vpc.subject, 'NAT gateways', gateways.filter((g) => g.State !== 'deleted').length, 0, "profile.network.natStrategy 'instance'");
  for (const instance of nat) {
    const d = (await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance.physicalId] }))).Reservations?.[0]?.Instances?.[0];
    checks.equal(instance.subject, 'InstanceType', d?.InstanceType, profile.network.natInstanceType, 'profile.network.natInstanceType');
    checks.equal(instance.subject, 'SourceDestCheck', d?.SourceDestCheck, false, 'template (a NAT instance forwards packets it did not address)');
    checks.equal(instance.subject, 'State', d?.State?.Name, 'running', 'a deployed NAT instance runs');
    checks.holds(
      instance.subject,
      'SubnetId',
      publicIds.includes(d?.SubnetId ?? ''),
      d?.SubnetId,
      `one of the public subnets ${publicIds.join(', ')}`,
      'template',
    );
    // The AMI comes from an SSM public parameter, resolved by CloudFormation at deploy time.
    const imageId = await ctx.resolver.tryResolve(instance.properties.ImageId);
    checks.equal(instance.subject, 'ImageId', d?.ImageId, imageId, 'template (the AMI its SSM parameter resolved to)');
    const image = imageId ? (await clients.ec2.send(new DescribeImagesCommand({ ImageIds: [String(imageId)] }))).Images?.[0] : undefined;
    checks.equal(
      instance.subject,
      'AMI architecture',
      image?.Architecture,
      architectureOf(profile.network.natInstanceType),
      `profile.network.natInstanceType ('${profile.network.natInstanceType}')`,
    );
    for (const s of egress) {
      checks.equal(
        { logicalId: s.resource.logicalId, type: s.resource.type },
        'default route target',
        routes.get(s.physicalId)?.instanceId,
        instance.physicalId,
        "profile.network.natStrategy 'instance' (egress through the NAT instance)",
      );
    }
  }
}

/** EC2 instance families with a 'g' after the generation (t4g, c7gn, m8g) run on Graviton (arm64). */
export function architectureOf(instanceType: string): 'arm64' | 'x86_64' {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType) ? 'arm64' : 'x86_64';
}

async function verifyNatGateways(
  ctx: VerifyContext,
  vpc: DeployedTemplateResource,
  publicIds: string[],
  egress: readonly TemplateSubnet[],
  routes: Map<string, DefaultRoute | undefined>,
  subnets: Map<string, Subnet>,
): Promise<void> {
  const { checks, clients, profile } = ctx;
  const gateways = (
    (await clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [vpc.physicalId] }] }))).NatGateways ?? []
  ).filter((g) => g.State !== 'deleted' && g.State !== 'deleting');
  checks.equal(vpc.subject, 'NAT gateways', gateways.length, profile.network.natGateways, 'profile.network.natGateways');
  checks.equal(vpc.subject, 'NAT instances', natInstancesOf(ctx, vpc).length, 0, "profile.network.natStrategy 'gateway'");
  const addresses = (await clients.ec2.send(new DescribeAddressesCommand({}))).Addresses ?? [];
  for (const g of gateways) {
    const subject = { logicalId: logicalIdOf(ctx, g.NatGatewayId) ?? g.NatGatewayId ?? '?', type: 'AWS::EC2::NatGateway' };
    checks.equal(subject, 'State', g.State, 'available', 'a deployed NAT gateway is available');
    checks.holds(
      subject,
      'SubnetId',
      publicIds.includes(g.SubnetId ?? ''),
      g.SubnetId,
      `one of the public subnets ${publicIds.join(', ')}`,
      'template',
    );
    const allocation = g.NatGatewayAddresses?.[0]?.AllocationId;
    checks.holds(
      subject,
      'Elastic IP',
      addresses.some((a) => a.AllocationId === allocation),
      allocation,
      'an allocated Elastic IP',
      'template',
    );
  }
  const perAz = profile.network.natGateways >= profile.network.maxAzs;
  const zoneOf = (subnetId: string | undefined) => subnets.get(subnetId ?? '')?.AvailabilityZone;
  for (const s of egress) {
    const subject = { logicalId: s.resource.logicalId, type: s.resource.type };
    const target = routes.get(s.physicalId)?.natGatewayId;
    const gateway = gateways.find((g) => g.NatGatewayId === target);
    checks.holds(subject, 'default route target', gateway !== undefined, target, 'one of the NAT gateways', "profile.network.natStrategy 'gateway'");
    if (perAz) {
      checks.equal(
        subject,
        'NAT gateway AZ',
        zoneOf(gateway?.SubnetId),
        zoneOf(s.physicalId),
        `profile.network.natGateways (${profile.network.natGateways}) = one per AZ: egress stays in the subnet's AZ`,
      );
    }
  }
}

function logicalIdOf(ctx: VerifyContext, physicalId: string | undefined): string | undefined {
  for (const [logical, physical] of ctx.physicalIds) if (physical === physicalId) return logical;
  return undefined;
}

async function verifyFlowLogs(ctx: VerifyContext, vpc: DeployedTemplateResource, fromProfile: boolean): Promise<void> {
  const { checks, clients } = ctx;
  const templateLogs = deployed(ctx, 'AWS::EC2::FlowLog').filter((f) => referencedId(f.properties.ResourceId) === vpc.logicalId);
  const flowLogs =
    (await clients.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpc.physicalId] }] }))).FlowLogs ?? [];
  checks.equal(vpc.subject, 'flow logs', flowLogs.length, templateLogs.length, 'template');
  for (const f of templateLogs) {
    const d = flowLogs.find((l) => l.FlowLogId === f.physicalId);
    checks.equal(
      f.subject,
      'TrafficType',
      d?.TrafficType,
      fromProfile ? ctx.profile.network.flowLogTraffic : await ctx.resolver.resolve(f.properties.TrafficType),
      fromProfile ? 'profile.network.flowLogTraffic' : 'template',
    );
    if ('LogGroupName' in f.properties) {
      checks.equal(f.subject, 'LogGroupName', d?.LogGroupName, await ctx.resolver.resolve(f.properties.LogGroupName), 'template');
    }
  }
}

async function verifyEndpoints(ctx: VerifyContext, vpc: DeployedTemplateResource): Promise<void> {
  const endpoints = deployed(ctx, 'AWS::EC2::VPCEndpoint').filter((e) => referencedId(e.properties.VpcId) === vpc.logicalId);
  if (endpoints.length === 0) return;
  const found =
    (await ctx.clients.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: endpoints.map((e) => e.physicalId) }))).VpcEndpoints ?? [];
  for (const e of endpoints) {
    const d = found.find((x) => x.VpcEndpointId === e.physicalId);
    ctx.checks.equal(e.subject, 'ServiceName', d?.ServiceName, await ctx.resolver.resolve(e.properties.ServiceName), 'template');
    ctx.checks.equal(
      e.subject,
      'VpcEndpointType',
      d?.VpcEndpointType,
      await templateValue(ctx, e.properties, 'VpcEndpointType', 'Gateway'),
      'template',
    );
    if ('RouteTableIds' in e.properties) {
      ctx.checks.sameMembers(
        e.subject,
        'RouteTableIds',
        d?.RouteTableIds,
        (await ctx.resolver.resolve(e.properties.RouteTableIds)) as unknown[],
        'template',
      );
    }
  }
}
