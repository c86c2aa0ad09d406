import { DescribeDBInstancesCommand, DescribeDBParameterGroupsCommand, DescribeDBParametersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { dev, prod } from '../../../../lib/core/profiles';
import type { CfnTemplate } from '../../../../tools/deploy-local/template';
import { databaseVerifier } from '../../../../tools/deploy-local/verify/database';
import { failures, verifyContext } from '../helpers';

const rds = mockClient(RDSClient);
beforeEach(() => rds.reset());

// GIVEN a PostgreSQL instance with a tuned parameter group, as the Database construct will render it
const template = (withKey: boolean): CfnTemplate => ({
  Resources: {
    Key: { Type: 'AWS::KMS::Key' },
    Params: {
      Type: 'AWS::RDS::DBParameterGroup',
      Properties: { Family: 'postgres17', Parameters: { log_min_duration_statement: '500', work_mem: 8192 } },
    },
    Subnets: { Type: 'AWS::RDS::DBSubnetGroup' },
    Db: {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        Engine: 'postgres',
        EngineVersion: '17.5',
        StorageType: 'gp3',
        StorageEncrypted: true,
        DBParameterGroupName: { Ref: 'Params' },
        DBSubnetGroupName: { Ref: 'Subnets' },
        EnableIAMDatabaseAuthentication: true,
        CACertificateIdentifier: 'rds-ca-rsa2048-g1',
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        ...(withKey
          ? {
              KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] },
              ManageMasterUserPassword: true,
              MasterUserSecret: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
            }
          : {}),
      },
    },
  },
});
const physical = { Key: 'key-1', Params: 'pg-1', Subnets: 'sg-1', Db: 'db-1' };

function deployedAs(profile: typeof dev, overrides: Record<string, unknown> = {}) {
  rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: 'db-1',
        Engine: 'postgres',
        EngineVersion: '17.5',
        StorageType: 'gp3',
        PubliclyAccessible: false,
        DBInstanceClass: profile.database.instanceClass,
        MultiAZ: profile.database.multiAz,
        StorageEncrypted: true,
        AllocatedStorage: profile.database.allocatedStorageGiB,
        MaxAllocatedStorage: profile.database.maxAllocatedStorageGiB,
        BackupRetentionPeriod: profile.database.backupRetentionDays,
        DeletionProtection: profile.database.deletionProtection,
        DBParameterGroups: [{ DBParameterGroupName: 'pg-1' }],
        DBSubnetGroup: { DBSubnetGroupName: 'sg-1' },
        IAMDatabaseAuthenticationEnabled: true,
        CACertificateIdentifier: 'rds-ca-rsa2048-g1',
        EnabledCloudwatchLogsExports: ['upgrade', 'postgresql'],
        ...(profile.database.customerManagedKey ? { KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/key-1' } : {}),
        ...(profile.database.rotateCredentials
          ? {
              MasterUserSecret: {
                SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf',
                KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/key-1',
              },
            }
          : {}),
        ...overrides,
      },
    ],
  });
  rds.on(DescribeDBParameterGroupsCommand).resolves({ DBParameterGroups: [{ DBParameterGroupName: 'pg-1', DBParameterGroupFamily: 'postgres17' }] });
  rds.on(DescribeDBParametersCommand).resolves({
    Parameters: [
      { ParameterName: 'log_min_duration_statement', ParameterValue: '500' },
      { ParameterName: 'work_mem', ParameterValue: '8192' },
    ],
  });
}

test('an instance deployed as prod says passes, each sizing compared to profile.database', async () => {
  // GIVEN
  deployedAs(prod);
  const ctx = verifyContext(template(true), physical, { profile: prod });
  // WHEN
  await databaseVerifier.verify(ctx);
  // THEN
  expect(failures(ctx)).toEqual([]);
  const bySource = ctx.checks.checks.filter((c) => c.source.startsWith('profile.database')).map((c) => `${c.property} <- ${c.source}`);
  expect(bySource).toEqual([
    'DBInstanceClass <- profile.database.instanceClass',
    'MultiAZ <- profile.database.multiAz',
    'AllocatedStorage <- profile.database.allocatedStorageGiB',
    'MaxAllocatedStorage <- profile.database.maxAllocatedStorageGiB',
    'BackupRetentionPeriod <- profile.database.backupRetentionDays',
    'DeletionProtection <- profile.database.deletionProtection',
    'KmsKeyId is a key of the stack <- profile.database.customerManagedKey',
    'MasterUserSecret (RDS manages the password) <- profile.database.rotateCredentials',
  ]);
  expect(ctx.checks.checks.filter((c) => c.source === 'template' && /Master|IAM|CACert|Logs/.test(c.property)).map((c) => c.property)).toEqual([
    'MasterUserSecret.KmsKeyId',
    'IAMDatabaseAuthenticationEnabled',
    'CACertificateIdentifier',
    'EnabledCloudwatchLogsExports',
  ]);
  expect(ctx.checks.checks.filter((c) => c.property.startsWith('parameter ')).map((c) => [c.property, c.actual])).toEqual([
    ['parameter log_min_duration_statement', '500'],
    ['parameter work_mem', '8192'],
  ]);
});

test('dev’s instance deployed with prod’s class, single-AZ when prod, and no customer key: each fails naming its profile field', async () => {
  // GIVEN the dev template (no customer-managed key), checked against prod
  deployedAs(dev);
  const ctx = verifyContext(template(false), physical, { profile: prod });
  // WHEN
  await databaseVerifier.verify(ctx);
  // THEN
  expect(failures(ctx)).toEqual([
    'Db DBInstanceClass: "db.t4g.micro" vs "db.r7g.large" (profile.database.instanceClass)',
    'Db MultiAZ: false vs true (profile.database.multiAz)',
    `Db AllocatedStorage: ${dev.database.allocatedStorageGiB} vs ${prod.database.allocatedStorageGiB} (profile.database.allocatedStorageGiB)`,
    `Db MaxAllocatedStorage: ${dev.database.maxAllocatedStorageGiB} vs ${prod.database.maxAllocatedStorageGiB} (profile.database.maxAllocatedStorageGiB)`,
    `Db BackupRetentionPeriod: 1 vs ${prod.database.backupRetentionDays} (profile.database.backupRetentionDays)`,
    'Db DeletionProtection: false vs true (profile.database.deletionProtection)',
    'Db KmsKeyId is a key of the stack: false vs true (profile.database.customerManagedKey)',
    'Db MasterUserSecret (RDS manages the password): false vs true (profile.database.rotateCredentials)',
  ]);
});

test('IAM authentication, the CA and the log exports the template asks for, when RDS did not get them, fail against the template', async () => {
  deployedAs(dev, {
    IAMDatabaseAuthenticationEnabled: undefined,
    CACertificateIdentifier: 'rds-ca-default',
    EnabledCloudwatchLogsExports: undefined,
  });
  const ctx = verifyContext(template(false), physical, { profile: dev });
  await databaseVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Db IAMDatabaseAuthenticationEnabled: false vs true (template)',
    'Db CACertificateIdentifier: "rds-ca-default" vs "rds-ca-rsa2048-g1" (template)',
    'Db EnabledCloudwatchLogsExports: [] vs ["postgresql","upgrade"] (template)',
  ]);
});

test('a parameter group value that did not reach RDS fails against the template', async () => {
  deployedAs(dev);
  rds.on(DescribeDBParametersCommand).resolves({ Parameters: [{ ParameterName: 'log_min_duration_statement', ParameterValue: '1000' }] });
  const ctx = verifyContext(template(false), physical, { profile: dev });
  await databaseVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([
    'Params parameter log_min_duration_statement: "1000" vs "500" (template)',
    'Params parameter work_mem: undefined vs "8192" (template)',
  ]);
});

test('an unencrypted instance fails, whatever the profile', async () => {
  deployedAs(dev, { StorageEncrypted: false });
  const ctx = verifyContext(template(false), physical, { profile: dev });
  await databaseVerifier.verify(ctx);
  expect(failures(ctx)).toEqual(['Db StorageEncrypted: false vs true (encryption at rest (always on, every profile))']);
});
