import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkPath, configFrom, createSmokeTestHandler, type SmokeTestConfig } from '../../../lambda/smoke-test/smoke';

// The smoke-test hook against a real HTTP server on 127.0.0.1: what ECS gets back for a healthy
// revision, a failing one and a slow one.

let server: http.Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/health' || req.url === '/api/ping?x=1') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/elsewhere' }).end();
    } else if (req.url === '/broken') {
      res.writeHead(503).end('unavailable');
    } else if (req.url === '/slow') {
      setTimeout(() => res.writeHead(200).end('late'), 1_000);
    } else if (req.url === '/stalls') {
      // Headers at once, the body never finishes within the deadline.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      setTimeout(() => res.end(), 1_000);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
});

const config = (paths: string[], timeoutMs = 300): SmokeTestConfig => ({ baseUrl, paths, timeoutMs });
const event = { executionId: 'exec-1', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', executionDetails: { targetServiceRevisionArn: 'arn:rev/2' } };

describe('smoke-test hook', () => {
  test('a healthy revision: SUCCEEDED after requesting every path once', async () => {
    const lines: string[] = [];
    const handler = createSmokeTestHandler(config(['/health', '/api/ping?x=1', '/moved']), (line) => lines.push(line));
    await expect(handler(event)).resolves.toEqual({ hookStatus: 'SUCCEEDED' });
    expect(requests).toEqual(['/health', '/api/ping?x=1', '/moved']);
    const log = JSON.parse(lines[0]);
    expect(log).toMatchObject({ hookStatus: 'SUCCEEDED', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', targetServiceRevisionArn: 'arn:rev/2' });
    expect(log.paths.map((p: { status: number }) => p.status)).toEqual([200, 200, 302]);
  });

  test('a failing status: FAILED, naming the path and status', async () => {
    const lines: string[] = [];
    const handler = createSmokeTestHandler(config(['/health', '/broken']), (line) => lines.push(line));
    await expect(handler(event)).resolves.toEqual({ hookStatus: 'FAILED' });
    const log = JSON.parse(lines[0]);
    expect(log.message).toMatch(/rolling the deployment back/);
    expect(log.paths[1]).toMatchObject({ path: '/broken', ok: false, status: 503, reason: 'status 503 outside 200-399' });
    await expect(checkPath(config([]), '/missing')).resolves.toMatchObject({ ok: false, status: 404 });
  });

  test('a slow answer: FAILED on the timeout', async () => {
    const handler = createSmokeTestHandler(config(['/slow']), () => undefined);
    const started = Date.now();
    await expect(handler(event)).resolves.toEqual({ hookStatus: 'FAILED' });
    expect(Date.now() - started).toBeLessThan(900);
    await expect(checkPath(config([]), '/slow')).resolves.toMatchObject({ ok: false, reason: 'no complete answer within 300 ms' });
  });

  test('a body that stalls after the headers: FAILED on the timeout too', async () => {
    await expect(checkPath(config([]), '/stalls')).resolves.toMatchObject({ ok: false, reason: 'no complete answer within 300 ms' });
  });

  test('nothing listening: FAILED with the connection error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await checkPath({ baseUrl: `http://127.0.0.1:${port}`, paths: [], timeoutMs: 300 }, '/health');
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^request failed/) });
  });
});

describe('configuration', () => {
  test('reads what the construct sets', () => {
    expect(
      configFrom({ SMOKE_TEST_BASE_URL: 'http://internal-lb.example:8080', SMOKE_TEST_PATHS: '["/health"]', SMOKE_TEST_TIMEOUT_MS: '10000' }),
    ).toEqual({
      baseUrl: 'http://internal-lb.example:8080',
      paths: ['/health'],
      timeoutMs: 10000,
    });
  });

  test('names every problem at once (a cold start fails, and ECS rolls back)', () => {
    expect(() => configFrom({ SMOKE_TEST_BASE_URL: 'internal-lb:8080/x', SMOKE_TEST_PATHS: '["health"]', SMOKE_TEST_TIMEOUT_MS: '0' })).toThrow(
      /SMOKE_TEST_BASE_URL \("internal-lb:8080\/x"\) must be http\(s\):\/\/host\[:port\] without a path; SMOKE_TEST_PATHS must be a JSON array of URL paths such as \["\/health"\]; SMOKE_TEST_TIMEOUT_MS must be a whole number of milliseconds above 0/,
    );
  });
});
