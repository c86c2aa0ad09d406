import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  RIGHTSIZING_DEFAULT_SCHEDULE,
  RIGHTSIZING_MEMORY_MIB,
  RIGHTSIZING_PERIOD_SECONDS,
  RIGHTSIZING_PUBLISHED_METRICS,
  RIGHTSIZING_SCHEDULE_MINUTES,
  RIGHTSIZING_TIMEOUT_SECONDS,
  RIGHTSIZING_WINDOW_DAYS,
  RIGHTSIZING_WINDOW_RANGE,
} from '../core/insights';
import { dev } from '../core/profiles/dev';
import { resolveProfile } from '../core/profiles';
import type { Profile, ProfileName } from '../core/profiles/profile';
import { ConfigurationError, Problems } from '../private/problems';
import { lambdaEntry } from '../queue-worker/package-paths';
import { checkSchedule } from './schedule';
import { acknowledgeWildcards, resolveReservedConcurrency, ScheduledWorker } from './scheduled-worker';
import { retentionDays } from '../private/retention';

/** The web tier's metric sources: a `WebService` fits, or your own cluster, service, ALB and target group. */
export interface RightsizingWebSource {
  readonly cluster: ecs.ICluster;
  readonly service: ecs.IService;
  /** The ALB; its `loadBalancerFullName` is the `LoadBalancer` dimension. */
  readonly loadBalancer: { readonly loadBalancerFullName: string };
  /** The target group; its `targetGroupFullName` is the `TargetGroup` dimension. */
  readonly targetGroup: { readonly targetGroupFullName: string };
  /** Running tasks come from Container Insights when it is on, else from the ALB's healthy-host count. */
  readonly containerInsights: boolean;
}

/** The database's metric source: a `Database` fits, or `{ instance: yourRdsInstance }`. */
export interface RightsizingDatabaseSource {
  readonly instance: rds.IDatabaseInstance;
}

/** The cache's metric source: a `Cache` fits, or the `CacheClusterId` of each node. */
export interface RightsizingCacheSource {
  readonly memberClusterIds: string[];
}

/** The worker's metric source: a `QueueWorker` fits, or your own function and queue. */
export interface RightsizingWorkerSource {
  readonly function: lambda.IFunction;
  readonly queue: sqs.IQueue;
}

export interface RightsizingAdvisorProps {
  /**
   * The profile the stack was built from: the advisor recommends changes to it, never below what
   * its safety rules (`validateProfile()`, the connection budget) allow.
   *
   * @default - the dev profile
   */
  readonly profile?: ProfileName | Profile;
  /** @default - the web tier is not analyzed */
  readonly web?: RightsizingWebSource;
  /** @default - the database is not analyzed */
  readonly database?: RightsizingDatabaseSource;
  /** @default - the cache is not analyzed */
  readonly cache?: RightsizingCacheSource;
  /** @default - the jobs worker is not analyzed */
  readonly worker?: RightsizingWorkerSource;
  /**
   * Where the advisor sends its report when there is something to act on (the alarm topic).
   *
   * @default - no message; the report is in the function's log
   */
  readonly topic?: sns.ITopic;
  /**
   * When the advisor runs: an EventBridge Scheduler expression, between hourly and weekly.
   *
   * @default 'cron(15 6 * * ? *)' - daily at 06:15 UTC
   */
  readonly schedule?: string;
  /**
   * Days of metrics each run reads (1-15: CloudWatch keeps one-minute datapoints for 15 days).
   *
   * @default 14
   */
  readonly windowDays?: number;
  /**
   * Retention of the function's log group.
   *
   * @default - the dev profile's `observability.logRetentionDays` (one week)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Bundling options merged over the construct's (minified, source maps, AWS SDK left to the
   * runtime, local esbuild only).
   *
   * @default - the construct's options unchanged
   */
  readonly bundling?: nodejs.BundlingOptions;
  /**
   * What happens to the dead-letter queue of failed runs when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY - it holds only failed schedule events
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Concurrent executions reserved for the worker: its own share of the account's Lambda
   * concurrency, so retries cannot take the jobs worker's, and a cap that keeps runs from
   * overlapping (a throttled scheduled run waits in Lambda's asynchronous queue, up to 6 hours).
   *
   * @default - the runs the schedule can start while one is still going (each up to its timeout): 1
   */
  readonly reservedConcurrency?: number;
  /**
   * X-Ray active tracing, with Powertools Tracer in the handler (its database and AWS calls as
   * subsegments).
   *
   * @default false - no tracing (traces are billed per trace; ScalingStack takes the profile's
   * `observability.tracing.enabled`)
   */
  readonly tracing?: boolean;
}

/**
 * Lambda's environment holds at most 4 KB. The configuration is most of it; tokens (resource names
 * resolved at deploy) are counted at this length each.
 */
const ENVIRONMENT_LIMIT_BYTES = 4096;
const TOKEN_ALLOWANCE = 120;

/**
 * The right-sizing advisor: a scheduled Lambda that reads 14 days of the stack's CloudWatch
 * metrics (batched, paginated GetMetricData, throttling retried), computes p50/p95/max per
 * component and recommends changes in the profile's own terms (task size and range, CPU target,
 * database class, cache node type and count, worker memory and concurrency), each with its
 * evidence, monthly cost effect (the cost tool's price table) and confidence. The recommended
 * profile passes the same safety checks as `cdk synth`. The report goes to the log, and to
 * `topic` when there is something to act on. IAM: `cloudwatch:GetMetricData`, nothing else.
 */
export class RightsizingAdvisor extends Construct {
  /** The profile the advice is measured against. */
  readonly profile: Profile;
  readonly windowDays: number;
  readonly scheduleExpression: string;
  readonly function: lambda.Function;
  readonly deadLetterQueue: sqs.IQueue;
  readonly schedule: scheduler.ISchedule;
  readonly logGroup: logs.ILogGroup;
  /** Concurrent executions reserved for the advisor's function. */
  readonly reservedConcurrency: number;
  private readonly worker: ScheduledWorker;
  private topic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: RightsizingAdvisorProps = {}) {
    super(scope, id);
    const profile = resolveProfile(props.profile ?? dev);
    const windowDays = props.windowDays ?? RIGHTSIZING_WINDOW_DAYS;
    const schedule = props.schedule ?? RIGHTSIZING_DEFAULT_SCHEDULE;
    const stack = Stack.of(this);
    // The profile without its alarm thresholds: the advisor neither reads nor changes them
    // (Monitoring validated them at synth), and they would take a third of Lambda's 4 KB environment.
    const { monitoring: _thresholds, ...advised } = profile;
    const config = {
      profile: advised,
      targets: {
        web: props.web && {
          clusterName: props.web.cluster.clusterName,
          serviceName: props.web.service.serviceName,
          loadBalancer: props.web.loadBalancer.loadBalancerFullName,
          targetGroup: props.web.targetGroup.targetGroupFullName,
          containerInsights: props.web.containerInsights,
        },
        database: props.database && { instanceIdentifier: props.database.instance.instanceIdentifier },
        cache: props.cache && { memberClusterIds: props.cache.memberClusterIds },
        worker: props.worker && { functionName: props.worker.function.functionName, queueName: props.worker.queue.queueName },
      },
      windowDays,
      periodSeconds: RIGHTSIZING_PERIOD_SECONDS,
    };
    const configJson = stack.toJsonString(config);

    const p = new Problems(this.node.path);
    checkSchedule(p, 'schedule', schedule, RIGHTSIZING_SCHEDULE_MINUTES);
    p.range('windowDays', windowDays, RIGHTSIZING_WINDOW_RANGE.min, RIGHTSIZING_WINDOW_RANGE.max, {
      integer: true,
      unit: 'days',
      fix: 'CloudWatch keeps the one-minute datapoints the percentiles need for 15 days',
    });
    const estimated = estimatedLength(stack, configJson);
    p.check(
      estimated <= ENVIRONMENT_LIMIT_BYTES - 512,
      `the advisor's configuration (the profile and the metric sources) takes about ${estimated} bytes, more than the ${ENVIRONMENT_LIMIT_BYTES - 512} that fit in Lambda's 4 KB environment beside the other variables; shorten the profile's names and schedules, or give fewer cache nodes`,
    );
    const timeout = Duration.seconds(RIGHTSIZING_TIMEOUT_SECONDS);
    this.reservedConcurrency = resolveReservedConcurrency(p, props.reservedConcurrency, schedule, timeout);
    p.throwIfAny();
    this.profile = profile;
    this.windowDays = windowDays;
    this.scheduleExpression = schedule;

    this.worker = new ScheduledWorker(this, 'Worker', {
      entry: lambdaEntry('rightsizing'),
      schedule,
      description: `Right-sizing advice for profile '${profile.name}' from ${windowDays} days of CloudWatch metrics`,
      memoryMiB: RIGHTSIZING_MEMORY_MIB,
      timeout,
      serviceName: 'rightsizing',
      logRetention: props.logRetention ?? retentionDays(dev.observability.logRetentionDays),
      environment: { RIGHTSIZING_CONFIG: configJson },
      publishedMetrics: RIGHTSIZING_PUBLISHED_METRICS,
      bundling: props.bundling,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      reservedConcurrency: this.reservedConcurrency,
      tracing: props.tracing,
    });
    this.function = this.worker.function;
    this.deadLetterQueue = this.worker.deadLetterQueue;
    this.schedule = this.worker.schedule;
    this.logGroup = this.worker.logGroup;

    // Read-only metric access: GetMetricData has no resource-level permissions.
    this.worker.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    acknowledgeWildcards(
      this.worker,
      'cloudwatch:GetMetricData supports no resource-level permissions or condition keys (Service Authorization Reference, Amazon CloudWatch); the advisor reads metrics and nothing else.',
    );
    if (props.topic) this.notify(props.topic);
  }

  /**
   * Sends the report to `topic` when there is something to act on, and lets the advisor publish
   * there (and use the topic's key). One topic: a second call is an error.
   */
  notify(topic: sns.ITopic): void {
    if (this.topic) {
      throw new ConfigurationError(this.node.path, [
        `notify() was already given a topic (${this.topic.node.path}); the advisor notifies one topic, the alarm topic`,
      ]);
    }
    this.topic = topic;
    this.worker.function.addEnvironment('RIGHTSIZING_TOPIC_ARN', topic.topicArn);
    // topic.grantPublish() would grant kms:GenerateDataKey* on an encrypted topic's key; publishing
    // needs exactly GenerateDataKey and Decrypt (SNS developer guide, "Encryption at rest").
    this.worker.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    topic.masterKey?.grant(this.worker.role, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /** Runs that failed (an error thrown or a timeout), after which Lambda retries once. */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.worker.metricErrors(props);
  }

  /** Runs that failed twice or could not be delivered, waiting in the dead-letter queue. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.worker.metricDeadLetterMessages(props);
  }
}

/** The configuration's length once deployed: its literal text, and each reference counted at TOKEN_ALLOWANCE. */
function estimatedLength(stack: Stack, json: string): number {
  const measure = (value: unknown): number => {
    if (typeof value === 'string') return value.length;
    if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + measure(v), 0);
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
    return join ? measure(join[1]) : TOKEN_ALLOWANCE;
  };
  return measure(stack.resolve(json));
}
