import { CACHE_ALARMS, DATABASE_ALARMS } from './alarms/data';
import type { AlarmCatalog, AlarmComparison, AlarmDefinition, AlarmSection, ThresholdUnit } from './alarms/types';
import { WEB_ALARMS } from './alarms/web';
import { DATABASE_INSIGHTS_ALARMS, SCHEDULED_WORKER_ALARMS, WORKER_ALARMS } from './alarms/workers';

export type * from './alarms/types';

/**
 * The alarm pack. Evaluation: gauges look at 3 five-minute periods and alarm when all 3 breach
 * (15 minutes: long enough to ride out a deploy or a burst, short enough to act before users
 * notice); events that should never happen alarm on the first 5-minute period with one.
 */
export const ALARM_CATALOG: AlarmCatalog = {
  web: WEB_ALARMS,
  database: DATABASE_ALARMS,
  cache: CACHE_ALARMS,
  worker: WORKER_ALARMS,
  databaseInsights: DATABASE_INSIGHTS_ALARMS,
  scheduledWorker: SCHEDULED_WORKER_ALARMS,
};

/** Every definition with its section and field, in catalog order. */
export function catalogEntries(): { section: AlarmSection; field: string; definition: AlarmDefinition }[] {
  return (Object.keys(ALARM_CATALOG) as AlarmSection[]).flatMap((section) =>
    Object.entries(ALARM_CATALOG[section] as Record<string, AlarmDefinition>).map(([field, definition]) => ({ section, field, definition })),
  );
}

/** The range a threshold of `definition` must be in to mean anything, with words for messages. */
export function thresholdRange(definition: AlarmDefinition): {
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
  integer: boolean;
  what: string;
} {
  switch (definition.unit) {
    case 'percent':
      // Above 100 % an 'above' alarm can never fire; 100 % is still meaningful for 'below'.
      return { min: 0, max: 100, minExclusive: true, maxExclusive: definition.comparison !== 'below', integer: false, what: 'a percentage' };
    case 'ms':
      return { min: 0, max: 3_600_000, minExclusive: true, maxExclusive: false, integer: false, what: 'milliseconds, at most an hour' };
    case 'seconds':
      // SQS keeps a message at most 14 days.
      return { min: 0, max: 1_209_600, minExclusive: true, maxExclusive: false, integer: false, what: 'seconds, at most 14 days' };
    case 'count':
      return { min: 1, max: 1_000_000_000, minExclusive: false, maxExclusive: false, integer: true, what: 'a whole count' };
    case 'GiB':
      return { min: 0, max: 65_536, minExclusive: true, maxExclusive: false, integer: false, what: 'GiB, at most the 64 TiB RDS allows' };
    case 'credits':
      // The largest burstable class, db.t4g.2xlarge, accrues at most 4,608 credits.
      return {
        min: 0,
        max: 4_608,
        minExclusive: true,
        maxExclusive: false,
        integer: false,
        what: 'CPU credits, at most the 4,608 a db.t4g.2xlarge can hold',
      };
  }
}

/** The symbol of a unit as a threshold is written: '%', ' ms', ' GiB'… */
export function unitSuffix(unit: ThresholdUnit): string {
  return { percent: ' %', ms: ' ms', seconds: ' s', count: '', GiB: ' GiB', credits: ' credits' }[unit];
}

/** '>', '≥' or '<'. */
export function comparisonSymbol(comparison: AlarmComparison): string {
  return { above: '>', 'at-or-above': '≥', below: '<' }[comparison];
}

/** How the evaluation reads: '3 of 3 periods of 5 min'. */
export function describeEvaluation(definition: Pick<AlarmDefinition, 'periodSeconds' | 'evaluationPeriods' | 'datapointsToAlarm'>): string {
  const minutes = definition.periodSeconds / 60;
  const period = minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`;
  return `${definition.datapointsToAlarm} of ${definition.evaluationPeriods} × ${period}`;
}
