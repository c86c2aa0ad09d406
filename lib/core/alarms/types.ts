import type { MonitoringProfile } from '../profiles/profile';

// The alarm catalog's vocabulary: what an alarm definition says, apart from the definitions.

/** How urgent an alarm is. Critical alarms also feed the composite "service health" alarm. */
export type AlarmSeverity = 'warning' | 'critical';

/**
 * The tiers the alarm pack covers. 'PostgreSQL' is the engine's own statistics (the database
 * insights worker's metrics), 'RDS' the instance; 'Scheduled' the runs of the scheduled workers.
 */
export type MonitoredTier = 'ALB' | 'ECS' | 'RDS' | 'Cache' | 'Lambda' | 'SQS' | 'PostgreSQL' | 'Scheduled';

/** The unit of a threshold as the profile states it (the field's name carries it too). */
export type ThresholdUnit = 'percent' | 'ms' | 'seconds' | 'count' | 'GiB' | 'credits';

/** Which side of the threshold is bad. */
export type AlarmComparison = 'above' | 'at-or-above' | 'below';

/**
 * What a period without data means:
 * - 'ok': nothing happened (a count of bad events that is only published when there are some);
 * - 'breaching': silence is the failure (nothing is running to report);
 * - 'keep-state': a gap says nothing either way (a gauge of a resource that can pause reporting);
 *   other alarms catch a resource that is gone.
 */
export type MissingData = 'ok' | 'breaching' | 'keep-state';

/** One alarm of the pack, as data: everything but the metric and the construct it watches. */
export interface AlarmDefinition {
  readonly tier: MonitoredTier;
  /** Short name, used in the alarm's name (PascalCase) and the README table. */
  readonly id: string;
  /** What is measured, for the description and the README, e.g. 'Task CPU'. */
  readonly title: string;
  readonly severity: AlarmSeverity;
  readonly unit: ThresholdUnit;
  readonly comparison: AlarmComparison;
  readonly missingData: MissingData;
  /**
   * Why a period without data means what `missingData` says, when the metric is absent on a
   * healthy new stack (before the first task, run or event): such an alarm must not page right
   * after the first deploy. Absent: the metric is published from the start.
   */
  readonly absentOnNewStack?: string;
  /** The period of each datapoint, in seconds. */
  readonly periodSeconds: number;
  /** Periods looked at; `datapointsToAlarm` of them must breach. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** What a breach means, in one sentence. */
  readonly meaning: string;
  /** What to look at first. */
  readonly checkFirst: string;
  /** When the alarm exists at all, if not always (the README says so). */
  readonly onlyWhen?: string;
  /** The alarm is the WebService's deployment (rollback) alarm, given actions and the profile's threshold. */
  readonly adopted?: boolean;
}

/**
 * The sections of `MonitoringProfile` that hold thresholds. A new tier is a new section here, its
 * threshold fields in `MonitoringProfile` and each profile, its definitions below, and a
 * `monitor…()` method that calls `catalogAlarm()` per field: validation, the README table and the
 * tests pick it up from the catalog.
 */
export type AlarmSection = 'web' | 'database' | 'cache' | 'worker' | 'databaseInsights' | 'scheduledWorker';

/** One definition per threshold field of each section: a new field without a definition does not compile. */
export type AlarmCatalog = {
  readonly [S in AlarmSection]: { readonly [F in keyof MonitoringProfile[S]]-?: AlarmDefinition };
};
