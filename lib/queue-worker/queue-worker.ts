import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLE_AWS_SDK, DEFAULT_MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_FACTOR, WORKER_METRICS_NAMESPACE, WORKER_NODE_OPTIONS } from '../core/worker';
import type { PublishedMetrics } from '../core/metrics';
import type { ProvisionedPollers } from '../core/worker-pollers';
import { DEAD_LETTER_RETENTION, DEFAULT_QUEUE_RETENTION, WORKER_ARCHITECTURE, WORKER_RUNTIME, workerBundling } from '../private/worker-defaults';
import { dev } from '../core/profiles/dev';
import { grantOwnLogGroup, grantVpcNetworkInterfaces } from '../private/lambda-role';
import { acknowledgeTracingWrites, lambdaTracing } from '../private/lambda-tracing';
import { jobsWorkerMetrics } from './jobs-metrics';
import { findLockFile, lambdaEntry } from './package-paths';
import { declarePublishedMetrics } from './published-metrics';
import { validate } from './checks';
import { IdempotencyTable } from './idempotency-table';
import { APP_ENVIRONMENT } from '../core/app-contract';
import type { QueueWorkerProps } from './props';

export type { QueueWorkerProps } from './props';
import { retentionDays } from '../private/retention';

/**
 * Lambda workers on SQS that never lose a message: an encrypted, TLS-only queue with a 14-day
 * dead-letter queue, a Node.js 24 ARM64 function bundled by the local esbuild, and an event source
 * with partial batch responses and a concurrency ceiling. The visibility timeout follows the
 * function timeout (6 ×) and a smaller one is rejected at synth time.
 *
 * Redrive (after fixing what made messages fail): `aws sqs start-message-move-task --source-arn
 * <deadLetterQueue ARN>` moves them back to the queue they came from.
 */
export class QueueWorker extends Construct implements ec2.IConnectable {
  /** The jobs worker's handler shipped in this package (`lambda/jobs/index.ts`). */
  static jobsEntry(): string {
    return lambdaEntry('jobs');
  }

  /** The queue producers send to. */
  readonly queue: sqs.IQueue;
  /** Where messages go after `maxReceiveCount` failed receives; kept 14 days. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The worker function (concrete, so callers can `addEnvironment()` and read its role). */
  readonly function: lambda.Function;
  /** The function's log group. */
  readonly logGroup: logs.ILogGroup;
  /** The function's security group rules: open the database and cache ports to this. Empty without a VPC. */
  readonly connections: ec2.Connections;
  /** The resolved settings. */
  readonly timeout: Duration;
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly serviceName: string;
  /** The provisioned pollers of the event source, or 'off' (the standard mode). */
  readonly provisionedPollers: ProvisionedPollers | 'off';
  /** Where the handler keeps its idempotency records (undefined: none given, not the jobs worker). */
  readonly idempotencyTable?: IdempotencyTable;
  /** The custom metrics the handler publishes, as declared in the template (undefined: not declared). */
  readonly publishedMetrics?: PublishedMetrics;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const defaults = dev.worker;
    const timeout = props.timeout ?? Duration.seconds(defaults.timeoutSeconds);
    const memoryMiB = props.memoryMiB ?? defaults.memoryMiB;
    const batchSize = props.batchSize ?? defaults.batchSize;
    const maxConcurrency = props.maxConcurrency ?? defaults.maxConcurrency;
    const provisionedPollers = props.provisionedPollers ?? 'off';
    const maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    const visibilityTimeout = props.visibilityTimeout ?? defaultVisibilityTimeout(timeout);
    const retentionPeriod = props.retentionPeriod ?? DEFAULT_QUEUE_RETENTION;
    const serviceName = props.serviceName ?? id.toLowerCase();
    const entry = path.resolve(props.entry);
    const depsLockFilePath = props.depsLockFilePath ?? findLockFile(entry);
    const publishedMetrics = props.publishedMetrics ?? (entry === path.resolve(QueueWorker.jobsEntry()) ? jobsWorkerMetrics(serviceName) : undefined);

    validate(this, {
      ...props,
      entry,
      timeout,
      memoryMiB,
      batchSize,
      maxConcurrency,
      provisionedPollers,
      maxReceiveCount,
      visibilityTimeout,
      retentionPeriod,
      depsLockFilePath,
    });
    this.timeout = timeout;
    this.visibilityTimeout = visibilityTimeout;
    this.maxReceiveCount = maxReceiveCount;
    this.batchSize = batchSize;
    this.maxConcurrency = maxConcurrency;
    this.serviceName = serviceName;
    this.publishedMetrics = publishedMetrics;
    this.provisionedPollers = provisionedPollers;

    const encryption = props.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED };
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...encryption,
      removalPolicy,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    const queue = new sqs.Queue(this, 'Queue', {
      ...encryption,
      removalPolicy,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
    });
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? retentionDays(dev.observability.logRetentionDays),
    });

    const securityGroup = props.vpc
      ? new ec2.SecurityGroup(this, 'SecurityGroup', {
          vpc: props.vpc,
          description: `${this.node.path}: the worker function; egress to AWS APIs and the ports opened through connections`,
          allowAllOutbound: props.allowAllOutbound ?? false,
        })
      : undefined;
    if (securityGroup && !(props.allowAllOutbound ?? false)) {
      // AWS APIs (Secrets Manager) through NAT or interface endpoints; the data ports are opened
      // per target through `connections`.
      securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
    }
    this.connections = new ec2.Connections({ securityGroups: securityGroup ? [securityGroup] : [] });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${this.node.path}: the worker function's role`,
    });
    const bundleAwsSdk = props.bundling?.bundleAwsSDK ?? BUNDLE_AWS_SDK;
    const tracing = lambdaTracing(props.tracing ?? false);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry,
      handler: props.handler ?? 'handler',
      depsLockFilePath,
      projectRoot: depsLockFilePath ? path.dirname(depsLockFilePath) : undefined,
      runtime: WORKER_RUNTIME,
      architecture: WORKER_ARCHITECTURE,
      memorySize: memoryMiB,
      timeout,
      role,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? (props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }) : undefined,
      securityGroups: securityGroup ? [securityGroup] : undefined,
      bundling: { ...workerBundling(bundleAwsSdk), ...props.bundling },
      tracing: tracing.tracing,
      environment: {
        ...tracing.environment,
        NODE_OPTIONS: WORKER_NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: WORKER_METRICS_NAMESPACE,
        ...props.environment,
      },
    });
    grantOwnLogGroup(role, this.logGroup);
    if (props.vpc) grantVpcNetworkInterfaces(role);
    acknowledgeTracingWrites(role, tracing);
    if (publishedMetrics) declarePublishedMetrics(this.function, publishedMetrics);

    // The idempotency records (the jobs worker's by default) live in their own table.
    this.idempotencyTable =
      props.idempotencyTable ?? (entry === path.resolve(QueueWorker.jobsEntry()) ? new IdempotencyTable(this, 'IdempotencyTable') : undefined);
    if (this.idempotencyTable) {
      this.function.addEnvironment(APP_ENVIRONMENT.idempotencyTableName, this.idempotencyTable.table.tableName);
      this.idempotencyTable.grantRecords(role);
    }

    this.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize,
        maxBatchingWindow: props.maxBatchingWindow,
        // AWS takes either a maximum concurrency or provisioned pollers (each runs up to 10
        // invocations; validate() holds maximumPollers x 10 to maxConcurrency).
        ...(provisionedPollers === 'off' ? { maxConcurrency } : { provisionedPollerConfig: { ...provisionedPollers } }),
        reportBatchItemFailures: true,
      }),
    );

    for (const [name, secret] of Object.entries(props.secrets ?? {})) this.addSecret(name, secret);
  }

  /**
   * Gives the handler a secret: `name` receives its ARN (never its value) and the function may read
   * it (and decrypt it, for a customer-managed key). The handler fetches it at cold start.
   */
  addSecret(name: string, secret: secretsmanager.ISecret): void {
    this.function.addEnvironment(name, secret.secretArn);
    secret.grantRead(this.function);
  }

  /** Lets `grantee` (e.g. the web service's task role) send messages to the queue. */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /** Age of the oldest message waiting: the worker is falling behind when this grows. */
  metricOldestMessageAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', ...props });
  }

  /** Messages waiting in the dead-letter queue: anything above zero needs an operator. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }

  /** Invocations that failed as a whole (a thrown error or timeout: the batch returns to the queue). */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors(props);
  }

  /** Batch duration; compare with `timeout`. */
  metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricDuration(props);
  }

  /** Jobs that succeeded, from the worker's EMF metrics (all job types). */
  metricJobsProcessed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('JobsProcessed', { statistic: 'Sum', ...props });
  }

  /** Jobs that failed (each is retried, and dead-lettered after `maxReceiveCount` receives). */
  metricJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('JobsFailed', { statistic: 'Sum', ...props });
  }

  /** Time one job takes, in milliseconds. */
  metricJobDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('JobDuration', { statistic: 'p99', ...props });
  }

  /**
   * A metric the worker publishes in its namespace, for all job types (dimension `service`). Per
   * type, add `dimensionsMap: { service, jobType }`.
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: WORKER_METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: this.serviceName },
      ...props,
    });
  }
}

/** 6 × the function timeout: AWS's rule for SQS event sources. */
export function defaultVisibilityTimeout(timeout: Duration): Duration {
  return Duration.seconds(timeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR);
}
