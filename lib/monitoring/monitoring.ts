import { type CfnResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';
import type { AlarmComparison, AlarmSeverity, MissingData } from '../core/alarm-catalog';
import { DASHBOARD_DEFAULT_RANGE_HOURS, DASHBOARD_GRID_WIDTH, DASHBOARD_NAME } from '../core/monitoring';
import { checkAlarmEmails, checkMonitoringSettings } from '../core/monitoring-rules';
import { dev, type MonitoringProfile } from '../core/profiles';
import { ConfigurationError, Problems, show } from '../private/problems';
import { actionCountProblem, AlarmFactory, type MonitoredAlarm } from './alarm-factory';
import { CatalogAlarms } from './catalog-alarms';
import { AlarmListWidget, type DashboardRow, header } from './dashboard';
import { watchCache } from './monitor-cache';
import { watchDatabase } from './monitor-database';
import { type MonitorableEdge, watchEdge } from './monitor-edge';
import { watchWebService } from './monitor-web';
import { watchDatabaseInsights, watchQueueWorker, watchScheduledWorker } from './monitor-workers';
import type {
  MonitorableCache,
  MonitorableDatabase,
  MonitorableDatabaseInsights,
  MonitorableQueueWorker,
  MonitorableScheduledWorker,
  MonitorableWebService,
} from './monitorable';
import { createAlarmTopic, isTopic, subscribeEmails, topicAction } from './notifications';

export interface MonitoringProps {
  /**
   * Thresholds and SLO targets, as a profile's `monitoring` table: `monitoringPropsFor('prod')`
   * gives prod's, and `{ ...prod.monitoring, web: { ...prod.monitoring.web, cpuPercent: 70 } }`
   * changes one of them.
   *
   * @default - the dev profile's table (`dev.monitoring`): the thresholds of the smallest stack
   */
  readonly thresholds?: MonitoringProfile;
  /**
   * The name of the profile the thresholds come from, a label only: every alarm description and
   * the dashboard's header say `profile <name>`, and the default dashboard name ends with it.
   *
   * @default - no label: descriptions and the header name no profile
   */
  readonly profileName?: string;
  /**
   * E-mail addresses to subscribe to `topic`. Each receives a confirmation e-mail first.
   *
   * @default - no subscription: subscribe endpoints to `topic` yourself
   */
  readonly alarmEmails?: string[];
  /**
   * The alarm topic. Every alarm notifies it unless `alarmActions` says otherwise; when it is
   * encrypted with a customer-managed key, that key's policy must let CloudWatch use it (done here
   * unless the key is imported).
   *
   * @default - a new topic, encrypted with a new customer-managed KMS key, TLS only
   */
  readonly topic?: sns.ITopic;
  /**
   * What every alarm does on ALARM and on OK, instead of notifying `topic`: any CloudWatch alarm
   * action (a Lambda function, an incident response plan, a topic of your own with
   * `new SnsAction(topic)`), at most 5. With them, `topic` is made only if something reads it.
   * Use `notify()` to add a destination beside the topic instead.
   *
   * @default - notify `topic`
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
  /**
   * The dashboard's name (letters, digits, '-' and '_').
   *
   * @default - the stack's name, with `-<profileName>` appended unless it already ends with it
   */
  readonly dashboardName?: string;
}

export interface MonitorWebServiceOptions {
  /**
   * The fewest tasks the service may run by design: the running-tasks alarm fires below the
   * thresholds' share of it. Give the lowest minimum of any scheduled scaling action; 0 (a service
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
  readonly watched?: IConstruct;
  /**
   * The tier, for `alarms` and the dashboard.
   *
   * @default 'Custom'
   */
  readonly tier?: string;
}

const ALARM_ID = /^[A-Z][A-Za-z0-9]{0,63}$/;

/**
 * Alarms, notifications and a dashboard: one `monitor…()` per tier, thresholds and SLO targets
 * from a `monitoring` table (a profile's, through `monitoringPropsFor()`).
 *
 * - An SNS topic encrypted with its own KMS key (CloudWatch may use it), TLS only, optional
 *   e-mails; or any CloudWatch alarm actions instead (`alarmActions`), or beside it (`notify()`).
 * - Each alarm made by one factory: named `<stack>/<construct>/<Alarm>-<severity>`, described with
 *   what it means and what to check first, a missing-data treatment, ALARM and OK to its actions.
 * - SLO burn-rate alarms (fast and slow windows) on the web service's availability and latency.
 * - A composite "service health" alarm over every critical alarm.
 * - A dashboard with a row per tier: traffic, latency, errors, saturation.
 *
 * The `monitor…()` methods take the shapes in `monitorable.ts`, which this library's constructs
 * fit; so does a construct of your own with the same metrics. Used alone, it monitors any one of
 * them: `new Monitoring(stack, 'Monitoring').monitorDatabase(db)`.
 */
export class Monitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** ALARM while any critical alarm is: the one alarm to watch. */
  readonly serviceHealth: cloudwatch.CompositeAlarm;
  /** The resolved thresholds and SLO targets. */
  readonly settings: MonitoringProfile;
  /** The profile the thresholds come from, when it was named. */
  readonly profileName?: string;

  private readonly factory: AlarmFactory;
  private readonly catalog: CatalogAlarms;
  private readonly watched = new Set<string>();
  /** Where every alarm goes already (given to `notify()` or the default topic): each once. */
  private readonly destinations = new Set<sns.ITopic | cloudwatch.IAlarmAction>();
  private readonly givenTopic?: sns.ITopic;
  private alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    const settings = props.thresholds ?? dev.monitoring;
    const alarmEmails = [...(props.alarmEmails ?? [])];
    const stack = Stack.of(this);
    const dashboardName = props.dashboardName ?? defaultDashboardName(stack.stackName, props.profileName);

    const p = new Problems(this.node.path);
    checkMonitoringSettings(p, settings, 'thresholds.');
    checkAlarmEmails(p, alarmEmails, 'alarmEmails');
    if (!Token.isUnresolved(dashboardName)) {
      p.check(DASHBOARD_NAME.test(dashboardName), `dashboardName (${show(dashboardName)}) must be 1-255 letters, digits, '-' or '_'`);
    }
    const tooMany = actionCountProblem(props.alarmActions?.length ?? 0, 'alarmActions');
    if (tooMany) p.add(tooMany);
    if (props.alarmActions && alarmEmails.length > 0) {
      p.add(
        `alarmEmails (${alarmEmails.length}) subscribe to the alarm topic, but alarmActions sends the alarms elsewhere, so no e-mail would ever arrive; subscribe the addresses where your actions send, or leave out alarmActions and add your actions with notify()`,
      );
    }
    p.throwIfAny();
    this.settings = settings;
    this.profileName = props.profileName;
    this.givenTopic = props.topic;

    let actions = props.alarmActions;
    if (actions === undefined) {
      actions = [topicAction(this, this.topic)];
      this.destinations.add(this.topic);
    }
    // Read only when there are addresses: with alarmActions, nothing else may need a topic.
    if (alarmEmails.length > 0) subscribeEmails(this.topic, alarmEmails);

    this.factory = new AlarmFactory(this, actions, props.profileName);
    this.catalog = new CatalogAlarms(this.factory, settings);
    const serviceHealth = this.factory.composite(this, 'ServiceHealth', {
      key: 'serviceHealth',
      tier: 'Service',
      severity: 'critical',
      watched: stack,
      rule: { renderAlarmRule: () => Lazy.string({ produce: () => this.serviceHealthRule() }) },
      description:
        "The service is unhealthy: at least one critical alarm (the 5xx rate, running tasks, free storage, dead-lettered jobs, an SLO burning its budget…) is in ALARM. Check first: which one, on the dashboard's top row; its own notification says what to check next.",
    });
    this.serviceHealth = serviceHealth.alarm as cloudwatch.CompositeAlarm;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName,
      defaultInterval: Duration.hours(DASHBOARD_DEFAULT_RANGE_HOURS),
    });
    // Tags on dashboards are in CloudFormation's schema (aws-cdk-lib tags them), not yet in
    // cfn-lint 1.51's: its E3002 on this resource is a false positive.
    (this.dashboard.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
    const origin = props.profileName === undefined ? '' : ` (profile ${props.profileName})`;
    this.dashboard.addWidgets(header(`# ${dashboardName}: service health${origin}`));
    this.dashboard.addWidgets(
      new AlarmListWidget('Alarms, most recent change first', () => this.alarms.map((a) => a.alarm), DASHBOARD_GRID_WIDTH, 4),
    );
  }

  /**
   * The alarm topic (ALARM and OK of every alarm, unless `alarmActions` replaced it): the one given
   * as `topic`, or a new encrypted one. With `alarmActions`, it is made when first read here, so
   * a stack that never reads it pays for no topic or key.
   */
  get topic(): sns.ITopic {
    this.alarmTopic ??= this.givenTopic ?? createAlarmTopic(this);
    return this.alarmTopic;
  }

  /** The key the topic is encrypted with, when it is customer-managed. */
  get encryptionKey(): kms.IKey | undefined {
    return this.topic.masterKey;
  }

  /** Every alarm this construct made or adopted (burn-rate windows excepted: their composites are listed). */
  get alarms(): readonly MonitoredAlarm[] {
    return this.factory.alarms;
  }

  /**
   * Sends every alarm's notifications (ALARM and OK), made so far and to come, to `target` too:
   * a topic (CloudWatch is let in to publish, and to use its key) or any CloudWatch alarm action.
   * Each alarm takes at most 5 actions.
   */
  notify(target: sns.ITopic | cloudwatch.IAlarmAction): void {
    if (this.destinations.has(target)) {
      const what = isTopic(target) ? `the topic ${target.node.path}` : 'this action';
      throw new ConfigurationError(this.node.path, [`notify() was given ${what} before; every alarm notifies it already`]);
    }
    this.factory.addAction(isTopic(target) ? topicAction(this, target) : target, 'notify()');
    this.destinations.add(target);
  }

  /**
   * The load balancer and the ECS service: the deployment alarms adopted (5xx rate, p99 latency)
   * with the thresholds and actions, unhealthy tasks, refused connections, CPU, memory, running
   * tasks below the minimum (Container Insights when on, the ALB's healthy hosts otherwise), the
   * SLO burn-rate alarms, and a dashboard row. `WebService` fits `MonitorableWebService`.
   */
  monitorWebService(web: MonitorableWebService, options: MonitorWebServiceOptions = {}): readonly MonitoredAlarm[] {
    return this.watch(web, 'monitorWebService', (scope) => {
      const minimumTasks = options.minimumTasks ?? web.minTasks;
      if (!Token.isUnresolved(minimumTasks) && !(Number.isInteger(minimumTasks) && minimumTasks >= 0)) {
        throw new ConfigurationError(this.node.path, [
          `monitorWebService(${web.node.path}): minimumTasks (${minimumTasks}) must be a whole number of tasks, 0 or more`,
        ]);
      }
      return watchWebService(this.catalog, web, scope, minimumTasks);
    });
  }

  /**
   * The RDS instance: CPU, CPU credits (burstable classes), freeable memory, free storage,
   * connections against max_connections, disk read and write latency, the proxy's connections
   * (with a proxy), and a dashboard row. There are no read replicas, so no replica-lag alarm.
   * `Database` fits `MonitorableDatabase`.
   */
  monitorDatabase(database: MonitorableDatabase): readonly MonitoredAlarm[] {
    return this.watch(database, 'monitorDatabase', (scope) => {
      const missing =
        database.proxy === undefined
          ? []
          : (['metricProxyDatabaseConnections', 'metricProxyClientConnections'] as const).filter((name) => database[name] === undefined);
      if (missing.length > 0) {
        throw new ConfigurationError(this.node.path, [
          `monitorDatabase(${database.node.path}) has a proxy but no ${missing.map((name) => `${name}()`).join(' or ')}; the proxy's connections are alarmed on and graphed from them: add them, or leave proxy unset`,
        ]);
      }
      return watchDatabase(this.catalog, database, scope);
    });
  }

  /**
   * The Valkey replication group, every node in each alarm (at most 10 nodes: a CloudWatch alarm
   * reads at most 10 metrics): engine CPU, memory, evictions, connections, replication lag (with
   * replicas), and a dashboard row. `Cache` fits `MonitorableCache`.
   */
  monitorCache(cache: MonitorableCache): readonly MonitoredAlarm[] {
    return this.watch(cache, 'monitorCache', (scope) => watchCache(this.catalog, cache, scope));
  }

  /**
   * A CloudFront distribution's dashboard row (requests, 4xx/5xx rates, cache hit rate and origin
   * latency), read from us-east-1; no alarms (monitor-edge.ts says why). `Edge` fits `MonitorableEdge`.
   */
  monitorEdge(edge: MonitorableEdge): readonly MonitoredAlarm[] {
    return this.watch(edge, 'monitorEdge', () => watchEdge(edge));
  }

  /**
   * The Lambda worker and its queues: failed and throttled invocations, p99 duration against the
   * timeout, the oldest waiting job, dead-lettered jobs (critical), and a dashboard row.
   * `QueueWorker` fits `MonitorableQueueWorker`.
   */
  monitorQueueWorker(worker: MonitorableQueueWorker): readonly MonitoredAlarm[] {
    return this.watch(worker, 'monitorQueueWorker', (scope) => watchQueueWorker(this.catalog, worker, scope));
  }

  /**
   * The database insights worker's view of PostgreSQL: buffer cache hit ratio below a floor, slow
   * statements, the longest open transaction, client connections against max_connections,
   * sessions idle in a transaction, index candidates, and a report missing sections or missing
   * altogether; the worker's own runs (failed, dead-lettered: see `monitorScheduledWorker()`);
   * and a dashboard row. Each alarm's period covers the worker's schedule (15 minutes, or the
   * longest gap of a slower schedule), so every period holds a run. A worker that publishes no
   * metrics (`publishMetrics: false`) gets only the alarms on its runs, whatever the thresholds say.
   * `DatabaseInsights` fits `MonitorableDatabaseInsights`.
   */
  monitorDatabaseInsights(insights: MonitorableDatabaseInsights): readonly MonitoredAlarm[] {
    return this.watch(insights, 'monitorDatabaseInsights', (scope) => watchDatabaseInsights(this.catalog, insights, scope));
  }

  /**
   * A scheduled worker's runs: failed runs (warning) and runs in its dead-letter queue (critical),
   * and a dashboard row. For the right-sizing advisor, or any `MonitorableScheduledWorker`;
   * `monitorDatabaseInsights()` includes these for the insights worker.
   */
  monitorScheduledWorker(worker: MonitorableScheduledWorker): readonly MonitoredAlarm[] {
    return this.watch(worker, 'monitorScheduledWorker', (scope) => watchScheduledWorker(this.catalog, worker, scope));
  }

  /** One more alarm through the same factory: named, described, wired to the alarm actions (and to service health when critical). */
  addAlarm(id: string, props: MonitoringAlarmProps): MonitoredAlarm {
    if (!ALARM_ID.test(id)) {
      throw new ConfigurationError(this.node.path, [
        `addAlarm(${show(id)}): the ID must be PascalCase letters and digits, such as 'CheckoutErrors' (it becomes a construct ID and part of the alarm's name)`,
      ]);
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

  /**
   * The alarms of one watched construct, in a scope of their own named after its path (each
   * construct is monitored once), and its row on the dashboard. Returns the alarms made.
   */
  private watch(watched: IConstruct, method: string, build: (scope: Construct) => DashboardRow): readonly MonitoredAlarm[] {
    if (this.watched.has(watched.node.path)) {
      throw new ConfigurationError(this.node.path, [
        `${method}(${watched.node.path}) was called before for the same construct; each construct is monitored once`,
      ]);
    }
    this.watched.add(watched.node.path);
    const watchedStack = Stack.of(watched);
    const relative = watched.node.path.slice(watchedStack.node.path.length + 1).replace(/\//g, '-');
    const scope = new Construct(this, watchedStack === Stack.of(this) ? relative : `${watchedStack.stackName}-${relative}`);
    const before = this.alarms.length;
    const row = build(scope);
    this.dashboard.addWidgets(header(`### ${row.title}`));
    this.dashboard.addWidgets(...row.widgets);
    return this.alarms.slice(before);
  }

  private serviceHealthRule(): string {
    const critical = this.alarms.filter((a) => a.severity === 'critical' && a.alarm !== this.serviceHealth).map((a) => a.alarm);
    return critical.length > 0
      ? cloudwatch.AlarmRule.anyOf(...critical).renderAlarmRule()
      : cloudwatch.AlarmRule.fromBoolean(false).renderAlarmRule();
  }
}

function defaultDashboardName(stackName: string, profileName: string | undefined): string {
  if (Token.isUnresolved(stackName) || profileName === undefined) return stackName;
  return stackName.endsWith(`-${profileName}`) || stackName === profileName ? stackName : `${stackName}-${profileName}`;
}
