import { expandCronField } from '../../../lib/insights/schedule';
import type { CfnResource } from '../template';
import { str } from '../template';
import { Bill, fmt, free, type PricingContext, type Priced, unpriced, usd } from './context';

const DAYS_OF_WEEK = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * EventBridge Scheduler: invocations a month from the schedule expression, at the price per
 * million (the 14 million free a month are not counted, as the table counts no free tier).
 */
export function schedule(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  if (str(r.Properties?.State) === 'DISABLED') return free('a disabled schedule invokes nothing');
  const expression = str(r.Properties?.ScheduleExpression);
  if (!expression) return unpriced('ScheduleExpression is not a literal in the template');
  const runs = invocationsPerMonth(expression, ctx.hours);
  if (typeof runs === 'string') return unpriced(runs);
  const bill = new Bill();
  bill.add(
    'Scheduler invocations',
    () => `${expression}: ${fmt(runs)} a month x ${usd(ctx.price('eventbridge.scheduler.perMillionInvocations'))}/M`,
    () => (runs / 1e6) * ctx.price('eventbridge.scheduler.perMillionInvocations'),
  );
  return bill;
}

/** Invocations in a month of `hours` hours, or why they cannot be counted. */
export function invocationsPerMonth(expression: string, hours: number): number | string {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate) return (hours * 60) / (Number(rate[1]) * (rate[2] === 'minute' ? 1 : rate[2] === 'hour' ? 60 : 1440));
  if (/^at\(/.test(expression)) return 1;
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
  if (!cron) return `schedule expression '${expression}' is not rate(), cron() or at()`;
  const [, minute, hour, dayOfMonth, month, dayOfWeek] = cron;
  const minutes = expandCronField(minute, 0, 59);
  const hoursOfDay = expandCronField(hour, 0, 23);
  if (!minutes || !hoursOfDay || month !== '*')
    return `cron expression '${expression}' is beyond what the tool counts (numbers, ranges, lists and steps in minutes and hours, every month)`;
  const daysPerMonth = hours / 24;
  let days: number | undefined;
  if (dayOfMonth === '*' && (dayOfWeek === '?' || dayOfWeek === '*')) days = daysPerMonth;
  else if (dayOfMonth === '?') {
    const weekdays = dayOfWeek.split(',').flatMap((part) => {
      const [from, to = from] = part.split('-').map((d) => (DAYS_OF_WEEK.includes(d) ? DAYS_OF_WEEK.indexOf(d) : Number(d) - 1));
      return Number.isInteger(from) && Number.isInteger(to) && from <= to ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : [NaN];
    });
    if (!weekdays.some(Number.isNaN)) days = (daysPerMonth * new Set(weekdays).size) / 7;
  } else {
    const dates = expandCronField(dayOfMonth, 1, 31);
    if (dates) days = dates.length;
  }
  if (days === undefined) return `cron expression '${expression}' has days the tool cannot count`;
  return minutes.length * hoursOfDay.length * days;
}
