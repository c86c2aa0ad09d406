import { databaseConfigFrom } from '../../../lambda/shared/database';
import { DATABASE_POOL_SIZE } from '../../../lib/core/worker-timing';

// The pool opens DB_POOL_MAX connections, the number the connection budget counts for this client;
// without it, DATABASE_POOL_SIZE.
const secrets = { get: async () => ({ username: 'app_user', password: 's3cret' }), forget: () => undefined };
const env = { DB_HOST: 'db.internal', DB_NAME: 'app', DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' };

describe('DB_POOL_MAX', () => {
  test('sets the pool size; absent, the pool opens DATABASE_POOL_SIZE', async () => {
    expect((await databaseConfigFrom({ ...env, DB_POOL_MAX: '1' }, secrets)()).max).toBe(1);
    expect((await databaseConfigFrom({ ...env, DB_POOL_MAX: '10' }, secrets)()).max).toBe(10);
    expect((await databaseConfigFrom(env, secrets)()).max).toBe(DATABASE_POOL_SIZE);
    expect((await databaseConfigFrom({ ...env, DB_POOL_MAX: ' ' }, secrets)()).max).toBe(DATABASE_POOL_SIZE);
  });

  test.each(['0', '101', '2.5', 'ten'])('%s is refused, naming the variable and the range', async (value) => {
    await expect(databaseConfigFrom({ ...env, DB_POOL_MAX: value }, secrets)()).rejects.toThrow(
      `DB_POOL_MAX ('${value}') must be a whole number of connections from 1 to 100`,
    );
  });
});
