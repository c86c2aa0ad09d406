import { handleBootstrap, type BootstrapDependencies } from '../../../lambda/db-bootstrap/handler';
import { freePort } from '../../../tools/shared/free-port';
import { APP_ARN, MASTER_ARN, MONITORING_ARN, MemorySecrets, bootstrapEvent, silentLogger } from './events';

function deps(secrets: MemorySecrets, overrides: Partial<BootstrapDependencies> = {}): BootstrapDependencies {
  return { secrets, logger: silentLogger, trustedCas: false, connectAttempts: 1, retryDelayMs: 10, connectTimeoutMs: 1_000, ...overrides };
}

const allSecrets = () =>
  new MemorySecrets({
    [MASTER_ARN]: { username: 'postgres', password: 'master' },
    [APP_ARN]: { username: 'app', password: 'a' },
    [MONITORING_ARN]: { username: 'monitoring', password: 'm' },
  });

describe('handleBootstrap', () => {
  test('Delete keeps everything: no secret read, no connection, the same physical ID', async () => {
    // GIVEN
    const secrets = allSecrets();
    // WHEN
    const response = await handleBootstrap(bootstrapEvent({ requestType: 'Delete', host: '192.0.2.1' }), deps(secrets));
    // THEN
    expect(response).toEqual({ PhysicalResourceId: 'app/app/monitoring' });
    expect(secrets.reads).toEqual([]);
  });

  test('Delete succeeds even with properties that no longer parse (a stack delete must never get stuck)', async () => {
    const event = bootstrapEvent({ requestType: 'Delete' });
    const response = await handleBootstrap({ ...event, ResourceProperties: {} }, deps(allSecrets()));
    expect(response).toEqual({ PhysicalResourceId: 'app/app/monitoring' });
  });

  test('an unreachable database fails with the host, the attempts and the reason', async () => {
    // GIVEN a port nothing listens on
    const port = await freePort();
    // WHEN / THEN
    await expect(handleBootstrap(bootstrapEvent({ host: '127.0.0.1', port }), deps(allSecrets(), { connectAttempts: 2 }))).rejects.toThrow(
      new RegExp(`^cannot connect to 127\\.0\\.0\\.1:${port} database app as postgres after 2 attempt\\(s\\): .*ECONNREFUSED`),
    );
  });

  test('a master secret without a password fails before connecting', async () => {
    const secrets = new MemorySecrets({ [MASTER_ARN]: { username: 'postgres' } });
    await expect(handleBootstrap(bootstrapEvent(), deps(secrets))).rejects.toThrow(`the master secret ${MASTER_ARN} has no username or password`);
  });

  test('password mode reads both role secrets; IAM mode reads only the master secret', async () => {
    const port = await freePort();
    const password = allSecrets();
    await expect(handleBootstrap(bootstrapEvent({ host: '127.0.0.1', port }), deps(password))).rejects.toThrow(/cannot connect/);
    expect(password.reads).toEqual([MASTER_ARN, APP_ARN, MONITORING_ARN]);
    const iam = allSecrets();
    await expect(handleBootstrap(bootstrapEvent({ host: '127.0.0.1', port, iamAuth: true }), deps(iam))).rejects.toThrow(/cannot connect/);
    expect(iam.reads).toEqual([MASTER_ARN]);
  });

  test('a role secret without a password names the role', async () => {
    const secrets = new MemorySecrets({ [MASTER_ARN]: { username: 'postgres', password: 'x' }, [APP_ARN]: { username: 'app' } });
    await expect(handleBootstrap(bootstrapEvent(), deps(secrets))).rejects.toThrow(`the secret of role app (${APP_ARN}) has no password`);
  });
});
