import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';

export interface PublisherOptions {
  /** The AWS service that publishes, e.g. 'cloudwatch.amazonaws.com'. */
  readonly servicePrincipal: string;
  /** The ARN pattern of the publishing resources in this account (the `aws:SourceArn` condition). */
  readonly sourceArn: string;
  /** Prefix of the statement IDs, e.g. 'AllowCloudWatchAlarms'. */
  readonly sid: string;
  /**
   * Whether the key statement carries the same source conditions as the topic statement. Only
   * where the service's own documentation shows them on the key policy: a KMS request that does
   * not carry the condition keys fails, and the service then drops every message silently. The
   * topic statement keeps the conditions either way, so no other account's resource may publish.
   *
   * @default true
   */
  readonly conditionsOnKey?: boolean;
}

/**
 * Lets an AWS service publish to `topic` and, when the topic is encrypted with a customer-managed
 * key, use that key: a service cannot publish to a topic under an AWS-managed key, and without the
 * key statement every message is dropped. Both statements are limited to this account's resources
 * (confused-deputy protection). Returns false when the topic or its key is imported, so its policy
 * cannot be changed here and the caller should tell the user.
 */
export function allowServiceToPublish(topic: sns.ITopic, options: PublisherOptions): boolean {
  const principal = new iam.ServicePrincipal(options.servicePrincipal);
  const conditions = {
    StringEquals: { 'aws:SourceAccount': Stack.of(topic).account },
    ArnLike: { 'aws:SourceArn': options.sourceArn },
  };
  const { statementAdded } = topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `${options.sid}ToPublish`,
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions,
    }),
  );
  const key = topic.masterKey?.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `${options.sid}ToUseTheTopicKey`,
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: (options.conditionsOnKey ?? true) ? conditions : undefined,
    }),
    true,
  );
  return statementAdded && (key === undefined || key.statementAdded);
}
