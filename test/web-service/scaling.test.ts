import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { DEFAULT_IMAGE, PROFILE_NAMES, profiles, validateProfile, WebService, type HighResolutionMetricName, type Profile } from '../../lib';
import { applyAnomalyMitigation } from '../../lib/web-service/anomaly-mitigation';
import { scalingStack, userStack } from '../helpers/app';

const image = ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE);

interface TrackingConfig {
  readonly PredefinedMetricSpecification?: { readonly PredefinedMetricType: string };
  readonly CustomizedMetricSpecification?: { readonly Metrics: readonly { readonly Label?: string; readonly ReturnData?: boolean }[] };
  readonly TargetValue?: number;
  readonly ScaleOutCooldown?: number;
  readonly ScaleInCooldown?: number;
}
type PolicyProps = {
  PolicyType: string;
  TargetTrackingScalingPolicyConfiguration?: TrackingConfig;
  StepScalingPolicyConfiguration?: Record<string, unknown>;
};

/** Every scaling policy of `template`, by the metric it acts on. */
function policies(template: Template): Record<string, PolicyProps> {
  const out: Record<string, PolicyProps> = {};
  for (const r of Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'))) {
    const p = r.Properties as PolicyProps;
    const key =
      p.PolicyType === 'TargetTrackingScaling'
        ? (p.TargetTrackingScalingPolicyConfiguration!.PredefinedMetricSpecification?.PredefinedMetricType ?? 'CustomizedMetric')
        : p.PolicyType;
    out[key] = p;
  }
  return out;
}

const targetGroupAttributes = (template: Template): Record<string, string> => {
  const [tg] = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
  return Object.fromEntries((tg.Properties.TargetGroupAttributes as { Key: string; Value: string }[]).map((a) => [a.Key, a.Value]));
};

// What each profile asks for, and what it must produce.
// Requests per task: the predefined metric of the one target group (rolling), metric math over both
// target groups (linear, canary: the live group alternates every release, ./live-traffic.test.ts).
const EXPECTED: Record<
  string,
  {
    highResolution: HighResolutionMetricName[];
    predictive: string | undefined;
    anomaly: boolean;
    requests: 'ALBRequestCountPerTarget' | 'CustomizedMetric';
  }
> = {
  dev: { highResolution: [], predictive: undefined, anomaly: false, requests: 'ALBRequestCountPerTarget' },
  staging: { highResolution: ['CPUUtilization', 'MemoryUtilization'], predictive: undefined, anomaly: false, requests: 'CustomizedMetric' },
  prod: { highResolution: ['CPUUtilization', 'MemoryUtilization'], predictive: 'ForecastOnly', anomaly: true, requests: 'CustomizedMetric' },
};

describe.each(PROFILE_NAMES)('fast scaling in ScalingStack (%s)', (name) => {
  const expected = EXPECTED[name];
  const template = Template.fromStack(scalingStack({ profile: name }));

  test('the profile asks for what this test expects', () => {
    expect(profiles[name].web.highResolutionMetrics).toEqual(expected.highResolution);
    expect(profiles[name].web.anomalyMitigation).toBe(expected.anomaly);
  });

  test('ECS publishes the listed metrics every 20 s, and no monitoring block without them', () => {
    const [service] = Object.values(template.findResources('AWS::ECS::Service'));
    if (expected.highResolution.length === 0) {
      expect(service.Properties.Monitoring).toBeUndefined();
    } else {
      expect(service.Properties.Monitoring).toEqual({
        MetricConfigurations: [{ MetricNames: expected.highResolution, ResolutionSeconds: 20 }],
      });
    }
  });

  test('CPU and memory target tracking use the high-resolution predefined metrics where published', () => {
    const found = policies(template);
    const cpu = expected.highResolution.includes('CPUUtilization')
      ? 'ECSServiceAverageCPUUtilizationHighResolution'
      : 'ECSServiceAverageCPUUtilization';
    const memory = expected.highResolution.includes('MemoryUtilization')
      ? 'ECSServiceAverageMemoryUtilizationHighResolution'
      : 'ECSServiceAverageMemoryUtilization';
    expect(Object.keys(found).sort()).toEqual(
      [expected.requests, cpu, memory, 'StepScaling', ...(expected.predictive ? ['PredictiveScaling'] : [])].sort(),
    );
    const web = profiles[name].web;
    expect(found[cpu].TargetTrackingScalingPolicyConfiguration).toEqual({
      PredefinedMetricSpecification: { PredefinedMetricType: cpu },
      TargetValue: web.cpuTargetPercent,
      ScaleOutCooldown: 60,
      ScaleInCooldown: 300,
    });
    expect(found[memory].TargetTrackingScalingPolicyConfiguration!.TargetValue).toBe(web.memoryTargetPercent);
  });

  test('the request-count and p99 policies keep their 60-second ALB metrics: 1 datapoint, 60 s cooldown', () => {
    const found = policies(template);
    expect(found.StepScaling.StepScalingPolicyConfiguration).toMatchObject({ Cooldown: 60, MetricAggregationType: 'Maximum' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(found[expected.requests].TargetTrackingScalingPolicyConfiguration!).toMatchObject({ ScaleOutCooldown: 60, ScaleInCooldown: 300 });
  });

  test(`predictive scaling: ${expected.predictive ?? 'none'}`, () => {
    const predictive = Object.values(
      template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'PredictiveScaling' } }),
    );
    if (!expected.predictive) {
      expect(predictive).toHaveLength(0);
      return;
    }
    expect(predictive).toHaveLength(1);
    expect(predictive[0].Properties.PredictiveScalingPolicyConfiguration).toMatchObject({
      Mode: expected.predictive,
      MetricSpecifications: [
        { PredefinedMetricPairSpecification: { PredefinedMetricType: 'ECSServiceCPUUtilization' }, TargetValue: profiles[name].web.cpuTargetPercent },
      ],
    });
  });

  test('target-group routing: weighted random with anomaly mitigation and no slow start, or round robin with slow start', () => {
    const attributes = targetGroupAttributes(template);
    if (expected.anomaly) {
      expect(attributes['load_balancing.algorithm.type']).toBe('weighted_random');
      expect(attributes['load_balancing.algorithm.anomaly_mitigation']).toBe('on');
      expect(attributes['slow_start.duration_seconds']).toBeUndefined();
    } else {
      expect(attributes['load_balancing.algorithm.type']).toBeUndefined();
      expect(attributes['load_balancing.algorithm.anomaly_mitigation']).toBeUndefined();
      expect(attributes['slow_start.duration_seconds']).toBe('30');
    }
  });

  test('health checks every 5 s: a new task serves after 2 x 5 s, a failing one leaves after 6 x 5 s', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 4,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 6,
    });
  });
});

describe('WebService fast-scaling props', () => {
  test('high resolution on memory only changes only the memory policy', () => {
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    new WebService(stack, 'Web', { vpc, image, highResolutionMetrics: ['MemoryUtilization'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Service', {
      Monitoring: { MetricConfigurations: [{ MetricNames: ['MemoryUtilization'], ResolutionSeconds: 20 }] },
    });
    expect(Object.keys(policies(template))).toEqual(
      expect.arrayContaining(['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilizationHighResolution']),
    );
  });

  test('anomaly mitigation turns slow start off by default; an explicit slow start is refused', () => {
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    new WebService(stack, 'Web', { vpc, image, minTasks: 2, maxTasks: 4, anomalyMitigation: true });
    const attributes = targetGroupAttributes(Template.fromStack(stack));
    expect(attributes['slow_start.duration_seconds']).toBeUndefined();
    expect(attributes['load_balancing.algorithm.type']).toBe('weighted_random');
    expect(
      () => new WebService(stack, 'Slow', { vpc, image, minTasks: 2, maxTasks: 4, anomalyMitigation: true, slowStart: Duration.seconds(60) }),
    ).toThrow(
      'UserStack/Slow: slowStart (60 s) cannot be used with anomalyMitigation: weighted random routing allows no slow start; set slowStart to 0 (the default with anomalyMitigation) or anomalyMitigation false',
    );
  });

  test('applyAnomalyMitigation() sets the same attributes on another target group (a blue/green one)', () => {
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const green = new elbv2.ApplicationTargetGroup(stack, 'Green', { vpc, port: 8080, targetType: elbv2.TargetType.IP });
    applyAnomalyMitigation(green);
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'load_balancing.algorithm.type', Value: 'weighted_random' },
        { Key: 'load_balancing.algorithm.anomaly_mitigation', Value: 'on' },
      ]),
    });
  });

  test.each([
    [
      'NoSuchMetric',
      { highResolutionMetrics: ['RequestCountPerTarget' as HighResolutionMetricName] },
      `UserStack/NoSuchMetric: highResolutionMetrics[0] ("RequestCountPerTarget") has no high-resolution version: ECS publishes only 'CPUUtilization' and 'MemoryUtilization' every 20 s (ALB metrics such as requests per target stay at 60 s); remove it`,
    ],
    [
      'Twice',
      { highResolutionMetrics: ['CPUUtilization', 'CPUUtilization'] as HighResolutionMetricName[] },
      'UserStack/Twice: highResolutionMetrics[1] ("CPUUtilization") is listed twice; list each metric once',
    ],
    [
      'OneTask',
      { anomalyMitigation: true, minTasks: 1 },
      'UserStack/OneTask: anomalyMitigation (true) needs minTasks of at least 2 (it is 1): with one task there is nothing to shift traffic to; raise minTasks to 2 or set anomalyMitigation false',
    ],
  ])('%s is refused with a message that names the fix', (id, props, message) => {
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    expect(() => new WebService(stack, id, { vpc, image, ...props })).toThrow(message);
  });
});

describe('profile rules for fast scaling', () => {
  const withWeb = (web: Partial<Profile['web']>): Profile => ({ ...profiles.prod, web: { ...profiles.prod.web, ...web } });

  test('a profile with anomaly mitigation on one task is refused, naming web. fields', () => {
    expect(() => validateProfile(withWeb({ anomalyMitigation: true, minTasks: 1 }))).toThrow(
      /web\.anomalyMitigation \(true\) needs web\.minTasks of at least 2 \(it is 1\)/,
    );
  });

  test('a profile asking for a 20-second metric that has none is refused', () => {
    expect(() => validateProfile(withWeb({ highResolutionMetrics: ['TargetResponseTime' as HighResolutionMetricName] }))).toThrow(
      /web\.highResolutionMetrics\[0\] \("TargetResponseTime"\) has no high-resolution version/,
    );
  });
});
