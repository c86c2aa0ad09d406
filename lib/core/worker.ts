/**
 * Environment-independent defaults of QueueWorker, each with its reason. Sizes that differ per
 * environment (memory, timeout, batch size, concurrency) live in the profiles' `worker` section.
 * Plain data; lib/private/worker-defaults.ts turns durations, the runtime and bundling into CDK types.
 */

/**
 * Lambda's rule for SQS event sources: the queue's visibility timeout must be at least six times
 * the function timeout, so a batch whose invocation is throttled and retried does not become
 * visible (and get delivered twice) while the first attempt still runs.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Receives before SQS moves a message to the dead-letter queue. Five rides out a transient outage
 * of a few visibility timeouts (a cache failover, a database reboot) without parking good messages,
 * and still takes a poison message out of the way within minutes.
 */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

/** SQS limits on `maxReceiveCount` in a redrive policy. */
export const MAX_RECEIVE_COUNT_RANGE = { min: 1, max: 1000 } as const;

/**
 * The dead-letter queue keeps messages for the SQS maximum, 14 days: long enough for an operator
 * to find the cause and redrive. It must outlive the source queue's retention, because a standard
 * queue's message keeps its original enqueue time when it moves to the dead-letter queue.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/** The source queue keeps messages for the SQS default, 4 days: a long weekend of a stopped worker. */
export const DEFAULT_QUEUE_RETENTION_DAYS = 4;

/** SQS batch-size limits for a Lambda event source: 10 without a batching window, 10,000 with one. */
export const BATCH_SIZE_LIMITS = { withoutWindow: 10, withWindow: 10_000 } as const;

/** Longest batching window an SQS event source accepts (5 minutes). */
export const MAX_BATCHING_WINDOW_SECONDS = 5 * 60;

/** `maxConcurrency` of an SQS event source: 2 to 1,000 (an AWS limit). */
export const MAX_CONCURRENCY_RANGE = { min: 2, max: 1000 } as const;

/** The longest visibility timeout SQS allows (12 hours). */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 3600;

/** Lambda's limits on memory (MiB) and timeout (seconds). */
export const LAMBDA_MEMORY_RANGE = { min: 128, max: 10_240 } as const;
export const LAMBDA_TIMEOUT_RANGE = { min: 1, max: 900 } as const;

/**
 * The AWS SDK is NOT bundled: the Node.js 24 runtime ships SDK v3, the jobs worker loads its one
 * client (Secrets Manager) lazily at the first secret it needs, and bundling that client would add
 * 441 KB and ~23 ms of module load to every cold start, against ~42 ms once for the runtime's client
 * on the first secret fetch (figures: `npm run bench:worker`, README "Jobs worker"). One API
 * (GetSecretValue, stable since 2018) leaves no version drift worth that.
 */
export const BUNDLE_AWS_SDK = false;

/** Packages left out of every bundle, and why. */
export const WORKER_EXTERNAL_MODULES: readonly string[] = [
  // Provided by the Lambda runtime (see BUNDLE_AWS_SDK).
  '@aws-sdk/*',
  // pg's optional native binding: never used (pure-JS protocol), and not installed.
  'pg-native',
];

/**
 * `NODE_OPTIONS` of every worker. `--enable-source-maps` turns minified stack traces into file:line
 * of the TypeScript source; `npm run bench:worker` measures what it adds to module load (the README
 * has the figure), which is why it is on.
 */
export const WORKER_NODE_OPTIONS = '--enable-source-maps';

/**
 * The table layout Powertools' `DynamoDBPersistenceLayer` writes with its defaults: the record's
 * key in `id` (a string), its expiry in epoch seconds in `expiration`, which is the table's TTL
 * attribute. https://docs.aws.amazon.com/powertools/typescript/latest/features/idempotency/
 */
export const IDEMPOTENCY_TABLE_LAYOUT = { partitionKey: 'id', timeToLiveAttribute: 'expiration' } as const;

/**
 * The item actions `DynamoDBPersistenceLayer` calls (Powertools 2.x: GetItem with a consistent read,
 * a conditional PutItem that takes the lock, UpdateItem to store the result, DeleteItem to release
 * the lock of a failed job), and nothing else: no Scan, Query or batch actions.
 */
export const IDEMPOTENCY_RECORD_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * What a reader and writer of a table under a customer-managed key needs of the key: DynamoDB
 * decrypts the table key and encrypts new data with the caller's permission
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html).
 * Named, not `kms:GenerateDataKey*` and `kms:ReEncrypt*` as `grantEncryptDecrypt` would grant.
 */
export const IDEMPOTENCY_KEY_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/**
 * Bounds on the idempotency store's DynamoDB calls (the SDK sets none by default): a connection
 * within 1 s, an answer within 2 s, 2 attempts. A record's two or three calls then wait at most a
 * few seconds when DynamoDB is unreachable, and fail the record, which SQS retries. Not counted in
 * worker-timing.ts's budget: DynamoDB answers in milliseconds when it is up.
 */
export const IDEMPOTENCY_STORE_CLIENT = { connectionTimeoutMs: 1000, requestTimeoutMs: 2000, maxAttempts: 2 } as const;

/** The CloudWatch namespace of the job metrics the workers publish as EMF. */
export const WORKER_METRICS_NAMESPACE = 'CdkScalingStack/Workers';

/**
 * Lock files NodejsFunction understands, in the order one is preferred when several sit in the same
 * directory.
 */
export const LOCK_FILES: readonly string[] = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];
