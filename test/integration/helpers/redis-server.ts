// A redis-server of the test's own on a free loopback port, started with the test's settings (an
// idle timeout, a password), so changing them never touches the shared server on 6379.
import { spawn } from 'node:child_process';
import { freePort } from '../../../tools/shared/free-port';
import { waitForPort } from '../../../tools/bench-worker/local-redis';

export interface RedisServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts `redis-server` (no persistence) with extra arguments such as `--timeout 1`. */
export async function startRedisServer(args: readonly string[]): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning', ...args],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`cannot start redis-server: ${error.message}; install Redis (apt-get install redis-server)`)));
  });
  await waitForPort(port);
  return {
    port,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Blocks the event loop for `ms`, as Lambda freezes an execution environment between invocations:
 * no timer fires and no socket event is read, so a connection the server closed meanwhile still
 * looks ready when the code runs again.
 */
export function freeze(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
