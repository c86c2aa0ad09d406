import { Annotations, ArnFormat, Aspects, Aws, CfnResource, RemovalPolicy, Stack, Token, type IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';

/**
 * What CloudWatch Logs needs on a key that encrypts log groups, as the CloudWatch Logs guide lists
 * it ("Encrypt log data in CloudWatch Logs using AWS KMS", step 2), and nothing more.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export const CLOUDWATCH_LOGS_KEY_ACTIONS: readonly string[] = [
  'kms:Encrypt*',
  'kms:Decrypt*',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:Describe*',
];

/** Options of the log key. */
export interface LogEncryptionKeyProps {
  /**
   * What happens to the key when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN - log groups kept after the stack (the default of a CDK
   * LogGroup) stay readable; a scheduled key deletion would make them unreadable for good
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A customer-managed KMS key for CloudWatch Logs (construct ID `Resource`), rotated yearly, whose
 * key policy lets the CloudWatch Logs service of this Region use it for this account's log groups
 * in this Region only (the `kms:EncryptionContext:aws:logs:arn` condition), beside CDK's default
 * statement that delegates the key to the account's IAM policies.
 *
 * Encrypt a scope's log groups with it: `Aspects.of(stack).add(new EncryptLogGroups(key.key))`,
 * or `key.encryptLogGroupsIn(stack)`.
 */
export class LogEncryptionKey extends Construct {
  /** The key: give it to `EncryptLogGroups` or a `LogGroup`'s `encryptionKey`. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogEncryptionKeyProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Resource', {
      description: `${this.node.path}: encrypts the CloudWatch Logs log groups of ${stack.stackName}`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
        // The regional principal the guide names: logs.<region>.amazonaws.com.
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [...CLOUDWATCH_LOGS_KEY_ACTIONS],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /** Encrypts every log group under `scope` (at synth, including those added later) with this key. */
  encryptLogGroupsIn(scope: IConstruct): void {
    Aspects.of(scope).add(new EncryptLogGroups(this.key));
  }
}

/**
 * A CDK Aspect that sets `KmsKeyId` on every `AWS::Logs::LogGroup` in its scope that has none,
 * so log groups added by any construct (now or later) are encrypted without each construct
 * taking a key. A Lambda function without an explicit log group gets a warning: Lambda would
 * create `/aws/lambda/<name>` itself at the first invocation, outside the template and unencrypted.
 */
export class EncryptLogGroups implements IAspect {
  constructor(private readonly key: kms.IKey) {}

  /** Sets the key on a log group without one; warns about a function without a log group of its own. */
  visit(node: IConstruct): void {
    if (node instanceof logs.CfnLogGroup) {
      if (node.kmsKeyId === undefined) node.kmsKeyId = this.key.keyArn;
    } else if (
      (node instanceof lambda.CfnFunction && !hasOwnLogGroup(node)) ||
      (node instanceof CfnResource && node.cfnResourceType === LAMBDA_FUNCTION && !(node instanceof lambda.CfnFunction) && !adopted.has(node))
    ) {
      Annotations.of(node).addWarningV2(
        'cdk-scaling-stack:unencryptedLambdaLogGroup',
        `This function has no log group of its own, so Lambda creates /aws/lambda/<name> at its first invocation without the stack's log key; give it one (lambda.Function's logGroup prop; for a custom resource provider's handler, adoptProviderLogGroups()) so EncryptLogGroups encrypts it.`,
      );
    }
  }
}

const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
/** Provider handlers given a log group by `adoptProviderLogGroups`. */
const adopted = new WeakSet<CfnResource>();

/**
 * Gives each Lambda function CDK's custom resource providers create under `scope` (a plain
 * `AWS::Lambda::Function` resource, such as the VPC's restrict-default-security-group handler)
 * a log group of its own (construct ID `LogGroup`, beside the handler) with `retention`: without
 * one, Lambda creates `/aws/lambda/<name>` at the first invocation, never expiring and outside the
 * stack's log key. Call it after the providers exist (at the end of a stack's constructor).
 */
export function adoptProviderLogGroups(scope: IConstruct, retention: logs.RetentionDays): logs.LogGroup[] {
  const groups: logs.LogGroup[] = [];
  for (const node of scope.node.findAll()) {
    if (!(node instanceof CfnResource) || node.cfnResourceType !== LAMBDA_FUNCTION || node instanceof lambda.CfnFunction || adopted.has(node))
      continue;
    const provider = node.node.scope as Construct;
    const group = new logs.LogGroup(provider, 'LogGroup', { retention, removalPolicy: RemovalPolicy.DESTROY });
    node.addPropertyOverride('LoggingConfig.LogGroup', group.logGroupName);
    adopted.add(node);
    groups.push(group);
  }
  return groups;
}

function hasOwnLogGroup(fn: lambda.CfnFunction): boolean {
  const config = fn.loggingConfig;
  if (config === undefined) return false;
  if (Token.isUnresolved(config)) return true;
  return (config as lambda.CfnFunction.LoggingConfigProperty).logGroup !== undefined;
}
