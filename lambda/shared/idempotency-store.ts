import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { APP_ENVIRONMENT } from '../../lib/core/app-contract';
import { IDEMPOTENCY_STORE_CLIENT } from '../../lib/core/worker';
import { ConfigurationError, type Environment } from './config';

/**
 * The store of the jobs worker's idempotency records: Powertools' DynamoDB persistence layer on the
 * table named in IDEMPOTENCY_TABLE_NAME (QueueWorker creates it and grants exactly the four item
 * actions the layer uses). Not the cache: the cache evicts keys under memory pressure
 * (`allkeys-lru`), a broad `cache.invalidate` prefix can delete them, and an outage would fail
 * every job, the ones that never touch the cache too.
 *
 * Without the variable every job fails with a ConfigurationError naming it (at the job, not at
 * module load, like the database and cache settings).
 */
export function idempotencyStoreFrom(env: Environment, client?: DynamoDBClient): BasePersistenceLayer {
  const name = APP_ENVIRONMENT.idempotencyTableName;
  const tableName = env[name]?.trim();
  if (!tableName) return new UnconfiguredStore(`the idempotency store is not configured: set ${name} to the DynamoDB table's name`);
  const bounded =
    client ??
    new DynamoDBClient({
      maxAttempts: IDEMPOTENCY_STORE_CLIENT.maxAttempts,
      requestHandler: { connectionTimeout: IDEMPOTENCY_STORE_CLIENT.connectionTimeoutMs, requestTimeout: IDEMPOTENCY_STORE_CLIENT.requestTimeoutMs },
    });
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: bounded });
}

/** A store that fails every operation with `message`. */
class UnconfiguredStore extends BasePersistenceLayer {
  constructor(private readonly message: string) {
    super();
  }
  protected _getRecord(): Promise<IdempotencyRecord> {
    return Promise.reject(new ConfigurationError(this.message));
  }
  protected _putRecord(): Promise<void> {
    return Promise.reject(new ConfigurationError(this.message));
  }
  protected _updateRecord(): Promise<void> {
    return Promise.reject(new ConfigurationError(this.message));
  }
  protected _deleteRecord(): Promise<void> {
    return Promise.reject(new ConfigurationError(this.message));
  }
}
