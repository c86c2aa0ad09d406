import { BadMessageError, type JobDefinition } from './job';
import * as z from 'zod/mini';
import { describeIssues } from './schema';

/** Every message is `{ id, type, payload }`; `id` is the idempotency key, unique per job. */
const Envelope = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(256)),
  type: z.string().check(z.minLength(1), z.maxLength(64)),
  payload: z.unknown(),
});

/** A message whose envelope and payload passed their schemas. */
export interface Job {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
}

/** Parses an SQS message body into a job of a registered type, or throws BadMessageError saying why. */
export function parseJob(body: string, jobs: ReadonlyMap<string, JobDefinition>): Job {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadMessageError('body is not JSON');
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) throw new BadMessageError(`not a job message { id, type, payload }: ${describeIssues(envelope.error)}`);
  const { id, type } = envelope.data;
  const job = jobs.get(type);
  if (!job) throw new BadMessageError(`unknown job type '${type}'; known types: ${[...jobs.keys()].join(', ')}`, id);
  const payload = job.payload.safeParse(envelope.data.payload);
  if (!payload.success) throw new BadMessageError(`invalid payload for '${type}': ${describeIssues(payload.error)}`, id, type);
  return { id, type, payload: payload.data };
}
