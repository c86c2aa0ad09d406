import type { CfnResource } from '../template';
import { bool, num, refTarget, str } from '../template';
import type { Scenario } from '../usage';
import { Bill, fmt, free, perScenario, type PerScenario, type PricingContext, type Priced, range, unpriced, usd } from './context';
import { publicIpv4 } from './network';

/** Application Load Balancer: hours, LCUs (an assumption), and a public IPv4 per AZ when internet-facing. */
export function loadBalancer(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const type = str(p.Type) ?? 'application';
  if (type !== 'application') return unpriced(`load balancer Type '${type}' is not in the price table (application only)`);
  const bill = new Bill();
  bill.add(
    'Application Load Balancer',
    () => `${ctx.hours} h x ${usd(ctx.price('alb.hour'))}/h`,
    () => ctx.hours * ctx.price('alb.hour'),
  );
  bill.add(
    'ALB capacity units',
    () => `albLcu ${ctx.assumed('albLcu')} LCU x ${ctx.hours} h x ${usd(ctx.price('alb.lcuHour'))}/LCU-h`,
    (s) => ctx.use('albLcu', s) * ctx.hours * ctx.price('alb.lcuHour'),
  );
  const internetFacing = (str(p.Scheme) ?? 'internet-facing') === 'internet-facing';
  if (internetFacing && str(p.IpAddressType) !== 'dualstack-without-public-ipv4') {
    const subnets = Array.isArray(p.Subnets) ? p.Subnets.length : Array.isArray(p.SubnetMappings) ? p.SubnetMappings.length : ctx.azCount;
    const addresses = (s: Scenario) => subnets * ctx.use('albNodesPerAz', s);
    publicIpv4(bill, ctx, 'ALB public IPv4', addresses, `${subnets} AZ(s) x albNodesPerAz ${ctx.assumed('albNodesPerAz')}`);
  }
  return bill;
}

/** One entry of a capacity-provider strategy. */
export interface StrategyItem {
  readonly provider: string;
  readonly base: number;
  readonly weight: number;
}

/**
 * How ECS spreads `tasks` over a strategy: the base first (only one provider may have one), then
 * the rest in proportion to the weights. Fractions are kept: a cost estimate wants the expected
 * share, not ECS's rounding.
 */
export function splitTasks(tasks: number, strategy: readonly StrategyItem[]): Map<string, number> {
  const split = new Map<string, number>(strategy.map((item) => [item.provider, 0]));
  let left = tasks;
  for (const item of strategy) {
    const placed = Math.min(left, item.base);
    split.set(item.provider, (split.get(item.provider) ?? 0) + placed);
    left -= placed;
  }
  const totalWeight = strategy.reduce((sum, item) => sum + item.weight, 0);
  if (left > 0) {
    if (totalWeight === 0) throw new Error(`${left} task(s) above the base have no capacity provider with a weight above 0`);
    for (const item of strategy) split.set(item.provider, (split.get(item.provider) ?? 0) + (left * item.weight) / totalWeight);
  }
  return split;
}

function readStrategy(value: unknown): StrategyItem[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((item: Record<string, unknown>) => ({
    provider: str(item.CapacityProvider) ?? '?',
    base: num(item.Base) ?? 0,
    weight: num(item.Weight) ?? 0,
  }));
}

/** The service's strategy: its own, else FARGATE for LaunchType FARGATE, else its cluster's default. */
function strategyOf(r: CfnResource, ctx: PricingContext): StrategyItem[] | string {
  const p = r.Properties ?? {};
  const own = readStrategy(p.CapacityProviderStrategy);
  if (own) return own;
  const launchType = str(p.LaunchType);
  if (launchType === 'FARGATE') return [{ provider: 'FARGATE', base: 0, weight: 1 }];
  if (launchType) return `LaunchType '${launchType}': the container instances are priced on their own resources, not here`;
  const clusterId = refTarget(p.Cluster);
  const association = clusterId ? ctx.referencing('AWS::ECS::ClusterCapacityProviderAssociations', clusterId, 'Cluster')[0] : undefined;
  return (
    readStrategy(association?.[1].Properties?.DefaultCapacityProviderStrategy) ??
    'no LaunchType, no CapacityProviderStrategy and no cluster default strategy in the template'
  );
}

const PROVIDERS: Readonly<Record<string, { label: string; key: (arch: string) => string }>> = {
  FARGATE: { label: 'on demand', key: (arch) => `fargate.${arch}` },
  FARGATE_SPOT: { label: 'Spot, estimate', key: (arch) => `fargate.spot.${arch}` },
};

/**
 * ECS service on Fargate: vCPU and GB by architecture, split between on demand and Spot by the
 * capacity-provider strategy, for the task counts at the autoscaling minimum and maximum.
 */
export function ecsService(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const p = r.Properties ?? {};
  const taskDefinition = ctx.get(refTarget(p.TaskDefinition));
  if (!taskDefinition) return unpriced('its task definition is not in the template');
  const td = taskDefinition.Properties ?? {};
  const cpuUnits = num(td.Cpu);
  const memoryMiB = num(td.Memory);
  if (cpuUnits === undefined || memoryMiB === undefined) return unpriced('the task definition has no literal task-level Cpu and Memory');
  const platform = (td.RuntimePlatform ?? {}) as Record<string, unknown>;
  const os = str(platform.OperatingSystemFamily) ?? 'LINUX';
  if (os !== 'LINUX') return unpriced(`Fargate on ${os} is not in the price table (Linux only)`);
  const arch = (str(platform.CpuArchitecture) ?? 'X86_64').toUpperCase();
  const archKey = arch === 'ARM64' ? 'arm' : 'x86';
  const strategy = strategyOf(r, ctx);
  if (typeof strategy === 'string') return unpriced(strategy);

  const vcpu = cpuUnits / 1024;
  const gb = memoryMiB / 1024;
  const tasks = ctx.serviceTasks(id);
  let split: Record<Scenario, Map<string, number>>;
  try {
    split = { baseline: splitTasks(tasks.baseline, strategy), peak: splitTasks(tasks.peak, strategy) };
  } catch (error) {
    return unpriced(`capacity-provider strategy: ${(error as Error).message}`);
  }

  const bill = new Bill();
  for (const item of strategy) {
    const provider = PROVIDERS[item.provider];
    if (!provider) {
      bill.cannot(`capacity provider '${item.provider}' is not Fargate; its instances are priced on their own resources`);
      continue;
    }
    const count: PerScenario = perScenario((s) => split[s].get(item.provider) ?? 0);
    if (count.baseline === 0 && count.peak === 0) continue;
    const suffix = item.provider === 'FARGATE_SPOT' ? '.estimate' : '';
    const vcpuRate = () => ctx.price(`${provider.key(archKey)}.vcpuHour${suffix}`, `Fargate ${provider.label} ${arch} vCPU`);
    const gbRate = () => ctx.price(`${provider.key(archKey)}.gbHour${suffix}`, `Fargate ${provider.label} ${arch} memory`);
    bill.add(
      `Fargate ${arch} (${provider.label})`,
      () => `${range(count)} task(s) of ${fmt(vcpu)} vCPU x ${usd(vcpuRate())} + ${fmt(gb)} GB x ${usd(gbRate())}, ${ctx.hours} h`,
      (s) => count[s] * ctx.hours * (vcpu * vcpuRate() + gb * gbRate()),
    );
  }

  const ephemeral = num((td.EphemeralStorage as Record<string, unknown> | undefined)?.SizeInGiB);
  if (ephemeral !== undefined && ephemeral > 20) {
    const extra = ephemeral - 20;
    bill.add(
      'Fargate ephemeral storage above 20 GiB',
      () => `${range(tasks)} task(s) x ${extra} GiB x ${ctx.hours} h x ${usd(ctx.price('fargate.ephemeralStorage.gbHour'))}`,
      (s) => tasks[s] * extra * ctx.hours * ctx.price('fargate.ephemeralStorage.gbHour'),
    );
  }
  highResolutionMetrics(bill, ctx, p.Monitoring);
  const network = ((p.NetworkConfiguration as Record<string, unknown> | undefined)?.AwsvpcConfiguration ?? {}) as Record<string, unknown>;
  if (str(network.AssignPublicIp) === 'ENABLED') {
    publicIpv4(bill, ctx, 'task public IPv4', (s) => tasks[s], `${range(tasks)} task(s)`);
  }
  return bill;
}

/**
 * 20-second service metrics (`Monitoring.MetricConfigurations` with `ResolutionSeconds` 20): each
 * metric name is one metric billed per month; 60-second ones are free (PRICES.md §8).
 */
function highResolutionMetrics(bill: Bill, ctx: PricingContext, monitoring: unknown): void {
  const configurations = Array.isArray((monitoring as Record<string, unknown> | undefined)?.MetricConfigurations)
    ? ((monitoring as Record<string, unknown>).MetricConfigurations as Record<string, unknown>[])
    : [];
  const names = new Set(
    configurations.filter((c) => num(c.ResolutionSeconds) === 20).flatMap((c) => (Array.isArray(c.MetricNames) ? c.MetricNames.map(String) : [])),
  );
  if (names.size === 0) return;
  const rate = () => ctx.price('cloudwatch.metrics.ecsHighResolution.metricMonth', 'ECS 20-second service metric');
  bill.add(
    'ECS 20-second service metrics',
    () => `${names.size} metric(s) (${[...names].join(', ')}) x ${usd(rate())}/month`,
    () => names.size * rate(),
  );
}

/** ECS cluster: free, unless Container Insights bills its metrics and performance logs. */
export function ecsCluster(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const settings = Array.isArray(r.Properties?.ClusterSettings) ? (r.Properties.ClusterSettings as Record<string, unknown>[]) : [];
  const insights = str(settings.find((s) => s.Name === 'containerInsights')?.Value) ?? 'disabled';
  if (insights === 'disabled') return free('ECS clusters are free without Container Insights');
  if (insights !== 'enabled')
    return unpriced(`Container Insights '${insights}' (enhanced observability) bills per observation, a rate the price table lacks (PRICES.md §8)`);
  const services = ctx.referencing('AWS::ECS::Service', id, 'Cluster');
  const tasks = perScenario((s) => services.reduce((sum, [serviceId]) => sum + ctx.serviceTasks(serviceId)[s], 0));
  const metrics = (s: Scenario) =>
    ctx.use('containerInsightsMetricsPerCluster', s) + services.length * ctx.use('containerInsightsMetricsPerService', s);
  const bill = new Bill();
  bill.add(
    'Container Insights metrics',
    () =>
      `containerInsightsMetricsPerCluster ${ctx.assumed('containerInsightsMetricsPerCluster')} + ${services.length} service(s) x containerInsightsMetricsPerService ${ctx.assumed('containerInsightsMetricsPerService')} metrics x ${usd(ctx.price('cloudwatch.metrics.custom.first10k.metricMonth'))}`,
    (s) => metrics(s) * ctx.price('cloudwatch.metrics.custom.first10k.metricMonth'),
  );
  bill.add(
    'Container Insights performance logs',
    () =>
      `${range(tasks)} task(s) x containerInsightsLogGbPerTask ${ctx.assumed('containerInsightsLogGbPerTask')} GB x ${usd(ctx.price('cloudwatch.logs.ingestion.standard.gb'))}/GB`,
    (s) => tasks[s] * ctx.use('containerInsightsLogGbPerTask', s) * ctx.price('cloudwatch.logs.ingestion.standard.gb'),
  );
  return bill;
}

/** A target-tracking policy makes Application Auto Scaling create CloudWatch alarms (high and low). */
export function scalingPolicy(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const config = r.Properties?.TargetTrackingScalingPolicyConfiguration as Record<string, unknown> | undefined;
  if (!config) return free('step and predictive policies create no alarms of their own (the alarms they use are priced)');
  const alarms = bool(config.DisableScaleIn) ? 1 : 2;
  // On a 20-second (…HighResolution) metric the alarms evaluate 20-second datapoints: high-resolution alarms.
  const metricType = str((config.PredefinedMetricSpecification as Record<string, unknown> | undefined)?.PredefinedMetricType) ?? '';
  const [kind, key] = metricType.endsWith('HighResolution')
    ? ['high-resolution', 'cloudwatch.alarm.highResolution.month']
    : ['standard', 'cloudwatch.alarm.standard.month'];
  const bill = new Bill();
  bill.add(
    'target-tracking alarms',
    () => `${alarms} ${kind} alarm(s) x ${usd(ctx.price(key))}/month`,
    () => alarms * ctx.price(key),
  );
  return bill;
}
