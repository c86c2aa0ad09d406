import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The subnet tiers of every VPC the stack creates, per AZ. Their names are part of the logical IDs
 * of subnets: renaming one replaces the subnets and everything in them.
 */
export const SUBNET_GROUPS: readonly ec2.SubnetConfiguration[] = [
  // The load balancer and NAT only: 251 addresses per AZ is plenty.
  { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
  // Fargate tasks and Lambda ENIs each take an address: /20 (4,091 per AZ) leaves room to scale out.
  { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
  // Database and cache: no route to or from the internet.
  { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
];
