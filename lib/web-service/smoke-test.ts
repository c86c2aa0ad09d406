import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SMOKE_TEST_ENVIRONMENT, SMOKE_TEST_REQUEST_TIMEOUT_SECONDS, TEST_LISTENER_PORT } from '../core/web-delivery';
import { grantOwnLogGroup, grantVpcNetworkInterfaces } from '../private/lambda-role';
import { WORKER_ARCHITECTURE, WORKER_RUNTIME, workerBundling } from '../private/worker-defaults';
import { lambdaEntry } from '../queue-worker/package-paths';
import type { WebServiceSettings } from './settings';
import { acknowledgeTracingWrites, lambdaTracing } from '../private/lambda-tracing';

/** The smoke-test hook of a deployment: the function, its network path and the role ECS invokes it with. */
export interface SmokeTest {
  readonly function: nodejs.NodejsFunction;
  readonly securityGroup: ec2.SecurityGroup;
  /** Assumed by ECS to invoke the function (lambda:InvokeFunction on it, nothing else). */
  readonly invokeRole: iam.Role;
  readonly hook: ecs.IDeploymentLifecycleHookTarget;
}

/**
 * A Lambda function (lambda/smoke-test) that ECS runs once test traffic reaches the new revision
 * (POST_TEST_TRAFFIC_SHIFT, before any production traffic moves). It requests the paths through the
 * test listener and answers `hookStatus` FAILED on a status outside 200-399 or a timeout, which
 * rolls the deployment back. In the tasks' subnets; its security group reaches the load balancer's
 * test port and nothing else, and the load balancer admits it there only.
 */
export function createSmokeTest(
  scope: Construct,
  vpc: ec2.IVpc,
  loadBalancer: elbv2.ApplicationLoadBalancer,
  s: WebServiceSettings,
  /** Traced when the service is (its test requests then show in the trace map). */
  traced = false,
): SmokeTest {
  const tracing = lambdaTracing(traced);
  const paths = s.sizing.delivery.smokeTestPaths.length > 0 ? [...s.sizing.delivery.smokeTestPaths] : [s.healthCheck.path];
  const securityGroup = new ec2.SecurityGroup(scope, 'SmokeTestSecurityGroup', {
    vpc,
    description: `${scope.node.path}: the deployment smoke test, reaching the test listener of the load balancer only`,
    allowAllOutbound: false,
  });
  // Ingress on the load balancer's group and egress on the function's, for the test port alone.
  loadBalancer.connections.allowFrom(securityGroup, ec2.Port.tcp(TEST_LISTENER_PORT), 'the deployment smoke test');

  const logGroup = new logs.LogGroup(scope, 'SmokeTestLogs', { retention: s.logRetention, removalPolicy: RemovalPolicy.DESTROY });
  const role = new iam.Role(scope, 'SmokeTestRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `${scope.node.path}: the deployment smoke test's function`,
  });
  grantOwnLogGroup(role, logGroup);
  grantVpcNetworkInterfaces(role);
  const fn = new nodejs.NodejsFunction(scope, 'SmokeTest', {
    entry: lambdaEntry('smoke-test'),
    handler: 'handler',
    runtime: WORKER_RUNTIME,
    architecture: WORKER_ARCHITECTURE,
    memorySize: 128,
    // Every path in turn, each up to its timeout, and room to answer.
    timeout: Duration.seconds(paths.length * SMOKE_TEST_REQUEST_TIMEOUT_SECONDS + 10),
    role,
    logGroup,
    vpc,
    vpcSubnets: s.taskSubnets,
    securityGroups: [securityGroup],
    bundling: workerBundling(false),
    description: `${scope.node.path}: deployment smoke test through the test listener`,
    tracing: tracing.tracing,
    environment: {
      ...tracing.environment,
      [SMOKE_TEST_ENVIRONMENT.baseUrl]: `http://${loadBalancer.loadBalancerDnsName}:${TEST_LISTENER_PORT}`,
      [SMOKE_TEST_ENVIRONMENT.paths]: JSON.stringify(paths),
      [SMOKE_TEST_ENVIRONMENT.timeoutMs]: String(SMOKE_TEST_REQUEST_TIMEOUT_SECONDS * 1000),
    },
  });

  acknowledgeTracingWrites(role, tracing);

  // ECS assumes this role to invoke the hook: the function itself, no versions or aliases.
  const invokeRole = new iam.Role(scope, 'SmokeTestHookRole', {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    description: `${scope.node.path}: ECS invokes the deployment smoke test`,
  });
  invokeRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
  const hook = new ecs.DeploymentLifecycleLambdaTarget(fn, 'SmokeTestHook', {
    role: invokeRole,
    lifecycleStages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT],
  });
  return { function: fn, securityGroup, invokeRole, hook };
}
