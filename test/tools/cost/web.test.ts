import { splitTasks } from '../../../tools/cost/pricing/web';
import { expectUsd, HOURS, line, priceFixture } from './fixture';

describe('splitTasks (the Spot share of a capacity-provider strategy)', () => {
  const strategy = [
    { provider: 'FARGATE', base: 1, weight: 1 },
    { provider: 'FARGATE_SPOT', base: 0, weight: 3 },
  ];

  test('the base goes on demand first, the rest follows the weights', () => {
    expect(Object.fromEntries(splitTasks(1, strategy))).toEqual({ FARGATE: 1, FARGATE_SPOT: 0 });
    expect(Object.fromEntries(splitTasks(5, strategy))).toEqual({ FARGATE: 2, FARGATE_SPOT: 3 });
    expect(Object.fromEntries(splitTasks(4, strategy))).toEqual({ FARGATE: 1.75, FARGATE_SPOT: 2.25 });
  });

  test('all Spot, and no tasks at all', () => {
    expect(Object.fromEntries(splitTasks(2, [{ provider: 'FARGATE_SPOT', base: 0, weight: 1 }]))).toEqual({ FARGATE_SPOT: 2 });
    expect(Object.fromEntries(splitTasks(0, strategy))).toEqual({ FARGATE: 0, FARGATE_SPOT: 0 });
  });

  test('tasks above the base with no weight anywhere cannot be placed', () => {
    expect(() => splitTasks(3, [{ provider: 'FARGATE', base: 1, weight: 0 }])).toThrow(
      '2 task(s) above the base have no capacity provider with a weight above 0',
    );
  });
});

describe('web pricing (fixtures/web.template.json)', () => {
  // GIVEN an internet-facing ALB, an x86 service (1-5 tasks, base 1 on demand, 1:3 Spot) and an
  // ARM64 service (2 tasks on demand, public IPs, 30 GiB ephemeral storage) in a Container Insights cluster
  // WHEN priced
  const result = priceFixture('web');
  // 0.5 vCPU / 1 GB, x86: on demand $0.04048 / $0.004445, Spot (estimate) $0.012144 / $0.0013335 per vCPU-h / GB-h.
  const x86OnDemand = 0.5 * 0.04048 + 1 * 0.004445;
  const x86Spot = 0.5 * 0.012144 + 1 * 0.0013335;

  test('ALB: 730 h x $0.0225, 2 / 10 LCU x 730 h x $0.008, and a public IPv4 per AZ and node', () => {
    expectUsd(line(result, 'Alb', 'Application Load Balancer'), 16.425);
    expectUsd(line(result, 'Alb', 'ALB capacity units'), 2 * HOURS * 0.008, 10 * HOURS * 0.008);
    // 2 subnets x albNodesPerAz 1 / 2 x $0.005 x 730 h
    expectUsd(line(result, 'Alb', 'ALB public IPv4'), 7.3, 14.6);
  });

  test('Spot share: 1 task at baseline is the on-demand base; 5 at peak are 2 on demand and 3 on Spot', () => {
    expectUsd(line(result, 'WebService', 'Fargate X86_64 (on demand)'), 1 * HOURS * x86OnDemand, 2 * HOURS * x86OnDemand);
    expectUsd(line(result, 'WebService', 'Fargate X86_64 (Spot'), 0, 3 * HOURS * x86Spot);
  });

  test('Graviton service: 2 tasks x (1 vCPU x $0.03238 + 2 GB x $0.00356), 10 GiB ephemeral above the free 20, and a public IPv4 each', () => {
    expectUsd(line(result, 'ApiService', 'Fargate ARM64 (on demand)'), 2 * HOURS * (0.03238 + 2 * 0.00356));
    expectUsd(line(result, 'ApiService', 'Fargate ephemeral storage'), 2 * 10 * HOURS * 0.000111);
    expectUsd(line(result, 'ApiService', 'task public IPv4'), 2 * HOURS * 0.005);
  });

  test('Container Insights: 8 cluster + 2 x 20 service metrics at $0.30, and performance logs of 3 / 7 tasks', () => {
    expectUsd(line(result, 'Cluster', 'Container Insights metrics'), 48 * 0.3);
    expectUsd(line(result, 'Cluster', 'Container Insights performance logs'), 3 * 0.1 * 0.5, 7 * 0.1 * 0.5);
  });

  test('the target-tracking policy bills its two alarms; on a 20-second metric they are high-resolution alarms', () => {
    expectUsd(line(result, 'WebScalingCpu', 'target-tracking alarms'), 0.2);
    expectUsd(line(result, 'WebScalingMemory', 'target-tracking alarms'), 2 * 0.3);
  });

  test('20-second service metrics: each metric name at the assumed $0.30 a month; none on a service without them', () => {
    expectUsd(line(result, 'ApiService', 'ECS 20-second service metrics'), 2 * 0.3);
    expect(() => line(result, 'WebService', 'ECS 20-second service metrics')).toThrow(/found 0/);
  });

  test('the container log group ingests 1 GB per running task and keeps 7 days', () => {
    expectUsd(line(result, 'WebLogGroup', 'log ingestion'), 1 * 0.5, 5 * 0.5);
    expectUsd(line(result, 'WebLogGroup', 'log storage'), 1 * (7 / (365 / 12)) * 0.03, 5 * (7 / (365 / 12)) * 0.03);
  });

  test('an internet-facing load balancer brings internet egress; a template without subnets no cross-AZ line', () => {
    expectUsd(line(result, '(stack)', 'data transfer out to the internet'), 9, 90);
    expect(() => line(result, '(stack)', 'data transfer between AZs')).toThrow(/found 0/);
  });

  test('without construct paths, resources are grouped by service; nothing is unpriced', () => {
    expect(result.tiers.map((t) => t.tier)).toEqual(['Web', 'Logs', 'Data transfer']);
    expect(result.unpriced).toEqual([]);
  });
});
