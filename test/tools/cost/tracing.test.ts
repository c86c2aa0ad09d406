import { tracesRecorded } from '../../../tools/cost/pricing/tracing';
import { expectUsd, HOURS, line, linesOf, priceFixture } from './fixture';

describe('X-Ray pricing (fixtures/tracing.template.json)', () => {
  // GIVEN a sampling rule (1 a second + 5 %) and two functions, one with active tracing
  const result = priceFixture('tracing');
  const secondsPerMonth = HOURS * 3600;

  test('tracesRecorded: the reservoir first (at most its rate every second), the fixed rate on the rest', () => {
    expect(tracesRecorded(1_000_000, 1, 0.05, HOURS)).toBe(1_000_000); // under 1 a second: every request
    expect(tracesRecorded(10_000_000, 1, 0.05, HOURS)).toBeCloseTo(secondsPerMonth + 0.05 * (10_000_000 - secondsPerMonth), 6);
    expect(tracesRecorded(10_000_000, 0, 0, HOURS)).toBe(0);
  });

  test("the sampling rule records the traces of the requests the edge's cache does not answer, at $5.00 per million", () => {
    // baseline: 1,000,000 x 80 % = 800,000 requests, below the reservoir's 2,628,000: all traced.
    // peak: 10,000,000 x 50 % = 5,000,000: 2,628,000 + 5 % of 2,372,000.
    const item = line(result, 'WebSamplingRule', 'X-Ray traces recorded');
    expectUsd(item, (800_000 / 1e6) * 5, ((secondsPerMonth + 0.05 * (5_000_000 - secondsPerMonth)) / 1e6) * 5);
  });

  test("active tracing adds Lambda's own sampling of the function's invocations; an untraced function has no X-Ray line", () => {
    expect(Object.keys(linesOf(result, 'TracedFunction'))).toContain('X-Ray traces recorded (active tracing)');
    expect(Object.keys(linesOf(result, 'UntracedFunction')).filter((item) => item.startsWith('X-Ray'))).toEqual([]);
  });
});
