import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ASYNC_RETRY_ATTEMPTS, DEAD_LETTER_RETENTION_DAYS, SCHEDULER_MAX_EVENT_AGE_SECONDS, SCHEDULER_RETRY_ATTEMPTS } from '../core/insights';
import { BUNDLE_AWS_SDK, WORKER_NODE_OPTIONS } from '../core/worker';
import { WORKER_ARCHITECTURE, WORKER_RUNTIME, workerBundling } from '../private/worker-defaults';
import { findLockFile } from '../queue-worker/package-paths';
import { declarePublishedMetrics, type PublishedMetrics } from '../queue-worker/published-metrics';
import { grantOwnLogGroup, grantVpcNetworkInterfaces } from '../private/lambda-role';
import { scheduledWorkerReservedConcurrency } from '../core/lambda-concurrency';
import type { Problems } from '../private/problems';
import { shortestIntervalMinutes } from './schedule';
import { acknowledgeTracingWrites, lambdaTracing } from '../private/lambda-tracing';

/** What a scheduled worker is built from (resolved by the construct that owns it). */
export interface ScheduledWorkerProps {
  readonly entry: string;
  /** An EventBridge Scheduler expression, already validated. */
  readonly schedule: string;
  /** Says what the schedule runs, in the console. */
  readonly description: string;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  readonly serviceName: string;
  readonly logRetention: logs.RetentionDays;
  readonly environment: Record<string, string>;
  /** The custom metrics the code publishes (none: `{ series: [] }`), declared for `npm run cost`. */
  readonly publishedMetrics: PublishedMetrics;
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly bundling?: nodejs.BundlingOptions;
  readonly removalPolicy: RemovalPolicy;
  /** Concurrent executions reserved for the function (`resolveReservedConcurrency`). */
  readonly reservedConcurrency: number;
  /** X-Ray active tracing and Powertools Tracer (lib/private/lambda-tracing.ts); off when absent. */
  readonly tracing?: boolean;
}

/**
 * A Lambda function run on an EventBridge Scheduler schedule, the building block of the insight
 * workers: Node.js 24 on ARM64 bundled by the local esbuild, its own log group and role, and one
 * dead-letter queue (TLS-only, SSE-SQS, 14 days) for both kinds of failure: a run Scheduler could
 * not deliver after its retries, and a run that failed inside the function after Lambda's retry.
 */
export class ScheduledWorker extends Construct implements ec2.IConnectable {
  readonly function: lambda.Function;
  readonly logGroup: logs.ILogGroup;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule;
  readonly role: iam.Role;
  /** Empty without a VPC. */
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: ScheduledWorkerProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter queue of a scheduled worker (EventBridge Scheduler's and the function's on-failure target); nothing reads it but an operator.",
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });

    const securityGroup = props.vpc
      ? new ec2.SecurityGroup(this, 'SecurityGroup', {
          vpc: props.vpc,
          description: `${this.node.path}: the worker function; egress to AWS APIs and the ports opened through connections`,
          allowAllOutbound: false,
        })
      : undefined;
    // AWS APIs (CloudWatch, Secrets Manager) over HTTPS; data ports are opened through `connections`.
    securityGroup?.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
    this.connections = new ec2.Connections({ securityGroups: securityGroup ? [securityGroup] : [] });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${this.node.path}: the scheduled worker's role`,
    });
    const depsLockFilePath = findLockFile(props.entry);
    const tracing = lambdaTracing(props.tracing ?? false);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      depsLockFilePath,
      projectRoot: depsLockFilePath ? path.dirname(depsLockFilePath) : undefined,
      runtime: WORKER_RUNTIME,
      architecture: WORKER_ARCHITECTURE,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? (props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }) : undefined,
      securityGroups: securityGroup ? [securityGroup] : undefined,
      bundling: { ...workerBundling(props.bundling?.bundleAwsSDK ?? BUNDLE_AWS_SDK), ...props.bundling },
      // A run that threw is retried once by Lambda, then sent to the dead-letter queue.
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      // Its own share of the account's concurrency: a burst of retries cannot take the jobs
      // worker's, and runs never overlap (a throttled run waits in Lambda's asynchronous queue).
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: this.deadLetterQueue,
      tracing: tracing.tracing,
      environment: {
        ...tracing.environment,
        NODE_OPTIONS: WORKER_NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        ...props.environment,
      },
    });
    grantOwnLogGroup(this.role, this.logGroup);
    if (props.vpc) grantVpcNetworkInterfaces(this.role);
    acknowledgeTracingWrites(this.role, tracing);
    declarePublishedMetrics(this.function, props.publishedMetrics);

    // Scheduler's role may invoke this function (not its versions: aws-scheduler-targets' LambdaInvoke
    // would grant `<arn>:*` too) and send undeliverable runs to the dead-letter queue.
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `${this.node.path}: EventBridge Scheduler invokes the worker`,
    });
    schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }));
    schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
    const fn = this.function;
    const deadLetterQueue = this.deadLetterQueue;
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(props.schedule),
      description: props.description,
      target: {
        bind: () => ({
          arn: fn.functionArn,
          role: schedulerRole,
          retryPolicy: { maximumRetryAttempts: SCHEDULER_RETRY_ATTEMPTS, maximumEventAgeInSeconds: SCHEDULER_MAX_EVENT_AGE_SECONDS },
          deadLetterConfig: { arn: deadLetterQueue.queueArn },
        }),
      },
    });
  }

  /** Invocations that failed (an error thrown or a timeout); each is retried once, then dead-lettered. */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors(props);
  }

  /** Failed runs waiting in the dead-letter queue: anything above zero needs a look. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }
}

/**
 * The concurrency a scheduled worker reserves: the caller's (a whole number from 1), or sized to
 * the schedule: the runs that can be going at once when each takes its whole timeout (1 for every
 * schedule the insight workers accept). 0 is refused: it would stop the worker silently.
 */
export function resolveReservedConcurrency(p: Problems, value: number | undefined, schedule: string, timeout: Duration): number {
  if (value !== undefined) {
    p.check(
      Number.isInteger(value) && value >= 1,
      `reservedConcurrency (${value}) must be a whole number of at least 1; 0 would throttle every run, remove the schedule instead`,
    );
    return value;
  }
  return scheduledWorkerReservedConcurrency(shortestIntervalMinutes(schedule) ?? 1, timeout.toSeconds());
}

/** The IAM5 acknowledgment of the wildcard actions a worker's role needs, with the reason. */
export function acknowledgeWildcards(worker: ScheduledWorker, reason: string): void {
  Validations.of(worker.role.node.findChild('DefaultPolicy')).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
}
