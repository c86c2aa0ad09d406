import { Match, Template } from 'aws-cdk-lib/assertions';
import { dev, PROFILE_NAMES, type ProfileName } from '../lib';
import { assetHashSerializer } from '../lib/testing';
import { scalingStack, testApp } from './helpers/app';
import { ScalingStack } from '../lib';

expect.addSnapshotSerializer(assetHashSerializer);

// One synthesis per profile, shared by every test in this file.
const templates = Object.fromEntries(
  PROFILE_NAMES.map((name) => [name, Template.fromStack(scalingStack({ profile: name }))]),
) as Record<ProfileName, Template>;

/**
 * Resource types that hold data or that everything else hangs off. Their logical IDs must never
 * change: CloudFormation would replace the resource, and with it the data.
 */
const STATEFUL_TYPES = [
  'AWS::EC2::VPC',
  'AWS::Logs::LogGroup',
  'AWS::RDS::DBInstance',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::SQS::Queue',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
];

function statefulLogicalIds(template: Template): Record<string, string[]> {
  const ids: Record<string, string[]> = {};
  for (const type of STATEFUL_TYPES) {
    const found = Object.keys(template.findResources(type)).sort();
    if (found.length > 0) ids[type] = found;
  }
  return ids;
}

describe('ScalingStack', () => {
  test.each(PROFILE_NAMES)('%s matches its snapshot (tripwire for unreviewed changes)', (name) => {
    expect(templates[name].toJSON()).toMatchSnapshot();
  });

  test('stateful resources keep their logical IDs in every profile', () => {
    for (const name of PROFILE_NAMES) {
      expect(statefulLogicalIds(templates[name])).toEqual({
        'AWS::EC2::VPC': ['NetworkVpc7FB7348F'],
        'AWS::Logs::LogGroup': ['NetworkFlowLogs2BEC3212', 'WorkerLogGroup67ABCFFE'],
        'AWS::SQS::Queue': ['WorkerDeadLetterQueue2879C389', 'WorkerQueue9380F652'],
      });
    }
  });

  test('prod spreads over three AZs without any lookup; dev and staging over two', () => {
    templates.prod.resourceCountIs('AWS::EC2::Subnet', 9);
    templates.prod.resourceCountIs('AWS::EC2::NatGateway', 3);
    templates.prod.hasResourceProperties('AWS::EC2::Subnet', {
      AvailabilityZone: { 'Fn::Select': [2, { 'Fn::GetAZs': '' }] },
    });
    templates.dev.resourceCountIs('AWS::EC2::Subnet', 6);
    templates.staging.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('explicit availability zones are used as given', () => {
    const stack = scalingStack({
      profile: 'prod', env: { region: 'eu-west-1' }, availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-1c' });
  });

  test('explicit availability zones that are too few or in another region are rejected together', () => {
    expect(() => scalingStack({ profile: 'prod', env: { region: 'eu-west-1' }, availabilityZones: ['us-east-1a', 'eu-west-1b'] })).toThrow(
      "ScalingStack-prod: 2 problems:\n  - availabilityZones lists 2 zone(s) (us-east-1a, eu-west-1b) but the profile needs 3 (network.maxAzs); list 3 zones or lower maxAzs\n  - availabilityZones entry 'us-east-1a' is not in the stack's region 'eu-west-1'",
    );
  });

  test('an invalid profile value stops the stack before any resource is made', () => {
    expect(() => scalingStack({ profile: { ...dev, web: { ...dev.web, minTasks: 3 } } })).toThrow(
      "profile 'dev': web.minTasks (3) must not exceed web.maxTasks (2)",
    );
  });

  test('an unknown profile name lists the valid ones', () => {
    expect(() => scalingStack({ profile: 'qa' as ProfileName })).toThrow(/unknown profile "qa"; valid profiles are dev, staging, prod/);
  });

  test('resources are tagged with the app and profile for cost allocation', () => {
    templates.staging.hasResourceProperties('AWS::EC2::VPC', {
      Tags: Match.arrayWith([{ Key: 'app', Value: 'cdk-scaling-stack' }, { Key: 'profile', Value: 'staging' }]),
    });
  });
});

describe('policy gates', () => {
  // The full synth, as `cdk synth` runs it: cdk-nag AwsSolutions and the built-in CloudFormation
  // validator both registered; any open finding makes synth throw.
  test.each(PROFILE_NAMES)('%s synthesizes with no open cdk-nag or validator finding', (name) => {
    const app = testApp({ nag: true, validation: true });
    new ScalingStack(app, `ScalingStack-${name}`, { profile: name });
    const assembly = app.synth();
    expect(assembly.getStackByName(`ScalingStack-${name}`).template.Resources).toBeDefined();
  });
});
