import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as xray from 'aws-cdk-lib/aws-xray';
import type { Construct } from 'constructs';
import {
  COLLECTOR_HEALTH_CHECK,
  OTEL_ENVIRONMENT,
  OTLP_HTTP_PORT,
  TRACE_COLLECTOR_CONFIG,
  TRACE_COLLECTOR_IMAGE,
  XRAY_PROXY_PORT,
  XRAY_WRITE_ACTIONS,
  type TracingSettings,
} from '../core/tracing';
import type { Problems } from '../private/problems';
import { checkTracingSettings } from '../core/tracing';
import type { WebServiceTracing } from './props';

/** A WebService's tracing with every default applied (what the construct builds and judges). */
export interface ResolvedTracing extends Omit<TracingSettings, 'enabled'> {
  readonly serviceName: string;
  readonly resourceAttributes: Record<string, string>;
}

/** The defaults of `WebServiceTracing` (X-Ray's own default rule: 1 a second and 5 % of the rest). */
export const TRACING_DEFAULTS = { samplingRate: 0.05, reservoirPerSecond: 1, collectorCpu: 64, collectorMemoryMiB: 128 } as const;

/**
 * Priority of the service's sampling rule: X-Ray evaluates rules in ascending priority and its
 * `Default` rule is 10000, so 1000 wins for this service and leaves room on both sides for the
 * account's own rules.
 */
export const SAMPLING_RULE_PRIORITY = 1000;

/** The props' tracing with its defaults, or undefined when tracing is off. */
export function resolveTracing(scope: Construct, tracing: WebServiceTracing | undefined): ResolvedTracing | undefined {
  if (!tracing) return undefined;
  return {
    serviceName: tracing.serviceName ?? `${Stack.of(scope).stackName}-${scope.node.id}`.toLowerCase(),
    samplingRate: tracing.samplingRate ?? TRACING_DEFAULTS.samplingRate,
    reservoirPerSecond: tracing.reservoirPerSecond ?? TRACING_DEFAULTS.reservoirPerSecond,
    collectorCpu: tracing.collectorCpu ?? TRACING_DEFAULTS.collectorCpu,
    collectorMemoryMiB: tracing.collectorMemoryMiB ?? TRACING_DEFAULTS.collectorMemoryMiB,
    resourceAttributes: { ...tracing.resourceAttributes },
  };
}

/** Every problem of the tracing props (named `tracing.<field>`), against the task size they are carved from. */
export function checkTracing(p: Problems, t: ResolvedTracing | undefined, task: { cpu: number; memoryMiB: number }): void {
  if (!t) return;
  checkTracingSettings(p, { enabled: true, ...t }, 'tracing.', task);
  p.check(
    /^[A-Za-z0-9 _.:/%&#=+\-@]{1,64}$/.test(t.serviceName) || p.isUnresolved(t.serviceName),
    `tracing.serviceName ('${t.serviceName}') must be 1-64 characters of letters, digits, spaces and _.:/%&#=+-@ (X-Ray's service names)`,
  );
}

/**
 * The OpenTelemetry SDK's variables for the app container (the app contract's tracing part,
 * docs/tracing.md): OTLP/HTTP to the sidecar, the service name, the X-Ray propagator first (the
 * load balancer's `X-Amzn-Trace-Id` and SQS's `AWSTraceHeader` carry that format), and the X-Ray
 * remote sampler reading the service's rule through the collector's awsproxy.
 */
export function otelEnvironment(t: ResolvedTracing): Record<string, string> {
  const attributes = Object.entries(t.resourceAttributes).map(([k, v]) => `${k}=${v}`);
  return {
    [OTEL_ENVIRONMENT.endpoint]: `http://localhost:${OTLP_HTTP_PORT}`,
    [OTEL_ENVIRONMENT.protocol]: 'http/protobuf',
    [OTEL_ENVIRONMENT.serviceName]: t.serviceName,
    [OTEL_ENVIRONMENT.propagators]: 'xray,tracecontext',
    [OTEL_ENVIRONMENT.sampler]: 'xray',
    [OTEL_ENVIRONMENT.samplerArg]: `endpoint=http://localhost:${XRAY_PROXY_PORT}`,
    ...(attributes.length > 0 ? { [OTEL_ENVIRONMENT.resourceAttributes]: attributes.join(',') } : {}),
  };
}

/** The task the collector joins (what ./task.ts creates). */
export interface CollectorTask {
  readonly logGroup: logs.ILogGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The app container, which starts once the collector is healthy. */
  readonly container: ecs.ContainerDefinition;
}

/** What tracing adds to a WebService. */
export interface TraceCollectorParts {
  readonly container: ecs.ContainerDefinition;
  readonly samplingRule: xray.CfnSamplingRule;
}

/**
 * The collector sidecar, in the task `task` describes:
 * - the ADOT image, pinned; its config (lib/core/tracing.ts) in `AOT_CONFIG_CONTENT`;
 * - `collectorCpu` / `collectorMemoryMiB` of the task (createTask gives the app container the rest,
 *   so neither can starve the other);
 * - essential, with a health check: a collector that stops answering fails the task, which ECS
 *   replaces, rather than the app running on with its spans dropped; the app container starts
 *   only once the collector is HEALTHY, so the first requests' spans are not lost;
 * - logs to the service's log group (stream prefix `otel`), read-only root filesystem;
 * - the task role gets the X-Ray write and sampling actions, nothing else;
 * - the X-Ray sampling rule of the service.
 */
export function createTraceCollector(scope: Construct, task: CollectorTask, t: ResolvedTracing): TraceCollectorParts {
  const collector = task.taskDefinition.addContainer('TraceCollector', {
    image: ecs.ContainerImage.fromRegistry(TRACE_COLLECTOR_IMAGE),
    essential: true,
    cpu: t.collectorCpu,
    memoryLimitMiB: t.collectorMemoryMiB,
    readonlyRootFilesystem: true,
    environment: { AOT_CONFIG_CONTENT: TRACE_COLLECTOR_CONFIG },
    healthCheck: {
      command: [...COLLECTOR_HEALTH_CHECK.command],
      interval: Duration.seconds(COLLECTOR_HEALTH_CHECK.intervalSeconds),
      timeout: Duration.seconds(COLLECTOR_HEALTH_CHECK.timeoutSeconds),
      retries: COLLECTOR_HEALTH_CHECK.retries,
      startPeriod: Duration.seconds(COLLECTOR_HEALTH_CHECK.startPeriodSeconds),
    },
    logging: ecs.LogDrivers.awsLogs({ logGroup: task.logGroup, streamPrefix: 'otel', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
  });
  task.container.addContainerDependencies({ container: collector, condition: ecs.ContainerDependencyCondition.HEALTHY });

  const role = task.taskDefinition.taskRole as iam.Role;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...XRAY_WRITE_ACTIONS], resources: ['*'] }));
  Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'The trace collector sends segments and reads sampling rules: xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets and GetSamplingStatisticSummaries accept no resource narrower than * (X-Ray has no resource-level permissions for them: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).',
  });

  const samplingRule = new xray.CfnSamplingRule(scope, 'SamplingRule', {
    samplingRule: {
      // Unique in the account and region (several stacks may share one), at most 32 characters.
      ruleName: Names.uniqueResourceName(scope, { maxLength: 32, separator: '-' }),
      priority: SAMPLING_RULE_PRIORITY,
      fixedRate: t.samplingRate,
      reservoirSize: t.reservoirPerSecond,
      serviceName: t.serviceName,
      serviceType: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      resourceArn: '*',
      version: 1,
    },
  });
  return { container: collector, samplingRule };
}
