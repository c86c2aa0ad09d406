import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Database, type DatabaseProps } from '../../lib';
import { userStack } from '../helpers/app';

// The bootstrap custom resource of a Database used alone, in a VPC with app (egress) and data
// (isolated) subnets as ScalingStack builds it. test/database/bootstrap-credentials.test.ts checks
// who reads which secret in every profile.

function build(props: Partial<DatabaseProps> = {}): { stack: Stack; database: Database; template: Template } {
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const database = new Database(stack, 'Database', { vpc, ...props });
  return { stack, database, template: Template.fromStack(stack) };
}

const ref = (stack: Stack, value: unknown) => stack.resolve(value);
const onEventFunction = (template: Template) =>
  Object.entries(
    template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('Creates the database roles') } }),
  );

describe('Database bootstrap (on by default)', () => {
  const { stack, database, template } = build();

  test('one custom resource with the roles, limits, timeouts and secrets it applies', () => {
    template.resourceCountIs('Custom::DatabaseBootstrap', 1);
    template.hasResourceProperties('Custom::DatabaseBootstrap', {
      host: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Database'), 'Endpoint.Address'] },
      port: '5432',
      database: 'app',
      masterSecretArn: ref(stack, database.secret.secretArn),
      iamAuth: false,
      extensions: ['pg_stat_statements'],
      // db.t4g.micro: max_connections 85 − 3 RDS superuser slots − 10 admin reserve.
      application: { name: 'app', connectionLimit: 72, statementTimeoutMs: 10000, secretArn: ref(stack, database.applicationSecret.secretArn) },
      monitoring: { name: 'monitoring', connectionLimit: 3, statementTimeoutMs: 10000, secretArn: ref(stack, database.monitoringSecret.secretArn) },
      statements: [],
    });
    expect(database.applicationUser).toBe('app');
    expect(database.monitoringUser).toBe('monitoring');
  });

  test('the function runs in the app subnets, Node.js 24 on ARM, and its security group reaches the instance on 5432 and HTTPS only', () => {
    const [[id, fn]] = onEventFunction(template);
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 120 });
    expect(fn.Properties.VpcConfig.SubnetIds).toEqual([
      { Ref: expect.stringMatching(/^VpcAppSubnet1/) },
      { Ref: expect.stringMatching(/^VpcAppSubnet2/) },
    ]);
    const sg = fn.Properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0] as string;
    expect(sg).toMatch(/^DatabaseBootstrapSecurityGroup/);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('bootstrap function'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [sg, 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseSecurityGroup'), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [sg, 'GroupId'] },
    });
    expect(id).toMatch(/^DatabaseBootstrapFunction/);
  });

  test('the custom resource waits for the ingress rule that lets the function in', () => {
    const [resource] = Object.values(template.findResources('Custom::DatabaseBootstrap'));
    const ingress = Object.entries(template.findResources('AWS::EC2::SecurityGroupIngress')).find(([, r]) =>
      /^DatabaseBootstrapSecurityGroup/.test(r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]),
    )![0];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([ingress]));
  });

  test("the function's role reads the master secret and both role secrets, and nothing else of Secrets Manager", () => {
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^DatabaseBootstrapRole') }] } }),
    );
    const reads = policies
      .flatMap((p) =>
        p.Properties.PolicyDocument.Statement.filter((s: { Action: string | string[] }) =>
          [s.Action].flat().includes('secretsmanager:GetSecretValue'),
        ).map((s: { Resource: unknown }) => s.Resource),
      )
      .flat();
    expect(reads).toEqual(
      expect.arrayContaining([
        ref(stack, database.secret.secretArn),
        ref(stack, database.applicationSecret.secretArn),
        ref(stack, database.monitoringSecret.secretArn),
      ]),
    );
    expect(reads).toHaveLength(3);
  });

  test("the framework's role: no managed policy; it writes its own log group and invokes the bootstrap function, nothing else", () => {
    const [roleId, role] = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => /^DatabaseBootstrapProviderRole/.test(id))!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const actions = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }))
      .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()))
      .sort();
    expect(actions).toEqual(['lambda:GetFunction', 'lambda:InvokeFunction', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^DatabaseBootstrapProviderLogGroup') } },
    });
  });

  test('password mode: a generated secret per role with its user name, letters and digits only', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({ username: 'app', dbname: 'app', engine: 'postgres' }),
        GenerateStringKey: 'password',
        ExcludePunctuation: true,
        PasswordLength: 32,
      }),
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: JSON.stringify({ username: 'monitoring', dbname: 'app', engine: 'postgres' }) }),
    });
  });
});

describe('Database bootstrap options', () => {
  test('names, limits, timeout and statements reach the custom resource', () => {
    const { template } = build({
      bootstrap: {
        applicationRoleName: 'shop',
        monitoringRoleName: 'watcher',
        applicationConnectionLimit: 40,
        monitoringConnectionLimit: 2,
        applicationStatementTimeout: Duration.seconds(30),
        statements: ['CREATE EXTENSION IF NOT EXISTS pg_trgm'],
      },
    });
    template.hasResourceProperties('Custom::DatabaseBootstrap', {
      application: Match.objectLike({ name: 'shop', connectionLimit: 40, statementTimeoutMs: 30000 }),
      monitoring: Match.objectLike({ name: 'watcher', connectionLimit: 2 }),
      statements: ['CREATE EXTENSION IF NOT EXISTS pg_trgm'],
    });
  });

  test('IAM mode (proxy with IAM authentication): rds_iam, no password secrets read, proxy end to end for both roles', () => {
    const { stack, database, template } = build({ proxy: true });
    expect(database.iamAuthRequired).toBe(true);
    template.hasResourceProperties('Custom::DatabaseBootstrap', {
      iamAuth: true,
      // Behind the proxy the default limit is the proxy's share: floor(85 × 82 %) = 69.
      application: Match.objectLike({ connectionLimit: 69, secretArn: Match.absent() }),
      monitoring: Match.objectLike({ secretArn: Match.absent() }),
    });
    template.hasResourceProperties('AWS::RDS::DBProxy', { DefaultAuthScheme: 'IAM_AUTH', Auth: Match.absent() });
    const proxyRole = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('DatabaseProxyIAMRole'))!;
    const connects = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: proxyRole }] } })).flatMap((p) =>
      p.Properties.PolicyDocument.Statement.map((s: { Resource: unknown }) => JSON.stringify(s.Resource)),
    );
    expect(connects.filter((r) => /DbiResourceId/.test(r) && /\/app"/.test(r))).toHaveLength(1);
    expect(connects.filter((r) => /DbiResourceId/.test(r) && /\/monitoring"/.test(r))).toHaveLength(1);
    // The role secrets hold the names only.
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: JSON.stringify({ username: 'app', dbname: 'app', engine: 'postgres' }),
      GenerateSecretString: Match.absent(),
    });
    // The function reads the master secret only.
    const reads = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^DatabaseBootstrapRole') }] } }),
    )
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: string | string[] }) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
      .map((s: { Resource: unknown }) => s.Resource);
    expect(reads).toEqual([ref(stack, database.secret.secretArn)]);
  });

  test('password mode behind a proxy: the proxy logs in with the role secrets, never the master secret', () => {
    const { stack, database, template } = build({ proxy: true, proxyRequireIamAuth: false });
    template.hasResourceProperties('AWS::RDS::DBProxy', {
      DefaultAuthScheme: Match.absent(),
      Auth: [
        Match.objectLike({ SecretArn: ref(stack, database.applicationSecret.secretArn), IAMAuth: 'DISABLED' }),
        Match.objectLike({ SecretArn: ref(stack, database.monitoringSecret.secretArn), IAMAuth: 'DISABLED' }),
      ],
    });
  });

  test('bootstrap: false creates no custom resource, function or role secret; the users are the master user', () => {
    const { stack, database, template } = build({ bootstrap: false });
    template.resourceCountIs('Custom::DatabaseBootstrap', 0);
    expect(onEventFunction(template)).toEqual([]);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(database.bootstrap).toBeUndefined();
    expect([database.applicationUser, database.monitoringUser]).toEqual(['postgres', 'postgres']);
    expect(ref(stack, database.applicationSecret.secretArn)).toEqual(ref(stack, database.secret.secretArn));
  });

  test.each([
    [
      { applicationRoleName: 'App' },
      "bootstrap.applicationRoleName ('App') must be 1 to 63 lower-case letters, digits or '_', starting with a letter or '_'",
    ],
    [{ monitoringRoleName: 'pg_watch' }, "bootstrap.monitoringRoleName ('pg_watch') must not start with 'pg_' or 'rds'"],
    [{ applicationRoleName: 'postgres' }, "bootstrap.applicationRoleName ('postgres') must not be the master user or 'public'"],
    [{ applicationRoleName: 'same', monitoringRoleName: 'same' }, "bootstrap.applicationRoleName and bootstrap.monitoringRoleName are both 'same'"],
    [{ applicationConnectionLimit: 0 }, 'bootstrap.applicationConnectionLimit (0)'],
    [{ monitoringConnectionLimit: 500 }, 'bootstrap.monitoringConnectionLimit (500)'],
    [{ statements: ['  '] }, 'bootstrap.statements[0] is empty; remove it'],
  ])('refuses %j', (bootstrap, message) => {
    expect(() => build({ bootstrap })).toThrow(message);
  });

  test('every problem in one error, naming the construct', () => {
    expect(() => build({ bootstrap: { applicationRoleName: 'A', monitoringConnectionLimit: 0 } })).toThrow(
      /UserStack\/Database[\s\S]*applicationRoleName \('A'\)[\s\S]*monitoringConnectionLimit \(0\)/,
    );
  });
});

describe('Database bootstrap runToken', () => {
  test('is a property of the custom resource only when set, so a new value runs the bootstrap again', () => {
    build().template.hasResourceProperties('Custom::DatabaseBootstrap', { runToken: Match.absent() });
    build({ bootstrap: { runToken: '2026-12-05' } }).template.hasResourceProperties('Custom::DatabaseBootstrap', { runToken: '2026-12-05' });
  });
});
