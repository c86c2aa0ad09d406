// Builds a VerifyContext around a small template, with SDK clients whose calls tests mock.
import { dev, type Profile } from '../../../lib/core/profiles';
import { createClients } from '../../../tools/deploy-local/aws';
import { Checks } from '../../../tools/deploy-local/checks';
import { attributeReader, type DeployedStack } from '../../../tools/deploy-local/stack';
import { Resolver, type CfnTemplate } from '../../../tools/deploy-local/template';
import type { VerifyContext } from '../../../tools/deploy-local/verify';

export const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

export function verifyContext(
  template: CfnTemplate,
  physical: Record<string, string>,
  options: { profile?: Profile; outputs?: Record<string, string>; parameters?: Record<string, string>; placeholders?: string[] } = {},
): VerifyContext {
  // Port 9 (discard): every call is mocked, and one that is not fails fast instead of reaching anything.
  const clients = createClients('http://localhost:9');
  const physicalIds = new Map(Object.entries(physical));
  const stack: DeployedStack = {
    name: 'S',
    status: 'CREATE_COMPLETE',
    parameters: options.parameters ?? {},
    outputs: options.outputs ?? {},
    resources: Object.entries(physical).map(([logicalId, physicalId]) => ({
      logicalId,
      physicalId,
      type: template.Resources[logicalId]?.Type ?? '',
      status: 'CREATE_COMPLETE',
    })),
  };
  const resolver = new Resolver({
    template,
    physicalIds,
    parameters: stack.parameters,
    stackName: 'S',
    account: '123456789012',
    region: 'us-east-1',
    zones: ZONES,
    attribute: attributeReader(clients),
  });
  return {
    template,
    profile: options.profile ?? dev,
    stack,
    physicalIds,
    placeholders: new Set(options.placeholders),
    resolver,
    clients,
    checks: new Checks(),
  };
}

/** The failed checks as one line each, for exact assertions. */
export function failures(ctx: VerifyContext): string[] {
  return ctx.checks.failures.map(
    (c) => `${c.subject.logicalId} ${c.property}: ${JSON.stringify(c.actual)} vs ${JSON.stringify(c.expected)} (${c.source})`,
  );
}

const tags = (name: string, type: string) => [
  { Key: 'aws-cdk:subnet-name', Value: name },
  { Key: 'aws-cdk:subnet-type', Value: type },
];

/** A VPC like Network's: Public, App (private with egress) and Data (isolated) tiers over `azs` zones. */
export function networkTemplate(azs: number, extra: CfnTemplate['Resources'] = {}): CfnTemplate {
  const resources: Record<string, CfnTemplate['Resources'][string]> = {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    FlowLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Retain' },
    FlowLog: {
      Type: 'AWS::EC2::FlowLog',
      Properties: { ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'REJECT', LogGroupName: { Ref: 'FlowLogs' } },
    },
  };
  const tiers = [
    ['Public', 'Public', 0],
    ['App', 'Private', 16],
    ['Data', 'Isolated', 48],
  ] as const;
  for (const [name, type, base] of tiers) {
    for (let i = 1; i <= azs; i++) {
      resources[`${name}${i}`] = {
        Type: 'AWS::EC2::Subnet',
        Properties: {
          VpcId: { Ref: 'Vpc' },
          CidrBlock: `10.0.${base + i}.0/24`,
          AvailabilityZone: { 'Fn::Select': [i - 1, { 'Fn::GetAZs': '' }] },
          MapPublicIpOnLaunch: false,
          Tags: tags(name, type),
        },
      };
      resources[`${name}${i}Table`] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } };
      resources[`${name}${i}Association`] = {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { SubnetId: { Ref: `${name}${i}` }, RouteTableId: { Ref: `${name}${i}Table` } },
      };
    }
  }
  return { Resources: { ...resources, ...extra } };
}

/** Physical IDs for networkTemplate(azs): vpc-1, subnet-<logical>, rtb-<logical>. */
export function networkPhysicalIds(azs: number): Record<string, string> {
  const ids: Record<string, string> = { Vpc: 'vpc-1', FlowLogs: 'S-FlowLogs-ABC', FlowLog: 'fl-1' };
  for (const name of ['Public', 'App', 'Data']) {
    for (let i = 1; i <= azs; i++) {
      ids[`${name}${i}`] = `subnet-${name.toLowerCase()}${i}`;
      ids[`${name}${i}Table`] = `rtb-${name.toLowerCase()}${i}`;
      ids[`${name}${i}Association`] = `rtb-${name.toLowerCase()}${i}`;
    }
  }
  return ids;
}

/** What DescribeSubnets answers for networkTemplate(azs), deployed as the template says. */
export function deployedSubnets(azs: number) {
  const tiers = [
    ['Public', 0],
    ['App', 16],
    ['Data', 48],
  ] as const;
  return tiers.flatMap(([name, base]) =>
    Array.from({ length: azs }, (_, k) => ({
      SubnetId: `subnet-${name.toLowerCase()}${k + 1}`,
      VpcId: 'vpc-1',
      CidrBlock: `10.0.${base + k + 1}.0/24`,
      AvailabilityZone: ZONES[k],
      MapPublicIpOnLaunch: false,
    })),
  );
}
