import { inventory, NOT_MODELLED, PLACEHOLDER, skippedTypeCount } from '../../../tools/deploy-local/inventory';
import { parseMotoLog } from '../../../tools/deploy-local/moto';
import type { DeployedStack } from '../../../tools/deploy-local/stack';
import type { CfnTemplate } from '../../../tools/deploy-local/template';

// GIVEN a template with a type moto models, two it does not, a custom resource and one that failed
const template: CfnTemplate = {
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC' },
    Metadata: { Type: 'AWS::CDK::Metadata' },
    Policy: { Type: 'AWS::SQS::QueuePolicy' },
    Policy2: { Type: 'AWS::SQS::QueuePolicy' },
    RestrictSg: { Type: 'Custom::VpcRestrictDefaultSG' },
    Db: { Type: 'AWS::RDS::DBInstance', Properties: { MasterUserPassword: '{{resolve:secretsmanager:arn:SecretString:password::}}' } },
  },
};
const stack: DeployedStack = {
  name: 'S',
  status: 'CREATE_COMPLETE',
  parameters: {},
  outputs: {},
  resources: [
    { logicalId: 'Vpc', type: 'AWS::EC2::VPC', physicalId: 'vpc-1', status: 'CREATE_COMPLETE' },
    { logicalId: 'RestrictSg', type: 'Custom::VpcRestrictDefaultSG', physicalId: 'x', status: 'CREATE_COMPLETE' },
  ],
};

test('with moto’s log: skipped types with their reason, and resources that failed with their cause', () => {
  // GIVEN
  const log = parseMotoLog(
    [
      'WARNING: No Moto CloudFormation support for AWS::CDK::Metadata',
      'WARNING: No Moto CloudFormation support for AWS::SQS::QueuePolicy',
      'ERROR: moto could not create Db (AWS::RDS::DBInstance): KeyError: Port',
      'ERROR: error running docker: Error while fetching server API version',
    ].join('\n'),
  );
  // WHEN
  const result = inventory(template, stack, log);
  // THEN
  expect(result.deployed.map((r) => r.logicalId)).toEqual(['Vpc', 'RestrictSg']);
  expect(result.skipped).toEqual([
    { type: 'AWS::CDK::Metadata', count: 1, reason: NOT_MODELLED },
    { type: 'AWS::SQS::QueuePolicy', count: 2, reason: NOT_MODELLED },
    { type: 'Custom::VpcRestrictDefaultSG', count: 1, reason: 'custom resource: moto runs Lambda code only in Docker, so its handler never ran' },
  ]);
  expect(result.missing.map((m) => [m.resource.logicalId, m.reason])).toEqual([['Db', 'KeyError: Port']]);
  expect(result.notes).toEqual([
    'dynamic references ({{resolve:secretsmanager:…}}, {{resolve:ssm:…}}) reach resources unresolved: moto does not resolve them',
  ]);
});

test('a resource of a modelled type that is simply not there is missing, not skipped', () => {
  const result = inventory(template, stack, parseMotoLog('WARNING: No Moto CloudFormation support for AWS::CDK::Metadata'));
  expect(result.missing.map((m) => [m.resource.logicalId, m.reason])).toEqual([
    ['Policy', 'not listed by CloudFormation'],
    ['Policy2', 'not listed by CloudFormation'],
    ['Db', 'not listed by CloudFormation'],
  ]);
});

test('without moto’s log (a server we did not start), what CloudFormation does not list counts as skipped', () => {
  const result = inventory(template, stack, undefined);
  expect(result.missing).toEqual([]);
  expect(result.skipped.map((s) => s.type)).toEqual([
    'AWS::CDK::Metadata',
    'AWS::RDS::DBInstance',
    'AWS::SQS::QueuePolicy',
    'Custom::VpcRestrictDefaultSG',
  ]);
});

test('resources moto_server.py stood in for are skipped with placeholder attributes, not deployed; a type can be both', () => {
  // GIVEN two alarms, one referred to (a placeholder, listed by CloudFormation) and one not (skipped)
  const withAlarms: CfnTemplate = {
    Resources: { Vpc: { Type: 'AWS::EC2::VPC' }, Referred: { Type: 'AWS::CloudWatch::Alarm' }, Alone: { Type: 'AWS::CloudWatch::Alarm' } },
  };
  const listed: DeployedStack = {
    ...stack,
    resources: [
      { logicalId: 'Vpc', type: 'AWS::EC2::VPC', physicalId: 'vpc-1', status: 'CREATE_COMPLETE' },
      { logicalId: 'Referred', type: 'AWS::CloudWatch::Alarm', physicalId: 'S-Referred-ABC', status: 'CREATE_COMPLETE' },
    ],
  };
  // WHEN
  const result = inventory(
    withAlarms,
    listed,
    parseMotoLog('WARNING: No Moto CloudFormation support for AWS::CloudWatch::Alarm'),
    new Set(['Referred']),
  );
  // THEN
  expect(result.deployed.map((r) => r.logicalId)).toEqual(['Vpc']);
  expect(result.skipped).toEqual([
    { type: 'AWS::CloudWatch::Alarm', count: 1, reason: NOT_MODELLED },
    { type: 'AWS::CloudWatch::Alarm', count: 1, reason: PLACEHOLDER, placeholder: true },
  ]);
  expect(skippedTypeCount(result.skipped)).toBe(1);
});
