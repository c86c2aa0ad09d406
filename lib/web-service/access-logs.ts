import { Aws, CfnCondition, CfnMapping, CfnResource, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';

/** The log-delivery service principal AWS documents for ALB access logs (required in regions from August 2022 on). */
const LOG_DELIVERY_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

/**
 * A bucket for logs: SSE-S3 (the only encryption ALB log delivery supports; SSE-KMS is rejected),
 * TLS-only, all public access blocked, ACLs disabled, objects expired after the log retention.
 * Retained on stack delete: logs outlive the stack, and the lifecycle rule still empties it.
 */
export function logBucket(scope: Construct, id: string, retention: RetentionDays): s3.Bucket {
  const days = Number(retention);
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'ExpireLogs',
        // RetentionDays.INFINITE (9999) keeps logs for good, as it does for log groups.
        expiration: days >= 9999 ? undefined : Duration.days(days),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  });
}

/**
 * Turns on access logs of `loadBalancer` into `bucket` under `prefix`, with the bucket policy the
 * ALB needs. CDK's `logAccessLogs()` refuses an environment-agnostic stack ("Region is required"),
 * because the documented writer depends on the region: the region's ELB account in regions older
 * than August 2022, the log-delivery service principal in all newer ones. Here the service
 * principal is always granted, and the ELB account as well where the region has one: picked at
 * synth when the region is known, at deploy time from a region map when it is not (for a region
 * without an ELB account that entry names the stack's own account, which grants nothing new).
 * Writes are limited to `<prefix>/AWSLogs/<this account>/`.
 */
export function enableAccessLogs(loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.Bucket, prefix: string): void {
  loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
  loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  loadBalancer.setAttribute('access_logs.s3.prefix', prefix);
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AlbAccessLogDelivery',
      actions: ['s3:PutObject'],
      principals: logDeliveryPrincipals(Stack.of(loadBalancer)),
      resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${Stack.of(loadBalancer).account}/*`)],
    }),
  );
  // The ALB checks that it may write when the attribute is set: the policy must exist first.
  const policy = bucket.policy?.node.defaultChild as CfnResource;
  (loadBalancer.node.defaultChild as CfnResource).addResourceDependency(policy);
}

function logDeliveryPrincipals(stack: Stack): iam.IPrincipal[] {
  if (!Token.isUnresolved(stack.region)) {
    const account = RegionInfo.get(stack.region).elbv2Account;
    return account
      ? [new iam.AccountPrincipal(account), new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)]
      : [new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)];
  }
  const map =
    (stack.node.tryFindChild('ElbLogDeliveryAccounts') as CfnMapping | undefined) ??
    new CfnMapping(stack, 'ElbLogDeliveryAccounts', {
      mapping: Object.fromEntries(RegionInfo.regions.map((region) => [region.name, { account: region.elbv2Account ?? 'none' }])),
    });
  const account = map.findInMap(Aws.REGION, 'account');
  const hasAccount =
    (stack.node.tryFindChild('ElbLogDeliveryHasAccount') as CfnCondition | undefined) ??
    new CfnCondition(stack, 'ElbLogDeliveryHasAccount', {
      expression: Fn.conditionNot(Fn.conditionEquals(account, 'none')),
    });
  const accountArn = Fn.conditionIf(
    hasAccount.logicalId,
    `arn:${Aws.PARTITION}:iam::${account}:root`,
    `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root`,
  );
  return [new iam.ArnPrincipal(Token.asString(accountArn)), new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)];
}

/**
 * The bucket that receives the S3 server access logs of the ALB log bucket. It is the end of the
 * chain: logging its own requests into itself would log every log write again, forever.
 */
export function serverAccessLogBucket(scope: Construct, id: string, retention: RetentionDays): s3.Bucket {
  const bucket = logBucket(scope, id, retention);
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'This bucket receives the S3 server access logs of the ALB access-log bucket; logging its own requests into itself would create a log record for every log write, without end. It holds only log objects written by the S3 logging service.',
  });
  return bucket;
}

/**
 * Sends the S3 server access logs of `source` to `destination` under `prefix`, granted by a bucket
 * policy. Done here rather than with `serverAccessLogsBucket`, whose grant depends on the app's
 * feature flags: without `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` it switches the
 * destination to ACLs, which its disabled ACLs (BucketOwnerEnforced) refuse at synth.
 */
export function logServerAccess(source: s3.Bucket, destination: s3.Bucket, prefix: string): void {
  (source.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: destination.bucketName,
    logFilePrefix: prefix,
  };
  destination.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'S3ServerAccessLogDelivery',
      actions: ['s3:PutObject'],
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      resources: [destination.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': source.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(source).account },
      },
    }),
  );
}
