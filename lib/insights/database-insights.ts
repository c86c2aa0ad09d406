import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { APP_ENVIRONMENT } from '../core/app-contract';
import { DEFAULT_DATABASE_NAME } from '../core/database';
import {
  DB_INSIGHTS_DEFAULT_SCHEDULE,
  DB_INSIGHTS_MEMORY_MIB,
  DB_INSIGHTS_METRICS,
  DB_INSIGHTS_METRICS_NAMESPACE,
  DB_INSIGHTS_SCHEDULE_MINUTES,
  DB_INSIGHTS_TIMEOUT_SECONDS,
  INDEX_CANDIDATE_MIN_ROWS,
  LONG_TRANSACTION_SECONDS,
  SLOW_STATEMENT_MS,
  dbInsightsMetricSeries,
} from '../core/insights';
import { dev } from '../core/profiles/dev';
import { Problems } from '../private/problems';
import { lambdaEntry } from '../queue-worker/package-paths';
import type { PublishedMetrics } from '../queue-worker/published-metrics';
import { checkSchedule } from './schedule';
import { resolveReservedConcurrency, ScheduledWorker } from './scheduled-worker';
import { retentionDays } from '../private/retention';

/** The service name (the `service` dimension of its metrics, with `DBInstanceIdentifier`). */
export const DB_INSIGHTS_SERVICE_NAME = 'db-insights';

export interface DatabaseInsightsProps {
  /** The VPC the database is in: the worker runs there and connects directly to the instance. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the worker. They need a route to the database and to Secrets Manager and CloudWatch
   * Logs (NAT or VPC endpoints).
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The instance to watch: its endpoint is where the worker connects (not a proxy: statistics
   * are per instance), its identifier the `DBInstanceIdentifier` dimension of the metrics.
   */
  readonly instance: rds.IDatabaseInstance;
  /**
   * The database whose statements and tables are read (pg_stat_statements and the table
   * statistics are per database).
   *
   * @default 'app' - the Database construct's default
   */
  readonly databaseName?: string;
  /**
   * The credentials (`username`, `password` as JSON, as RDS writes them). The worker reads the
   * secret at cold start; the ARN, never the value, is in its environment.
   *
   * @default - none: set the credentials through `environment` (e.g. IAM authentication)
   */
  readonly secret?: secretsmanager.ISecret;
  /**
   * When the worker runs: an EventBridge Scheduler expression, between every 5 minutes and daily.
   *
   * @default 'rate(15 minutes)'
   */
  readonly schedule?: string;
  /**
   * Mean execution time from which a statement counts as slow (the `SlowStatements` metric).
   *
   * @default Duration.millis(250) - the Database's log_min_duration_statement
   */
  readonly slowStatementThreshold?: Duration;
  /**
   * How long a transaction may be open before the report lists its session.
   *
   * @default Duration.seconds(60)
   */
  readonly longTransactionThreshold?: Duration;
  /**
   * Live rows from which a sequentially scanned table is worth an index.
   *
   * @default 10000
   */
  readonly indexCandidateMinRows?: number;
  /**
   * Publish the report's figures as CloudWatch metrics (EMF): 8 custom metrics per instance,
   * $2.40 a month, which the `metric…()` methods and Monitoring's PostgreSQL alarms read. When
   * false the worker only logs its report (slow statements, index candidates, sessions: all still
   * in its log group), the `metric…()` metrics stay empty, and `Monitoring.monitorDatabaseInsights()`
   * creates no alarm on them (a missing report would otherwise look like a failure forever).
   *
   * @default true
   */
  readonly publishMetrics?: boolean;
  /**
   * Environment variables of the function, merged over the construct's own (yours win).
   *
   * @default - only the construct's
   */
  readonly environment?: Record<string, string>;
  /**
   * Retention of the function's log group.
   *
   * @default - the dev profile's `observability.logRetentionDays` (one week)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Bundling options merged over the construct's (minified, source maps, AWS SDK left to the
   * runtime, local esbuild only).
   *
   * @default - the construct's options unchanged
   */
  readonly bundling?: nodejs.BundlingOptions;
  /**
   * What happens to the dead-letter queue of failed runs when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY - it holds only failed schedule events
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Concurrent executions reserved for the worker: its own share of the account's Lambda
   * concurrency, so retries cannot take the jobs worker's, and a cap that keeps runs from
   * overlapping (a throttled scheduled run waits in Lambda's asynchronous queue, up to 6 hours).
   *
   * @default - the runs the schedule can start while one is still going (each up to its timeout): 1
   */
  readonly reservedConcurrency?: number;
  /**
   * X-Ray active tracing, with Powertools Tracer in the handler (its database and AWS calls as
   * subsegments).
   *
   * @default false - no tracing (traces are billed per trace; ScalingStack takes the profile's
   * `observability.tracing.enabled`)
   */
  readonly tracing?: boolean;
}

/**
 * The database insights worker: every 15 minutes, inside the VPC, it reads pg_stat_statements
 * (statements by total and mean time), the table and index statistics (large tables read by
 * sequential scans, with the columns slow statements filter on as index candidates; indexes never
 * used), the buffer cache hit ratio, long-running and idle-in-transaction sessions and connection
 * use; logs a report with normalized statement text (no literals) and, unless `publishMetrics` is
 * false, publishes EMF metrics in `CdkScalingStack/DatabaseInsights` (dimensions `service`,
 * `DBInstanceIdentifier`), declared in the function's Metadata for `npm run cost`. A missing
 * extension or privilege is logged once with what to enable; the run still succeeds.
 *
 * Open the database to it: `database.connections.allowDefaultPortFrom(insights)`.
 */
export class DatabaseInsights extends Construct implements ec2.IConnectable {
  readonly function: lambda.Function;
  readonly deadLetterQueue: sqs.IQueue;
  readonly schedule: scheduler.ISchedule;
  readonly logGroup: logs.ILogGroup;
  /** The worker's security group: open the database's port to it. */
  readonly connections: ec2.Connections;
  readonly scheduleExpression: string;
  /** The `DBInstanceIdentifier` dimension of the metrics. */
  readonly instanceIdentifier: string;
  /** The period of the `metric…()` metrics: the schedule's rate (15 minutes for a cron schedule). */
  readonly metricPeriod: Duration;
  /** Whether the worker publishes its metrics (`publishMetrics`); without them only its log has the report. */
  readonly publishesMetrics: boolean;
  /** The custom metric series the worker publishes, as declared in the template for `npm run cost`. */
  readonly publishedMetrics: PublishedMetrics;
  /** Concurrent executions reserved for the worker's function. */
  readonly reservedConcurrency: number;
  private readonly worker: ScheduledWorker;

  constructor(scope: Construct, id: string, props: DatabaseInsightsProps) {
    super(scope, id);
    const schedule = props.schedule ?? DB_INSIGHTS_DEFAULT_SCHEDULE;
    const slowMs = props.slowStatementThreshold?.toMilliseconds() ?? SLOW_STATEMENT_MS;
    const longSeconds = props.longTransactionThreshold?.toSeconds() ?? LONG_TRANSACTION_SECONDS;
    const minRows = props.indexCandidateMinRows ?? INDEX_CANDIDATE_MIN_ROWS;
    const p = new Problems(this.node.path);
    checkSchedule(p, 'schedule', schedule, DB_INSIGHTS_SCHEDULE_MINUTES);
    p.range('slowStatementThreshold', slowMs, 1, 3_600_000, { integer: true, unit: 'ms', fix: 'from 1 ms to an hour' });
    p.range('longTransactionThreshold', longSeconds, 1, 86_400, { integer: true, unit: 'seconds', fix: 'from a second to a day' });
    p.range('indexCandidateMinRows', minRows, 1, 1e12, { integer: true });
    const timeout = Duration.seconds(DB_INSIGHTS_TIMEOUT_SECONDS);
    this.reservedConcurrency = resolveReservedConcurrency(p, props.reservedConcurrency, schedule, timeout);
    p.throwIfAny();
    this.scheduleExpression = schedule;
    this.instanceIdentifier = props.instance.instanceIdentifier;
    this.metricPeriod = ratePeriod(schedule) ?? Duration.minutes(15);
    this.publishesMetrics = props.publishMetrics ?? true;
    this.publishedMetrics = {
      namespace: DB_INSIGHTS_METRICS_NAMESPACE,
      series: this.publishesMetrics ? dbInsightsMetricSeries(DB_INSIGHTS_SERVICE_NAME, this.instanceIdentifier) : [],
    };

    const e = APP_ENVIRONMENT;
    this.worker = new ScheduledWorker(this, 'Worker', {
      entry: lambdaEntry('db-insights'),
      schedule,
      description: 'Database insights: slow statements, index candidates, sessions and connection use',
      memoryMiB: DB_INSIGHTS_MEMORY_MIB,
      timeout,
      serviceName: DB_INSIGHTS_SERVICE_NAME,
      logRetention: props.logRetention ?? retentionDays(dev.observability.logRetentionDays),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      environment: {
        [e.databaseHost]: props.instance.instanceEndpoint.hostname,
        [e.databasePort]: props.instance.instanceEndpoint.port.toString(),
        [e.databaseName]: props.databaseName ?? DEFAULT_DATABASE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: DB_INSIGHTS_METRICS_NAMESPACE,
        INSIGHTS_DB_INSTANCE: props.instance.instanceIdentifier,
        INSIGHTS_SLOW_STATEMENT_MS: String(slowMs),
        INSIGHTS_LONG_TRANSACTION_SECONDS: String(longSeconds),
        INSIGHTS_MIN_TABLE_ROWS: String(minRows),
        // Powertools' own switch: the worker still builds its report, Metrics writes nothing.
        ...(this.publishesMetrics ? {} : { POWERTOOLS_METRICS_DISABLED: 'true' }),
        ...props.environment,
      },
      publishedMetrics: this.publishedMetrics,
      bundling: props.bundling,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      reservedConcurrency: this.reservedConcurrency,
      tracing: props.tracing,
    });
    if (props.secret) {
      this.worker.function.addEnvironment(e.databaseSecretArn, props.secret.secretArn);
      props.secret.grantRead(this.worker.function);
    }
    this.function = this.worker.function;
    this.deadLetterQueue = this.worker.deadLetterQueue;
    this.schedule = this.worker.schedule;
    this.logGroup = this.worker.logGroup;
    this.connections = this.worker.connections;
  }

  /** Percent of block reads served from shared buffers since the statistics were reset. Minimum. */
  metricBufferCacheHitRatio(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DB_INSIGHTS_METRICS.bufferCacheHitRatio, { statistic: 'Minimum', ...props });
  }

  /** Normalized statements whose mean execution time reaches the slow threshold. Maximum. */
  metricSlowStatements(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DB_INSIGHTS_METRICS.slowStatements, { statistic: 'Maximum', ...props });
  }

  /** Seconds the oldest open transaction has been open. Maximum. */
  metricLongestTransactionAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DB_INSIGHTS_METRICS.longestTransactionAge, { statistic: 'Maximum', ...props });
  }

  /** Client connections as a percentage of max_connections. Maximum. */
  metricConnectionUse(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DB_INSIGHTS_METRICS.connectionUse, { statistic: 'Maximum', ...props });
  }

  /** Sessions idle in an open transaction. Maximum. */
  metricIdleInTransactionSessions(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DB_INSIGHTS_METRICS.idleInTransactionSessions, { statistic: 'Maximum', ...props });
  }

  /** Index candidates (columns of large, sequentially scanned tables slow statements filter on). Maximum. */
  metricIndexCandidates(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DB_INSIGHTS_METRICS.indexCandidates, { statistic: 'Maximum', ...props });
  }

  /** Parts of the report the worker could not read (a missing extension or privilege). Maximum. */
  metricUnavailableSections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DB_INSIGHTS_METRICS.unavailableSections, { statistic: 'Maximum', ...props });
  }

  /** Runs that failed (the database unreachable, a timeout); each is retried once, then dead-lettered. */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.worker.metricErrors(props);
  }

  /** Failed runs waiting in the dead-letter queue. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.worker.metricDeadLetterMessages(props);
  }

  /**
   * A metric the worker publishes, with its dimensions (`service`, `DBInstanceIdentifier`), over
   * `metricPeriod` (one run) unless `props` says otherwise.
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: DB_INSIGHTS_METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: DB_INSIGHTS_SERVICE_NAME, DBInstanceIdentifier: this.instanceIdentifier },
      period: this.metricPeriod,
      ...props,
    });
  }
}

/** The interval of a `rate(...)` expression. */
function ratePeriod(schedule: string): Duration | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(schedule);
  if (!m) return undefined;
  const amount = Number(m[1]);
  return m[2] === 'minute' ? Duration.minutes(amount) : m[2] === 'hour' ? Duration.hours(amount) : Duration.days(amount);
}
