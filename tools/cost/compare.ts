import { estimate } from './estimate';
import type { PriceTable } from './prices';
import type { PerScenario } from './pricing/context';
import { type CfnResource, type CfnTemplate, type NamedTemplate, refTarget, str } from './template';
import type { Usage } from './usage';

/**
 * The class `new rds.DatabaseInstance()` gets without `instanceType`: aws-cdk-lib's
 * aws-rds/lib/instance.ts, `props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.M5,
 * ec2.InstanceSize.LARGE)` (checked in aws-cdk-lib 2.276.0).
 */
export const CDK_DEFAULT_RDS_CLASS = 'db.m5.large';

/** One common default of a hand-written stack, as a rewrite of a template. */
export interface HandWrittenRule {
  readonly id: string;
  readonly title: string;
  /** Rewrites `template` in place; returns a line per change. */
  readonly apply: (template: MutableTemplate) => string[];
}

type MutableResource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };
type MutableTemplate = { Resources: Record<string, MutableResource> };

function resourcesOf(template: MutableTemplate, type: string): [string, MutableResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

const CACHE_TYPES = ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ServerlessCache'];

export const HAND_WRITTEN_RULES: readonly HandWrittenRule[] = [
  {
    id: 'x86',
    title: 'x86 instead of Graviton (Fargate tasks, Lambda functions)',
    apply: (template) => {
      const changes: string[] = [];
      for (const [id, td] of resourcesOf(template, 'AWS::ECS::TaskDefinition')) {
        const platform = td.Properties.RuntimePlatform as Record<string, unknown> | undefined;
        if (platform && str(platform.CpuArchitecture)?.toUpperCase() === 'ARM64') {
          platform.CpuArchitecture = 'X86_64';
          changes.push(`${id}: ARM64 -> X86_64`);
        }
      }
      for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        if (Array.isArray(fn.Properties.Architectures) && fn.Properties.Architectures[0] === 'arm64') {
          fn.Properties.Architectures = ['x86_64'];
          changes.push(`${id}: arm64 -> x86_64`);
        }
      }
      return changes;
    },
  },
  {
    id: 'redis',
    title: 'Redis OSS instead of Valkey',
    apply: (template) => {
      const changes: string[] = [];
      for (const type of CACHE_TYPES) {
        for (const [id, cache] of resourcesOf(template, type)) {
          if (str(cache.Properties.Engine)?.toLowerCase() === 'valkey') {
            cache.Properties.Engine = 'redis';
            changes.push(`${id}: valkey -> redis`);
          }
        }
      }
      return changes;
    },
  },
  {
    id: 'on-demand',
    title: 'on-demand Fargate instead of Spot',
    apply: (template) => {
      const changes: string[] = [];
      const usesSpot = (strategy: unknown) =>
        Array.isArray(strategy) && strategy.some((item: Record<string, unknown>) => item.CapacityProvider === 'FARGATE_SPOT');
      const spotClusters = new Set(
        resourcesOf(template, 'AWS::ECS::ClusterCapacityProviderAssociations')
          .filter(([, a]) => usesSpot(a.Properties.DefaultCapacityProviderStrategy))
          .map(([, a]) => refTarget(a.Properties.Cluster)),
      );
      for (const [id, service] of resourcesOf(template, 'AWS::ECS::Service')) {
        const own = service.Properties.CapacityProviderStrategy;
        const inherits = own === undefined && service.Properties.LaunchType === undefined && spotClusters.has(refTarget(service.Properties.Cluster));
        if (usesSpot(own) || inherits) {
          delete service.Properties.CapacityProviderStrategy;
          service.Properties.LaunchType = 'FARGATE';
          changes.push(`${id}: Spot strategy -> LaunchType FARGATE`);
        }
      }
      return changes;
    },
  },
  {
    id: 'nat-per-az',
    title: "a NAT gateway per AZ (CDK's Vpc default) instead of a NAT instance or a shared gateway",
    apply: (template) => {
      const changes: string[] = [];
      const subnets = resourcesOf(template, 'AWS::EC2::Subnet');
      if (subnets.length === 0) return changes;
      const natInstances = new Set(
        resourcesOf(template, 'AWS::EC2::Route')
          .map(([, route]) => refTarget(route.Properties.InstanceId))
          .filter((id): id is string => id !== undefined && template.Resources[id]?.Type === 'AWS::EC2::Instance'),
      );
      for (const id of natInstances) {
        delete template.Resources[id];
        for (const [eipId, eip] of resourcesOf(template, 'AWS::EC2::EIP')) {
          if (refTarget(eip.Properties.InstanceId) === id) delete template.Resources[eipId];
        }
        changes.push(`${id}: NAT instance removed`);
      }
      const azs = new Set(subnets.map(([, s]) => JSON.stringify(s.Properties.AvailabilityZone ?? null))).size;
      for (let i = resourcesOf(template, 'AWS::EC2::NatGateway').length; i < azs; i++) {
        template.Resources[`HandWrittenNatEip${i + 1}`] = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } };
        template.Resources[`HandWrittenNatGateway${i + 1}`] = {
          Type: 'AWS::EC2::NatGateway',
          Properties: { AllocationId: { 'Fn::GetAtt': [`HandWrittenNatEip${i + 1}`, 'AllocationId'] } },
        };
        changes.push(`HandWrittenNatGateway${i + 1}: NAT gateway + EIP added`);
      }
      return changes;
    },
  },
  {
    id: 'rds-class',
    title: `CDK's default RDS class (${CDK_DEFAULT_RDS_CLASS})`,
    apply: (template) => {
      const changes: string[] = [];
      for (const [id, db] of resourcesOf(template, 'AWS::RDS::DBInstance')) {
        const current = str(db.Properties.DBInstanceClass);
        if (current && current !== CDK_DEFAULT_RDS_CLASS && db.Properties.DBClusterIdentifier === undefined) {
          db.Properties.DBInstanceClass = CDK_DEFAULT_RDS_CLASS;
          changes.push(`${id}: ${current} -> ${CDK_DEFAULT_RDS_CLASS}`);
        }
      }
      return changes;
    },
  },
];

/** Templates rewritten by `rules`, and what each rule changed. */
export function handWritten(
  templates: readonly NamedTemplate[],
  rules: readonly HandWrittenRule[] = HAND_WRITTEN_RULES,
): { templates: NamedTemplate[]; changes: Record<string, string[]> } {
  const changes: Record<string, string[]> = Object.fromEntries(rules.map((rule) => [rule.id, []]));
  const rewritten = templates.map((named) => {
    const copy = structuredClone(named.template) as unknown as MutableTemplate;
    for (const resource of Object.values(copy.Resources)) resource.Properties ??= {};
    for (const rule of rules) changes[rule.id].push(...rule.apply(copy).map((change) => `${named.name}/${change}`));
    return { ...named, template: copy as unknown as CfnTemplate & { Resources: Record<string, CfnResource> } };
  });
  return { templates: rewritten, changes };
}

export interface Comparison {
  readonly profile: string;
  readonly rightSized: PerScenario;
  readonly handWritten: PerScenario;
  readonly saving: PerScenario;
  /** What each rule alone adds to the right-sized estimate. */
  readonly rules: { readonly id: string; readonly title: string; readonly changes: string[]; readonly saving: PerScenario }[];
}

/** Prices the profile as synthesized and as a hand-written stack with the common defaults would be. */
export function compare(profile: string, templates: readonly NamedTemplate[], prices: PriceTable, usage: Usage): Comparison {
  const price = (ts: readonly NamedTemplate[]) => {
    const result = estimate(profile, ts, prices, usage);
    return { baseline: result.baseline, peak: result.peak };
  };
  const diff = (a: PerScenario, b: PerScenario) => ({ baseline: a.baseline - b.baseline, peak: a.peak - b.peak });
  const rightSized = price(templates);
  const all = handWritten(templates);
  const handWrittenTotal = price(all.templates);
  return {
    profile,
    rightSized,
    handWritten: handWrittenTotal,
    saving: diff(handWrittenTotal, rightSized),
    rules: HAND_WRITTEN_RULES.map((rule) => ({
      id: rule.id,
      title: rule.title,
      changes: all.changes[rule.id],
      saving: diff(price(handWritten(templates, [rule]).templates), rightSized),
    })),
  };
}
