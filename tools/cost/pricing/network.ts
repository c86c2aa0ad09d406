import type { CfnResource } from '../template';
import { bool, num, str } from '../template';
import type { Scenario } from '../usage';
import { Bill, free, type PricingContext, type Priced, unpriced, usd } from './context';

/** NAT gateway: hours, plus its share of the data processed by all the stack's NAT gateways. */
export function natGateway(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const bill = new Bill();
  const hour = () => ctx.price('natGateway.hour', 'a NAT gateway');
  bill.add(
    'NAT gateway',
    () => `${ctx.hours} h x ${usd(hour())}/h`,
    () => ctx.hours * hour(),
  );
  if (str(r.Properties?.ConnectivityType) !== 'private') {
    const gateways = ctx.ofType('AWS::EC2::NatGateway').length;
    const gb = (s: Scenario) => ctx.use('natGatewayDataGb', s) / gateways;
    bill.add(
      'NAT data processing',
      () => `natGatewayDataGb ${ctx.assumed('natGatewayDataGb')} GB / ${gateways} gateway(s) x ${usd(ctx.price('natGateway.dataProcessed.gb'))}/GB`,
      (s) => gb(s) * ctx.price('natGateway.dataProcessed.gb'),
    );
  }
  return bill;
}

/** An Elastic IP: every public IPv4 address bills by the hour, attached or idle. */
export function elasticIp(_id: string, _r: CfnResource, ctx: PricingContext): Priced {
  const bill = new Bill();
  publicIpv4(bill, ctx, 'Elastic IP (public IPv4)', () => 1);
  return bill;
}

export function publicIpv4(bill: Bill, ctx: PricingContext, item: string, count: (s: Scenario) => number, what = '1 address'): void {
  const rate = () => ctx.price('publicIpv4.hour', 'a public IPv4 address');
  bill.add(
    item,
    () => `${what} x ${ctx.hours} h x ${usd(rate())}/h`,
    (s) => count(s) * ctx.hours * rate(),
  );
}

/**
 * EC2 instance (the NAT instance): instance hours, its root volume, and its auto-assigned public
 * IPv4 unless an Elastic IP replaces it.
 */
export function ec2Instance(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const type = str(p.InstanceType);
  const bill = new Bill();
  if (!type) return unpriced('InstanceType is not a literal in the template');
  if (str(p.Tenancy) && str(p.Tenancy) !== 'default') bill.cannot(`Tenancy '${str(p.Tenancy)}' is not in the price table (shared tenancy only)`);
  else
    bill.add(
      `EC2 instance ${type}`,
      () => `${ctx.hours} h x ${usd(ctx.price(`ec2.${type}.hour`, `EC2 ${type}`))}/h (Linux, on demand)`,
      () => ctx.hours * ctx.price(`ec2.${type}.hour`, `EC2 ${type}`),
    );

  const mappings = Array.isArray(p.BlockDeviceMappings) ? (p.BlockDeviceMappings as { Ebs?: Record<string, unknown> }[]) : [];
  const volumes = mappings.filter((m) => m.Ebs).map((m) => m.Ebs as Record<string, unknown>);
  if (volumes.length === 0) volumes.push({});
  volumes.forEach((ebs, i) => {
    const size = num(ebs.VolumeSize);
    // The AL2023 AMI's root volume is gp3; a template that does not say takes the AMI's.
    const volumeType = str(ebs.VolumeType) ?? 'gp3';
    const gib = (s: Scenario) => size ?? ctx.use('ec2RootVolumeGiB', s);
    const sizeText = size === undefined ? `ec2RootVolumeGiB ${ctx.assumed('ec2RootVolumeGiB')} GiB` : `${size} GiB`;
    bill.add(
      `EBS ${volumeType} volume${volumes.length > 1 ? ` ${i + 1}` : ''}`,
      () => `${sizeText} x ${usd(ctx.price(`ebs.${volumeType}.gbMonth`, `EBS ${volumeType}`))}/GB-month`,
      (s) => gib(s) * ctx.price(`ebs.${volumeType}.gbMonth`, `EBS ${volumeType}`),
    );
  });

  const interfaces = Array.isArray(p.NetworkInterfaces) ? (p.NetworkInterfaces as Record<string, unknown>[]) : [];
  const autoAssigned = interfaces.filter((ni) => bool(ni.AssociatePublicIpAddress)).length;
  const hasEip =
    ctx.referencing('AWS::EC2::EIP', id, 'InstanceId').length > 0 || ctx.referencing('AWS::EC2::EIPAssociation', id, 'InstanceId').length > 0;
  if (autoAssigned > 0 && !hasEip) publicIpv4(bill, ctx, 'public IPv4 (auto-assigned)', () => autoAssigned, `${autoAssigned} address(es)`);
  return bill;
}

/** Interface endpoints bill per AZ-hour and per GB; gateway endpoints (S3, DynamoDB) are free. */
export function vpcEndpoint(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const kind = str(p.VpcEndpointType) ?? 'Gateway';
  if (kind === 'Gateway') return free('gateway endpoints (S3, DynamoDB) have no hourly or data charge');
  if (kind !== 'Interface') return unpriced(`VpcEndpointType '${kind}' is not in the price table`);
  const azs = Array.isArray(p.SubnetIds) ? p.SubnetIds.length : ctx.azCount;
  const bill = new Bill();
  bill.add(
    'interface endpoint',
    () => `${azs} AZ(s) x ${ctx.hours} h x ${usd(ctx.price('vpcEndpoint.interface.azHour'))}/AZ-h`,
    () => azs * ctx.hours * ctx.price('vpcEndpoint.interface.azHour'),
  );
  bill.add(
    'endpoint data processing',
    () =>
      `interfaceEndpointDataGb ${ctx.assumed('interfaceEndpointDataGb')} GB x ${usd(ctx.price('vpcEndpoint.interface.dataProcessed.first1PB.gb'))}/GB`,
    (s) => ctx.use('interfaceEndpointDataGb', s) * ctx.price('vpcEndpoint.interface.dataProcessed.first1PB.gb'),
  );
  return bill;
}

/** The flow-log GB a month of a flow log, by the traffic it records. */
export function flowLogGb(r: CfnResource, ctx: PricingContext, s: Scenario): number {
  return str(r.Properties?.TrafficType) === 'REJECT' ? ctx.use('flowLogGbReject', s) : ctx.use('flowLogGbAll', s);
}

/** VPC flow logs are vended logs: a delivery charge per GB (storage is priced on the log group). */
export function flowLog(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const destination = str(p.LogDestinationType) ?? 'cloud-watch-logs';
  const key =
    destination === 'cloud-watch-logs'
      ? 'vpcFlowLogs.toCloudWatchLogs.first10TB.gb'
      : destination === 's3'
        ? 'vpcFlowLogs.toS3.first10TB.gb'
        : undefined;
  if (!key) return unpriced(`flow logs to '${destination}' are not in the price table`);
  const traffic = str(p.TrafficType) ?? 'ALL';
  const assumption = traffic === 'REJECT' ? 'flowLogGbReject' : 'flowLogGbAll';
  const bill = new Bill();
  bill.add(
    `flow logs (${traffic}) delivery`,
    () => `to ${destination}: ${assumption} ${ctx.assumed(assumption)} GB x ${usd(ctx.price(key))}/GB`,
    (s) => flowLogGb(r, ctx, s) * ctx.price(key),
  );
  return bill;
}

// --- Stack-level data transfer -------------------------------------------------------------------

/** Internet egress tiers a month (GB, key); the last tier also prices anything above it. */
const EGRESS_TIERS: readonly [number, string][] = [
  [10 * 1024, 'dataTransfer.outToInternet.first10TB.gb'],
  [40 * 1024, 'dataTransfer.outToInternet.next40TB.gb'],
  [Infinity, 'dataTransfer.outToInternet.next100TB.gb'],
];

export function tieredEgress(gb: number, ctx: PricingContext): number {
  let left = gb;
  let total = 0;
  for (const [size, key] of EGRESS_TIERS) {
    const inTier = Math.min(left, size);
    total += inTier * ctx.price(key);
    left -= inTier;
    if (left <= 0) break;
  }
  return total;
}

/** Whether a template can send traffic to the internet (an internet gateway or a public load balancer). */
export function reachesInternet(ctx: PricingContext): boolean {
  return (
    ctx.ofType('AWS::EC2::InternetGateway').length > 0 ||
    ctx.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').some(([, r]) => (str(r.Properties?.Scheme) ?? 'internet-facing') === 'internet-facing')
  );
}

/** Data transfer that belongs to the stack rather than one resource: internet egress and cross-AZ traffic. */
export function dataTransfer(ctx: PricingContext): Bill {
  const bill = new Bill();
  if (reachesInternet(ctx)) {
    bill.add(
      'data transfer out to the internet',
      () => `internetEgressGb ${ctx.assumed('internetEgressGb')} GB x ${usd(ctx.price('dataTransfer.outToInternet.first10TB.gb'))}/GB (first 10 TB)`,
      (s) => tieredEgress(ctx.use('internetEgressGb', s), ctx),
    );
  }
  if (ctx.ofType('AWS::EC2::Subnet').length > 0 && ctx.azCount > 1) {
    bill.add(
      'data transfer between AZs',
      () => `crossAzGb ${ctx.assumed('crossAzGb')} GB x ${usd(ctx.price('dataTransfer.crossAz.gb'))}/GB`,
      (s) => ctx.use('crossAzGb', s) * ctx.price('dataTransfer.crossAz.gb'),
    );
  }
  return bill;
}

/** Route 53: alias records answer queries to AWS resources for free; anything else is not in the table. */
export function recordSet(_id: string, r: CfnResource): Priced {
  return r.Properties?.AliasTarget
    ? free('alias queries to AWS resources are free')
    : unpriced('Route 53 queries to non-alias records are not in the price table');
}
