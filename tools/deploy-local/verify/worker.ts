// SQS queues (attributes, encryption, redrive to the DLQ), Lambda functions (runtime, handler,
// architecture, environment, VPC placement, role) and their SQS event source mappings. A function
// fed by a mapping is a worker, sized by profile.worker; others (CDK's custom-resource handlers)
// are compared to the template.
import { GetEventSourceMappingCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { referencedId, resourcesOfType } from '../template';
import { compareNamedValues, forEach, templateValue, type Verifier, type VerifyContext } from './context';

/** SQS's defaults, which CloudFormation applies when the template leaves a property out. */
const SQS_DEFAULTS = { VisibilityTimeout: 30, MessageRetentionPeriod: 345_600 } as const;
/** Lambda's defaults. */
const LAMBDA_DEFAULTS = { MemorySize: 128, Timeout: 3, Architectures: ['x86_64'] } as const;
/** AWS guidance: a queue feeding Lambda needs a visibility timeout of at least 6 × the function timeout. */
const VISIBILITY_FACTOR = 6;

/** Logical IDs of the queues and functions joined by event source mappings. */
function mappings(ctx: VerifyContext): { queues: Set<string | undefined>; functions: Set<string | undefined> } {
  const esms = resourcesOfType(ctx.template, 'AWS::Lambda::EventSourceMapping');
  return {
    queues: new Set(esms.map((m) => referencedId(m.properties.EventSourceArn))),
    functions: new Set(esms.map((m) => referencedId(m.properties.FunctionName))),
  };
}

export const queueVerifier: Verifier = {
  name: 'SQS',
  types: ['AWS::SQS::Queue'],
  async verify(ctx) {
    const { checks, clients, resolver, profile } = ctx;
    const { queues: workerQueues } = mappings(ctx);
    await forEach(ctx, 'AWS::SQS::Queue', async (queue) => {
      const p = queue.properties;
      const s = queue.subject;
      const name = queue.physicalId.slice(queue.physicalId.lastIndexOf('/') + 1);
      const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      const a = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
      const visibility = Number(a.VisibilityTimeout);
      checks.equal(
        s,
        'VisibilityTimeout',
        visibility,
        Number(await templateValue(ctx, p, 'VisibilityTimeout', SQS_DEFAULTS.VisibilityTimeout)),
        'template',
      );
      checks.equal(
        s,
        'MessageRetentionPeriod',
        Number(a.MessageRetentionPeriod),
        Number(await templateValue(ctx, p, 'MessageRetentionPeriod', SQS_DEFAULTS.MessageRetentionPeriod)),
        'template',
      );
      if ('FifoQueue' in p) checks.equal(s, 'FifoQueue', a.FifoQueue, String(await resolver.resolve(p.FifoQueue)), 'template');
      if ('KmsMasterKeyId' in p) checks.equal(s, 'KmsMasterKeyId', a.KmsMasterKeyId, await resolver.resolve(p.KmsMasterKeyId), 'template');
      else
        checks.equal(
          s,
          'SqsManagedSseEnabled',
          a.SqsManagedSseEnabled,
          String(await templateValue(ctx, p, 'SqsManagedSseEnabled', true)),
          'template (SQS encrypts new queues with SSE-SQS by default)',
        );
      if ('RedrivePolicy' in p) {
        const expected = (await resolver.resolve(p.RedrivePolicy)) as { deadLetterTargetArn?: string; maxReceiveCount?: number };
        const actual = a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: number }) : undefined;
        checks.equal(s, 'RedrivePolicy.deadLetterTargetArn', actual?.deadLetterTargetArn, expected.deadLetterTargetArn, 'template');
        checks.equal(
          s,
          'RedrivePolicy.maxReceiveCount',
          actual?.maxReceiveCount === undefined ? undefined : Number(actual.maxReceiveCount),
          Number(expected.maxReceiveCount),
          'template',
        );
        const dlqId = referencedId((p.RedrivePolicy as Record<string, unknown>).deadLetterTargetArn);
        checks.holds(
          s,
          'dead-letter queue is in the stack',
          dlqId !== undefined && ctx.physicalIds.has(dlqId),
          dlqId,
          'a queue deployed with this stack',
          'template',
        );
      }
      if (workerQueues.has(queue.logicalId)) {
        const minimum = VISIBILITY_FACTOR * profile.worker.timeoutSeconds;
        checks.holds(
          s,
          'VisibilityTimeout vs worker timeout',
          visibility >= minimum,
          visibility,
          `at least ${minimum} s`,
          `${VISIBILITY_FACTOR} × profile.worker.timeoutSeconds (${profile.worker.timeoutSeconds})`,
        );
      }
    });
  },
};

export const functionVerifier: Verifier = {
  name: 'Lambda',
  types: ['AWS::Lambda::Function', 'AWS::Lambda::EventSourceMapping'],
  async verify(ctx) {
    const { checks, clients, resolver, profile } = ctx;
    const { functions: workers } = mappings(ctx);
    await forEach(ctx, 'AWS::Lambda::Function', async (fn) => {
      const p = fn.properties;
      const s = fn.subject;
      const d = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.physicalId }));
      checks.equal(s, 'Runtime', d.Runtime, await resolver.resolve(p.Runtime), 'template');
      checks.equal(s, 'Handler', d.Handler, await resolver.resolve(p.Handler), 'template');
      checks.equal(s, 'Architectures', d.Architectures, await templateValue(ctx, p, 'Architectures', LAMBDA_DEFAULTS.Architectures), 'template');
      checks.equal(s, 'Role', d.Role, await resolver.resolve(p.Role), 'template');
      const environment = ((p.Environment ?? {}) as { Variables?: Record<string, unknown> }).Variables ?? {};
      await compareNamedValues(ctx, s, 'environment', d.Environment?.Variables ?? {}, environment);
      if ('VpcConfig' in p) {
        const vpc = (await resolver.resolve(p.VpcConfig)) as { SubnetIds?: unknown[]; SecurityGroupIds?: unknown[] };
        checks.sameMembers(s, 'VpcConfig.SubnetIds', d.VpcConfig?.SubnetIds, vpc.SubnetIds ?? [], 'template');
        checks.sameMembers(s, 'VpcConfig.SecurityGroupIds', d.VpcConfig?.SecurityGroupIds, vpc.SecurityGroupIds ?? [], 'template');
      }
      if ('LoggingConfig' in p)
        checks.notModelledBy(s, 'LoggingConfig', "moto's Lambda does not model logging configuration (log group, format, levels)");
      if (workers.has(fn.logicalId)) {
        checks.equal(s, 'MemorySize', d.MemorySize, profile.worker.memoryMiB, 'profile.worker.memoryMiB');
        checks.equal(s, 'Timeout', d.Timeout, profile.worker.timeoutSeconds, 'profile.worker.timeoutSeconds');
      } else {
        checks.equal(s, 'MemorySize', d.MemorySize, Number(await templateValue(ctx, p, 'MemorySize', LAMBDA_DEFAULTS.MemorySize)), 'template');
        checks.equal(s, 'Timeout', d.Timeout, Number(await templateValue(ctx, p, 'Timeout', LAMBDA_DEFAULTS.Timeout)), 'template');
      }
    });

    await forEach(ctx, 'AWS::Lambda::EventSourceMapping', async (esm) => {
      const p = esm.properties;
      const s = esm.subject;
      const d = await clients.lambda.send(new GetEventSourceMappingCommand({ UUID: esm.physicalId }));
      checks.equal(s, 'EventSourceArn', d.EventSourceArn, await resolver.resolve(p.EventSourceArn), 'template');
      const functionName = String(await resolver.resolve(p.FunctionName));
      checks.equal(s, 'function', d.FunctionArn?.split(':function:')[1]?.split(':')[0], functionName.split(':function:').pop(), 'template');
      checks.equal(s, 'BatchSize', d.BatchSize, profile.worker.batchSize, 'profile.worker.batchSize');
      // Provisioned pollers replace the maximum concurrency (AWS takes one or the other).
      const pollers = profile.worker.provisionedPollers;
      if (pollers === 'off') {
        checks.equal(
          s,
          'ScalingConfig.MaximumConcurrency',
          d.ScalingConfig?.MaximumConcurrency,
          profile.worker.maxConcurrency,
          'profile.worker.maxConcurrency',
        );
        checks.equal(s, 'ProvisionedPollerConfig', d.ProvisionedPollerConfig, undefined, 'profile.worker.provisionedPollers');
      } else {
        checks.equal(
          s,
          'ProvisionedPollerConfig.MinimumPollers',
          d.ProvisionedPollerConfig?.MinimumPollers,
          pollers.minimumPollers,
          'profile.worker.provisionedPollers',
        );
        checks.equal(
          s,
          'ProvisionedPollerConfig.MaximumPollers',
          d.ProvisionedPollerConfig?.MaximumPollers,
          pollers.maximumPollers,
          'profile.worker.provisionedPollers',
        );
        checks.equal(s, 'ScalingConfig.MaximumConcurrency', d.ScalingConfig?.MaximumConcurrency, undefined, 'profile.worker.provisionedPollers');
      }
      checks.equal(s, 'FunctionResponseTypes', d.FunctionResponseTypes ?? [], await templateValue(ctx, p, 'FunctionResponseTypes', []), 'template');
      checks.equal(s, 'State', d.State, (await templateValue(ctx, p, 'Enabled', true)) === false ? 'Disabled' : 'Enabled', 'template');
    });
  },
};
