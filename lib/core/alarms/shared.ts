import { INSIGHTS_ALARM_PERIOD_SECONDS } from '../monitoring';

// Values several sections of the alarm catalog share.

export const FIVE_MINUTES = 5 * 60;
/** One run of the database insights worker per period (Monitoring lengthens it for a slower schedule). */
export const ONE_RUN = INSIGHTS_ALARM_PERIOD_SECONDS;
/** The PostgreSQL alarms exist only when the insights worker publishes its metrics (the profile's switch). */
export const INSIGHTS_METRICS = '`databaseInsightsMetrics`';
/** Where the database insights report is, for every PostgreSQL alarm's "check first". */
export const REPORT = "the latest `database insights report` line in the insights worker's log group";
