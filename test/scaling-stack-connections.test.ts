import { Template } from 'aws-cdk-lib/assertions';
import { APP_ENVIRONMENT as E, profiles, roleConnectionLimits, type ProfileName } from '../lib';
import { INSIGHTS_DATABASE_POOL_SIZE } from '../lib/core/database';
import { DATABASE_POOL_SIZE } from '../lib/core/worker-timing';
import { scalingStack } from './helpers/app';

// The connection budget counts each client's pool at the size the stack passes it (DB_POOL_MAX):
// the web tasks the profile's database.poolSizePerWebTask, the jobs worker DATABASE_POOL_SIZE, the
// insights worker INSIGHTS_DATABASE_POOL_SIZE, the constants lambda/shared/database.ts falls back to.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized CloudFormation JSON
type Resource = { Properties: Record<string, any> };
const functionEnv = (t: Template, prefix: string) => {
  const fns = Object.entries(t.findResources('AWS::Lambda::Function') as Record<string, Resource>).filter(([id]) => id.startsWith(prefix));
  if (fns.length !== 1) throw new Error(`expected one function ${prefix}*, found ${fns.map(([id]) => id).join(', ')}`);
  return fns[0][1].Properties.Environment.Variables as Record<string, unknown>;
};
const webEnv = (t: Template) => {
  const container = Object.values(t.findResources('AWS::ECS::TaskDefinition') as Record<string, Resource>)[0].Properties.ContainerDefinitions[0];
  return Object.fromEntries((container.Environment as { Name: string; Value: unknown }[]).map((v) => [v.Name, v.Value]));
};

// One synthesis per profile for the whole file.
const synthesized = new Map<ProfileName, { stack: ReturnType<typeof scalingStack>; template: Template }>();
const synth = (name: ProfileName) => {
  if (!synthesized.has(name)) {
    const stack = scalingStack({ profile: name });
    synthesized.set(name, { stack, template: Template.fromStack(stack) });
  }
  return synthesized.get(name)!;
};

describe.each(['dev', 'prod'] as ProfileName[])('DB_POOL_MAX reaches every client (%s)', (name) => {
  const { template } = synth(name);

  test("the web container: the profile's database.poolSizePerWebTask", () => {
    expect(webEnv(template)[E.databasePoolMax]).toBe(String(profiles[name].database.poolSizePerWebTask));
  });

  test('the jobs worker: DATABASE_POOL_SIZE, the pool its code opens', () => {
    expect(functionEnv(template, 'WorkerFunction')[E.databasePoolMax]).toBe(String(DATABASE_POOL_SIZE));
  });

  test('the insights worker: INSIGHTS_DATABASE_POOL_SIZE', () => {
    expect(functionEnv(template, 'DatabaseInsightsWorker')[E.databasePoolMax]).toBe(String(INSIGHTS_DATABASE_POOL_SIZE));
  });
});

describe.each(['dev', 'staging', 'prod'] as ProfileName[])("the application role's CONNECTION LIMIT is the budget's (%s)", (name) => {
  const { stack, template } = synth(name);

  test('the bootstrap sets the limit roleConnectionLimits() gives for the instance the stack built', () => {
    const { application } = roleConnectionLimits(profiles[name], stack.database.maxConnections, stack.database.proxyMaxConnectionsPercent);
    const [bootstrap] = Object.values(template.findResources('Custom::DatabaseBootstrap') as Record<string, Resource>);
    expect(bootstrap.Properties.application.connectionLimit).toBe(application);
    // Without a proxy that is the web tasks' and the jobs worker's pools at their ceilings.
    if (!profiles[name].database.proxy) {
      const p = profiles[name];
      expect(application).toBe(p.web.maxTasks * p.database.poolSizePerWebTask + p.worker.maxConcurrency * DATABASE_POOL_SIZE);
    }
  });
});
