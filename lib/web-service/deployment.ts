import { Duration, Lazy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { TEST_LISTENER_PORT } from '../core/web-delivery';
import * as defaults from './defaults';
import { createTargetGroup } from './load-balancer';
import type { WebDeploymentAlarms } from './props';
import type { WebServiceSettings } from './settings';

// Blue/green, canary and linear deployments (ECS-native, deploymentStrategy on the service): the
// second target group, the listener rules ECS moves traffic with, the test listener the smoke test
// reaches the new revision through, and the role ECS shifts traffic with. A rolling WebService has
// none of them. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html

/** What a progressive deployment routes with. */
export interface DeliveryRouting {
  /** The second target group: the new revision registers here while the old one serves from the other. */
  readonly alternateTargetGroup: elbv2.ApplicationTargetGroup;
  /** Production listener rule: forwards to both target groups, 100/0; ECS changes the weights. */
  readonly productionRule: elbv2.ApplicationListenerRule;
  /** Test listener (port 8080, HTTP, admitting the smoke test only), when the smoke test is on. */
  readonly testListener?: elbv2.ApplicationListener;
  /** Test listener rule: ECS sends all of its traffic to the new revision before production moves. */
  readonly testRule?: elbv2.ApplicationListenerRule;
  /** The infrastructure role ECS changes the listener rules and registers targets with. */
  readonly role: iam.Role;
}

/** The parts of the load balancer a progressive deployment routes through. */
export interface RoutingInputs {
  readonly vpc: ec2.IVpc;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The production listener (HTTPS with a certificate, else HTTP). */
  readonly listener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
}

/** The routing of a blue/green, canary or linear deployment; undefined for 'rolling'. */
export function createDeliveryRouting(scope: Construct, inputs: RoutingInputs, s: WebServiceSettings): DeliveryRouting | undefined {
  const d = s.sizing.delivery;
  if (d.deploymentStrategy === 'rolling') return undefined;
  // Identical to the primary (health check, slow start, deregistration): one function makes both.
  const alternateTargetGroup = createTargetGroup(scope, 'AlternateTargetGroup', inputs.vpc, s);
  // ECS moves traffic by rewriting the weights of a listener rule (an ALB listener's default action
  // is not a rule). '*' matches every path, so the listener's default action is never reached.
  const weighted = () =>
    elbv2.ListenerAction.weightedForward([
      { targetGroup: inputs.targetGroup, weight: 100 },
      { targetGroup: alternateTargetGroup, weight: 0 },
    ]);
  const productionRule = new elbv2.ApplicationListenerRule(scope, 'ProductionRule', {
    listener: inputs.listener,
    priority: 1,
    conditions: [elbv2.ListenerCondition.pathPatterns(['*'])],
    action: weighted(),
  });

  let testListener: elbv2.ApplicationListener | undefined;
  let testRule: elbv2.ApplicationListenerRule | undefined;
  if (d.smokeTest) {
    // Not `open`: the security group gains no rule here. The smoke test's function is the one peer
    // allowed in (./smoke-test.ts); the edge's VPC origin reaches only the production port.
    testListener = inputs.loadBalancer.addListener('TestListener', {
      port: TEST_LISTENER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.forward([inputs.targetGroup]),
    });
    testRule = new elbv2.ApplicationListenerRule(scope, 'TestRule', {
      listener: testListener,
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns(['*'])],
      action: weighted(),
    });
  }

  const role = new iam.Role(scope, 'DeploymentRole', {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    description: `${scope.node.path}: ECS shifts traffic between the target groups during a deployment`,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonECSInfrastructureRolePolicyForLoadBalancers')],
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]',
    reason:
      'The infrastructure role ECS blue/green, canary and linear deployments require: AWS maintains this policy for exactly the Elastic Load Balancing calls ECS makes (describe and modify listeners and rules, register and deregister targets), and it changes with the feature; only ecs.amazonaws.com can assume the role.',
  });
  return { alternateTargetGroup, productionRule, testListener, testRule, role };
}

/** The ECS deployment settings of the strategy: spread into the FargateService props. */
export function deploymentStrategyProps(
  s: WebServiceSettings,
): Pick<ecs.FargateServiceProps, 'deploymentStrategy' | 'bakeTime' | 'canaryConfiguration' | 'linearConfiguration'> {
  const d = s.sizing.delivery;
  const step = { stepPercent: d.trafficShiftPercent, stepBakeTime: Duration.minutes(d.trafficShiftBakeMinutes) };
  switch (d.deploymentStrategy) {
    case 'rolling':
      return {};
    case 'blueGreen':
      return { deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN, bakeTime: Duration.minutes(d.deploymentBakeMinutes) };
    case 'canary':
      return { deploymentStrategy: ecs.DeploymentStrategy.CANARY, bakeTime: Duration.minutes(d.deploymentBakeMinutes), canaryConfiguration: step };
    case 'linear':
      return { deploymentStrategy: ecs.DeploymentStrategy.LINEAR, bakeTime: Duration.minutes(d.deploymentBakeMinutes), linearConfiguration: step };
  }
}

/** Registers the service with the primary target group, and with the alternate through ECS's advanced configuration. */
export function attachToTargetGroups(service: ecs.FargateService, primary: elbv2.ApplicationTargetGroup, routing: DeliveryRouting | undefined): void {
  if (!routing) {
    service.attachToApplicationTargetGroup(primary);
    return;
  }
  const container = service.taskDefinition.defaultContainer;
  if (!container) throw new Error('the task definition has no container to register');
  service
    .loadBalancerTarget({
      containerName: container.containerName,
      alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
        alternateTargetGroup: routing.alternateTargetGroup,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(routing.productionRule),
        testListener: routing.testRule ? ecs.ListenerRuleConfiguration.applicationListenerRule(routing.testRule) : undefined,
        role: routing.role,
      }),
    })
    .attachToApplicationTargetGroup(primary);
}

/**
 * The deployment alarms of the alternate target group, which serves every other revision: its
 * tasks' 5xx rate and p99 latency. During a canary they see the new revision alone, undiluted by
 * the old one's traffic. Threshold and evaluation follow the primary alarm's (read at synthesis,
 * so a monitoring layer that adopts the primary and sets a profile's threshold sets both).
 */
export function createAlternateDeploymentAlarms(
  scope: Construct,
  alternate: elbv2.ApplicationTargetGroup,
  primary: WebDeploymentAlarms,
): cloudwatch.Alarm[] {
  const period = defaults.METRIC_PERIOD;
  const rate = new cloudwatch.MathExpression({
    expression: `IF(requests >= ${defaults.DEPLOYMENT_ALARM.minRequestsPerMinute}, 100 * FILL(target5xx, 0) / requests, 0)`,
    usingMetrics: {
      requests: alternate.metrics.requestCount({ period, statistic: 'Sum' }),
      target5xx: alternate.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
    },
    label: '5xx rate of the alternate target group (%)',
    period,
  });
  const twin = (id: string, metric: cloudwatch.IMetric, of: cloudwatch.Alarm, what: string) => {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmDescription: `${scope.node.path}: on the alternate target group (which serves every other revision), ${what} above the threshold of ${of.node.id}. Rolls back an ECS deployment in progress.`,
      metric,
      threshold: defaults.DEPLOYMENT_ALARM.errorRatePercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: defaults.DEPLOYMENT_ALARM.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const source = of.node.defaultChild as cloudwatch.CfnAlarm;
    const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    cfn.threshold = Lazy.number({ produce: () => source.threshold });
    cfn.evaluationPeriods = Lazy.number({ produce: () => source.evaluationPeriods });
    cfn.datapointsToAlarm = Lazy.number({ produce: () => source.datapointsToAlarm });
    return alarm;
  };
  return [
    twin('AlternateErrorRateAlarm', rate, primary.errorRate, 'the share of requests that end in a task 5xx (%)'),
    twin(
      'AlternateLatencyAlarm',
      alternate.metrics.targetResponseTime({ period, statistic: 'p99' }),
      primary.p99Latency,
      'p99 target response time (s)',
    ),
  ];
}
