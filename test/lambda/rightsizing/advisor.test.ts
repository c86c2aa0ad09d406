import { dev, prod, staging } from '../../../lib/core/profiles';
import type { Profile } from '../../../lib/core/profiles/profile';
import type { RightsizingReport } from '../../../lambda/rightsizing/advisor';
import { bundledPrices } from '../../../lambda/rightsizing/prices';
import { safetyProblems } from '../../../lambda/rightsizing/safety';
import { metrics, run, spiky, testWindow, type Shape } from './helpers';
import type { MetricKey } from '../../../lambda/rightsizing/plan';

const GIB = 1024 ** 3;
const window = testWindow(14);

/** prod under a load it is sized for: nothing to change anywhere. */
const healthyProd: Partial<Record<MetricKey, Shape>> = {
  'web.cpu': 55,
  'web.memory': 50,
  'web.tasks': 6,
  'web.requests': 20_000,
  'web.latency': 0.12,
  'database.cpu': 50,
  'database.freeableMemory': 4 * GIB,
  'database.connections': 300,
  'database.readIops': 400,
  'database.writeIops': 200,
  'cache.cpu': 30,
  'cache.memory': 60,
  'cache.evictions': 0,
  'worker.duration': 2_000,
  'worker.durationAverage': 300,
  'worker.invocations': 50,
  'worker.concurrency': 3,
  'worker.throttles': 0,
  'worker.queueAge': 5,
};

function recommendation(report: RightsizingReport, component: string) {
  return report.recommendations.filter((r) => r.component === component);
}

describe('advise', () => {
  test('prod under the load it is sized for gets no recommendation, with each component kept at high confidence', () => {
    // GIVEN 14 days of steady, moderate load
    // WHEN
    const report = run(prod, metrics(window, healthyProd));
    // THEN
    expect(report.recommendations).toEqual([]);
    expect(report.actionable).toBe(false);
    expect(report.components.map((c) => [c.component, c.status, c.confidence])).toEqual([
      ['web', 'keep', 'high'],
      ['database', 'keep', 'high'],
      ['cache', 'keep', 'high'],
      ['worker', 'keep', 'high'],
    ]);
    expect(report.recommendedProfile).toBe(prod);
  });

  describe('steady low load', () => {
    // GIVEN a fortnight at a fraction of prod's capacity, the service resting at its floor
    const quiet = metrics(window, {
      ...healthyProd,
      'web.cpu': (i) => 8 + (i % 3),
      'web.memory': 20,
      'web.tasks': 3,
      'database.cpu': 8,
      'database.freeableMemory': 14 * GIB,
      'database.connections': 40,
      'cache.cpu': 5,
      'cache.memory': 10,
    });
    // WHEN
    const report = run(prod, quiet);

    test('downsizes the database to the cheapest class that fits, keeping Multi-AZ, with the cost from the price table', () => {
      const [db] = recommendation(report, 'database');
      expect(db).toMatchObject({
        action: 'downsize',
        changes: [{ path: 'database.instanceClass', from: 'db.r7g.large', to: 'db.m7g.large' }],
        confidence: 'high',
        // (0.337 - 0.478) $/h Multi-AZ x 730 h; same vCPUs, so the proxy and Database Insights bills stay.
        monthlyUsd: -102.93,
      });
      expect(db.summary).toBe(
        'shrink the database from db.r7g.large to db.m7g.large (still Multi-AZ): CPU would peak at 8 % on 2 vCPUs and 2 GiB in use fits 8 GiB',
      );
      expect(db.evidence[0]).toBe('CPUUtilization (Average) p50 8 %, p95 8 %, max 8 % over 14 days of 5-minute datapoints (4,032 of 4,032 expected)');
      expect(report.recommendedProfile.database.multiAz).toBe(true);
    });

    test('shrinks the web task the service rests on to the smallest Fargate size that holds its p95 at the CPU target', () => {
      const [web] = recommendation(report, 'web');
      expect(web).toMatchObject({
        action: 'downsize',
        // 256 units hold the p95 of 10 % of 1024 at the 60 % target and 512 MiB the 20 % peak of 2048
        // at 80 %, but prod's trace collector (128 units, 256 MiB) may take at most a quarter of the
        // task (lib/core/tracing.ts): 512 units / 1 GiB is the smallest size that holds it.
        changes: [
          { path: 'web.cpu', from: 1024, to: 512 },
          { path: 'web.memoryMiB', from: 2048, to: 1024 },
        ],
        // 3 ARM tasks on demand: (0.5 x 0.03238 + 1 x 0.00356) - (1 x 0.03238 + 2 x 0.00356) $/h x 730 h.
        monthlyUsd: -43.25,
      });
      expect(web.summary).toContain('the service rests at its floor of 3 task(s) at 10 % CPU (p95) against a 60 % target');
    });

    test('moves the cache to a cheaper node type and drops the third node, and the two effects add up', () => {
      const cache = recommendation(report, 'cache');
      expect(cache.map((r) => r.changes)).toEqual([
        [{ path: 'cache.nodes', from: 3, to: 2 }],
        [{ path: 'cache.nodeType', from: 'cache.r7g.large', to: 'cache.m7g.large' }],
      ]);
      // 3 x r7g.large ($0.1752/h) -> 2 x m7g.large ($0.1264/h), 730 h: -$199.14 in all.
      expect(cache.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0)).toBeCloseTo(-199.14, 1);
      expect(report.recommendedProfile.cache).toMatchObject({ nodeType: 'cache.m7g.large', nodes: 2, multiAz: true });
    });

    test('the recommended profile passes the same checks as synth, and the total is the sum of the effects', () => {
      expect(safetyProblems(report.recommendedProfile)).toEqual([]);
      expect(report.monthlyUsd).toBeCloseTo(
        report.recommendations.reduce((s, r) => s + (r.monthlyUsd ?? 0), 0),
        2,
      );
      expect(report.actionable).toBe(true);
    });

    test('never recommends below the production rules: two tasks and two cache nodes stay', () => {
      // GIVEN prod already at the smallest task, so only the task count could shrink
      // (with a collector that fits the smallest task: a quarter of it)
      const smallest: Profile = {
        ...prod,
        web: { ...prod.web, cpu: 256, memoryMiB: 512, minTasks: 2 },
        cache: { ...prod.cache, nodes: 2 },
        observability: { ...prod.observability, tracing: { ...prod.observability.tracing, collectorCpu: 64, collectorMemoryMiB: 128 } },
      };
      // WHEN
      const again = run(smallest, quiet);
      // THEN
      expect(again.recommendedProfile.web.minTasks).toBe(2);
      expect(again.recommendedProfile.cache.nodes).toBe(2);
      expect(again.recommendedProfile.cache.multiAz).toBe(true);
      expect(safetyProblems(again.recommendedProfile)).toEqual([]);
    });
  });

  test('spiky load keeps the sizes and says why', () => {
    // GIVEN a quiet database and web tier with a burst to 95 % every ~2 days
    const report = run(
      prod,
      metrics(window, { ...healthyProd, 'web.cpu': spiky(10, 95), 'web.tasks': 3, 'web.memory': 60, 'database.cpu': spiky(8, 95) }),
    );
    // THEN
    expect(recommendation(report, 'web')).toEqual([]);
    expect(recommendation(report, 'database')).toEqual([]);
    expect(report.components.find((c) => c.component === 'web')?.notes).toContain(
      'task CPU kept: the load is spiky (busiest minute 95 % against a p95 of 10 %); autoscaling needs the headroom of the current size to meet those minutes',
    );
  });

  test('missing data: no recommendation, said plainly', () => {
    // GIVEN database CPU for only the last 5 of 14 days, and no cache metrics at all
    const series = {
      ...metrics(window, { ...healthyProd, 'database.cpu': 5, 'database.freeableMemory': 15 * GIB }),
      ...metrics(window, { 'database.cpu': 5 }, { days: 5 }),
    };
    delete series['cache.cpu'];
    // WHEN
    const report = run(prod, series);
    // THEN
    const db = report.components.find((c) => c.component === 'database')!;
    expect(db.status).toBe('insufficient-data');
    expect(db.notes).toEqual([
      'too little data to recommend anything: CPUUtilization (Average) has 1,440 of 4,032 expected datapoints (36 %) over the 14 days window; at least 50 % are needed',
    ]);
    expect(report.components.find((c) => c.component === 'cache')?.status).toBe('insufficient-data');
    expect(recommendation(report, 'database')).toEqual([]);
  });

  test('two days of data report a bottleneck but take no capacity away', () => {
    // GIVEN a 2-day window: the database idles, the cache is full and evicting
    const short = testWindow(2);
    const report = run(
      prod,
      metrics(short, { ...healthyProd, 'database.cpu': 5, 'database.freeableMemory': 15 * GIB, 'cache.memory': 95, 'cache.evictions': 10 }),
      { window: short },
    );
    // THEN
    expect(recommendation(report, 'database')).toEqual([]);
    expect(report.components.find((c) => c.component === 'database')?.notes).toContain(
      'the database class db.r7g.large looks oversized, but the data spans only 2 days; the advisor takes capacity away after 3 days of data (the window is 2 days)',
    );
    expect(recommendation(report, 'cache')).toMatchObject([
      { action: 'upsize', confidence: 'low', changes: [{ path: 'cache.nodeType', from: 'cache.r7g.large', to: 'cache.r7g.xlarge' }] },
    ]);
  });

  test('a database short of memory grows to the cheapest class it fits; one short of CPU leaves the burstable classes', () => {
    // GIVEN staging's db.t4g.medium (4 GiB) with 0.3 GiB freeable
    const memoryBound = run(
      staging,
      metrics(window, { ...healthyProd, 'database.cpu': 40, 'database.freeableMemory': 0.3 * GIB, 'database.connections': 30 }),
    );
    expect(recommendation(memoryBound, 'database')).toMatchObject([
      {
        action: 'upsize',
        changes: [{ path: 'database.instanceClass', from: 'db.t4g.medium', to: 'db.t4g.large' }],
        // (0.129 - 0.065) $/h single-AZ x 730 h
        monthlyUsd: 46.72,
      },
    ]);
    // GIVEN the same class at 90 % CPU: 2 more vCPUs are needed, and the table's cheapest 4-vCPU class is db.r7g.xlarge
    const cpuBound = run(
      staging,
      metrics(window, { ...healthyProd, 'database.cpu': 90, 'database.freeableMemory': 2 * GIB, 'database.connections': 30 }),
    );
    expect(recommendation(cpuBound, 'database')).toMatchObject([{ action: 'upsize', changes: [{ to: 'db.r7g.xlarge' }] }]);
    expect(recommendation(cpuBound, 'database')[0].summary).toBe('grow the database from db.t4g.medium to db.r7g.xlarge: CPU runs at 90 % (p95)');
  });

  test('the service at its task ceiling gets a higher ceiling, and only what the connection budget allows', () => {
    // GIVEN staging pinned at 4 tasks and 80 % CPU
    const report = run(staging, metrics(window, { ...healthyProd, 'web.cpu': 80, 'web.tasks': 4 }));
    // THEN 4 x 1.5 = 6 tasks fits db.t4g.medium's budget
    expect(recommendation(report, 'web')).toMatchObject([{ action: 'upsize', changes: [{ path: 'web.maxTasks', from: 4, to: 6 }] }]);
    // GIVEN dev's micro database, whose budget leaves no room for more web connections
    const tight: Profile = { ...dev, database: { ...dev.database, poolSizePerWebTask: 40 } };
    const devReport = run(tight, metrics(window, { ...healthyProd, 'web.cpu': 90, 'web.tasks': 2 }));
    expect(recommendation(devReport, 'web')).toEqual([]);
    expect(devReport.components.find((c) => c.component === 'web')?.notes.join('\n')).toMatch(
      /the service ran at its ceiling \(web\.maxTasks 2\) at 90 % p95 CPU, but a higher ceiling breaks a safety rule: connection budget exceeded by \d+/,
    );
  });

  test('the worker: more memory near its timeout, more concurrency when held back while messages wait', () => {
    const report = run(prod, metrics(window, { ...healthyProd, 'worker.duration': 55_000, 'worker.concurrency': 20, 'worker.queueAge': 300 }));
    expect(recommendation(report, 'worker').map((r) => r.changes)).toEqual([
      [{ path: 'worker.maxConcurrency', from: 20, to: 40 }],
      [{ path: 'worker.memoryMiB', from: 1024, to: 2048 }],
    ]);
    // 50 invocations per 5 minutes at 300 ms for a month, 1 GB more, at $0.0000133334/GB-s.
    expect(recommendation(report, 'worker')[1].monthlyUsd).toBeCloseTo(((50 * 288 * 365.25) / 12) * 0.3 * 0.0000133334, 1);
    expect(report.components.find((c) => c.component === 'worker')?.notes).toContain(
      'memory use is not published (Lambda Insights is off): the advisor never lowers memory without it',
    );
  });

  test('a price the table lacks leaves the cost effect unknown instead of wrong', () => {
    // GIVEN a price table with the instance prices but not RDS Proxy's
    const withoutProxy = bundledPrices({
      hoursPerMonth: 730,
      prices: { 'rds.postgres.db.m7g.large.multiAz.hour': { usd: 0.337 }, 'rds.postgres.db.r7g.large.multiAz.hour': { usd: 0.478 } },
    });
    // WHEN
    const report = run(
      prod,
      metrics(window, { ...healthyProd, 'database.cpu': 8, 'database.freeableMemory': 14 * GIB, 'database.connections': 40 }),
      { prices: withoutProxy, components: ['database'] },
    );
    // THEN the proxy's price is missing: the change is still recommended, its cost is unknown
    expect(recommendation(report, 'database')).toMatchObject([{ changes: [{ to: 'db.m7g.large' }], monthlyUsd: null }]);
  });

  test('components the advisor was not given are reported as not monitored', () => {
    const report = run(prod, metrics(window, healthyProd), { components: ['database'] });
    expect(report.components.map((c) => [c.component, c.status])).toEqual([
      ['web', 'not-monitored'],
      ['database', 'keep'],
      ['cache', 'not-monitored'],
      ['worker', 'not-monitored'],
    ]);
  });
});
