import { dev, prod, profileProblems, staging, type Profile } from '../../../lib';
import { taskHoldsCollector, traceMapUrl, type TracingSettings } from '../../../lib/core/tracing';

/** A copy of `base` with its tracing section changed. */
function withTracing(base: Profile, change: Partial<TracingSettings>): Profile {
  return { ...base, observability: { ...base.observability, tracing: { ...base.observability.tracing, ...change } } };
}

describe('profiles: observability.tracing', () => {
  test('off in dev, on and sampled in staging and prod', () => {
    expect(dev.observability.tracing.enabled).toBe(false);
    for (const p of [staging, prod]) {
      expect(p.observability.tracing.enabled).toBe(true);
      expect(p.observability.tracing.samplingRate).toBeGreaterThan(0);
      expect(p.observability.tracing.samplingRate).toBeLessThan(1);
      expect(p.observability.tracing.reservoirPerSecond).toBeGreaterThanOrEqual(1);
    }
  });

  test('a sampling rate outside [0, 1] names the field, the value, the range and what it means', () => {
    expect(profileProblems(withTracing(prod, { samplingRate: 1.5 }))).toEqual([
      'observability.tracing.samplingRate (1.5) must be between 0 and 1; it is the share of requests traced beyond the reservoir (0.05 = one in twenty)',
    ]);
    expect(profileProblems(withTracing(prod, { samplingRate: -0.1 }))).toEqual([
      'observability.tracing.samplingRate (-0.1) must be between 0 and 1; it is the share of requests traced beyond the reservoir (0.05 = one in twenty)',
    ]);
    expect(profileProblems(withTracing(prod, { samplingRate: Number.NaN }))).toHaveLength(1);
  });

  test('the reservoir is a whole number of traces a second, 0 to 1,000', () => {
    expect(profileProblems(withTracing(prod, { reservoirPerSecond: 0.5, samplingRate: 0 }))).toEqual([
      'observability.tracing.reservoirPerSecond (0.5) must be a whole number between 0 and 1000; traces recorded each second before samplingRate applies',
    ]);
    expect(profileProblems(withTracing(prod, { reservoirPerSecond: 1001 }))).toEqual([
      'observability.tracing.reservoirPerSecond (1001) must be between 0 and 1000; traces recorded each second before samplingRate applies',
    ]);
  });

  test("the collector may take at most a quarter of the task's CPU and memory, with the fix", () => {
    // prod's task: 1024 CPU units, 2048 MiB
    expect(profileProblems(withTracing(prod, { collectorCpu: 512, collectorMemoryMiB: 1024 }))).toEqual([
      "observability.tracing.collectorCpu (512) must leave the app at least 75 % of the task's 1024 CPU units, i.e. be at most 256; lower it or raise the task's cpu",
      "observability.tracing.collectorMemoryMiB (1024) must leave the app at least 75 % of the task's 2048 MiB, i.e. be at most 512; lower it or raise the task's memoryMiB",
    ]);
    expect(profileProblems(withTracing(prod, { collectorCpu: 16, collectorMemoryMiB: 32 }))).toEqual([
      'observability.tracing.collectorCpu (16 CPU units) must be between 32 and 16384 CPU units',
      'observability.tracing.collectorMemoryMiB (32 MiB) must be between 64 and 122880 MiB',
    ]);
  });

  test("with tracing off the collector's share is not judged (nothing runs), its ranges still are", () => {
    const small = { ...dev, web: { ...dev.web, cpu: 256, memoryMiB: 512 } };
    expect(profileProblems(withTracing(small, { enabled: false, collectorCpu: 128, collectorMemoryMiB: 256 }))).toEqual([]);
    expect(profileProblems(withTracing(small, { enabled: true, collectorCpu: 128, collectorMemoryMiB: 256 }))).toHaveLength(2);
  });

  test('taskHoldsCollector: the sizes the right-sizing advisor may propose', () => {
    const t = prod.observability.tracing;
    expect(taskHoldsCollector(t, { cpu: 512, memoryMiB: 1024 })).toBe(true);
    expect(taskHoldsCollector(t, { cpu: 256, memoryMiB: 1024 })).toBe(false);
    expect(taskHoldsCollector({ ...t, enabled: false }, { cpu: 256, memoryMiB: 512 })).toBe(true);
    expect(taskHoldsCollector(undefined, { cpu: 256, memoryMiB: 512 })).toBe(true);
  });

  test("the trace map's console address is the region's", () => {
    expect(traceMapUrl('eu-west-1')).toBe('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#xray:service-map/map');
  });
});
