// Reads the web service's scaling design out of a synthesized CloudFormation template: what
// tools/web-scaling.ts models the reaction to a load step from. Only what the template fixes is
// read here (metric periods, alarm datapoints, cooldowns, health checks, slow start); what it
// cannot fix (metric publication delay, task start) is an assumption of the model, stated there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ScalingStack, type ProfileName } from '../lib';

type Resource = { Type: string; Properties?: Record<string, unknown>; Condition?: string };

/** The value at `keys` inside parsed template JSON (array indexes as numbers), or undefined. */
function at(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown, fallback: string): string => (value === undefined || value === null ? fallback : String(value));
const count = (value: unknown, fallback: number): number => (value === undefined || value === null ? fallback : Number(value));
export interface CfnTemplate {
  readonly Resources: Record<string, Resource>;
}

/** One way the service decides to scale out. */
export interface ScaleOutPath {
  /** What it acts on, e.g. 'target tracking: ECSServiceAverageCPUUtilizationHighResolution'. */
  readonly name: string;
  /** Seconds per datapoint of the metric it watches. */
  readonly periodSeconds: number;
  /** Datapoints above the threshold before it scales out. */
  readonly datapoints: number;
  /** Seconds after a scale-out before this path adds capacity again (a larger step excepted). */
  readonly cooldownSeconds: number;
}

export interface ScalingDesign {
  readonly paths: readonly ScaleOutPath[];
  /** The ALB health check of the service's target group. */
  readonly healthCheck: { readonly intervalSeconds: number; readonly healthyThresholdCount: number };
  /** Slow start of the target group in seconds, 0 when off. */
  readonly slowStartSeconds: number;
  /** Load-balancing algorithm of the target group ('round_robin' when not set). */
  readonly algorithm: string;
  /** Mode of the predictive policy, 'off' when there is none. */
  readonly predictive: string;
}

/**
 * Application Auto Scaling's target-tracking scale-out alarm needs 3 datapoints above the target
 * (its alarms are created by the service, so the template does not hold them): 3 of 3 one-minute
 * datapoints on standard metrics, 3 of 3 twenty-second datapoints on the `…HighResolution` ones.
 * Source: AWS's benchmark for 20-second metrics, a scale-out trigger 86 s after a load step
 * (aws.amazon.com/blogs/aws/amazon-ecs-introduces-new-high-resolution-metrics-for-faster-service-auto-scaling/):
 * 3 x 20 s plus the publication delay.
 */
export const TARGET_TRACKING_DATAPOINTS = 3;

/** Resources of `type`, by logical ID. */
function ofType(template: CfnTemplate, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

const refOf = (value: unknown): string | undefined =>
  value && typeof value === 'object' && 'Ref' in value ? String((value as { Ref: unknown }).Ref) : undefined;

/** Seconds per datapoint of a predefined target-tracking metric, given what the service publishes at 20 s. */
function periodOf(metricType: string, published20s: ReadonlySet<string>, at: string): number {
  if (!metricType.endsWith('HighResolution')) return 60;
  const metric = /ECSServiceAverage(CPU|Memory)UtilizationHighResolution/.exec(metricType)?.[1];
  const name = metric === 'CPU' ? 'CPUUtilization' : 'MemoryUtilization';
  if (!published20s.has(name)) {
    throw new Error(
      `${at} tracks ${metricType}, but the service does not publish ${name} every 20 s (Monitoring.MetricConfigurations): the policy would have no data`,
    );
  }
  return 20;
}

/** The scaling design of the one ECS service in `template` that Application Auto Scaling scales. */
export function readScalingDesign(template: CfnTemplate): ScalingDesign {
  const targets = ofType(template, 'AWS::ApplicationAutoScaling::ScalableTarget').filter(
    ([, r]) => at(r.Properties, 'ScalableDimension') === 'ecs:service:DesiredCount',
  );
  if (targets.length !== 1) throw new Error(`expected one ECS scalable target, found ${targets.length}`);
  const [targetId] = targets[0];
  const services = ofType(template, 'AWS::ECS::Service');
  if (services.length !== 1) throw new Error(`expected one ECS service, found ${services.length}`);
  const service = services[0][1].Properties;
  const published20s = new Set<string>(
    list(at(service, 'Monitoring', 'MetricConfigurations'))
      .filter((c) => at(c, 'ResolutionSeconds') === 20)
      .flatMap((c) => list(at(c, 'MetricNames')).map(String)),
  );

  const paths: ScaleOutPath[] = [];
  let predictive = 'off';
  for (const [id, policy] of ofType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy')) {
    const p = policy.Properties;
    if (refOf(at(p, 'ScalingTargetId')) !== targetId) continue;
    const type = at(p, 'PolicyType');
    if (type === 'PredictiveScaling') {
      predictive = text(at(p, 'PredictiveScalingPolicyConfiguration', 'Mode'), 'ForecastOnly');
    } else if (type === 'TargetTrackingScaling') {
      const config = at(p, 'TargetTrackingScalingPolicyConfiguration');
      // A customized metric (metric math over both target groups, lib/web-service/live-traffic.ts) is
      // named by the label of the query it returns.
      const returned = list(at(config, 'CustomizedMetricSpecification', 'Metrics')).find((m) => at(m, 'ReturnData') !== false);
      const metricType = text(at(config, 'PredefinedMetricSpecification', 'PredefinedMetricType'), text(at(returned, 'Label'), 'custom metric'));
      paths.push({
        name: `target tracking: ${metricType}`,
        periodSeconds: periodOf(metricType, published20s, id),
        datapoints: TARGET_TRACKING_DATAPOINTS,
        cooldownSeconds: count(at(config, 'ScaleOutCooldown'), 300),
      });
    } else if (type === 'StepScaling') {
      const config = at(p, 'StepScalingPolicyConfiguration');
      if (!list(at(config, 'StepAdjustments')).some((step) => count(at(step, 'ScalingAdjustment'), 0) > 0)) continue;
      // The alarm that triggers a step policy is in the template: its period and datapoints are read.
      for (const [, alarm] of ofType(template, 'AWS::CloudWatch::Alarm')) {
        const a = alarm.Properties;
        if (!list(at(a, 'AlarmActions')).some((action) => refOf(action) === id)) continue;
        const statistic = text(at(a, 'ExtendedStatistic') ?? at(a, 'Statistic'), '');
        paths.push({
          name: `step scaling: ${statistic} ${text(at(a, 'MetricName'), 'metric')}`.replace(/ +/g, ' '),
          periodSeconds: count(at(a, 'Period'), 60),
          datapoints: count(at(a, 'DatapointsToAlarm') ?? at(a, 'EvaluationPeriods'), 1),
          cooldownSeconds: count(at(config, 'Cooldown'), 0),
        });
      }
    }
  }

  const targetGroupId = refOf(at(service, 'LoadBalancers', 0, 'TargetGroupArn'));
  const targetGroup = targetGroupId ? template.Resources[targetGroupId]?.Properties : undefined;
  if (!targetGroup) throw new Error('the service has no target group in this template');
  const attributes = Object.fromEntries(
    list(at(targetGroup, 'TargetGroupAttributes')).map((a) => [text(at(a, 'Key'), ''), text(at(a, 'Value'), '')]),
  );
  return {
    paths,
    healthCheck: {
      intervalSeconds: count(at(targetGroup, 'HealthCheckIntervalSeconds'), 30),
      healthyThresholdCount: count(at(targetGroup, 'HealthyThresholdCount'), 5),
    },
    slowStartSeconds: count(attributes['slow_start.duration_seconds'], 0),
    algorithm: attributes['load_balancing.algorithm.type'] ?? 'round_robin',
    predictive,
  };
}

/** The template `npx cdk synth -c profile=<profile>` writes, synthesized in this process (no bundling, no validator). */
export function synthesizeProfile(profile: ProfileName): CfnTemplate {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new ScalingStack(app, `ScalingStack-${profile}`, { profile });
  return app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
}
