// Tracing in the workers (issue 18): Powertools Tracer set up once per execution environment, the
// handler's subsegment, subsegments around database and cache calls, and the trace context carried
// by an SQS message (`AWSTraceHeader`) continued for the job it holds.
//
// Off (`POWERTOOLS_TRACE_ENABLED=false`, which the stack sets on every untraced function) there is no
// tracer at all: Powertools Tracer and the X-Ray SDK are not even loaded (they are required only
// here, on first use), and every helper calls straight through: no segment, no wrapped client.
import type { Tracer } from '@aws-lambda-powertools/tracer';
// aws-xray-sdk-core is Tracer's own X-Ray SDK (its dependency, one copy in the bundle); Powertools'
// docs import its Segment and Subsegment for manual instrumentation in the same way.
import type { Subsegment } from 'aws-xray-sdk-core';
import type { SQSRecord } from 'aws-lambda';

export type WorkerTracer = Tracer;

/**
 * A Tracer for `serviceName`, or undefined when the function is not traced
 * (POWERTOOLS_TRACE_ENABLED=false). Powertools also keeps it off outside Lambda.
 */
export function createTracer(serviceName: string, env: Readonly<Record<string, string | undefined>> = process.env): WorkerTracer | undefined {
  if (env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() === 'false') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const { Tracer: PowertoolsTracer } = require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
  // Job results can carry user data: they never go into traces (the stack also sets
  // POWERTOOLS_TRACER_CAPTURE_RESPONSE=false). Outgoing HTTP is not patched: the AWS SDK clients
  // are captured one by one, and the workers make no other HTTP calls.
  return new PowertoolsTracer({ serviceName, captureHTTPsRequests: false });
}

/** An AWS SDK v3 client whose calls are subsegments (the same client, untouched, when tracing is off). */
export function captureClient<T>(tracer: WorkerTracer | undefined, client: T): T {
  return tracer?.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client;
}

/**
 * Runs `fn` in its own subsegment named `name` (X-Ray namespace `remote`: a call out of the
 * function), after `describe` adds what identifies the call; errors are recorded and rethrown.
 */
export async function traced<T>(
  tracer: WorkerTracer | undefined,
  name: string,
  fn: () => Promise<T>,
  describe?: (subsegment: Subsegment) => void,
): Promise<T> {
  if (!tracer?.isTracingEnabled()) return fn();
  return tracer.provider.captureAsyncFunc(name, async (subsegment?: Subsegment) => {
    if (subsegment) {
      subsegment.namespace = 'remote';
      describe?.(subsegment);
    }
    try {
      return await fn();
    } catch (error) {
      subsegment?.addError(error as Error, true);
      throw error;
    } finally {
      subsegment?.close();
    }
  }) as Promise<T>;
}

/**
 * Like `traced`, for a call that may or may not return a promise (a cache client's methods: commands
 * are async, `multi()` and iterators are not): the subsegment closes when the promise settles, or at
 * once for any other value, which is returned as it is.
 */
export function tracedCall<T>(tracer: WorkerTracer | undefined, name: string, fn: () => T): T {
  if (!tracer?.isTracingEnabled()) return fn();
  return tracer.provider.captureAsyncFunc(name, (subsegment?: Subsegment) => {
    if (subsegment) subsegment.namespace = 'remote';
    let result: T;
    try {
      result = fn();
    } catch (error) {
      subsegment?.close(error as Error, true);
      throw error;
    }
    if (!(result instanceof Promise)) {
      subsegment?.close();
      return result;
    }
    return result.then(
      (value: unknown) => {
        subsegment?.close();
        return value;
      },
      (error: unknown) => {
        subsegment?.close(error as Error, true);
        throw error;
      },
    );
  }) as T;
}

/**
 * Annotates the current segment or subsegment: a job's own segment too (Tracer's `putAnnotation`
 * refuses any segment, as in Lambda it could only be Lambda's own), but never Lambda's facade.
 */
export function annotate(tracer: WorkerTracer | undefined, key: string, value: string | number | boolean): void {
  if (!tracer?.isTracingEnabled()) return;
  const current = tracer.getSegment() as (Subsegment & { facade?: boolean }) | undefined;
  if (current && !current.facade) current.addAnnotation(key, value);
}

/** A parsed X-Ray trace header (`X-Amzn-Trace-Id`, SQS's `AWSTraceHeader`). */
export interface TraceHeader {
  /** `1-<8 hex>-<24 hex>`. */
  readonly root: string;
  /** The span (segment or subsegment) that sent the message, 16 hex. */
  readonly parent?: string;
  /** true: the sender's trace is recorded; false: it is not; undefined: no decision was made. */
  readonly sampled?: boolean;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const PARENT = /^[0-9a-f]{16}$/;

/** The fields of an X-Ray trace header, or undefined when it has no valid Root. */
export function parseTraceHeader(header: string | undefined): TraceHeader | undefined {
  if (!header) return undefined;
  const fields = new Map(
    header.split(';').map((part) => {
      const [key, ...value] = part.trim().split('=');
      return [key, value.join('=')] as const;
    }),
  );
  const root = fields.get('Root');
  if (!root || !ROOT.test(root)) return undefined;
  const parent = fields.get('Parent');
  const sampled = fields.get('Sampled');
  return {
    root,
    parent: parent && PARENT.test(parent) ? parent : undefined,
    sampled: sampled === '1' ? true : sampled === '0' ? false : undefined,
  };
}

/**
 * Runs one SQS record's work inside the trace of the request that sent it, so that trace reads
 * request -> queue -> job.
 *
 * Lambda's SQS integration does not continue the message's trace: each invocation (a batch) starts
 * its own, and X-Ray links the messages' traces to it. So for a message whose `AWSTraceHeader` is
 * sampled, the worker records a segment of its own in the sender's trace (Root and Parent from the
 * header, origin AWS::Lambda::Function) around the job: the database, cache and AWS calls the job
 * makes become its subsegments. The segment carries the batch's trace ID as the annotation
 * `invocationTraceId`, and the invocation's record subsegment carries the request's as
 * `requestTraceId`, so either trace finds the other. A message without a sampled header (sent by
 * an untraced producer, or not sampled there) gets a subsegment of the invocation's trace instead:
 * no new trace is started, as the producer's sampling decision stands.
 */
export async function withMessageTrace<T>(
  tracer: WorkerTracer | undefined,
  /** The job segment's name: the worker's service name, its node on the trace map. */
  serviceName: string,
  record: SQSRecord,
  fn: () => Promise<T>,
): Promise<T> {
  if (!tracer?.isTracingEnabled()) return fn();
  const header = parseTraceHeader(record.attributes.AWSTraceHeader);
  const invocationTraceId = tracer.getRootXrayTraceId();
  if (!header?.sampled) {
    return traced(tracer, `## record ${record.messageId}`, fn, (s) => s.addAnnotation('messageId', record.messageId));
  }
  return traced(
    tracer,
    `## record ${record.messageId}`,
    () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on (see createTracer)
      const AWSXRay = require('aws-xray-sdk-core') as typeof import('aws-xray-sdk-core');
      const segment = new AWSXRay.Segment(serviceName, header.root, header.parent ?? null);
      segment.origin = 'AWS::Lambda::Function';
      segment.addAnnotation('messageId', record.messageId);
      if (invocationTraceId) segment.addAnnotation('invocationTraceId', invocationTraceId);
      segment.addMetadata('queue', { eventSourceARN: record.eventSourceARN, receiveCount: record.attributes.ApproximateReceiveCount });
      // A context of its own: concurrent records never see each other's segment.
      return AWSXRay.getNamespace().runAndReturn(async () => {
        AWSXRay.setSegment(segment);
        try {
          return await fn();
        } catch (error) {
          segment.addError(error as Error);
          throw error;
        } finally {
          segment.close();
        }
      });
    },
    (s) => {
      s.addAnnotation('messageId', record.messageId);
      s.addAnnotation('requestTraceId', header.root);
    },
  );
}

/**
 * The handler wrapped as Powertools' manual instrumentation does it: a `## <handler>` subsegment
 * of Lambda's segment, the cold start and service annotations, an error recorded as metadata.
 */
export function traceHandler<A extends unknown[], R>(
  tracer: WorkerTracer | undefined,
  name: string,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  if (!tracer?.isTracingEnabled()) return handler;
  return async (...args: A): Promise<R> => {
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${name}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handler(...args);
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
    }
  };
}
