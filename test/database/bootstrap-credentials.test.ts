import { Template } from 'aws-cdk-lib/assertions';
import { APP_ENVIRONMENT as E } from '../../lib';
import { scalingStack } from '../helpers/app';

// Issue #15's acceptance: in no profile may the web tier or a worker read the master secret or log
// in as the master user. Checked on the synthesized policies and environments of every profile.

describe.each(['dev', 'staging', 'prod'] as const)('%s: who holds which database credentials', (profile) => {
  const stack = scalingStack({ profile });
  const template = Template.fromStack(stack);
  const json = (value: unknown) => JSON.stringify(stack.resolve(value));
  const master = json(stack.database.secret.secretArn);
  const application = json(stack.database.applicationSecret.secretArn);
  const monitoring = json(stack.database.monitoringSecret.secretArn);
  const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
  type Statement = { Action: string | string[]; Resource: unknown };
  const rolesWhoseStatements = (match: (s: Statement) => boolean) =>
    policies
      .filter(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).some(match))
      .flatMap(([, p]) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref))
      .sort();

  test("only the bootstrap function's role may read the master secret", () => {
    expect(rolesWhoseStatements((s) => JSON.stringify(s.Resource).includes(master))).toEqual([expect.stringMatching(/^DatabaseBootstrapRole/)]);
  });

  test('the web task and execution roles and the jobs worker read the application secret; the insights worker the monitoring secret', () => {
    const readers = (secret: string) => rolesWhoseStatements((s) => JSON.stringify(s.Resource).includes(secret));
    const apps = readers(application);
    expect(apps).toEqual(expect.arrayContaining([expect.stringMatching(/^WebTaskDefinitionExecutionRole/), expect.stringMatching(/^WorkerRole/)]));
    expect(apps.filter((r) => /^DatabaseInsights/.test(r))).toEqual([]);
    expect(readers(monitoring)).toEqual(expect.arrayContaining([expect.stringMatching(/^DatabaseInsightsWorkerRole/)]));
    expect(readers(monitoring).filter((r) => /^(Web|Worker)/.test(r))).toEqual([]);
  });

  test('DB_USER of the web tasks is the application role, from its secret; no task secret comes from the master secret', () => {
    const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    const container = taskDefinition.Properties.ContainerDefinitions.find((c: { Secrets?: unknown[] }) => c.Secrets);
    const secrets = Object.fromEntries(container.Secrets.map((s: { Name: string; ValueFrom: unknown }) => [s.Name, JSON.stringify(s.ValueFrom)]));
    expect(secrets[E.databaseUser]).toContain(application.slice(1, -1));
    for (const valueFrom of Object.values(secrets)) expect(valueFrom).not.toContain(master.slice(1, -1));
    expect(stack.database.applicationUser).toBe('app');
  });

  test('the jobs worker reads the application secret, the insights worker the monitoring role', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    const envOf = (prefix: RegExp) => functions.find(([id]) => prefix.test(id))![1].Properties.Environment.Variables;
    expect(json(envOf(/^WorkerFunction/)[E.databaseSecretArn])).toBe(application);
    const insights = envOf(/^DatabaseInsightsWorkerFunction/);
    expect(json(insights[E.databaseSecretArn])).toBe(monitoring);
    expect(insights[E.databaseUser]).toBe('monitoring');
    for (const [, fn] of functions) expect(JSON.stringify(fn.Properties.Environment?.Variables ?? {})).not.toContain(master.slice(1, -1));
  });

  test('rds-db:connect is granted for the roles, never for the master user', () => {
    // role → the database users it may connect as
    const grants = policies.flatMap(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => [s.Action].flat().includes('rds-db:connect'))
        .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
        .map((r) => `${(p.Properties.Roles[0].Ref as string).replace(/[0-9A-F]{8}$/, '')} ${JSON.stringify(r).match(/\/(\w+)"\]\]\}$/)?.[1]}`),
    );
    expect(grants.sort()).toEqual(
      stack.database.iamAuthRequired
        ? [
            'DatabaseInsightsWorkerRole monitoring',
            'DatabaseProxyIAMRole app',
            'DatabaseProxyIAMRole monitoring',
            'WebTaskDefinitionTaskRole app',
            'WorkerRole app',
          ]
        : [],
    );
  });
});
