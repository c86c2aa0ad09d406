// A DynamoDB idempotency table in memory for handler unit tests: the real Powertools
// DynamoDBPersistenceLayer talks to a DynamoDBClient whose commands aws-sdk-client-mock answers,
// with the conditional put Powertools relies on (the record is new, expired, or an expired lock).
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;

export class FakeIdempotencyTable {
  /** Items by their `id`. */
  readonly items = new Map<string, Item>();
  /** Set to make every call fail (the table unreachable). */
  down?: Error;
  readonly client: DynamoDBClient;
  private readonly mock: ReturnType<typeof mockClient>;
  readonly calls: string[] = [];

  /**
   * `target`: the client to answer for; pass the DynamoDBClient class to answer for every client,
   * e.g. the one a handler creates from its environment.
   */
  constructor(
    target: DynamoDBClient | typeof DynamoDBClient = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
  ) {
    this.client = target instanceof DynamoDBClient ? target : new DynamoDBClient({ region: 'us-east-1' });
    this.mock = mockClient(target);
    const mock = this.mock;
    const key = (k: Item | undefined) => k!.id.S!;
    const guard = (name: string) => {
      this.calls.push(name);
      if (this.down) throw this.down;
    };
    mock.on(GetItemCommand).callsFake(async (input) => {
      guard('GetItem');
      const item = this.items.get(key(input.Key));
      return item ? { Item: item } : {};
    });
    mock.on(PutItemCommand).callsFake(async (input) => {
      guard('PutItem');
      const id = key(input.Item);
      const old = this.items.get(id);
      if (old) {
        const values = unmarshall(input.ExpressionAttributeValues!);
        const o = unmarshall(old);
        const expired = o.expiration < values[':now'];
        const lockExpired =
          o.status === values[':inprogress'] && o.in_progress_expiration !== undefined && o.in_progress_expiration < values[':now_in_millis'];
        if (!expired && !lockExpired) {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: old });
        }
      }
      this.items.set(id, { ...input.Item! });
      return {};
    });
    mock.on(UpdateItemCommand).callsFake(async (input) => {
      guard('UpdateItem');
      const id = key(input.Key);
      const names = input.ExpressionAttributeNames!;
      const item: Item = { ...(this.items.get(id) ?? input.Key!) };
      // `SET #a = :a, #b = :b`
      for (const assignment of input.UpdateExpression!.replace(/^SET /, '').split(', ')) {
        const [name, value] = assignment.split(' = ');
        item[names[name]] = input.ExpressionAttributeValues![value];
      }
      this.items.set(id, item);
      return {};
    });
    mock.on(DeleteItemCommand).callsFake(async (input) => {
      guard('DeleteItem');
      this.items.delete(key(input.Key));
      return {};
    });
  }

  /** Powertools' DynamoDB persistence layer on this table. */
  store(): DynamoDBPersistenceLayer {
    return new DynamoDBPersistenceLayer({ tableName: 'idempotency', awsSdkV3Client: this.client });
  }

  /** Stops answering (restores the client or class). */
  restore(): void {
    this.mock.restore();
  }

  /** The records, unmarshalled. */
  records(): Record<string, unknown>[] {
    return [...this.items.values()].map((item) => unmarshall(item));
  }
}
