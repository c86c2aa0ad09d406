import { App, type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { APP_ENVIRONMENT, DEFAULT_IMAGE, dev, prod, profiles, WebService, webServicePropsFor, type ScalingStack, type WebProfile } from '../../lib';
import { CREDENTIAL_NAME } from '../../lib/core/web';
import { nagFindings, scalingStack, testApp, userStack } from '../helpers/app';

const image = ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE);

/** Every resource of `type` in `template`, by logical ID. */
const resources = (template: Template, type: string) => template.findResources(type);
const onlyResource = (template: Template, type: string) => {
  const found = Object.values(resources(template, type));
  expect(found).toHaveLength(1);
  return found[0];
};

/** The security group (logical ID) the ALB uses, and the one the tasks use. */
function securityGroups(template: Template): { alb: string; service: string } {
  const lb = onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  const service = onlyResource(template, 'AWS::ECS::Service');
  return {
    alb: lb.Properties.SecurityGroups[0]['Fn::GetAtt'][0],
    service: service.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups[0]['Fn::GetAtt'][0],
  };
}

// One synthesis per case, shared by the tests of this file.
const devStack = scalingStack({ profile: 'dev' });
const prodStack = scalingStack({ profile: 'prod' });
const composed: Record<'dev' | 'prod', { stack: ScalingStack; template: Template }> = {
  dev: { stack: devStack, template: Template.fromStack(devStack) },
  prod: { stack: prodStack, template: Template.fromStack(prodStack) },
};

describe.each(['dev', 'prod'] as const)('WebService in ScalingStack (%s)', (name) => {
  const { stack, template } = composed[name];
  const profile = stack.profile;

  test("tasks have the profile's size and architecture, on its capacity providers", () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: String(profile.web.cpu),
      Memory: String(profile.web.memoryMiB),
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: profile.web.cpuArchitecture, OperatingSystemFamily: 'LINUX' },
    });
    const expected =
      name === 'dev'
        ? // X86_64 on Spot only: the cheapest working task.
          [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }]
        : // ARM64 on demand only: Spot has no ARM64 capacity.
          [{ CapacityProvider: 'FARGATE', Weight: 1 }];
    expect(onlyResource(template, 'AWS::ECS::Service').Properties.CapacityProviderStrategy).toEqual(expected);
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']),
    });
  });

  test("the task range is the profile's, and no desired count resets it on deploy", () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: profile.web.minTasks,
      MaxCapacity: profile.web.maxTasks,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    expect(onlyResource(template, 'AWS::ECS::Service').Properties.DesiredCount).toBeUndefined();
  });

  test('deployments roll back on the circuit breaker and on the 5xx-rate and p99 alarms', () => {
    const errorRate = stack.resolve(stack.web.deploymentAlarms.errorRate.alarmName);
    const latency = stack.resolve(stack.web.deploymentAlarms.p99Latency.alarmName);
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        // First the WebService's own; a canary or linear profile adds the alternate target group's
        // and the SLO fast burns (test/web-service/deployment.test.ts).
        Alarms: { AlarmNames: Match.arrayWith([errorRate, latency]), Enable: true, Rollback: true },
        MinimumHealthyPercent: profile.web.minHealthyPercent,
        MaximumPercent: 200,
      },
      HealthCheckGracePeriodSeconds: 60,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          Expression: 'IF(requests >= 20, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)',
        }),
      ]),
      // In ScalingStack, Monitoring gives the deployment alarms the profile's monitoring thresholds.
      Threshold: profile.monitoring.web.errorRatePercent,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      Namespace: 'AWS/ApplicationELB',
      ExtendedStatistic: 'p99',
      Threshold: profile.monitoring.web.p99LatencyMs / 1000,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  test('three target-tracking policies with targets from the profile, quick out and slow in', () => {
    // 20-second CPU and memory where the profile publishes them (test/web-service/scaling.test.ts).
    const hr = (metric: string) => (profile.web.highResolutionMetrics.length > 0 ? `${metric}HighResolution` : metric);
    for (const [metric, target] of [
      [hr('ECSServiceAverageCPUUtilization'), profile.web.cpuTargetPercent],
      [hr('ECSServiceAverageMemoryUtilization'), profile.web.memoryTargetPercent],
      ['ALBRequestCountPerTarget', profile.web.requestsPerTarget],
    ] as const) {
      // Requests per task over both target groups when the profile deploys through two
      // (metric math, test/web-service/live-traffic.test.ts).
      const twoGroups = metric === 'ALBRequestCountPerTarget' && profile.web.delivery.deploymentStrategy !== 'rolling';
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          ...(twoGroups
            ? { CustomizedMetricSpecification: Match.objectLike({ Metrics: Match.anyValue() }) }
            : { PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: metric }) }),
          TargetValue: target,
          ScaleOutCooldown: 60,
          ScaleInCooldown: 300,
        },
      });
    }
    expect(
      Object.keys(
        template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', {
          Properties: { PolicyType: 'TargetTrackingScaling' },
        }),
      ),
    ).toHaveLength(3);
  });

  test('a step policy adds tasks after one minute of p99 latency above 1 s, and never removes any', () => {
    const steps = template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'StepScaling' } });
    expect(Object.values(steps)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          StepScalingPolicyConfiguration: {
            AdjustmentType: 'PercentChangeInCapacity',
            MinAdjustmentMagnitude: 1,
            Cooldown: 60,
            MetricAggregationType: 'Maximum',
            StepAdjustments: [
              { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 1, ScalingAdjustment: 25 },
              { MetricIntervalLowerBound: 1, ScalingAdjustment: 50 },
            ],
          },
        }),
      }),
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Period: 60,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Object.keys(steps)[0] }],
    });
    // No scale-in half: target tracking alone removes tasks.
    expect(Object.keys(resources(template, 'AWS::CloudWatch::Alarm')).some((id) => id.includes('LowerAlarm'))).toBe(false);
  });

  test('the load balancer is internal (CloudFront reaches it through a VPC origin) and hardened, with deletion protection from the profile', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Type: 'application',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: String(profile.web.deletionProtection) },
        { Key: 'routing.http2.enabled', Value: 'true' },
        { Key: 'idle_timeout.timeout_seconds', Value: '60' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('^WebAccessLogs') } },
      ]),
    });
    expect(onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties.Subnets).toHaveLength(profile.network.maxAzs);
  });

  test('access logs go to an encrypted, TLS-only, private bucket that expires them after the log retention', () => {
    const days = Number(profile.observability.logRetentionDays);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: {
        Rules: [{ Id: 'ExpireLogs', Status: 'Enabled', ExpirationInDays: days, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^WebServerAccessLogs') } },
    });
    // The web service's two buckets; the edge's access logs have their own (test/edge).
    const policies = Object.values(resources(template, 'AWS::S3::BucketPolicy')).filter(
      (policy) =>
        JSON.stringify(policy.Properties.Bucket).includes('"WebAccessLogs') ||
        JSON.stringify(policy.Properties.Bucket).includes('"WebServerAccessLogs'),
    );
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  test('the ALB takes port 80 from CloudFront only and reaches only the tasks; the tasks take traffic only from the ALB', () => {
    const groups = securityGroups(template);
    const alb = template.toJSON().Resources[groups.alb];
    // CloudFront's origin-facing prefix list (the VPC origin's addresses), never the internet.
    expect(alb.Properties.SecurityGroupIngress).toBeUndefined();
    const albIngress = Object.values(resources(template, 'AWS::EC2::SecurityGroupIngress')).filter((rule) =>
      JSON.stringify(rule.Properties.GroupId).includes(groups.alb),
    );
    // A profile with the deployment smoke test also admits its function on the test port (8080):
    // test/web-service/deployment.test.ts. Port 80 is CloudFront's alone.
    expect(albIngress.filter((rule) => !JSON.stringify(rule.Properties.SourceSecurityGroupId ?? '').includes('SmokeTest'))).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({ SourcePrefixListId: expect.anything(), IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }),
      }),
    ]);
    // Other constructs in the stack add their own rules; these are the ALB's.
    const egress = Object.values(resources(template, 'AWS::EC2::SecurityGroupEgress')).filter((rule) =>
      JSON.stringify(rule.Properties.GroupId).includes(groups.alb),
    );
    expect(egress).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          GroupId: { 'Fn::GetAtt': [groups.alb, 'GroupId'] },
          DestinationSecurityGroupId: { 'Fn::GetAtt': [groups.service, 'GroupId'] },
          FromPort: 8080,
          ToPort: 8080,
        }),
      }),
    ]);
    const service = template.toJSON().Resources[groups.service];
    expect(service.Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(resources(template, 'AWS::EC2::SecurityGroupIngress')).filter((rule) =>
      JSON.stringify(rule.Properties.GroupId).includes(groups.service),
    );
    expect(ingress).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          SourceSecurityGroupId: { 'Fn::GetAtt': [groups.alb, 'GroupId'] },
          FromPort: 8080,
          ToPort: 8080,
          IpProtocol: 'tcp',
        }),
      }),
    ]);
  });

  test('without a certificate there is one HTTP listener forwarding to the tasks; viewers use the edge over HTTPS', () => {
    // Besides a profile's test listener (port 8080, the smoke test's only: deployment.test.ts).
    const listeners = Object.values(resources(template, 'AWS::ElasticLoadBalancingV2::Listener'));
    expect(listeners.filter((l) => l.Properties.Port !== 8080)).toHaveLength(1);
    expect(listeners).toHaveLength(profile.web.delivery.smokeTest ? 2 : 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    template.hasOutput('WebUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }]] } });
  });

  test('the target group rotates fast: 5 s checks, healthy after 2, 30 s drain, 30 s slow start (weighted random in prod)', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: 8080,
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 4,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 6,
      Matcher: { HttpCode: '200-399' },
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        profile.web.anomalyMitigation
          ? { Key: 'load_balancing.algorithm.type', Value: 'weighted_random' }
          : { Key: 'slow_start.duration_seconds', Value: '30' },
      ]),
    });
  });

  test("tasks run in private subnets without public IPs, read-only, logging with the profile's retention", () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('AppSubnet') }]) },
      },
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      // (with tracing, the trace collector runs beside it: test/scaling-stack-tracing.test.ts)
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Image: DEFAULT_IMAGE,
          PortMappings: [{ ContainerPort: 8080, Name: 'http', Protocol: 'tcp' }],
          ReadonlyRootFilesystem: true,
          LinuxParameters: Match.objectLike({
            InitProcessEnabled: true,
            Tmpfs: [{ ContainerPath: '/tmp', Size: 64, MountOptions: ['noexec', 'nosuid', 'nodev'] }],
          }),
          LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ mode: 'non-blocking', 'awslogs-stream-prefix': 'web' }) },
        }),
      ]),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Number(profile.observability.logRetentionDays) });
    // Container Insights as the profile says (off in dev, to save its custom-metric bill).
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: profile.web.containerInsights ? 'enabled' : 'disabled' }],
    });
  });

  test('no credential reaches the container as a plain environment value', () => {
    const definitions = onlyResource(template, 'AWS::ECS::TaskDefinition').Properties.ContainerDefinitions;
    const names: string[] = definitions.flatMap((d: { Environment?: { Name: string }[] }) => (d.Environment ?? []).map((e) => e.Name));
    expect(names).toContain('PORT');
    // The stack adds the APP_ENVIRONMENT endpoints; none of its credentials, nothing credential-like.
    for (const name of names) {
      expect(name).not.toMatch(CREDENTIAL_NAME);
      expect([APP_ENVIRONMENT.databaseUser, APP_ENVIRONMENT.databasePassword, APP_ENVIRONMENT.cacheAuthToken]).not.toContain(name);
    }
  });
});

describe('webServicePropsFor', () => {
  test.each(['dev', 'staging', 'prod'] as const)("maps every field of %s's web section, and its log retention", (name) => {
    const profile = profiles[name];
    const t = profile.observability.tracing;
    const { samplingRate, reservoirPerSecond, collectorCpu, collectorMemoryMiB } = t;
    const tracing = { samplingRate, reservoirPerSecond, collectorCpu, collectorMemoryMiB, resourceAttributes: { 'deployment.environment': name } };
    // web.delivery arrives flat: the construct's props carry the same names.
    const { delivery, ...web } = profile.web;
    expect(webServicePropsFor(name)).toStrictEqual({
      ...web,
      ...delivery,
      logRetention: profile.observability.logRetentionDays,
      // observability.tracing, when on (staging, prod)
      ...(t.enabled ? { tracing } : {}),
    });
  });

  test('passes WebService props only: a field a profile value carries beyond its type stays behind', () => {
    // GIVEN a profile value built in JavaScript, with a field WebProfile does not have
    const web = { ...dev.web, desiredCount: 5 } as WebProfile;
    // WHEN
    const props = webServicePropsFor({ ...dev, web });
    // THEN
    expect(props).not.toHaveProperty('desiredCount');
    expect(Object.keys(props).sort()).toEqual(
      [...Object.keys(dev.web).filter((k) => k !== 'delivery'), ...Object.keys(dev.web.delivery), 'logRetention'].sort(),
    );
  });
});

describe("WebService alone, in a user's stack and VPC", () => {
  // GIVEN a user's stack with their own VPC
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'TheirVpc', { maxAzs: 2, natGateways: 1 });
  const dbSecret = new secretsmanager.Secret(stack, 'DbSecret');
  // WHEN
  const web = new WebService(stack, 'Web', {
    vpc,
    image,
    environment: { DB_HOST: 'db.internal', PORT: '9000' },
    secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(dbSecret, 'password') },
  });
  const template = Template.fromStack(stack);

  test("is small by default: one 0.25 vCPU / 0.5 GiB task on Fargate Spot, up to two, in the user's VPC", () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256',
      Memory: '512',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 2 });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Subnets: [{ Ref: Match.stringLikeRegexp('^TheirVpcPublicSubnet1') }, { Ref: Match.stringLikeRegexp('^TheirVpcPublicSubnet2') }],
    });
    expect(web.minTasks).toBe(1);
    expect(web.maxTasks).toBe(2);
    expect(web.containerPort).toBe(8080);
    // Spot only: the cheapest capacity; on-demand capacity is opt-in.
    expect(onlyResource(template, 'AWS::ECS::Service').Properties.CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
    ]);
  });

  test('the rest of the defaults: scaling targets, deployment floor, logs kept a week, no predictive or scheduled scaling', () => {
    for (const [metric, target] of [
      ['ECSServiceAverageCPUUtilization', 75],
      ['ECSServiceAverageMemoryUtilization', 80],
      ['ALBRequestCountPerTarget', 1125],
    ] as const) {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: metric }),
          TargetValue: target,
        }),
      });
    }
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 50, MaximumPercent: 200 }),
    });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] } });
    expect(
      Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'PredictiveScaling' } })),
    ).toEqual([]);
    expect(onlyResource(template, 'AWS::ApplicationAutoScaling::ScalableTarget').Properties.ScheduledActions).toBeUndefined();
  });

  test('nothing is lost by accident: logs outlive the stack; the load balancer, which holds no data, has no deletion protection', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]),
    });
    const logStores = [...Object.values(resources(template, 'AWS::S3::Bucket')), ...Object.values(resources(template, 'AWS::Logs::LogGroup'))];
    expect(logStores).toHaveLength(3);
    for (const store of logStores) expect(store).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test("the caller's environment is merged over the service's own, and credentials are ECS secrets", () => {
    const container = new Capture();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [container] });
    expect(container.asObject().Environment).toEqual([
      { Name: 'PORT', Value: '9000' },
      { Name: 'DB_HOST', Value: 'db.internal' },
    ]);
    expect(container.asObject().Secrets).toEqual([
      {
        Name: 'DB_PASSWORD',
        ValueFrom: { 'Fn::Join': ['', [{ Ref: expect.stringMatching(/^DbSecret/) }, ':password::']] },
      },
    ]);
    // Only the execution role reads the secret, and only that secret.
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^WebTaskDefinitionExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            Resource: { Ref: Match.stringLikeRegexp('^DbSecret') },
          }),
        ]),
      },
    });
  });

  test("it is connectable and grantable through the tasks' security group and role", () => {
    expect(web.connections).toBe(web.service.connections);
    expect(stack.resolve(web.connections.securityGroups.map((group) => group.securityGroupId))).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^WebSecurityGroup/), 'GroupId'] },
    ]);
    expect(web.grantPrincipal).toBe(web.taskDefinition.taskRole);
  });

  test('the access-log bucket policy works without a known region: the ELB account is picked at deploy time', () => {
    expect(template.toJSON().Mappings.ElbLogDeliveryAccounts['us-east-1']).toEqual({ account: '127311923021' });
    expect(template.toJSON().Mappings.ElbLogDeliveryAccounts['ap-southeast-5']).toEqual({ account: 'none' });
    template.hasCondition('ElbLogDeliveryHasAccount', {
      'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::FindInMap': ['ElbLogDeliveryAccounts', { Ref: 'AWS::Region' }, 'account'] }, 'none'] }],
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AlbAccessLogDelivery',
            Action: 's3:PutObject',
            Principal: {
              AWS: { 'Fn::If': ['ElbLogDeliveryHasAccount', Match.anyValue(), Match.anyValue()] },
              Service: 'logdelivery.elasticloadbalancing.amazonaws.com',
            },
          }),
        ]),
      },
    });
    // The ALB checks the policy when logging is switched on.
    expect(onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^WebAccessLogsPolicy/)]),
    );
  });

  test("the service waits for the cluster's capacity providers", () => {
    const association = Object.keys(resources(template, 'AWS::ECS::ClusterCapacityProviderAssociations'))[0];
    expect(onlyResource(template, 'AWS::ECS::Service').DependsOn).toContain(association);
  });

  test("metric helpers name the service's own dimensions, one-minute periods, sensible statistics", () => {
    const cases = [
      [web.metricRequestCount(), 'AWS/ApplicationELB', 'RequestCount', 'Sum', ['LoadBalancer']],
      [web.metricTargetResponseTime(), 'AWS/ApplicationELB', 'TargetResponseTime', 'p99', ['LoadBalancer', 'TargetGroup']],
      [web.metricTargetResponseTime({ statistic: 'p50' }), 'AWS/ApplicationELB', 'TargetResponseTime', 'p50', ['LoadBalancer', 'TargetGroup']],
      [web.metricElb5xxCount(), 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', 'Sum', ['LoadBalancer']],
      [web.metricTarget5xxCount(), 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'Sum', ['LoadBalancer', 'TargetGroup']],
      [web.metricCpuUtilization(), 'AWS/ECS', 'CPUUtilization', 'Average', ['ClusterName', 'ServiceName']],
      [web.metricMemoryUtilization(), 'AWS/ECS', 'MemoryUtilization', 'Average', ['ClusterName', 'ServiceName']],
      [web.metricRunningTaskCount(), 'ECS/ContainerInsights', 'RunningTaskCount', 'Average', ['ClusterName', 'ServiceName']],
      [web.metricUnhealthyHostCount(), 'AWS/ApplicationELB', 'UnHealthyHostCount', 'Maximum', ['LoadBalancer', 'TargetGroup']],
      [web.metricHealthyHostCount(), 'AWS/ApplicationELB', 'HealthyHostCount', 'Minimum', ['LoadBalancer', 'TargetGroup']],
      [web.metricRejectedConnectionCount(), 'AWS/ApplicationELB', 'RejectedConnectionCount', 'Sum', ['LoadBalancer']],
    ] as const;
    for (const [m, namespace, metricName, statistic, dimensions] of cases) {
      // One target group (rolling): every helper is a plain metric.
      expect(m).toBeInstanceOf(cloudwatch.Metric);
      const metric = m as cloudwatch.Metric;
      expect({ namespace: metric.namespace, metricName: metric.metricName, statistic: metric.statistic, period: metric.period.toSeconds() }).toEqual({
        namespace,
        metricName,
        statistic,
        period: 60,
      });
      expect(Object.keys(metric.dimensions ?? {}).sort()).toEqual([...dimensions].sort());
    }
    expect(stack.resolve(web.metricCpuUtilization().dimensions)).toEqual({
      ClusterName: { Ref: expect.stringMatching(/^WebCluster/) },
      ServiceName: { 'Fn::GetAtt': [expect.stringMatching(/^WebService/), 'Name'] },
    });
  });

  test('the 5xx rate is a percentage of requests, judged only above 20 requests a minute', () => {
    const rate = web.metric5xxRate({ period: Duration.minutes(5) });
    expect(rate.expression).toBe('IF(requests >= 100, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)');
    expect(Object.keys(rate.usingMetrics).sort()).toEqual(['elb5xx', 'requests', 'target5xx']);
    expect(rate.period.toMinutes()).toBe(5);
  });

  test("no open cdk-nag finding on the web service (the user's own VPC is theirs to judge)", () => {
    expect(nagFindings(stack).filter((finding) => finding.includes('/Web/'))).toEqual([]);
  });
});

describe('WebService with a domain, a hosted zone and a known region', () => {
  // GIVEN
  const stack = new Stack(testApp(), 'HttpsStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  // WHEN
  const web = new WebService(stack, 'Web', { vpc, image, domainName: 'app.example.com', hostedZone: zone });
  const template = Template.fromStack(stack);

  test('serves HTTPS with a current TLS policy and redirects HTTP to it', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^WebCertificate') } }],
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    expect(web.url).toBe('https://app.example.com');
  });

  test('the ALB takes 80 and 443 from the internet', () => {
    const alb = template.toJSON().Resources[securityGroups(template).alb];
    expect(alb.Properties.SecurityGroupIngress.map((rule: { CidrIp: string; FromPort: number }) => [rule.CidrIp, rule.FromPort]).sort()).toEqual([
      ['0.0.0.0/0', 443],
      ['0.0.0.0/0', 80],
    ]);
  });

  test('a DNS-validated certificate is issued for the domain and an alias record points at the ALB', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'app.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'app.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'app.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
  });

  test("in a known region the access logs are granted to that region's ELB account, no map needed", () => {
    expect(template.toJSON().Mappings).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AlbAccessLogDelivery',
            Principal: {
              AWS: 'arn:aws:iam::156460612806:root',
              Service: 'logdelivery.elasticloadbalancing.amazonaws.com',
            },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAccessLogs'), 'Arn'] }, '/alb/AWSLogs/123456789012/*']] },
          }),
        ]),
      },
    });
  });
});

describe('WebService options', () => {
  // GIVEN one stack holding a variant of the service each, synthesized once
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const certificate = acm.Certificate.fromCertificateArn(
    stack,
    'Imported',
    'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  );
  // WHEN
  const withCertificate = new WebService(stack, 'WithCertificate', { vpc, image, certificate, domainName: 'app.example.org' });
  const predictive = new WebService(stack, 'Predictive', {
    ...prod.web,
    vpc,
    image,
    predictiveScaling: 'ForecastAndScale',
    scaleSchedule: [
      { name: 'NightsOff', schedule: 'cron(0 20 ? * MON-FRI *)', timeZone: 'Europe/Berlin', minTasks: 0, maxTasks: 0 },
      { name: 'Mornings', schedule: 'cron(0 8 ? * MON-FRI *)', timeZone: 'Europe/Berlin', minTasks: 3, maxTasks: 30 },
    ],
  });
  new WebService(stack, 'Writable', {
    vpc,
    image,
    readonlyRootFilesystem: false,
    slowStart: Duration.seconds(0),
    containerPort: 3000,
    healthCheck: { path: '/healthz', interval: undefined },
  });
  const noInsights = new WebService(stack, 'NoInsights', { vpc, image, containerInsights: false });
  const template = Template.fromStack(stack);
  const byPrefix = (type: string, prefix: string) =>
    Object.entries(resources(template, type))
      .filter(([id]) => id.startsWith(prefix))
      .map(([, r]) => r);

  test('Container Insights can be turned off; the running-task metric then says what to use instead', () => {
    expect(noInsights.containerInsights).toBe(false);
    expect(byPrefix('AWS::ECS::Cluster', 'NoInsights')[0].Properties.ClusterSettings).toEqual([{ Name: 'containerInsights', Value: 'disabled' }]);
    expect(() => noInsights.metricRunningTaskCount()).toThrow(
      'UserStack/NoInsights: metricRunningTaskCount() reads Container Insights, which containerInsights: false turned off; turn it on, or count healthy targets with metricHealthyHostCount()',
    );
  });

  test('an imported certificate serves HTTPS on the given domain without a zone or a new certificate', () => {
    expect(withCertificate.certificate).toBe(certificate);
    expect(withCertificate.url).toBe('https://app.example.org');
    expect(withCertificate.listener.node.id).toBe('Https');
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(byPrefix('AWS::ElasticLoadBalancingV2::Listener', 'WithCertificateLoadBalancerHttps')[0].Properties.Certificates).toEqual([
      { CertificateArn: certificate.certificateArn },
    ]);
  });

  test('predictive and scheduled scaling add the L1 predictive policy and the scheduled actions', () => {
    const target = stack.resolve((predictive.scaling.node.findChild('Target').node.defaultChild as CfnResource).ref);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'PredictiveScaling',
      ScalingTargetId: target,
      PredictiveScalingPolicyConfiguration: {
        Mode: 'ForecastAndScale',
        SchedulingBufferTime: 300,
        MaxCapacityBreachBehavior: 'HonorMaxCapacity',
        MetricSpecifications: [{ TargetValue: 60, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ECSServiceCPUUtilization' } }],
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 3,
      MaxCapacity: 30,
      ScheduledActions: [
        {
          ScheduledActionName: 'NightsOff',
          Schedule: 'cron(0 20 ? * MON-FRI *)',
          Timezone: 'Europe/Berlin',
          ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 0 },
        },
        {
          ScheduledActionName: 'Mornings',
          Schedule: 'cron(0 8 ? * MON-FRI *)',
          Timezone: 'Europe/Berlin',
          ScalableTargetAction: { MinCapacity: 3, MaxCapacity: 30 },
        },
      ],
    });
    // Off by default: the other variants have none.
    expect(
      Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'PredictiveScaling' } })),
    ).toHaveLength(1);
  });

  test("a writable root filesystem needs no tmpfs; slow start 0 turns slow start off; port and health path are the app's", () => {
    const [definition] = byPrefix('AWS::ECS::TaskDefinition', 'WritableTaskDefinition');
    expect(definition.Properties.ContainerDefinitions[0]).toMatchObject({
      ReadonlyRootFilesystem: false,
      LinuxParameters: { InitProcessEnabled: true },
      Environment: [{ Name: 'PORT', Value: '3000' }],
      PortMappings: [{ ContainerPort: 3000, Name: 'http', Protocol: 'tcp' }],
    });
    expect(definition.Properties.ContainerDefinitions[0].LinuxParameters.Tmpfs).toBeUndefined();
    const [targetGroup] = byPrefix('AWS::ElasticLoadBalancingV2::TargetGroup', 'WritableTargetGroup');
    expect(targetGroup.Properties).toMatchObject({ Port: 3000, HealthCheckPath: '/healthz', HealthCheckIntervalSeconds: 5 });
    expect(targetGroup.Properties.TargetGroupAttributes).not.toContainEqual(expect.objectContaining({ Key: 'slow_start.duration_seconds' }));
  });
});

describe('WebService in an app without the cdk.json feature flags', () => {
  test('synthesizes with the same log-bucket settings: nothing depends on the flags', () => {
    // GIVEN a plain App, as a user's project without our cdk.json has
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Plain');
    // WHEN
    new WebService(stack, 'Web', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }), image });
    // THEN
    const template = Template.fromStack(stack);
    for (const bucket of Object.values(resources(template, 'AWS::S3::Bucket'))) {
      expect(bucket.Properties.AccessControl).toBeUndefined();
      expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'S3ServerAccessLogDelivery',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAccessLogs'), 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
  });
});

describe('WebService with an internal load balancer (internetFacing: false)', () => {
  // GIVEN a user's VPC, and a WebService that something in the VPC (an Edge) will front
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'TheirVpc', { maxAzs: 2, natGateways: 1 });
  // WHEN
  new WebService(stack, 'Web', { vpc, image, internetFacing: false });
  const template = Template.fromStack(stack);

  test('the load balancer is internal, in the private subnets, and admits nobody until a peer is allowed', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Subnets: [{ Ref: Match.stringLikeRegexp('^TheirVpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('^TheirVpcPrivateSubnet2') }],
    });
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup'));
    for (const group of groups) expect(group.Properties.SecurityGroupIngress ?? []).toEqual([]);
  });

  test('acknowledges no EC23 finding, having no world-open port to explain', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('AwsSolutions-EC23');
    expect(nagFindings(stack).filter((f) => f.startsWith('AwsSolutions-EC23'))).toEqual([]);
  });
});
