import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LOG_EXPORTS } from '../core/database';

/** A log type RDS exports to CloudWatch Logs. */
export type DatabaseLogType = (typeof LOG_EXPORTS)[number];

/**
 * The log groups the instance exports to, created before it (the instance depends on them), with
 * their retention: RDS would otherwise create them itself without retention, and CloudFormation
 * could then not create them. Named after the instance identifier, which is why it is fixed at
 * synth. Construct IDs `PostgresqlLog` and `UpgradeLog`.
 */
export function createLogGroups(scope: Construct, instanceIdentifier: string, retention: logs.RetentionDays): Record<DatabaseLogType, logs.LogGroup> {
  const groups: Partial<Record<DatabaseLogType, logs.LogGroup>> = {};
  for (const type of LOG_EXPORTS) {
    groups[type] = new logs.LogGroup(scope, `${type[0].toUpperCase()}${type.slice(1)}Log`, {
      logGroupName: `/aws/rds/instance/${instanceIdentifier}/${type}`,
      retention,
      // The logs go only when the database itself is deleted: CloudFormation deletes the
      // instance (which fails under deletion protection) before the groups it depends on.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
  return groups as Record<DatabaseLogType, logs.LogGroup>;
}
