// The right-sizing advisor: reads 14 days of CloudWatch metrics of the stack, recommends changes
// to the profile, logs the report and notifies the alarm topic when there is something to act on.
// Everything is created once per execution environment; the AWS SDK clients (provided by the
// Lambda runtime, not bundled) load on first use.
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { GetMetricData } from './cloudwatch';
import { bundledPrices } from './prices';
import { runAdvisor, type AdvisorResult, type Publish } from './run';
import { captureClient, createTracer, traceHandler } from '../shared/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'rightsizing';
const logger = new Logger({ serviceName });
// Off (POWERTOOLS_TRACE_ENABLED=false) the clients are used as they are.
const tracer = createTracer(serviceName);
const prices = bundledPrices();

let cloudwatch: Promise<CloudWatchClient> | undefined;
let sns: Promise<SNSClient> | undefined;

// Throttling is retried by the advisor with its own, longer back-off (lambda/rightsizing/cloudwatch.ts).
const getMetricData: GetMetricData = async (input) => {
  const { CloudWatchClient: Client, GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  cloudwatch ??= Promise.resolve(captureClient(tracer, new Client({ maxAttempts: 1 })));
  return (await cloudwatch).send(new GetMetricDataCommand(input));
};

const publish: Publish = async (topicArn, subject, message) => {
  const { SNSClient: Client, PublishCommand } = await import('@aws-sdk/client-sns');
  sns ??= Promise.resolve(captureClient(tracer, new Client({})));
  await (await sns).send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
};

export const handler = traceHandler(tracer, 'rightsizing', (event: unknown): Promise<AdvisorResult> =>
  runAdvisor(process.env, event, { getMetricData, publish, prices, logger }),
);
