import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { dev, prod } from '../../../../lib/core/profiles';
import type { CfnTemplate } from '../../../../tools/deploy-local/template';
import { ecsVerifier } from '../../../../tools/deploy-local/verify/ecs';
import { failures, verifyContext } from '../helpers';

const ecs = mockClient(ECSClient);
beforeEach(() => ecs.reset());

// GIVEN a web service behind a load balancer, run on Fargate capacity providers, whose container gets
// the queue URL, the cache endpoint (of a placeholder: only AWS knows it) and a secret
const container = {
  Name: 'Web',
  Image: 'public.ecr.aws/nginx/nginx:stable',
  PortMappings: [{ ContainerPort: 80 }],
  Environment: [
    { Name: 'PORT', Value: '80' },
    { Name: 'JOBS_QUEUE_URL', Value: { Ref: 'Queue' } },
    { Name: 'CACHE_HOST', Value: { 'Fn::GetAtt': ['Cache', 'PrimaryEndPoint.Address'] } },
  ],
  Secrets: [{ Name: 'CACHE_AUTH_TOKEN', ValueFrom: { Ref: 'Token' } }],
};
const template: CfnTemplate = {
  Resources: {
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] } },
    Task: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Cpu: '256', Memory: '512', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'], ContainerDefinitions: [container] },
    },
    Queue: { Type: 'AWS::SQS::Queue' },
    Cache: { Type: 'AWS::ElastiCache::ReplicationGroup' },
    Token: { Type: 'AWS::SecretsManager::Secret' },
    Group: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup' },
    Sg: { Type: 'AWS::EC2::SecurityGroup' },
    App1: { Type: 'AWS::EC2::Subnet' },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        Cluster: { Ref: 'Cluster' },
        TaskDefinition: { Ref: 'Task' },
        DesiredCount: 1,
        CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
        DeploymentConfiguration: { MinimumHealthyPercent: 50 },
        LoadBalancers: [{ TargetGroupArn: { Ref: 'Group' }, ContainerName: 'Web', ContainerPort: 80 }],
        NetworkConfiguration: {
          AwsvpcConfiguration: { Subnets: [{ Ref: 'App1' }], SecurityGroups: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }], AssignPublicIp: 'DISABLED' },
        },
      },
    },
  },
};
const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/S-Queue-1';
const tokenArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:Token-AbC-xYz';
const physical = {
  Cluster: 'S-Cluster-1',
  Task: taskArn,
  Group: 'arn:tg',
  Sg: 'sg-1',
  App1: 'subnet-app1',
  Service: 'arn:aws:ecs:us-east-1:123456789012:service/S-Cluster-1/web',
  Queue: queueUrl,
  Cache: 's-cache-1',
  Token: tokenArn,
};
const placeholders = ['Cache', 'Token'];
const environment = [
  { name: 'PORT', value: '80' },
  { name: 'JOBS_QUEUE_URL', value: queueUrl },
  { name: 'CACHE_HOST', value: 'master.s-cache-1.abc123.use1.cache.amazonaws.com' },
];
const secrets = [{ name: 'CACHE_AUTH_TOKEN', valueFrom: tokenArn }];

function deployedAs(cpuArchitecture: 'X86_64' | 'ARM64', cpu = '256', memory = '512', env = environment) {
  ecs
    .on(DescribeClustersCommand)
    .resolves({ clusters: [{ clusterName: 'S-Cluster-1', status: 'ACTIVE', settings: [{ name: 'containerInsights', value: 'disabled' }] }] });
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        status: 'ACTIVE',
        taskDefinition: taskArn,
        desiredCount: 1,
        loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'Web', containerPort: 80 }],
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-app1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
      },
    ],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      cpu,
      memory,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      runtimePlatform: { cpuArchitecture },
      containerDefinitions: [
        { name: 'Web', image: 'public.ecr.aws/nginx/nginx:stable', portMappings: [{ containerPort: 80 }], environment: env, secrets },
      ],
    },
  });
}

test('the web task definition is compared to profile.web; capacity providers and deployment settings are reported as not modelled', async () => {
  // GIVEN
  deployedAs('X86_64');
  const ctx = verifyContext(template, physical, { profile: dev, placeholders });
  // WHEN
  await ecsVerifier.verify(ctx);
  // THEN
  expect(failures(ctx)).toEqual([]);
  expect(ctx.checks.checks.filter((c) => c.source.startsWith('profile')).map((c) => `${c.subject.logicalId} ${c.property} <- ${c.source}`)).toEqual([
    'Cluster setting containerInsights <- profile.web.containerInsights',
    'Task cpu <- profile.web.cpu',
    'Task memory <- profile.web.memoryMiB',
    'Task runtimePlatform.cpuArchitecture <- profile.web.cpuArchitecture',
  ]);
  expect(ctx.checks.notModelled).toEqual([
    {
      subject: { logicalId: 'Service', type: 'AWS::ECS::Service' },
      property: 'capacityProviderStrategy',
      reason: "moto's ECS does not model capacity provider strategies (FARGATE / FARGATE_SPOT weights)",
    },
    {
      subject: { logicalId: 'Service', type: 'AWS::ECS::Service' },
      property: 'deploymentConfiguration',
      reason: "moto's ECS does not model deployment configuration (minimum healthy percent, circuit breaker, alarms)",
    },
  ]);
});

test('the container’s environment and secrets: equal where the template resolves offline, present where only AWS knows the value', async () => {
  deployedAs('X86_64');
  const ctx = verifyContext(template, physical, { profile: dev, placeholders });
  await ecsVerifier.verify(ctx);
  const checks = ctx.checks.checks.filter((c) => /environment|secrets/.test(c.property)).map((c) => `${c.property} <- ${c.source}`);
  expect(checks).toEqual([
    'Web environment names <- template',
    'Web environment PORT <- template',
    'Web environment JOBS_QUEUE_URL <- template',
    'Web environment CACHE_HOST <- template (its expression needs an attribute only AWS knows)',
    'Web secrets names <- template',
    'Web secrets CACHE_AUTH_TOKEN <- template',
  ]);
});

test('a container without a variable the template gives it, or with another value, fails', async () => {
  deployedAs('X86_64', '256', '512', [
    { name: 'PORT', value: '8080' },
    { name: 'JOBS_QUEUE_URL', value: queueUrl },
  ]);
  const ctx = verifyContext(template, physical, { profile: dev, placeholders });
  await ecsVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Task Web environment names: ["JOBS_QUEUE_URL","PORT"] vs ["CACHE_HOST","JOBS_QUEUE_URL","PORT"] (template)',
    'Task Web environment PORT: "8080" vs "80" (template)',
    'Task Web environment CACHE_HOST: undefined vs "a value" (template (its expression needs an attribute only AWS knows))',
  ]);
});

test('dev’s task run where prod is expected fails on size and architecture, and its cluster on Container Insights', async () => {
  deployedAs('X86_64');
  const ctx = verifyContext(template, physical, { profile: prod, placeholders });
  await ecsVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Cluster setting containerInsights: "disabled" vs "enabled or enhanced" (profile.web.containerInsights)',
    'Task cpu: "256" vs "1024" (profile.web.cpu)',
    'Task memory: "512" vs "2048" (profile.web.memoryMiB)',
    'Task runtimePlatform.cpuArchitecture: "X86_64" vs "ARM64" (profile.web.cpuArchitecture)',
  ]);
});

test('a service in the wrong subnets, or detached from its target group, fails against the template', async () => {
  deployedAs('X86_64');
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        status: 'ACTIVE',
        taskDefinition: taskArn,
        desiredCount: 1,
        loadBalancers: [],
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-public1'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' } },
      },
    ],
  });
  const ctx = verifyContext(template, physical, { profile: dev, placeholders });
  await ecsVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Service subnets: ["subnet-public1"] vs ["subnet-app1"] (template)',
    'Service assignPublicIp: "ENABLED" vs "DISABLED" (template)',
    'Service loadBalancers: [] vs [{"targetGroupArn":"arn:tg","containerName":"Web","containerPort":80}] (template)',
  ]);
});
