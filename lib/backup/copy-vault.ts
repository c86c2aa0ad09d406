import { ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { VaultLockNumbers } from '../core/backup';

// The vault in the second region, created by the stack itself so `cdk deploy -c profile=prod` stays
// one command (a second stack in the copy region would need `cdk deploy --all` and a cross-region
// reference). An AwsCustomResource calls AWS Backup in `region` at deploy time:
//   CreateBackupVault                 https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html
//   PutBackupVaultAccessPolicy        (refuse DeleteRecoveryPoint / UpdateRecoveryPointLifecycle to everyone)
//   PutBackupVaultLockConfiguration   https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
// Nothing is deleted with the stack: the vault holds the copies that must outlive it (and a vault
// with recovery points cannot be deleted). A re-run finds the vault there and goes on
// (AlreadyExistsException is ignored), so a stack deleted and deployed again adopts its old vault.

/** The actions the vault's access policy refuses to every principal, in both regions. */
export const DENIED_RECOVERY_POINT_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'];

export interface CopyVaultProps {
  readonly region: string;
  readonly vaultName: string;
  /** A KMS key in `region`; without it AWS Backup uses that region's `aws/backup` key. */
  readonly encryptionKeyArn?: string;
  readonly lock?: VaultLockNumbers;
  readonly logRetention: logs.RetentionDays;
}

/** A backup vault in another region, its deny-delete access policy and its lock. */
export class CopyVault extends Construct {
  readonly vaultArn: string;
  readonly region: string;
  /** The custom resources, in the order they run; the backup plan depends on them. */
  readonly calls: cr.AwsCustomResource[] = [];
  /**
   * The provider function's log group, with a name CloudFormation generates: the default
   * `/aws/lambda/<function>` group is the one Lambda itself creates on first use, which makes
   * CloudFormation's copy of it fail where Lambda got there first.
   */
  private readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CopyVaultProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.region = props.region;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.vaultArn = stack.formatArn({
      service: 'backup',
      region: props.region,
      resource: 'backup-vault',
      resourceName: props.vaultName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const keyArns = props.encryptionKeyArn
      ? [props.encryptionKeyArn]
      : [stack.formatArn({ service: 'kms', region: props.region, resource: 'key', resourceName: '*' })];
    const name = props.vaultName;

    const create = this.call('Create', {
      action: 'createBackupVault',
      parameters: { BackupVaultName: name, ...(props.encryptionKeyArn ? { EncryptionKeyArn: props.encryptionKeyArn } : {}) },
      ignoreErrorCodesMatching: 'AlreadyExistsException',
      statements: [
        new iam.PolicyStatement({ actions: ['backup:CreateBackupVault'], resources: [this.vaultArn] }),
        // CreateBackupVault also calls these on the caller's behalf (the service authorization
        // reference lists them as its dependent actions): the vault's storage and its key's grants.
        new iam.PolicyStatement({ actions: ['backup-storage:MountCapsule'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant', 'kms:GenerateDataKey', 'kms:Decrypt', 'kms:RetireGrant', 'kms:DescribeKey'],
          resources: keyArns,
          conditions: { StringEquals: { 'kms:ViaService': `backup.${props.region}.amazonaws.com` } },
        }),
      ],
    });

    const policy = this.call('AccessPolicy', {
      action: 'putBackupVaultAccessPolicy',
      parameters: {
        BackupVaultName: name,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: DENIED_RECOVERY_POINT_ACTIONS, Resource: '*' }],
        }),
      },
      statements: [new iam.PolicyStatement({ actions: ['backup:PutBackupVaultAccessPolicy'], resources: [this.vaultArn] })],
    });
    policy.node.addDependency(create);

    if (props.lock && props.lock.mode !== 'off') {
      const lock = this.call('Lock', {
        action: 'putBackupVaultLockConfiguration',
        parameters: {
          BackupVaultName: name,
          MinRetentionDays: props.lock.minRetentionDays,
          MaxRetentionDays: props.lock.maxRetentionDays,
          ...(props.lock.mode === 'compliance' ? { ChangeableForDays: props.lock.changeableForDays } : {}),
        },
        statements: [new iam.PolicyStatement({ actions: ['backup:PutBackupVaultLockConfiguration'], resources: [this.vaultArn] })],
      });
      lock.node.addDependency(policy);
    }
  }

  private call(
    id: string,
    options: { action: string; parameters: Record<string, unknown>; statements: iam.PolicyStatement[]; ignoreErrorCodesMatching?: string },
  ): cr.AwsCustomResource {
    const sdkCall: cr.AwsSdkCall = {
      service: 'Backup',
      action: options.action,
      region: this.region,
      parameters: options.parameters,
      physicalResourceId: cr.PhysicalResourceId.of(`${this.region}/${String(options.parameters.BackupVaultName)}/${id}`),
      ignoreErrorCodesMatching: options.ignoreErrorCodesMatching,
    };
    const resource = new cr.AwsCustomResource(this, id, {
      resourceType: 'Custom::BackupCopyVault',
      // Same call on create and update (a changed lock or key is applied again); nothing on delete.
      onCreate: sdkCall,
      onUpdate: sdkCall,
      policy: cr.AwsCustomResourcePolicy.fromStatements(options.statements),
      // The SDK in the Lambda runtime has AWS Backup: no download from npm at deploy time.
      installLatestAwsSdk: false,
      logGroup: this.logGroup,
    });
    this.calls.push(resource);
    return resource;
  }
}

/**
 * cdk-nag findings of the copy vault's custom resources, each for a reason of its own. The shared
 * function is aws-cdk-lib's (AwsCustomResource): its logging role is chosen there.
 */
export function acknowledgeCopyVaultFindings(scope: Construct, vault: CopyVault): void {
  const stack = Stack.of(scope);
  const create = vault.calls[0].node.tryFindChild('CustomResourcePolicy');
  if (create) {
    const why =
      "CreateBackupVault's dependent actions (service authorization reference): backup-storage:MountCapsule has no resource type, and the copy region's aws/backup key has an ID unknown at synth (its keys, only through AWS Backup in that region by the kms:ViaService condition).";
    Validations.of(create).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: why });
    // cdk-nag names the resource as synthesized: placeholders for a token, literals in a pinned stack.
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(create).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:${partition}:kms:${vault.region}:${account}:key/*]`, reason: why });
  }
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (provider) {
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "aws-cdk-lib's AwsCustomResource provider logs with AWSLambdaBasicExecutionRole (CloudWatch Logs writes only); it runs a few times per deployment.",
    });
  }
}
