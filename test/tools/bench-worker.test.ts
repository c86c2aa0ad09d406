import { bundleBreakdown, parseArgs } from '../../tools/bench-worker/bench-worker';

describe('bench:worker', () => {
  test('parses options and rejects bad ones with the allowed values', () => {
    expect(parseArgs([])).toEqual({ runs: 15, keys: 10_000, json: false });
    expect(parseArgs(['--runs', '5', '--keys', '2000', '--json'])).toEqual({ runs: 5, keys: 2000, json: true });
    expect(() => parseArgs(['--runs', '1'])).toThrow("--runs needs a whole number from 3 to 100, got '1'");
    expect(() => parseArgs(['--keys', 'many'])).toThrow("--keys needs a whole number from 100 to 1000000, got 'many'");
    expect(() => parseArgs(['--fast'])).toThrow("unknown option '--fast'; use --runs N, --keys N, --json");
  });

  test('groups a metafile\'s bytes by npm package, scoped names and own folders included, largest first', () => {
    const breakdown = bundleBreakdown({
      outputs: {
        'index.js.map': { bytes: 9, inputs: {} },
        'index.js': {
          bytes: 1000,
          entryPoint: 'lambda/jobs/index.ts',
          inputs: {
            'node_modules/@redis/client/dist/lib/client/index.js': { bytesInOutput: 300 },
            'node_modules/@redis/client/dist/lib/commands/SET.js': { bytesInOutput: 200 },
            'node_modules/pg/lib/client.js': { bytesInOutput: 150 },
            'node_modules/pg-pool/index.js': { bytesInOutput: 50 },
            'lambda/shared/cache.ts': { bytesInOutput: 40 },
            'lambda/jobs/index.ts': { bytesInOutput: 10 },
          },
        },
      },
    });
    expect(breakdown).toEqual({
      total: 1000,
      byPackage: [
        { name: '@redis/client', bytes: 500 },
        { name: 'pg', bytes: 150 },
        { name: 'pg-pool', bytes: 50 },
        { name: 'lambda/shared', bytes: 40 },
        { name: 'lambda/jobs', bytes: 10 },
      ],
    });
  });

  test('a metafile without an entry point is an error', () => {
    expect(() => bundleBreakdown({ outputs: {} })).toThrow('the metafile has no entry-point output');
  });
});
