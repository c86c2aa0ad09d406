// ECS clusters, services and task definitions. The web task definition (the one a service behind a
// load balancer runs) is sized by profile.web, and its cluster's Container Insights follows
// profile.web.containerInsights; everything else (containers' environment and secrets included) is
// compared to the template.
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { referencedId } from '../template';
import { compareNamedValues, deployed, forEach, templateValue, type Verifier } from './context';

export const ecsVerifier: Verifier = {
  name: 'ECS',
  types: ['AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition'],
  async verify(ctx) {
    const { checks, clients, resolver, profile } = ctx;
    const services = deployed(ctx, 'AWS::ECS::Service');
    const webServices = services.filter((s) => Array.isArray(s.properties.LoadBalancers) && s.properties.LoadBalancers.length > 0);
    const webTaskDefinitions = new Set(webServices.map((s) => referencedId(s.properties.TaskDefinition)));
    const webClusters = new Set(webServices.map((s) => referencedId(s.properties.Cluster)));

    await forEach(ctx, 'AWS::ECS::Cluster', async (cluster) => {
      const d = (await clients.ecs.send(new DescribeClustersCommand({ clusters: [cluster.physicalId], include: ['SETTINGS'] }))).clusters?.[0];
      checks.equal(cluster.subject, 'status', d?.status, 'ACTIVE', 'a deployed cluster is active');
      const settings = (await templateValue(ctx, cluster.properties, 'ClusterSettings', [])) as Array<{ Name: string; Value: string }>;
      const insights = d?.settings?.find((x) => x.name === 'containerInsights')?.value ?? 'disabled';
      if (webClusters.has(cluster.logicalId)) {
        checks.holds(
          cluster.subject,
          'setting containerInsights',
          (insights !== 'disabled') === profile.web.containerInsights,
          insights,
          profile.web.containerInsights ? 'enabled or enhanced' : 'disabled',
          'profile.web.containerInsights',
        );
      }
      for (const s of settings) {
        checks.equal(cluster.subject, `setting ${s.Name}`, d?.settings?.find((x) => x.name === s.Name)?.value, s.Value, 'template');
      }
    });

    await forEach(ctx, 'AWS::ECS::Service', async (service) => {
      const p = service.properties;
      const cluster = String(await resolver.resolve(p.Cluster));
      const d = (await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service.physicalId] }))).services?.[0];
      checks.equal(service.subject, 'status', d?.status, 'ACTIVE', 'a deployed service is active');
      checks.equal(service.subject, 'taskDefinition', d?.taskDefinition, await resolver.resolve(p.TaskDefinition), 'template');
      if ('DesiredCount' in p)
        checks.equal(service.subject, 'desiredCount', d?.desiredCount, Number(await resolver.resolve(p.DesiredCount)), 'template');
      if ('LaunchType' in p) checks.equal(service.subject, 'launchType', d?.launchType, await resolver.resolve(p.LaunchType), 'template');
      if ('CapacityProviderStrategy' in p) {
        checks.notModelledBy(
          service.subject,
          'capacityProviderStrategy',
          "moto's ECS does not model capacity provider strategies (FARGATE / FARGATE_SPOT weights)",
        );
      }
      if ('DeploymentConfiguration' in p) {
        checks.notModelledBy(
          service.subject,
          'deploymentConfiguration',
          "moto's ECS does not model deployment configuration (minimum healthy percent, circuit breaker, alarms)",
        );
      }
      const vpcConfig = (
        (await templateValue(ctx, p, 'NetworkConfiguration', {})) as {
          AwsvpcConfiguration?: { Subnets?: string[]; SecurityGroups?: string[]; AssignPublicIp?: string };
        }
      ).AwsvpcConfiguration;
      if (vpcConfig) {
        const actual = d?.networkConfiguration?.awsvpcConfiguration;
        checks.sameMembers(service.subject, 'subnets', actual?.subnets, vpcConfig.Subnets ?? [], 'template');
        checks.sameMembers(service.subject, 'securityGroups', actual?.securityGroups, vpcConfig.SecurityGroups ?? [], 'template');
        checks.equal(service.subject, 'assignPublicIp', actual?.assignPublicIp, vpcConfig.AssignPublicIp ?? 'DISABLED', 'template');
      }
      const loadBalancers = (await templateValue(ctx, p, 'LoadBalancers', [])) as Array<{
        TargetGroupArn?: string;
        ContainerName?: string;
        ContainerPort?: number;
      }>;
      checks.sameMembers(
        service.subject,
        'loadBalancers',
        d?.loadBalancers?.map((l) => ({ targetGroupArn: l.targetGroupArn, containerName: l.containerName, containerPort: l.containerPort })),
        loadBalancers.map((l) => ({ targetGroupArn: l.TargetGroupArn, containerName: l.ContainerName, containerPort: Number(l.ContainerPort) })),
        'template',
      );
    });

    await forEach(ctx, 'AWS::ECS::TaskDefinition', async (task) => {
      const p = task.properties;
      const d = (await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task.physicalId }))).taskDefinition;
      if (webTaskDefinitions.has(task.logicalId)) {
        checks.equal(task.subject, 'cpu', d?.cpu, String(profile.web.cpu), 'profile.web.cpu');
        checks.equal(task.subject, 'memory', d?.memory, String(profile.web.memoryMiB), 'profile.web.memoryMiB');
        checks.equal(
          task.subject,
          'runtimePlatform.cpuArchitecture',
          d?.runtimePlatform?.cpuArchitecture,
          profile.web.cpuArchitecture,
          'profile.web.cpuArchitecture',
        );
      } else {
        if ('Cpu' in p) checks.equal(task.subject, 'cpu', d?.cpu, String(await resolver.resolve(p.Cpu)), 'template');
        if ('Memory' in p) checks.equal(task.subject, 'memory', d?.memory, String(await resolver.resolve(p.Memory)), 'template');
        const platform = (await templateValue(ctx, p, 'RuntimePlatform', {})) as { CpuArchitecture?: string };
        if (platform.CpuArchitecture)
          checks.equal(task.subject, 'runtimePlatform.cpuArchitecture', d?.runtimePlatform?.cpuArchitecture, platform.CpuArchitecture, 'template');
      }
      if ('NetworkMode' in p) checks.equal(task.subject, 'networkMode', d?.networkMode, await resolver.resolve(p.NetworkMode), 'template');
      if ('RequiresCompatibilities' in p)
        checks.sameMembers(
          task.subject,
          'requiresCompatibilities',
          d?.requiresCompatibilities,
          (await resolver.resolve(p.RequiresCompatibilities)) as unknown[],
          'template',
        );
      const containers = Array.isArray(p.ContainerDefinitions) ? (p.ContainerDefinitions as Array<Record<string, unknown>>) : [];
      const expected = await Promise.all(
        containers.map(async (c) => ({ name: await resolver.tryResolve(c.Name), image: await resolver.tryResolve(c.Image) })),
      );
      checks.sameMembers(
        task.subject,
        'containers (name, image)',
        d?.containerDefinitions?.map((c) => ({ name: c.name, image: c.image })),
        expected,
        'template',
      );
      for (const c of containers) {
        const name = String(await resolver.resolve(c.Name));
        const actual = d?.containerDefinitions?.find((x) => x.name === name);
        const pairs = (list: unknown, key: string) =>
          Object.fromEntries((Array.isArray(list) ? (list as Array<Record<string, unknown>>) : []).map((e) => [String(e.Name), e[key]]));
        const ports = Array.isArray(c.PortMappings) ? (c.PortMappings as Array<{ ContainerPort?: unknown }>) : [];
        checks.sameMembers(
          task.subject,
          `${name} containerPorts`,
          actual && (actual.portMappings ?? []).map((m) => m.containerPort),
          ports.map((m) => Number(m.ContainerPort)),
          'template',
        );
        await compareNamedValues(
          ctx,
          task.subject,
          `${name} environment`,
          Object.fromEntries((actual?.environment ?? []).map((e) => [e.name ?? '', e.value])),
          pairs(c.Environment, 'Value'),
        );
        await compareNamedValues(
          ctx,
          task.subject,
          `${name} secrets`,
          Object.fromEntries((actual?.secrets ?? []).map((e) => [e.name ?? '', e.valueFrom])),
          pairs(c.Secrets, 'ValueFrom'),
        );
      }
    });
  },
};
