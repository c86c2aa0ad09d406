import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { allowServiceToPublish } from '../private/topic-access';

// Where alarms go: the alarm topic (encrypted with its own key, TLS only), its e-mail
// subscriptions, and the policies that let CloudWatch publish to a topic and use its key.

/**
 * The default alarm topic, created under `scope` as `Key` and `Topic`: encrypted with a
 * customer-managed key, because CloudWatch cannot publish to a topic under the AWS-managed SNS key.
 */
export function createAlarmTopic(scope: Construct): sns.Topic {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, 'Key', {
    description: `${scope.node.path}: encrypts the alarm notifications of ${stack.stackName}`,
    enableKeyRotation: true,
    // The key protects messages in flight only, nothing at rest: deleting it with the stack
    // loses nothing, and a retained key would bill $1 a month forever.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  return new sns.Topic(scope, 'Topic', {
    displayName: `${stack.stackName} alarms`.slice(0, 100),
    masterKey: key,
    enforceSSL: true,
  });
}

/**
 * An alarm action that publishes to `topic`, after letting CloudWatch alarms of this account
 * publish there (and use the topic's key). An imported topic or key cannot be changed from here:
 * a warning on `scope` says what to allow by hand, since otherwise every notification is dropped.
 */
export function topicAction(scope: Construct, topic: sns.ITopic): cloudwatch.IAlarmAction {
  const allowed = allowServiceToPublish(topic, {
    servicePrincipal: 'cloudwatch.amazonaws.com',
    sourceArn: Stack.of(topic).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    sid: 'AllowCloudWatchAlarms',
  });
  if (!allowed) {
    Annotations.of(scope).addWarningV2(
      'cdk-scaling-stack:alarmTopicPolicy',
      `The topic ${topic.node.path} (or its key) is imported, so its policy cannot be changed here: allow cloudwatch.amazonaws.com to sns:Publish to it and to use its KMS key, or every alarm notification is dropped.`,
    );
  }
  return new actions.SnsAction(topic);
}

/** Subscribes each address to `topic`; each receives a confirmation e-mail first. */
export function subscribeEmails(topic: sns.ITopic, emails: readonly string[]): void {
  for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
}

/** A topic rather than an alarm action (an action has `bind()`, a topic an ARN). */
export function isTopic(target: sns.ITopic | cloudwatch.IAlarmAction): target is sns.ITopic {
  return 'topicArn' in target;
}
