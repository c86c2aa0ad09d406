import { Size, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as defaults from './defaults';
import type { WebServiceSettings } from './settings';
import { createTraceCollector, otelEnvironment, type ResolvedTracing } from './trace-collector';

/** What one task of a WebService runs. */
export interface TaskParts {
  readonly logGroup: logs.LogGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  /** The OpenTelemetry collector sidecar, with tracing. */
  readonly traceCollector?: ecs.ContainerDefinition;
}

/**
 * The log group, the Fargate task definition and its one container: sized and placed on the
 * architecture the settings give, hardened (init process, read-only root filesystem with tmpfs
 * where the app writes), configured by `PORT` and the caller's environment and secrets. Created in
 * `scope` (the WebService) under the construct IDs the service has always had.
 *
 * With `tracing`, the task also runs the trace collector (./trace-collector.ts): the app container
 * is then given the task's CPU and memory minus the collector's, and the OpenTelemetry SDK's
 * variables under the caller's environment (a key the caller gives wins).
 */
export function createTask(scope: Construct, image: ecs.ContainerImage, s: WebServiceSettings, tracing?: ResolvedTracing): TaskParts {
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: s.logRetention });
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: s.sizing.cpu,
    memoryLimitMiB: s.sizing.memoryMiB,
    runtimePlatform: {
      cpuArchitecture: ecs.CpuArchitecture[s.sizing.cpuArchitecture],
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    },
  });
  const linuxParameters = new ecs.LinuxParameters(scope, 'LinuxParameters', {
    // An init process forwards SIGTERM to the app and reaps zombies, whatever the image's PID 1.
    initProcessEnabled: true,
  });
  if (s.readonlyRootFilesystem) {
    linuxParameters.addTmpfs(
      ...s.writablePaths.map((containerPath) => ({
        containerPath,
        size: defaults.TMPFS_SIZE_MIB,
        mountOptions: [ecs.TmpfsMountOption.NOEXEC, ecs.TmpfsMountOption.NOSUID, ecs.TmpfsMountOption.NODEV],
      })),
    );
  }
  const container = taskDefinition.addContainer('App', {
    image,
    portMappings: [{ containerPort: s.containerPort, name: 'http' }],
    // The caller's values win over the service's own (a key given twice is the caller's).
    environment: { [defaults.WEB_ENVIRONMENT.port]: String(s.containerPort), ...(tracing ? otelEnvironment(tracing) : {}), ...s.environment },
    // Beside a collector, the app's share of the task is explicit; alone, it has the whole task.
    ...(tracing ? { cpu: s.sizing.cpu - tracing.collectorCpu, memoryLimitMiB: s.sizing.memoryMiB - tracing.collectorMemoryMiB } : {}),
    secrets: { ...s.secrets },
    readonlyRootFilesystem: s.readonlyRootFilesystem,
    linuxParameters,
    logging: ecs.LogDrivers.awsLogs({
      logGroup,
      streamPrefix: 'web',
      // A slow log pipeline must never block request handling; 25 MiB buffers bursts.
      mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      maxBufferSize: Size.mebibytes(25),
    }),
  });
  Validations.of(taskDefinition).acknowledge({
    id: 'AwsSolutions-ECS2',
    reason:
      'The web container receives only non-secret configuration as environment variables (PORT and the endpoints and names of the APP_ENVIRONMENT contract); WebService rejects credential-like names there, and credentials arrive as ECS secrets from Secrets Manager. The trace collector receives only its configuration (AOT_CONFIG_CONTENT, no credentials: it signs with the task role).',
  });
  const traceCollector = tracing ? createTraceCollector(scope, { logGroup, taskDefinition, container }, tracing).container : undefined;
  return { logGroup, taskDefinition, container, traceCollector };
}
