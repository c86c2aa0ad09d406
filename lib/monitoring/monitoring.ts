import { Annotations, ArnFormat, type CfnResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import type { Cache } from '../cache';
import type { Database } from '../database';
import { GRAVITON_INSTANCE_CLASSES } from '../core/database';
import { BURN_RATE_WINDOWS, DASHBOARD_DEFAULT_RANGE_HOURS, DASHBOARD_GRID_WIDTH, DASHBOARD_NAME, INSIGHTS_ALARM_PERIOD_SECONDS } from '../core/monitoring';
import { DEPLOYMENT_ALARM } from '../core/web';
import { ConfigurationError, Problems, show } from '../private/problems';
import { resolveProfile, type AlarmThreshold, type MonitoringProfile, type ProfileName, type Profile } from '../core/profiles';
import type { DatabaseInsights } from '../insights';
import { longestIntervalMinutes } from '../insights/schedule';
import type { QueueWorker } from '../queue-worker';
import type { WebService } from '../web-service';
import { allowServiceToPublish } from '../private/topic-access';
import {
  type AlarmComparison, type AlarmSection, type AlarmSeverity, type MissingData, ALARM_CATALOG, describeEvaluation, unitSuffix,
} from '../core/alarm-catalog';
import { AlarmFactory, type MonitoredAlarm } from './alarm-factory';
import { checkAlarmEmails, checkMonitoringSettings } from '../core/monitoring-rules';
import { AlarmListWidget, cacheRow, databaseInsightsLogRow, databaseInsightsRow, databaseRow, header, scheduledWorkerRow, webRow, workerRow } from './dashboard';

export interface MonitoringProps {
  /**
   * The profile whose `monitoring` section gives the thresholds and SLO targets; its name is part
   * of the dashboard's name and of every alarm description.
   *
   * @default 'dev'
   */
  readonly profile?: ProfileName | Profile;
  /**
   * Thresholds and SLO targets to use instead of the profile's `monitoring` section, e.g.
   * `{ ...prod.monitoring, web: { ...prod.monitoring.web, cpuPercent: 70 } }`.
   *
   * @default - the profile's `monitoring` section
   */
  readonly thresholds?: MonitoringProfile;
  /**
   * E-mail addresses to subscribe to the topic. Each receives a confirmation e-mail first.
   *
   * @default - no subscription: subscribe endpoints to `topic` yourself
   */
  readonly alarmEmails?: string[];
  /**
   * The topic every alarm notifies. When it is encrypted with a customer-managed key, that key's
   * policy must let CloudWatch use it (done here unless the key is imported).
   *
   * @default - a new topic, encrypted with a new customer-managed KMS key, TLS only
   */
  readonly topic?: sns.ITopic;
  /**
   * The dashboard's name (letters, digits, '-' and '_').
   *
   * @default - the stack's name, with `-<profile>` appended unless it already ends with it
   */
  readonly dashboardName?: string;
}

export interface MonitorWebServiceOptions {
  /**
   * The fewest tasks the service may run by design: the running-tasks alarm fires below the
   * profile's share of it. Give the lowest minimum of any scheduled scaling action; 0 (a service
   * stopped at night) makes no running-tasks alarm.
   *
   * @default - the service's `minTasks`
   */
  readonly minimumTasks?: number;
}

/** One more alarm on any metric, made by the same factory as the pack (named, described, wired). */
export interface MonitoringAlarmProps {
  readonly metric: cloudwatch.IMetric;
  /** In the metric's unit. */
  readonly threshold: number;
  /** What is measured, e.g. 'Checkout errors'. */
  readonly title: string;
  /** What a breach means, in one sentence. */
  readonly meaning: string;
  /** What to look at first. */
  readonly checkFirst: string;
  /**
   * Which side of the threshold is bad.
   *
   * @default 'above'
   */
  readonly comparison?: AlarmComparison;
  /**
   * Critical alarms also turn the service-health alarm red.
   *
   * @default 'warning'
   */
  readonly severity?: AlarmSeverity;
  /**
   * Periods looked at.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods among them that raise the alarm.
   *
   * @default - evaluationPeriods
   */
  readonly datapointsToAlarm?: number;
  /**
   * What a period without data means.
   *
   * @default 'keep-state'
   */
  readonly missingData?: MissingData;
  /**
   * The construct the alarm watches: its path names the alarm.
   *
   * @default - the stack of the Monitoring construct
   */
  readonly watched?: Construct;
  /**
   * The tier, for `alarms` and the dashboard.
   *
   * @default 'Custom'
   */
  readonly tier?: string;
}

/**
 * A worker run on a schedule, as `monitorScheduledWorker()` watches it: `RightsizingAdvisor` and
 * `DatabaseInsights` fit, as does any construct with a scheduled function and a dead-letter queue.
 */
export interface MonitorableScheduledWorker extends IConstruct {
  /** The function each run invokes: its invocations and duration are graphed. */
  readonly function: lambda.IFunction;
  /** The EventBridge Scheduler expression, shown on the dashboard. */
  readonly scheduleExpression: string;
  /** Runs that failed (an error thrown or a timeout). */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Failed runs waiting in the dead-letter queue. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

const ALARM_ID = /^[A-Z][A-Za-z0-9]{0,63}$/;

/**
 * Alarms, notifications and a dashboard for the constructs of this library: one `monitor…()` per
 * construct, thresholds and SLO targets from a profile's `monitoring` section.
 *
 * - An SNS topic encrypted with its own KMS key (CloudWatch may use it), TLS only, optional e-mails.
 * - Each alarm made by one factory: named `<stack>/<construct>/<Alarm>-<severity>`, described with
 *   what it means and what to check first, a missing-data treatment, ALARM and OK to the topic.
 * - SLO burn-rate alarms (fast and slow windows) on the web service's availability and latency.
 * - A composite "service health" alarm over every critical alarm.
 * - A dashboard with a row per tier: traffic, latency, errors, saturation.
 *
 * Used alone, it monitors any one construct: `new Monitoring(stack, 'Monitoring').monitorDatabase(db)`.
 */
export class Monitoring extends Construct {
  /** The topic every alarm notifies (ALARM and OK). */
  readonly topic: sns.ITopic;
  /** The key the topic is encrypted with, when it is customer-managed. */
  readonly encryptionKey?: kms.IKey;
  readonly dashboard: cloudwatch.Dashboard;
  /** ALARM while any critical alarm is: the one alarm to watch. */
  readonly serviceHealth: cloudwatch.CompositeAlarm;
  /** The resolved thresholds and SLO targets. */
  readonly settings: MonitoringProfile;
  /** The profile the thresholds come from. */
  readonly profileName: string;

  private readonly factory: AlarmFactory;
  private readonly watched = new Set<string>();

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    const profile = resolveProfile(props.profile ?? 'dev');
    const settings = props.thresholds ?? profile.monitoring;
    const alarmEmails = [...(props.alarmEmails ?? [])];
    const stack = Stack.of(this);
    const dashboardName = props.dashboardName ?? defaultDashboardName(stack.stackName, profile.name);

    const p = new Problems(this.node.path);
    checkMonitoringSettings(p, settings, props.thresholds ? 'thresholds.' : `profile '${profile.name}' monitoring.`);
    checkAlarmEmails(p, alarmEmails, 'alarmEmails');
    if (!Token.isUnresolved(dashboardName)) {
      p.check(DASHBOARD_NAME.test(dashboardName),
        `dashboardName (${show(dashboardName)}) must be 1-255 letters, digits, '-' or '_'`);
    }
    p.throwIfAny();
    this.settings = settings;
    this.profileName = profile.name;

    if (props.topic) {
      this.topic = props.topic;
      this.encryptionKey = props.topic.masterKey;
    } else {
      this.encryptionKey = new kms.Key(this, 'Key', {
        description: `${this.node.path}: encrypts the alarm notifications of ${stack.stackName}`,
        enableKeyRotation: true,
        // The key protects messages in flight only, nothing at rest: deleting it with the stack
        // loses nothing, and a retained key would bill $1 a month forever.
        removalPolicy: RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(7),
      });
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: `${stack.stackName} alarms`.slice(0, 100),
        masterKey: this.encryptionKey,
        enforceSSL: true,
      });
    }
    if (!allowCloudWatchToPublish(this.topic)) {
      Annotations.of(this).addWarningV2('cdk-scaling-stack:alarmTopicPolicy',
        `The topic ${this.topic.node.path} (or its key) is imported, so its policy cannot be changed here: allow cloudwatch.amazonaws.com to sns:Publish to it and to use its KMS key, or every alarm notification is dropped.`);
    }
    for (const email of alarmEmails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    this.factory = new AlarmFactory(this, new actions.SnsAction(this.topic), profile.name);
    const serviceHealth = this.factory.composite(this, 'ServiceHealth', {
      key: 'serviceHealth',
      tier: 'Service',
      severity: 'critical',
      watched: stack,
      rule: { renderAlarmRule: () => Lazy.string({ produce: () => this.serviceHealthRule() }) },
      description: 'The service is unhealthy: at least one critical alarm (the 5xx rate, running tasks, free storage, dead-lettered jobs, an SLO burning its budget…) is in ALARM. Check first: which one, on the dashboard\'s top row; its own notification says what to check next.',
    });
    this.serviceHealth = serviceHealth.alarm as cloudwatch.CompositeAlarm;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName,
      defaultInterval: Duration.hours(DASHBOARD_DEFAULT_RANGE_HOURS),
    });
    // Tags on dashboards are in CloudFormation's schema (aws-cdk-lib tags them), not yet in
    // cfn-lint 1.51's: its E3002 on this resource is a false positive.
    (this.dashboard.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
    this.dashboard.addWidgets(header(`# ${dashboardName}: service health (profile ${profile.name})`));
    this.dashboard.addWidgets(new AlarmListWidget('Alarms, most recent change first', () => this.alarms.map((a) => a.alarm), DASHBOARD_GRID_WIDTH, 4));
  }

  /** Every alarm this construct made or adopted (burn-rate windows excepted: their composites are listed). */
  get alarms(): readonly MonitoredAlarm[] {
    return this.factory.alarms;
  }

  /**
   * The load balancer and the Fargate service: the WebService's deployment alarms (5xx rate, p99
   * latency) with the profile's thresholds and actions, unhealthy tasks, refused connections, CPU,
   * memory, running tasks below the minimum (Container Insights when on, the ALB's healthy hosts
   * otherwise), the SLO burn-rate alarms, and a dashboard row.
   */
  monitorWebService(web: WebService, options: MonitorWebServiceOptions = {}): readonly MonitoredAlarm[] {
    const scope = this.scopeFor(web, 'monitorWebService');
    const minimumTasks = options.minimumTasks ?? web.minTasks;
    if (!Token.isUnresolved(minimumTasks) && !(Number.isInteger(minimumTasks) && minimumTasks >= 0)) {
      throw new ConfigurationError(this.node.path, [`monitorWebService(${web.node.path}): minimumTasks (${minimumTasks}) must be a whole number of tasks, 0 or more`]);
    }
    const before = this.alarms.length;
    const t = this.settings.web;
    this.catalogAlarm('web', 'errorRatePercent', web, scope, { adopt: web.deploymentAlarms.errorRate, metric: () => web.metric5xxRate() });
    this.catalogAlarm('web', 'p99LatencyMs', web, scope, {
      adopt: web.deploymentAlarms.p99Latency,
      metric: () => web.metricTargetResponseTime(),
      threshold: (ms) => ({ threshold: ms / 1000, text: `${ms} ms` }),
    });
    this.catalogAlarm('web', 'unhealthyHostCount', web, scope, { metric: (period) => web.metricUnhealthyHostCount({ period }) });
    this.catalogAlarm('web', 'rejectedConnectionsPer5Min', web, scope, { metric: (period) => web.metricRejectedConnectionCount({ period }) });
    this.catalogAlarm('web', 'cpuPercent', web, scope, { metric: (period) => web.metricCpuUtilization({ period }) });
    this.catalogAlarm('web', 'memoryPercent', web, scope, { metric: (period) => web.metricMemoryUtilization({ period }) });
    if (minimumTasks === 0 && t.runningTasksPercentOfMinimum !== 'off') {
      Annotations.of(scope).addInfo(`No running-tasks alarm: ${web.node.path} may run 0 tasks by design (minimumTasks 0).`);
    } else {
      this.catalogAlarm('web', 'runningTasksPercentOfMinimum', web, scope, {
        // Without Container Insights the ALB's healthy hosts stand in for running tasks: a task that
        // runs but fails its health check serves nothing either.
        metric: (period) => web.containerInsights
          ? web.metricRunningTaskCount({ statistic: 'Minimum', period })
          : web.metricHealthyHostCount({ period }),
        threshold: (percent) => {
          const tasks = Math.ceil((minimumTasks * percent) / 100);
          const source = web.containerInsights ? 'Container Insights RunningTaskCount' : 'ALB healthy hosts';
          return { threshold: tasks, text: `${tasks} (${percent} % of the minimum, ${minimumTasks}; ${source})` };
        },
      });
    }
    if (this.settings.sloBurnRateAlarms) this.addBurnRateAlarms(web, scope);
    this.addRow(`Web: load balancer and tasks (${web.node.path})`, webRow(web, this.settings));
    return this.alarms.slice(before);
  }

  /**
   * The RDS instance: CPU, CPU credits (burstable classes), freeable memory, free storage,
   * connections against max_connections, disk read and write latency, the proxy's connections
   * (with a proxy), and a dashboard row. There are no read replicas, so no replica-lag alarm.
   */
  monitorDatabase(database: Database): readonly MonitoredAlarm[] {
    const scope = this.scopeFor(database, 'monitorDatabase');
    const before = this.alarms.length;
    const ms = (value: number) => ({ threshold: value / 1000, text: `${value} ms` });
    this.catalogAlarm('database', 'cpuPercent', database, scope, { metric: (period) => database.metricCpuUtilization({ period }) });
    if (database.burstable) {
      this.catalogAlarm('database', 'cpuCredits', database, scope, { metric: (period) => database.metricCpuCreditBalance({ period }) });
    }
    const memoryGiB = GRAVITON_INSTANCE_CLASSES[database.instanceClass]?.memoryGiB;
    if (memoryGiB !== undefined) {
      this.catalogAlarm('database', 'freeableMemoryPercent', database, scope, {
        metric: (period) => database.metricFreeableMemory({ period }),
        threshold: (percent) => {
          const mib = Math.round((memoryGiB * 1024 * percent) / 100);
          return { threshold: mib * 1024 * 1024, text: `${percent} % of ${memoryGiB} GiB (${mib} MiB)` };
        },
      });
    } else if (this.settings.database.freeableMemoryPercent !== 'off') {
      Annotations.of(scope).addWarningV2('cdk-scaling-stack:freeableMemoryAlarm',
        `No freeable-memory alarm: the memory of instance class ${show(database.instanceClass)} is unknown; add one with addAlarm() and database.metricFreeableMemory().`);
    }
    this.catalogAlarm('database', 'freeStorageGiB', database, scope, {
      metric: (period) => database.metricFreeStorageSpace({ period }),
      threshold: (value) => ({ threshold: value * 1024 ** 3, text: `${value} GiB` }),
    });
    this.catalogAlarm('database', 'connectionsPercentOfMax', database, scope, {
      metric: (period) => database.metricDatabaseConnections({ period }),
      threshold: (percent) => percentOf(percent, database.maxConnections, 'max_connections', 'connections'),
    });
    this.catalogAlarm('database', 'readLatencyMs', database, scope, { metric: (period) => database.metricReadLatency({ period }), threshold: ms });
    this.catalogAlarm('database', 'writeLatencyMs', database, scope, { metric: (period) => database.metricWriteLatency({ period }), threshold: ms });
    if (database.proxy) {
      const share = Math.floor((database.maxConnections * (database.proxyMaxConnectionsPercent ?? 100)) / 100);
      this.catalogAlarm('database', 'proxyConnectionsPercentOfMax', database, scope, {
        metric: (period) => database.metricProxyDatabaseConnections({ period }),
        threshold: (percent) => percentOf(percent, share, 'the proxy\'s share of max_connections', 'connections'),
      });
    }
    this.addRow(`Database: RDS PostgreSQL ${database.instanceClass} (${database.node.path})`, databaseRow(database, this.settings));
    return this.alarms.slice(before);
  }

  /**
   * The Valkey replication group, every node in each alarm (at most 10 nodes: a CloudWatch alarm
   * reads at most 10 metrics): engine CPU, memory, evictions, connections, replication lag (with
   * replicas), and a dashboard row.
   */
  monitorCache(cache: Cache): readonly MonitoredAlarm[] {
    const scope = this.scopeFor(cache, 'monitorCache');
    const before = this.alarms.length;
    this.catalogAlarm('cache', 'engineCpuPercent', cache, scope, { metric: (period) => cache.metricEngineCpuUtilization({ period }) });
    this.catalogAlarm('cache', 'memoryPercent', cache, scope, { metric: (period) => cache.metricMemoryUsagePercent({ period }) });
    this.catalogAlarm('cache', 'evictionsPer5Min', cache, scope, { metric: (period) => cache.metricEvictions({ period }) });
    this.catalogAlarm('cache', 'connectionCount', cache, scope, { metric: (period) => cache.metricCurrentConnections({ period }) });
    // Only replicas publish ReplicationLag. In cluster mode without replicas the series stay empty,
    // which this alarm treats as OK.
    if (cache.memberClusterIds.length > 1) {
      this.catalogAlarm('cache', 'replicationLagSeconds', cache, scope, { metric: (period) => cache.metricReplicationLag({ period }) });
    }
    this.addRow(`Cache: Valkey, ${cache.memberClusterIds.length} node(s) (${cache.node.path})`, cacheRow(cache, this.settings));
    return this.alarms.slice(before);
  }

  /**
   * The Lambda worker and its queues: failed and throttled invocations, p99 duration against the
   * timeout, the oldest waiting job, dead-lettered jobs (critical), and a dashboard row.
   */
  monitorQueueWorker(worker: QueueWorker): readonly MonitoredAlarm[] {
    const scope = this.scopeFor(worker, 'monitorQueueWorker');
    const before = this.alarms.length;
    this.catalogAlarm('worker', 'errorsPer5Min', worker, scope, { metric: (period) => worker.metricErrors({ period, statistic: 'Sum' }) });
    this.catalogAlarm('worker', 'throttlesPer5Min', worker, scope, { metric: (period) => worker.function.metricThrottles({ period, statistic: 'Sum' }) });
    this.catalogAlarm('worker', 'p99DurationPercentOfTimeout', worker, scope, {
      metric: (period) => worker.metricDuration({ period, statistic: 'p99' }),
      threshold: (percent) => {
        const timeoutMs = worker.timeout.toMilliseconds();
        const ms = Math.round((timeoutMs * percent) / 100);
        return { threshold: ms, text: `${ms} ms (${percent} % of the ${timeoutMs / 1000} s timeout)` };
      },
    });
    this.catalogAlarm('worker', 'oldestMessageAgeSeconds', worker, scope, { metric: (period) => worker.metricOldestMessageAge({ period }) });
    this.catalogAlarm('worker', 'deadLetterMessageCount', worker, scope, { metric: (period) => worker.metricDeadLetterMessages({ period }) });
    this.addRow(`Worker: ${worker.serviceName} queue and Lambda (${worker.node.path})`, workerRow(worker, this.settings));
    return this.alarms.slice(before);
  }

  /**
   * The database insights worker's view of PostgreSQL: buffer cache hit ratio below a floor, slow
   * statements, the longest open transaction, client connections against max_connections,
   * sessions idle in a transaction, index candidates, and a report missing sections or missing
   * altogether; the worker's own runs (failed, dead-lettered: see `monitorScheduledWorker()`);
   * and a dashboard row. Each alarm's period covers the worker's schedule (15 minutes, or the
   * longest gap of a slower schedule), so every period holds a run. A worker that publishes no
   * metrics (`publishMetrics: false`) gets only the alarms on its runs, whatever the thresholds say.
   */
  monitorDatabaseInsights(insights: DatabaseInsights): readonly MonitoredAlarm[] {
    const scope = this.scopeFor(insights, 'monitorDatabaseInsights');
    const before = this.alarms.length;
    const interval = longestIntervalMinutes(insights.scheduleExpression);
    const runPeriod = interval === undefined ? insights.metricPeriod : Duration.minutes(interval);
    const period = runPeriod.toSeconds() > INSIGHTS_ALARM_PERIOD_SECONDS ? runPeriod : Duration.seconds(INSIGHTS_ALARM_PERIOD_SECONDS);
    if (!insights.publishesMetrics) {
      // The report is in the worker's log only: no PostgreSQL alarm could ever see a datapoint
      // (and the report alarm, which treats silence as a failure, would fire forever).
      this.scheduledWorkerAlarms(insights, scope);
      this.addRow(`PostgreSQL: database insights every ${runPeriod.toHumanString()}, report in the log only (${insights.node.path}, ${insights.scheduleExpression})`,
        databaseInsightsLogRow(insights, this.settings));
      return this.alarms.slice(before);
    }
    const alarm = (field: keyof MonitoringProfile['databaseInsights'] & string, metric: (props: cloudwatch.MetricOptions) => cloudwatch.IMetric) =>
      this.catalogAlarm('databaseInsights', field, insights, scope, { metric: (p) => metric({ period: p }), period });
    alarm('bufferCacheHitRatioPercent', (o) => insights.metricBufferCacheHitRatio(o));
    alarm('slowStatementCount', (o) => insights.metricSlowStatements(o));
    alarm('longestTransactionSeconds', (o) => insights.metricLongestTransactionAge(o));
    alarm('connectionUsePercent', (o) => insights.metricConnectionUse(o));
    alarm('idleInTransactionSessions', (o) => insights.metricIdleInTransactionSessions(o));
    alarm('indexCandidateCount', (o) => insights.metricIndexCandidates(o));
    alarm('unavailableSectionCount', (o) => insights.metricUnavailableSections(o));
    this.scheduledWorkerAlarms(insights, scope);
    this.addRow(`PostgreSQL: database insights every ${runPeriod.toHumanString()} (${insights.node.path}, ${insights.scheduleExpression})`,
      databaseInsightsRow(insights, this.settings, period));
    return this.alarms.slice(before);
  }

  /**
   * A scheduled worker's runs: failed runs (warning) and runs in its dead-letter queue (critical),
   * and a dashboard row. For the right-sizing advisor, or any `MonitorableScheduledWorker`;
   * `monitorDatabaseInsights()` includes these for the insights worker.
   */
  monitorScheduledWorker(worker: MonitorableScheduledWorker): readonly MonitoredAlarm[] {
    const scope = this.scopeFor(worker, 'monitorScheduledWorker');
    const before = this.alarms.length;
    this.scheduledWorkerAlarms(worker, scope);
    this.addRow(`Scheduled worker: ${worker.node.path} (${worker.scheduleExpression})`, scheduledWorkerRow(worker, this.settings));
    return this.alarms.slice(before);
  }

  /** One more alarm through the same factory: named, described, wired to the topic (and to service health when critical). */
  addAlarm(id: string, props: MonitoringAlarmProps): MonitoredAlarm {
    if (!ALARM_ID.test(id)) {
      throw new ConfigurationError(this.node.path, [`addAlarm(${show(id)}): the ID must be PascalCase letters and digits, such as 'CheckoutErrors' (it becomes a construct ID and part of the alarm's name)`]);
    }
    const evaluationPeriods = props.evaluationPeriods ?? 3;
    return this.factory.create(this, {
      key: id,
      id,
      tier: props.tier ?? 'Custom',
      title: props.title,
      severity: props.severity ?? 'warning',
      metric: props.metric,
      threshold: props.threshold,
      thresholdText: String(props.threshold),
      setting: props.threshold,
      comparison: props.comparison ?? 'above',
      missingData: props.missingData ?? 'keep-state',
      evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm ?? evaluationPeriods,
      evaluationText: `${props.datapointsToAlarm ?? evaluationPeriods} of ${evaluationPeriods} periods`,
      meaning: props.meaning,
      checkFirst: props.checkFirst,
      watched: props.watched ?? Stack.of(this),
    });
  }

  private scheduledWorkerAlarms(worker: MonitorableScheduledWorker, scope: Construct): void {
    this.catalogAlarm('scheduledWorker', 'errorsPer5Min', worker, scope, { metric: (period) => worker.metricErrors({ period, statistic: 'Sum' }) });
    this.catalogAlarm('scheduledWorker', 'deadLetterMessageCount', worker, scope, { metric: (period) => worker.metricDeadLetterMessages({ period }) });
  }

  /** An alarm of the catalog, unless the profile turns it off. */
  private catalogAlarm<S extends AlarmSection>(section: S, field: keyof MonitoringProfile[S] & string, watched: Construct, scope: Construct, how: {
    readonly metric: (period: Duration) => cloudwatch.IMetric;
    readonly threshold?: (setting: number) => { threshold: number; text: string };
    readonly adopt?: cloudwatch.Alarm;
    /** Instead of the definition's period (an insights worker on a slower schedule). */
    readonly period?: Duration;
  }): MonitoredAlarm | undefined {
    const setting = (this.settings[section] as unknown as Record<string, AlarmThreshold>)[field];
    if (setting === 'off') return undefined;
    const definition = (ALARM_CATALOG[section] as unknown as Record<string, (typeof ALARM_CATALOG)[S][keyof (typeof ALARM_CATALOG)[S]]>)[field];
    const { threshold, text } = how.threshold?.(setting) ?? { threshold: setting, text: `${setting}${unitSuffix(definition.unit)}` };
    const period = how.period ?? Duration.seconds(definition.periodSeconds);
    const spec = {
      key: `${section}.${field}`,
      id: definition.id,
      tier: definition.tier,
      title: definition.title,
      severity: definition.severity,
      metric: how.metric(period),
      threshold,
      thresholdText: text,
      setting,
      comparison: definition.comparison,
      missingData: definition.missingData,
      evaluationPeriods: definition.evaluationPeriods,
      datapointsToAlarm: definition.datapointsToAlarm,
      evaluationText: describeEvaluation({ ...definition, periodSeconds: period.toSeconds() }),
      meaning: definition.meaning,
      checkFirst: definition.checkFirst,
      watched,
    };
    return how.adopt ? this.factory.adopt(how.adopt, spec) : this.factory.create(scope, spec);
  }

  /**
   * Multi-window burn-rate alarms on the availability and the latency SLO: per SLO, a composite
   * that is in ALARM when both windows of a pair (fast: 1 h and 5 min; slow: 6 h and 30 min) see the
   * bad share above burn rate × error budget. The window alarms notify through their composite.
   */
  private addBurnRateAlarms(web: WebService, scope: Construct): void {
    const s = this.settings;
    const slos = [
      {
        id: 'AvailabilitySlo', target: s.availabilitySloPercent,
        what: `availability SLO: ${s.availabilitySloPercent} % of requests without a 5xx over 30 days`,
        bad: '5xx rate',
        metric: (period: Duration) => web.metric5xxRate({ period }),
        checkFirst: 'the 5xx-rate alarm and the errors graph (ALB against task 5xx), and a deployment in the window.',
      },
      {
        id: 'LatencySlo', target: s.latencySloPercent,
        what: `latency SLO: ${s.latencySloPercent} % of requests answered within ${s.latencySloThresholdMs} ms over 30 days`,
        bad: `share of requests slower than ${s.latencySloThresholdMs} ms`,
        metric: (period: Duration) => slowRequestShare(web, s.latencySloThresholdMs, period),
        checkFirst: 'the latency graph (p50/p90/p99), then the database and cache rows.',
      },
    ];
    for (const slo of slos) {
      const budget = 100 - slo.target;
      const pairs = BURN_RATE_WINDOWS.map((w) => {
        const longWindow = Duration.seconds(w.longWindowSeconds);
        const shortWindow = Duration.seconds(w.shortWindowSeconds);
        const threshold = round(w.burnRate * budget);
        const window = (length: Duration, kind: 'Long' | 'Short') => this.factory.component(scope, `${slo.id}${w.name}${kind}`, {
          watched: web,
          metric: slo.metric(length),
          threshold,
          comparison: 'above',
          // No requests spend no budget.
          missingData: 'ok',
          description: `One window of the ${slo.what}: ${slo.bad} above ${threshold} % (burn rate ${w.burnRate}) over ${length.toHumanString()}. Notifies through ${this.factory.name(web, slo.id, 'critical')}.`,
        });
        return {
          rule: cloudwatch.AlarmRule.allOf(window(longWindow, 'Long'), window(shortWindow, 'Short')),
          text: `${w.name.toLowerCase()}: ${slo.bad} above ${threshold} % over both ${longWindow.toHumanString()} and ${shortWindow.toHumanString()} (${w.budgetSpentPercent} % of the month's budget in ${longWindow.toHumanString()})`,
        };
      });
      this.factory.composite(scope, slo.id, {
        key: `slo.${slo.id === 'AvailabilitySlo' ? 'availabilitySloPercent' : 'latencySloPercent'}`,
        tier: 'SLO',
        severity: 'critical',
        setting: slo.target,
        watched: web,
        rule: cloudwatch.AlarmRule.anyOf(...pairs.map((pair) => pair.rule)),
        description: `The ${slo.what} is burning its error budget (${round(budget)} %) too fast: ${pairs.map((pair) => pair.text).join('; ')}. Check first: ${slo.checkFirst}`,
      });
    }
  }

  private serviceHealthRule(): string {
    const critical = this.alarms.filter((a) => a.severity === 'critical' && a.alarm !== this.serviceHealth).map((a) => a.alarm);
    return critical.length > 0 ? cloudwatch.AlarmRule.anyOf(...critical).renderAlarmRule() : cloudwatch.AlarmRule.fromBoolean(false).renderAlarmRule();
  }

  /** The scope of one watched construct's alarms, named after its path; each construct is monitored once. */
  private scopeFor(watched: Construct, method: string): Construct {
    if (this.watched.has(watched.node.path)) {
      throw new ConfigurationError(this.node.path, [`${method}(${watched.node.path}) was called before for the same construct; each construct is monitored once`]);
    }
    this.watched.add(watched.node.path);
    const watchedStack = Stack.of(watched);
    const relative = watched.node.path.slice(watchedStack.node.path.length + 1).replace(/\//g, '-');
    return new Construct(this, watchedStack === Stack.of(this) ? relative : `${watchedStack.stackName}-${relative}`);
  }

  private addRow(title: string, widgets: cloudwatch.IWidget[]): void {
    this.dashboard.addWidgets(header(`### ${title}`));
    this.dashboard.addWidgets(...widgets);
  }
}

/** CloudWatch alarms of this account may publish to the topic (and use its key). */
function allowCloudWatchToPublish(topic: sns.ITopic): boolean {
  const stack = Stack.of(topic);
  return allowServiceToPublish(topic, {
    servicePrincipal: 'cloudwatch.amazonaws.com',
    sourceArn: stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    sid: 'AllowCloudWatchAlarms',
  });
}

/**
 * The share (%) of requests slower than `thresholdMs`, from the percentile rank of the target
 * response time (PR(:t) is the share at or below t). 0 below the WebService's minimum request rate,
 * where a share says nothing yet.
 */
function slowRequestShare(web: WebService, thresholdMs: number, period: Duration): cloudwatch.MathExpression {
  const minRequests = DEPLOYMENT_ALARM.minRequestsPerMinute * Math.max(1, period.toMinutes({ integral: false }));
  return new cloudwatch.MathExpression({
    expression: `IF(requests >= ${minRequests}, 100 - FILL(fast, 100), 0)`,
    usingMetrics: {
      requests: web.metric('targetGroup', 'RequestCount', { statistic: 'Sum', period }),
      fast: web.metricTargetResponseTime({ statistic: cloudwatch.Stats.percentileRank(thresholdMs / 1000), period }),
    },
    label: `requests slower than ${thresholdMs} ms (%)`,
    period,
  });
}

function percentOf(percent: number, of: number, ofWhat: string, unit: string): { threshold: number; text: string } {
  const threshold = round((of * percent) / 100);
  return { threshold, text: `${threshold} ${unit} (${percent} % of ${ofWhat}, ${of})` };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function defaultDashboardName(stackName: string, profileName: string): string {
  if (Token.isUnresolved(stackName)) return stackName;
  return stackName.endsWith(`-${profileName}`) || stackName === profileName ? stackName : `${stackName}-${profileName}`;
}
