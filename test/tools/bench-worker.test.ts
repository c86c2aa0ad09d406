import { parseArgs } from '../../tools/bench-worker/bench-worker';

describe('bench:worker', () => {
  test('parses options and rejects bad ones with the allowed values', () => {
    expect(parseArgs([])).toEqual({ runs: 15, keys: 10_000, json: false });
    expect(parseArgs(['--runs', '5', '--keys', '2000', '--json'])).toEqual({ runs: 5, keys: 2000, json: true });
    expect(() => parseArgs(['--runs', '1'])).toThrow("--runs needs a whole number from 3 to 100, got '1'");
    expect(() => parseArgs(['--keys', 'many'])).toThrow("--keys needs a whole number from 100 to 1000000, got 'many'");
    expect(() => parseArgs(['--fast'])).toThrow("unknown option '--fast'; use --runs N, --keys N, --json");
  });
});
