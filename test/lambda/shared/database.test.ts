import { Logger } from '@aws-lambda-powertools/logger';
import type { PoolConfig } from 'pg';
import { DatabasePool } from '../../../lambda/shared/database';

// A pg Pool whose queries are scripted: the test decides what the "server" answers.
const answers: Array<() => Promise<unknown>> = [];
const created: Array<{ config: PoolConfig; ended: boolean }> = [];
jest.mock('pg', () => ({
  Pool: jest.fn().mockImplementation((config: PoolConfig) => {
    const pool = { config, ended: false };
    created.push(pool);
    return {
      on: jest.fn(),
      query: jest.fn(() => answers.shift()!()),
      end: jest.fn(async () => {
        pool.ended = true;
      }),
    };
  }),
}));

describe('DatabasePool', () => {
  beforeEach(() => {
    answers.length = 0;
    created.length = 0;
  });

  test('creates one pool, on first use, and reuses it', async () => {
    const config = jest.fn(async () => ({ host: 'db', password: 'p1' }));
    const db = new DatabasePool(config, new Logger());
    answers.push(
      async () => ({ rows: [1] }),
      async () => ({ rows: [2] }),
    );

    await db.query('SELECT 1', []);
    await db.query('SELECT 2', []);

    expect(config).toHaveBeenCalledTimes(1);
    expect(created).toHaveLength(1);
  });

  test('a rejected password (secret rotated) drops the pool and the cached secret; the retry reconnects', async () => {
    // GIVEN credentials that rotate between the first and second pool
    const passwords = ['old', 'new'];
    const forget = jest.fn();
    const db = new DatabasePool(async () => ({ host: 'db', password: passwords.shift() }), new Logger({ logLevel: 'SILENT' }), forget);
    answers.push(async () => {
      throw Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });
    });
    answers.push(async () => ({ rows: [] }));

    // WHEN
    await expect(db.query('SELECT 1', [])).rejects.toThrow('password authentication failed');
    await db.query('SELECT 1', []);

    // THEN
    expect(forget).toHaveBeenCalledTimes(1);
    expect(created.map((p) => [p.config.password, p.ended])).toEqual([
      ['old', true],
      ['new', false],
    ]);
  });

  test('a configuration that cannot be built is retried on the next query', async () => {
    const config = jest.fn().mockRejectedValueOnce(new Error('secrets manager unreachable')).mockResolvedValue({ host: 'db' });
    const db = new DatabasePool(config, new Logger());
    answers.push(async () => ({ rows: [] }));

    await expect(db.query('SELECT 1', [])).rejects.toThrow('secrets manager unreachable');
    await expect(db.query('SELECT 1', [])).resolves.toEqual({ rows: [] });
  });
});
