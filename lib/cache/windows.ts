import { MIN_WINDOW_MINUTES } from '../core/cache';

const DAY = 24 * 60;
const WEEK = 7 * DAY;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const TIME = '([01]\\d|2[0-3]):([0-5]\\d)';
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(${DAYS.join('|')}):${TIME}-(${DAYS.join('|')}):${TIME}$`, 'i');

/** A window as [start, end) in minutes; `end` is past `start` (it may pass the day or week). */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** `hh:mm-hh:mm` (UTC, daily), or undefined when it is not of that form. */
export function parseDailyWindow(window: string): Span | undefined {
  const m = DAILY.exec(window);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return { start, end: end > start ? end : end + DAY };
}

/** `ddd:hh:mm-ddd:hh:mm` (UTC, weekly), or undefined when it is not of that form. */
export function parseWeeklyWindow(window: string): Span | undefined {
  const m = WEEKLY.exec(window);
  if (!m) return undefined;
  const at = (day: string, h: string, min: string) => DAYS.indexOf(day.toLowerCase()) * DAY + Number(h) * 60 + Number(min);
  const start = at(m[1], m[2], m[3]);
  const end = at(m[4], m[5], m[6]);
  return { start, end: end > start ? end : end + WEEK };
}

export function minutes(span: Span): number {
  return span.end - span.start;
}

export function isShorterThanMinimum(span: Span): boolean {
  return minutes(span) < MIN_WINDOW_MINUTES;
}

/** Whether a daily window, repeated every day, ever overlaps a weekly one. */
export function dailyOverlapsWeekly(daily: Span, weekly: Span): boolean {
  for (let day = 0; day < 7; day++) {
    for (const shift of [-WEEK, 0, WEEK]) {
      const start = day * DAY + daily.start + shift;
      const end = day * DAY + daily.end + shift;
      if (start < weekly.end && weekly.start < end) return true;
    }
  }
  return false;
}
