// A test job through the jobs queue: the one thing `npm run verify` writes. It is a
// `cache.invalidate` of a key nothing uses (deleting a key that is not there changes nothing), so
// the worker runs its whole path (queue, event source, function, cache, idempotency record in DynamoDB)
// without touching data. Processed means: the worker's JobsProcessed metric for cache.invalidate
// counts it, or the queue drains (a message leaves the queue only when its record succeeded;
// a failed one comes back after the visibility timeout).
import { randomUUID } from 'node:crypto';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { JOB_METRICS } from '../../../lib/core/job-metrics';
import { WORKER_METRICS_NAMESPACE } from '../../../lib/core/worker';
import { referencedId } from '../../deploy-local/template';
import { fail, notVerifiableHere, pass, skipped, type Outcome } from '../checklist';
import type { Target } from '../target';
import { deployedOfType, type ProbeContext } from './context';

export const TEST_JOB_TYPE = 'cache.invalidate';
/** How often the queue and the metrics are read while waiting. */
export const JOB_POLL_MS = 5_000;

/** The test job: its id names it in the worker's log, and its key cannot collide with an app's. */
export function testJob(id: string): { id: string; type: string; payload: { keys: string[] } } {
  return { id, type: TEST_JOB_TYPE, payload: { keys: [`cdk-scaling-stack:verify:${id}`] } };
}

export interface JobProbeOptions {
  readonly send: boolean;
  readonly timeoutSeconds: number;
}

export async function probeJob(ctx: ProbeContext, options: JobProbeOptions): Promise<Outcome> {
  const { target } = ctx;
  if (!options.send) return skipped('not sent (--skip-job): the run stayed read-only');
  const outputUrl = target.stack.outputs.JobsQueueUrl;
  if (!outputUrl) return fail('the stack has no JobsQueueUrl output');
  const sqs = target.clients.sqs;
  const service = workerServiceName(target, outputUrl);
  // The URL as the endpoint in use names it (the emulator's host differs from the output's).
  const queueUrl = await queueUrlOf(target, outputUrl.split('/').pop()!);
  const dlqUrl = await deadLetterQueueUrl(target);
  const dlqBefore = dlqUrl ? (await queueDepth(target, dlqUrl)).visible : 0;

  const id = `verify-${new Date(ctx.now()).toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const sentAt = ctx.now();
  const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(testJob(id)) }));
  if (target.emulator) {
    return notVerifiableHere(
      `moto runs no Lambda code (it needs Docker), so nothing consumes the queue; the queue accepted job ${id} (message ${MessageId})`,
    );
  }

  let drainedReadings = 0;
  for (;;) {
    await ctx.sleep(JOB_POLL_MS);
    const seconds = Math.round((ctx.now() - sentAt) / 1000);
    const metrics = service ? await jobMetrics(target, service, sentAt, ctx.now()) : undefined;
    if (metrics && metrics.failed > 0) {
      return fail(
        `the worker failed ${metrics.failed} ${TEST_JOB_TYPE} job(s) since job ${id} was sent; its log group says why (aws logs tail <worker log group> --since 10m)`,
      );
    }
    if (dlqUrl && (await queueDepth(target, dlqUrl)).visible > dlqBefore) {
      return fail(`the dead-letter queue grew while job ${id} was waiting: jobs are failing`);
    }
    if (metrics && metrics.processed > 0)
      return pass(`job ${id} processed in ${seconds} s or less (JobsProcessed ${TEST_JOB_TYPE}: ${metrics.processed})`);
    const depth = await queueDepth(target, queueUrl);
    drainedReadings = depth.visible + depth.inFlight === 0 ? drainedReadings + 1 : 0;
    // Two readings in a row: the counts are approximate and lag a little.
    if (drainedReadings >= 2) return pass(`job ${id} left the queue within ${seconds} s (the queue is empty; its metric has not arrived yet)`);
    if (ctx.now() - sentAt >= options.timeoutSeconds * 1000) {
      return fail(
        `job ${id} was not processed within ${options.timeoutSeconds} s: ${depth.visible} message(s) waiting, ${depth.inFlight} in flight${service ? '' : ", and the worker's metrics could not be found"}`,
      );
    }
  }
}

/** The worker's `service` dimension: POWERTOOLS_SERVICE_NAME of the function the queue feeds. */
function workerServiceName(target: Target, queueUrl: string): string | undefined {
  const queue = deployedOfType(target, 'AWS::SQS::Queue').find((q) => q.physicalId === queueUrl);
  const mapping = deployedOfType(target, 'AWS::Lambda::EventSourceMapping').find(
    (m) => referencedId(m.properties.EventSourceArn) === queue?.logicalId,
  );
  const fn = mapping && target.template.Resources[referencedId(mapping.properties.FunctionName) ?? ''];
  const name = (fn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.POWERTOOLS_SERVICE_NAME;
  return typeof name === 'string' ? name : undefined;
}

async function deadLetterQueueUrl(target: Target): Promise<string | undefined> {
  const arn = target.stack.outputs.JobsDeadLetterQueueArn;
  return arn ? queueUrlOf(target, arn.split(':').pop()!) : undefined;
}

async function queueUrlOf(target: Target, name: string): Promise<string> {
  const url = (await target.clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  if (!url) throw new Error(`SQS has no queue ${name}`);
  return url;
}

async function queueDepth(target: Target, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const a =
    (
      await target.clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes ?? {};
  return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

/** JobsProcessed and JobsFailed of the test job's type since it was sent (a minute earlier: datapoints are per minute). */
async function jobMetrics(target: Target, service: string, sentAt: number, now: number): Promise<{ processed: number; failed: number }> {
  const query = (id: string, metricName: string) => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: WORKER_METRICS_NAMESPACE,
        MetricName: metricName,
        Dimensions: [
          { Name: 'service', Value: service },
          { Name: 'jobType', Value: TEST_JOB_TYPE },
        ],
      },
      Period: 60,
      Stat: 'Sum',
    },
  });
  const result = await target.clients.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(Math.floor(sentAt / 60_000) * 60_000 - 60_000),
      EndTime: new Date(now + 60_000),
      MetricDataQueries: [query('processed', JOB_METRICS.processed), query('failed', JOB_METRICS.failed)],
    }),
  );
  const sum = (id: string) => (result.MetricDataResults ?? []).find((r) => r.Id === id)?.Values?.reduce((a, b) => a + b, 0) ?? 0;
  return { processed: sum('processed'), failed: sum('failed') };
}
