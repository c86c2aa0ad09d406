import { invocationsPerMonth } from '../../../tools/cost/pricing/scheduler';
import { expectUsd, HOURS, line, priceFixture } from './fixture';

describe('EventBridge Scheduler pricing (fixtures/scheduler.template.json)', () => {
  // GIVEN schedules every 15 minutes, daily, disabled, and one the tool cannot count
  const result = priceFixture('scheduler');

  test('invocations a month from the expression, at $1.00 per million', () => {
    // 730 h x 4 = 2,920 and 730 / 24 = 30.4 invocations a month
    expectUsd(line(result, 'Every15Minutes', 'Scheduler invocations'), (2920 / 1e6) * 1.0);
    expectUsd(line(result, 'DailyAt0615', 'Scheduler invocations'), (HOURS / 24 / 1e6) * 1.0);
  });

  test('a disabled schedule and the asynchronous invocation settings are free; a cron it cannot count is unpriced', () => {
    expect(result.free.map((f) => f.type).sort()).toEqual(['AWS::Lambda::EventInvokeConfig', 'AWS::Scheduler::Schedule']);
    expect(result.unpriced.map((u) => u.reason)).toEqual(["cron expression 'cron(0 12 ? * 6L *)' has days the tool cannot count"]);
  });

  test.each([
    ['rate(1 hour)', 730],
    ['rate(2 days)', 730 / 48],
    ['cron(0 */6 * * ? *)', 4 * (730 / 24)],
    ['cron(0 8 ? * MON-FRI *)', (5 * (730 / 24)) / 7],
    ['cron(30 1 1,15 * ? *)', 2],
    ['at(2026-12-24T18:00:00)', 1],
  ])('%s runs %d times a month', (expression, runs) => {
    expect(invocationsPerMonth(expression, 730)).toBeCloseTo(runs, 6);
  });
});
