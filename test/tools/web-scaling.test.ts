import * as fs from 'node:fs';
import * as path from 'node:path';
import { dev, staging } from '../../lib';
import { hoursOffPerWeek, NIGHTS_OFF_EXAMPLE, reactionTimes, renderMarkdown, scheduleSavings, tasksHourUsd } from '../../tools/web-scaling';

describe('tools/web-scaling', () => {
  test('step scaling on p99 reacts two minutes before target tracking', () => {
    // GIVEN the construct's defaults WHEN THEN
    const [step, tracking] = reactionTimes();
    expect(step.phases.map((p) => p.seconds)).toEqual([60, 60, 60, 20]);
    expect(step.firstRequestSeconds).toBe(200);
    expect(tracking.phases.map((p) => p.seconds)).toEqual([180, 60, 60, 20]);
    expect(tracking.firstRequestSeconds).toBe(320);
    expect(tracking.fullShareSeconds - tracking.firstRequestSeconds).toBe(30);
  });

  test('task prices follow architecture, Spot weight and the on-demand base', () => {
    // dev: 0.25 vCPU / 0.5 GB x86 on Spot (estimate 70 % off)
    expect(tasksHourUsd(dev, 1)).toBeCloseTo(0.25 * 0.012144 + 0.5 * 0.0013335, 8);
    // staging: the first task is the on-demand base, the next ones 1:3 on demand and Spot
    const onDemand = 0.5 * 0.04048 + 1 * 0.004445;
    const spot = 0.5 * 0.012144 + 1 * 0.0013335;
    expect(tasksHourUsd(staging, 1)).toBeCloseTo(onDemand, 8);
    expect(tasksHourUsd(staging, 2)).toBeCloseTo(onDemand + (onDemand + 3 * spot) / 4, 8);
  });

  test('nights and weekends off is 108 of 168 hours', () => {
    expect(hoursOffPerWeek(NIGHTS_OFF_EXAMPLE[0], NIGHTS_OFF_EXAMPLE[1])).toBe(108);
    expect(() => hoursOffPerWeek({ ...NIGHTS_OFF_EXAMPLE[0], schedule: 'rate(1 day)' }, NIGHTS_OFF_EXAMPLE[1])).toThrow(
      "NightsOff: only 'cron(0 <hour> ? * MON-FRI *)' schedules are modelled",
    );
    expect(scheduleSavings().map((s) => s.profile)).toEqual(['dev', 'staging']);
  });

  test('docs/web-service.md shows exactly what the tool computes', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'web-service.md'), 'utf8');
    const between = (name: string) => {
      const match = new RegExp(`<!-- web-scaling:${name} -->\\n([\\s\\S]*?)\\n<!-- /web-scaling:${name} -->`).exec(page);
      return match?.[1];
    };
    const [reaction, savings] = renderMarkdown().split('\n\n');
    expect(between('reaction')).toBe(reaction);
    expect(between('savings')).toBe(savings);
  });
});
