import { ErrorReply, SimpleError, SocketClosedUnexpectedlyError } from '@redis/client';
import { cacheParameters } from '../../../lib/core/cache';
import { CACHE_SERVER_IDLE_TIMEOUT_SECONDS, CacheConnection } from '../../../lambda/shared/cache';
import type { WorkerLogger } from '../../../lambda/shared/job';

// node-redis clients whose connects and GET replies the test scripts; the error classes are the real ones.
type Step = () => Promise<unknown>;
interface FakeClient {
  readonly password: unknown;
  isReady: boolean;
  isOpen: boolean;
  readonly gets: number[];
}
const connects: Step[] = [];
const replies: Step[] = [];
const clients: FakeClient[] = [];
jest.mock('@redis/client', () => ({
  ...jest.requireActual('@redis/client'),
  createClient: jest.fn((options: { password?: string }) => {
    const state: FakeClient = { password: options.password, isReady: false, isOpen: false, gets: [] };
    clients.push(state);
    const index = clients.length - 1;
    return {
      get isReady() {
        return state.isReady;
      },
      get isOpen() {
        return state.isOpen;
      },
      on: jest.fn(),
      async connect() {
        state.isOpen = true;
        await (connects.shift() ?? (async () => undefined))();
        state.isReady = true;
      },
      destroy() {
        state.isOpen = false;
        state.isReady = false;
      },
      async get() {
        state.gets.push(index);
        return replies.shift()!();
      },
    };
  }),
}));

const logger: WorkerLogger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
const fail =
  (error: Error): Step =>
  async () => {
    throw error;
  };

describe('CacheConnection', () => {
  let passwords: string[];
  let forget: jest.Mock;
  let cache: CacheConnection;

  beforeEach(() => {
    connects.length = 0;
    replies.length = 0;
    clients.length = 0;
    passwords = ['old', 'new', 'newer'];
    forget = jest.fn(() => passwords.shift());
    cache = new CacheConnection(async () => ({ socket: { host: 'cache' }, password: passwords[0] }), logger, { onAuthenticationFailure: forget });
  });

  test("the server's idle timeout it plans for is the one the stack gives the cache", () => {
    expect(String(CACHE_SERVER_IDLE_TIMEOUT_SECONDS)).toBe(cacheParameters('allkeys-lru', false).timeout);
  });

  test('NOAUTH on a command: the token is forgotten and the command retried once on a connection with the new one', async () => {
    replies.push(fail(new SimpleError('NOAUTH Authentication required.')), async () => 'v');

    await expect((await cache.client()).get('k')).resolves.toBe('v');

    expect(forget).toHaveBeenCalledTimes(1);
    expect(clients.map((c) => [c.password, c.gets, c.isOpen])).toEqual([
      ['old', [0], false],
      ['new', [1], true],
    ]);
  });

  test('a command is retried once, not again: a second closed socket fails it', async () => {
    replies.push(fail(new SocketClosedUnexpectedlyError()), fail(new SocketClosedUnexpectedlyError()));

    await expect((await cache.client()).get('k')).rejects.toThrow('Socket closed unexpectedly');

    expect(clients.flatMap((c) => c.gets)).toEqual([0, 1]);
    expect(forget).not.toHaveBeenCalled();
  });

  test('an error reply about the command itself is not retried, and the connection is kept', async () => {
    replies.push(fail(new SimpleError('WRONGTYPE Operation against a key holding the wrong kind of value')), async () => 'v');

    const client = await cache.client();
    await expect(client.get('k')).rejects.toThrow(ErrorReply);
    await expect(client.get('k')).resolves.toBe('v');

    expect(clients.map((c) => c.gets)).toEqual([[0, 0]]);
  });

  test('WRONGPASS when connecting: one reload of the token, then the failure stands', async () => {
    connects.push(
      fail(new SimpleError('WRONGPASS invalid username-password pair')),
      fail(new SimpleError('WRONGPASS invalid username-password pair')),
    );

    await expect(cache.client()).rejects.toThrow('WRONGPASS');

    expect(forget).toHaveBeenCalledTimes(1);
    // Each refused connection is closed, not left open.
    expect(clients.map((c) => [c.password, c.isOpen])).toEqual([
      ['old', false],
      ['new', false],
    ]);
  });

  test('commands that fail together on a dead connection share one new connection', async () => {
    replies.push(
      fail(new SocketClosedUnexpectedlyError()),
      fail(new SocketClosedUnexpectedlyError()),
      async () => 'a',
      async () => 'b',
    );

    const client = await cache.client();
    await expect(Promise.all([client.get('a'), client.get('b')])).resolves.toEqual(['a', 'b']);

    expect(clients).toHaveLength(2);
  });
});
