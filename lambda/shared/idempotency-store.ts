import { PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS } from '@aws-lambda-powertools/idempotency';
import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { CacheClient } from '@aws-lambda-powertools/idempotency/cache/types';

/**
 * Powertools' cache persistence layer, keeping the payload hash when a job completes.
 *
 * `CachePersistenceLayer` (2.35) writes the COMPLETED record with SET, replacing the whole value,
 * and leaves the payload hash out; with payload validation on, every redelivery of a completed job
 * then fails with IdempotencyValidationError instead of returning the stored result. This writes
 * the same record with the hash kept. The unit tests pin the behaviour, so a fixed upstream can
 * replace this class.
 */
export class CacheIdempotencyStore extends CachePersistenceLayer {
  constructor(private readonly client: CacheClient) {
    super({ client });
  }

  protected override async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const names = PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS;
    const item = {
      [names.statusAttr]: record.getStatus(),
      [names.expiryAttr]: record.expiryTimestamp,
      [names.dataAttr]: record.responseData,
      ...(this.isPayloadValidationEnabled() && record.payloadHash !== undefined ? { [names.validationKeyAttr]: record.payloadHash } : {}),
    };
    const ttl = record.expiryTimestamp ? record.expiryTimestamp - Math.floor(Date.now() / 1000) : this.expiresAfterSeconds;
    await this.client.set(record.idempotencyKey, JSON.stringify(item), { EX: Math.max(1, ttl) });
  }
}
