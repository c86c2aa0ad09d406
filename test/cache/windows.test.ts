import { dailyOverlapsWeekly, minutes, parseDailyWindow, parseWeeklyWindow } from '../../lib/cache/windows';
import { DEFAULT_MAINTENANCE_WINDOW, DEFAULT_SNAPSHOT_WINDOW } from '../../lib/core/cache';

describe('maintenance and snapshot windows', () => {
  test('parse UTC ranges, including ones that pass midnight or the end of the week', () => {
    expect(minutes(parseDailyWindow('23:30-00:30')!)).toBe(60);
    expect(minutes(parseWeeklyWindow('sat:23:00-sun:01:00')!)).toBe(120);
    expect(minutes(parseWeeklyWindow('SUN:07:30-SUN:08:30')!)).toBe(60);
    expect(parseDailyWindow('24:00-01:00')).toBeUndefined();
    expect(parseWeeklyWindow('sun:07:30-08:30')).toBeUndefined();
  });

  test('the defaults do not overlap', () => {
    expect(dailyOverlapsWeekly(parseDailyWindow(DEFAULT_SNAPSHOT_WINDOW)!, parseWeeklyWindow(DEFAULT_MAINTENANCE_WINDOW)!)).toBe(false);
  });

  test('a daily window that passes midnight meets a maintenance window early on Sunday, across the week boundary', () => {
    // GIVEN Saturday's snapshot running 23:30-00:30 into Sunday
    const daily = parseDailyWindow('23:30-00:30')!;
    // THEN it overlaps Sunday 00:00-01:00 and leaves Sunday 00:30-01:30 alone
    expect(dailyOverlapsWeekly(daily, parseWeeklyWindow('sun:00:00-sun:01:00')!)).toBe(true);
    expect(dailyOverlapsWeekly(daily, parseWeeklyWindow('sun:00:30-sun:01:30')!)).toBe(false);
  });
});
