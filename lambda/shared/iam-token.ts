import { createHash, createHmac } from 'node:crypto';

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
 * 15 minutes, which RDS Proxy requires in production. It is a SigV4-presigned `connect` request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), the same string
 * `@aws-sdk/rds-signer` returns (test/lambda/shared/iam-token.test.ts compares them byte for byte).
 * Signed here on node:crypto because the SDK's signer and credential chain would add ~140-400 KB to
 * the worker's bundle, and Lambda already hands the function its role's credentials in the
 * environment.
 */
export function iamAuthToken(request: IamTokenRequest, now: Date = new Date()): string {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, ''); // 20261126T123456Z
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${request.region}/rds-db/aws4_request`;
  const host = `${request.hostname}:${request.port}`;
  const query: Record<string, string> = {
    Action: 'connect',
    DBUser: request.username,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${request.credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(IAM_TOKEN_LIFETIME_SECONDS),
    'X-Amz-SignedHeaders': 'host',
    ...(request.credentials.sessionToken ? { 'X-Amz-Security-Token': request.credentials.sessionToken } : {}),
  };
  const canonicalQuery = canonicalQueryString(query);
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${host}\n`, 'host', sha256Hex('')].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${request.credentials.secretAccessKey}`, day);
  for (const part of [request.region, 'rds-db', 'aws4_request']) key = hmac(key, part);
  const signature = hmac(key, stringToSign).toString('hex');
  return `${host}/?${canonicalQueryString({ ...query, 'X-Amz-Signature': signature })}`;
}

/** The Lambda execution role's credentials, as the runtime sets them. */
export function credentialsFromEnvironment(env: Readonly<Record<string, string | undefined>>): IamTokenRequest['credentials'] {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: IAM database authentication needs the role credentials Lambda provides',
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

/** SigV4's canonical query: keys sorted by code point, keys and values RFC 3986-encoded. */
function canonicalQueryString(query: Record<string, string>): string {
  return Object.keys(query)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${encode(key)}=${encode(query[key])}`)
    .join('&');
}

function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}
