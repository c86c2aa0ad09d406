import {
  engineMemoryBytes,
  maxConnectionsFor,
  OBSERVED_DEFAULT_MAX_CONNECTIONS,
  RDS_BYTES_PER_CONNECTION,
  rdsReservedMemoryBytes,
} from '../../../lib/core/postgres/engine-memory';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

describe('DBInstanceClassMemory and the max_connections RDS derives from it', () => {
  test.each(OBSERVED_DEFAULT_MAX_CONNECTIONS.map((o) => [o.instanceClass, o.memoryGiB, o.maxConnections]))(
    '%s (%d GiB): the model gives the max_connections RDS reported, %d',
    (_, memoryGiB, observed) => {
      expect(maxConnectionsFor(memoryGiB)).toBe(observed);
    },
  );

  test.each([
    // [nominal GiB, max_connections, class in this library]
    [1, 85, 'db.t4g.micro: the 2 GiB reserve (~244 MB), 780 MB for the engine'],
    [4, 413, 'db.t4g.medium'],
    [16, 1743, 'db.r7g.large: 15.25 GiB observed + 0.75 GiB at ~16 MB per GiB'],
    [32, 3518, 'db.r7g.xlarge'],
    [64, 5000, 'db.m7g.4xlarge: the 5,000 ceiling'],
  ])('%d GiB: max_connections %d (%s)', (memoryGiB, expected) => {
    expect(maxConnectionsFor(memoryGiB)).toBe(expected);
  });

  test('the engine gets less than the nominal memory, and more on a larger class; the reserve never shrinks', () => {
    const sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
    for (const [a, b] of sizes.slice(1).map((size, i) => [sizes[i], size])) {
      expect(engineMemoryBytes(a)).toBeLessThan(a * GIB);
      expect(engineMemoryBytes(b)).toBeGreaterThan(engineMemoryBytes(a));
      expect(rdsReservedMemoryBytes(b)).toBeGreaterThanOrEqual(rdsReservedMemoryBytes(a));
    }
    // 1 GiB keeps the smallest observed reserve, 244 MB; 16 GiB reserves 534 MB (3.3 %)
    expect(Math.round(rdsReservedMemoryBytes(1) / MIB)).toBe(244);
    expect(Math.round(rdsReservedMemoryBytes(16) / MIB)).toBe(534);
    expect(Math.floor(engineMemoryBytes(1) / RDS_BYTES_PER_CONNECTION)).toBe(85);
  });
});
