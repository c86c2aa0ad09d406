import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { WebServiceValues } from './checks';
import * as defaults from './defaults';
import type { WebServiceProps } from './props';

/** Everything a WebService is built from: its props with every default applied. */
export interface WebServiceSettings extends WebServiceValues {
  readonly readonlyRootFilesystem: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly internetFacing: boolean;
  readonly loadBalancerSubnets: ec2.SubnetSelection;
  readonly taskSubnets: ec2.SubnetSelection;
}

/**
 * Applies the defaults once, so the parts of the construct read settled values and the checks judge
 * exactly what will be built. A prop given as `undefined` keeps its default, as an absent one does.
 */
export function resolveSettings(props: WebServiceProps): WebServiceSettings {
  const s = defaults.SIZING;
  return {
    sizing: {
      cpu: props.cpu ?? s.cpu,
      memoryMiB: props.memoryMiB ?? s.memoryMiB,
      cpuArchitecture: props.cpuArchitecture ?? s.cpuArchitecture,
      onDemandBaseTasks: props.onDemandBaseTasks ?? s.onDemandBaseTasks,
      onDemandWeight: props.onDemandWeight ?? s.onDemandWeight,
      spotWeight: props.spotWeight ?? s.spotWeight,
      minTasks: props.minTasks ?? s.minTasks,
      maxTasks: props.maxTasks ?? s.maxTasks,
      cpuTargetPercent: props.cpuTargetPercent ?? s.cpuTargetPercent,
      memoryTargetPercent: props.memoryTargetPercent ?? s.memoryTargetPercent,
      requestsPerTarget: props.requestsPerTarget ?? s.requestsPerTarget,
      minHealthyPercent: props.minHealthyPercent ?? s.minHealthyPercent,
      deletionProtection: props.deletionProtection ?? s.deletionProtection,
      predictiveScaling: props.predictiveScaling ?? s.predictiveScaling,
      highResolutionMetrics: props.highResolutionMetrics ?? s.highResolutionMetrics,
      anomalyMitigation: props.anomalyMitigation ?? s.anomalyMitigation,
      scaleSchedule: props.scaleSchedule ?? s.scaleSchedule,
      containerInsights: props.containerInsights ?? s.containerInsights,
      delivery: {
        deploymentStrategy: props.deploymentStrategy ?? s.delivery.deploymentStrategy,
        trafficShiftPercent: props.trafficShiftPercent ?? s.delivery.trafficShiftPercent,
        trafficShiftBakeMinutes: props.trafficShiftBakeMinutes ?? s.delivery.trafficShiftBakeMinutes,
        deploymentBakeMinutes: props.deploymentBakeMinutes ?? s.delivery.deploymentBakeMinutes,
        smokeTest: props.smokeTest ?? s.delivery.smokeTest,
        smokeTestPaths: [...(props.smokeTestPaths ?? s.delivery.smokeTestPaths)],
      },
    },
    containerPort: props.containerPort ?? defaults.DEFAULT_CONTAINER_PORT,
    healthCheck: { ...defaults.HEALTH_CHECK, ...definedOnly(props.healthCheck) },
    healthCheckGracePeriod: props.healthCheckGracePeriod ?? defaults.HEALTH_CHECK_GRACE_PERIOD,
    deregistrationDelay: props.deregistrationDelay ?? defaults.DEREGISTRATION_DELAY,
    // Weighted random routing (anomaly mitigation) allows no slow start.
    slowStart: props.slowStart ?? ((props.anomalyMitigation ?? s.anomalyMitigation) ? Duration.seconds(0) : defaults.SLOW_START),
    idleTimeout: props.idleTimeout ?? defaults.IDLE_TIMEOUT,
    latencyThreshold: props.latencyScaleOutThreshold ?? defaults.LATENCY_SCALE_OUT_THRESHOLD,
    environment: { ...props.environment },
    secrets: { ...props.secrets },
    readonlyRootFilesystem: props.readonlyRootFilesystem ?? true,
    writablePaths: props.writablePaths ?? [...defaults.DEFAULT_WRITABLE_PATHS],
    logRetention: props.logRetention ?? defaults.LOG_RETENTION,
    certificate: props.certificate,
    domainName: props.domainName,
    hostedZone: props.hostedZone,
    internetFacing: props.internetFacing ?? true,
    loadBalancerSubnets: props.loadBalancerSubnets ?? {
      subnetType: (props.internetFacing ?? true) ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    },
    taskSubnets: props.taskSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
