import { Match, Template } from 'aws-cdk-lib/assertions';
import { dev, PROFILE_NAMES, profiles, type ProfileName } from '../lib';
import { assetHashSerializer } from '../lib/testing';
import { scalingStack, testApp } from './helpers/app';
import { ScalingStack } from '../lib';

expect.addSnapshotSerializer(assetHashSerializer);

/** A CLOUDFRONT-scope web ACL of a us-east-1 stack, for stacks elsewhere. */
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

// One synthesis per profile, shared by every test in this file.
const templates = Object.fromEntries(PROFILE_NAMES.map((name) => [name, Template.fromStack(scalingStack({ profile: name }))])) as Record<
  ProfileName,
  Template
>;

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
  'AWS::DynamoDB::Table',
  'AWS::Backup::BackupVault',
];

/**
 * The generated database secret of the profiles without rotation. CDK names it after the stack
 * and a hash of the password rules, so a change to those rules replaces the secret (and the
 * password) on purpose; anything else must leave it alone.
 */
const GENERATED_DB_SECRET: Record<string, string> = {
  dev: 'ScalingStackdevDatabaseSecret388D6C8A3fdaad7efa858a3daf9490cf0a702aeb',
  staging: 'ScalingStackstagingDatabaseSecretDA211F2C3fdaad7efa858a3daf9490cf0a702aeb',
};

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
      const prod = name === 'prod';
      expect(statefulLogicalIds(templates[name])).toEqual({
        'AWS::EC2::VPC': ['NetworkVpc7FB7348F'],
        // Cache: engine log and customer-managed key in prod only.
        'AWS::Logs::LogGroup': [
          // prod: the log group of the function that creates the backup copy vault (issue 18).
          ...(prod ? ['BackupCopyVaultLogs7EFA48E7', 'CacheEngineLogFEAEB291'] : []),
          'CacheSlowLog43E55961',
          // CDK's default-security-group provider handler's own log (adoptProviderLogGroups).
          'CustomVpcRestrictDefaultSGCustomResourceProviderLogGroup8F67996D',
          // The database bootstrap's function and its Provider framework (issue 15).
          'DatabaseBootstrapLogGroupD909EEAA',
          'DatabaseBootstrapProviderLogGroupE8E16C7B',
          'DatabaseInsightsWorkerLogGroup775266CA',
          'DatabasePostgresqlLog95349A1F',
          'DatabaseUpgradeLog128D343E',
          'NetworkFlowLogs2BEC3212',
          'RightsizingWorkerLogGroupF7D16C84',
          'WebLogsD9759FC4',
          // The deployment smoke test's function, where the profile runs it (issue 16).
          ...(profiles[name].web.delivery.smokeTest ? ['WebSmokeTestLogs4F39EA45'] : []),
          'WorkerLogGroup67ABCFFE',
        ],
        'AWS::ElastiCache::ReplicationGroup': ['Cache18F6EE16'],
        'AWS::RDS::DBInstance': ['DatabaseF44359DD'],
        // prod lets RDS manage (and rotate) the master password: no generated secret of ours. The
        // bootstrap's role logins in every profile (issue 15).
        'AWS::SecretsManager::Secret': [
          'CacheAuthToken04672416',
          'DatabaseBootstrapApplicationSecret96EBA539',
          'DatabaseBootstrapMonitoringSecret9AB6744C',
          ...(prod ? [] : [GENERATED_DB_SECRET[name]]),
        ].sort(),
        // Customer-managed data keys in prod only; the alarm topic's key in every profile; the log
        // key where the profile encrypts logs (staging, prod).
        'AWS::KMS::Key': [
          ...(prod ? ['BackupKey570ED138', 'CacheKeyCDF9DE27', 'DatabaseKey5E5D9547', 'JobsIdempotencyKeyB284AAE3'] : []),
          ...(name === 'dev' ? [] : ['LogKey3EBDB3E8']),
          'MonitoringKey61F0DC42',
        ],
        // The jobs worker's idempotency records (a day's worth; a new ID would only forget them).
        'AWS::DynamoDB::Table': ['JobsIdempotency20CBA79B'],
        // The AWS Backup vault of the stack's region (issue 18), prod only.
        ...(prod ? { 'AWS::Backup::BackupVault': ['BackupVaultADF21B19'] } : {}),
        // The edge's access logs (issue 14).
        'AWS::S3::Bucket': ['EdgeAccessLogsC159D9EF', 'WebAccessLogs024BC47D', 'WebServerAccessLogsF068461A'],
        'AWS::SQS::Queue': [
          // The insight workers' dead-letter queues (failed scheduled runs).
          'DatabaseInsightsWorkerDeadLetterQueueC8E9CD4A',
          'RightsizingWorkerDeadLetterQueueCC701ED0',
          'WorkerDeadLetterQueue2879C389',
          'WorkerQueue9380F652',
        ],
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
      profile: 'prod',
      env: { region: 'eu-west-1' },
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      // Outside us-east-1 the edge takes its web ACL from a us-east-1 stack.
      edgeWebAclArn: WEB_ACL_ARN,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-1c' });
  });

  test('availability zones given as zone IDs place every subnet by ID, and the NAT instance by its subnet', () => {
    // GIVEN zone IDs: the same physical zones in every account (names are shuffled per account)
    const template = Template.fromStack(scalingStack({ profile: 'dev', availabilityZones: ['use1-az1', 'use1-az2'] }));
    // THEN every subnet is placed by AvailabilityZoneId, none by name
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(6);
    expect(new Set(subnets.map((s) => s.Properties.AvailabilityZoneId))).toEqual(new Set(['use1-az1', 'use1-az2']));
    expect(subnets.filter((s) => s.Properties.AvailabilityZone !== undefined)).toEqual([]);
    // AND the dev NAT instance takes its zone from its subnet
    template.hasResourceProperties('AWS::EC2::Instance', { AvailabilityZone: Match.absent(), InstanceType: 't4g.nano' });
  });

  test('zone IDs and names cannot be mixed, and an entry that is neither is named', () => {
    expect(() => scalingStack({ profile: 'dev', availabilityZones: ['use1-az1', 'us-east-1b', 'zone-9'] })).toThrow(
      "ScalingStack-dev: 2 problems:\n  - availabilityZones mixes zone IDs (use1-az1) and zone names; give all as IDs ('use1-az1') or all as names ('us-east-1a')\n  - availabilityZones entry 'zone-9' is neither a zone name such as 'us-east-1a' nor a zone ID such as 'use1-az1'",
    );
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

  test('the edge takes the domain, zone and certificate from the stack props, looking nothing up; the web service keeps the image', () => {
    // GIVEN a stack outside us-east-1: a domain in a zone given by ID and name, a us-east-1
    // certificate and a us-east-1 web ACL (CloudFront takes both from there only)
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
    // WHEN
    const stack = scalingStack({
      profile: 'staging',
      env: { account: '123456789012', region: 'eu-west-1' },
      image: 'ghcr.io/org/app:1.2.3',
      domainName: 'app.example.com',
      hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' },
      certificateArn,
      edgeWebAclArn: WEB_ACL_ARN,
    });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Image: 'ghcr.io/org/app:1.2.3' })]),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['app.example.com'],
        ViewerCertificate: Match.objectLike({ AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021' }),
        WebACLId: WEB_ACL_ARN,
      }),
    });
    // The load balancer has no certificate and no public name: the origin leg stays inside the VPC.
    template.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Port: 443 }, 0);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'app.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'app.example.com.', Type: 'AAAA' });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasOutput('WebUrl', { Value: 'https://app.example.com' });
    expect(stack.edge?.url).toBe('https://app.example.com');
  });

  test('resources are tagged with the app and profile for cost allocation', () => {
    templates.staging.hasResourceProperties('AWS::EC2::VPC', {
      Tags: Match.arrayWith([
        { Key: 'app', Value: 'cdk-scaling-stack' },
        { Key: 'profile', Value: 'staging' },
      ]),
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
