import { Fn, Token, type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Problems } from './problems';

// Where ScalingStack's subnets go: the zones of the profile, given as names or as zone IDs
// (`-c availabilityZones`, ScalingStackProps.availabilityZones).

const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}[a-z]$/;
/** A zone ID, the same physical zone in every account: 'use1-az1', 'euw1-az3', 'usw2-lax1-az1'. */
const AZ_ID = /^[a-z]{2,4}\d{1,2}(-[a-z]+\d+)?-az\d{1,2}$/;

/** Whether `zone` is a zone ID ('use1-az1') rather than a name ('us-east-1a'). */
export function isZoneId(zone: string): boolean {
  return AZ_ID.test(zone);
}

/**
 * Zone IDs instead of names: the VPC was laid out with the IDs as its zone strings, so every subnet
 * is moved to `AvailabilityZoneId` (CloudFormation places it by the ID), and the instances in them
 * (the dev NAT instance) drop their `AvailabilityZone`, which their subnet decides anyway.
 */
export function placeByZoneId(stack: Stack, zoneIds: readonly string[]): void {
  for (const child of stack.node.findAll()) {
    if (child instanceof ec2.CfnSubnet && typeof child.availabilityZone === 'string' && zoneIds.includes(child.availabilityZone)) {
      child.addPropertyOverride('AvailabilityZoneId', child.availabilityZone);
      child.addPropertyDeletionOverride('AvailabilityZone');
    } else if (child instanceof ec2.CfnInstance && typeof child.availabilityZone === 'string' && zoneIds.includes(child.availabilityZone)) {
      child.addPropertyDeletionOverride('AvailabilityZone');
    }
  }
}

/** The stack's zones: `count` of the region's when none are given, else the given ones, checked. */
export function zonesFor(stack: Stack, count: number, explicit: string[] | undefined): string[] {
  if (explicit === undefined) {
    return Array.from({ length: count }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
  const p = new Problems(stack.node.path);
  p.check(
    explicit.length >= count,
    `availabilityZones lists ${explicit.length} zone(s) (${explicit.join(', ')}) but the profile needs ${count} (network.maxAzs); list ${count} zones or lower maxAzs`,
  );
  const ids = explicit.filter((az) => AZ_ID.test(az));
  p.check(
    ids.length === 0 || ids.length === explicit.length,
    `availabilityZones mixes zone IDs (${ids.join(', ')}) and zone names; give all as IDs ('use1-az1') or all as names ('us-east-1a')`,
  );
  for (const az of explicit) {
    p.check(
      AZ_NAME.test(az) || AZ_ID.test(az),
      `availabilityZones entry '${az}' is neither a zone name such as 'us-east-1a' nor a zone ID such as 'use1-az1'`,
    );
    if (!Token.isUnresolved(stack.region) && AZ_NAME.test(az)) {
      p.check(az.startsWith(stack.region), `availabilityZones entry '${az}' is not in the stack's region '${stack.region}'`);
    }
  }
  p.throwIfAny();
  return explicit.slice(0, count);
}
