import { type CfnResource, Duration, Names, Size, TimeZone, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import * as defaults from './defaults';
import { ConfigurationError, Problems } from '../private/problems';
import { dev } from '../core/profiles/dev';
import type { CpuArchitectureName, PredictiveScalingMode, WebScaleSchedule } from '../core/profiles/profile';
import { enableAccessLogs, logBucket, logServerAccess, serverAccessLogBucket } from './access-logs';
import { checkWebProps } from './checks';
import { retentionDays } from '../private/retention';

/** Health check of the ALB against each task. Every field defaults to the value in `lib/core/web.ts`. */
export interface WebHealthCheck {
  /**
   * Path the ALB requests on each task; a 2xx or 3xx (see `healthyHttpCodes`) means healthy.
   *
   * @default '/'
   */
  readonly path?: string;
  /**
   * Time between two checks of one task (5 s to 300 s).
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Time a check may take before it counts as failed (2 s to 120 s, below `interval`).
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive passing checks before a new task takes traffic (2 to 10).
   *
   * @default 2
   */
  readonly healthyThresholdCount?: number;
  /**
   * Consecutive failing checks before a task stops taking traffic (2 to 10).
   *
   * @default 3
   */
  readonly unhealthyThresholdCount?: number;
  /**
   * HTTP codes that mean healthy, e.g. '200' or '200-399' or '200,204'.
   *
   * @default '200-399'
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
   * @default 256 (the dev profile)
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB; must pair with `cpu` as Fargate allows (256: 512-2048, 1024: 2048-8192, ...).
   *
   * @default 512 (the dev profile)
   */
  readonly memoryMiB?: number;
  /**
   * CPU architecture of the tasks. ARM64 (Graviton) is ~20 % cheaper on demand; Fargate Spot runs
   * only X86_64, so ARM64 requires `spotWeight: 0`.
   *
   * @default 'X86_64' (the dev profile)
   */
  readonly cpuArchitecture?: CpuArchitectureName;
  /**
   * Tasks always placed on FARGATE (on demand) before the weights apply.
   *
   * @default 0 (the dev profile)
   */
  readonly onDemandBaseTasks?: number;
  /**
   * Relative weight of FARGATE (on demand) above the base.
   *
   * @default 0 (the dev profile: Spot only)
   */
  readonly onDemandWeight?: number;
  /**
   * Relative weight of FARGATE_SPOT above the base. Must be 0 for ARM64.
   *
   * @default 1 (the dev profile)
   */
  readonly spotWeight?: number;
  /**
   * Autoscaling floor.
   *
   * @default 1 (the dev profile)
   */
  readonly minTasks?: number;
  /**
   * Autoscaling ceiling.
   *
   * @default 2 (the dev profile)
   */
  readonly maxTasks?: number;
  /**
   * Target tracking on average CPU utilization (%), in (0, 100].
   *
   * @default 75 (the dev profile)
   */
  readonly cpuTargetPercent?: number;
  /**
   * Target tracking on average memory utilization (%), in (0, 100].
   *
   * @default 80 (the dev profile)
   */
  readonly memoryTargetPercent?: number;
  /**
   * Target tracking on ALB requests per task per minute.
   *
   * @default 1125 (the dev profile)
   */
  readonly requestsPerTarget?: number;
  /**
   * Lower limit of running tasks during a deployment, in % of the desired count (rounded up).
   *
   * @default 50 (the dev profile; use 100 in production)
   */
  readonly minHealthyPercent?: number;
  /**
   * CloudWatch Container Insights on the cluster (per-task metrics, running-task counts).
   *
   * @default true
   */
  readonly containerInsights?: boolean;
  /**
   * Deletion protection on the load balancer.
   *
   * @default false (the dev profile; use true in production)
   */
  readonly deletionProtection?: boolean;
  /**
   * Predictive scaling on CPU: 'off', 'ForecastOnly' or 'ForecastAndScale'.
   *
   * @default 'off'
   */
  readonly predictiveScaling?: PredictiveScalingMode;
  /**
   * Scheduled changes of the task range (e.g. none at night).
   *
   * @default - no schedule
   */
  readonly scaleSchedule?: readonly WebScaleSchedule[];
  /**
   * How long container logs and ALB access logs are kept.
   *
   * @default RetentionDays.ONE_WEEK (the dev profile)
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The port the container listens on. The app also receives it as `PORT`.
   *
   * @default 8080
   */
  readonly containerPort?: number;
  /**
   * The ALB's health check of each task.
   *
   * @default - path '/', every 10 s, healthy after 2 passes, unhealthy after 3 failures
   */
  readonly healthCheck?: WebHealthCheck;
  /**
   * How long ECS ignores failing health checks of a new task (boot and warm-up time), 0 s to 3600 s.
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;
  /**
   * How long the ALB lets a deregistering task finish its requests (0 s to 3600 s).
   *
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;
  /**
   * Time over which a new task's share of traffic ramps up; 0 turns slow start off, else 30 s to 900 s.
   *
   * @default Duration.seconds(30)
   */
  readonly slowStart?: Duration;
  /**
   * ALB idle timeout (1 s to 4000 s). The app's keep-alive timeout must be longer.
   *
   * @default Duration.seconds(60)
   */
  readonly idleTimeout?: Duration;
  /**
   * p99 target response time above which step scaling adds tasks (after one minute).
   *
   * @default Duration.seconds(1)
   */
  readonly latencyScaleOutThreshold?: Duration;

  /**
   * A certificate for HTTPS, in the load balancer's region. Requires `domainName`.
   *
   * @default - a DNS-validated certificate when `domainName` and `hostedZone` are given, else none (HTTP only)
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
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Absolute paths mounted as 64 MiB tmpfs when the root filesystem is read-only.
   *
   * @default ['/tmp'] (everything the default image writes)
   */
  readonly writablePaths?: string[];
  /**
   * Where the load balancer goes.
   *
   * @default - the VPC's public subnets
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;
  /**
   * Where the tasks go; they get no public IP.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly taskSubnets?: ec2.SubnetSelection;
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

const NAMESPACES: Record<WebMetricSource, string> = {
  loadBalancer: 'AWS/ApplicationELB',
  targetGroup: 'AWS/ApplicationELB',
  service: 'AWS/ECS',
  containerInsights: 'ECS/ContainerInsights',
};

/**
 * An internet-facing Application Load Balancer in front of an auto-scaling ECS Fargate service.
 *
 * - HTTPS with a current TLS policy when a certificate is available (HTTP redirects to it), HTTP
 *   otherwise; HTTP/2, invalid headers dropped, strictest desync mitigation, access logs.
 * - Fargate tasks sized and placed (architecture, on-demand and Spot) from the props; a read-only
 *   root filesystem; logs with the given retention; Container Insights.
 * - Deployments: circuit breaker with rollback, plus rollback on the 5xx-rate and p99-latency alarms.
 * - Scaling: target tracking on CPU, memory and requests per task, step scaling on p99 latency,
 *   optional scheduled and predictive scaling.
 */
export class WebService extends Construct implements ec2.IConnectable, iam.IGrantable {
  readonly cluster: ecs.Cluster;
  /** Whether Container Insights is on: `metricRunningTaskCount()` needs it. */
  readonly containerInsights: boolean;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The listener that forwards to the tasks: HTTPS (443) with a certificate, else HTTP (80). */
  readonly listener: elbv2.ApplicationListener;
  readonly scaling: ecs.ScalableTaskCount;
  readonly logGroup: logs.LogGroup;
  /** The bucket that receives the ALB's access logs. */
  readonly accessLogBucket: s3.Bucket;
  /** The certificate of the HTTPS listener, when there is one. */
  readonly certificate?: acm.ICertificate;
  readonly deploymentAlarms: WebDeploymentAlarms;
  /** Where clients reach the service: `https://<domainName>` or `http://<load balancer DNS name>`. */
  readonly url: string;
  readonly containerPort: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Security groups of the tasks: open other resources to them (`db.connections.allowDefaultPortFrom(web)`). */
  readonly connections: ec2.Connections;
  /** The task role: grant the app access to AWS resources (`queue.grantSendMessages(web)`). */
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    // Resolve every default once; constructs used alone take the dev profile's sizes.
    const sizing = {
      cpu: props.cpu ?? dev.web.cpu,
      memoryMiB: props.memoryMiB ?? dev.web.memoryMiB,
      cpuArchitecture: props.cpuArchitecture ?? dev.web.cpuArchitecture,
      onDemandBaseTasks: props.onDemandBaseTasks ?? dev.web.onDemandBaseTasks,
      onDemandWeight: props.onDemandWeight ?? dev.web.onDemandWeight,
      spotWeight: props.spotWeight ?? dev.web.spotWeight,
      minTasks: props.minTasks ?? dev.web.minTasks,
      maxTasks: props.maxTasks ?? dev.web.maxTasks,
      cpuTargetPercent: props.cpuTargetPercent ?? dev.web.cpuTargetPercent,
      memoryTargetPercent: props.memoryTargetPercent ?? dev.web.memoryTargetPercent,
      requestsPerTarget: props.requestsPerTarget ?? dev.web.requestsPerTarget,
      minHealthyPercent: props.minHealthyPercent ?? dev.web.minHealthyPercent,
      deletionProtection: props.deletionProtection ?? dev.web.deletionProtection,
      predictiveScaling: props.predictiveScaling ?? 'off',
      scaleSchedule: props.scaleSchedule ?? [],
      containerInsights: props.containerInsights ?? true,
    };
    this.containerInsights = sizing.containerInsights;
    // A field given as undefined keeps its default, as an absent one does.
    const healthCheck = { ...defaults.HEALTH_CHECK, ...definedOnly(props.healthCheck) };
    const containerPort = props.containerPort ?? defaults.DEFAULT_CONTAINER_PORT;
    const environment = { [defaults.WEB_ENVIRONMENT.port]: String(containerPort), ...props.environment };
    const secrets = { ...props.secrets };
    const readonlyRootFilesystem = props.readonlyRootFilesystem ?? true;
    const writablePaths = props.writablePaths ?? [...defaults.DEFAULT_WRITABLE_PATHS];
    const logRetention = props.logRetention ?? retentionDays(dev.observability.logRetentionDays);
    const deregistrationDelay = props.deregistrationDelay ?? defaults.DEREGISTRATION_DELAY;
    const slowStart = props.slowStart ?? defaults.SLOW_START;
    const idleTimeout = props.idleTimeout ?? defaults.IDLE_TIMEOUT;
    const latencyThreshold = props.latencyScaleOutThreshold ?? defaults.LATENCY_SCALE_OUT_THRESHOLD;
    const healthCheckGracePeriod = props.healthCheckGracePeriod ?? defaults.HEALTH_CHECK_GRACE_PERIOD;

    const problems = new Problems(this.node.path);
    checkWebProps(problems, {
      sizing, containerPort, healthCheck, healthCheckGracePeriod, deregistrationDelay, slowStart, idleTimeout, latencyThreshold,
      environment: props.environment ?? {}, secrets, writablePaths,
      certificate: props.certificate, domainName: props.domainName, hostedZone: props.hostedZone,
    });
    problems.throwIfAny();

    this.containerPort = containerPort;
    this.minTasks = sizing.minTasks;
    this.maxTasks = sizing.maxTasks;

    // ---- Load balancer -------------------------------------------------------------------------
    this.accessLogBucket = logBucket(this, 'AccessLogs', logRetention);
    logServerAccess(this.accessLogBucket, serverAccessLogBucket(this, 'ServerAccessLogs', logRetention), 'alb-access-log-bucket/');
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.loadBalancerSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      internetFacing: true,
      http2Enabled: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      idleTimeout,
      deletionProtection: sizing.deletionProtection,
    });
    enableAccessLogs(this.loadBalancer, this.accessLogBucket, defaults.ACCESS_LOG_PREFIX);
    for (const group of this.loadBalancer.connections.securityGroups) {
      Validations.of(group).acknowledge({
        id: 'AwsSolutions-EC23',
        reason: 'The internet-facing load balancer must accept its listener ports (80, and 443 with a certificate) from any address; no other port is open, and the tasks accept traffic only from this security group.',
      });
    }

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: containerPort,
      deregistrationDelay,
      slowStart: slowStart.toSeconds() > 0 ? slowStart : undefined,
      healthCheck: {
        path: healthCheck.path,
        interval: healthCheck.interval,
        timeout: healthCheck.timeout,
        healthyThresholdCount: healthCheck.healthyThresholdCount,
        unhealthyThresholdCount: healthCheck.unhealthyThresholdCount,
        healthyHttpCodes: healthCheck.healthyHttpCodes,
      },
    });

    this.certificate = props.certificate ?? (props.domainName && props.hostedZone
      ? new acm.Certificate(this, 'Certificate', {
        domainName: props.domainName,
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      })
      : undefined);
    // Port 80 keeps one construct ID in both modes, so adding a certificate later changes the
    // listener in place instead of creating a second one on the same port (which the ALB refuses).
    const http = this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: true,
      defaultAction: this.certificate
        ? elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true })
        : elbv2.ListenerAction.forward([this.targetGroup]),
    });
    this.listener = this.certificate
      ? this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromCertificateManager(this.certificate)],
        sslPolicy: defaults.SSL_POLICY,
        open: true,
        defaultAction: elbv2.ListenerAction.forward([this.targetGroup]),
      })
      : http;
    if (props.domainName && props.hostedZone) {
      new route53.ARecord(this, 'AliasRecord', {
        zone: props.hostedZone,
        recordName: props.domainName,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
      });
    }
    this.url = this.certificate ? `https://${props.domainName}` : `http://${this.loadBalancer.loadBalancerDnsName}`;

    // ---- Tasks -----------------------------------------------------------------------------------
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: this.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
      enableFargateCapacityProviders: true,
    });
    if (!this.containerInsights) {
      Validations.of(this.cluster).acknowledge({
        id: 'AwsSolutions-ECS4',
        reason: 'Container Insights is turned off by the containerInsights prop (the dev profile, to save its $8.40/month of custom metrics); the service still publishes CPU and memory to AWS/ECS and the ALB its healthy hosts.',
      });
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logRetention });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: sizing.cpu,
      memoryLimitMiB: sizing.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture[sizing.cpuArchitecture],
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters', {
      // An init process forwards SIGTERM to the app and reaps zombies, whatever the image's PID 1.
      initProcessEnabled: true,
    });
    if (readonlyRootFilesystem) {
      linuxParameters.addTmpfs(...writablePaths.map((containerPath) => ({
        containerPath,
        size: defaults.TMPFS_SIZE_MIB,
        mountOptions: [ecs.TmpfsMountOption.NOEXEC, ecs.TmpfsMountOption.NOSUID, ecs.TmpfsMountOption.NODEV],
      })));
    }
    this.container = this.taskDefinition.addContainer('App', {
      image: props.image,
      portMappings: [{ containerPort, name: 'http' }],
      environment,
      secrets,
      readonlyRootFilesystem,
      linuxParameters,
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: 'web',
        // A slow log pipeline must never block request handling; 25 MiB buffers bursts.
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(25),
      }),
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The web container receives only non-secret configuration as environment variables (PORT and the endpoints and names of the APP_ENVIRONMENT contract); WebService rejects credential-like names there, and credentials arrive as ECS secrets from Secrets Manager.',
    });

    this.deploymentAlarms = {
      errorRate: new cloudwatch.Alarm(this, 'ErrorRateAlarm', {
        alarmDescription: `${this.node.path}: more than ${defaults.DEPLOYMENT_ALARM.errorRatePercent} % of requests end in a 5xx (ALB or targets). Rolls back an ECS deployment in progress.`,
        metric: this.metric5xxRate(),
        threshold: defaults.DEPLOYMENT_ALARM.errorRatePercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: defaults.DEPLOYMENT_ALARM.evaluationPeriods,
        datapointsToAlarm: defaults.DEPLOYMENT_ALARM.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      p99Latency: new cloudwatch.Alarm(this, 'LatencyAlarm', {
        alarmDescription: `${this.node.path}: p99 target response time above ${defaults.DEPLOYMENT_ALARM.p99Latency.toSeconds()} s. Rolls back an ECS deployment in progress.`,
        metric: this.metricTargetResponseTime({ statistic: 'p99' }),
        threshold: defaults.DEPLOYMENT_ALARM.p99Latency.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: defaults.DEPLOYMENT_ALARM.evaluationPeriods,
        datapointsToAlarm: defaults.DEPLOYMENT_ALARM.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    };

    this.service = new ecs.FargateService(this, 'Resource', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      vpcSubnets: props.taskSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      // No desiredCount: CloudFormation would reset the running count to it on every deployment,
      // dropping a scaled-out service to its floor. Autoscaling raises it to minTasks.
      capacityProviderStrategies: capacityProviders(sizing),
      minHealthyPercent: sizing.minHealthyPercent,
      maxHealthyPercent: defaults.MAX_HEALTHY_PERCENT,
      healthCheckGracePeriod,
      circuitBreaker: { enable: true, rollback: true },
      deploymentAlarms: {
        alarmNames: [this.deploymentAlarms.errorRate.alarmName, this.deploymentAlarms.p99Latency.alarmName],
        behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
      },
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    // The capacity providers must be associated with the cluster before the service names them;
    // the association is a child of the cluster, so depend on all of it.
    this.service.node.addDependency(this.cluster);
    this.service.attachToApplicationTargetGroup(this.targetGroup);
    this.connections = this.service.connections;
    this.grantPrincipal = this.taskDefinition.taskRole;

    // ---- Autoscaling ---------------------------------------------------------------------------
    this.scaling = this.service.autoScaleTaskCount({ minCapacity: sizing.minTasks, maxCapacity: sizing.maxTasks });
    const cooldowns = { scaleOutCooldown: defaults.SCALE_OUT_COOLDOWN, scaleInCooldown: defaults.SCALE_IN_COOLDOWN };
    this.scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: sizing.cpuTargetPercent, ...cooldowns });
    this.scaling.scaleOnMemoryUtilization('MemoryScaling', { targetUtilizationPercent: sizing.memoryTargetPercent, ...cooldowns });
    this.scaling.scaleOnRequestCount('RequestScaling', { requestsPerTarget: sizing.requestsPerTarget, targetGroup: this.targetGroup, ...cooldowns });
    // Target tracking waits for 3 one-minute datapoints; a latency spike is answered after one.
    // Scale-out only: scale-in stays with target tracking, which removes tasks when all agree.
    const threshold = latencyThreshold.toSeconds();
    this.scaling.scaleOnMetric('LatencyScaling', {
      metric: this.metricTargetResponseTime({ statistic: 'p99' }),
      adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
      minAdjustmentMagnitude: 1,
      scalingSteps: [
        { upper: threshold, change: 0 },
        ...defaults.LATENCY_STEPS.map((step) => ({ lower: threshold * step.thresholdFactor, change: step.addPercent })),
      ],
      evaluationPeriods: 1,
      metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
      cooldown: defaults.SCALE_OUT_COOLDOWN,
    });
    for (const entry of sizing.scaleSchedule) {
      this.scaling.scaleOnSchedule(entry.name, {
        schedule: appscaling.Schedule.expression(entry.schedule),
        timeZone: entry.timeZone ? TimeZone.of(entry.timeZone) : undefined,
        minCapacity: entry.minTasks,
        maxCapacity: entry.maxTasks,
      });
    }
    if (sizing.predictiveScaling !== 'off') this.addPredictiveScaling(sizing.predictiveScaling, sizing.cpuTargetPercent);

    // Tags on listeners and scalable targets are in CloudFormation's schema (aws-cdk-lib tags
    // them), not yet in cfn-lint 1.51's: its E3002 on exactly these resources is a false positive.
    for (const listener of [http, this.listener]) allowTagsInCfnLint(listener.node.defaultChild as CfnResource);
    allowTagsInCfnLint(this.scaling.node.findChild('Target').node.defaultChild as CfnResource);
  }

  /**
   * Predictive scaling has no L2 in aws-cdk-lib: the L1 policy on the service's scalable target.
   * It forecasts CPU load from up to 14 days of history and scales ahead of it (ForecastAndScale),
   * or only publishes forecasts (ForecastOnly). Target tracking still acts on what it misses.
   */
  private addPredictiveScaling(mode: Exclude<PredictiveScalingMode, 'off'>, cpuTargetPercent: number): void {
    const target = this.scaling.node.findChild('Target') as appscaling.ScalableTarget;
    new appscaling.CfnScalingPolicy(this, 'PredictiveScaling', {
      policyName: `${Names.uniqueId(this)}Predictive`.slice(-256),
      policyType: 'PredictiveScaling',
      scalingTargetId: target.scalableTargetId,
      predictiveScalingPolicyConfiguration: {
        mode,
        // Launch forecast capacity 5 minutes early: about the time a task takes to serve.
        schedulingBufferTime: 300,
        maxCapacityBreachBehavior: 'HonorMaxCapacity',
        metricSpecifications: [{
          targetValue: cpuTargetPercent,
          predefinedMetricPairSpecification: { predefinedMetricType: 'ECSServiceCPUUtilization' },
        }],
      },
    });
  }

  /**
   * A metric of this service with its dimensions set, by source (see `WebMetricSource`).
   * One-minute period unless `props` says otherwise.
   */
  metric(source: WebMetricSource, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const dimensionsMap: Record<string, string> = source === 'loadBalancer' || source === 'targetGroup'
      ? { LoadBalancer: this.loadBalancer.loadBalancerFullName }
      : { ClusterName: this.cluster.clusterName, ServiceName: this.service.serviceName };
    if (source === 'targetGroup') dimensionsMap.TargetGroup = this.targetGroup.targetGroupFullName;
    return new cloudwatch.Metric({
      namespace: NAMESPACES[source],
      metricName,
      dimensionsMap,
      period: defaults.METRIC_PERIOD,
      ...props,
    });
  }

  /** Requests the load balancer received (all listeners, redirects included). Sum per minute. */
  metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('loadBalancer', 'RequestCount', { statistic: 'Sum', ...props });
  }

  /** Seconds from the request leaving the ALB until the task's response headers arrive. p99 by default. */
  metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('targetGroup', 'TargetResponseTime', { statistic: 'p99', ...props });
  }

  /** 5xx responses the load balancer generated itself (502, 503, 504: no healthy or reachable task). Sum. */
  metricElb5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('loadBalancer', 'HTTPCode_ELB_5XX_Count', { statistic: 'Sum', ...props });
  }

  /** 5xx responses the tasks returned. Sum. */
  metricTarget5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('targetGroup', 'HTTPCode_Target_5XX_Count', { statistic: 'Sum', ...props });
  }

  /**
   * 5xx responses (ALB and tasks) as a percentage of requests, per period. 0 while fewer than 20
   * requests a minute arrive: a rate of one error in three requests says nothing yet.
   */
  metric5xxRate(props?: cloudwatch.MetricOptions): cloudwatch.MathExpression {
    const period = props?.period ?? defaults.METRIC_PERIOD;
    const minRequests = defaults.DEPLOYMENT_ALARM.minRequestsPerMinute * Math.max(1, period.toMinutes({ integral: false }));
    return new cloudwatch.MathExpression({
      expression: `IF(requests >= ${minRequests}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)`,
      usingMetrics: {
        requests: this.metricRequestCount({ period }),
        elb5xx: this.metricElb5xxCount({ period }),
        target5xx: this.metricTarget5xxCount({ period }),
      },
      label: '5xx rate (%)',
      period,
      ...(props?.label ? { label: props.label } : {}),
    });
  }

  /** Average CPU utilization of the tasks, in % of the task's CPU. */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('service', 'CPUUtilization', { statistic: 'Average', ...props });
  }

  /** Average memory utilization of the tasks, in % of the task's memory. */
  metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('service', 'MemoryUtilization', { statistic: 'Average', ...props });
  }

  /** Tasks running (Container Insights). Average. */
  metricRunningTaskCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.containerInsights) {
      throw new ConfigurationError(this.node.path, ['metricRunningTaskCount() reads Container Insights, which containerInsights: false turned off; turn it on, or count healthy targets with metricHealthyHostCount()']);
    }
    return this.metric('containerInsights', 'RunningTaskCount', { statistic: 'Average', ...props });
  }

  /** Tasks passing the ALB health check. Minimum: the worst moment of the period. */
  metricHealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('targetGroup', 'HealthyHostCount', { statistic: 'Minimum', ...props });
  }

  /** Tasks failing the ALB health check. Maximum. */
  metricUnhealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('targetGroup', 'UnHealthyHostCount', { statistic: 'Maximum', ...props });
  }

  /** Connections the ALB refused because it reached its connection limit. Sum. */
  metricRejectedConnectionCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('loadBalancer', 'RejectedConnectionCount', { statistic: 'Sum', ...props });
  }
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function allowTagsInCfnLint(resource: CfnResource): void {
  resource.addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
}

/** FARGATE for the base and its weight, FARGATE_SPOT for its weight; providers without a share are left out. */
function capacityProviders(s: { onDemandBaseTasks: number; onDemandWeight: number; spotWeight: number }): ecs.CapacityProviderStrategy[] {
  const strategies: ecs.CapacityProviderStrategy[] = [];
  if (s.onDemandBaseTasks > 0 || s.onDemandWeight > 0) {
    strategies.push({ capacityProvider: 'FARGATE', base: s.onDemandBaseTasks || undefined, weight: s.onDemandWeight });
  }
  if (s.spotWeight > 0) strategies.push({ capacityProvider: 'FARGATE_SPOT', weight: s.spotWeight });
  return strategies;
}
