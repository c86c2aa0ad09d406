import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DEFAULT_IMAGE, profiles, WebService, type ProfileName } from '../../lib';
import { TEST_LISTENER_PORT } from '../../lib/core/web-delivery';
import { nagFindings, scalingStack, userStack } from '../helpers/app';

// Progressive delivery per profile: strategy, traffic shares, bake times, the alarms that roll
// back, the smoke-test hook's wiring and permissions, and the test listener's reach.

const image = ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE);
const stacks = Object.fromEntries((['dev', 'staging', 'prod'] as const).map((name) => [name, scalingStack({ profile: name })])) as Record<
  ProfileName,
  ReturnType<typeof scalingStack>
>;
const templates = Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, Template.fromStack(stack)])) as Record<
  ProfileName,
  Template
>;

const only = (template: Template, type: string) => {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return { id: found[0][0], resource: found[0][1] };
};
const service = (template: Template) => only(template, 'AWS::ECS::Service').resource.Properties;
/** The logical ID a `{ Ref }` or `{ Fn::GetAtt }` points at. */
const refId = (value: { Ref?: string; 'Fn::GetAtt'?: [string, string] }) => value.Ref ?? value['Fn::GetAtt']?.[0];

describe('deployment strategy per profile', () => {
  test('dev deploys by rolling replacement: no strategy block, no second target group, no hook', () => {
    const t = templates.dev;
    const config = service(t).DeploymentConfiguration;
    expect(config.Strategy).toBeUndefined();
    expect(config.CanaryConfiguration).toBeUndefined();
    expect(config.LifecycleHooks).toBeUndefined();
    expect(config.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    const alarmIds = config.Alarms.AlarmNames.map(refId).map((id: string) => id.replace(/[0-9A-F]{8}$/, ''));
    const burn = profiles.dev.monitoring.sloBurnRateAlarms
      ? ['MonitoringWebAvailabilitySloFastShortAlarm', 'MonitoringWebLatencySloFastShortAlarm']
      : [];
    expect(alarmIds).toEqual(['WebErrorRateAlarm', 'WebLatencyAlarm', ...burn]);
    expect(Object.keys(t.findResources('AWS::Lambda::Function')).some((id) => id.includes('SmokeTest'))).toBe(false);
  });

  test("prod deploys by canary: the profile's share first, the rest after its bake time, then the old revision kept", () => {
    const d = profiles.prod.web.delivery;
    expect(service(templates.prod).DeploymentConfiguration).toMatchObject({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: d.trafficShiftPercent, CanaryBakeTimeInMinutes: d.trafficShiftBakeMinutes },
      BakeTimeInMinutes: d.deploymentBakeMinutes,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
    expect(d).toMatchObject({ trafficShiftPercent: 10, trafficShiftBakeMinutes: 10, deploymentBakeMinutes: 10, smokeTest: true });
  });

  test("staging deploys linearly in the profile's steps", () => {
    const d = profiles.staging.web.delivery;
    expect(service(templates.staging).DeploymentConfiguration).toMatchObject({
      Strategy: 'LINEAR',
      LinearConfiguration: { StepPercent: d.trafficShiftPercent, StepBakeTimeInMinutes: d.trafficShiftBakeMinutes },
      BakeTimeInMinutes: d.deploymentBakeMinutes,
    });
  });
});

describe.each(['staging', 'prod'] as const)('progressive delivery in %s', (name) => {
  const t = templates[name];

  test('the service names an alternate target group, the production and test listener rules, and the deployment role', () => {
    const [lb] = service(t).LoadBalancers;
    const advanced = lb.AdvancedConfiguration;
    expect(refId(lb.TargetGroupArn)).toMatch(/^WebTargetGroup/);
    expect(refId(advanced.AlternateTargetGroupArn)).toMatch(/^WebAlternateTargetGroup/);
    expect(refId(advanced.ProductionListenerRule)).toMatch(/^WebProductionRule/);
    expect(refId(advanced.TestListenerRule)).toMatch(/^WebTestRule/);
    expect(refId(advanced.RoleArn)).toMatch(/^WebDeploymentRole/);
  });

  test('the alternate target group is identical to the primary (ECS serves every other revision from it)', () => {
    const groups = Object.entries(t.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
    expect(groups).toHaveLength(2);
    const [a, b] = groups.map(([, g]) => g.Properties);
    expect(a).toEqual(b);
  });

  test('both listener rules match every path and start at 100/0 on the primary', () => {
    const rules = Object.entries(t.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
    expect(rules.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['WebProductionRule', 'WebTestRule']);
    for (const [, rule] of rules) {
      // Tagged by aws-cdk-lib; cfn-lint 1.51's schema does not know rule tags yet (E3002).
      expect(rule.Metadata['cfn-lint']).toEqual({ config: { ignore_checks: ['E3002'] } });
      expect(rule.Properties.Priority).toBe(1);
      expect(rule.Properties.Conditions).toEqual([{ Field: 'path-pattern', PathPatternConfig: { Values: ['*'] } }]);
      const weights = rule.Properties.Actions[0].ForwardConfig.TargetGroups.map((g: { TargetGroupArn: { Ref: string }; Weight: number }) => [
        g.TargetGroupArn.Ref.replace(/[0-9A-F]{8}$/, ''),
        g.Weight,
      ]);
      expect(weights).toEqual([
        ['WebTargetGroup', 100],
        ['WebAlternateTargetGroup', 0],
      ]);
    }
  });

  test('the infrastructure role can be assumed by ECS only and carries the load-balancer policy alone', () => {
    const roleId = refId(service(t).LoadBalancers[0].AdvancedConfiguration.RoleArn)!;
    const role = t.findResources('AWS::IAM::Role')[roleId].Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' } },
    ]);
    expect(role.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers']] },
    ]);
    expect(role.Policies).toBeUndefined();
    const attached = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
    );
    expect(attached).toEqual([]);
  });

  test('every deployment alarm rolls back: 5xx rate and p99 latency on both target groups, and the SLO fast burns', () => {
    const alarms = service(t).DeploymentConfiguration.Alarms;
    expect(alarms).toMatchObject({ Enable: true, Rollback: true });
    const ids = alarms.AlarmNames.map(refId).map((id: string) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(ids).toEqual(
      expect.arrayContaining([
        'WebErrorRateAlarm',
        'WebLatencyAlarm',
        'WebAlternateErrorRateAlarm',
        'WebAlternateLatencyAlarm',
        'MonitoringWebAvailabilitySloFastShortAlarm',
        'MonitoringWebLatencySloFastShortAlarm',
      ]),
    );
    expect(ids).toHaveLength(6);
  });

  test("the alternate target group's alarms use the primary's (profile) thresholds", () => {
    const m = profiles[name].monitoring.web;
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: m.errorRatePercent,
      DatapointsToAlarm: 2,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('target5xx') })]),
      AlarmDescription: Match.stringLikeRegexp('alternate target group'),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: m.p99LatencyMs / 1000,
      ExtendedStatistic: 'p99',
      AlarmDescription: Match.stringLikeRegexp('alternate target group'),
    });
  });

  test('the alternate target group serves production every other release: its alarms notify the monitoring topic', () => {
    const alternate = Object.entries(t.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith('WebAlternate'));
    expect(alternate).toHaveLength(2);
    for (const [, alarm] of alternate) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringTopic/) }]);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
  });

  test('the smoke-test hook runs after test traffic shifts, invoked by a role that may call that function only', () => {
    const [hook] = service(t).DeploymentConfiguration.LifecycleHooks;
    expect(hook.LifecycleStages).toEqual(['POST_TEST_TRAFFIC_SHIFT']);
    const fn = refId(hook.HookTargetArn);
    expect(fn).toMatch(/^WebSmokeTest/);
    const roleId = refId(hook.RoleArn);
    const role = t.findResources('AWS::IAM::Role')[roleId!];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' } },
    ]);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [fn, 'Arn'] } }] },
    });
  });

  test('the smoke test requests the health path through the test listener, from the tasks subnets', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: {
          SMOKE_TEST_BASE_URL: {
            'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebLoadBalancer'), 'DNSName'] }, `:${TEST_LISTENER_PORT}`]],
          },
          SMOKE_TEST_PATHS: JSON.stringify([profiles[name].web.delivery.smokeTestPaths[0] ?? '/']),
          SMOKE_TEST_TIMEOUT_MS: '10000',
        },
      },
      VpcConfig: Match.objectLike({ SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WebSmokeTestSecurityGroup'), 'GroupId'] }] }),
    });
  });

  test('the test listener is HTTP on its own port, reachable from the smoke test only (not the edge, not the internet)', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: TEST_LISTENER_PORT, Protocol: 'HTTP' });
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      (r) => r.Properties.FromPort === TEST_LISTENER_PORT && refId(r.Properties.GroupId)?.startsWith('WebLoadBalancerSecurityGroup'),
    );
    expect(ingress).toHaveLength(1);
    expect(refId(ingress[0].Properties.SourceSecurityGroupId)).toMatch(/^WebSmokeTestSecurityGroup/);
    // No inline rule, CIDR or prefix list admits anyone else to the test port.
    const lbGroups = Object.entries(t.findResources('AWS::EC2::SecurityGroup')).filter(([id]) => id.startsWith('WebLoadBalancerSecurityGroup'));
    for (const [, group] of lbGroups) {
      for (const rule of group.Properties.SecurityGroupIngress ?? []) {
        expect(rule.FromPort <= TEST_LISTENER_PORT && rule.ToPort >= TEST_LISTENER_PORT).toBe(false);
      }
    }
    const otherIngress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      (r) =>
        refId(r.Properties.GroupId)?.startsWith('WebLoadBalancerSecurityGroup') &&
        r.Properties.FromPort <= TEST_LISTENER_PORT &&
        r.Properties.ToPort >= TEST_LISTENER_PORT,
    );
    expect(otherIngress).toHaveLength(1);
    // The function's group reaches the test port of the load balancer and nothing else.
    const [smokeGroup] = Object.values(t.findResources('AWS::EC2::SecurityGroup')).filter((g) =>
      /deployment smoke test/.test(g.Properties.GroupDescription),
    );
    expect(smokeGroup.Properties.SecurityGroupEgress).toBeUndefined();
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).filter((r) =>
      refId(r.Properties.GroupId)?.startsWith('WebSmokeTestSecurityGroup'),
    );
    expect(
      egress.map((r) => [r.Properties.FromPort, r.Properties.ToPort, refId(r.Properties.DestinationSecurityGroupId)?.replace(/[0-9A-F]{8}$/, '')]),
    ).toEqual([[TEST_LISTENER_PORT, TEST_LISTENER_PORT, 'WebLoadBalancerSecurityGroup']]);
  });

  test('cdk-nag finds nothing in the web service', () => {
    expect(nagFindings(stacks[name]).filter((f) => f.includes('/Web/'))).toEqual([]);
  });
});

describe('WebService used alone', () => {
  test('rolls as it always did: no strategy, one target group, no listener rule', () => {
    const stack = userStack();
    new WebService(stack, 'Web', { vpc: new ec2.Vpc(stack, 'Vpc'), image });
    const t = Template.fromStack(stack);
    expect(service(t).DeploymentConfiguration.Strategy).toBeUndefined();
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
  });

  test('blue/green without a smoke test has no test listener; linear with one passes its custom paths to the function', () => {
    const stack = userStack();
    const web = new WebService(stack, 'Web', { vpc: new ec2.Vpc(stack, 'Vpc'), image, deploymentStrategy: 'blueGreen', deploymentBakeMinutes: 0 });
    const t = Template.fromStack(stack);
    expect(service(t).DeploymentConfiguration).toMatchObject({ Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 0 });
    expect(web.testListener).toBeUndefined();
    expect(service(t).LoadBalancers[0].AdvancedConfiguration.TestListenerRule).toBeUndefined();
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);

    // An internet-facing WebService opens 80 to the world, never the test port.
    const other = userStack();
    new WebService(other, 'Web', {
      vpc: new ec2.Vpc(other, 'Vpc'),
      image,
      deploymentStrategy: 'linear',
      trafficShiftPercent: 25,
      smokeTest: true,
      smokeTestPaths: ['/health', '/api/ping?x=1'],
    });
    Template.fromStack(other).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SMOKE_TEST_PATHS: '["/health","/api/ping?x=1"]' }) },
      Timeout: 30,
    });
    const lbGroup = Object.entries(Template.fromStack(other).findResources('AWS::EC2::SecurityGroup')).find(([id]) =>
      id.startsWith('WebLoadBalancerSecurityGroup'),
    )!;
    const open = (lbGroup[1].Properties.SecurityGroupIngress ?? []).filter((r: { CidrIp?: string }) => r.CidrIp === '0.0.0.0/0');
    expect(open.map((r: { FromPort: number }) => r.FromPort)).toEqual([80]);
  });
});
