import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * The bucket of the distribution's standard (legacy) access logs: SSE-S3, TLS-only, all public
 * access blocked, objects expired after `retentionDays`, retained on stack delete (logs outlive the
 * stack; the lifecycle rule still empties it).
 *
 * Why legacy logging to S3 rather than CloudFront's standard logging v2 (to CloudWatch Logs, S3 or
 * Firehose): v2 delivers through CloudWatch vended logs, billed per GB delivered (the vended-log
 * rates of PRICES.md §1: $0.50/GB into CloudWatch Logs, $0.25/GB into S3), where legacy delivery to
 * S3 has no delivery charge; its AWS::Logs::DeliverySource for a distribution belongs in us-east-1,
 * CloudFront's home region, the same bind as the web ACL; and aws-cdk-lib 2.276 offers it only as L1
 * resources, not on the Distribution L2. Legacy logs need ACLs on the bucket (CloudFront's
 * log-delivery account writes with an ACL grant, docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html),
 * hence OBJECT_WRITER ownership; the public-access block still refuses any public grant. CloudFront
 * delivers no legacy logs to buckets in opt-in regions (af-south-1, ap-east-1, ...; same page).
 */
export function accessLogBucket(scope: Construct, retentionDays: number): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'ExpireLogs',
        expiration: Duration.days(retentionDays),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'This bucket only receives CloudFront access logs from the log-delivery service; its own S3 server access logs would record every log delivery again, in another bucket that would need the same exemption.',
  });
  return bucket;
}
