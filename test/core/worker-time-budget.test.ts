import { dev, prod, staging, validateProfile, type Profile } from '../../lib';
import {
  batchTimeBudget,
  batchTimeBudgetProblem,
  JOB_RECORD_CONCURRENCY,
  JOB_RECORD_WAITS,
  jobsBatchTimeBudgetProblem,
} from '../../lib/core/worker-timing';

const NAMES = { batchSize: 'worker.batchSize', timeout: 'worker.timeoutSeconds' };
const WAITS = [
  { what: 'connect', ms: 3_000 },
  { what: 'query', ms: 11_000 },
];

describe('batchTimeBudget: rounds of concurrent records, each at its longest, against the timeout', () => {
  test('a batch that fits: 6 records, 2 at a time, 14 s each = 42 s in 60 s', () => {
    expect(batchTimeBudget({ batchSize: 6, recordConcurrency: 2, recordWaits: WAITS, timeoutSeconds: 60 })).toEqual({
      rounds: 3,
      recordWorstCaseMs: 14_000,
      worstCaseMs: 42_000,
      fits: true,
      largestFittingBatchSize: 8,
      smallestFittingTimeoutSeconds: 42,
    });
  });

  test('an odd batch still takes a whole last round, and exactly the timeout fits', () => {
    const budget = batchTimeBudget({ batchSize: 5, recordConcurrency: 2, recordWaits: WAITS, timeoutSeconds: 42 });
    expect(budget).toMatchObject({ rounds: 3, worstCaseMs: 42_000, fits: true });
    expect(batchTimeBudget({ batchSize: 5, recordConcurrency: 2, recordWaits: WAITS, timeoutSeconds: 41 }).fits).toBe(false);
  });

  test("a batch that does not fit: the issue's 10 records, 2 at a time, 3 s + 10 s + 1 s backstop, in 30 s", () => {
    const input = { batchSize: 10, recordConcurrency: 2, recordWaits: WAITS, timeoutSeconds: 30 };
    expect(batchTimeBudget(input)).toMatchObject({
      rounds: 5,
      worstCaseMs: 70_000,
      fits: false,
      largestFittingBatchSize: 4,
      smallestFittingTimeoutSeconds: 70,
    });
    expect(batchTimeBudgetProblem(input, NAMES)).toBe(
      "worker.batchSize (10) at 2 records at a time is 5 rounds × 14 s per record (connect 3 s + query 11 s) = 70 s at the worst case, more than worker.timeoutSeconds (30 s): the function would be stopped mid-batch and every record of it retried, the finished ones too; lower worker.batchSize to 4, or raise worker.timeoutSeconds to 70, or shorten the worker's timeouts (lib/core/worker-timing.ts)",
    );
  });

  test('when not even one record fits, the smaller batch is not offered; fractions of seconds are kept', () => {
    expect(
      batchTimeBudgetProblem({ batchSize: 1, recordConcurrency: 2, recordWaits: [{ what: 'query', ms: 2_500 }], timeoutSeconds: 2 }, NAMES),
    ).toBe(
      "worker.batchSize (1) at 2 records at a time is 1 rounds × 2.5 s per record (query 2.5 s) = 2.5 s at the worst case, more than worker.timeoutSeconds (2 s): the function would be stopped mid-batch and every record of it retried, the finished ones too; raise worker.timeoutSeconds to 3, or shorten the worker's timeouts (lib/core/worker-timing.ts)",
    );
  });

  test('a batch that fits has no problem', () => {
    expect(batchTimeBudgetProblem({ batchSize: 2, recordConcurrency: 2, recordWaits: WAITS, timeoutSeconds: 14 }, NAMES)).toBeUndefined();
  });

  test('the jobs worker: 2 records at a time (its pool), each up to cache connect + database connect + query backstop = 16 s', () => {
    expect(JOB_RECORD_CONCURRENCY).toBe(2);
    expect(JOB_RECORD_WAITS).toEqual([
      { what: 'cache connect', ms: 2_000 },
      { what: 'database connect', ms: 3_000 },
      { what: 'query', ms: 11_000 },
    ]);
    expect(jobsBatchTimeBudgetProblem(6, 48, NAMES)).toBeUndefined();
    expect(jobsBatchTimeBudgetProblem(6, 47, NAMES)).toMatch(
      /^worker\.batchSize \(6\) at 2 records at a time is 3 rounds × 16 s per record .* = 48 s at the worst case, more than worker\.timeoutSeconds \(47 s\)/,
    );
  });
});

describe('the profile rule', () => {
  const withWorker = (base: Profile, worker: Partial<Profile['worker']>): Profile => ({ ...base, worker: { ...base.worker, ...worker } });

  test('every built-in profile fits its batch in its timeout, with the numbers each chose', () => {
    const shapes = [dev, staging, prod].map((p) => ({
      name: p.name,
      batchSize: p.worker.batchSize,
      timeoutSeconds: p.worker.timeoutSeconds,
      worstCaseSeconds:
        batchTimeBudget({
          batchSize: p.worker.batchSize,
          recordConcurrency: JOB_RECORD_CONCURRENCY,
          recordWaits: JOB_RECORD_WAITS,
          timeoutSeconds: p.worker.timeoutSeconds,
        }).worstCaseMs / 1000,
    }));
    expect(shapes).toEqual([
      { name: 'dev', batchSize: 2, timeoutSeconds: 30, worstCaseSeconds: 16 },
      { name: 'staging', batchSize: 6, timeoutSeconds: 60, worstCaseSeconds: 48 },
      { name: 'prod', batchSize: 6, timeoutSeconds: 60, worstCaseSeconds: 48 },
    ]);
  });

  test('a batch that cannot finish inside the timeout fails validateProfile with the numbers and the fixes', () => {
    expect(() => validateProfile(withWorker(prod, { batchSize: 10 }))).toThrow(
      "profile 'prod': worker.batchSize (10) at 2 records at a time is 5 rounds × 16 s per record (cache connect 2 s + database connect 3 s + query 11 s) = 80 s at the worst case, more than worker.timeoutSeconds (60 s): the function would be stopped mid-batch and every record of it retried, the finished ones too; lower worker.batchSize to 6, or raise worker.timeoutSeconds to 80, or shorten the worker's timeouts (lib/core/worker-timing.ts)",
    );
  });

  test('a batch size or timeout already out of range is reported once, not judged against the budget as well', () => {
    expect(() => validateProfile(withWorker(dev, { batchSize: 20 }))).toThrow(
      "profile 'dev': worker.batchSize (20) must be between 1 and 10; SQS event sources take up to 10 records without a batching window",
    );
    expect(() => validateProfile(withWorker(dev, { timeoutSeconds: 0.5 }))).toThrow(
      "profile 'dev': worker.timeoutSeconds (0.5) must be between 1 and 900; Lambda allows 1 second to 15 minutes",
    );
  });
});
