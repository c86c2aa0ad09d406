/**
 * Defaults of the WebService that do not vary by environment, each with its reason, as plain data
 * with the unit in the name; lib/web-service/defaults.ts turns them into CDK types. Sizes that do
 * vary (task size, capacity, scaling targets) live in the profiles' `web` section.
 */

/**
 * The image the service runs when none is given: NGINX's unprivileged build on ECR Public.
 * - multi-arch (amd64 and arm64), so it runs on X86_64 Spot in dev and on Graviton in prod;
 * - answers `GET /` with 200, so the ALB health check passes without an app;
 * - runs as uid 101 and listens on 8080 (no root needed to bind a port below 1024);
 * - writes only its pid file and temp files, all under /tmp (its Dockerfile moves them there), so
 *   it runs with a read-only root filesystem when /tmp is writable (see DEFAULT_WRITABLE_PATHS);
 * - ECR Public, not Docker Hub: no anonymous pull-rate limit on a scale-out.
 * Source: github.com/nginx/docker-nginx-unprivileged (Dockerfile: `EXPOSE 8080`, `USER $UID`, the
 * `/tmp/nginx.pid` and `/tmp/*_temp` edits).
 */
export const DEFAULT_IMAGE = 'public.ecr.aws/nginx/nginx-unprivileged:stable-alpine';

/** The port the container listens on; the default image's. Above 1024 so the app needs no root. */
export const DEFAULT_CONTAINER_PORT = 8080;

/**
 * Paths that stay writable when the root filesystem is read-only, mounted as tmpfs. /tmp holds
 * everything the default image writes. Fargate supports tmpfs mounts since January 2026
 * (aws.amazon.com/about-aws/whats-new/2026/01/amazon-ecs-tmpfs-mounts-aws-fargate-managed-instances);
 * a bind-mount volume would not do: Fargate mounts those owned by root, unwritable by uid 101
 * (github.com/aws/containers-roadmap/issues/938).
 */
export const DEFAULT_WRITABLE_PATHS: readonly string[] = ['/tmp'];

/** Size of each tmpfs mount. It counts against the task's memory only as far as it is filled. */
export const TMPFS_SIZE_MIB = 64;

/** The names of the variables the WebService itself sets (the shared contract is APP_ENVIRONMENT). */
export const WEB_ENVIRONMENT = {
  /** The port the app must listen on (the container port). */
  port: 'PORT',
} as const;

/**
 * Variable names that look like credentials. Such values must arrive as ECS secrets (from Secrets
 * Manager), never in plain `environment`, where anyone who can describe the task definition reads
 * them. The contract's own credential names (DB_USER, DB_PASSWORD, CACHE_AUTH_TOKEN) are checked
 * by name as well.
 */
export const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY)$/i;

/**
 * ALB target health checks: fast enough to let a new task take traffic ~10 s after it starts.
 * Re-tuned with the 20-second scaling metrics (issue 16): once scaling decides in ~80 s, the 20 s a
 * new task spent passing two 10-second checks was an eighth of the time to serve; at 5 s it is
 * 10 s, and the model (tools/web-scaling.ts) keeps prod within 150 s from a load step to serving.
 * The cost is a health-check request every 5 s per task from each ALB node: nothing an app notices.
 */
export const HEALTH_CHECK = {
  path: '/',
  // 5 s (the ALB minimum) instead of the 30 s default: a new task is healthy after 2 x 5 s.
  intervalSeconds: 5,
  // Under the interval (the ALB requires it); an app slower than 4 s on its health path is unhealthy.
  timeoutSeconds: 4,
  // 2 (the minimum): traffic reaches a new task after 10 s of passing checks.
  healthyThresholdCount: 2,
  // 6 failures (30 s, as before the faster interval) before a task is taken out: one slow GC
  // pause does not drain it. Anomaly mitigation (prod) shifts traffic off a failing task sooner.
  unhealthyThresholdCount: 6,
  // Redirects count as alive: an app that sends `/` to `/login` is healthy.
  healthyHttpCodes: '200-399',
} as const;

/**
 * How long ECS ignores failing ALB health checks after a task starts. Long enough for a typical app
 * to boot and warm up; a task that is still failing after it is replaced.
 */
export const HEALTH_CHECK_GRACE_PERIOD_SECONDS = 60;

/**
 * How long the ALB lets in-flight requests finish on a deregistering task. The 300 s default makes
 * every deployment and scale-in wait five minutes per batch; 30 s covers any request an API should
 * serve (and is under the container's 30 s stop timeout, so ECS never kills a draining task).
 */
export const DEREGISTRATION_DELAY_SECONDS = 30;

/**
 * A new target's share of traffic ramps up over this time, so a cold task (JIT, empty caches,
 * connection pools) is not handed a full share at once. 30 s is the ALB minimum. It applies only
 * while other healthy targets exist, so a service scaling up from one task is not held back.
 */
export const SLOW_START_SECONDS = 30;

/**
 * ALB idle timeout. The default 60 s, chosen deliberately: long enough for slow API calls, and
 * below the keep-alive timeout of common servers (NGINX 65 s). The app's keep-alive timeout must be
 * longer than this, or the ALB reuses a connection the app just closed and returns a 502.
 */
export const IDLE_TIMEOUT_SECONDS = 60;

/** Deployments start new tasks before stopping old ones: up to twice the desired count runs briefly. */
export const MAX_HEALTHY_PERCENT = 200;

/**
 * Autoscaling cooldowns. Scale out quickly (about 70 s, a task start plus two health checks, is how
 * long a new task takes to serve, so a shorter cooldown would add tasks on utilization the last
 * ones have not yet relieved); scale in slowly (five minutes) so a dip between two bursts does not
 * remove tasks that are needed again a minute later.
 * Re-tuned with the 20-second metrics (issue 16): the scale-out cooldown stays 60 s. Target
 * tracking counts the capacity a scale-out added while its cooldown runs, so a growing surge is
 * still answered inside it; a 20-second cooldown would act on CPU the starting tasks do not yet share.
 */
export const SCALE_OUT_COOLDOWN_SECONDS = 60;
export const SCALE_IN_COOLDOWN_SECONDS = 300;

/**
 * ECS service metrics that have a 20-second version (`AWS::ECS::Service` `Monitoring`
 * `MetricConfigurations[].MetricNames`), and the Application Auto Scaling predefined metric that
 * tracks each at that resolution. Source: docs.aws.amazon.com/AmazonECS/latest/developerguide/target-tracking-faster-auto-scaling.html
 * (and API_PredefinedMetricSpecification: "You must enable high-resolution metrics in Amazon ECS
 * before creating a scaling policy with this metric type"). ALB metrics have no such option.
 */
export const HIGH_RESOLUTION_METRICS = ['CPUUtilization', 'MemoryUtilization'] as const;
export const HIGH_RESOLUTION_PREDEFINED_METRICS: Readonly<Record<(typeof HIGH_RESOLUTION_METRICS)[number], string>> = {
  CPUUtilization: 'ECSServiceAverageCPUUtilizationHighResolution',
  MemoryUtilization: 'ECSServiceAverageMemoryUtilizationHighResolution',
};
/** The resolution ECS publishes those metrics at when asked (the only values are 20 and 60). */
export const HIGH_RESOLUTION_PERIOD_SECONDS = 20;

/**
 * Step scaling on p99 target response time: scale out when p99 exceeds this for one minute. It
 * reacts in one 1-minute datapoint where 60-second target tracking waits for three. 1 s is slow
 * for an API and unusual for a healthy one; raise it for an app whose normal p99 is higher.
 * Re-tuning with faster data (issue 16): none is possible here. TargetResponseTime is an ALB
 * metric, published per minute only, and one datapoint is already the least an alarm can wait
 * for; with 20-second CPU the step policy is the path for load that raises latency before CPU
 * (a slow dependency, lock contention), not the first responder. With two target groups
 * (blue/green, canary, linear) it reads the load balancer's p99, not one group's: the live group
 * alternates every release (lib/web-service/live-traffic.ts).
 */
export const LATENCY_SCALE_OUT_THRESHOLD_SECONDS = 1;

/**
 * The steps of that policy, as a percentage of the running tasks (at least one task): +25 % above
 * the threshold, +50 % above twice the threshold. A percentage keeps the reaction proportional
 * from 1 to 30 tasks.
 */
export const LATENCY_STEPS = [
  { thresholdFactor: 1, addPercent: 25 },
  { thresholdFactor: 2, addPercent: 50 },
] as const;

/**
 * Deployment (rollback) alarms. Each fires on 2 of 3 one-minute datapoints: a single bad minute
 * does not roll back a deployment, a bad version is caught within about three minutes.
 */
export const DEPLOYMENT_ALARM = {
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  /** 5xx responses (from the ALB and the targets) as a percentage of all requests. */
  errorRatePercent: 5,
  /** Below this many requests a minute the rate is not judged: 1 error in 3 requests is not a trend. */
  minRequestsPerMinute: 20,
  /** p99 target response time. Twice the scale-out threshold: slow enough that scaling did not help. */
  p99LatencySeconds: 2,
} as const;

/** Period of every metric the service publishes alarms and scaling on: ALB and ECS report per minute. */
export const METRIC_PERIOD_SECONDS = 60;

/** Prefix of ALB access-log objects in the log bucket. */
export const ACCESS_LOG_PREFIX = 'alb';

/**
 * Fargate task sizes: for each CPU value (vCPU units), the memory values (MiB) Fargate accepts.
 * Source: AWS, "Task CPU and memory" for Fargate (docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 * and the table in docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html).
 * 8 and 16 vCPU need Linux platform version 1.4.0 or later (the default, LATEST).
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, by: number): number[] {
  return Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);
}

/** The memory values Fargate accepts for `cpu`, described for an error message. */
export function describeFargateMemory(cpu: number): string {
  const values = FARGATE_TASK_SIZES[cpu];
  if (!values) return '';
  if (values.length <= 4) return values.join(', ');
  return `${values[0]} to ${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}
