import { checkConnectionBudget, dev, maxConnectionsFor, PROFILE_NAMES, profiles, type Profile } from '../../../lib';
import { scalingStack } from '../../helpers/app';

/** The budget a ScalingStack checks for a profile, computed the same way. */
function budgetFor(profile: Profile, proxyPercent?: number) {
  const memory = { 'db.t4g.micro': 1, 'db.t4g.medium': 4, 'db.r7g.large': 16 }[profile.database.instanceClass]!;
  return checkConnectionBudget({
    maxConnections: maxConnectionsFor(memory),
    instanceClass: profile.database.instanceClass,
    webMaxTasks: profile.web.maxTasks,
    poolSizePerWebTask: profile.database.poolSizePerWebTask,
    workerMaxConcurrency: profile.worker.maxConcurrency,
    poolSizePerWorker: profile.database.poolSizePerWorker,
    proxyMaxConnectionsPercent: proxyPercent,
  });
}

describe('checkConnectionBudget for every profile', () => {
  test.each([
    // [profile, demand, capacity, rule]
    ['dev', 12, 99, '2 tasks × 5 + 2 workers × 1 against 112 − 3 RDS superuser slots − 10 admin'],
    ['staging', 45, 437, '4 × 10 + 5 × 1 against 450 − 3 − 10'],
    ['prod', 320, 1621, '30 × 10 + 20 × 1 against 90% of 1802 through the proxy'],
  ])('%s: demand %d fits capacity %d (%s)', (name, demand, capacity) => {
    // GIVEN the built-in profile WHEN its budget is checked
    const profile = profiles[name as keyof typeof profiles];
    const budget = budgetFor(profile, profile.database.proxy ? 90 : undefined);
    // THEN
    expect(budget).toMatchObject({ demand, capacity, headroom: capacity - demand, problems: [] });
  });

  test.each(PROFILE_NAMES)('%s: ScalingStack accepts its own profile', (name) => {
    expect(() => scalingStack({ profile: name })).not.toThrow();
  });
});

describe('checkConnectionBudget over budget', () => {
  test('says by how much, shows the arithmetic and offers every fix, including the smallest class that fits', () => {
    // GIVEN dev with 20 tasks of 5 connections each
    const budget = budgetFor({ ...dev, web: { ...dev.web, maxTasks: 20 } });
    // THEN 100 + 2 = 102 against 99
    expect(budget.headroom).toBe(-3);
    expect(budget.problems).toEqual([
      'connection budget exceeded by 3: web 20 tasks × 5 + workers 2 × 1 = 102 connections at the worst case; max_connections 112 − 3 RDS superuser slots − 10 admin reserve = 99 for the application. ' +
        'Fixes: lower database.poolSizePerWebTask or database.poolSizePerWorker; ' +
        'or lower web.maxTasks or worker.maxConcurrency; or choose a larger database.instanceClass (db.t4g.small allows 225 max_connections)',
    ]);
  });

  test("through a proxy, the demand is set against the proxy's share", () => {
    const budget = checkConnectionBudget({
      maxConnections: 112,
      instanceClass: 'db.t4g.micro',
      webMaxTasks: 30,
      poolSizePerWebTask: 10,
      workerMaxConcurrency: 20,
      poolSizePerWorker: 1,
      proxyMaxConnectionsPercent: 88,
    });
    expect(budget.capacity).toBe(98); // floor(112 × 88%)
    expect(budget.problems).toEqual([
      'connection budget exceeded by 222: web 30 tasks × 10 + workers 20 × 1 = 320 connections at the worst case; RDS Proxy may open 88% of max_connections 112 = 98. ' +
        'Fixes: lower database.poolSizePerWebTask or database.poolSizePerWorker; or lower web.maxTasks or worker.maxConcurrency; or choose a larger database.instanceClass (db.t4g.medium allows 450 max_connections)',
    ]);
  });

  test('a proxy share that leaves no room for the admin reserve is a problem of its own', () => {
    const budget = checkConnectionBudget({
      maxConnections: 112,
      webMaxTasks: 1,
      poolSizePerWebTask: 1,
      workerMaxConcurrency: 1,
      poolSizePerWorker: 1,
      proxyMaxConnectionsPercent: 95,
    });
    expect(budget.problems).toEqual([
      "the admin reserve does not fit beside the proxy: max_connections 112 − 3 RDS superuser slots − 106 for the proxy leaves 3, short of the 10 admin connections by 7; lower the proxy's maxConnectionsPercent or choose a larger instance class",
    ]);
  });

  test('with no class in the family large enough, the advice is general', () => {
    const budget = checkConnectionBudget({
      maxConnections: 112,
      instanceClass: 'db.t4g.micro',
      webMaxTasks: 1000,
      poolSizePerWebTask: 100,
      workerMaxConcurrency: 1,
      poolSizePerWorker: 1,
    });
    expect(budget.problems[0]).toMatch(/; or choose a larger database\.instanceClass \(max_connections grows with instance memory\)$/);
  });

  test('ScalingStack refuses an over-budget profile before anything is deployed', () => {
    // GIVEN staging with 50 tasks of 10 connections on a t4g.medium without a proxy
    const tooBusy: Profile = { ...profiles.staging, name: 'busy', web: { ...profiles.staging.web, maxTasks: 50 } };
    // THEN 505 against 450 − 13 = 437
    expect(() => scalingStack({ profile: tooBusy })).toThrow(
      'ScalingStack-busy/Database: connection budget exceeded by 68: web 50 tasks × 10 + workers 5 × 1 = 505 connections at the worst case; max_connections 450 − 3 RDS superuser slots − 10 admin reserve = 437 for the application. Fixes: lower database.poolSizePerWebTask',
    );
  });

  test('a proxy does not hide the worst case: 505 connections against its 90% share of 450 still fail', () => {
    const pooled: Profile = {
      ...profiles.staging,
      name: 'pooled',
      web: { ...profiles.staging.web, maxTasks: 50 },
      database: { ...profiles.staging.database, proxy: true },
    };
    expect(() => scalingStack({ profile: pooled })).toThrow(
      'ScalingStack-pooled/Database: connection budget exceeded by 100: web 50 tasks × 10 + workers 5 × 1 = 505 connections at the worst case; RDS Proxy may open 90% of max_connections 450 = 405. Fixes: lower database.poolSizePerWebTask or database.poolSizePerWorker; or lower web.maxTasks or worker.maxConcurrency; or choose a larger database.instanceClass (db.t4g.large allows 901 max_connections)',
    );
  });

  test('the same profile fits on a larger class', () => {
    const larger: Profile = {
      ...profiles.staging,
      name: 'larger',
      web: { ...profiles.staging.web, maxTasks: 50 },
      database: { ...profiles.staging.database, instanceClass: 'db.t4g.large' },
    };
    expect(scalingStack({ profile: larger }).database.maxConnections).toBe(901);
  });
});
