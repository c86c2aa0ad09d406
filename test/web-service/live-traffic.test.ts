import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DEFAULT_IMAGE, Monitoring, monitoringPropsFor, profiles, WebService, type ProfileName } from '../../lib';
import { scalingStack, userStack } from '../helpers/app';

// With two target groups (blue/green, canary, linear) the live group alternates every release:
// scaling and monitoring must see the traffic in either. Rolling keeps its one-group metrics.

const image = ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE);
type Resource = { Type: string; Properties: Record<string, unknown> };

/** Logical IDs of the target groups whose TargetGroupFullName `value` reads. */
function targetGroupsIn(value: unknown): Set<string> {
  const found = new Set<string>();
  JSON.stringify(value, (_key, v: unknown) => {
    const getAtt = v && typeof v === 'object' ? (v as Record<string, unknown>)['Fn::GetAtt'] : undefined;
    if (Array.isArray(getAtt) && getAtt[1] === 'TargetGroupFullName') found.add(String(getAtt[0]));
    return v;
  });
  return found;
}

/** The resource of `type` whose logical ID contains `part`, exactly one. */
function oneById(template: Template, type: string, part: RegExp): [string, Resource] {
  const found = Object.entries(template.findResources(type) as Record<string, Resource>).filter(([id]) => part.test(id));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0];
}

/** The alarm that triggers the step policy `policyId`. */
function alarmOf(template: Template, policyId: string): Resource {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>).filter((a) =>
    JSON.stringify(a.Properties.AlarmActions ?? []).includes(`"${policyId}"`),
  );
  expect(alarms).toHaveLength(1);
  return alarms[0];
}

function targetGroupIds(template: Template): { primary: string; alternate: string | undefined } {
  const ids = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
  return { primary: ids.find((id) => id.startsWith('WebTargetGroup'))!, alternate: ids.find((id) => id.startsWith('WebAlternateTargetGroup')) };
}

describe.each(['staging', 'prod'] as const)('%s (two target groups): scaling and monitoring follow both', (name: ProfileName) => {
  const template = Template.fromStack(scalingStack({ profile: name }));
  const groups = targetGroupIds(template);

  test('the profile deploys through two target groups', () => {
    expect(profiles[name].web.delivery.deploymentStrategy).not.toBe('rolling');
    expect(groups.alternate).toBeDefined();
  });

  test('requests per task: the larger RequestCountPerTarget of the two groups, same policy, same target and cooldowns', () => {
    const [, policy] = oneById(template, 'AWS::ApplicationAutoScaling::ScalingPolicy', /RequestScaling/);
    const config = policy.Properties.TargetTrackingScalingPolicyConfiguration as Record<string, unknown>;
    expect(config.PredefinedMetricSpecification).toBeUndefined();
    expect(config).toMatchObject({ TargetValue: profiles[name].web.requestsPerTarget, ScaleOutCooldown: 60, ScaleInCooldown: 300 });
    const metrics = (config.CustomizedMetricSpecification as { Metrics: Record<string, unknown>[] }).Metrics;
    const raw = metrics.filter((m) => m.MetricStat);
    expect(raw.map((m) => m.MetricStat)).toEqual([
      expect.objectContaining({
        Metric: expect.objectContaining({ MetricName: 'RequestCountPerTarget', Namespace: 'AWS/ApplicationELB' }),
        Stat: 'Sum',
      }),
      expect.objectContaining({
        Metric: expect.objectContaining({ MetricName: 'RequestCountPerTarget', Namespace: 'AWS/ApplicationELB' }),
        Stat: 'Sum',
      }),
    ]);
    expect(raw.map((m) => [...targetGroupsIn(m)])).toEqual([[groups.primary], [groups.alternate]]);
    expect(raw.every((m) => m.ReturnData === false)).toBe(true);
    expect(metrics.filter((m) => m.ReturnData !== false)).toEqual([
      expect.objectContaining({ Id: 'requestsPerTarget', Expression: 'MAX([FILL(primaryGroup, 0), FILL(alternateGroup, 0)])' }),
    ]);
  });

  test('p99 step scale-out reads the load balancer, not one target group', () => {
    const [policyId] = oneById(template, 'AWS::ApplicationAutoScaling::ScalingPolicy', /LatencyScaling/);
    const alarm = alarmOf(template, policyId).Properties;
    expect(alarm).toMatchObject({ Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99', Period: 60 });
    expect((alarm.Dimensions as { Name: string }[]).map((d) => d.Name)).toEqual(['LoadBalancer']);
  });

  test('the p99 deployment alarm (adopted by Monitoring) takes the slower group; task 5xx are counted per load balancer', () => {
    const [, latency] = oneById(template, 'AWS::CloudWatch::Alarm', /^WebLatencyAlarm/);
    const expression = (latency.Properties.Metrics as { Expression?: string }[]).find((m) => m.Expression)?.Expression;
    expect(expression).toBe('MAX([FILL(targetResponseTimePrimary, 0), FILL(targetResponseTimeAlternate, 0)])');
    expect([...targetGroupsIn(latency)].sort()).toEqual([groups.alternate, groups.primary].sort());
    const [, errors] = oneById(template, 'AWS::CloudWatch::Alarm', /^WebErrorRateAlarm/);
    expect(targetGroupsIn(errors).size).toBe(0);
  });

  test('every alarm and the dashboard read both target groups or neither (only the alternate deployment alarms watch one on purpose)', () => {
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>).filter(
      ([id]) => !id.startsWith('WebAlternate'),
    );
    expect(alarms.length).toBeGreaterThan(10);
    const oneSided = alarms.filter(([, alarm]) => targetGroupsIn(alarm).size === 1).map(([id]) => id);
    expect(oneSided).toEqual([]);
    // The unhealthy-task alarm adds both groups.
    const unhealthy = alarms.filter(([, alarm]) => JSON.stringify(alarm).includes('UnHealthyHostCount'));
    expect(unhealthy).toHaveLength(1);
    expect(targetGroupsIn(unhealthy[0][1]).size).toBe(2);
    const [, dashboard] = oneById(template, 'AWS::CloudWatch::Dashboard', /.*/);
    expect([...targetGroupsIn(dashboard)].sort()).toEqual([groups.alternate, groups.primary].sort());
  });
});

describe('dev (rolling, one target group): the metrics stay on the target group', () => {
  const template = Template.fromStack(scalingStack({ profile: 'dev' }));

  test('requests per task: the predefined ALBRequestCountPerTarget; p99 step scaling on the target group', () => {
    expect(profiles.dev.web.delivery.deploymentStrategy).toBe('rolling');
    const [, policy] = oneById(template, 'AWS::ApplicationAutoScaling::ScalingPolicy', /RequestScaling/);
    const config = policy.Properties.TargetTrackingScalingPolicyConfiguration as Record<string, unknown>;
    expect(config.CustomizedMetricSpecification).toBeUndefined();
    expect(config.PredefinedMetricSpecification).toMatchObject({ PredefinedMetricType: 'ALBRequestCountPerTarget' });
    const [policyId] = oneById(template, 'AWS::ApplicationAutoScaling::ScalingPolicy', /LatencyScaling/);
    const alarm = alarmOf(template, policyId).Properties;
    expect((alarm.Dimensions as { Name: string }[]).map((d) => d.Name).sort()).toEqual(['LoadBalancer', 'TargetGroup']);
  });

  test('no alarm uses metric math over target groups', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>);
    expect(alarms.filter((a) => JSON.stringify(a).includes('Primary"') || JSON.stringify(a).includes('primaryGroup'))).toEqual([]);
  });
});

describe('WebService used alone', () => {
  const build = (props: { deploymentStrategy?: 'canary'; containerInsights?: boolean }) => {
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const web = new WebService(stack, 'Web', { vpc, image, ...props });
    return { stack, web };
  };

  test('rolling (the default): the plain metrics of the one target group', () => {
    const { stack, web } = build({});
    const template = Template.fromStack(stack);
    const [, policy] = oneById(template, 'AWS::ApplicationAutoScaling::ScalingPolicy', /RequestScaling/);
    expect(policy.Properties.TargetTrackingScalingPolicyConfiguration).toMatchObject({
      PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' },
    });
    expect(Object.keys(stack.resolve(web.metricTargetResponseTime().dimensions)).sort()).toEqual(['LoadBalancer', 'TargetGroup']);
  });

  test('canary without Container Insights: the metric helpers read the load balancer or both groups, and Monitoring synthesizes', () => {
    const { stack, web } = build({ deploymentStrategy: 'canary', containerInsights: false });
    expect(Object.keys(stack.resolve(web.metricTargetResponseTime().dimensions))).toEqual(['LoadBalancer']);
    expect(Object.keys(stack.resolve(web.metricTarget5xxCount().dimensions))).toEqual(['LoadBalancer']);
    const healthy = stack.resolve(web.metricHealthyHostCount().toMetricConfig().mathExpression);
    expect(healthy.expression).toBe('FILL(healthyHostCountPrimary, 0) + FILL(healthyHostCountAlternate, 0)');
    // Healthy and unhealthy tasks share a dashboard graph here (no Container Insights): distinct IDs.
    const monitoring = new Monitoring(stack, 'Monitoring', monitoringPropsFor('prod'));
    monitoring.monitorWebService(web);
    const template = Template.fromStack(stack);
    const running = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>).filter((a) =>
      JSON.stringify(a).includes('HealthyHostCount'),
    );
    expect(running.length).toBeGreaterThanOrEqual(2);
    for (const alarm of running) expect(targetGroupsIn(alarm).size).toBe(2);
  });
});
