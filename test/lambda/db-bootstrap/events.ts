// Factories for the bootstrap's tests: a custom-resource event as CloudFormation delivers it through
// the Provider framework (every scalar a string), and secrets served from memory.
import type { BootstrapEvent } from '../../../lambda/db-bootstrap/handler';
import type { SecretSource, SecretValue } from '../../../lambda/shared/secrets';

export const MASTER_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:master';
export const APP_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app';
export const MONITORING_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:monitoring';

export interface EventOptions {
  readonly requestType?: BootstrapEvent['RequestType'];
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly iamAuth?: boolean;
  readonly application?: string;
  readonly monitoring?: string;
  readonly statements?: string[];
  readonly extensions?: string[];
}

export function bootstrapEvent(options: EventOptions = {}): BootstrapEvent {
  const iamAuth = options.iamAuth ?? false;
  return {
    RequestType: options.requestType ?? 'Create',
    PhysicalResourceId: options.requestType === 'Create' || options.requestType === undefined ? undefined : 'app/app/monitoring',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
      host: options.host ?? 'db.example.internal',
      port: String(options.port ?? 5432),
      database: options.database ?? 'app',
      masterSecretArn: MASTER_ARN,
      iamAuth: String(iamAuth),
      extensions: options.extensions ?? ['pg_stat_statements'],
      application: {
        name: options.application ?? 'app',
        connectionLimit: '20',
        statementTimeoutMs: '10000',
        ...(iamAuth ? {} : { secretArn: APP_ARN }),
      },
      monitoring: {
        name: options.monitoring ?? 'monitoring',
        connectionLimit: '3',
        statementTimeoutMs: '10000',
        ...(iamAuth ? {} : { secretArn: MONITORING_ARN }),
      },
      statements: options.statements ?? [],
    },
  };
}

/** Secrets from a map; records every ARN read. */
export class MemorySecrets implements SecretSource {
  readonly reads: string[] = [];
  constructor(private readonly values: Record<string, SecretValue>) {}
  async get(arn: string): Promise<SecretValue> {
    this.reads.push(arn);
    const value = this.values[arn];
    if (value === undefined) throw new Error(`no secret ${arn}`);
    return value;
  }
  forget(): void {}
}

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
