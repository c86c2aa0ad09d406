import { Lazy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';
import type { WebSizing } from '../core/web-sizing';
import * as defaults from './defaults';
import { attachToTargetGroups, deploymentStrategyProps, type DeliveryRouting } from './deployment';
import type { WebDeploymentAlarms } from './props';
import type { WebServiceSettings } from './settings';

// The Fargate side of a WebService: the cluster and its capacity providers, the alarms that roll a
// deployment back, and the service with its deployment settings. Each part is created in `scope`
// (the WebService) under the construct ID it has always had.

/** The cluster, with both Fargate capacity providers associated and Container Insights as asked. */
export function createCluster(scope: Construct, vpc: ec2.IVpc, containerInsights: boolean): ecs.Cluster {
  const cluster = new ecs.Cluster(scope, 'Cluster', {
    vpc,
    containerInsightsV2: containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
    enableFargateCapacityProviders: true,
  });
  if (!containerInsights) {
    Validations.of(cluster).acknowledge({
      id: 'AwsSolutions-ECS4',
      reason:
        'Container Insights is turned off by the containerInsights prop (the dev profile, to save its $8.40/month of custom metrics); the service still publishes CPU and memory to AWS/ECS and the ALB its healthy hosts.',
    });
  }
  return cluster;
}

/** The metrics the deployment alarms judge. */
export interface DeploymentAlarmMetrics {
  /** 5xx responses as a percentage of requests. */
  readonly errorRate: cloudwatch.IMetric;
  /** p99 target response time, in seconds. */
  readonly p99Latency: cloudwatch.IMetric;
}

/**
 * The 5xx-rate and p99-latency alarms that roll an ECS deployment back. Each fires on 2 of 3
 * one-minute datapoints (lib/core/web.ts, DEPLOYMENT_ALARM); no traffic is no evidence either way.
 */
export function createDeploymentAlarms(scope: Construct, metrics: DeploymentAlarmMetrics): WebDeploymentAlarms {
  const a = defaults.DEPLOYMENT_ALARM;
  const common = {
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  return {
    errorRate: new cloudwatch.Alarm(scope, 'ErrorRateAlarm', {
      alarmDescription: `${scope.node.path}: more than ${a.errorRatePercent} % of requests end in a 5xx (ALB or targets). Rolls back an ECS deployment in progress.`,
      metric: metrics.errorRate,
      threshold: a.errorRatePercent,
      ...common,
    }),
    p99Latency: new cloudwatch.Alarm(scope, 'LatencyAlarm', {
      alarmDescription: `${scope.node.path}: p99 target response time above ${a.p99Latency.toSeconds()} s. Rolls back an ECS deployment in progress.`,
      metric: metrics.p99Latency,
      threshold: a.p99Latency.toSeconds(),
      ...common,
    }),
  };
}

/** What the Fargate service is built on. */
export interface ServiceInputs {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly deploymentAlarms: WebDeploymentAlarms;
  /** The routing of a blue/green, canary or linear deployment (./deployment.ts); absent for rolling. */
  readonly routing?: DeliveryRouting;
  /** Further alarms that roll a deployment back (the alternate target group's). */
  readonly extraDeploymentAlarms?: readonly cloudwatch.IAlarm[];
  /**
   * Every alarm that rolls a deployment back, read at synthesis: createService puts the deployment
   * alarms first, and the owner may push more later. (`BaseService.enableDeploymentAlarms()` in
   * aws-cdk-lib 2.276 drops names added to alarms given at construction: it discards the result
   * of `alarmNames.concat(...)`.)
   */
  readonly rollbackAlarms: cloudwatch.IAlarm[];
  /** The smoke-test hook, when the profile runs one. */
  readonly lifecycleHooks?: readonly ecs.IDeploymentLifecycleHookTarget[];
}

/**
 * The Fargate service (construct ID `Resource`, the WebService's primary child) in private subnets
 * without public IPs, on the capacity providers the sizing gives, rolled back by the circuit
 * breaker and the deployment alarms, registered with the target group (and, for blue/green, canary
 * and linear, with the alternate one through ECS's advanced configuration).
 *
 * Two mechanisms roll back, and they watch different things. The circuit breaker counts tasks of
 * the new revision that fail to start or to pass health checks: it stops a revision that never
 * becomes healthy, in every strategy, before (canary, linear) any production traffic reaches it.
 * The deployment alarms judge what the traffic sees (5xx rate, p99 latency, SLO fast burn): in
 * ALARM during a traffic shift or the bake time after it, ECS moves production traffic back to the
 * old revision, which is still running. A failed smoke-test hook rolls back the same way.
 */
export function createService(scope: Construct, inputs: ServiceInputs, s: WebServiceSettings): ecs.FargateService {
  const alarms = inputs.deploymentAlarms;
  const rollbackAlarms = inputs.rollbackAlarms;
  rollbackAlarms.unshift(alarms.errorRate, alarms.p99Latency, ...(inputs.extraDeploymentAlarms ?? []));
  const service = new ecs.FargateService(scope, 'Resource', {
    cluster: inputs.cluster,
    taskDefinition: inputs.taskDefinition,
    vpcSubnets: s.taskSubnets,
    assignPublicIp: false,
    // No desiredCount: CloudFormation would reset the running count to it on every deployment,
    // dropping a scaled-out service to its floor. Autoscaling raises it to minTasks.
    capacityProviderStrategies: capacityProviders(s.sizing),
    minHealthyPercent: s.sizing.minHealthyPercent,
    maxHealthyPercent: defaults.MAX_HEALTHY_PERCENT,
    healthCheckGracePeriod: s.healthCheckGracePeriod,
    circuitBreaker: { enable: true, rollback: true },
    deploymentAlarms: {
      // Read at synthesis: alarms added later (WebService.addDeploymentAlarms) are included.
      alarmNames: Lazy.list({ produce: () => rollbackAlarms.map((a) => a.alarmName) }),
      behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
    },
    ...deploymentStrategyProps(s),
    lifecycleHooks: inputs.lifecycleHooks ? [...inputs.lifecycleHooks] : undefined,
    platformVersion: ecs.FargatePlatformVersion.LATEST,
    propagateTags: ecs.PropagatedTagSource.SERVICE,
    enableECSManagedTags: true,
  });
  // The capacity providers must be associated with the cluster before the service names them;
  // the association is a child of the cluster, so depend on all of it.
  service.node.addDependency(inputs.cluster);
  attachToTargetGroups(service, inputs.targetGroup, inputs.routing);
  return service;
}

/** FARGATE for the base and its weight, FARGATE_SPOT for its weight; providers without a share are left out. */
function capacityProviders(s: Pick<WebSizing, 'onDemandBaseTasks' | 'onDemandWeight' | 'spotWeight'>): ecs.CapacityProviderStrategy[] {
  const strategies: ecs.CapacityProviderStrategy[] = [];
  if (s.onDemandBaseTasks > 0 || s.onDemandWeight > 0) {
    strategies.push({ capacityProvider: 'FARGATE', base: s.onDemandBaseTasks || undefined, weight: s.onDemandWeight });
  }
  if (s.spotWeight > 0) strategies.push({ capacityProvider: 'FARGATE_SPOT', weight: s.spotWeight });
  return strategies;
}
