// Application load balancers, their listeners and target groups, against the template; the AZs
// the load balancer spans against profile.network.maxAzs.
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { referencedId, resourcesOfType } from '../template';
import { deployed, forEach, isProfileVpc, templateValue, type Verifier } from './context';

export const loadBalancerVerifier: Verifier = {
  name: 'load balancers',
  types: ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::TargetGroup'],
  async verify(ctx) {
    const { checks, clients, resolver } = ctx;
    // The load balancer spans every AZ of the stack's VPC, which profile.network sizes.
    const inProfileVpc = isProfileVpc(ctx, resourcesOfType(ctx.template, 'AWS::EC2::VPC')[0]?.logicalId);
    await forEach(ctx, 'AWS::ElasticLoadBalancingV2::LoadBalancer', async (lb) => {
      const d = (await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.physicalId] }))).LoadBalancers?.[0];
      checks.equal(lb.subject, 'Type', d?.Type, await templateValue(ctx, lb.properties, 'Type', 'application'), 'template');
      checks.equal(lb.subject, 'Scheme', d?.Scheme, await templateValue(ctx, lb.properties, 'Scheme', 'internet-facing'), 'template');
      checks.equal(lb.subject, 'State', d?.State?.Code, 'active', 'a deployed load balancer is active');
      const subnets = d?.AvailabilityZones?.map((z) => z.SubnetId);
      if ('Subnets' in lb.properties) checks.sameMembers(lb.subject, 'Subnets', subnets, (await resolver.resolve(lb.properties.Subnets)) as unknown[], 'template');
      if (inProfileVpc) {
        const zones = new Set(d?.AvailabilityZones?.map((z) => z.ZoneName));
        checks.equal(lb.subject, 'distinct AZs', zones.size, ctx.profile.network.maxAzs, 'profile.network.maxAzs');
      }
      if ('SecurityGroups' in lb.properties) {
        checks.sameMembers(lb.subject, 'SecurityGroups', d?.SecurityGroups, (await resolver.resolve(lb.properties.SecurityGroups)) as unknown[], 'template');
      }

      const templateListeners = deployed(ctx, 'AWS::ElasticLoadBalancingV2::Listener').filter((l) => referencedId(l.properties.LoadBalancerArn) === lb.logicalId);
      const listeners = (await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.physicalId }))).Listeners ?? [];
      checks.equal(lb.subject, 'listeners', listeners.length, templateListeners.length, 'template');
      for (const l of templateListeners) {
        const dl = listeners.find((x) => x.ListenerArn === l.physicalId);
        checks.equal(l.subject, 'Port', dl?.Port, Number(await resolver.resolve(l.properties.Port)), 'template');
        checks.equal(l.subject, 'Protocol', dl?.Protocol, await resolver.resolve(l.properties.Protocol), 'template');
        const actions = (await resolver.resolve(l.properties.DefaultActions)) as Array<{ Type: string; TargetGroupArn?: string }>;
        checks.equal(l.subject, 'DefaultActions', dl?.DefaultActions?.map((a) => ({ Type: a.Type, TargetGroupArn: a.TargetGroupArn })),
          actions.map((a) => ({ Type: a.Type, TargetGroupArn: a.TargetGroupArn })), 'template');
        if ('Certificates' in l.properties) {
          const certificates = (await resolver.resolve(l.properties.Certificates)) as Array<{ CertificateArn: string }>;
          checks.sameMembers(l.subject, 'Certificates', dl?.Certificates?.map((c) => c.CertificateArn), certificates.map((c) => c.CertificateArn), 'template');
        }
      }
    });

    await forEach(ctx, 'AWS::ElasticLoadBalancingV2::TargetGroup', async (tg) => {
      const d = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.physicalId] }))).TargetGroups?.[0];
      checks.equal(tg.subject, 'Port', d?.Port, Number(await resolver.resolve(tg.properties.Port)), 'template');
      checks.equal(tg.subject, 'Protocol', d?.Protocol, await resolver.resolve(tg.properties.Protocol), 'template');
      checks.equal(tg.subject, 'TargetType', d?.TargetType, await templateValue(ctx, tg.properties, 'TargetType', 'instance'), 'template');
      if ('VpcId' in tg.properties) checks.equal(tg.subject, 'VpcId', d?.VpcId, await resolver.resolve(tg.properties.VpcId), 'template');
      if ('HealthCheckPath' in tg.properties) checks.equal(tg.subject, 'HealthCheckPath', d?.HealthCheckPath, await resolver.resolve(tg.properties.HealthCheckPath), 'template');
    });
  },
};
