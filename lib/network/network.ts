import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CfnWaitCondition, CfnWaitConditionHandle, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { NatStrategy } from '../core/profiles';
import { checkNetworkSettings } from '../core/profiles/rules';
import { Problems } from '../private/problems';
import { SUBNET_GROUPS } from './defaults';
import { NAT_BOOTSTRAP_DIGEST, NAT_BOOTSTRAP_TIMEOUT_SECONDS, natBootstrapScript } from './nat-bootstrap';

export interface NetworkProps {
  /**
   * Bring your own VPC. It needs public subnets in at least two AZs (for the load balancer) and
   * private subnets with egress in at least two (for tasks and workers); isolated subnets are used
   * for the data tier when present. Nothing is created in or added to it.
   *
   * @default - a new VPC from the props below
   */
  readonly vpc?: ec2.IVpc;
  /**
   * IPv4 CIDR of the new VPC (a /16 to /20: three subnet tiers per AZ).
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability zones the new VPC spans: 2 or 3. Two is the least a load balancer accepts; three
   * keeps two thirds of capacity through the loss of an AZ (availability is opt-in).
   *
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * How private subnets reach the internet: one NAT `instance` (the cheapest that works, one AZ,
   * no managed failover) or NAT `gateway`s. The instance's bootstrap retries its package install
   * and signals CloudFormation, which fails the deploy at the instance, with the reason, when NAT
   * does not come up (lib/network/nat-bootstrap.ts).
   *
   * @default 'instance'
   */
  readonly natStrategy?: NatStrategy;
  /**
   * NAT gateways with natStrategy 'gateway': 1 (shared) up to maxAzs (one per AZ, so one AZ's
   * outage cannot cut the others' egress).
   *
   * @default 1
   */
  readonly natGateways?: number;
  /**
   * Instance type of the NAT instance (natStrategy 'instance').
   *
   * @default 't4g.nano'
   */
  readonly natInstanceType?: string;
  /**
   * Which flows the VPC flow logs record: 'REJECT' (cheap; shows blocked paths) or 'ALL' (forensics).
   *
   * @default 'REJECT'
   */
  readonly flowLogTraffic?: 'ALL' | 'REJECT';
  /**
   * How long the flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_WEEK
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/** Network's defaults for a construct used alone: the smallest VPC that works (see the props). */
const DEFAULTS = {
  cidr: '10.0.0.0/16',
  maxAzs: 2,
  natStrategy: 'instance',
  natGateways: 1,
  natInstanceType: 't4g.nano',
  flowLogTraffic: 'REJECT',
  flowLogRetention: logs.RetentionDays.ONE_WEEK,
} as const;

type NetworkSettings = Required<Omit<NetworkProps, 'vpc' | 'flowLogRetention'>>;

/**
 * The VPC the stack runs in: public subnets for the load balancer, private subnets with egress for
 * Fargate tasks and Lambda workers, isolated subnets for the database and cache. One NAT instance
 * by default or NAT gateways, a free S3 gateway endpoint (image layers and access logs skip NAT),
 * flow logs, and the default security group stripped of all rules.
 */
export class Network extends Construct {
  readonly vpc: ec2.IVpc;
  /** Where the load balancer goes. */
  readonly publicSubnets: ec2.SubnetSelection;
  /** Where tasks and workers go: private, with egress through NAT. */
  readonly appSubnets: ec2.SubnetSelection;
  /** Where the database and cache go: isolated when the VPC has such subnets, else private. */
  readonly dataSubnets: ec2.SubnetSelection;
  /** The flow-log group, when this construct created the VPC. */
  readonly flowLogGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    if (props.vpc) {
      this.vpc = props.vpc;
      checkExistingVpc(this, props.vpc);
    } else {
      const settings = {
        cidr: props.cidr ?? DEFAULTS.cidr,
        maxAzs: props.maxAzs ?? DEFAULTS.maxAzs,
        natStrategy: props.natStrategy ?? DEFAULTS.natStrategy,
        natGateways: props.natGateways ?? DEFAULTS.natGateways,
        natInstanceType: props.natInstanceType ?? DEFAULTS.natInstanceType,
        flowLogTraffic: props.flowLogTraffic ?? DEFAULTS.flowLogTraffic,
      };
      const p = new Problems(this.node.path);
      checkNetworkSettings(p, settings, '');
      p.throwIfAny();
      const vpc = this.createVpc(settings);
      this.vpc = vpc;
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: props.flowLogRetention ?? DEFAULTS.flowLogRetention });
      vpc.addFlowLog('FlowLog', {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
        trafficType: ec2.FlowLogTrafficType[settings.flowLogTraffic],
      });
    }
    this.publicSubnets = { subnetType: ec2.SubnetType.PUBLIC };
    this.appSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.dataSubnets = {
      subnetType: this.vpc.isolatedSubnets.length >= 2 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    };
  }

  private createVpc(net: NetworkSettings): ec2.Vpc {
    // The instance signals this handle when NAT works, or why it does not (see nat-bootstrap.ts).
    const bootstrapHandle = net.natStrategy === 'instance' ? new CfnWaitConditionHandle(this, 'NatBootstrapHandle') : undefined;
    const natInstance = bootstrapHandle ? natInstanceProvider(net.natInstanceType, bootstrapHandle) : undefined;
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(net.cidr),
      maxAzs: net.maxAzs,
      natGatewayProvider: natInstance ?? ec2.NatProvider.gateway(),
      natGateways: natInstance ? 1 : net.natGateways,
      subnetConfiguration: SUBNET_GROUPS.map((group) => ({ ...group })),
      // S3 through a gateway endpoint costs nothing and keeps image layers and logs off the NAT.
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    if (natInstance) {
      // The instance forwards traffic for the VPC only; nothing from the internet may start a flow.
      natInstance.connections.allowFrom(ec2.Peer.ipv4(net.cidr), ec2.Port.allTraffic(), 'NAT for hosts in the VPC');
      hardenNatInstances(vpc);
      this.waitForNatBootstrap(natInstance, bootstrapHandle!);
    }
    return vpc;
  }

  /**
   * The deploy waits for the NAT instance's signal, and fails with its reason. The instance and both
   * wait-condition resources carry the bootstrap's digest in their logical IDs, as aws-cdk-lib's
   * `userDataCausesReplacement` does for an instance: user data runs once per instance, so a changed
   * bootstrap needs a new instance to run on, and a wait condition that has completed never waits
   * again, so the new instance needs a new one to signal.
   */
  private waitForNatBootstrap(provider: ec2.NatInstanceProviderV2, handle: CfnWaitConditionHandle): void {
    const [instance] = provider.gatewayInstances;
    const cfnInstance = instance.node.defaultChild as ec2.CfnInstance;
    const condition = new CfnWaitCondition(this, 'NatBootstrap', {
      handle: handle.ref,
      count: 1,
      timeout: String(NAT_BOOTSTRAP_TIMEOUT_SECONDS),
    });
    // The timeout runs from the condition's creation: start it once the instance exists.
    condition.node.addDependency(cfnInstance);
    for (const resource of [cfnInstance, handle, condition]) withBootstrapDigest(resource);
  }
}

function natInstanceProvider(instanceType: string, bootstrapHandle: CfnWaitConditionHandle): ec2.NatInstanceProviderV2 {
  return ec2.NatProvider.instanceV2({
    instanceType: new ec2.InstanceType(instanceType),
    // aws-cdk-lib's default commands, retried, checked and signalled (nat-bootstrap.ts).
    userData: ec2.UserData.custom(natBootstrapScript(bootstrapHandle.ref)),
    // Outbound only: the provider's own rule; inbound is opened to the VPC CIDR above.
    defaultAllowedTraffic: ec2.NatTrafficDirection.OUTBOUND_ONLY,
    // Public subnets do not hand out public IPs; the NAT instance needs one to reach the internet.
    associatePublicIpAddress: true,
  });
}

/** Appends the bootstrap's digest to a resource's logical ID (see Network.waitForNatBootstrap). */
function withBootstrapDigest(resource: CfnElement): void {
  resource.overrideLogicalId(`${Stack.of(resource).getLogicalId(resource)}${NAT_BOOTSTRAP_DIGEST}`);
}

/** Encrypts the NAT instance's root volume and records why two EC2 rules do not apply to it. */
function hardenNatInstances(vpc: ec2.Vpc): void {
  for (const subnet of vpc.publicSubnets) {
    const instance = subnet.node.tryFindChild('NatInstance') as ec2.Instance | undefined;
    if (!instance) continue;
    const cfn = instance.node.defaultChild as ec2.CfnInstance;
    // AL2023's root device; encrypted with the account's default EBS key.
    cfn.blockDeviceMappings = [{ deviceName: '/dev/xvda', ebs: { encrypted: true, volumeType: 'gp3' } }];
    Validations.of(instance).acknowledge({
      id: 'AwsSolutions-EC28',
      reason:
        'The dev NAT instance only forwards packets; detailed monitoring would add ~$2/month to a $7/month egress path whose health the workloads behind it already show.',
    });
    Validations.of(instance).acknowledge({
      id: 'AwsSolutions-EC29',
      reason: 'The dev NAT instance holds no state and CloudFormation replaces it; termination protection would make every stack delete fail.',
    });
  }
}

/** An existing VPC must have the subnets the stack places resources in. */
function checkExistingVpc(scope: Construct, vpc: ec2.IVpc): void {
  const p = new Problems(scope.node.path);
  const azs = (subnets: ec2.ISubnet[]) => new Set(subnets.map((s) => s.availabilityZone)).size;
  p.check(
    azs(vpc.publicSubnets) >= 2,
    `vpc has public subnets in ${azs(vpc.publicSubnets)} AZ(s); the load balancer needs public subnets in at least 2 AZs. Add them, or let Network create the VPC`,
  );
  p.check(
    azs(vpc.privateSubnets) >= 2,
    `vpc has private subnets with egress in ${azs(vpc.privateSubnets)} AZ(s); tasks and workers need them in at least 2 AZs (PRIVATE_WITH_EGRESS, routed through NAT). Add them, or let Network create the VPC`,
  );
  p.throwIfAny();
}
