import { longestIntervalMinutes } from '../../lib/insights/schedule';

describe('longestIntervalMinutes', () => {
  test.each<[string, number | undefined]>([
    ['rate(15 minutes)', 15],
    ['rate(1 hour)', 60],
    ['rate(1 day)', 1440],
    // twice a day, at 06:00 and 18:30: the longest gap is overnight
    ['cron(0,30 6,18 * * ? *)', 690],
    ['cron(*/20 * * * ? *)', 20],
    // a cron that names days runs less often than daily: no interval to cover
    ['cron(0 6 ? * MON *)', undefined],
    ['at(2026-12-01T00:00:00)', undefined],
    ['rate(0 minutes)', undefined],
  ])('%s: %s', (expression, minutes) => {
    expect(longestIntervalMinutes(expression)).toBe(minutes);
  });
});
