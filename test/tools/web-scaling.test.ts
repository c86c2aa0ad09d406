import * as fs from 'node:fs';
import * as path from 'node:path';
import { dev, PROFILE_NAMES, staging } from '../../lib';
import {
  ASSUMPTIONS,
  designOf,
  fastest,
  hoursOffPerWeek,
  NIGHTS_OFF_EXAMPLE,
  PROD_GOALS,
  reactionTimes,
  renderReaction,
  renderSavings,
  scheduleSavings,
  tasksHourUsd,
} from '../../tools/web-scaling';
import { readScalingDesign, type CfnTemplate, type ScalingDesign } from '../../tools/web-scaling-template';

/** A minimal template: one service, its target group, a scalable target and the given policies and alarms. */
function template(opts: { monitoring?: unknown; resources: Record<string, unknown> }): CfnTemplate {
  return {
    Resources: {
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: { Monitoring: opts.monitoring, LoadBalancers: [{ TargetGroupArn: { Ref: 'Tg' } }] },
      },
      Tg: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: {
          HealthCheckIntervalSeconds: 5,
          HealthyThresholdCount: 3,
          TargetGroupAttributes: [{ Key: 'slow_start.duration_seconds', Value: '45' }],
        },
      },
      Target: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget', Properties: { ScalableDimension: 'ecs:service:DesiredCount' } },
      ...(opts.resources as CfnTemplate['Resources']),
    },
  };
}

const tracking = (metric: string, cooldown = 60) => ({
  Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
  Properties: {
    PolicyType: 'TargetTrackingScaling',
    ScalingTargetId: { Ref: 'Target' },
    TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: metric }, ScaleOutCooldown: cooldown },
  },
});

describe('the scaling design read from a template', () => {
  test('periods, datapoints and cooldowns come from the template: 20 s where the service publishes it, a step alarm as written', () => {
    // GIVEN CPU tracked at 20 s, requests at 60 s and a step policy behind a 2-of-3 one-minute alarm
    const design = readScalingDesign(
      template({
        monitoring: { MetricConfigurations: [{ MetricNames: ['CPUUtilization'], ResolutionSeconds: 20 }] },
        resources: {
          Cpu: tracking('ECSServiceAverageCPUUtilizationHighResolution', 45),
          Requests: tracking('ALBRequestCountPerTarget', 90),
          Step: {
            Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
            Properties: {
              PolicyType: 'StepScaling',
              ScalingTargetId: { Ref: 'Target' },
              StepScalingPolicyConfiguration: { Cooldown: 120, StepAdjustments: [{ ScalingAdjustment: 25 }] },
            },
          },
          StepAlarm: {
            Type: 'AWS::CloudWatch::Alarm',
            Properties: {
              MetricName: 'TargetResponseTime',
              ExtendedStatistic: 'p99',
              Period: 60,
              EvaluationPeriods: 3,
              DatapointsToAlarm: 2,
              AlarmActions: [{ Ref: 'Step' }],
            },
          },
        },
      }),
    );
    // THEN
    expect(design.paths).toEqual([
      { name: 'target tracking: ECSServiceAverageCPUUtilizationHighResolution', periodSeconds: 20, datapoints: 3, cooldownSeconds: 45 },
      { name: 'target tracking: ALBRequestCountPerTarget', periodSeconds: 60, datapoints: 3, cooldownSeconds: 90 },
      { name: 'step scaling: p99 TargetResponseTime', periodSeconds: 60, datapoints: 2, cooldownSeconds: 120 },
    ]);
    expect(design).toMatchObject({
      healthCheck: { intervalSeconds: 5, healthyThresholdCount: 3 },
      slowStartSeconds: 45,
      algorithm: 'round_robin',
      predictive: 'off',
    });
  });

  test('a high-resolution policy on a metric the service publishes at 60 s is a design error', () => {
    expect(() => readScalingDesign(template({ resources: { Memory: tracking('ECSServiceAverageMemoryUtilizationHighResolution') } }))).toThrow(
      'Memory tracks ECSServiceAverageMemoryUtilizationHighResolution, but the service does not publish MemoryUtilization every 20 s (Monitoring.MetricConfigurations): the policy would have no data',
    );
  });
});

describe('reaction times', () => {
  const design: ScalingDesign = {
    paths: [
      { name: 'fast', periodSeconds: 20, datapoints: 3, cooldownSeconds: 60 },
      { name: 'slow', periodSeconds: 60, datapoints: 3, cooldownSeconds: 60 },
    ],
    healthCheck: { intervalSeconds: 5, healthyThresholdCount: 2 },
    slowStartSeconds: 30,
    algorithm: 'round_robin',
    predictive: 'off',
  };

  test('datapoints + publication delay decide; task start and two health checks later the task serves; slow start adds its ramp', () => {
    const [fast, slow] = reactionTimes('x', design);
    expect(fast.phases.map((p) => p.seconds)).toEqual([60, 20, ASSUMPTIONS.taskStartSeconds, 10]);
    expect([fast.decisionSeconds, fast.firstRequestSeconds, fast.fullShareSeconds]).toEqual([80, 150, 180]);
    expect([slow.decisionSeconds, slow.firstRequestSeconds]).toEqual([240, 310]);
    expect(fastest([slow, fast])).toBe(fast);
  });

  test('a measured task start replaces the assumption', () => {
    expect(reactionTimes('x', design, 45)[0].firstRequestSeconds).toBe(135);
  });

  test('a period the model has no publication delay for is refused', () => {
    expect(() => reactionTimes('x', { ...design, paths: [{ name: 'odd', periodSeconds: 10, datapoints: 1, cooldownSeconds: 0 }] })).toThrow(
      'x: odd watches 10-second datapoints; the model knows 20 and 60',
    );
  });
});

describe('per profile, from the synthesized templates', () => {
  test(`prod decides within ${PROD_GOALS.decisionSeconds} s and new tasks serve within ${PROD_GOALS.servingSeconds} s of a load step, at full share (no slow start)`, () => {
    const prod = fastest(reactionTimes('prod', designOf('prod')));
    expect(prod.path).toBe('target tracking: ECSServiceAverageCPUUtilizationHighResolution');
    expect(prod.decisionSeconds).toBeLessThanOrEqual(PROD_GOALS.decisionSeconds);
    expect(prod.firstRequestSeconds).toBeLessThanOrEqual(PROD_GOALS.servingSeconds);
    expect(prod.fullShareSeconds).toBe(prod.firstRequestSeconds);
    expect(designOf('prod')).toMatchObject({ algorithm: 'weighted_random', predictive: 'ForecastOnly' });
  });

  test('staging scales like prod; dev stays on one-minute metrics, where the p99 step is its fastest path', () => {
    expect(fastest(reactionTimes('staging', designOf('staging'))).firstRequestSeconds).toBe(150);
    const devTimes = reactionTimes('dev', designOf('dev'));
    expect(devTimes.every((r) => r.phases[0].name.endsWith('x 60 s'))).toBe(true);
    expect(fastest(devTimes)).toMatchObject({ path: 'step scaling: p99 TargetResponseTime', decisionSeconds: 120, firstRequestSeconds: 190 });
  });

  test('every profile has the four scale-out paths', () => {
    for (const name of PROFILE_NAMES) expect(designOf(name).paths).toHaveLength(4);
  });

  test('docs/web-service.md shows exactly what the tool computes', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'web-service.md'), 'utf8');
    const between = (name: string) => new RegExp(`<!-- web-scaling:${name} -->\\n([\\s\\S]*?)\\n<!-- /web-scaling:${name} -->`).exec(page)?.[1];
    expect(between('reaction')).toBe(renderReaction());
    expect(between('savings')).toBe(renderSavings());
  });
});

describe('tasks and schedules', () => {
  test('task prices follow architecture, Spot weight and the on-demand base', () => {
    // dev: 0.25 vCPU / 0.5 GB x86 on Spot (estimate 70 % off)
    expect(tasksHourUsd(dev, 1)).toBeCloseTo(0.25 * 0.012144 + 0.5 * 0.0013335, 8);
    // staging: the first task is the on-demand base, the next ones 1:3 on demand and Spot
    const onDemand = 0.5 * 0.04048 + 1 * 0.004445;
    const spot = 0.5 * 0.012144 + 1 * 0.0013335;
    expect(tasksHourUsd(staging, 1)).toBeCloseTo(onDemand, 8);
    expect(tasksHourUsd(staging, 2)).toBeCloseTo(onDemand + (onDemand + 3 * spot) / 4, 8);
  });

  test('nights and weekends off is 108 of 168 hours', () => {
    expect(hoursOffPerWeek(NIGHTS_OFF_EXAMPLE[0], NIGHTS_OFF_EXAMPLE[1])).toBe(108);
    expect(() => hoursOffPerWeek({ ...NIGHTS_OFF_EXAMPLE[0], schedule: 'rate(1 day)' }, NIGHTS_OFF_EXAMPLE[1])).toThrow(
      "NightsOff: only 'cron(0 <hour> ? * MON-FRI *)' schedules are modelled",
    );
    expect(scheduleSavings().map((s) => s.profile)).toEqual(['dev', 'staging']);
  });
});
