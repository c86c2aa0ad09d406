import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct, IConstruct } from 'constructs';
import { type AlarmSection, ALARM_CATALOG, describeEvaluation, unitSuffix } from '../core/alarm-catalog';
import type { AlarmThreshold, MonitoringProfile } from '../core/profiles';
import type { AlarmFactory, MonitoredAlarm } from './alarm-factory';

/** How one catalog alarm reads what it watches. */
export interface CatalogAlarmSource {
  /** The metric, over `period`. */
  readonly metric: (period: Duration) => cloudwatch.IMetric;
  /**
   * The configured value (in the unit its name carries) as the metric's threshold, with the text a
   * person reads in the description.
   *
   * @default - the value itself, with the catalog's unit
   */
  readonly threshold?: (setting: number) => { threshold: number; text: string };
  /**
   * An alarm the watched construct made on the same metric, to take over instead of making one.
   *
   * @default - a new alarm
   */
  readonly adopt?: cloudwatch.Alarm;
  /**
   * Instead of the definition's period (an insights worker on a slower schedule).
   *
   * @default - the catalog's period
   */
  readonly period?: Duration;
}

/**
 * The alarms of the catalog (lib/core/alarm-catalog.ts) at the configured thresholds: each
 * definition (title, severity, comparison, evaluation, meaning, what to check first) meets its
 * threshold and the metric of one watched construct, and goes through the factory.
 */
export class CatalogAlarms {
  constructor(
    readonly factory: AlarmFactory,
    readonly thresholds: MonitoringProfile,
  ) {}

  /** The alarm `section.field` on `watched`, created in `scope`, unless its threshold is 'off'. */
  add<S extends AlarmSection>(
    section: S,
    field: keyof MonitoringProfile[S] & string,
    watched: IConstruct,
    scope: Construct,
    source: CatalogAlarmSource,
  ): MonitoredAlarm | undefined {
    const setting = (this.thresholds[section] as unknown as Record<string, AlarmThreshold>)[field];
    if (setting === 'off') return undefined;
    const definition = (ALARM_CATALOG[section] as unknown as Record<string, (typeof ALARM_CATALOG)[S][keyof (typeof ALARM_CATALOG)[S]]>)[field];
    const { threshold, text } = source.threshold?.(setting) ?? { threshold: setting, text: `${setting}${unitSuffix(definition.unit)}` };
    const period = source.period ?? Duration.seconds(definition.periodSeconds);
    const spec = {
      key: `${section}.${field}`,
      id: definition.id,
      tier: definition.tier,
      title: definition.title,
      severity: definition.severity,
      metric: source.metric(period),
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
    return source.adopt ? this.factory.adopt(source.adopt, spec) : this.factory.create(scope, spec);
  }
}

/** A threshold as a share of a whole, e.g. '72 connections (80 % of max_connections, 90)'. */
export function percentOf(percent: number, of: number, ofWhat: string, unit: string): { threshold: number; text: string } {
  const threshold = round((of * percent) / 100);
  return { threshold, text: `${threshold} ${unit} (${percent} % of ${ofWhat}, ${of})` };
}

/** To two decimals: thresholds and texts stay readable. */
export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
