import { DATA_TRANSFER_TIER } from '../../../tools/cost/estimate';
import { PricingContext } from '../../../tools/cost/pricing/context';
import { tieredEgress } from '../../../tools/cost/pricing/network';
import { expectUsd, fixture, HOURS, line, priceFixture, prices, usage } from './fixture';

// Hand-computed from lib/core/prices/prices-us-east-1.json and fixtures/usage.json, 730 h a month.
describe('network pricing (fixtures/network.template.json)', () => {
  // GIVEN a VPC with a NAT gateway, a NAT instance, two endpoints and ALL-traffic flow logs
  // WHEN it is priced
  const result = priceFixture('network');

  test('NAT gateway: 730 h x $0.045, plus all NAT data (100 / 200 GB) x $0.045 on the only gateway', () => {
    expectUsd(line(result, 'VpcPublicSubnet1NATGateway', 'NAT gateway'), 32.85);
    expectUsd(line(result, 'VpcPublicSubnet1NATGateway', 'NAT data processing'), 4.5, 9);
  });

  test('Elastic IP: one public IPv4 address, 730 h x $0.005', () => {
    expectUsd(line(result, 'VpcPublicSubnet1EIP', 'Elastic IP'), 3.65);
  });

  test('NAT instance: t4g.nano hours, an 8 GiB gp3 root volume, and its auto-assigned public IPv4', () => {
    expectUsd(line(result, 'VpcPublicSubnet2NatInstance', 'EC2 instance t4g.nano'), HOURS * 0.0042);
    expectUsd(line(result, 'VpcPublicSubnet2NatInstance', 'EBS gp3 volume'), 8 * 0.08);
    expectUsd(line(result, 'VpcPublicSubnet2NatInstance', 'public IPv4'), 3.65);
  });

  test('interface endpoint: 2 AZs x 730 h x $0.01, plus 10 / 20 GB x $0.01; the gateway endpoint is free', () => {
    expectUsd(line(result, 'VpcEcrApi', 'interface endpoint'), 14.6);
    expectUsd(line(result, 'VpcEcrApi', 'endpoint data processing'), 0.1, 0.2);
    expect(result.tiers.flatMap((t) => t.items).some((i) => i.resource === 'VpcS3')).toBe(false);
    expect(result.free).toContainEqual({ type: 'AWS::EC2::VPCEndpoint', count: 1, reason: expect.stringMatching(/gateway endpoints/) });
  });

  test('flow logs: 10 / 40 GB delivered at the vended $0.50; the log group stores 30 days of it', () => {
    expectUsd(line(result, 'VpcFlowLog', 'flow logs (ALL) delivery'), 5, 20);
    // Delivery is billed on the flow log, so the group bills storage only: GB x 30/30.4167 months x $0.03.
    expect(() => line(result, 'FlowLogsGroup', 'log ingestion')).toThrow(/found 0/);
    expectUsd(line(result, 'FlowLogsGroup', 'log storage'), 10 * (30 / (365 / 12)) * 0.03, 40 * (30 / (365 / 12)) * 0.03);
  });

  test('data transfer belongs to the stack: 100 / 1,000 GB to the internet at $0.09, 50 / 100 GB across AZs at $0.01', () => {
    const tier = result.tiers.find((t) => t.tier === DATA_TRANSFER_TIER)!;
    expectUsd(line(result, '(stack)', 'data transfer out to the internet'), 9, 90);
    expectUsd(line(result, '(stack)', 'data transfer between AZs'), 0.5, 1);
    expectUsd(tier, 9.5, 91);
  });

  test('resources carrying a CDK path are grouped under the construct below the stack', () => {
    expect(result.tiers.map((t) => t.tier)).toEqual(['Network', DATA_TRANSFER_TIER]);
    expect(line(result, 'VpcPublicSubnet2NatInstance', 'EC2 instance').path).toBe('Network/Vpc/PublicSubnet2/NatInstance');
  });

  test('the totals are the sum of the line items, and nothing is left unpriced', () => {
    const baseline = 32.85 + 4.5 + 3.65 + HOURS * 0.0042 + 0.64 + 3.65 + 14.6 + 0.1 + 5 + 10 * (30 / (365 / 12)) * 0.03 + 9 + 0.5;
    expect(result.baseline).toBeCloseTo(baseline, 4);
    expect(result.unpriced).toEqual([]);
    expect(result.free.map((f) => f.type)).toEqual(
      expect.arrayContaining(['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup', 'AWS::CDK::Metadata']),
    );
  });

  test('internet egress is tiered: 20,000 GB = 10,240 GB x $0.09 + 9,760 GB x $0.085', () => {
    const ctx = new PricingContext(fixture('network').template, prices, usage);
    expect(tieredEgress(20000, ctx)).toBeCloseTo(10240 * 0.09 + 9760 * 0.085, 6);
  });
});
