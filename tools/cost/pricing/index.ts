import type { CfnResource } from '../template';
import type { PricingContext, Priced } from './context';
import { cacheCluster, dbInstance, dbProxy, replicationGroup, serverlessCache } from './data';
import { ec2Instance, elasticIp, flowLog, natGateway, recordSet, vpcEndpoint } from './network';
import { alarm, compositeAlarm, dashboard, logGroup, snsSubscription, snsTopic } from './observability';
import { kmsKey, s3Bucket, secret, ssmParameter } from './security';
import { ecsCluster, ecsService, loadBalancer, scalingPolicy } from './web';
import { dynamoDbTable, eventSourceMapping, lambdaFunction, lambdaVersionOrAlias, sqsQueue } from './worker';
import { schedule } from './scheduler';
import { EDGE_PRICERS } from './edge';
import { samplingRule } from './tracing';
import { backupPlan } from './backup';

export type Pricer = (logicalId: string, resource: CfnResource, ctx: PricingContext) => Priced;

/** The resource types the tool prices, by CloudFormation type. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  'AWS::EC2::NatGateway': natGateway,
  'AWS::EC2::EIP': elasticIp,
  'AWS::EC2::Instance': ec2Instance,
  'AWS::EC2::VPCEndpoint': vpcEndpoint,
  'AWS::EC2::FlowLog': flowLog,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': loadBalancer,
  'AWS::ECS::Service': ecsService,
  'AWS::ECS::Cluster': ecsCluster,
  'AWS::ApplicationAutoScaling::ScalingPolicy': scalingPolicy,
  'AWS::RDS::DBInstance': dbInstance,
  'AWS::RDS::DBProxy': dbProxy,
  'AWS::ElastiCache::ReplicationGroup': replicationGroup,
  'AWS::ElastiCache::CacheCluster': cacheCluster,
  'AWS::ElastiCache::ServerlessCache': serverlessCache,
  'AWS::SQS::Queue': sqsQueue,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Version': lambdaVersionOrAlias,
  'AWS::Lambda::Alias': lambdaVersionOrAlias,
  'AWS::Lambda::EventSourceMapping': eventSourceMapping,
  'AWS::DynamoDB::Table': dynamoDbTable,
  'AWS::Logs::LogGroup': logGroup,
  'AWS::CloudWatch::Alarm': alarm,
  'AWS::CloudWatch::CompositeAlarm': compositeAlarm,
  'AWS::CloudWatch::Dashboard': dashboard,
  'AWS::SNS::Topic': snsTopic,
  'AWS::SNS::Subscription': snsSubscription,
  'AWS::SecretsManager::Secret': secret,
  'AWS::KMS::Key': kmsKey,
  'AWS::KMS::ReplicaKey': kmsKey,
  'AWS::S3::Bucket': s3Bucket,
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::Route53::RecordSet': recordSet,
  'AWS::Scheduler::Schedule': schedule,
  'AWS::XRay::SamplingRule': samplingRule,
  'AWS::Backup::BackupPlan': backupPlan,
  ...EDGE_PRICERS,
};
