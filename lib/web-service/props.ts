import type { Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type {
  CpuArchitectureName,
  HighResolutionMetricName,
  PredictiveScalingMode,
  WebDeliveryProfile,
  WebScaleSchedule,
} from '../core/profiles/profile';

import type { WebServiceTracing } from './tracing-props';

export type { WebServiceTracing } from './tracing-props';

// The WebService's public props. Every optional prop states what happens when it is left out; the
// values sit in ./defaults.ts. The policy for a WebService used alone: small by default (one
// 0.25 vCPU / 0.5 GiB task on Fargate Spot), availability opt-in (several tasks, on-demand
// capacity), and nothing to lose by accident (the load balancer holds no data; the logs are kept
// when the stack is deleted). ScalingStack passes every sizing prop from its profile instead.

/** Health check of the ALB against each task. */
export interface WebHealthCheck {
  /**
   * Path the ALB requests on each task; a response with one of `healthyHttpCodes` means healthy.
   *
   * @default '/' - the root path, which the default image answers
   */
  readonly path?: string;
  /**
   * Time between two checks of one task (5 s to 300 s).
   *
   * @default Duration.seconds(5) - a new task is healthy 10 s after it starts answering
   */
  readonly interval?: Duration;
  /**
   * Time a check may take before it counts as failed (2 s to 120 s, below `interval`).
   *
   * @default Duration.seconds(4) - a task slower than 4 s on its health path is unhealthy
   */
  readonly timeout?: Duration;
  /**
   * Consecutive passing checks before a new task takes traffic (2 to 10).
   *
   * @default 2 - the least the ALB allows
   */
  readonly healthyThresholdCount?: number;
  /**
   * Consecutive failing checks before a task stops taking traffic (2 to 10).
   *
   * @default 6 - a task is taken out after 30 s of failures, not for one slow pause
   */
  readonly unhealthyThresholdCount?: number;
  /**
   * HTTP codes that mean healthy, e.g. '200' or '200-399' or '200,204'.
   *
   * @default '200-399' - redirects count as alive
   */
  readonly healthyHttpCodes?: string;
}

export interface WebServiceProps {
  /** The VPC: the load balancer goes in its public subnets, the tasks in its private ones. */
  readonly vpc: ec2.IVpc;
  /**
   * The container image. It must be built for `cpuArchitecture` (or be multi-arch), listen on
   * `containerPort`, and answer the health check path. `DEFAULT_IMAGE` is a multi-arch NGINX that does.
   */
  readonly image: ecs.ContainerImage;

  /**
   * Task CPU in vCPU units (256 = 0.25 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
   *
   * @default 256 - 0.25 vCPU, the smallest Fargate task
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB; must pair with `cpu` as Fargate allows (256: 512-2048, 1024: 2048-8192, ...).
   *
   * @default 512 - 0.5 GiB, the least Fargate pairs with 0.25 vCPU
   */
  readonly memoryMiB?: number;
  /**
   * CPU architecture of the tasks. ARM64 (Graviton) is ~20 % cheaper on demand; Fargate Spot runs
   * only X86_64, so ARM64 requires `spotWeight: 0`.
   *
   * @default 'X86_64' - the architecture Fargate Spot runs
   */
  readonly cpuArchitecture?: CpuArchitectureName;
  /**
   * Tasks always placed on FARGATE (on demand) before the weights apply. Set 1 so a Spot reclaim
   * never leaves the service without a task.
   *
   * @default 0 - no task is held on demand
   */
  readonly onDemandBaseTasks?: number;
  /**
   * Relative weight of FARGATE (on demand) above the base.
   *
   * @default 0 - no task above the base runs on demand
   */
  readonly onDemandWeight?: number;
  /**
   * Relative weight of FARGATE_SPOT above the base. Must be 0 for ARM64. Spot costs up to 70 % less
   * than on demand (AWS's figure), and a task may be reclaimed with two minutes' notice: for steady capacity set
   * `spotWeight: 0` and `onDemandWeight: 1` (or keep Spot above an `onDemandBaseTasks` of 1).
   *
   * @default 1 - every task runs on Fargate Spot, the cheapest capacity
   */
  readonly spotWeight?: number;
  /**
   * Autoscaling floor: tasks running at all times. Two or more keep serving through the loss of a
   * task or an AZ; that availability is opt-in.
   *
   * @default 1 - one task
   */
  readonly minTasks?: number;
  /**
   * Autoscaling ceiling.
   *
   * @default 2 - a second task absorbs a burst or covers a replacement
   */
  readonly maxTasks?: number;
  /**
   * Target tracking on average CPU utilization (%), in (0, 100].
   *
   * @default 75 - tasks are added above 75 % average CPU
   */
  readonly cpuTargetPercent?: number;
  /**
   * Target tracking on average memory utilization (%), in (0, 100].
   *
   * @default 80 - tasks are added above 80 % average memory, with room for a spike below the limit
   */
  readonly memoryTargetPercent?: number;
  /**
   * Target tracking on ALB requests per task per minute. Measure what one task of your app serves
   * and set this to about 75 % of it.
   *
   * @default 1125 - 75 % of the ~25 requests/s assumed for 0.25 vCPU (~100 requests/s per vCPU)
   */
  readonly requestsPerTarget?: number;
  /**
   * Lower limit of running tasks during a deployment, in % of the desired count (rounded up). 100
   * never lowers capacity during a deployment.
   *
   * @default 50 - a single task keeps running until its replacement is healthy (50 % of one rounds
   * up to one); a scaled-out service replaces half its tasks at a time
   */
  readonly minHealthyPercent?: number;
  /**
   * CloudWatch Container Insights on the cluster (per-task metrics, running-task counts). Without it
   * ECS still publishes service CPU and memory for free, and `metricRunningTaskCount()` throws.
   *
   * @default true - on (its custom metrics are billed; turn it off to save them)
   */
  readonly containerInsights?: boolean;
  /**
   * Deletion protection on the load balancer: a stack delete or a replacement cannot remove it.
   * The load balancer holds no data, so it is off unless asked for; turn it on when clients use
   * its DNS name directly (a new load balancer gets a new name).
   *
   * @default false - the load balancer is deleted with the stack
   */
  readonly deletionProtection?: boolean;
  /**
   * Predictive scaling on CPU: 'off', 'ForecastOnly' or 'ForecastAndScale'.
   *
   * @default 'off' - no predictive policy; target tracking and step scaling only
   */
  readonly predictiveScaling?: PredictiveScalingMode;
  /**
   * Service metrics ECS publishes every 20 s ('CPUUtilization', 'MemoryUtilization'; no other
   * metric has a 20-second version). Target tracking on each uses its high-resolution predefined
   * metric and decides in about 80 s instead of about 240 s. Billed as CloudWatch metrics.
   *
   * @default [] - CPU and memory every 60 s (free)
   */
  readonly highResolutionMetrics?: readonly HighResolutionMetricName[];
  /**
   * Automatic target weights: `weighted_random` routing with anomaly mitigation on the target
   * group, so a task that fails quietly gets less traffic before its health checks fail. Needs
   * `minTasks` of 2 or more and no slow start (`slowStart` then defaults to 0).
   *
   * @default false - round robin, slow start 30 s
   */
  readonly anomalyMitigation?: boolean;
  /**
   * Scheduled changes of the task range (e.g. none at night).
   *
   * @default - no scheduled action: the task range is `minTasks` to `maxTasks` at all times
   */
  readonly scaleSchedule?: readonly WebScaleSchedule[];
  /**
   * How long container logs and ALB access logs are kept. Both are kept when the stack is deleted.
   *
   * @default RetentionDays.ONE_WEEK - logs expire after a week
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The port the container listens on. The app also receives it as `PORT`.
   *
   * @default 8080 - the default image's port, above 1024 so the app needs no root
   */
  readonly containerPort?: number;
  /**
   * The ALB's health check of each task; a field left out keeps its default.
   *
   * @default - path '/', every 5 s with a 4 s timeout, healthy after 2 passes, unhealthy after 6
   * failures, codes 200-399
   */
  readonly healthCheck?: WebHealthCheck;
  /**
   * How long ECS ignores failing health checks of a new task (boot and warm-up time), 0 s to 3600 s.
   *
   * @default Duration.seconds(60) - a task still failing after a minute is replaced
   */
  readonly healthCheckGracePeriod?: Duration;
  /**
   * How long the ALB lets a deregistering task finish its requests (0 s to 3600 s).
   *
   * @default Duration.seconds(30) - deployments and scale-in wait 30 s per task, not the ALB's 300 s
   */
  readonly deregistrationDelay?: Duration;
  /**
   * Time over which a new task's share of traffic ramps up; 0 turns slow start off, else 30 s to 900 s.
   *
   * @default Duration.seconds(30) - a new task reaches its full share over 30 s; 0 (off) with
   * `anomalyMitigation`
   */
  readonly slowStart?: Duration;
  /**
   * ALB idle timeout (1 s to 4000 s). The app's keep-alive timeout must be longer.
   *
   * @default Duration.seconds(60) - idle connections close after a minute
   */
  readonly idleTimeout?: Duration;
  /**
   * p99 target response time above which step scaling adds tasks (after one minute).
   *
   * @default Duration.seconds(1) - +25 % tasks above 1 s, +50 % above 2 s
   */
  readonly latencyScaleOutThreshold?: Duration;

  /**
   * A certificate for HTTPS, in the load balancer's region. Requires `domainName`.
   *
   * @default - a DNS-validated certificate when `domainName` and `hostedZone` are given, else none
   * (HTTP only)
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The name clients use, e.g. 'app.example.com'. With `hostedZone`, an alias record points it at
   * the load balancer (and a certificate is issued for it unless `certificate` is given).
   *
   * @default - the load balancer's own DNS name, over HTTP
   */
  readonly domainName?: string;
  /**
   * The hosted zone `domainName` belongs to (e.g. from `HostedZone.fromHostedZoneAttributes`).
   *
   * @default - no DNS record is created
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * Plain environment variables for the container, merged over the service's own (`PORT`): a key
   * given here wins. Non-secret configuration only: credential-like names are rejected.
   *
   * @default - only `PORT`
   */
  readonly environment?: Record<string, string>;
  /**
   * Variables injected from Secrets Manager or SSM Parameter Store at task start (ECS secrets),
   * for credentials. The execution role is granted read access to each.
   *
   * @default - none
   */
  readonly secrets?: Record<string, ecs.Secret>;
  /**
   * Run the container with a read-only root filesystem; `writablePaths` stay writable (tmpfs).
   *
   * @default true - only `writablePaths` are writable
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Absolute paths mounted as 64 MiB tmpfs when the root filesystem is read-only.
   *
   * @default ['/tmp'] - everything the default image writes
   */
  readonly writablePaths?: string[];
  /**
   * Give the load balancer a public address and open its listener ports to any address. Set it
   * to false when something in the VPC reaches it instead, e.g. a CloudFront VPC origin (`Edge`):
   * the load balancer is then internal, in `loadBalancerSubnets`, and its security group admits
   * nobody until a peer is allowed (`webService.loadBalancer.connections.allowFrom(...)`).
   *
   * @default true - a WebService used alone is a web service people can reach: an internal one
   * would answer no one until a CloudFront distribution or another peer is wired to it, which is
   * a deployment that looks healthy and serves nothing. ScalingStack sets false and puts an Edge
   * in front.
   */
  readonly internetFacing?: boolean;
  /**
   * Where the load balancer goes.
   *
   * @default - the VPC's public subnets when `internetFacing`, else its private subnets with egress
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;
  /**
   * Where the tasks go; they get no public IP.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  // Delivery: how a new revision reaches production traffic (./deployment.ts, docs/web-service.md).
  /**
   * 'rolling' replaces tasks in place. 'blueGreen', 'canary' and 'linear' start the new revision
   * beside the old one in a second target group and move production traffic to it through a
   * listener rule: all at once, `trafficShiftPercent` first and the rest after
   * `trafficShiftBakeMinutes`, or in steps of `trafficShiftPercent`. Every shift is gated by the
   * deployment alarms: one in ALARM moves traffic back to the old revision.
   *
   * @default 'rolling' - tasks are replaced in place, as before; no second target group
   */
  readonly deploymentStrategy?: WebDeliveryProfile['deploymentStrategy'];
  /**
   * Canary: the share of production traffic (%) the new revision takes first, above 0 and below
   * 100. Linear: the share each step moves, 3 to 100, dividing 100 (5, 10, 20, 25, 50). Multiples
   * of 0.1.
   *
   * @default 10 - a canary of 10 %, or linear steps of 10 %
   */
  readonly trafficShiftPercent?: number;
  /**
   * Minutes between traffic shifts (canary: before the rest moves; linear: between steps), 0 to 1440.
   *
   * @default 10 - two evaluations of the deployment alarms between shifts
   */
  readonly trafficShiftBakeMinutes?: number;
  /**
   * Minutes the old revision keeps running after all production traffic moved, 0 to 1440; an alarm
   * in that time moves traffic back without starting a task.
   *
   * @default 10 - ten minutes of instant rollback (not used by 'rolling')
   */
  readonly deploymentBakeMinutes?: number;
  /**
   * Run a smoke-test Lambda function (ECS lifecycle hook, after test traffic reaches the new
   * revision) that requests `smokeTestPaths` through the test listener and fails the deployment on
   * a status outside 200-399 or a timeout. Needs a strategy other than 'rolling'.
   *
   * @default false - no hook and no test listener
   */
  readonly smokeTest?: boolean;
  /**
   * URL paths the smoke test requests, at most 10, such as ['/health', '/api/ping'].
   *
   * @default - the health check path
   */
  readonly smokeTestPaths?: readonly string[];
  /**
   * Trace requests with AWS X-Ray: an AWS Distro for OpenTelemetry collector runs beside the app in
   * every task (OTLP in on localhost, X-Ray out), the app container receives the OpenTelemetry
   * SDK's variables (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_SERVICE_NAME`, `OTEL_PROPAGATORS`, ...;
   * docs/tracing.md), the task role may write traces, and an X-Ray sampling rule sets how many
   * requests are traced. The collector's CPU and memory are taken from the task's.
   *
   * @default - no tracing: a WebService used alone stays small (no sidecar taking a share of the
   * task) and records nothing billed per trace; ScalingStack turns it on from the profile's
   * `observability.tracing`
   */
  readonly tracing?: WebServiceTracing;
}

/** The alarms that roll a deployment back; add actions to them or reuse them in a dashboard. */
export interface WebDeploymentAlarms {
  /** 5xx responses (ALB and targets) as a share of requests, above 5 % by default (ScalingStack: the profile's monitoring threshold). */
  readonly errorRate: cloudwatch.Alarm;
  /** p99 target response time above 2 s. */
  readonly p99Latency: cloudwatch.Alarm;
}

/** Which CloudWatch metrics `WebService.metric()` reads. */
export type WebMetricSource =
  /** AWS/ApplicationELB, by load balancer. */
  | 'loadBalancer'
  /** AWS/ApplicationELB, by load balancer and target group. */
  | 'targetGroup'
  /** AWS/ECS, by cluster and service. */
  | 'service'
  /** ECS/ContainerInsights, by cluster and service. */
  | 'containerInsights';
