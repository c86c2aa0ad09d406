import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Tags, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { Cache } from './cache';
import { DEFAULT_IMAGE } from './defaults/web';
import { Database, databasePropsFor, checkConnectionBudget } from './database';
import { MonthlyBudget } from './cost';
import { Network } from './network';
import { WebService } from './web-service';
import { QueueWorker } from './queue-worker';
import { DatabaseInsights, RightsizingAdvisor } from './insights';
import { resolveProfile, validateProfile, type Profile, type ProfileName } from './profiles';
import { ConfigurationError, Problems } from './private/problems';

export interface ScalingStackProps extends StackProps {
  /** The environment profile (a name or a value) that sizes every construct in the stack. */
  readonly profile: ProfileName | Profile;
  /**
   * Bring your own VPC instead of the one the profile describes.
   *
   * @default - a new VPC from the profile's `network` section
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Availability zone names to spread the VPC over, e.g. `['us-east-1a', 'us-east-1b', 'us-east-1c']`.
   * Without them the stack takes the first `network.maxAzs` zones of its region at deploy time
   * (`Fn::GetAZs`), which needs no AWS lookup at synth and works for an environment-agnostic stack.
   *
   * @default - the region's first `maxAzs` zones, resolved at deploy time
   */
  readonly availabilityZones?: string[];
  /**
   * The web service's container image: a reference such as 'ghcr.io/org/app:1.2.3', or any
   * `ecs.ContainerImage`. It must be built for the profile's `web.cpuArchitecture` (or be multi-arch).
   *
   * @default - DEFAULT_IMAGE, a multi-arch NGINX that answers health checks on `/`
   */
  readonly image?: string | ecs.ContainerImage;
  /**
   * The name clients use, e.g. 'app.example.com'. Needs `hostedZone` (a DNS-validated certificate
   * and an alias record are created) or `certificateArn`.
   *
   * @default - the load balancer's DNS name, over plain HTTP
   */
  readonly domainName?: string;
  /**
   * The Route 53 hosted zone of `domainName`, by ID and name (no lookup at synth).
   *
   * @default - no DNS record, no issued certificate
   */
  readonly hostedZone?: route53.HostedZoneAttributes;
  /**
   * An existing ACM certificate for `domainName`, in the stack's region.
   *
   * @default - issued and DNS-validated in `hostedZone` when one is given
   */
  readonly certificateArn?: string;
}

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
  /** The ALB and the auto-scaling Fargate service behind it. */
  readonly web: WebService;
  /** RDS PostgreSQL in the network's data subnets, sized and tuned by the profile's `database` section. */
  readonly database: Database;
  /**
   * The jobs worker: SQS queue + dead-letter queue + Lambda (`lambda/jobs`). Producers send with
   * `worker.grantSend(role)` and the queue URL; open the data ports with
   * `database.connections.allowDefaultPortFrom(worker)`.
   */
  readonly worker: QueueWorker;
  /**
   * The AWS Budgets budget at the profile's `cost.monthlyBudgetUsd` (the figure `npm run cost --
   * --check` holds the synthesized baseline to). Account-wide: it counts every cost of the account.
   */
  readonly budget: MonthlyBudget;
  /**
   * The right-sizing advisor: daily, it reads 14 days of the stack's metrics and recommends
   * changes to the profile. `rightsizing.notify(alarmTopic)` sends its report to the alarm topic.
   */
  readonly rightsizing: RightsizingAdvisor;
  /** The database insights worker: every 15 minutes, slow statements, index candidates and sessions as metrics. */
  readonly databaseInsights: DatabaseInsights;

  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: ScalingStackProps) {
    const profile = resolveProfile(props.profile);
    super(scope, id, {
      description: `cdk-scaling-stack (${profile.name}): ALB + Fargate, RDS PostgreSQL, ElastiCache Valkey, SQS workers, CloudWatch alarms`,
      ...props,
    });
    validateProfile(profile);
    this.profile = profile;
    this.zones = zonesFor(this, profile.network.maxAzs, props.availabilityZones);

    Tags.of(this).add('app', 'cdk-scaling-stack');
    Tags.of(this).add('profile', profile.name);

    this.network = new Network(this, 'Network', { profile, vpc: props.vpc });

    // --- cache -------------------------------------------------------------------------------
    // Sized by the profile's cache section. Nothing reaches it until a client is allowed in with
    // this.cache.connections.allowDefaultPortFrom(...).
    this.cache = new Cache(this, 'Cache', { vpc: this.network.vpc, vpcSubnets: this.network.dataSubnets, profile });
    // --- end cache ---------------------------------------------------------------------------
    // ---- Web service: ALB + auto-scaling Fargate -----------------------------------------------
    // Sized from the profile's web section (its field names are WebService's props). The database
    // and cache endpoints and credentials (APP_ENVIRONMENT) are wired in once those constructs exist.
    this.web = new WebService(this, 'Web', {
      ...profile.web,
      vpc: this.network.vpc,
      loadBalancerSubnets: this.network.publicSubnets,
      taskSubnets: this.network.appSubnets,
      image: typeof props.image === 'string' || props.image === undefined
        ? ecs.ContainerImage.fromRegistry(props.image ?? DEFAULT_IMAGE)
        : props.image,
      logRetention: profile.observability.logRetention,
      domainName: props.domainName,
      hostedZone: props.hostedZone && route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', props.hostedZone),
      certificate: props.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined,
    });
    new CfnOutput(this, 'WebUrl', { description: 'Where the web service answers', value: this.web.url });
    // ---- end web service ------------------------------------------------------------------------
    // ---- database (issue #4) ------------------------------------------------------------------
    this.database = new Database(this, 'Database', {
      vpc: this.network.vpc,
      vpcSubnets: this.network.dataSubnets,
      ...databasePropsFor(profile),
    });
    const budget = checkConnectionBudget({
      maxConnections: this.database.maxConnections,
      instanceClass: profile.database.instanceClass,
      webMaxTasks: profile.web.maxTasks,
      poolSizePerWebTask: profile.database.poolSizePerWebTask,
      workerMaxConcurrency: profile.worker.maxConcurrency,
      poolSizePerWorker: profile.database.poolSizePerWorker,
      proxyMaxConnectionsPercent: this.database.proxyMaxConnectionsPercent,
    });
    if (budget.problems.length > 0) throw new ConfigurationError(this.database.node.path, budget.problems);
    // Profiles that are not production keep the database single-AZ and deletable on purpose;
    // validateProfile() refuses either for a production profile.
    if (!profile.database.multiAz) {
      Validations.of(this.database.instance).acknowledge({
        id: 'AwsSolutions-RDS3',
        reason: `Profile '${profile.name}' is not production: a single-AZ ${profile.database.instanceClass} halves the instance bill, and an AZ outage costs it downtime, not data (backups, final snapshot). validateProfile() requires Multi-AZ in production.`,
      });
    }
    if (!profile.database.deletionProtection) {
      Validations.of(this.database.instance).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: `Profile '${profile.name}' is not production: its stack must be deletable; a final snapshot is still taken on delete. validateProfile() requires deletion protection in production.`,
      });
    }
    if (!profile.database.rotateCredentials) {
      Validations.of(this.database.instance.node.findChild('Secret')).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: `Profile '${profile.name}' is not production: its clients connect straight to the instance with the password they read at start, which a rotation would break every 7 days. validateProfile() requires rotation in production, where clients use IAM tokens through RDS Proxy.`,
      });
    }
    // ---- end database -------------------------------------------------------------------------
    // ---- worker: the jobs queue and its Lambda worker, in the app subnets ----
    this.worker = new QueueWorker(this, 'Worker', {
      entry: QueueWorker.jobsEntry(),
      serviceName: 'jobs',
      vpc: this.network.vpc,
      vpcSubnets: this.network.appSubnets,
      memoryMiB: profile.worker.memoryMiB,
      timeout: Duration.seconds(profile.worker.timeoutSeconds),
      batchSize: profile.worker.batchSize,
      maxConcurrency: profile.worker.maxConcurrency,
      logRetention: profile.observability.logRetention,
      // Production keeps waiting and dead-lettered jobs if the stack is ever deleted.
      removalPolicy: profile.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // What producers and the operator's redrive procedure (README, "Jobs worker") need.
    new CfnOutput(this, 'JobsQueueUrl', { value: this.worker.queue.queueUrl, description: 'Send jobs { id, type, payload } here' });
    new CfnOutput(this, 'JobsDeadLetterQueueArn', {
      value: this.worker.deadLetterQueue.queueArn,
      description: 'Failed jobs; redrive with aws sqs start-message-move-task --source-arn <this>',
    });
    // ---- end worker ----
    // --- Cost (#8) -------------------------------------------------------------------------------
    // The profile's monthly budget, deployed. It notifies no one until a topic is given:
    // `this.budget.notifyTopic(alarmTopic)` also lets AWS Budgets publish to that topic.
    this.budget = new MonthlyBudget(this, 'Budget', { limitUsd: profile.cost.monthlyBudgetUsd });
    // --- end Cost ----------------------------------------------------------------------------------
    // ---- insights (issue #10): the right-sizing advisor and the database insights worker ----------
    // The advisor reads the metrics of everything above (cloudwatch:GetMetricData only) and judges
    // its advice by this profile's safety rules. Its topic (the alarm topic) is wired with Monitoring.
    this.rightsizing = new RightsizingAdvisor(this, 'Rightsizing', {
      profile,
      web: this.web,
      database: this.database,
      cache: this.cache,
      worker: this.worker,
      logRetention: profile.observability.logRetention,
    });
    // The insights worker connects to the instance itself from the app subnets, with the master
    // credentials' secret: statistics are per instance, and with a proxy (prod) `database.connections`
    // is the proxy's security group, which admits IAM tokens only.
    this.databaseInsights = new DatabaseInsights(this, 'DatabaseInsights', {
      vpc: this.network.vpc,
      vpcSubnets: this.network.appSubnets,
      instance: this.database.instance,
      databaseName: this.database.databaseName,
      secret: this.database.secret,
      logRetention: profile.observability.logRetention,
    });
    this.database.instance.connections.allowDefaultPortFrom(this.databaseInsights, 'the database insights worker');
    // ---- end insights ------------------------------------------------------------------------------
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

const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}[a-z]$/;

function zonesFor(stack: Stack, count: number, explicit: string[] | undefined): string[] {
  if (explicit === undefined) {
    return Array.from({ length: count }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
  const p = new Problems(stack.node.path);
  p.check(explicit.length >= count,
    `availabilityZones lists ${explicit.length} zone(s) (${explicit.join(', ')}) but the profile needs ${count} (network.maxAzs); list ${count} zones or lower maxAzs`);
  for (const az of explicit) {
    p.check(AZ_NAME.test(az), `availabilityZones entry '${az}' is not a zone name such as 'us-east-1a'`);
    if (!Token.isUnresolved(stack.region) && AZ_NAME.test(az)) {
      p.check(az.startsWith(stack.region), `availabilityZones entry '${az}' is not in the stack's region '${stack.region}'`);
    }
  }
  p.throwIfAny();
  return explicit.slice(0, count);
}
