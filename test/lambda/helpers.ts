// Factories and fakes for handler tests: SQS events, a Lambda context, an in-memory cache that
// speaks the subset of node-redis the workers use, and a capture of what the worker prints.
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { CacheClient } from '../../lambda/shared/cache';
import type { PublishedMetrics } from '../../lib/queue-worker/published-metrics';

export interface RecordOptions {
  readonly messageId: string;
  /** A job message (serialized as JSON) or a raw body. */
  readonly body: unknown;
  readonly receiveCount?: number;
}

export function sqsRecord({ messageId, body, receiveCount = 1 }: RecordOptions): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1767225600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1767225600000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:jobs',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(...records: RecordOptions[]): SQSEvent {
  return { Records: records.map(sqsRecord) };
}

/** A job message body. */
export function job(id: string, type: string, payload: unknown): { id: string; type: string; payload: unknown } {
  return { id, type, payload };
}

export function lambdaContext(remainingMs = 30_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'jobs-worker',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:jobs-worker',
    memoryLimitInMB: '256',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/jobs-worker',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

interface Entry {
  value: string;
  expiresAt?: number;
}

/** Redis glob (MATCH) to a RegExp: `*`, `?` and backslash escapes, as the workers use them. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') source += escapeRegExp(glob[++i] ?? '');
    else if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An in-memory cache with the node-redis methods the workers call (GET, SET with NX/EX, DEL,
 * UNLINK, SCAN). It records every command, refuses KEYS, and can be switched to fail like a
 * cache that went away.
 */
export class FakeCache {
  readonly entries = new Map<string, Entry>();
  readonly commands: string[] = [];
  /** When set, every command rejects with this error. */
  down?: Error;
  readonly isReady = true;

  asClient(): CacheClient {
    return this as unknown as CacheClient;
  }

  private command(name: string): void {
    this.commands.push(name);
    if (this.down) throw this.down;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string): Promise<string | null> {
    this.command('GET');
    return this.live(key)?.value ?? null;
  }

  async set(
    key: string,
    value: string,
    options: { NX?: boolean; EX?: number; condition?: string; expiration?: { type: string; value: number } } = {},
  ): Promise<'OK' | null> {
    this.command('SET');
    if ((options.NX || options.condition === 'NX') && this.live(key)) return null;
    const seconds = options.EX ?? (options.expiration?.type === 'EX' ? options.expiration.value : undefined);
    this.entries.set(key, { value, expiresAt: seconds === undefined ? undefined : Date.now() + seconds * 1000 });
    return 'OK';
  }

  /** The TTL in seconds of `key`, as TTL would answer (-1 without one, -2 when missing). */
  ttl(key: string): number {
    const entry = this.live(key);
    if (!entry) return -2;
    return entry.expiresAt === undefined ? -1 : Math.round((entry.expiresAt - Date.now()) / 1000);
  }

  async del(keys: string | string[]): Promise<number> {
    this.command('DEL');
    return this.remove(keys);
  }

  async unlink(keys: string | string[]): Promise<number> {
    this.command('UNLINK');
    return this.remove(keys);
  }

  async scan(cursor: string, options: { MATCH?: string; COUNT?: number } = {}): Promise<{ cursor: string; keys: string[] }> {
    this.command('SCAN');
    // Like Redis, a key present for the whole iteration is returned even when others are deleted
    // between steps: the cursor remembers the last key seen, in a stable (sorted) order.
    const after = cursor === '0' ? undefined : Buffer.from(cursor, 'base64url').toString();
    const remaining = [...this.entries.keys()].filter((key) => this.live(key) && (after === undefined || key > after)).sort();
    const page = remaining.slice(0, options.COUNT ?? 10);
    const pattern = options.MATCH ? globToRegExp(options.MATCH) : undefined;
    const next = page.length === remaining.length ? '0' : Buffer.from(page[page.length - 1]).toString('base64url');
    return { cursor: next, keys: page.filter((key) => !pattern || pattern.test(key)) };
  }

  async keys(): Promise<never> {
    throw new Error('KEYS blocks the server; the workers must never send it');
  }

  private remove(keys: string | string[]): number {
    let n = 0;
    for (const key of Array.isArray(keys) ? keys : [keys]) if (this.live(key) && this.entries.delete(key)) n++;
    return n;
  }
}

/**
 * Collects the JSON lines the worker writes to stdout and stderr (Powertools logs and EMF
 * metrics; Powertools writes errors to stderr), and keeps them off the test output.
 */
export function captureOutput(): { logs(): Array<Record<string, unknown>>; metrics(): Array<Record<string, unknown>>; restore(): void } {
  const lines: Array<Record<string, unknown>> = [];
  const collect = (chunk: string | Uint8Array): boolean => {
    for (const line of String(chunk).split('\n')) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a JSON line
      }
    }
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(collect), jest.spyOn(process.stderr, 'write').mockImplementation(collect)];
  return {
    logs: () => lines.filter((l) => !('_aws' in l)),
    metrics: () => lines.filter((l) => '_aws' in l),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

/** A series as `namespace metric {dimension=value, ...}`, dimensions sorted. */
function seriesKey(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>): string {
  return `${namespace} ${metricName} {${Object.keys(dimensions)
    .sort()
    .map((d) => `${d}=${dimensions[d]}`)
    .join(', ')}}`;
}

/**
 * Every metric series in EMF lines, as CloudWatch creates them: each metric of a directive once
 * per dimension set, with the line's values of those dimensions. Sorted, each once.
 */
export function emfSeries(lines: ReadonlyArray<Record<string, unknown>>): string[] {
  const series = new Set<string>();
  for (const line of lines) {
    const directives = (line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] })
      .CloudWatchMetrics;
    for (const { Namespace, Dimensions, Metrics } of directives) {
      for (const set of Dimensions.length > 0 ? Dimensions : [[]]) {
        const values = Object.fromEntries(set.map((d) => [d, String(line[d])]));
        for (const { Name } of Metrics) series.add(seriesKey(Namespace, Name, values));
      }
    }
  }
  return [...series].sort();
}

/** The series a `PublishedMetrics` declaration lists, in `emfSeries()`'s form. */
export function declaredSeries(published: PublishedMetrics): string[] {
  return [...new Set(published.series.map((s) => seriesKey(published.namespace ?? '', s.metricName, s.dimensions)))].sort();
}
