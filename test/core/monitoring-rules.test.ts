import { dev, prod, PROFILE_NAMES, profiles, validateProfile, type MonitoringProfile } from '../../lib';
import { BURN_RATE_WINDOWS, MAX_BURN_RATE } from '../../lib/core/monitoring';
import { catalogEntries, thresholdRange } from '../../lib/core/alarm-catalog';
import { MIN_SLO_PERCENT_WITH_BURN_ALARMS, thresholdProblem } from '../../lib/core/monitoring-rules';

/** prod with its monitoring section changed. */
function prodWith(monitoring: Partial<MonitoringProfile>) {
  return { ...prod, monitoring: { ...prod.monitoring, ...monitoring } };
}

describe('the monitoring section of a profile', () => {
  test('a percentage above 100, a negative latency, a fractional count, and a number where none is allowed are reported together', () => {
    // GIVEN four bad thresholds in one profile
    const bad = prodWith({
      web: { ...prod.monitoring.web, cpuPercent: 101, errorRatePercent: 'off' as unknown as number },
      database: { ...prod.monitoring.database, readLatencyMs: -1 },
      worker: { ...prod.monitoring.worker, deadLetterMessageCount: 0.5 },
    });
    // WHEN / THEN
    expect(() => validateProfile(bad)).toThrow(
      [
        "profile 'prod': 4 problems:",
        "  - monitoring.web.errorRatePercent ('off') cannot be 'off': this alarm is also the WebService's deployment (rollback) alarm; give a number",
        "  - monitoring.web.cpuPercent (101) must be above 0 and below 100 (a percentage), or 'off'",
        "  - monitoring.database.readLatencyMs (-1) must be above 0 and at most 3600000 (milliseconds, at most an hour), or 'off'",
        "  - monitoring.worker.deadLetterMessageCount (0.5) must be a whole number at least 1 and at most 1000000000 (a whole count), or 'off'",
      ].join('\n'),
    );
  });

  test('database-insight and scheduled-worker thresholds out of range, and a name Monitoring does not know, are reported together', () => {
    // GIVEN bad thresholds in the two sections of the scheduled workers
    const bad = prodWith({
      databaseInsights: {
        ...prod.monitoring.databaseInsights,
        bufferCacheHitRatioPercent: 0,
        longestTransactionSeconds: 2_000_000,
        idleInTransactionSessions: 2.5,
        hitRatio: 90,
      } as unknown as MonitoringProfile['databaseInsights'],
      scheduledWorker: { ...prod.monitoring.scheduledWorker, errorsPer5Min: 0 },
    });
    // WHEN / THEN
    expect(() => validateProfile(bad)).toThrow(
      [
        "profile 'prod': 5 problems:",
        "  - monitoring.databaseInsights.bufferCacheHitRatioPercent (0) must be above 0 and at most 100 (a percentage), or 'off'",
        "  - monitoring.databaseInsights.longestTransactionSeconds (2000000) must be above 0 and at most 1209600 (seconds, at most 14 days), or 'off'",
        "  - monitoring.databaseInsights.idleInTransactionSessions (2.5) must be a whole number at least 1 and at most 1000000000 (a whole count), or 'off'",
        '  - monitoring.databaseInsights.hitRatio is not a threshold Monitoring knows; the databaseInsights thresholds are bufferCacheHitRatioPercent, slowStatementCount, longestTransactionSeconds, connectionUsePercent, idleInTransactionSessions, indexCandidateCount, unavailableSectionCount',
        "  - monitoring.scheduledWorker.errorsPer5Min (0) must be a whole number at least 1 and at most 1000000000 (a whole count), or 'off'",
      ].join('\n'),
    );
  });

  test("a profile without its alarm thresholds (the right-sizing advisor's copy) is judged on the rest", () => {
    const { monitoring: _thresholds, ...advised } = prod;
    expect(() => validateProfile(advised as typeof prod)).not.toThrow();
    expect(() => validateProfile({ ...advised, database: { ...prod.database, multiAz: false } } as typeof prod)).toThrow(
      "profile 'prod': database.multiAz is false; production profiles require it so the database survives an AZ outage",
    );
  });

  test.each([0, 100, -3, 150])('an SLO target of %s is not in (0, 100)', (target) => {
    expect(() => validateProfile(prodWith({ availabilitySloPercent: target }))).toThrow(
      `profile 'prod': monitoring.availabilitySloPercent (${target}) must be above 0 and below 100: the share of requests that must meet the SLO over 30 days, such as 99.9 (100 leaves no error budget to alarm on)`,
    );
  });

  test('an SLO target too low for its fastest burn-rate alarm to ever fire, unless those alarms are off', () => {
    expect(MIN_SLO_PERCENT_WITH_BURN_ALARMS).toBe(93.06);
    expect(() => validateProfile(prodWith({ latencySloPercent: 90 }))).toThrow(
      "profile 'prod': monitoring.latencySloPercent (90) leaves an error budget of 10 %: the fast burn-rate alarm (14.4x) would need 144 % of requests to fail, which cannot happen; use a target of at least 93.06, or sloBurnRateAlarms: false",
    );
    expect(() => validateProfile(prodWith({ latencySloPercent: 90, sloBurnRateAlarms: false }))).not.toThrow();
    expect(() => validateProfile(prodWith({ latencySloPercent: MIN_SLO_PERCENT_WITH_BURN_ALARMS }))).not.toThrow();
  });

  test('a latency SLO threshold that is not a positive time, and a threshold name Monitoring does not know', () => {
    const bad = prodWith({
      latencySloThresholdMs: 0,
      cache: { ...prod.monitoring.cache, hitRatePercent: 80 } as unknown as MonitoringProfile['cache'],
    });
    expect(() => validateProfile(bad)).toThrow(
      [
        "profile 'prod': 2 problems:",
        '  - monitoring.latencySloThresholdMs (0) must be above 0 and at most 3600000 (an hour): the response time a request must beat to count as fast',
        '  - monitoring.cache.hitRatePercent is not a threshold Monitoring knows; the cache thresholds are engineCpuPercent, memoryPercent, evictionsPer5Min, connectionCount, replicationLagSeconds',
      ].join('\n'),
    );
  });

  test("without the insights worker's metrics, every PostgreSQL threshold must be off: they would alarm on metrics nobody publishes", () => {
    // GIVEN prod with the metrics off but its PostgreSQL thresholds kept, all but one
    const bad = prodWith({
      databaseInsightsMetrics: false,
      databaseInsights: { ...prod.monitoring.databaseInsights, bufferCacheHitRatioPercent: 'off' },
    });
    // WHEN / THEN every threshold still on is named, with its value
    expect(() => validateProfile(bad)).toThrow(
      "profile 'prod': monitoring.databaseInsightsMetrics is false, so the database insights worker publishes no metrics, but databaseInsights.slowStatementCount (10), databaseInsights.longestTransactionSeconds (300), databaseInsights.connectionUsePercent (90), databaseInsights.idleInTransactionSessions (10), databaseInsights.indexCandidateCount (1), databaseInsights.unavailableSectionCount (1) would alarm on them; set them to 'off', or databaseInsightsMetrics to true",
    );
    expect(() =>
      validateProfile(prodWith({ databaseInsightsMetrics: false, databaseInsights: { ...dev.monitoring.databaseInsights } })),
    ).not.toThrow();
    expect(() =>
      validateProfile({
        ...dev,
        monitoring: { ...dev.monitoring, databaseInsights: { ...dev.monitoring.databaseInsights, unavailableSectionCount: 1 } },
      }),
    ).toThrow(
      "profile 'dev': monitoring.databaseInsightsMetrics is false, so the database insights worker publishes no metrics, but databaseInsights.unavailableSectionCount (1) would alarm on them; set it to 'off', or databaseInsightsMetrics to true",
    );
  });

  test('databaseInsightsMetrics must be true or false', () => {
    expect(() => validateProfile(prodWith({ databaseInsightsMetrics: 'yes' as unknown as boolean }))).toThrow(
      "profile 'prod': monitoring.databaseInsightsMetrics ('yes') must be true or false",
    );
  });

  test('\'off\' turns an alarm off, and a 100 % floor is meaningful for a "below" alarm', () => {
    expect(() =>
      validateProfile({
        ...dev,
        monitoring: { ...dev.monitoring, web: { ...dev.monitoring.web, memoryPercent: 'off', runningTasksPercentOfMinimum: 100 } },
      }),
    ).not.toThrow();
  });
});

describe('the alarm catalog', () => {
  test('every alarm finds its datapoints within its evaluation periods, and ids are unique per section', () => {
    const ids = new Set<string>();
    for (const { section, definition } of catalogEntries()) {
      expect(definition.datapointsToAlarm).toBeLessThanOrEqual(definition.evaluationPeriods);
      expect(definition.datapointsToAlarm).toBeGreaterThanOrEqual(1);
      expect(ids.has(`${section}.${definition.id}`)).toBe(false);
      ids.add(`${section}.${definition.id}`);
      expect(definition.meaning.length).toBeGreaterThan(20);
      expect(definition.checkFirst.length).toBeGreaterThan(20);
    }
  });

  test("every built-in profile's value is inside its alarm's meaningful range", () => {
    for (const name of PROFILE_NAMES) {
      for (const { section, field, definition } of catalogEntries()) {
        const value = (profiles[name].monitoring[section] as unknown as Record<string, unknown>)[field];
        expect({ name, field, problem: thresholdProblem(definition, value) }).toEqual({ name, field, problem: undefined });
      }
    }
  });

  test('percentages cap at 100, exclusive where the alarm fires above', () => {
    const [above] = catalogEntries().filter((e) => e.field === 'cpuPercent');
    const [below] = catalogEntries().filter((e) => e.field === 'runningTasksPercentOfMinimum');
    expect(thresholdRange(above.definition)).toMatchObject({ max: 100, maxExclusive: true });
    expect(thresholdRange(below.definition)).toMatchObject({ max: 100, maxExclusive: false });
  });

  test('burn-rate windows: the short window is a twelfth of the long one, the fast pair spends 2 % of the budget in an hour', () => {
    for (const w of BURN_RATE_WINDOWS) {
      expect(w.shortWindowSeconds * 12).toBe(w.longWindowSeconds);
      // budget spent in the long window = burn rate x window / 30 days
      expect(((w.burnRate * w.longWindowSeconds) / 3600 / (30 * 24)) * 100).toBeCloseTo(w.budgetSpentPercent, 6);
    }
    expect(MAX_BURN_RATE).toBe(14.4);
  });
});
