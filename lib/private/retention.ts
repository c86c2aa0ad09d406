import type * as logs from 'aws-cdk-lib/aws-logs';

/**
 * A profile's retention in days as CDK's enum. RetentionDays' values are the day counts themselves,
 * and the profile rules (lib/core/profiles/rules.ts) accept only the values CloudWatch Logs does
 * (LOG_RETENTION_DAYS), so the conversion is exact.
 */
export function retentionDays(days: number): logs.RetentionDays {
  return days as logs.RetentionDays;
}
