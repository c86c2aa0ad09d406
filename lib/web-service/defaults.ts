import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as core from '../core/web';
import { DEFAULT_DELIVERY } from '../core/web-delivery';
import type { WebSizing } from '../core/web-sizing';

// The WebService's defaults in CDK types. The fixed settings (health checks, cooldowns, alarms) and
// their reasons are in lib/core/web.ts and only converted here; the sizing of a WebService used
// alone is below, beside the props it fills in.

/**
 * The sizing of a WebService used alone, by the project's default policy: small by default, and
 * availability opt-in. ScalingStack passes every one of these from its profile, so they apply only
 * to a WebService a user creates without them.
 */
export const SIZING: WebSizing = {
  // The smallest Fargate task: 0.25 vCPU / 0.5 GiB.
  cpu: 256,
  memoryMiB: 512,
  // Fargate Spot is the cheapest capacity (up to 70 % below on demand, AWS's figure; ARM64 on
  // demand saves only ~20 %) and runs only X86_64. A reclaim costs a task for the minutes of its
  // replacement; steady on-demand capacity is opt-in (onDemandWeight, onDemandBaseTasks).
  cpuArchitecture: 'X86_64',
  onDemandBaseTasks: 0,
  onDemandWeight: 0,
  spotWeight: 1,
  // One task; several (to survive the loss of a task or an AZ) are opt-in. A ceiling of two lets a
  // burst be absorbed while capping the bill at two tasks.
  minTasks: 1,
  maxTasks: 2,
  // With one or two tasks, cost matters more than headroom: scale out at 75 % CPU.
  cpuTargetPercent: 75,
  // Memory rarely tracks load; 80 % leaves room for a spike before the kernel kills the task.
  memoryTargetPercent: 80,
  // ~100 requests/s per vCPU assumed for a typical API: 0.25 vCPU ~25/s; 75 % is ~19/s = 1,125/min.
  requestsPerTarget: 1125,
  // 50 % of one task rounds up to one, so a deployment never empties a one-task service; a
  // scaled-out one replaces half its tasks at a time instead of doubling them.
  minHealthyPercent: 50,
  // The load balancer holds no data: a deletion loses nothing a deploy does not recreate, except
  // its DNS name (which an alias record follows). Protection would make `cdk destroy` fail.
  deletionProtection: false,
  // Forecasts need days of history with a daily pattern; a user opts in once there is one.
  predictiveScaling: 'off',
  // 20-second metrics are billed; 60-second ones are free. Opt in where scaling speed pays.
  highResolutionMetrics: [],
  // Needs 2 or more tasks and turns slow start off; a WebService used alone runs one.
  anomalyMitigation: false,
  scaleSchedule: [],
  // Per-task metrics and the running-task count (which metricRunningTaskCount() and the monitoring
  // read); cdk-nag's AwsSolutions-ECS4 asks for it. Its custom metrics are billed: opt out to save them.
  containerInsights: true,
  // Rolling replacement, as a WebService has always deployed (lib/core/web-delivery.ts).
  delivery: DEFAULT_DELIVERY,
};

/** How long container logs and access logs are kept: a week looks back over a weekend and costs little. */
export const LOG_RETENTION = logs.RetentionDays.ONE_WEEK;

export {
  ACCESS_LOG_PREFIX,
  CREDENTIAL_NAME,
  DEFAULT_CONTAINER_PORT,
  DEFAULT_IMAGE,
  DEFAULT_WRITABLE_PATHS,
  FARGATE_TASK_SIZES,
  LATENCY_STEPS,
  MAX_HEALTHY_PERCENT,
  TMPFS_SIZE_MIB,
  WEB_ENVIRONMENT,
  describeFargateMemory,
} from '../core/web';

/** ALB target health checks (lib/core/web.ts, HEALTH_CHECK). */
export const HEALTH_CHECK = {
  path: core.HEALTH_CHECK.path,
  interval: Duration.seconds(core.HEALTH_CHECK.intervalSeconds),
  timeout: Duration.seconds(core.HEALTH_CHECK.timeoutSeconds),
  healthyThresholdCount: core.HEALTH_CHECK.healthyThresholdCount,
  unhealthyThresholdCount: core.HEALTH_CHECK.unhealthyThresholdCount,
  healthyHttpCodes: core.HEALTH_CHECK.healthyHttpCodes,
} as const;
export const HEALTH_CHECK_GRACE_PERIOD = Duration.seconds(core.HEALTH_CHECK_GRACE_PERIOD_SECONDS);
export const DEREGISTRATION_DELAY = Duration.seconds(core.DEREGISTRATION_DELAY_SECONDS);
export const SLOW_START = Duration.seconds(core.SLOW_START_SECONDS);
export const IDLE_TIMEOUT = Duration.seconds(core.IDLE_TIMEOUT_SECONDS);
export const SCALE_OUT_COOLDOWN = Duration.seconds(core.SCALE_OUT_COOLDOWN_SECONDS);
export const SCALE_IN_COOLDOWN = Duration.seconds(core.SCALE_IN_COOLDOWN_SECONDS);
export const LATENCY_SCALE_OUT_THRESHOLD = Duration.seconds(core.LATENCY_SCALE_OUT_THRESHOLD_SECONDS);
export const DEPLOYMENT_ALARM = {
  evaluationPeriods: core.DEPLOYMENT_ALARM.evaluationPeriods,
  datapointsToAlarm: core.DEPLOYMENT_ALARM.datapointsToAlarm,
  errorRatePercent: core.DEPLOYMENT_ALARM.errorRatePercent,
  minRequestsPerMinute: core.DEPLOYMENT_ALARM.minRequestsPerMinute,
  p99Latency: Duration.seconds(core.DEPLOYMENT_ALARM.p99LatencySeconds),
} as const;
export const METRIC_PERIOD = Duration.seconds(core.METRIC_PERIOD_SECONDS);

/**
 * TLS policy of the HTTPS listener: TLS 1.3 and 1.2 only, forward-secret ciphers, with hybrid
 * post-quantum key exchange (ELBSecurityPolicy-TLS13-1-2-PQ-2025-09). Clients that need TLS 1.0/1.1
 * are not supported.
 */
export const SSL_POLICY = elbv2.SslPolicy.TLS13_12_PQ;
