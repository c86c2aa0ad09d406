import { checkConnectionBudget, dev, maxConnectionsFor, PROFILE_NAMES, profiles, type Profile } from '../../../lib';
import { BOOTSTRAP_CONNECTIONS, INSIGHTS_DATABASE_POOL_SIZE, INSIGHTS_MAX_CONCURRENCY } from '../../../lib/core/database';
import { checkProfileConnectionBudget, profileConnectionDemand, roleConnectionLimits } from '../../../lib/core/postgres/connection-budget';
import { DATABASE_POOL_SIZE } from '../../../lib/core/worker-timing';
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
    poolSizePerWorker: DATABASE_POOL_SIZE,
    insightsConnections: INSIGHTS_MAX_CONCURRENCY * INSIGHTS_DATABASE_POOL_SIZE,
    bootstrapConnections: BOOTSTRAP_CONNECTIONS,
    proxyMaxConnectionsPercent: proxyPercent,
  });
}

describe('checkConnectionBudget for every profile', () => {
  test.each([
    // [profile, demand, capacity, headroom, rule]
    ['dev', 16, 72, 56, '2 tasks × 5 + 2 workers × 2 + insights 1 + bootstrap 1 against 85 − 3 RDS superuser slots − 10 admin'],
    ['staging', 52, 400, 348, '4 × 10 + 5 × 2 + 1 + 1 against 413 − 3 − 10'],
    ['prod', 342, 1568, 1228, '30 × 10 + 20 × 2 = 340 through the proxy against 90% of 1743; insights and bootstrap beside it'],
  ])('%s: demand %d, capacity %d, headroom %d (%s)', (name, demand, capacity, headroom) => {
    // GIVEN the built-in profile WHEN its budget is checked
    const profile = profiles[name as keyof typeof profiles];
    const budget = budgetFor(profile, profile.database.proxy ? 90 : undefined);
    // THEN
    expect(budget).toMatchObject({ demand, capacity, headroom, problems: [] });
    // and ScalingStack's call computes the same from the profile alone
    const memory = { 'db.t4g.micro': 1, 'db.t4g.medium': 4, 'db.r7g.large': 16 }[profile.database.instanceClass]!;
    expect(checkProfileConnectionBudget(profile, maxConnectionsFor(memory))).toMatchObject({ demand, capacity, headroom, problems: [] });
  });

  test.each(PROFILE_NAMES)("%s: the demand is what every client's code opens, from the constants the clients read", (name) => {
    const profile = profiles[name];
    // web tasks: DB_POOL_MAX = database.poolSizePerWebTask; jobs worker: DB_POOL_MAX = DATABASE_POOL_SIZE
    // (lambda/shared/database.ts); insights worker: DB_POOL_MAX = INSIGHTS_DATABASE_POOL_SIZE; bootstrap: one session.
    const expected =
      profile.web.maxTasks * profile.database.poolSizePerWebTask +
      profile.worker.maxConcurrency * DATABASE_POOL_SIZE +
      INSIGHTS_MAX_CONCURRENCY * INSIGHTS_DATABASE_POOL_SIZE +
      BOOTSTRAP_CONNECTIONS;
    expect(profileConnectionDemand(profile)).toBe(expected);
  });

  test.each(PROFILE_NAMES)('%s: ScalingStack accepts its own profile', (name) => {
    expect(() => scalingStack({ profile: name })).not.toThrow();
  });
});

describe('checkConnectionBudget over budget', () => {
  test('says by how much, shows the arithmetic and offers every fix, including the smallest class that fits', () => {
    // GIVEN dev with 20 tasks of 5 connections each
    const budget = budgetFor({ ...dev, web: { ...dev.web, maxTasks: 20 } });
    // THEN 100 + 4 + 1 + 1 = 106 against 72
    expect(budget.headroom).toBe(-34);
    expect(budget.problems).toEqual([
      'connection budget exceeded by 34: web 20 tasks × 5 + workers 2 × 2 + insights worker 1 + bootstrap 1 = 106 connections at the worst case; max_connections 85 − 3 RDS superuser slots − 10 admin reserve = 72 for the application. ' +
        "Fixes: lower database.poolSizePerWebTask or the jobs worker's DATABASE_POOL_SIZE (lib/core/worker-timing.ts); " +
        'or lower web.maxTasks or worker.maxConcurrency; or choose a larger database.instanceClass (db.t4g.small allows 198 max_connections)',
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
      'connection budget exceeded by 222: web 30 tasks × 10 + workers 20 × 1 + insights worker 0 + bootstrap 0 = 320 connections at the worst case; RDS Proxy may open 88% of max_connections 112 = 98 for the web tasks and workers (320). ' +
        "Fixes: lower database.poolSizePerWebTask or the jobs worker's DATABASE_POOL_SIZE (lib/core/worker-timing.ts); or lower web.maxTasks or worker.maxConcurrency; or choose a larger database.instanceClass (db.t4g.medium allows 413 max_connections)",
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
      "the admin reserve and the clients that connect to the instance itself do not fit beside the proxy: max_connections 112 − 3 RDS superuser slots − 106 for the proxy leaves 3, short of the 10 admin connections + 0 for the insights worker and bootstrap by 7; lower the proxy's maxConnectionsPercent or choose a larger instance class",
    ]);
  });

  test('the insights worker and the bootstrap connect beside the proxy, with the admin reserve', () => {
    const budget = checkConnectionBudget({
      maxConnections: 100,
      webMaxTasks: 1,
      poolSizePerWebTask: 1,
      workerMaxConcurrency: 1,
      poolSizePerWorker: 1,
      insightsConnections: 1,
      bootstrapConnections: 1,
      proxyMaxConnectionsPercent: 86,
    });
    // 100 − 3 − 86 = 11 beside the proxy, for 10 admin + 2 direct
    expect(budget.problems).toEqual([
      "the admin reserve and the clients that connect to the instance itself do not fit beside the proxy: max_connections 100 − 3 RDS superuser slots − 86 for the proxy leaves 11, short of the 10 admin connections + 2 for the insights worker and bootstrap by 1; lower the proxy's maxConnectionsPercent or choose a larger instance class",
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
    // THEN 500 + 10 + 1 + 1 = 512 against 413 − 13 = 400
    expect(() => scalingStack({ profile: tooBusy })).toThrow(
      'ScalingStack-busy/Database: connection budget exceeded by 112: web 50 tasks × 10 + workers 5 × 2 + insights worker 1 + bootstrap 1 = 512 connections at the worst case; max_connections 413 − 3 RDS superuser slots − 10 admin reserve = 400 for the application. Fixes: lower database.poolSizePerWebTask',
    );
  });

  test('a proxy does not hide the worst case: 510 pooled connections against its 90% share of 413 still fail', () => {
    const pooled: Profile = {
      ...profiles.staging,
      name: 'pooled',
      web: { ...profiles.staging.web, maxTasks: 50 },
      database: { ...profiles.staging.database, proxy: true },
    };
    expect(() => scalingStack({ profile: pooled })).toThrow(
      "ScalingStack-pooled/Database: connection budget exceeded by 139: web 50 tasks × 10 + workers 5 × 2 + insights worker 1 + bootstrap 1 = 512 connections at the worst case; RDS Proxy may open 90% of max_connections 413 = 371 for the web tasks and workers (510). Fixes: lower database.poolSizePerWebTask or the jobs worker's DATABASE_POOL_SIZE (lib/core/worker-timing.ts); or lower web.maxTasks or worker.maxConcurrency; or choose a larger database.instanceClass (db.t4g.large allows 856 max_connections)",
    );
  });

  test('the same profile fits on a larger class', () => {
    const larger: Profile = {
      ...profiles.staging,
      name: 'larger',
      web: { ...profiles.staging.web, maxTasks: 50 },
      database: { ...profiles.staging.database, instanceClass: 'db.t4g.large' },
    };
    expect(scalingStack({ profile: larger }).database.maxConnections).toBe(856);
  });
});

describe('roleConnectionLimits', () => {
  test('without a proxy: the application role gets the web and jobs demand, the monitoring role the insights pool', () => {
    // dev: 2 tasks × 5 + 2 jobs workers × DATABASE_POOL_SIZE
    expect(roleConnectionLimits(profiles.dev, 85)).toEqual({
      application: 2 * 5 + 2 * DATABASE_POOL_SIZE,
      monitoring: INSIGHTS_MAX_CONCURRENCY * INSIGHTS_DATABASE_POOL_SIZE,
    });
    expect(roleConnectionLimits(profiles.staging, 413)).toEqual({ application: 4 * 10 + 5 * DATABASE_POOL_SIZE, monitoring: 1 });
  });

  test("through the proxy: the application role's limit is the proxy's share, which bounds the proxy itself", () => {
    // prod: 90% of 1743 = 1568 (the default share); an explicit share is used as given
    expect(roleConnectionLimits(profiles.prod, 1743)).toEqual({ application: 1568, monitoring: 1 });
    expect(roleConnectionLimits(profiles.prod, 1743, 50)).toEqual({ application: 871, monitoring: 1 });
  });

  test('the limits and the budget agree: what the roles may open is what the budget counts', () => {
    for (const name of PROFILE_NAMES) {
      const direct: Profile = { ...profiles[name], database: { ...profiles[name].database, proxy: false } };
      const limits = roleConnectionLimits(direct, 5000);
      expect(limits.application + limits.monitoring + BOOTSTRAP_CONNECTIONS).toBe(profileConnectionDemand(direct));
    }
  });
});
