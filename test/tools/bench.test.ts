import { median, parseArgs } from '../../tools/bench/bench';

describe('bench', () => {
  test('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no values');
  });

  test('parses options and rejects bad ones with the allowed values', () => {
    expect(parseArgs([])).toEqual({ runs: 3, testRuns: 1, json: false });
    expect(parseArgs(['--runs', '5', '--test-runs', '2', '--json'])).toEqual({ runs: 5, testRuns: 2, json: true });
    expect(() => parseArgs(['--runs', '0'])).toThrow("--runs needs a whole number from 1 to 50, got '0'");
    expect(() => parseArgs(['--fast'])).toThrow("unknown option '--fast'; use --runs N, --test-runs N, --json");
  });
});
