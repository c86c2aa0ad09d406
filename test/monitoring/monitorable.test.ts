import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Monitoring, monitoringPropsFor, type MonitorableDatabase, type MonitorableQueueWorker, type MonitorableWebService } from '../../lib';
import { testApp } from '../helpers/app';

// Monitoring reads only the shapes in lib/monitoring/monitorable.ts: a user's own constructs that
// offer the same metrics get the same alarms and dashboard rows. These are written the way a user
// would: adapters over aws-cdk-lib's own constructs, none of this library's.

/** aws-ecs-patterns' load-balanced Fargate service, shaped for Monitoring. */
class PatternWebService extends Construct implements MonitorableWebService {
  readonly minTasks = 2;
  readonly pattern: ecsPatterns.ApplicationLoadBalancedFargateService;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc) {
    super(scope, id);
    this.pattern = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      vpc,
      desiredCount: this.minTasks,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('nginx') },
    });
  }

  metric(_source: 'targetGroup', metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.pattern.targetGroup.metrics.custom(metricName, props);
  }
  metricRequestCount(props?: cloudwatch.MetricOptions) {
    return this.pattern.loadBalancer.metrics.requestCount({ statistic: 'Sum', ...props });
  }
  metricTargetResponseTime(props?: cloudwatch.MetricOptions) {
    return this.pattern.targetGroup.metrics.targetResponseTime({ statistic: 'p99', ...props });
  }
  metricElb5xxCount(props?: cloudwatch.MetricOptions) {
    return this.pattern.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, props);
  }
  metricTarget5xxCount(props?: cloudwatch.MetricOptions) {
    return this.pattern.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, props);
  }
  metricHealthyHostCount(props?: cloudwatch.MetricOptions) {
    return this.pattern.targetGroup.metrics.healthyHostCount({ statistic: 'Minimum', ...props });
  }
  metricUnhealthyHostCount(props?: cloudwatch.MetricOptions) {
    return this.pattern.targetGroup.metrics.unhealthyHostCount(props);
  }
  metricRejectedConnectionCount(props?: cloudwatch.MetricOptions) {
    return this.pattern.loadBalancer.metrics.rejectedConnectionCount(props);
  }
  metricCpuUtilization(props?: cloudwatch.MetricOptions) {
    return this.pattern.service.metricCpuUtilization(props);
  }
  metricMemoryUtilization(props?: cloudwatch.MetricOptions) {
    return this.pattern.service.metricMemoryUtilization(props);
  }
  metric5xxRate(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    const period = props?.period ?? Duration.minutes(1);
    return new cloudwatch.MathExpression({
      expression: '100 * (FILL(elb, 0) + FILL(target, 0)) / requests',
      usingMetrics: {
        requests: this.metricRequestCount({ period }),
        elb: this.metricElb5xxCount({ period }),
        target: this.metricTarget5xxCount({ period }),
      },
      period,
    });
  }
}

/** A plain Lambda function on an SQS queue with a dead-letter queue; it publishes no job metrics. */
class PlainWorker extends Construct implements MonitorableQueueWorker {
  readonly serviceName = 'thumbnails';
  readonly timeout = Duration.seconds(30);
  readonly function: lambda.Function;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', { enforceSSL: true });
    this.queue = new sqs.Queue(this, 'Queue', {
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(3),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });
    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      timeout: this.timeout,
      code: lambda.Code.fromInline('exports.handler = async () => undefined;'),
    });
    this.function.addEventSource(new sources.SqsEventSource(this.queue));
  }

  metricErrors(props?: cloudwatch.MetricOptions) {
    return this.function.metricErrors(props);
  }
  metricDuration(props?: cloudwatch.MetricOptions) {
    return this.function.metricDuration(props);
  }
  metricOldestMessageAge(props?: cloudwatch.MetricOptions) {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', ...props });
  }
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions) {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }
}

/** The graphs of the dashboard row under `header`, by title, with each graph's metric names. */
function row(stack: Stack, header: string): Record<string, string[]> {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as (string | object)[];
  // References stand inside JSON strings (region, dimension values): shown as <ref>.
  const body = JSON.parse(parts.map((part) => (typeof part === 'string' ? part : '<ref>')).join(''));
  const widgets = body.widgets as {
    properties: { markdown?: string; title?: string; metrics?: unknown[][]; annotations?: { horizontal?: { label: string }[] } };
  }[];
  const start = widgets.findIndex((w) => w.properties.markdown === `### ${header}`);
  expect(start).toBeGreaterThanOrEqual(0);
  return Object.fromEntries(
    widgets
      .slice(start + 1, start + 5)
      .map((w) => [
        w.properties.title,
        [
          ...(w.properties.metrics ?? []).map(
            (m) => m.find((part) => typeof part === 'string' && !part.startsWith('AWS/') && part !== '.' && part !== '...') as string,
          ),
          ...(w.properties.annotations?.horizontal ?? []).map((a) => `line: ${a.label}`),
        ],
      ]),
  );
}

describe("Monitoring of a user's own constructs, through the Monitorable shapes", () => {
  // GIVEN a stack of aws-cdk-lib constructs only
  const stack = new Stack(testApp(), 'Own');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const web = new PatternWebService(stack, 'Web', vpc);
  const worker = new PlainWorker(stack, 'Worker');
  // WHEN they are monitored at prod's thresholds
  const monitoring = new Monitoring(stack, 'Monitoring', monitoringPropsFor('prod'));
  const webAlarms = monitoring.monitorWebService(web);
  const workerAlarms = monitoring.monitorQueueWorker(worker);
  const template = Template.fromStack(stack);

  test('a web service without deployment alarms gets the whole pack, the 5xx and latency alarms made anew', () => {
    expect(webAlarms.map((a) => a.key)).toEqual([
      'web.errorRatePercent',
      'web.p99LatencyMs',
      'web.unhealthyHostCount',
      'web.rejectedConnectionsPer5Min',
      'web.cpuPercent',
      'web.memoryPercent',
      'web.runningTasksPercentOfMinimum',
      'slo.availabilitySloPercent',
      'slo.latencySloPercent',
    ]);
    expect(webAlarms[0].alarm.node.path).toBe('Own/Monitoring/Web/ErrorRateAlarm');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Own/Web/P99Latency-warning',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Threshold: 2,
    });
    // Without Container Insights, the healthy hosts count the tasks, against minTasks (2).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Own/Web/RunningTasks-critical',
      MetricName: 'HealthyHostCount',
      Statistic: 'Minimum',
      Threshold: 2,
      AlarmDescription: Match.stringLikeRegexp('2 \\(100 % of the minimum, 2; ALB healthy hosts\\)'),
    });
  });

  test("the latency SLO counts the requests of the target group through metric('targetGroup', …)", () => {
    const windows = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      String(a.Properties.AlarmName).startsWith('Own/Web/LatencySloFast'),
    );
    expect(windows).toHaveLength(2);
    const requests = windows[0].Properties.Metrics.find((m: { Id: string }) => m.Id === 'requests');
    expect(requests.MetricStat.Metric).toMatchObject({ Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' });
    expect(requests.MetricStat.Stat).toBe('Sum');
    expect(requests.MetricStat.Metric.Dimensions.map((d: { Name: string }) => d.Name).sort()).toEqual(['LoadBalancer', 'TargetGroup']);
  });

  test('a worker without job metrics or a concurrency limit gets its alarms; its row leaves out what it lacks', () => {
    expect(workerAlarms.map((a) => a.key)).toEqual([
      'worker.errorsPer5Min',
      'worker.throttlesPer5Min',
      'worker.p99DurationPercentOfTimeout',
      'worker.oldestMessageAgeSeconds',
      'worker.deadLetterMessageCount',
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Own/Worker/Duration-warning',
      ExtendedStatistic: 'p99',
      Threshold: 30_000 * 0.8,
    });
    const graphs = row(stack, 'Worker: thumbnails queue and Lambda (Own/Worker)');
    expect(graphs['Worker traffic: jobs sent and done']).toEqual(['NumberOfMessagesSent']);
    expect(graphs['Worker errors: failed invocations and jobs, dead letters']).toEqual(['Errors', 'Throttles', 'ApproximateNumberOfMessagesVisible']);
    expect(graphs['Worker saturation: concurrency, waiting jobs']).toEqual(['ConcurrentExecutions', 'ApproximateNumberOfMessagesVisible']);
  });
});

describe("a database with a proxy must say how to read the proxy's connections", () => {
  test('a proxy without its metric methods is refused, naming them', () => {
    // GIVEN a user's instance behind a proxy, adapted without the proxy's metrics
    const stack = new Stack(testApp(), 'Own');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const instance = new rds.DatabaseInstance(stack, 'Instance', {
      vpc,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_5 }),
    });
    const proxy = instance.addProxy('Proxy', { vpc, secrets: [instance.secret!] });
    const database: MonitorableDatabase = Object.assign(new Construct(stack, 'Db'), {
      instanceClass: 'db.t4g.micro',
      burstable: true,
      maxConnections: 81,
      proxy,
      metricCpuUtilization: (p?: cloudwatch.MetricOptions) => instance.metricCPUUtilization(p),
      metricCpuCreditBalance: (p?: cloudwatch.MetricOptions) => instance.metric('CPUCreditBalance', p),
      metricFreeableMemory: (p?: cloudwatch.MetricOptions) => instance.metricFreeableMemory(p),
      metricFreeStorageSpace: (p?: cloudwatch.MetricOptions) => instance.metricFreeStorageSpace(p),
      metricDatabaseConnections: (p?: cloudwatch.MetricOptions) => instance.metricDatabaseConnections(p),
      metricReadLatency: (p?: cloudwatch.MetricOptions) => instance.metric('ReadLatency', p),
      metricWriteLatency: (p?: cloudwatch.MetricOptions) => instance.metric('WriteLatency', p),
      metricDiskQueueDepth: (p?: cloudwatch.MetricOptions) => instance.metric('DiskQueueDepth', p),
    });
    // WHEN / THEN
    expect(() => new Monitoring(stack, 'Monitoring').monitorDatabase(database)).toThrow(
      "Own/Monitoring: monitorDatabase(Own/Db) has a proxy but no metricProxyDatabaseConnections() or metricProxyClientConnections(); the proxy's connections are alarmed on and graphed from them: add them, or leave proxy unset",
    );
  });
});
