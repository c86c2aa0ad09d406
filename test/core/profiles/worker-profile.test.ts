import { dev, prod, staging, validateProfile, type Profile } from '../../../lib';

describe('the worker section of the profiles', () => {
  const withWorker = (worker: Partial<Profile['worker']>): Profile => ({ ...dev, worker: { ...dev.worker, ...worker } });

  test('sizes grow from dev to prod, and every batch fits an SQS event source without a window', () => {
    expect([dev, staging, prod].map((p) => p.worker.memoryMiB)).toEqual([256, 512, 1024]);
    expect([dev, staging, prod].map((p) => p.worker.maxConcurrency)).toEqual([2, 5, 20]);
    for (const p of [dev, staging, prod]) expect(p.worker.batchSize).toBeLessThanOrEqual(10);
  });

  test('values Lambda or SQS would refuse are reported together, with the allowed range', () => {
    expect(() => validateProfile(withWorker({ memoryMiB: 64, batchSize: 20, maxConcurrency: 1, timeoutSeconds: 901 }))).toThrow(
      "profile 'dev': 4 problems:\n" +
        '  - worker.maxConcurrency (1) must be between 2 and 1000; SQS event sources allow 2 to 1000\n' +
        '  - worker.timeoutSeconds (901) must be between 1 and 900; Lambda allows 1 second to 15 minutes\n' +
        '  - worker.memoryMiB (64 MiB) must be between 128 and 10240 MiB\n' +
        '  - worker.batchSize (20) must be between 1 and 10; SQS event sources take up to 10 records without a batching window',
    );
  });
});
