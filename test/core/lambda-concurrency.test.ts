import { dev, prod, profileProblems, staging } from '../../lib';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  UNRESERVED_CONCURRENCY_MINIMUM,
  checkConcurrencyBudget,
  scheduledWorkerReservedConcurrency,
  stackScheduledWorkerReservations,
} from '../../lib/core/lambda-concurrency';

describe('scheduledWorkerReservedConcurrency', () => {
  test('one execution when a run (its whole timeout) ends before the next one starts', () => {
    expect(scheduledWorkerReservedConcurrency(15, 60)).toBe(1);
    expect(scheduledWorkerReservedConcurrency(5, 300)).toBe(1);
    expect(scheduledWorkerReservedConcurrency(24 * 60, 120)).toBe(1);
  });

  test('as many executions as runs can overlap when a run may outlast the interval', () => {
    // a 15-minute run every 5 minutes: three can be going at once
    expect(scheduledWorkerReservedConcurrency(5, 900)).toBe(3);
    expect(scheduledWorkerReservedConcurrency(5, 301)).toBe(2);
  });

  test("the stack's two scheduled workers reserve one execution each on their default schedules", () => {
    expect(stackScheduledWorkerReservations()).toEqual([
      { name: 'database insights worker', reservedConcurrency: 1 },
      { name: 'right-sizing advisor', reservedConcurrency: 1 },
    ]);
  });
});

describe('checkConcurrencyBudget', () => {
  const reservations = [
    { name: 'insights', reservedConcurrency: 1 },
    { name: 'advisor', reservedConcurrency: 1 },
  ];

  test('AWS defaults: 1,000 - 2 reserved - 100 unreserved leaves 898 for the jobs worker', () => {
    expect(DEFAULT_ACCOUNT_CONCURRENCY).toBe(1000);
    expect(UNRESERVED_CONCURRENCY_MINIMUM).toBe(100);
    const budget = checkConcurrencyBudget({ accountConcurrency: 1000, reservations, jobsMaxConcurrency: 898 });
    expect(budget).toEqual({ reservedTotal: 2, availableForJobs: 898, problems: [] });
  });

  test('one execution more than is left is refused, with every number and the fixes', () => {
    const budget = checkConcurrencyBudget({ accountConcurrency: 1000, reservations, jobsMaxConcurrency: 899 });
    expect(budget.problems).toEqual([
      'worker.maxConcurrency (899) exceeds the Lambda concurrency left for the jobs worker: worker.accountConcurrency 1000 - reserved 2 (insights 1, advisor 1) - 100 AWS keeps unreserved = 898; lower worker.maxConcurrency to 898 or less, or raise the account\'s quota (Service Quotas, Lambda "Concurrent executions") and worker.accountConcurrency with it',
    ]);
  });

  test("a new account's small quota leaves nothing: the fix never suggests a negative maximum", () => {
    const budget = checkConcurrencyBudget({
      accountConcurrency: 10,
      reservations: [],
      jobsMaxConcurrency: 2,
      names: { accountConcurrency: 'accountConcurrency', jobsMaxConcurrency: 'maxConcurrency' },
    });
    expect(budget.availableForJobs).toBe(-90);
    expect(budget.problems[0]).toMatch(
      /^maxConcurrency \(2\) exceeds .*: accountConcurrency 10 - reserved 0 \(none\) - 100 AWS keeps unreserved = -90; lower maxConcurrency to 0 or less/,
    );
  });
});

describe('profile rules: concurrency and log encryption', () => {
  test('every shipped profile fits its jobs worker in the default account concurrency', () => {
    for (const profile of [dev, staging, prod]) {
      expect(profile.worker.accountConcurrency).toBe(1000);
      expect(profileProblems(profile)).toEqual([]);
    }
  });

  test('an account quota too small for the jobs worker is a profile problem naming the numbers', () => {
    const problems = profileProblems({ ...prod, worker: { ...prod.worker, accountConcurrency: 110 } });
    expect(problems).toEqual([
      expect.stringMatching(
        /^worker\.maxConcurrency \(20\) exceeds the Lambda concurrency left for the jobs worker: worker\.accountConcurrency 110 - reserved 2 \(database insights worker 1, right-sizing advisor 1\) - 100 AWS keeps unreserved = 8; lower worker\.maxConcurrency to 8 or less/,
      ),
    ]);
  });

  test('an account quota that is not a whole positive number is refused', () => {
    expect(profileProblems({ ...dev, worker: { ...dev.worker, accountConcurrency: 0 } })).toContain(
      "worker.accountConcurrency (0) must be between 1 and 1000000; the account's Lambda concurrent-executions quota in the Region (Service Quotas; AWS default 1,000)",
    );
  });

  test('production requires encrypted logs; dev and staging may choose', () => {
    expect(profileProblems({ ...prod, observability: { ...prod.observability, encryptLogs: false } })).toEqual([
      "observability.encryptLogs is false; production profiles require it so every log group is encrypted under the stack's own KMS key, whose use is audited and revocable",
    ]);
    expect([dev.observability.encryptLogs, staging.observability.encryptLogs, prod.observability.encryptLogs]).toEqual([false, true, true]);
    expect(profileProblems({ ...staging, observability: { ...staging.observability, encryptLogs: false } })).toEqual([]);
  });
});
