// DynamoDB for integration tests: a moto server of the test's own on a free loopback port (moto
// serves DynamoDB with conditional writes; there is no DynamoDB Local here), and a table in the
// layout IdempotencyTable creates (partition key `id`, TTL on `expiration`).
import { spawn, type ChildProcess } from 'node:child_process';
import { CreateTableCommand, DynamoDBClient, ScanCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { IDEMPOTENCY_TABLE_LAYOUT } from '../../../lib/core/worker';
import { waitForPort } from '../../../tools/bench-worker/local-redis';
import { findMoto } from '../../../tools/deploy-local/moto';
import { freePort } from '../../../tools/shared/free-port';

export class MotoDynamoDb {
  private constructor(
    private readonly server: ChildProcess,
    readonly client: DynamoDBClient,
  ) {}

  /**
   * moto's plain server (DynamoDB needs none of tools/deploy-local/moto_server.py's CloudFormation
   * fixes, and it starts in half the time). Throws, saying how to install moto, when it is missing.
   */
  static async start(): Promise<MotoDynamoDb> {
    const { python } = findMoto();
    const port = await freePort();
    const server = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    try {
      await waitForPort(port, 60_000);
    } catch (error) {
      server.kill('SIGKILL');
      throw error;
    }
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    return new MotoDynamoDb(server, client);
  }

  /** Creates an idempotency table named `name`, as IdempotencyTable lays it out. */
  async createIdempotencyTable(name: string): Promise<string> {
    await this.client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE_LAYOUT.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE_LAYOUT.partitionKey, KeyType: 'HASH' }],
      }),
    );
    await this.client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE_LAYOUT.timeToLiveAttribute, Enabled: true },
      }),
    );
    return name;
  }

  /** Powertools' DynamoDB persistence layer on `tableName`, through this server. */
  store(tableName: string): DynamoDBPersistenceLayer {
    return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: this.client });
  }

  /** Every record of `tableName`, unmarshalled. */
  async records(tableName: string): Promise<Record<string, unknown>[]> {
    const result = await this.client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
    return (result.Items ?? []).map((item) => unmarshall(item));
  }

  async stop(): Promise<void> {
    this.client.destroy();
    if (this.server.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.server.once('exit', () => resolve());
      this.server.kill('SIGTERM');
    });
  }
}
