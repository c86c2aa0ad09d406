import { Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct, IConstruct } from 'constructs';
import { ALARM_DESCRIPTION_MAX_LENGTH, ALARM_MAX_ACTIONS, ALARM_NAME_MAX_LENGTH, MAX_METRICS_PER_ALARM } from '../core/monitoring';
import { ConfigurationError, Problems } from '../private/problems';
import { type AlarmComparison, type AlarmSeverity, type MissingData, comparisonSymbol } from '../core/alarm-catalog';

/** One alarm Monitoring made (or adopted) and wired to its topic. */
export interface MonitoredAlarm {
  /** Where the threshold comes from: `web.cpuPercent` for the profile's alarms, the ID for `addAlarm()`. */
  readonly key: string;
  /** The tier watched: ALB, ECS, RDS, Cache, Lambda, SQS, SLO, or what `addAlarm()` was given. */
  readonly tier: string;
  readonly severity: AlarmSeverity;
  /**
   * The threshold as configured, in the unit its name carries (the profile's value, e.g. 85 for
   * `cpuPercent` or 2000 for `p99LatencyMs`; the SLO target for an SLO alarm). Absent for the
   * service-health alarm, which has no threshold of its own.
   */
  readonly setting?: number;
  /** The alarm's threshold in the metric's own unit (2 for a 2000 ms latency read in seconds); absent for a composite. */
  readonly threshold?: number;
  readonly alarm: cloudwatch.IAlarm;
  /** The construct path of what the alarm watches. */
  readonly watches: string;
}

/** Everything the factory needs to make one metric alarm. */
export interface AlarmSpec {
  readonly key: string;
  /** PascalCase, unique among the alarms of what is watched: the construct ID and part of the name. */
  readonly id: string;
  readonly tier: string;
  readonly title: string;
  readonly severity: AlarmSeverity;
  readonly metric: cloudwatch.IMetric;
  /** In the metric's unit. */
  readonly threshold: number;
  /** The threshold as a person reads it, e.g. '85 %' or '100 % of the minimum (3 tasks)'. */
  readonly thresholdText: string;
  /** The configured value (see `MonitoredAlarm.setting`). */
  readonly setting: number;
  readonly comparison: AlarmComparison;
  readonly missingData: MissingData;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** 'over 3 of 3 × 5 min'-style text of the evaluation. */
  readonly evaluationText: string;
  readonly meaning: string;
  readonly checkFirst: string;
  /** The construct watched: the alarm's name and description carry its path. */
  readonly watched: IConstruct;
}

const COMPARISON: Record<AlarmComparison, cloudwatch.ComparisonOperator> = {
  above: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  'at-or-above': cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  below: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
};

const MISSING_DATA: Record<MissingData, cloudwatch.TreatMissingData> = {
  ok: cloudwatch.TreatMissingData.NOT_BREACHING,
  breaching: cloudwatch.TreatMissingData.BREACHING,
  'keep-state': cloudwatch.TreatMissingData.IGNORE,
};

const MISSING_DATA_TEXT: Record<MissingData, string> = {
  ok: 'no data counts as OK',
  breaching: 'no data counts as breaching',
  'keep-state': 'no data keeps the last state',
};

/**
 * The one place alarms are named, described, given their missing-data treatment and wired to
 * their actions. Names read `<stack>/<watched path>/<Id>-<severity>`, so an e-mail subject says
 * where and how bad; descriptions say what the alarm means and what to check first.
 */
export class AlarmFactory {
  private readonly made: MonitoredAlarm[] = [];
  /** The alarms that notify (all but burn-rate windows), for actions added later. */
  private readonly notifying: cloudwatch.AlarmBase[] = [];
  private readonly actions: cloudwatch.IAlarmAction[] = [];

  /**
   * @param owner the Monitoring construct: problems are reported at its path
   * @param actions what every alarm does on ALARM and on OK (by default, notify the topic); the
   *   owner has checked their number with `actionCountProblem()`
   * @param profileName named in every description, when given
   */
  constructor(
    private readonly owner: Construct,
    actions: readonly cloudwatch.IAlarmAction[],
    private readonly profileName?: string,
  ) {
    this.actions.push(...actions);
  }

  /** Every alarm made or adopted so far, in order. */
  get alarms(): readonly MonitoredAlarm[] {
    return this.made;
  }

  /** One more action on ALARM and on OK, for every alarm made so far and every one to come. */
  addAction(action: cloudwatch.IAlarmAction, caller: string): void {
    const problem = actionCountProblem(this.actions.length + 1, caller);
    if (problem) throw new ConfigurationError(this.owner.node.path, [problem]);
    this.actions.push(action);
    for (const alarm of this.notifying) this.notify(alarm, [action]);
  }

  /** A new metric alarm under `parent`, with construct ID `<spec.id>Alarm`. */
  create(parent: Construct, spec: AlarmSpec): MonitoredAlarm {
    this.check(spec);
    const alarm = new cloudwatch.Alarm(parent, `${spec.id}Alarm`, {
      alarmName: this.name(spec.watched, spec.id, spec.severity),
      alarmDescription: this.describe(spec),
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: COMPARISON[spec.comparison],
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: MISSING_DATA[spec.missingData],
    });
    return this.wire(alarm, spec);
  }

  /**
   * Takes over an alarm another construct made (the WebService's deployment alarms): the profile's
   * threshold, the factory's name, description, evaluation and missing-data treatment, and the
   * actions. Its metric stays as it is.
   */
  adopt(alarm: cloudwatch.Alarm, spec: AlarmSpec): MonitoredAlarm {
    this.check(spec);
    const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    cfn.alarmName = this.name(spec.watched, spec.id, spec.severity);
    cfn.alarmDescription = this.describe(spec);
    cfn.threshold = spec.threshold;
    cfn.comparisonOperator = COMPARISON[spec.comparison];
    cfn.evaluationPeriods = spec.evaluationPeriods;
    cfn.datapointsToAlarm = spec.datapointsToAlarm;
    cfn.treatMissingData = MISSING_DATA[spec.missingData];
    return this.wire(alarm, spec);
  }

  /**
   * A metric alarm that notifies no one by itself: one window of a burn-rate alarm, whose composite
   * carries the action. Named and described like the others, with `partOf` saying where it counts.
   */
  component(
    parent: Construct,
    id: string,
    props: {
      readonly watched: IConstruct;
      readonly metric: cloudwatch.IMetric;
      readonly threshold: number;
      readonly comparison: AlarmComparison;
      readonly missingData: MissingData;
      readonly description: string;
    },
  ): cloudwatch.Alarm {
    return new cloudwatch.Alarm(parent, `${id}Alarm`, {
      alarmName: this.name(props.watched, id, 'component'),
      alarmDescription: this.fit(props.description),
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: COMPARISON[props.comparison],
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: MISSING_DATA[props.missingData],
    });
  }

  /** A composite alarm with the factory's actions. */
  composite(
    parent: Construct,
    id: string,
    props: {
      readonly key: string;
      readonly tier: string;
      readonly severity: AlarmSeverity;
      readonly setting?: number;
      readonly watched: IConstruct;
      readonly rule: cloudwatch.IAlarmRule;
      readonly description: string;
    },
  ): MonitoredAlarm {
    const alarm = new cloudwatch.CompositeAlarm(parent, `${id}Alarm`, {
      compositeAlarmName: this.name(props.watched, id, props.severity),
      alarmDescription: this.fit(`[${props.severity}] ${props.description} ${this.origin(props.watched)}`),
      alarmRule: props.rule,
    });
    this.notify(alarm, this.actions);
    this.notifying.push(alarm);
    const monitored: MonitoredAlarm = {
      key: props.key,
      tier: props.tier,
      severity: props.severity,
      setting: props.setting,
      alarm,
      watches: props.watched.node.path,
    };
    this.made.push(monitored);
    return monitored;
  }

  /** `<stack>/<path of watched in its stack>/<id>-<severity>`, shortened with a hash beyond 255 characters. */
  name(watched: IConstruct, id: string, severity: AlarmSeverity | 'component'): string {
    const stack = Stack.of(watched);
    const relative = watched === stack ? '' : watched.node.path.slice(stack.node.path.length + 1);
    const name = [stack.stackName, relative, `${id}-${severity}`].filter((part) => part !== '').join('/');
    if (Token.isUnresolved(name) || name.length <= ALARM_NAME_MAX_LENGTH) return name;
    const hash = Names.uniqueId(watched).slice(-8);
    const tail = `-${hash}/${id}-${severity}`;
    return name.slice(0, ALARM_NAME_MAX_LENGTH - tail.length) + tail;
  }

  private describe(spec: AlarmSpec): string {
    return this.fit(
      `[${spec.severity}] ${spec.title} ${comparisonSymbol(spec.comparison)} ${spec.thresholdText} in ${spec.evaluationText} ` +
        `(${MISSING_DATA_TEXT[spec.missingData]}). ${spec.meaning} Check first: ${spec.checkFirst} ` +
        this.origin(spec.watched),
    );
  }

  /** Where the thresholds come from and what is watched, e.g. '(profile prod, Shop/Database.)'. */
  private origin(watched: IConstruct): string {
    return `(${this.profileName === undefined ? '' : `profile ${this.profileName}, `}${watched.node.path}.)`;
  }

  /** CloudWatch rejects descriptions over 1,024 characters: cut at a word and mark the cut. */
  private fit(text: string): string {
    if (text.length <= ALARM_DESCRIPTION_MAX_LENGTH) return text;
    const cut = text.slice(0, ALARM_DESCRIPTION_MAX_LENGTH - 1);
    return `${cut.slice(0, cut.lastIndexOf(' '))}…`;
  }

  private wire(alarm: cloudwatch.Alarm, spec: AlarmSpec): MonitoredAlarm {
    this.notify(alarm, this.actions);
    this.notifying.push(alarm);
    const monitored: MonitoredAlarm = {
      key: spec.key,
      tier: spec.tier,
      severity: spec.severity,
      setting: spec.setting,
      threshold: spec.threshold,
      alarm,
      watches: spec.watched.node.path,
    };
    this.made.push(monitored);
    return monitored;
  }

  private notify(alarm: cloudwatch.AlarmBase, actions: readonly cloudwatch.IAlarmAction[]): void {
    if (actions.length === 0) return;
    alarm.addAlarmAction(...actions);
    alarm.addOkAction(...actions);
  }

  private check(spec: AlarmSpec): void {
    const p = new Problems(this.owner.node.path);
    const where = `alarm ${spec.key}`;
    p.range(`${where}: evaluationPeriods`, spec.evaluationPeriods, 1, 100_000, { integer: true });
    p.range(`${where}: datapointsToAlarm`, spec.datapointsToAlarm, 1, 100_000, { integer: true });
    if (
      !Token.isUnresolved(spec.evaluationPeriods) &&
      !Token.isUnresolved(spec.datapointsToAlarm) &&
      spec.evaluationPeriods < spec.datapointsToAlarm
    ) {
      p.add(
        `${where}: evaluationPeriods (${spec.evaluationPeriods}) is smaller than datapointsToAlarm (${spec.datapointsToAlarm}); an alarm cannot find ${spec.datapointsToAlarm} breaching datapoints among ${spec.evaluationPeriods}: raise evaluationPeriods or lower datapointsToAlarm`,
      );
    }
    if (!Token.isUnresolved(spec.threshold))
      p.check(Number.isFinite(spec.threshold), `${where}: threshold (${spec.threshold}) must be a finite number`);
    const metrics = countMetrics(spec.metric);
    p.check(
      metrics <= MAX_METRICS_PER_ALARM,
      `${where} reads ${metrics} metrics; a CloudWatch alarm may read at most ${MAX_METRICS_PER_ALARM}: alarm on fewer series (for a cache, per-node alarms from memberClusterIds)`,
    );
    p.throwIfAny();
  }
}

/** What is wrong with giving each alarm `count` actions, if anything. */
export function actionCountProblem(count: number, caller: string): string | undefined {
  return count > ALARM_MAX_ACTIONS
    ? `${caller} would give each alarm ${count} actions; a CloudWatch alarm takes at most ${ALARM_MAX_ACTIONS}: send them to one SNS topic and subscribe the rest there`
    : undefined;
}

/** The metrics an alarm on `metric` reads (metric math counts each metric it uses). */
export function countMetrics(metric: cloudwatch.IMetric): number {
  const config = metric.toMetricConfig();
  if (!config.mathExpression) return 1;
  return Object.values(config.mathExpression.usingMetrics).reduce((sum, m) => sum + countMetrics(m), 0);
}
