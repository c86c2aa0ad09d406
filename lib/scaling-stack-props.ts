import type { StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type { Profile, ProfileName } from './core/profiles';

// ScalingStack's props and the tag it puts on every resource, apart from the stack that wires the
// constructs together.

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
   * Availability zones to spread the VPC over, as names (`['us-east-1a', 'us-east-1b']`) or as zone
   * IDs (`['use1-az1', 'use1-az2']`). Names map to different physical zones in each account; IDs are
   * the same everywhere, so a stack can avoid a zone that lacks an instance type or feature (in
   * us-east-1, use1-az3). Without them the stack takes the first `network.maxAzs` zones of its region
   * at deploy time (`Fn::GetAZs`), which needs no AWS lookup at synth and works for an
   * environment-agnostic stack.
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
   * The name viewers use, e.g. 'app.example.com'. With the edge it is the distribution's alias and
   * needs `hostedZone` (a certificate is issued, which needs the stack in us-east-1) or
   * `certificateArn` (a us-east-1 certificate); without the edge it is the load balancer's.
   *
   * @default - the distribution's own `*.cloudfront.net` name, over HTTPS
   */
  readonly domainName?: string;
  /**
   * The Route 53 hosted zone of `domainName`, by ID and name (no lookup at synth).
   *
   * @default - no DNS record, no issued certificate
   */
  readonly hostedZone?: route53.HostedZoneAttributes;
  /**
   * An existing ACM certificate for `domainName`: in us-east-1 for the edge (CloudFront takes
   * certificates from there only), in the stack's region without it.
   *
   * @default - issued and DNS-validated in `hostedZone` when one is given
   */
  readonly certificateArn?: string;
  /**
   * Put CloudFront (the `Edge`) in front of the load balancer. The load balancer is internal
   * either way: without the edge nothing outside the VPC reaches it.
   *
   * @default - the profile's `edge.enabled`
   */
  readonly edge?: boolean;
  /**
   * ARN of a CLOUDFRONT-scope web ACL (an `EdgeWebAcl` of a us-east-1 stack), for a stack in
   * another region, where the edge cannot create its own.
   *
   * @default - the edge creates a web ACL when the profile's `edge.webAcl` is on
   */
  readonly edgeWebAclArn?: string;
  /**
   * E-mail addresses subscribed to the alarm topic (each confirms by e-mail first).
   *
   * @default - none: subscribe endpoints to `monitoring.topic` yourself
   */
  readonly alarmEmails?: string[];
  /**
   * What the deployed budget counts. 'stack': only costs tagged with this stack's cost-allocation
   * tag (`STACK_COST_TAG` = the stack name, applied to every resource the stack creates), so
   * several profiles in one account each watch their own spend. 'account': every cost of the
   * account. The tag must be activated once as a cost-allocation tag in the Billing console
   * (docs/cost.md); until then a 'stack' budget sees no cost and never notifies.
   *
   * @default 'stack'
   */
  readonly budgetScope?: 'stack' | 'account';
}

/**
 * The cost-allocation tag key ScalingStack puts on every resource it creates, with the stack name
 * as the value; the deployed budget filters on it. A user-defined tag rather than the AWS-generated
 * `aws:cloudformation:stack-name`: both need the same one-time activation, and this one is also on
 * resources CloudFormation's own stack tags do not reach through CDK (the value is the same).
 */
export const STACK_COST_TAG = 'cdk-scaling-stack:stack';
