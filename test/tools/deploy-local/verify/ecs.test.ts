import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { dev, prod } from '../../../../lib/profiles';
import type { CfnTemplate } from '../../../../tools/deploy-local/template';
import { ecsVerifier } from '../../../../tools/deploy-local/verify/ecs';
import { failures, verifyContext } from '../helpers';

const ecs = mockClient(ECSClient);
beforeEach(() => ecs.reset());

// GIVEN a web service behind a load balancer, run on Fargate capacity providers
const template: CfnTemplate = {
  Resources: {
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] } },
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Cpu: '256', Memory: '512', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'], ContainerDefinitions: [{ Name: 'Web', Image: 'public.ecr.aws/nginx/nginx:stable' }] },
    },
    Group: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup' },
    Sg: { Type: 'AWS::EC2::SecurityGroup' },
    App1: { Type: 'AWS::EC2::Subnet' },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        Cluster: { Ref: 'Cluster' }, TaskDefinition: { Ref: 'Task' }, DesiredCount: 1,
        CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
        LoadBalancers: [{ TargetGroupArn: { Ref: 'Group' }, ContainerName: 'Web', ContainerPort: 80 }],
        NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [{ Ref: 'App1' }], SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }], AssignPublicIp: 'DISABLED' } },
      },
    },
  },
};
const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const physical = { Cluster: 'S-Cluster-1', Task: taskArn, Group: 'arn:tg', Sg: 'sg-1', App1: 'subnet-app1', Service: 'arn:aws:ecs:us-east-1:123456789012:service/S-Cluster-1/web' };

function deployedAs(cpuArchitecture: 'X86_64' | 'ARM64', cpu = '256', memory = '512') {
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'S-Cluster-1', status: 'ACTIVE', settings: [{ name: 'containerInsights', value: 'enabled' }] }] });
  ecs.on(DescribeServicesCommand).resolves({
    services: [{
      status: 'ACTIVE', taskDefinition: taskArn, desiredCount: 1,
      loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'Web', containerPort: 80 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-app1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
    }],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: { cpu, memory, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], runtimePlatform: { cpuArchitecture }, containerDefinitions: [{ name: 'Web', image: 'public.ecr.aws/nginx/nginx:stable' }] },
  });
}

test('the web task definition is compared to profile.web; capacity providers are reported as not modelled', async () => {
  // GIVEN
  deployedAs('X86_64');
  const ctx = verifyContext(template, physical, { profile: dev });
  // WHEN
  await ecsVerifier.verify(ctx);
  // THEN
  expect(failures(ctx)).toEqual([]);
  expect(ctx.checks.checks.filter((c) => c.subject.logicalId === 'Task' && c.source.startsWith('profile')).map((c) => `${c.property} <- ${c.source}`))
    .toEqual(['cpu <- profile.web.cpu', 'memory <- profile.web.memoryMiB', 'runtimePlatform.cpuArchitecture <- profile.web.cpuArchitecture']);
  expect(ctx.checks.notModelled).toEqual([{ subject: { logicalId: 'Service', type: 'AWS::ECS::Service' }, property: 'capacityProviderStrategy', reason: "moto's ECS does not model capacity provider strategies (FARGATE / FARGATE_SPOT weights)" }]);
});

test('dev’s task run where prod is expected fails on size and architecture', async () => {
  deployedAs('X86_64');
  const ctx = verifyContext(template, physical, { profile: prod });
  await ecsVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Task cpu: "256" vs "1024" (profile.web.cpu)',
    'Task memory: "512" vs "2048" (profile.web.memoryMiB)',
    'Task runtimePlatform.cpuArchitecture: "X86_64" vs "ARM64" (profile.web.cpuArchitecture)',
  ]);
});

test('a service in the wrong subnets, or detached from its target group, fails against the template', async () => {
  deployedAs('X86_64');
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ status: 'ACTIVE', taskDefinition: taskArn, desiredCount: 1, loadBalancers: [], networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-public1'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' } } }],
  });
  const ctx = verifyContext(template, physical, { profile: dev });
  await ecsVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Service subnets: ["subnet-public1"] vs ["subnet-app1"] (template)',
    'Service assignPublicIp: "ENABLED" vs "DISABLED" (template)',
    'Service loadBalancers: [] vs [{"targetGroupArn":"arn:tg","containerName":"Web","containerPort":80}] (template)',
  ]);
});
