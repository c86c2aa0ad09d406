import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { PublishedMetrics } from '../core/metrics';
import type { ProvisionedPollers } from '../core/worker-pollers';
import type { IdempotencyTable } from './idempotency-table';

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
   * Records per invocation: up to 10, or up to 10,000 with a batching window. For the jobs worker
   * shipped in this package the batch must also finish inside `timeout` when every record takes
   * its longest (lib/core/worker-timing.ts); a batch that cannot is a synth-time error.
   *
   * @default - the dev profile's `worker.batchSize` (2: one round of the worker's 2 concurrent records)
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
   * Provisioned mode of the event source: `minimumPollers` dedicated pollers always polling (and
   * billed, $0.00925 per poller-hour in us-east-1), scaling to `maximumPollers` (SQS: 2-200 and
   * 2-2,000). Each poller runs up to 10 invocations, and AWS does not combine provisioned mode with
   * a maximum concurrency, so `maximumPollers` × 10 must not exceed `maxConcurrency` (a synth-time
   * error otherwise), and the event source carries no maximum concurrency of its own.
   *
   * @default 'off' - the standard mode: no poller charge, `maxConcurrency` caps invocations
   */
  readonly provisionedPollers?: ProvisionedPollers | 'off';
  /**
   * Where the handler keeps its idempotency records: the function gets the table's name in
   * `IDEMPOTENCY_TABLE_NAME` and may get, put, update and delete its items (nothing else).
   *
   * @default - for the jobs worker shipped in this package (`QueueWorker.jobsEntry()`), a new
   * `IdempotencyTable` with its defaults (AWS-owned key); for any other handler, none
   */
  readonly idempotencyTable?: IdempotencyTable;
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
  /**
   * AWS X-Ray active tracing, with Powertools Tracer switched on in the handler
   * (`POWERTOOLS_TRACE_ENABLED`): each batch, each job (joined to the trace of the request that
   * queued it when the message carries an `AWSTraceHeader`), and its database, cache and AWS calls.
   *
   * @default false - no tracing: traces are billed per trace recorded, so they are opt-in for a
   * QueueWorker used alone (ScalingStack takes the profile's `observability.tracing.enabled`)
   */
  readonly tracing?: boolean;
}
