// Application load balancers, their attributes, listeners and target groups (health checks and
// attributes), against the template; the AZs the load balancer spans against
// profile.network.maxAzs, and the web load balancer's deletion protection against
// profile.web.deletionProtection.
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { referencedId, resourcesOfType } from '../template';
import { deployed, forEach, isProfileVpc, templateValue, type Verifier, type VerifyContext } from './context';

/** `[{ Key, Value }]` (template or API) as a map. */
function keyValues(list: unknown): Record<string, unknown> {
  return Object.fromEntries((Array.isArray(list) ? (list as Array<{ Key?: unknown; Value?: unknown }>) : []).map((a) => [String(a.Key), a.Value]));
}

/** Load balancers whose listeners forward to a target group an ECS service registers with: the web tier. */
function webLoadBalancers(ctx: VerifyContext): Set<string | undefined> {
  const serviceGroups = new Set(
    resourcesOfType(ctx.template, 'AWS::ECS::Service')
      .flatMap((s) => (Array.isArray(s.properties.LoadBalancers) ? (s.properties.LoadBalancers as Array<{ TargetGroupArn?: unknown }>) : []))
      .map((l) => referencedId(l.TargetGroupArn)),
  );
  return new Set(
    resourcesOfType(ctx.template, 'AWS::ElasticLoadBalancingV2::Listener')
      .filter((l) =>
        (Array.isArray(l.properties.DefaultActions) ? (l.properties.DefaultActions as Array<{ TargetGroupArn?: unknown }>) : []).some((a) =>
          serviceGroups.has(referencedId(a.TargetGroupArn)),
        ),
      )
      .map((l) => referencedId(l.properties.LoadBalancerArn)),
  );
}

/** Target group settings CloudFormation passes to ELB, with the API field each is read back from. */
const HEALTH_CHECK = [
  ['HealthCheckPath', 'HealthCheckPath'],
  ['HealthCheckIntervalSeconds', 'HealthCheckIntervalSeconds'],
  ['HealthCheckTimeoutSeconds', 'HealthCheckTimeoutSeconds'],
  ['HealthyThresholdCount', 'HealthyThresholdCount'],
  ['UnhealthyThresholdCount', 'UnhealthyThresholdCount'],
] as const;

export const loadBalancerVerifier: Verifier = {
  name: 'load balancers',
  types: ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::TargetGroup'],
  async verify(ctx) {
    const { checks, clients, resolver } = ctx;
    // The load balancer spans every AZ of the stack's VPC, which profile.network sizes.
    const inProfileVpc = isProfileVpc(ctx, resourcesOfType(ctx.template, 'AWS::EC2::VPC')[0]?.logicalId);
    const web = webLoadBalancers(ctx);
    await forEach(ctx, 'AWS::ElasticLoadBalancingV2::LoadBalancer', async (lb) => {
      const d = (await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.physicalId] }))).LoadBalancers?.[0];
      checks.equal(lb.subject, 'Type', d?.Type, await templateValue(ctx, lb.properties, 'Type', 'application'), 'template');
      checks.equal(lb.subject, 'Scheme', d?.Scheme, await templateValue(ctx, lb.properties, 'Scheme', 'internet-facing'), 'template');
      checks.equal(lb.subject, 'State', d?.State?.Code, 'active', 'a deployed load balancer is active');
      const subnets = d?.AvailabilityZones?.map((z) => z.SubnetId);
      if ('Subnets' in lb.properties)
        checks.sameMembers(lb.subject, 'Subnets', subnets, (await resolver.resolve(lb.properties.Subnets)) as unknown[], 'template');
      if (inProfileVpc) {
        const zones = new Set(d?.AvailabilityZones?.map((z) => z.ZoneName));
        checks.equal(lb.subject, 'distinct AZs', zones.size, ctx.profile.network.maxAzs, 'profile.network.maxAzs');
      }
      if ('SecurityGroups' in lb.properties) {
        checks.sameMembers(
          lb.subject,
          'SecurityGroups',
          d?.SecurityGroups,
          (await resolver.resolve(lb.properties.SecurityGroups)) as unknown[],
          'template',
        );
      }
      const attributes = keyValues(
        (await clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.physicalId }))).Attributes,
      );
      for (const [key, value] of Object.entries(keyValues(lb.properties.LoadBalancerAttributes))) {
        checks.equal(lb.subject, `attribute ${key}`, attributes[key], String(await resolver.resolve(value)), 'template');
      }
      if (web.has(lb.logicalId)) {
        checks.equal(
          lb.subject,
          'attribute deletion_protection.enabled',
          attributes['deletion_protection.enabled'],
          String(ctx.profile.web.deletionProtection),
          'profile.web.deletionProtection',
        );
      }

      const templateListeners = deployed(ctx, 'AWS::ElasticLoadBalancingV2::Listener').filter(
        (l) => referencedId(l.properties.LoadBalancerArn) === lb.logicalId,
      );
      const listeners = (await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.physicalId }))).Listeners ?? [];
      checks.equal(lb.subject, 'listeners', listeners.length, templateListeners.length, 'template');
      for (const l of templateListeners) {
        const dl = listeners.find((x) => x.ListenerArn === l.physicalId);
        checks.equal(l.subject, 'Port', dl?.Port, Number(await resolver.resolve(l.properties.Port)), 'template');
        checks.equal(l.subject, 'Protocol', dl?.Protocol, await resolver.resolve(l.properties.Protocol), 'template');
        const actions = (await resolver.resolve(l.properties.DefaultActions)) as Array<{ Type: string; TargetGroupArn?: string }>;
        checks.equal(
          l.subject,
          'DefaultActions',
          dl?.DefaultActions?.map((a) => ({ Type: a.Type, TargetGroupArn: a.TargetGroupArn })),
          actions.map((a) => ({ Type: a.Type, TargetGroupArn: a.TargetGroupArn })),
          'template',
        );
        if ('Certificates' in l.properties) {
          const certificates = (await resolver.resolve(l.properties.Certificates)) as Array<{ CertificateArn: string }>;
          checks.sameMembers(
            l.subject,
            'Certificates',
            dl?.Certificates?.map((c) => c.CertificateArn),
            certificates.map((c) => c.CertificateArn),
            'template',
          );
        }
      }
    });

    await forEach(ctx, 'AWS::ElasticLoadBalancingV2::TargetGroup', async (tg) => {
      const d = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.physicalId] }))).TargetGroups?.[0];
      checks.equal(tg.subject, 'Port', d?.Port, Number(await resolver.resolve(tg.properties.Port)), 'template');
      checks.equal(tg.subject, 'Protocol', d?.Protocol, await resolver.resolve(tg.properties.Protocol), 'template');
      checks.equal(tg.subject, 'TargetType', d?.TargetType, await templateValue(ctx, tg.properties, 'TargetType', 'instance'), 'template');
      if ('VpcId' in tg.properties) checks.equal(tg.subject, 'VpcId', d?.VpcId, await resolver.resolve(tg.properties.VpcId), 'template');
      for (const [property, field] of HEALTH_CHECK) {
        if (property in tg.properties) {
          const expected = await resolver.resolve(tg.properties[property]);
          checks.equal(tg.subject, property, d?.[field], typeof d?.[field] === 'number' ? Number(expected) : expected, 'template');
        }
      }
      if ('Matcher' in tg.properties) {
        checks.equal(
          tg.subject,
          'Matcher.HttpCode',
          d?.Matcher?.HttpCode,
          ((await resolver.resolve(tg.properties.Matcher)) as { HttpCode?: string }).HttpCode,
          'template',
        );
      }
      const attributes = keyValues(
        (await clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.physicalId }))).Attributes,
      );
      for (const [key, value] of Object.entries(keyValues(tg.properties.TargetGroupAttributes))) {
        checks.equal(tg.subject, `attribute ${key}`, attributes[key], String(await resolver.resolve(value)), 'template');
      }
    });
  },
};
