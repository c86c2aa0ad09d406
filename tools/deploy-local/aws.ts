// SDK clients pointed at the emulator, and nowhere else.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

/** moto's default account: every deploy is pinned to it, and a server answering with another is refused. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** moto accepts any credentials; these make sure no real ones are ever sent. */
export const FAKE_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

export interface Clients {
  readonly cloudformation: CloudFormationClient;
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecs: ECSClient;
  readonly rds: RDSClient;
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly logs: CloudWatchLogsClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
}

/** Clients for every service the verifiers read, each with the emulator's endpoint and fake keys. */
export function createClients(endpoint: string): Clients {
  return clientsFor({ endpoint, region: REGION, credentials: FAKE_CREDENTIALS, maxAttempts: 2 });
}

/**
 * The same clients with any configuration; `npm run verify` uses the SDK's default chains for a
 * real account (credentials, region, and AWS_ENDPOINT_URL for the emulator).
 */
export function clientsFor(config: { endpoint?: string; region?: string; credentials?: typeof FAKE_CREDENTIALS; maxAttempts?: number }): Clients {
  return {
    cloudformation: new CloudFormationClient(config),
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    ecs: new ECSClient(config),
    rds: new RDSClient(config),
    sqs: new SQSClient(config),
    lambda: new LambdaClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudwatch: new CloudWatchClient(config),
    sns: new SNSClient(config),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    // Path-style: bucket names stay in the path, so every call goes to the emulator's host.
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sts: new STSClient(config),
  };
}

/** The name of an SDK error, or '' for anything else. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}
