import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { IDEMPOTENCY_KEY_ACTIONS, IDEMPOTENCY_RECORD_ACTIONS, IDEMPOTENCY_TABLE_LAYOUT } from '../core/worker';

/** How the idempotency table is encrypted, backed up and removed. */
export interface IdempotencyTableProps {
  /**
   * Encrypt the records with a new customer-managed KMS key (rotated yearly): a key policy decides
   * who may read them and CloudTrail logs every use, for $1 a month plus requests.
   *
   * @default false - the AWS-owned key: encrypted at rest, free, nothing to grant
   */
  readonly customerManagedKey?: boolean;
  /**
   * Bring your own customer-managed key instead. Implies `customerManagedKey`.
   *
   * @default - a new key when `customerManagedKey` is true, else the AWS-owned key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Keep 35 days of point-in-time backups ($0.20 per GB-month). Records expire within a day and a
   * restored table would bring back stale in-progress locks, so there is nothing worth restoring.
   *
   * @default false
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * What happens to the table when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY - the records are ephemeral (a day), and a retained table would
   * block a redeploy of the same stack only by its generated name, never by data anyone needs
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Where a worker keeps its idempotency records: a DynamoDB table in the layout Powertools'
 * `DynamoDBPersistenceLayer` writes (partition key `id`, TTL on `expiration`), on demand, encrypted.
 * Records live outside the cache, so an eviction (`allkeys-lru`), a broad invalidation or a cache
 * outage can neither repeat a job nor fail one that never touches the cache.
 */
export class IdempotencyTable extends Construct {
  /** The table (concrete, for its metrics and attributes); grant access with `grantRecords()`. */
  readonly table: dynamodb.Table;
  /** The customer-managed key, when there is one. */
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: IdempotencyTableProps = {}) {
    super(scope, id);
    const encryptionKey =
      props.encryptionKey ??
      (props.customerManagedKey
        ? new kms.Key(this, 'Key', {
            enableKeyRotation: true,
            description: `${this.node.path}: idempotency records (job results)`,
            // The key protects nothing once its table is gone: it follows the table (deletion is
            // scheduled, 30 days pending, so a mistaken removal can still be cancelled).
            removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
          })
        : undefined);
    const pointInTimeRecovery = props.pointInTimeRecovery ?? false;
    this.encryptionKey = encryptionKey;
    this.table = new dynamodb.Table(this, 'Resource', {
      partitionKey: { name: IDEMPOTENCY_TABLE_LAYOUT.partitionKey, type: dynamodb.AttributeType.STRING },
      // Records are written once or twice per job: on demand bills exactly that, and never throttles a burst.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // DynamoDB deletes expired records within days, free; Powertools ignores an expired one at once.
      timeToLiveAttribute: IDEMPOTENCY_TABLE_LAYOUT.timeToLiveAttribute,
      ...(encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey }
        : { encryption: dynamodb.TableEncryption.DEFAULT }),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: pointInTimeRecovery },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    if (!pointInTimeRecovery) {
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason:
          'Idempotency records expire within a day and are rebuilt by the next delivery; a point-in-time restore would only bring back stale in-progress locks',
      });
    }
  }

  /**
   * Lets `grantee` read and write records: only the item actions Powertools' DynamoDB persistence
   * layer uses, on this table only (and the key's encrypt/decrypt, for a customer-managed key).
   */
  grantRecords(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions: [...IDEMPOTENCY_RECORD_ACTIONS], resourceArns: [this.table.tableArn] });
    // DynamoDB uses the key with the caller's permission; named actions, no wildcards (cdk-nag IAM5).
    if (this.encryptionKey) this.encryptionKey.grant(grantee, ...IDEMPOTENCY_KEY_ACTIONS);
    return grant;
  }
}
