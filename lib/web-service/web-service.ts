import type { CfnResource } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ConfigurationError, Problems } from '../private/problems';
import type { WebDeliveryProfile } from '../core/profiles/profile';
import { checkWebProps } from './checks';
import { createAlternateDeploymentAlarms, createDeliveryRouting } from './deployment';
import * as defaults from './defaults';
import { enableHighResolutionMetrics } from './high-resolution';
import { createLoadBalancer } from './load-balancer';
import { acrossTargetGroups, liveTargetMetric } from './live-traffic';
import { errorRateExpression, webServiceMetric } from './metrics';
import type { WebDeploymentAlarms, WebMetricSource, WebServiceProps } from './props';
import { addScaling, scalableTarget } from './scaling';
import { createCluster, createDeploymentAlarms, createService } from './service';
import { resolveSettings } from './settings';
import { createSmokeTest } from './smoke-test';
import { createTask } from './task';
import { checkTracing, resolveTracing } from './trace-collector';

/**
 * An Application Load Balancer (internet-facing by default; internal behind a CloudFront VPC
 * origin with `internetFacing: false`) in front of an auto-scaling ECS Fargate service.
 *
 * - HTTPS with a current TLS policy when a certificate is available (HTTP redirects to it), HTTP
 *   otherwise; HTTP/2, invalid headers dropped, strictest desync mitigation, access logs
 *   (./load-balancer.ts).
 * - Fargate tasks sized and placed (architecture, on-demand and Spot) from the props; a read-only
 *   root filesystem; logs with the given retention (./task.ts); Container Insights (./service.ts).
 * - Deployments: rolling by default; blue/green, canary or linear with `deploymentStrategy`, each
 *   traffic shift gated by the 5xx-rate and p99-latency alarms and an optional smoke-test hook
 *   (./deployment.ts, ./smoke-test.ts); circuit breaker with rollback in every strategy (./service.ts).
 * - Scaling: target tracking on CPU, memory (optionally on 20-second metrics,
 *   ./high-resolution.ts) and requests per task, step scaling on p99 latency, optional scheduled
 *   and predictive scaling (./scaling.ts); optional automatic target weights (./anomaly-mitigation.ts).
 *
 * Used alone it is small (one 0.25 vCPU / 0.5 GiB task on Fargate Spot, up to two); several tasks
 * and on-demand capacity are opt-in (see the props).
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
  /** How new revisions reach production traffic: 'rolling', 'blueGreen', 'canary' or 'linear'. */
  readonly deploymentStrategy: WebDeliveryProfile['deploymentStrategy'];
  /**
   * The second target group of a blue/green, canary or linear deployment (identical to
   * `targetGroup`; ECS serves every other revision from it). Undefined for 'rolling'.
   */
  readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  /** The alternate target group's 5xx-rate and p99-latency alarms, which also roll back. Empty for 'rolling'. */
  readonly alternateDeploymentAlarms: readonly cloudwatch.Alarm[];
  /** The test listener (HTTP 8080, admitting the smoke test only), when the smoke test is on. */
  readonly testListener?: elbv2.ApplicationListener;
  /** The smoke-test hook's function, when the smoke test is on. */
  readonly smokeTestFunction?: lambda.IFunction;
  /** Every alarm whose ALARM state rolls a deployment back (the service's alarmNames, read at synthesis). */
  private readonly rollbackAlarms: cloudwatch.IAlarm[] = [];
  /** Where clients reach the service: `https://<domainName>` or `http://<load balancer DNS name>`. */
  readonly url: string;
  readonly containerPort: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Security groups of the tasks: open other resources to them (`db.connections.allowDefaultPortFrom(web)`). */
  readonly connections: ec2.Connections;
  /** The task role: grant the app access to AWS resources (`queue.grantSendMessages(web)`). */
  readonly grantPrincipal: iam.IPrincipal;
  /** The OpenTelemetry collector sidecar (with `tracing`). */
  readonly traceCollector?: ecs.ContainerDefinition;
  /** The service's name in X-Ray (with `tracing`): the trace map's node and the sampling rule's service. */
  readonly tracingServiceName?: string;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const settings = resolveSettings(props);
    // Every problem at once, before any resource exists.
    const problems = new Problems(this.node.path);
    checkWebProps(problems, settings);
    const tracing = resolveTracing(this, props.tracing);
    checkTracing(problems, tracing, settings.sizing);
    problems.throwIfAny();
    this.containerInsights = settings.sizing.containerInsights;
    this.containerPort = settings.containerPort;
    this.minTasks = settings.sizing.minTasks;
    this.maxTasks = settings.sizing.maxTasks;

    // Every part is created in this construct, under the IDs it has always had: logical IDs stay.
    const lb = createLoadBalancer(this, props.vpc, settings);
    this.loadBalancer = lb.loadBalancer;
    this.targetGroup = lb.targetGroup;
    this.listener = lb.listener;
    this.certificate = lb.certificate;
    this.accessLogBucket = lb.accessLogBucket;
    this.url = lb.url;

    this.cluster = createCluster(this, props.vpc, this.containerInsights);
    const task = createTask(this, props.image, settings, tracing);
    this.traceCollector = task.traceCollector;
    this.tracingServiceName = tracing?.serviceName;
    this.logGroup = task.logGroup;
    this.taskDefinition = task.taskDefinition;
    this.container = task.container;

    // Blue/green, canary, linear: the second target group, the listener rules, the test listener
    // and the smoke-test hook (./deployment.ts, ./smoke-test.ts). Rolling: none of them.
    const routing = createDeliveryRouting(
      this,
      { vpc: props.vpc, loadBalancer: lb.loadBalancer, listener: lb.listener, targetGroup: lb.targetGroup },
      settings,
    );
    this.deploymentStrategy = settings.sizing.delivery.deploymentStrategy;
    this.alternateTargetGroup = routing?.alternateTargetGroup;
    this.testListener = routing?.testListener;
    // The alarms read only the load balancer's metrics, which exist already; the service names them.
    // With two target groups they follow both (./live-traffic.ts): p99 of the slower group, so a
    // canary's latency is seen undiluted whichever group it is registered with.
    this.deploymentAlarms = createDeploymentAlarms(this, {
      errorRate: this.metric5xxRate(),
      p99Latency: acrossTargetGroups(this, 'TargetResponseTime', 'max', { statistic: 'p99' }),
    });
    this.alternateDeploymentAlarms = routing ? createAlternateDeploymentAlarms(this, routing.alternateTargetGroup, this.deploymentAlarms) : [];
    const smokeTest =
      routing && settings.sizing.delivery.smokeTest ? createSmokeTest(this, props.vpc, lb.loadBalancer, settings, tracing !== undefined) : undefined;
    this.smokeTestFunction = smokeTest?.function;
    this.service = createService(
      this,
      {
        cluster: this.cluster,
        taskDefinition: this.taskDefinition,
        targetGroup: this.targetGroup,
        deploymentAlarms: this.deploymentAlarms,
        routing,
        extraDeploymentAlarms: this.alternateDeploymentAlarms,
        lifecycleHooks: smokeTest ? [smokeTest.hook] : undefined,
        rollbackAlarms: this.rollbackAlarms,
      },
      settings,
    );
    enableHighResolutionMetrics(this.service, settings.sizing.highResolutionMetrics);
    this.connections = this.service.connections;
    this.grantPrincipal = this.taskDefinition.taskRole;

    this.scaling = addScaling(
      this,
      {
        service: this.service,
        targetGroup: this.targetGroup,
        p99Latency: this.metricTargetResponseTime({ statistic: 'p99' }),
        liveTraffic: this,
      },
      settings,
    );

    // Tags on listeners and scalable targets are in CloudFormation's schema (aws-cdk-lib tags
    // them), not yet in cfn-lint 1.51's: its E3002 on exactly these resources is a false positive.
    for (const listener of [lb.httpListener, lb.listener, ...(this.testListener ? [this.testListener] : [])])
      allowTagsInCfnLint(listener.node.defaultChild as CfnResource);
    allowTagsInCfnLint(scalableTarget(this.scaling).node.defaultChild as CfnResource);
    // Listener rules likewise (tagged since ELB added rule tags; cfn-lint 1.51's schema lags).
    for (const rule of [routing?.productionRule, routing?.testRule]) if (rule) allowTagsInCfnLint(rule.node.defaultChild as CfnResource);
  }

  /**
   * More alarms that roll a deployment back, such as SLO fast-burn alarms created after this
   * construct. Their metrics must not read this service's own metrics (AWS/ECS): the service would
   * depend on an alarm that depends on it. Load-balancer metrics are fine.
   */
  addDeploymentAlarms(...alarms: cloudwatch.IAlarm[]): void {
    this.rollbackAlarms.push(...alarms);
  }

  /**
   * A metric of this service with its dimensions set, by source (see `WebMetricSource`).
   * One-minute period unless `props` says otherwise.
   */
  metric(source: WebMetricSource, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return webServiceMetric(this, source, metricName, props);
  }

  /** Requests the load balancer received (all listeners, redirects included). Sum per minute. */
  metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('loadBalancer', 'RequestCount', { statistic: 'Sum', ...props });
  }

  /**
   * Seconds from the request leaving the ALB until the task's response headers arrive. p99 by
   * default. Of the target group; with two (blue/green, canary, linear) of the load balancer, so it
   * follows the traffic whichever group is live.
   */
  metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return liveTargetMetric(this, 'TargetResponseTime', { statistic: 'p99', ...props });
  }

  /** Requests the load balancer forwarded to the tasks (both target groups when there are two). Sum. */
  metricTargetRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return acrossTargetGroups(this, 'RequestCount', 'sum', { statistic: 'Sum', ...props });
  }

  /** 5xx responses the load balancer generated itself (502, 503, 504: no healthy or reachable task). Sum. */
  metricElb5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('loadBalancer', 'HTTPCode_ELB_5XX_Count', { statistic: 'Sum', ...props });
  }

  /** 5xx responses the tasks returned (of the load balancer when there are two target groups). Sum. */
  metricTarget5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return liveTargetMetric(this, 'HTTPCode_Target_5XX_Count', { statistic: 'Sum', ...props });
  }

  /**
   * 5xx responses (ALB and tasks) as a percentage of requests, per period. 0 while fewer than 20
   * requests a minute arrive: a rate of one error in three requests says nothing yet.
   */
  metric5xxRate(props?: cloudwatch.MetricOptions): cloudwatch.MathExpression {
    const period = props?.period ?? defaults.METRIC_PERIOD;
    return errorRateExpression(
      period,
      {
        requests: this.metricRequestCount({ period }),
        elb5xx: this.metricElb5xxCount({ period }),
        target5xx: this.metricTarget5xxCount({ period }),
      },
      props?.label,
    );
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
      throw new ConfigurationError(this.node.path, [
        'metricRunningTaskCount() reads Container Insights, which containerInsights: false turned off; turn it on, or count healthy targets with metricHealthyHostCount()',
      ]);
    }
    return this.metric('containerInsights', 'RunningTaskCount', { statistic: 'Average', ...props });
  }

  /** Tasks passing the ALB health check (the sum of both target groups when there are two). Minimum: the worst moment of the period. */
  metricHealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return acrossTargetGroups(this, 'HealthyHostCount', 'sum', { statistic: 'Minimum', ...props });
  }

  /** Tasks failing the ALB health check (the sum of both target groups when there are two). Maximum. */
  metricUnhealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return acrossTargetGroups(this, 'UnHealthyHostCount', 'sum', { statistic: 'Maximum', ...props });
  }

  /** Connections the ALB refused because it reached its connection limit. Sum. */
  metricRejectedConnectionCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('loadBalancer', 'RejectedConnectionCount', { statistic: 'Sum', ...props });
  }
}

function allowTagsInCfnLint(resource: CfnResource): void {
  resource.addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
}
