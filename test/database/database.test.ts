import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Database, type DatabaseProps, type ScalingStack } from '../../lib';
import { nagFindings, scalingStack, userStack } from '../helpers/app';

// One synthesis per profile (through ScalingStack, as `cdk deploy` builds it) and one of the
// construct alone in a user's stack, shared by the tests below.
const devStack = scalingStack({ profile: 'dev' });
const prodStack = scalingStack({ profile: 'prod' });
const dev = Template.fromStack(devStack);
const prod = Template.fromStack(prodStack);
const alone = standalone();

function standalone(props: Partial<DatabaseProps> = {}): { stack: Stack; vpc: ec2.Vpc; database: Database; template: () => Template } {
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const database = new Database(stack, 'Database', { vpc, ...props });
  return { stack, vpc, database, template: () => Template.fromStack(stack) };
}

const instanceOf = (template: Template) => Object.values(template.findResources('AWS::RDS::DBInstance'))[0];
const parametersOf = (template: Template) => Object.values(template.findResources('AWS::RDS::DBParameterGroup'))[0].Properties.Parameters;

describe('Database in the dev and prod stacks', () => {
  test("PostgreSQL 17.9 (a full minor version) on the profile's Graviton class, with the postgres17 family", () => {
    dev.hasResourceProperties('AWS::RDS::DBInstance', { Engine: 'postgres', EngineVersion: '17.9', DBInstanceClass: 'db.t4g.micro' });
    prod.hasResourceProperties('AWS::RDS::DBInstance', { Engine: 'postgres', EngineVersion: '17.9', DBInstanceClass: 'db.r7g.large' });
    prod.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres17',
      Description: 'Tuned for db.r7g.large (2 vCPUs, 16 GiB) by cdk-scaling-stack',
    });
  });

  test("isolated data subnets, not publicly accessible, no inbound rule but the proxy's", () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::RDS::DBInstance', { PubliclyAccessible: false });
      template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
        SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcDataSubnet1') }]),
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('PostgreSQL instance: no inbound rule'),
        SecurityGroupIngress: Match.absent(),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
      });
    }
    // Rules into the database's own groups (the rest of the stack adds rules of its own). The
    // database insights worker (issue #10) reads the instance's statistics directly, past the proxy.
    const intoDatabase = (template: Template) =>
      Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
        .filter((rule) => /"Database(Security|Proxy)/.test(JSON.stringify(rule.Properties.GroupId)))
        .map((rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0] as string);
    // dev: the stack's clients straight to the instance (test/scaling-stack-wiring.test.ts pins them);
    // prod: only the proxy, the bootstrap and the insights worker reach the instance.
    for (const source of intoDatabase(dev)) {
      expect(source).toMatch(/^(WebSecurityGroup|WorkerSecurityGroup|DatabaseInsightsWorkerSecurityGroup|DatabaseBootstrapSecurityGroup)/);
    }
    expect(intoDatabase(dev)).toContainEqual(expect.stringMatching(/^DatabaseInsightsWorkerSecurityGroup/));
    const intoInstance = (template: Template) =>
      Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
        .filter((rule) => /^DatabaseSecurityGroup/.test(rule.Properties.GroupId['Fn::GetAtt']?.[0] ?? ''))
        .map((rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0] as string);
    expect(intoInstance(prod).sort()).toEqual([
      expect.stringMatching(/^DatabaseBootstrapSecurityGroup/),
      expect.stringMatching(/^DatabaseInsightsWorkerSecurityGroup/),
      expect.stringMatching(/^DatabaseProxySecurityGroup/),
    ]);
  });

  test("gp3 storage, encrypted, autoscaling to the profile's ceiling; prod with its own key", () => {
    dev.hasResourceProperties('AWS::RDS::DBInstance', {
      StorageType: 'gp3',
      StorageEncrypted: true,
      AllocatedStorage: '20',
      MaxAllocatedStorage: 50,
      KmsKeyId: Match.absent(),
    });
    prod.hasResourceProperties('AWS::RDS::DBInstance', {
      StorageType: 'gp3',
      StorageEncrypted: true,
      AllocatedStorage: '100',
      MaxAllocatedStorage: 1000,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
    });
    prod.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    // The database's own key only (the stack's alarm topic has a key in every profile).
    expect(Object.keys(dev.findResources('AWS::KMS::Key')).filter((id) => id.startsWith('Database'))).toEqual([]);
  });

  test('backups kept per profile and after deletion; Multi-AZ and deletion protection in prod', () => {
    dev.hasResourceProperties('AWS::RDS::DBInstance', {
      BackupRetentionPeriod: 1,
      MultiAZ: false,
      DeletionProtection: false,
      DeleteAutomatedBackups: false,
      CopyTagsToSnapshot: true,
    });
    prod.hasResourceProperties('AWS::RDS::DBInstance', {
      BackupRetentionPeriod: 14,
      MultiAZ: true,
      DeletionProtection: true,
      DeleteAutomatedBackups: false,
      CopyTagsToSnapshot: true,
    });
  });

  test('a snapshot is taken on delete and before a replacement, in every profile', () => {
    for (const template of [dev, prod]) {
      expect(instanceOf(template)).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    }
  });

  test("prod's credentials are generated and rotated by RDS: no secret resource, no rotation Lambda, no transform", () => {
    prod.hasResourceProperties('AWS::RDS::DBInstance', {
      ManageMasterUserPassword: true,
      MasterUsername: 'postgres',
      MasterUserPassword: Match.absent(),
      EnableIAMDatabaseAuthentication: true,
      MasterUserSecret: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] } },
    });
    // The only secrets are the bootstrap's role logins, which in IAM mode hold the user name, no password.
    const secrets = prod.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets).filter((id) => id.startsWith('Database'))).toEqual([
      expect.stringMatching(/^DatabaseBootstrapApplicationSecret/),
      expect.stringMatching(/^DatabaseBootstrapMonitoringSecret/),
    ]);
    for (const [id, secret] of Object.entries(secrets).filter(([id]) => id.startsWith('DatabaseBootstrap'))) {
      expect([id, secret.Properties.GenerateSecretString]).toEqual([id, undefined]);
      expect(JSON.stringify(secret.Properties.SecretString)).not.toMatch(/password/);
    }
    for (const template of [dev, prod]) {
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      template.resourceCountIs('AWS::Serverless::Application', 0);
      expect(template.toJSON().Transform).toBeUndefined();
    }
  });

  test("dev's password is generated once into Secrets Manager and read by CloudFormation, never written in the template", () => {
    dev.hasResourceProperties('AWS::RDS::DBInstance', {
      ManageMasterUserPassword: Match.absent(),
      EnableIAMDatabaseAuthentication: true,
      MasterUserPassword: {
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('DatabaseSecret') }, ':SecretString:password::}}']],
      },
    });
    dev.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"postgres"}', GenerateStringKey: 'password' }),
    });
    dev.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 1);
    expect(JSON.stringify(devStack.database.instance.node.findChild('Secret').node.metadata)).toContain('AwsSolutions-SMG4');
  });

  test('prod has an RDS Proxy that requires TLS and IAM authentication, in the data subnets; dev has none', () => {
    dev.resourceCountIs('AWS::RDS::DBProxy', 0);
    prod.hasResourceProperties('AWS::RDS::DBProxy', {
      EngineFamily: 'POSTGRESQL',
      RequireTLS: true,
      // End-to-end IAM: the proxy signs tokens for the bootstrap's roles and reads no secret.
      DefaultAuthScheme: 'IAM_AUTH',
      Auth: Match.absent(),
      VpcSubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcDataSubnet') }]),
    });
    prod.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
      ConnectionPoolConfigurationInfo: { MaxConnectionsPercent: 90, SessionPinningFilters: ['EXCLUDE_VARIABLE_SETS'] },
      Tags: Match.absent(),
    });
  });

  test("the PostgreSQL and upgrade logs go to log groups with the profile's retention, created before the instance", () => {
    for (const [template, days] of [
      [dev, 7],
      [prod, 90],
    ] as const) {
      const instance = instanceOf(template);
      const id = instance.Properties.DBInstanceIdentifier;
      expect(instance.Properties.EnableCloudwatchLogsExports).toEqual(['postgresql', 'upgrade']);
      for (const type of ['postgresql', 'upgrade']) {
        template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/rds/instance/${id}/${type}`, RetentionInDays: days });
      }
      expect(instance.DependsOn).toEqual([expect.stringMatching(/^DatabasePostgresqlLog/), expect.stringMatching(/^DatabaseUpgradeLog/)]);
    }
  });

  test('Database Insights standard (free, 7 days) in dev, advanced (15 months, own key) in prod; enhanced monitoring in prod only', () => {
    dev.hasResourceProperties('AWS::RDS::DBInstance', {
      EnablePerformanceInsights: true,
      DatabaseInsightsMode: 'standard',
      PerformanceInsightsRetentionPeriod: 7,
      MonitoringInterval: Match.absent(),
    });
    prod.hasResourceProperties('AWS::RDS::DBInstance', {
      EnablePerformanceInsights: true,
      DatabaseInsightsMode: 'advanced',
      PerformanceInsightsRetentionPeriod: 465,
      PerformanceInsightsKMSKeyId: Match.anyValue(),
      MonitoringInterval: 60,
      MonitoringRoleArn: Match.anyValue(),
    });
  });

  test("the parameter group carries the tuned values: the instance size's memory settings and slow-query plans", () => {
    expect(parametersOf(dev)).toMatchObject({ shared_buffers: '24970', max_connections: '85', work_mem: '6843' });
    expect(parametersOf(prod)).toMatchObject({
      shared_buffers: '507190',
      max_connections: '1743',
      shared_preload_libraries: 'pg_stat_statements,auto_explain',
      log_min_duration_statement: '250',
      'auto_explain.log_min_duration': '250',
      'rds.force_ssl': '1',
    });
  });

  test('the public fields describe what clients use: the proxy in prod, the instance in dev', () => {
    expect(prodStack.database.proxy).toBeDefined();
    expect(prodStack.resolve(prodStack.database.endpoint.hostname)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DatabaseProxy/), 'Endpoint'] });
    expect(devStack.resolve(devStack.database.endpoint.hostname)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Database/), 'Endpoint.Address'] });
    expect([devStack.database.port, devStack.database.databaseName, devStack.database.masterUsername]).toEqual([5432, 'app', 'postgres']);
    expect([devStack.database.maxConnections, prodStack.database.maxConnections, prodStack.database.proxyMaxConnectionsPercent]).toEqual([
      85, 1743, 90,
    ]);
    expect(prodStack.resolve(prodStack.database.secret.secretArn)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^Database/), 'MasterUserSecret.SecretArn'],
    });
    expect(prodStack.database.connections.defaultPort?.toString()).toBe('5432');
    expect(prodStack.database.connections.securityGroups.map((g) => g.node.id)).toEqual(['ProxySecurityGroup']);
    expect(devStack.database.connections.securityGroups.map((g) => g.node.id)).toEqual(['SecurityGroup']);
    expect([devStack.database.burstable, prodStack.database.burstable]).toEqual([true, false]);
  });

  test('non-production profiles acknowledge single-AZ and no deletion protection on the instance; prod needs neither', () => {
    const acknowledged = (stack: ScalingStack) => JSON.stringify(stack.database.instance.node.metadata);
    expect(acknowledged(devStack)).toContain('AwsSolutions-RDS3');
    expect(acknowledged(devStack)).toContain('AwsSolutions-RDS10');
    expect(acknowledged(prodStack)).not.toContain('AwsSolutions-RDS3');
    expect(acknowledged(prodStack)).not.toContain('AwsSolutions-RDS10');
  });
});

describe("Database alone in a user's stack", () => {
  const template = alone.template();

  test('small by default, availability opt-in: a single-AZ db.t4g.micro with 20 GiB growing to 50, no proxy', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.t4g.micro',
      AllocatedStorage: '20',
      MaxAllocatedStorage: 50,
      MultiAZ: false,
    });
    template.resourceCountIs('AWS::RDS::DBProxy', 0);
  });

  test('safe by default: deletion protection, encrypted storage, TLS required, 7 days of backups, a final snapshot, rotated credentials', () => {
    expect(instanceOf(template)).toMatchObject({
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: expect.objectContaining({
        DeletionProtection: true,
        StorageEncrypted: true,
        BackupRetentionPeriod: 7,
        DeleteAutomatedBackups: false,
        ManageMasterUserPassword: true,
        EnableIAMDatabaseAuthentication: true,
      }),
    });
    expect(parametersOf(template)).toMatchObject({ 'rds.force_ssl': '1', ssl_min_protocol_version: 'TLSv1.2' });
  });

  test('single-AZ is acknowledged to cdk-nag by the construct, with the recovery it still has', () => {
    const metadata = JSON.stringify(alone.database.instance.node.metadata);
    expect(metadata).toContain('AwsSolutions-RDS3');
    expect(metadata).toContain('7 day(s) of point-in-time recovery and a final snapshot on delete');
    expect(metadata).not.toContain('AwsSolutions-RDS10');
  });

  test("goes in the VPC's isolated subnets and work_mem is sized for a small app's 25 sessions", () => {
    expect(alone.database.parameters.find((p) => p.name === 'work_mem')?.value).toBe('7116');
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^VpcDataSubnet1') }]) });
  });

  test('has no open cdk-nag finding', () => {
    expect(nagFindings(alone.stack).filter((f) => f.includes('/Database/'))).toEqual([]);
  });

  test('metrics name the instance; proxy metrics need a proxy', () => {
    const cpu = alone.database.metricCpuUtilization();
    expect([cpu.namespace, cpu.metricName, cpu.statistic]).toEqual(['AWS/RDS', 'CPUUtilization', 'Average']);
    expect(alone.stack.resolve(cpu.dimensions)).toEqual({ DBInstanceIdentifier: { Ref: expect.stringMatching(/^Database/) } });
    expect(alone.database.metricFreeStorageSpace().statistic).toBe('Minimum');
    expect(alone.database.metricDatabaseConnections({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
    expect(alone.database.metricReadLatency().metricName).toBe('ReadLatency');
    expect(alone.database.metricWriteLatency().metricName).toBe('WriteLatency');
    expect(alone.database.metricFreeableMemory().metricName).toBe('FreeableMemory');
    expect(alone.database.metricMaximumUsedTransactionIds().metricName).toBe('MaximumUsedTransactionIDs');
    expect(() => alone.database.metricProxyClientConnections()).toThrow(
      "UserStack/Database: metricProxy('ClientConnections') needs a proxy, and this Database has none; create it with proxy: true",
    );
  });
});

describe('Database alone with its protections switched off', () => {
  // GIVEN a user who wants a throwaway database: Multi-AZ on, no deletion protection, no rotation, no backups
  const off = standalone({ multiAz: true, deletionProtection: false, rotateCredentials: false, backupRetentionDays: 0 });
  const template = off.template();

  test('the template says what was asked for; the final snapshot on delete stays', () => {
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      Properties: Match.objectLike({ MultiAZ: true, DeletionProtection: false, BackupRetentionPeriod: 0, ManageMasterUserPassword: Match.absent() }),
    });
  });

  test('the construct acknowledges the choices it was given, naming what still protects the data', () => {
    const instance = JSON.stringify(off.database.instance.node.metadata);
    expect(instance).toContain('AwsSolutions-RDS10');
    expect(instance).toContain('a final snapshot on delete still keep the data');
    expect(instance).not.toContain('AwsSolutions-RDS3');
    expect(JSON.stringify(off.database.instance.node.findChild('Secret').node.metadata)).toContain('AwsSolutions-SMG4');
  });

  test('no backups is not acknowledged: cdk-nag still reports it', () => {
    expect(nagFindings(off.stack).filter((f) => f.includes('/Database/'))).toEqual([
      expect.stringMatching(/^AwsSolutions-RDS13 at .*\(UserStack\/Database\/Resource\/Resource\)$/),
    ]);
  });
});

describe('Database.grantConnect', () => {
  test('without a proxy, grants rds-db:connect on the instance for the application role', () => {
    // GIVEN
    const { stack, database, template } = standalone();
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    // WHEN
    database.grantConnect(role);
    // THEN
    template().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'rds-db:connect',
            Resource: {
              'Fn::Join': ['', Match.arrayWith([':dbuser:', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Database'), 'DbiResourceId'] }, '/app'])],
            },
          }),
        ],
      },
    });
  });

  test('with a proxy, grants rds-db:connect through the proxy, and clients are let in at the proxy', () => {
    // GIVEN
    const { stack, vpc, database, template } = standalone({ proxy: true, proxyMaxConnectionsPercent: 50 });
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const client = new ec2.SecurityGroup(stack, 'Client', { vpc });
    // WHEN
    database.grantConnect(role, 'app_user');
    database.connections.allowDefaultPortFrom(client);
    // THEN
    const t = template();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'rds-db:connect', Resource: { 'Fn::Join': ['', Match.arrayWith(['/app_user'])] } })] },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432,
      ToPort: 5432,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseProxySecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Client'), 'GroupId'] },
    });
    t.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', { ConnectionPoolConfigurationInfo: Match.objectLike({ MaxConnectionsPercent: 50 }) });
    expect(database.metricProxyDatabaseConnections().dimensions).toEqual({ ProxyName: database.proxy!.dbProxyName });
  });

  test('the proxy logs in as further users whose secrets it is given', () => {
    // GIVEN an application user's secret in the user's stack
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const appUser = new secretsmanager.Secret(stack, 'AppUser', {
      generateSecretString: { secretStringTemplate: '{"username":"app_user"}', generateStringKey: 'password' },
    });
    // WHEN
    new Database(stack, 'Database', { vpc, proxy: true, proxyUserSecrets: [appUser] });
    // THEN the further user authenticates with IAM at the proxy and with its password behind it; the
    // bootstrap's roles with IAM end to end; the master user not at all
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBProxy', {
      DefaultAuthScheme: 'IAM_AUTH',
      Auth: [Match.objectLike({ IAMAuth: 'REQUIRED', SecretArn: { Ref: Match.stringLikeRegexp('^AppUser') } })],
    });
  });

  test('on a micro instance the default proxy share leaves room for the admin reserve', () => {
    const { database } = standalone({ proxy: true });
    // and for the insights worker and the bootstrap: floor((85 − 3 − 10 − 2) × 100 / 85) = 82
    expect(database.proxyMaxConnectionsPercent).toBe(82);
  });
});

describe('Database without rotation', () => {
  test('generates the secret under the customer-managed key and, with the bootstrap off, puts it behind the proxy', () => {
    const { template } = standalone({ rotateCredentials: false, customerManagedKey: true, proxy: true, bootstrap: false });
    const t = template();
    t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::RDS::DBProxy', {
      DefaultAuthScheme: Match.absent(),
      Auth: [Match.objectLike({ SecretArn: { Ref: Match.stringLikeRegexp('^DatabaseSecretAttachment') } })],
    });
  });
});

describe('Database parameter overrides', () => {
  test('replace the tuned value, converted to the base unit, and say so', () => {
    const { database } = standalone({ parameterOverrides: { work_mem: '64MB', 'pg_stat_statements.track': 'all' } });
    expect(database.parameters.find((p) => p.name === 'work_mem')).toMatchObject({
      value: '65536',
      rule: 'override from parameterOverrides (tuned value was 7116)',
    });
    expect(database.parameters.find((p) => p.name === 'pg_stat_statements.track')?.value).toBe('all');
  });

  test('shared_preload_libraries is merged with the libraries statement visibility needs', () => {
    const { database } = standalone({ parameterOverrides: { shared_preload_libraries: 'pg_hint_plan, auto_explain' } });
    expect(database.parameters.find((p) => p.name === 'shared_preload_libraries')?.value).toBe('pg_stat_statements,auto_explain,pg_hint_plan');
  });

  test("a max_connections override sets the connection budget's ceiling and is marked as needing a reboot", () => {
    const { database } = standalone({ parameterOverrides: { max_connections: '50' } });
    expect(database.maxConnections).toBe(50);
    expect(database.parameters.find((p) => p.name === 'max_connections')?.requiresReboot).toBe(true);
  });
});

describe('Database bad input', () => {
  const build = (props: Partial<DatabaseProps>) => () => standalone(props);

  test('an instance class that is not a known Graviton class lists the known ones', () => {
    expect(build({ instanceClass: 'db.r7g.huge' })).toThrow(
      /^UserStack\/Database: instanceClass \('db\.r7g\.huge'\) is not a Graviton DB instance class this library knows; known classes: db\.t4g\.\{micro,small,medium,large,xlarge,2xlarge\}, .*db\.r8g\.\{large,xlarge,2xlarge,4xlarge,8xlarge,12xlarge,16xlarge\}$/,
    );
  });

  test('storage below 20 GiB', () => {
    expect(build({ allocatedStorageGiB: 10, maxAllocatedStorageGiB: 10 })).toThrow(
      'UserStack/Database: 2 problems:\n  - allocatedStorageGiB (10 GiB) must be between 20 and 65536 GiB; gp3 on RDS starts at 20 GiB\n  - maxAllocatedStorageGiB (10 GiB) must be between 20 and 65536 GiB',
    );
  });

  test('an autoscaling ceiling below the allocated storage', () => {
    expect(build({ allocatedStorageGiB: 100, maxAllocatedStorageGiB: 50 })).toThrow(
      'UserStack/Database: allocatedStorageGiB (100) must not exceed maxAllocatedStorageGiB (50); raise maxAllocatedStorageGiB or lower allocatedStorageGiB',
    );
  });

  test('an autoscaling ceiling less than 10% above the allocated storage', () => {
    expect(build({ allocatedStorageGiB: 100, maxAllocatedStorageGiB: 105 })).toThrow(
      'UserStack/Database: maxAllocatedStorageGiB (105) must be at least 10% above allocatedStorageGiB (100), i.e. 110 or more, for storage autoscaling; raise it, or set it equal to allocatedStorageGiB to turn autoscaling off',
    );
  });

  test('a ceiling equal to the allocated storage turns autoscaling off', () => {
    const { template } = standalone({ allocatedStorageGiB: 100, maxAllocatedStorageGiB: 100 });
    template().hasResourceProperties('AWS::RDS::DBInstance', { AllocatedStorage: '100', MaxAllocatedStorage: Match.absent() });
  });

  test('a database name PostgreSQL on RDS would refuse', () => {
    expect(build({ databaseName: 'my-app' })).toThrow(
      "UserStack/Database: databaseName ('my-app') must start with a letter and hold only letters, digits and underscores, at most 63 characters (an RDS for PostgreSQL DBName)",
    );
  });

  test('backup retention outside 0-35 days', () => {
    expect(build({ backupRetentionDays: 36 })).toThrow(
      'UserStack/Database: backupRetentionDays (36) must be between 0 and 35; RDS keeps automated backups for 0 (off) to 35 days',
    );
  });

  test('an override with an unknown name suggests the nearest one; an invalid value names the type and the allowed values', () => {
    expect(build({ parameterOverrides: { shared_bufers: '1GB', log_statement: 'everything' } })).toThrow(
      "UserStack/Database: 2 problems:\n  - parameterOverrides: 'shared_bufers' is not a PostgreSQL 17 parameter RDS accepts (did you mean 'shared_buffers'?); check the spelling, or see https://www.postgresql.org/docs/17/runtime-config.html\n  - parameterOverrides: log_statement ('everything') is not a valid enum; use one of 'none', 'ddl', 'mod', 'all'",
    );
  });

  test('a max_connections override the budget cannot read', () => {
    expect(build({ parameterOverrides: { max_connections: '{DBInstanceClassMemory/9531392}' } })).toThrow(
      "UserStack/Database: parameterOverrides: max_connections ('{DBInstanceClassMemory/9531392}') must be a plain number so the connection budget can be checked at synth",
    );
  });

  test('an engine version without a parameter group family', () => {
    expect(build({ engineVersion: rds.PostgresEngineVersion.of('17.9', '') })).toThrow(
      "UserStack/Database: engineVersion ('17.9', major '') has no RDS parameter group family this construct can tune ('postgres'); use a PostgresEngineVersion.VER_1x_y constant or PostgresEngineVersion.of('17.9', '17'), majors 14 to 18",
    );
  });

  test('a bare major version', () => {
    expect(build({ engineVersion: rds.PostgresEngineVersion.VER_17 })).toThrow(
      "UserStack/Database: engineVersion ('17') must be a full minor version such as '17.9', not a bare major: cfn-lint flags it (W3691) and each environment could run a different minor",
    );
  });

  test('an enhanced-monitoring interval RDS does not offer, and an unknown insights mode, are reported together', () => {
    expect(build({ enhancedMonitoringIntervalSeconds: 2, databaseInsights: 'premium' as never })).toThrow(
      "UserStack/Database: 2 problems:\n  - enhancedMonitoringIntervalSeconds (2) must be one of 0, 1, 5, 10, 15, 30, 60\n  - databaseInsights ('premium') must be one of 'standard', 'advanced'",
    );
  });

  test('out-of-range proxy share, expected connections and slow-query threshold', () => {
    expect(build({ proxy: true, proxyMaxConnectionsPercent: 0, expectedConnections: 0, slowQueryThreshold: Duration.hours(2) })).toThrow(
      'UserStack/Database: 3 problems:\n  - expectedConnections (0) must be between 1 and 100000\n  - proxyMaxConnectionsPercent (0) must be between 1 and 100\n  - slowQueryThreshold (ms) (7200000) must be between 1 and 3600000',
    );
  });
});
