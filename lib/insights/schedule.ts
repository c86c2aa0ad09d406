import { Token } from 'aws-cdk-lib';
import type { Problems } from '../private/problems';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MINUTES: Readonly<Record<string, number>> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };

/**
 * Checks an EventBridge Scheduler expression for a recurring worker: `rate(<n> <unit>)` or
 * `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)`, running at least every
 * `bounds.max` and at most every `bounds.min` minutes. For a cron expression the shortest gap
 * within a day is checked (from its minutes and hours fields); a cron that names days runs less
 * often than daily, which only a bound under a day rejects.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function checkSchedule(p: Problems, name: string, expression: string, bounds: { readonly min: number; readonly max: number }): void {
  if (Token.isUnresolved(expression)) return;
  const allowed = `between every ${describeMinutes(bounds.min)} and every ${describeMinutes(bounds.max)}`;
  const rate = RATE.exec(expression);
  if (rate) {
    const amount = Number(rate[1]);
    const unit = rate[2];
    if (amount === 0) return p.add(`${name} ('${expression}') must run at a positive rate, ${allowed}`);
    if ((amount === 1) !== !unit.endsWith('s')) {
      return p.add(
        `${name} ('${expression}') must use '${amount === 1 ? unit.replace(/s$/, '') : `${unit}s`}' with ${amount}: EventBridge Scheduler rejects '${expression}'`,
      );
    }
    const minutes = amount * UNIT_MINUTES[unit];
    p.check(
      minutes >= bounds.min && minutes <= bounds.max,
      `${name} ('${expression}') runs every ${describeMinutes(minutes)}; it must run ${allowed}`,
    );
    return;
  }
  const cron = CRON.exec(expression);
  if (!cron) {
    return p.add(
      `${name} ('${expression}') must be 'rate(<n> <minutes|hours|days>)' or 'cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)', such as 'rate(15 minutes)' or 'cron(15 6 * * ? *)'; a one-time 'at(...)' schedule would run the worker once`,
    );
  }
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6)
    return p.add(
      `${name} ('${expression}') has ${fields.length} cron fields; EventBridge Scheduler needs 6: minutes hours day-of-month month day-of-week year`,
    );
  const gaps = cronGaps(fields);
  if (!gaps)
    return p.add(`${name} ('${expression}') has minutes or hours that are not numbers, ranges, lists or steps (such as 0, 0-30, 0,30, */15)`);
  const { shortest, longest, daily } = gaps;
  p.check(shortest >= bounds.min, `${name} ('${expression}') runs every ${describeMinutes(shortest)} at times; it must run ${allowed}`);
  p.check(
    longest <= bounds.max || bounds.max >= 7 * 1440,
    `${name} ('${expression}') leaves up to ${daily ? describeMinutes(longest) : 'days'} between runs; it must run ${allowed}`,
  );
}

/**
 * The longest time between two runs of a schedule, in minutes: the interval of a `rate(...)`, the
 * longest gap between the times of a cron that runs every day. Undefined for a token, a cron that
 * names days (it runs less often than daily) and an expression checkSchedule() would refuse.
 */
export function longestIntervalMinutes(expression: string): number | undefined {
  if (Token.isUnresolved(expression)) return undefined;
  const rate = RATE.exec(expression);
  if (rate) return Number(rate[1]) * UNIT_MINUTES[rate[2]] || undefined;
  const fields = CRON.exec(expression)?.[1].trim().split(/\s+/);
  const gaps = fields?.length === 6 ? cronGaps(fields) : undefined;
  return gaps?.daily ? gaps.longest : undefined;
}

/**
 * The shortest time between two runs of a schedule, in minutes: the interval of a `rate(...)`,
 * the shortest gap between a cron's times of day. Undefined for a token and an expression
 * checkSchedule() would refuse.
 */
export function shortestIntervalMinutes(expression: string): number | undefined {
  if (Token.isUnresolved(expression)) return undefined;
  const rate = RATE.exec(expression);
  if (rate) return Number(rate[1]) * UNIT_MINUTES[rate[2]] || undefined;
  const fields = CRON.exec(expression)?.[1].trim().split(/\s+/);
  return fields?.length === 6 ? cronGaps(fields)?.shortest : undefined;
}

/** The shortest and longest gap between the daily times a cron's minutes and hours select. */
function cronGaps(fields: readonly string[]): { shortest: number; longest: number; daily: boolean } | undefined {
  const minutes = expandCronField(fields[0], 0, 59);
  const hours = expandCronField(fields[1], 0, 23);
  if (!minutes || !hours) return undefined;
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  const gaps = times.map((t, i) => (i + 1 < times.length ? times[i + 1] - t : 1440 - t + times[0]));
  const daily = fields.slice(2, 5).every((f) => f === '*' || f === '?');
  return { shortest: Math.min(...gaps), longest: daily ? Math.max(...gaps) : Infinity, daily };
}

/** The values a cron field of numbers selects ('*', 'n', 'a-b', 'a,b', '*\/s', 'a-b/s'); undefined for other syntax. */
export function expandCronField(field: string, min: number, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const [from, to] = m[1] === '*' ? [min, max] : m[1].includes('-') ? m[1].split('-').map(Number) : [Number(m[1]), m[2] ? max : Number(m[1])];
    const step = m[2] ? Number(m[2]) : 1;
    if (from < min || to > max || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values];
}

/** `15 minutes`, `1 hour`, `1 day`, `7 days`. */
export function describeMinutes(minutes: number): string {
  const [amount, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
