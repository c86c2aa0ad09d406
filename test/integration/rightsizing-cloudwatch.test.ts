// The right-sizing advisor's shipped handler against the local AWS emulator (moto_server, NOTES.md):
// metrics are put into its CloudWatch first, the handler reads them back through the real SDK
// client (GetMetricData with basic statistics; percentiles in code) and notifies an SNS topic
// whose HTTP subscriber is this test.
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { prod } from '../../lib/core/profiles';
import type * as Shipped from '../../lambda/rightsizing';
import type { RightsizingReport } from '../../lambda/rightsizing/advisor';
import { captureOutput } from '../lambda/helpers';
import { freePort } from '../../tools/shared/free-port';

const HOUR = 3_600_000;
const GIB = 1024 ** 3;

/** moto_server on a free loopback port; stopped by its PID. */
async function startMoto(): Promise<{ endpoint: string; stop(): void }> {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`moto_server did not start (${e.message}); install it with pip install 'moto[server]'`))),
  );
  // The SDK must call it `localhost` (NOTES.md).
  const endpoint = `http://localhost:${port}`;
  for (let i = 0; ; i++) {
    const up = await Promise.race([
      fetch(`${endpoint}/moto-api/data.json`)
        .then((r) => r.ok)
        .catch(() => false),
      failed,
    ]);
    if (up) break;
    if (i > 100) throw new Error('moto_server did not answer within 20 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { endpoint, stop: () => void child.kill('SIGTERM') };
}

describe("the shipped advisor handler against the emulator's CloudWatch", () => {
  let moto: { endpoint: string; stop(): void };
  let subscriber: http.Server;
  const notifications: Array<{ Subject?: string; Message: string }> = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    moto = await startMoto();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });

    // An HTTP endpoint subscribed to the alarm topic: what the advisor publishes arrives here.
    subscriber = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const message = JSON.parse(body) as { Type: string; Subject?: string; Message: string };
        if (message.Type === 'Notification') notifications.push(message);
        res.end();
      });
    });
    await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
    const sns = new SNSClient({});
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alarms' }));
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `http://127.0.0.1:${(subscriber.address() as net.AddressInfo).port}/` }),
    );

    // Seven days of hourly datapoints: an idle database, a web tier at its floor with little CPU.
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const hours = Array.from({ length: 7 * 24 }, (_, i) => new Date(end - (7 * 24 - i) * HOUR));
    const datum = (MetricName: string, dimensions: Record<string, string>, value: (i: number) => number): MetricDatum[] =>
      hours.map((Timestamp, i) => ({
        MetricName,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        Timestamp,
        Value: value(i),
      }));
    const db = { DBInstanceIdentifier: 'prod-db' };
    const service = { ClusterName: 'prod-cluster', ServiceName: 'prod-web' };
    // The emulator cannot read the gzip-compressed bodies the SDK sends for large PutMetricData requests.
    const cloudwatch = new CloudWatchClient({ disableRequestCompression: true });
    const put = (Namespace: string, data: MetricDatum[]) => cloudwatch.send(new PutMetricDataCommand({ Namespace, MetricData: data }));
    await put('AWS/RDS', [
      ...datum('CPUUtilization', db, (i) => (i % 24 === 13 || i % 24 === 14 ? 10 : 4)),
      ...datum('FreeableMemory', db, () => 14 * GIB),
      ...datum('DatabaseConnections', db, () => 30),
    ]);
    await put('AWS/ECS', [...datum('CPUUtilization', service, () => 9), ...datum('MemoryUtilization', service, () => 20)]);
    await put(
      'ECS/ContainerInsights',
      datum('RunningTaskCount', service, () => 3),
    );

    Object.assign(process.env, {
      RIGHTSIZING_CONFIG: JSON.stringify({
        profile: prod,
        targets: {
          web: {
            clusterName: 'prod-cluster',
            serviceName: 'prod-web',
            loadBalancer: 'app/prod/1',
            targetGroup: 'targetgroup/prod/2',
            containerInsights: true,
          },
          database: { instanceIdentifier: 'prod-db' },
        },
        windowDays: 7,
        // The emulator steps through every period of the window for each query: hourly keeps it quick.
        periodSeconds: 3600,
      }),
      RIGHTSIZING_TOPIC_ARN: TopicArn,
    });
  });

  afterAll(async () => {
    moto?.stop();
    await new Promise((resolve) => subscriber?.close(resolve));
    process.env = saved;
  });

  test("reads what was put, recommends in the profile's terms with evidence and cost, and notifies the topic", async () => {
    // WHEN the handler runs as Lambda loads it (a cold start)
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment is set, like a cold start
    const shipped = require('../../lambda/rightsizing') as typeof Shipped;
    const output = captureOutput();
    let result;
    try {
      result = await shipped.handler({});
    } finally {
      output.restore();
    }
    // THEN
    const report = result.report as RightsizingReport;
    expect(result).toMatchObject({ status: 'reported', notified: true });
    expect(report.components.map((c) => [c.component, c.status])).toEqual([
      ['web', 'recommendation'],
      ['database', 'recommendation'],
      ['cache', 'not-monitored'],
      ['worker', 'not-monitored'],
    ]);
    const database = report.recommendations.find((r) => r.component === 'database')!;
    expect(database).toMatchObject({
      action: 'downsize',
      changes: [{ path: 'database.instanceClass', from: 'db.r7g.large', to: 'db.m7g.large' }],
      monthlyUsd: -102.93,
      confidence: 'high',
    });
    // p95 and max computed in code from the hourly datapoints (the emulator has no percentiles).
    expect(database.evidence[0]).toBe(
      'CPUUtilization (Average) p50 4 %, p95 10 %, max 10 % over 7 days of 60-minute datapoints (168 of 168 expected)',
    );
    expect(report.recommendations.find((r) => r.component === 'web')?.changes).toEqual([
      // 512 / 1024, not 256 / 512: prod's trace collector may take at most a quarter of the task
      { path: 'web.cpu', from: 1024, to: 512 },
      { path: 'web.memoryMiB', from: 2048, to: 1024 },
    ]);
    expect(report.recommendedProfile.database.multiAz).toBe(true);
    // The structured log line carries the report.
    expect(output.logs()).toEqual(expect.arrayContaining([expect.objectContaining({ message: 'right-sizing report' })]));
    // The topic's subscriber got the same report as text.
    for (let i = 0; i < 50 && notifications.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(notifications).toHaveLength(1);
    expect(notifications[0].Subject).toBe(`Right-sizing (prod): 2 recommendation(s), -$${Math.abs(report.monthlyUsd).toFixed(2)}/month`);
    expect(notifications[0].Message).toContain('shrink the database from db.r7g.large to db.m7g.large (still Multi-AZ)');
  });
});
