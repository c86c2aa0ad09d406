import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** How long RDS accepts a token after it is signed (fixed by RDS: 15 minutes). */
export const IAM_TOKEN_LIFETIME_SECONDS = 900;

export interface IamTokenRequest {
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/**
 * An RDS IAM authentication token: the database password for a user granted `rds_iam`, valid for
 * 15 minutes, which RDS Proxy requires in production. It is a SigV4-presigned `connect` request,
 * exactly what `@aws-sdk/rds-signer` produces (a test compares the two); signing it here with the
 * SDK's own signer keeps the credential-provider chain (~400 KB) out of the worker's bundle: Lambda
 * hands the function its role's credentials in the environment.
 */
export async function iamAuthToken(request: IamTokenRequest): Promise<string> {
  const signer = new SignatureV4({ service: 'rds-db', region: request.region, credentials: request.credentials, sha256: Sha256 });
  const presigned = await signer.presign({
    method: 'GET',
    protocol: 'https:',
    hostname: request.hostname,
    port: request.port,
    path: '/',
    query: { Action: 'connect', DBUser: request.username },
    headers: { host: `${request.hostname}:${request.port}` },
  }, { expiresIn: IAM_TOKEN_LIFETIME_SECONDS });
  // Sorted as the SDK's URL formatter writes them (the signature does not depend on the order).
  const query = Object.entries(presigned.query ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${encode(key)}=${encode(String(value))}`)
    .join('&');
  return `${request.hostname}:${request.port}/?${query}`;
}

/** The Lambda execution role's credentials, as the runtime sets them. */
export function credentialsFromEnvironment(env: Readonly<Record<string, string | undefined>>): IamTokenRequest['credentials'] {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: IAM database authentication needs the role credentials Lambda provides');
  }
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

// RFC 3986 encoding, as SigV4 canonicalizes query strings.
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) on node:crypto, in the shape the signer expects. */
class Sha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
