import { bundleBreakdown, interleave, median, range, sample, table } from '../../tools/bench/harness';

describe('bench harness', () => {
  test('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no values');
  });

  test('a sample is the median and the spread, printed as median (min-max)', () => {
    const s = sample([5, 1, 3]);
    expect(s).toEqual({ median: 3, min: 1, max: 5 });
    expect(range(s)).toBe('3.0 (1.0-5.0)');
    expect(range(s, 0)).toBe('3 (1-5)');
  });

  test('interleave measures every target once per round, in order', () => {
    // GIVEN a recorder of the call order
    const calls: string[] = [];
    // WHEN
    const samples = interleave(['a', 'b'], 3, (name, round) => {
      calls.push(`${name}${round}`);
      return round;
    });
    // THEN the targets alternate, and each has one value per round
    expect(calls).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(samples).toEqual({ a: [0, 1, 2], b: [0, 1, 2] });
  });

  test('a table pads the first column left and the numbers right', () => {
    expect(
      table(
        ['target', 's'],
        [
          ['hello', '1.00'],
          ['synth prod', '10.25'],
        ],
      ),
    ).toBe([`target${' '.repeat(10)}s`, `hello${' '.repeat(8)}1.00`, 'synth prod  10.25'].join('\n'));
  });

  test("groups a metafile's bytes by npm package, scoped names and own folders included, largest first", () => {
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
