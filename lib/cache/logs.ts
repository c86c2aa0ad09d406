import { Fn, Names, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * The slow-log group (construct ID `SlowLog`) and, when asked for, the engine-log group
 * (`EngineLog`), children of `scope`.
 */
export function createLogGroups(
  scope: Construct,
  engineLog: boolean,
  retention: logs.RetentionDays,
): { slowLog: logs.LogGroup; engineLog?: logs.LogGroup } {
  return {
    slowLog: new logs.LogGroup(scope, 'SlowLog', { logGroupName: vendedLogGroupName(scope, 'slow-log'), retention }),
    engineLog: engineLog ? new logs.LogGroup(scope, 'EngineLog', { logGroupName: vendedLogGroupName(scope, 'engine-log'), retention }) : undefined,
  };
}

/**
 * ElastiCache delivers its logs as vended logs: CloudWatch Logs lets the delivery service write
 * through the account's log resource policy, which holds at most 5,120 characters and lists each
 * log group by name, unless the names start with `/aws/vendedlogs/` (then one wildcard covers
 * them). The stack's ID (a UUID per stack creation) keeps the name unique, so a stack deleted
 * with its retained log groups can be created again.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-CloudWatchLogs.html
 */
function vendedLogGroupName(scope: Construct, logType: string): string {
  const stackUuid = Fn.select(2, Fn.split('/', Stack.of(scope).stackId));
  return `/aws/vendedlogs/elasticache/${Names.uniqueResourceName(scope, { maxLength: 128, separator: '-' })}/${stackUuid}/${logType}`;
}
