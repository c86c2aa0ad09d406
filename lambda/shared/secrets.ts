import type { GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { captureClient, type WorkerTracer } from './tracer';

/** A secret as stored: a JSON object (RDS-generated credentials) or a plain string (an AUTH token). */
export type SecretValue = string | Readonly<Record<string, unknown>>;

/** Where workers read secrets from. The default reads Secrets Manager; tests pass their own. */
export interface SecretSource {
  /** The secret's current value, fetched once per cold start and then served from memory. */
  get(arn: string): Promise<SecretValue>;
  /** Drops a cached value, e.g. after the database rejected a rotated password. */
  forget(arn: string): void;
}

/**
 * Reads secrets with the AWS SDK v3 that the Lambda runtime provides (not bundled, see
 * lib/core/worker.ts). The client module is loaded on the first fetch, so a worker that needs no
 * secret never pays for it, and the values are cached in memory: never in the environment.
 */
export class SecretsManagerSource implements SecretSource {
  private readonly values = new Map<string, Promise<SecretValue>>();
  private send?: (arn: string) => Promise<GetSecretValueCommandOutput>;

  /** With a tracer, each fetch is a subsegment (Tracer's AWS SDK capture). */
  constructor(private readonly tracer?: WorkerTracer) {}

  get(arn: string): Promise<SecretValue> {
    let value = this.values.get(arn);
    if (!value) {
      value = this.fetch(arn);
      this.values.set(arn, value);
      // A failed fetch (throttling, network) is retried by the next record, not cached.
      value.catch(() => this.values.delete(arn));
    }
    return value;
  }

  forget(arn: string): void {
    this.values.delete(arn);
  }

  private async fetch(arn: string): Promise<SecretValue> {
    if (!this.send) {
      const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const client = captureClient(this.tracer, new SecretsManagerClient({}));
      this.send = (secretId) => client.send(new GetSecretValueCommand({ SecretId: secretId }));
    }
    const output = await this.send(arn);
    if (output.SecretString === undefined) throw new Error(`secret ${arn} has no string value (binary secrets are not supported)`);
    return parseSecret(output.SecretString);
  }
}

/** A JSON object secret as an object; anything else (a token) as the string it is. */
export function parseSecret(text: string): SecretValue {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Not JSON: a plain token.
  }
  return text;
}

/** The string field `name` of an object secret. */
export function secretField(secret: SecretValue, name: string): string | undefined {
  if (typeof secret === 'string') return undefined;
  const value = secret[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
