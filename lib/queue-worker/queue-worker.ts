import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  BATCH_SIZE_LIMITS, BUNDLE_AWS_SDK, DEFAULT_MAX_RECEIVE_COUNT, LAMBDA_MEMORY_RANGE, LAMBDA_TIMEOUT_RANGE,
  MAX_CONCURRENCY_RANGE, MAX_RECEIVE_COUNT_RANGE, VISIBILITY_TIMEOUT_FACTOR, WORKER_METRICS_NAMESPACE, WORKER_NODE_OPTIONS,
} from '../core/worker';
import {
  DEAD_LETTER_RETENTION, DEFAULT_QUEUE_RETENTION, MAX_BATCHING_WINDOW, MAX_VISIBILITY_TIMEOUT, WORKER_ARCHITECTURE,
  WORKER_RUNTIME, workerBundling,
} from '../private/worker-defaults';
import { dev } from '../core/profiles/dev';
import { Problems } from '../private/problems';
import { grantOwnLogGroup, grantVpcNetworkInterfaces } from '../private/lambda-role';
import { jobsWorkerMetrics } from './jobs-metrics';
import { findLockFile, lambdaEntry } from './package-paths';
import { declarePublishedMetrics, type PublishedMetrics } from './published-metrics';
import { retentionDays } from '../private/retention';

export interface QueueWorkerProps {
  /** The handler file (TypeScript or JavaScript), bundled by the local esbuild. */
  readonly entry: string;
  /**
   * The exported handler function in `entry`.
   *
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * Run the function in this VPC, with its own security group, so the stack can open exactly the
   * database and cache ports to it through `connections`.
   *
   * @default - not in a VPC: the function reaches only public endpoints, and `connections` is empty
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets for the function's network interfaces. They need a route to AWS APIs (Secrets Manager)
   * through NAT or VPC endpoints.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Let the function open connections anywhere. When false, it may reach AWS APIs over HTTPS (443)
   * and whatever `connections` opens (the database and cache ports), nothing else.
   *
   * @default false
   */
  readonly allowAllOutbound?: boolean;
  /**
   * Function memory in MiB (128-10,240); CPU scales with it.
   *
   * @default - the dev profile's `worker.memoryMiB` (256)
   */
  readonly memoryMiB?: number;
  /**
   * How long one batch may run (1 second to 15 minutes).
   *
   * @default - the dev profile's `worker.timeoutSeconds` (30 seconds)
   */
  readonly timeout?: Duration;
  /**
   * Records per invocation: up to 10, or up to 10,000 with a batching window.
   *
   * @default - the dev profile's `worker.batchSize` (10)
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers records before invoking (up to 5 minutes).
   *
   * @default - no window: a batch is sent as soon as records are available
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * The most concurrent invocations the queue may start (2-1,000), so a burst cannot exhaust the
   * database's connections. Unlike reserved concurrency it never throttles (a throttled batch would
   * count as a receive and push good messages toward the dead-letter queue).
   *
   * @default - the dev profile's `worker.maxConcurrency` (2)
   */
  readonly maxConcurrency?: number;
  /**
   * Receives of a message before SQS moves it to the dead-letter queue (1-1,000).
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * The queue's visibility timeout. Must be at least 6 × `timeout` (AWS's rule for SQS event
   * sources); a smaller value is a synth-time error.
   *
   * @default - 6 × `timeout`
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How long the source queue keeps an unprocessed message. Must be shorter than the dead-letter
   * queue's 14 days, because a message keeps its original enqueue time when it moves there.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * What happens to both queues, and the messages in them, when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN - messages waiting or dead-lettered outlive a stack deletion
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Encrypt both queues with this KMS key (cross-account producers, key policies, CloudTrail of
   * every decrypt). `grantSend()` then also grants the key.
   *
   * @default - SQS-managed server-side encryption (SSE-SQS): no key to pay for or grant
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Retention of the function's log group.
   *
   * @default - the dev profile's `observability.logRetentionDays` (one week)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Environment variables of the function, merged over the construct's own (yours win).
   *
   * @default - only the construct's: NODE_OPTIONS, POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE
   */
  readonly environment?: Record<string, string>;
  /**
   * Secrets the handler reads at cold start: each key is an environment variable that receives the
   * secret's ARN (never its value), and the function may read exactly these secrets.
   *
   * @default - none; add more later with `addSecret()`
   */
  readonly secrets?: Record<string, secretsmanager.ISecret>;
  /**
   * The service name of the handler's logs and metrics (Powertools `POWERTOOLS_SERVICE_NAME`), also
   * the `service` dimension of the `metricJobs…()` metrics.
   *
   * @default - the construct id in lower case, e.g. 'worker'
   */
  readonly serviceName?: string;
  /**
   * The custom metrics (EMF) the handler publishes, every series it can write, declared in the
   * function's template Metadata so `npm run cost` prices them ($0.30 a series a month). Declare
   * `{ series: [] }` for a handler that publishes none: without a declaration the cost tool lists
   * the function as unpriced, because the construct sets a metrics namespace for it.
   *
   * @default - for the jobs worker shipped in this package (`QueueWorker.jobsEntry()`), its series
   * (`jobsWorkerMetrics(serviceName)`: 3 metrics for the service and per job type); for any other
   * handler, none declared
   */
  readonly publishedMetrics?: PublishedMetrics;
  /**
   * The lock file whose project owns `entry`; its directory is the bundling root.
   *
   * @default - the nearest lock file in `entry`'s directory or above (for the workers shipped in
   * this package installed under node_modules: your project's)
   */
  readonly depsLockFilePath?: string;
  /**
   * Bundling options merged over the construct's (minified, source maps, AWS SDK left to the
   * runtime, local esbuild only).
   *
   * @default - the construct's options unchanged
   */
  readonly bundling?: nodejs.BundlingOptions;
}

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
  /** The custom metrics the handler publishes, as declared in the template (undefined: not declared). */
  readonly publishedMetrics?: PublishedMetrics;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const defaults = dev.worker;
    const timeout = props.timeout ?? Duration.seconds(defaults.timeoutSeconds);
    const memoryMiB = props.memoryMiB ?? defaults.memoryMiB;
    const batchSize = props.batchSize ?? defaults.batchSize;
    const maxConcurrency = props.maxConcurrency ?? defaults.maxConcurrency;
    const maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    const visibilityTimeout = props.visibilityTimeout ?? defaultVisibilityTimeout(timeout);
    const retentionPeriod = props.retentionPeriod ?? DEFAULT_QUEUE_RETENTION;
    const serviceName = props.serviceName ?? id.toLowerCase();
    const entry = path.resolve(props.entry);
    const depsLockFilePath = props.depsLockFilePath ?? findLockFile(entry);
    const publishedMetrics = props.publishedMetrics
      ?? (entry === path.resolve(QueueWorker.jobsEntry()) ? jobsWorkerMetrics(serviceName) : undefined);

    validate(this, { ...props, entry, timeout, memoryMiB, batchSize, maxConcurrency, maxReceiveCount, visibilityTimeout, retentionPeriod, depsLockFilePath });
    this.timeout = timeout;
    this.visibilityTimeout = visibilityTimeout;
    this.maxReceiveCount = maxReceiveCount;
    this.batchSize = batchSize;
    this.maxConcurrency = maxConcurrency;
    this.serviceName = serviceName;
    this.publishedMetrics = publishedMetrics;

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
      vpcSubnets: props.vpc ? props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
      securityGroups: securityGroup ? [securityGroup] : undefined,
      bundling: { ...workerBundling(bundleAwsSdk), ...props.bundling },
      environment: {
        NODE_OPTIONS: WORKER_NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: WORKER_METRICS_NAMESPACE,
        ...props.environment,
      },
    });
    grantOwnLogGroup(role, this.logGroup);
    if (props.vpc) grantVpcNetworkInterfaces(role);
    if (publishedMetrics) declarePublishedMetrics(this.function, publishedMetrics);

    this.function.addEventSource(new SqsEventSource(queue, {
      batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency,
      reportBatchItemFailures: true,
    }));

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

interface ResolvedProps extends QueueWorkerProps {
  readonly entry: string;
  readonly timeout: Duration;
  readonly memoryMiB: number;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly maxReceiveCount: number;
  readonly visibilityTimeout: Duration;
  readonly retentionPeriod: Duration;
  readonly depsLockFilePath?: string;
}

/** Every problem of one QueueWorker, thrown together. Unresolved tokens are not judged. */
function validate(scope: Construct, props: ResolvedProps): void {
  const p = new Problems(scope.node.path);
  const seconds = (d: Duration | undefined) => (d === undefined || d.isUnresolved() ? undefined : d.toSeconds({ integral: false }));
  const timeout = seconds(props.timeout);
  const visibility = seconds(props.visibilityTimeout);
  const window = seconds(props.maxBatchingWindow);

  p.range('timeout', timeout, LAMBDA_TIMEOUT_RANGE.min, LAMBDA_TIMEOUT_RANGE.max, { integer: true, unit: 'seconds', fix: 'Lambda allows 1 second to 15 minutes' });
  p.range('memoryMiB', props.memoryMiB, LAMBDA_MEMORY_RANGE.min, LAMBDA_MEMORY_RANGE.max, { integer: true, unit: 'MiB' });
  if (timeout !== undefined && visibility !== undefined) {
    const minimum = timeout * VISIBILITY_TIMEOUT_FACTOR;
    p.check(visibility >= minimum,
      `visibilityTimeout (${visibility} seconds) must be at least ${VISIBILITY_TIMEOUT_FACTOR} × timeout (${timeout} seconds) = ${minimum} seconds, AWS's rule for SQS event sources (a shorter one redelivers batches that are still running); raise visibilityTimeout or leave it unset to get ${minimum} seconds`);
  }
  p.range('visibilityTimeout', visibility, 0, MAX_VISIBILITY_TIMEOUT.toSeconds(), { unit: 'seconds', fix: 'SQS allows at most 12 hours; lower timeout' });
  p.range('maxReceiveCount', props.maxReceiveCount, MAX_RECEIVE_COUNT_RANGE.min, MAX_RECEIVE_COUNT_RANGE.max, { integer: true, fix: 'SQS redrive policies allow 1 to 1000 receives' });

  const batchLimit = window !== undefined && window > 0 ? BATCH_SIZE_LIMITS.withWindow : BATCH_SIZE_LIMITS.withoutWindow;
  const batchFix = window !== undefined && window > 0
    ? 'SQS event sources take up to 10000 records with a batching window'
    : 'SQS event sources take up to 10 records without a batching window; lower batchSize or set maxBatchingWindow';
  p.range('batchSize', props.batchSize, 1, batchLimit, { integer: true, fix: batchFix });
  p.range('maxBatchingWindow', window, 0, MAX_BATCHING_WINDOW.toSeconds(), { unit: 'seconds', fix: 'SQS event sources wait at most 5 minutes' });
  p.range('maxConcurrency', props.maxConcurrency, MAX_CONCURRENCY_RANGE.min, MAX_CONCURRENCY_RANGE.max, { integer: true, fix: 'SQS event sources allow 2 to 1000; to stop the worker, disable its event source instead' });

  const retention = seconds(props.retentionPeriod);
  p.range('retentionPeriod', retention, 60, DEAD_LETTER_RETENTION.toSeconds() - 1, {
    unit: 'seconds', fix: 'it must be at least a minute and shorter than the dead-letter queue\'s 14 days, or dead-lettered messages would expire on arrival',
  });

  if (!fs.existsSync(props.entry)) {
    p.add(`entry ('${props.entry}') does not exist; pass the path of the handler file, e.g. path.join(__dirname, 'worker.ts')`);
  } else if (!props.depsLockFilePath) {
    p.add(`found no lock file (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock) in the directory of entry ('${props.entry}') or above; pass depsLockFilePath`);
  } else if (props.depsLockFilePath && !fs.existsSync(props.depsLockFilePath)) {
    p.add(`depsLockFilePath ('${props.depsLockFilePath}') does not exist; pass the project's lock file or leave it unset to find the nearest one`);
  }
  if (Stack.of(scope).bundlingRequired && !props.bundling?.forceDockerBundling && !esbuildInstalled()) {
    p.add('esbuild is not installed: QueueWorker bundles with the local esbuild and never with Docker; run `npm install --save-dev esbuild`');
  }
  p.throwIfAny();
}

/** Whether aws-cdk-lib's NodejsFunction will find a local esbuild (its own check, reproduced). */
function esbuildInstalled(): boolean {
  try {
    createRequire(require.resolve('aws-cdk-lib/aws-lambda-nodejs')).resolve('esbuild/package.json');
    return true;
  } catch {
    const probe = spawnSync('esbuild', ['--version']);
    return probe.status === 0 && !probe.error;
  }
}

