import { Fn, Stack, Tags, Token, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { MonthlyBudget } from './cost';
import { Network } from './network';
import { resolveProfile, validateProfile, type Profile, type ProfileName } from './profiles';
import { Problems } from './private/problems';

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
}

/**
 * The whole backend in one stack, sized by a profile. Each construct is a public field, so a user
 * can read it, extend it or attach more to it.
 */
export class ScalingStack extends Stack {
  /** The resolved, validated profile. */
  readonly profile: Profile;
  readonly network: Network;
  /**
   * The AWS Budgets budget at the profile's `cost.monthlyBudgetUsd` (the figure `npm run cost --
   * --check` holds the synthesized baseline to). Account-wide: it counts every cost of the account.
   */
  readonly budget: MonthlyBudget;

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

    // --- Cost (#8) -------------------------------------------------------------------------------
    // The profile's monthly budget, deployed. It notifies no one until a topic is given:
    // `this.budget.notifyTopic(alarmTopic)` also lets AWS Budgets publish to that topic.
    this.budget = new MonthlyBudget(this, 'Budget', { limitUsd: profile.cost.monthlyBudgetUsd });
    // --- end Cost ----------------------------------------------------------------------------------
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
