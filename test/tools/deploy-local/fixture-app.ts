// A stand-in for the stack's constructs, deployed by `npm run deploy:local -- --fixture`: one of
// each resource type the deploy verifier checks (ALB + listener, ECS cluster, task definition and
// service, RDS instance + parameter group, SQS queue + DLQ, Lambda + SQS event source, outputs),
// sized from the profile exactly as the real constructs are, plus the types of constructs still to
// come (Monitoring: a KMS-encrypted SNS topic, alarms, a composite alarm, a dashboard; insight
// workers: an EventBridge Scheduler schedule in its group invoking a Lambda, with an SQS DLQ). It
// proves the verifiers, and moto_server.py's fixes and placeholders, before those constructs merge.
// Not part of the library.
import { App, CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Network } from '../../../lib/network';
import { networkPropsFor } from '../../../lib/profile-props';
import { profileFor } from '../../../lib/core/profiles';

const app = new App();
const profile = profileFor(app.node.tryGetContext('profile') ?? 'dev');
// Zones as ScalingStack takes them (Fn::GetAZs at deploy time): a plain Stack with a known region
// would look them up in the account at synth and write cdk.context.json.
class FixtureStack extends Stack {
  override get availabilityZones(): string[] {
    return Array.from({ length: profile.network.maxAzs }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
}
const stack = new FixtureStack(app, `DeployLocalFixture-${profile.name}`, {
  env: { account: app.node.tryGetContext('account'), region: app.node.tryGetContext('region') },
});
const network = new Network(stack, 'Network', networkPropsFor(profile));
const vpc = network.vpc;

// Web: ALB -> HTTP listener -> Fargate service, sized by profile.web.
const cluster = new ecs.Cluster(stack, 'Cluster', {
  vpc,
  enableFargateCapacityProviders: true,
  containerInsightsV2: profile.web.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
});
const taskDefinition = new ecs.FargateTaskDefinition(stack, 'TaskDefinition', {
  cpu: profile.web.cpu,
  memoryLimitMiB: profile.web.memoryMiB,
  runtimePlatform: {
    cpuArchitecture: ecs.CpuArchitecture.of(profile.web.cpuArchitecture),
    operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
  },
});
taskDefinition.addContainer('Web', {
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
  portMappings: [{ containerPort: 80 }],
  logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web', logRetention: profile.observability.logRetentionDays as logs.RetentionDays }),
});
const service = new ecs.FargateService(stack, 'Service', {
  cluster,
  taskDefinition,
  desiredCount: profile.web.minTasks,
  vpcSubnets: network.appSubnets,
  capacityProviderStrategies: [
    { capacityProvider: 'FARGATE', base: profile.web.onDemandBaseTasks, weight: profile.web.onDemandWeight },
    { capacityProvider: 'FARGATE_SPOT', weight: profile.web.spotWeight },
  ],
});
const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', {
  vpc,
  internetFacing: true,
  vpcSubnets: network.publicSubnets,
  deletionProtection: profile.web.deletionProtection,
});
const listener = loadBalancer.addListener('Http', { port: 80, open: true });
listener.addTargets('Web', { port: 80, targets: [service], healthCheck: { path: '/' } });

// Database: PostgreSQL with a tuned parameter group, sized by profile.database.
const parameterGroup = new rds.ParameterGroup(stack, 'Parameters', {
  engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_5 }),
  parameters: { log_min_duration_statement: '500', idle_in_transaction_session_timeout: '60000' },
});
const database = new rds.DatabaseInstance(stack, 'Database', {
  engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_5 }),
  instanceType: new ec2.InstanceType(profile.database.instanceClass.replace(/^db\./, '')),
  vpc,
  vpcSubnets: network.dataSubnets,
  parameterGroup,
  multiAz: profile.database.multiAz,
  allocatedStorage: profile.database.allocatedStorageGiB,
  maxAllocatedStorage: profile.database.maxAllocatedStorageGiB,
  storageType: rds.StorageType.GP3,
  storageEncrypted: true,
  storageEncryptionKey: profile.database.customerManagedKey ? new kms.Key(stack, 'DatabaseKey', { enableKeyRotation: true }) : undefined,
  // RDS manages (and rotates) the master password where the profile asks; else a generated secret.
  credentials: profile.database.rotateCredentials ? rds.Credentials.fromUsername('app') : rds.Credentials.fromGeneratedSecret('app'),
  manageMasterUserPassword: profile.database.rotateCredentials,
  iamAuthentication: true,
  backupRetention: Duration.days(profile.database.backupRetentionDays),
  // As the design says for every profile: a final snapshot on delete; prod adds deletion
  // protection, which deploy-local lifts (and says so) to finish its rehearsal.
  deletionProtection: profile.database.deletionProtection,
  removalPolicy: RemovalPolicy.SNAPSHOT,
});

// Worker: SQS + DLQ -> Lambda, sized by profile.worker.
const deadLetterQueue = new sqs.Queue(stack, 'DeadLetterQueue', { enforceSSL: true, retentionPeriod: Duration.days(14) });
const queue = new sqs.Queue(stack, 'Queue', {
  enforceSSL: true,
  visibilityTimeout: Duration.seconds(6 * profile.worker.timeoutSeconds),
  deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 3 },
});
const worker = new lambda.Function(stack, 'Worker', {
  runtime: lambda.Runtime.NODEJS_24_X,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
  memorySize: profile.worker.memoryMiB,
  timeout: Duration.seconds(profile.worker.timeoutSeconds),
  logGroup: new logs.LogGroup(stack, 'WorkerLogs', { retention: profile.observability.logRetentionDays as logs.RetentionDays }),
});
worker.addEventSource(
  new SqsEventSource(queue, {
    batchSize: profile.worker.batchSize,
    maxConcurrency: profile.worker.maxConcurrency,
    reportBatchItemFailures: true,
  }),
);

// Monitoring (to come): a KMS-encrypted, TLS-only alarm topic with an e-mail subscription, an alarm
// with an action, a composite alarm over it, and a dashboard that shows both (its body refers to
// the alarms' ARNs, so moto must answer Fn::GetAtt of a type it does not model).
const alarmKey = new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true });
const alarmTopic = new sns.Topic(stack, 'AlarmTopic', { masterKey: alarmKey, enforceSSL: true });
alarmTopic.addSubscription(new subscriptions.EmailSubscription('ops@example.com'));
const deadLetterAlarm = new cloudwatch.Alarm(stack, 'DeadLetterAlarm', {
  metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible(),
  threshold: 1,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
deadLetterAlarm.addAlarmAction(new actions.SnsAction(alarmTopic));
const serviceHealth = new cloudwatch.CompositeAlarm(stack, 'ServiceHealth', { alarmRule: cloudwatch.AlarmRule.anyOf(deadLetterAlarm) });
serviceHealth.addAlarmAction(new actions.SnsAction(alarmTopic));
const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard', {
  dashboardName: `DeployLocalFixture-${profile.name}`,
  widgets: [[new cloudwatch.AlarmWidget({ alarm: deadLetterAlarm }), new cloudwatch.AlarmStatusWidget({ alarms: [serviceHealth] })]],
});

// Insight workers (to come): a Lambda that EventBridge Scheduler invokes daily from the stack's
// schedule group, with an SQS dead-letter queue for invocations that fail; it publishes to the topic.
const scheduleDeadLetterQueue = new sqs.Queue(stack, 'ScheduleDeadLetterQueue', { enforceSSL: true, retentionPeriod: Duration.days(14) });
const advisor = new lambda.Function(stack, 'Advisor', {
  runtime: lambda.Runtime.NODEJS_24_X,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => undefined;'),
  timeout: Duration.minutes(5),
  environment: { ALARM_TOPIC_ARN: alarmTopic.topicArn },
  logGroup: new logs.LogGroup(stack, 'AdvisorLogs', { retention: profile.observability.logRetentionDays as logs.RetentionDays }),
});
alarmTopic.grantPublish(advisor);
const insights = new scheduler.ScheduleGroup(stack, 'Insights');
new scheduler.Schedule(stack, 'AdvisorSchedule', {
  schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
  scheduleGroup: insights,
  target: new schedulerTargets.LambdaInvoke(advisor, { deadLetterQueue: scheduleDeadLetterQueue, retryAttempts: 2 }),
});

new CfnOutput(stack, 'LoadBalancerDns', { value: loadBalancer.loadBalancerDnsName });
new CfnOutput(stack, 'QueueUrl', { value: queue.queueUrl });
new CfnOutput(stack, 'DatabaseEndpoint', { value: database.dbInstanceEndpointAddress });
new CfnOutput(stack, 'ClusterName', { value: cluster.clusterName });
new CfnOutput(stack, 'AlarmTopicArn', { value: alarmTopic.topicArn });
new CfnOutput(stack, 'ServiceHealthAlarmArn', { value: serviceHealth.alarmArn });
new CfnOutput(stack, 'DashboardName', { value: dashboard.dashboardName });
new CfnOutput(stack, 'InsightsScheduleGroup', { value: insights.scheduleGroupName });
