// RDS instances against profile.database (class, Multi-AZ, storage, backups, deletion protection,
// encryption and its key, an RDS-managed master password) and the template (engine, network, IAM
// authentication, CA, log exports), and their parameter groups' values against the template.
import { DescribeDBInstancesCommand, DescribeDBParameterGroupsCommand, paginateDescribeDBParameters } from '@aws-sdk/client-rds';
import { referencedId } from '../template';
import { forEach, templateValue, type Verifier } from './context';

export const databaseVerifier: Verifier = {
  name: 'RDS',
  types: ['AWS::RDS::DBInstance', 'AWS::RDS::DBParameterGroup'],
  async verify(ctx) {
    const { checks, clients, resolver } = ctx;
    const db = ctx.profile.database;
    await forEach(ctx, 'AWS::RDS::DBInstance', async (instance) => {
      const p = instance.properties;
      const s = instance.subject;
      const d = (await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instance.physicalId }))).DBInstances?.[0];
      checks.equal(s, 'DBInstanceClass', d?.DBInstanceClass, db.instanceClass, 'profile.database.instanceClass');
      checks.equal(s, 'MultiAZ', d?.MultiAZ, db.multiAz, 'profile.database.multiAz');
      checks.equal(s, 'AllocatedStorage', d?.AllocatedStorage, db.allocatedStorageGiB, 'profile.database.allocatedStorageGiB');
      checks.equal(s, 'MaxAllocatedStorage', d?.MaxAllocatedStorage, db.maxAllocatedStorageGiB, 'profile.database.maxAllocatedStorageGiB');
      checks.equal(s, 'BackupRetentionPeriod', d?.BackupRetentionPeriod, db.backupRetentionDays, 'profile.database.backupRetentionDays');
      checks.equal(s, 'DeletionProtection', d?.DeletionProtection, db.deletionProtection, 'profile.database.deletionProtection');
      checks.equal(s, 'StorageEncrypted', d?.StorageEncrypted, true, 'encryption at rest (always on, every profile)');
      // A customer-managed key is the stack's own AWS::KMS::Key; otherwise RDS's AWS-managed key.
      const keyId = referencedId(p.KmsKeyId);
      const ownKey = keyId !== undefined && ctx.template.Resources[keyId]?.Type === 'AWS::KMS::Key';
      checks.equal(s, 'KmsKeyId is a key of the stack', ownKey, db.customerManagedKey, 'profile.database.customerManagedKey');
      if ('KmsKeyId' in p) checks.equal(s, 'KmsKeyId', d?.KmsKeyId, await resolver.resolve(p.KmsKeyId), 'template');
      checks.equal(s, 'Engine', d?.Engine, await resolver.resolve(p.Engine), 'template');
      if ('EngineVersion' in p) checks.equal(s, 'EngineVersion', d?.EngineVersion, await resolver.resolve(p.EngineVersion), 'template');
      if ('StorageType' in p) checks.equal(s, 'StorageType', d?.StorageType, await resolver.resolve(p.StorageType), 'template');
      checks.equal(s, 'PubliclyAccessible', d?.PubliclyAccessible, await templateValue(ctx, p, 'PubliclyAccessible', false), 'template');
      if ('DBParameterGroupName' in p) {
        checks.equal(
          s,
          'DBParameterGroups',
          d?.DBParameterGroups?.map((g) => g.DBParameterGroupName),
          [await resolver.resolve(p.DBParameterGroupName)],
          'template',
        );
      }
      if ('DBSubnetGroupName' in p) {
        checks.equal(s, 'DBSubnetGroup', d?.DBSubnetGroup?.DBSubnetGroupName, await resolver.resolve(p.DBSubnetGroupName), 'template');
      }
      checks.equal(
        s,
        'MasterUserSecret (RDS manages the password)',
        d?.MasterUserSecret?.SecretArn !== undefined,
        db.rotateCredentials,
        'profile.database.rotateCredentials',
      );
      if (d?.MasterUserSecret && 'MasterUserSecret' in p) {
        const secretKey = ((await resolver.resolve(p.MasterUserSecret)) as { KmsKeyId?: string }).KmsKeyId;
        if (secretKey !== undefined) checks.equal(s, 'MasterUserSecret.KmsKeyId', d.MasterUserSecret.KmsKeyId, secretKey, 'template');
      }
      checks.equal(
        s,
        'IAMDatabaseAuthenticationEnabled',
        d?.IAMDatabaseAuthenticationEnabled ?? false,
        String(await templateValue(ctx, p, 'EnableIAMDatabaseAuthentication', false)) === 'true',
        'template',
      );
      if ('CACertificateIdentifier' in p)
        checks.equal(s, 'CACertificateIdentifier', d?.CACertificateIdentifier, await resolver.resolve(p.CACertificateIdentifier), 'template');
      if ('EnableCloudwatchLogsExports' in p) {
        checks.sameMembers(
          s,
          'EnabledCloudwatchLogsExports',
          d?.EnabledCloudwatchLogsExports ?? [],
          (await resolver.resolve(p.EnableCloudwatchLogsExports)) as unknown[],
          'template',
        );
      }
      if ('VPCSecurityGroups' in p) {
        checks.sameMembers(
          s,
          'VpcSecurityGroups',
          d?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId),
          (await resolver.resolve(p.VPCSecurityGroups)) as unknown[],
          'template',
        );
      }
    });

    await forEach(ctx, 'AWS::RDS::DBParameterGroup', async (group) => {
      const p = group.properties;
      const d = (await clients.rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: group.physicalId }))).DBParameterGroups?.[0];
      checks.equal(group.subject, 'DBParameterGroupFamily', d?.DBParameterGroupFamily, await resolver.resolve(p.Family), 'template');
      const actual = new Map<string, string | undefined>();
      for await (const page of paginateDescribeDBParameters({ client: clients.rds }, { DBParameterGroupName: group.physicalId, Source: 'user' })) {
        for (const parameter of page.Parameters ?? []) actual.set(parameter.ParameterName ?? '', parameter.ParameterValue);
      }
      const expected = (await templateValue(ctx, p, 'Parameters', {})) as Record<string, unknown>;
      for (const [name, value] of Object.entries(expected)) {
        checks.equal(group.subject, `parameter ${name}`, actual.get(name), String(value), 'template');
      }
    });
  },
};
