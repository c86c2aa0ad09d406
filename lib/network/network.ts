import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { resolveProfile, type Profile, type ProfileName } from '../core/profiles';
import { Problems } from '../private/problems';
import { SUBNET_GROUPS } from './defaults';
import { retentionDays } from '../private/retention';

export interface NetworkProps {
  /**
   * Bring your own VPC. It needs public subnets in at least two AZs (for the load balancer) and
   * private subnets with egress in at least two (for tasks and workers); isolated subnets are used
   * for the data tier when present. Nothing is created in or added to it.
   *
   * @default - a new VPC sized by `profile`
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The profile (a name or a value) whose `network` and `observability` sections size the new VPC:
   * AZ count, NAT strategy, flow-log traffic and retention.
   *
   * @default 'dev'
   */
  readonly profile?: ProfileName | Profile;
}

/**
 * The VPC the stack runs in: public subnets for the load balancer, private subnets with egress for
 * Fargate tasks and Lambda workers, isolated subnets for the database and cache. NAT by profile
 * (one NAT instance in dev, gateways elsewhere), a free S3 gateway endpoint (image layers and
 * access logs skip NAT), flow logs with the profile's retention, and the default security group
 * stripped of all rules.
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
      const profile = resolveProfile(props.profile ?? 'dev');
      const vpc = this.createVpc(profile);
      this.vpc = vpc;
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: retentionDays(profile.observability.logRetentionDays) });
      vpc.addFlowLog('FlowLog', {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
        trafficType: ec2.FlowLogTrafficType[profile.network.flowLogTraffic],
      });
    }
    this.publicSubnets = { subnetType: ec2.SubnetType.PUBLIC };
    this.appSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.dataSubnets = {
      subnetType: this.vpc.isolatedSubnets.length >= 2 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    };
  }

  private createVpc(profile: Profile): ec2.Vpc {
    const net = profile.network;
    const natInstance = net.natStrategy === 'instance' ? natInstanceProvider(net.natInstanceType) : undefined;
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
    }
    return vpc;
  }
}

function natInstanceProvider(instanceType: string): ec2.NatInstanceProviderV2 {
  return ec2.NatProvider.instanceV2({
    instanceType: new ec2.InstanceType(instanceType),
    // Outbound only: the provider's own rule; inbound is opened to the VPC CIDR above.
    defaultAllowedTraffic: ec2.NatTrafficDirection.OUTBOUND_ONLY,
    // Public subnets do not hand out public IPs; the NAT instance needs one to reach the internet.
    associatePublicIpAddress: true,
  });
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
      reason: 'The dev NAT instance only forwards packets; detailed monitoring would add ~$2/month to a $7/month egress path whose health the workloads behind it already show.',
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
  p.check(azs(vpc.publicSubnets) >= 2,
    `vpc has public subnets in ${azs(vpc.publicSubnets)} AZ(s); the load balancer needs public subnets in at least 2 AZs. Add them, or let Network create the VPC`);
  p.check(azs(vpc.privateSubnets) >= 2,
    `vpc has private subnets with egress in ${azs(vpc.privateSubnets)} AZ(s); tasks and workers need them in at least 2 AZs (PRIVATE_WITH_EGRESS, routed through NAT). Add them, or let Network create the VPC`);
  p.throwIfAny();
}
