import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CacheConnection, cacheOptionsFrom } from './cache';
import { cacheSettings, databaseSettings, type Environment } from './config';
import { DatabasePool, databaseConfigFrom } from './database';
import type { JobDefinition } from './job';
import { createJobHandler, type JobHandler } from './job-runner';
import { SecretsManagerSource, type SecretSource } from './secrets';
import { idempotencyStoreFrom } from './idempotency-store';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { createTracer, traceHandler, type WorkerTracer } from './tracer';

export interface WorkerOptions {
  /** The job types the worker runs. */
  readonly jobs: readonly JobDefinition[];
  /** The environment (Lambda's `process.env`): the APP_ENVIRONMENT names, see config.ts. */
  readonly env: Environment;
  /** @default - Secrets Manager */
  readonly secrets?: SecretSource;
  /** @default - Powertools' DynamoDB layer on the table named in IDEMPOTENCY_TABLE_NAME */
  readonly idempotencyStore?: BasePersistenceLayer;
  /** @default - POWERTOOLS_SERVICE_NAME, else 'worker' */
  readonly serviceName?: string;
  /** @default - Powertools Tracer, on when the function has active tracing (POWERTOOLS_TRACE_ENABLED) */
  readonly tracer?: WorkerTracer;
}

export interface Worker {
  readonly handler: JobHandler;
  readonly cache: CacheConnection;
  readonly database: DatabasePool;
  /** Closes the connections (tests and tools; Lambda freezes the environment instead). */
  close(): Promise<void>;
}

/**
 * Everything a job worker holds for the life of its execution environment: logger, metrics, the
 * secret source, one cache connection and one database pool (each opened on first use and
 * reopened after an outage; each forgets its cached secret when the server refuses it), and the
 * SQS handler that runs the jobs.
 */
export function createWorker(options: WorkerOptions): Worker {
  const serviceName = options.serviceName ?? options.env.POWERTOOLS_SERVICE_NAME ?? 'worker';
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ serviceName });
  const tracer = options.tracer ?? createTracer(serviceName);
  const secrets = options.secrets ?? new SecretsManagerSource(tracer);
  const cache = new CacheConnection(cacheOptionsFrom(options.env, secrets), logger, {
    tracer,
    onAuthenticationFailure: () => {
      const arn = cacheSettings(options.env).authSecretArn;
      if (arn) secrets.forget(arn);
    },
  });
  const database = new DatabasePool(
    databaseConfigFrom(options.env, secrets),
    logger,
    () => {
      const arn = databaseSettings(options.env).secretArn;
      if (arn) secrets.forget(arn);
    },
    tracer,
  );
  const handler = createJobHandler({
    jobs: options.jobs,
    cache,
    database,
    idempotencyStore: options.idempotencyStore ?? idempotencyStoreFrom(options.env),
    logger,
    metrics,
    idempotencyKeyPrefix: `idempotency:${serviceName}`,
    tracer,
    serviceName,
  });
  return {
    handler: traceHandler(tracer, 'jobs', handler),
    cache,
    database,
    async close() {
      await Promise.all([cache.close(), database.close()]);
    },
  };
}
