import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as core from '../core/web';

// The WebService's defaults in CDK types: the numbers and their reasons are in lib/core/web.ts;
// this file only converts them at the edge, so the construct reads `defaults.X` as before.

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
