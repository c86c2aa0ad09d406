// The emulator: find moto, start its server on a free loopback port (through moto_server.py, which
// fixes the moto bugs a CDK deploy hits), wait for it, stop it, and read what its log says.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ExternalFailure } from '../shared/cli';
import { freePort } from '../shared/free-port';

export const MOTO_INSTALL_HINT = 'pip install "moto[server]"';
const SHIM = path.join(__dirname, 'moto_server.py');

/** A problem the user fixes (install moto, pick another endpoint): shown without a stack trace, exit 1. */
export class SetupError extends ExternalFailure {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

export type RunSync = (command: string, args: string[]) => { status: number | null; stdout: string; stderr: string; error?: Error };

const runSync: RunSync = (command, args) => {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
};

/**
 * The Python that has moto's server, and moto's version. `MOTO_PYTHON` picks the interpreter
 * (default `python3`). Throws a SetupError that says how to install moto when it is missing.
 */
export function findMoto(environment: NodeJS.ProcessEnv = process.env, run: RunSync = runSync): { python: string; version: string } {
  const python = environment.MOTO_PYTHON || 'python3';
  const probe = run(python, ['-c', 'import moto, moto.server, flask; print(moto.__version__)']);
  if (probe.error || probe.status !== 0) {
    const why = probe.error
      ? `${python} could not be run (${probe.error.message})`
      : `${python} cannot import moto's server (${lastLine(probe.stderr)})`;
    throw new SetupError(
      `moto is not installed: ${why}.\n  Install it with: ${MOTO_INSTALL_HINT}\n  (or set MOTO_PYTHON to the Python that has it, or pass --endpoint http://localhost:PORT of a moto server you started)`,
    );
  }
  return { python, version: probe.stdout.trim() };
}

/** The fixes moto_server.py applies, one line each, as it lists them. */
export function motoFixes(python: string, run: RunSync = runSync): string[] {
  const r = run(python, [SHIM, '--list-fixes']);
  if (r.status !== 0) throw new SetupError(`${SHIM} could not load moto: ${lastLine(r.stderr)}`);
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Whether nothing listens on 127.0.0.1:`port`. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `wanted` when it is free; otherwise a free port, with a note saying so. Undefined `wanted` means
 * any free port.
 */
export async function choosePort(wanted: number | undefined, note: (line: string) => void): Promise<number> {
  if (wanted === undefined) return freePort();
  if (await isPortFree(wanted)) return wanted;
  const port = await freePort();
  note(`port ${wanted} on 127.0.0.1 is taken; using ${port} instead`);
  return port;
}

export interface MotoServer {
  /** What the CLI and SDK use: `http://localhost:PORT` (moto reads template URLs by that name). */
  readonly endpoint: string;
  readonly port: number;
  readonly logFile: string;
  /** Bytes in the log so far: a mark to read from later. */
  logOffset(): number;
  /** The log from `offset` on. */
  logSince(offset: number): string;
  /** Stops the server (SIGTERM, then SIGKILL after 3 s). Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server without waiting: for process exit handlers. */
  stopNow(): void;
}

/** Starts moto's server (with the fixes) on 127.0.0.1:`port`, logging to `logFile`, and waits until it answers. */
export async function startMoto(python: string, port: number, logFile: string, timeoutMs = 30_000): Promise<MotoServer> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'a');
  const child = spawn(python, [SHIM, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', log, log],
    // PYTHONUNBUFFERED: the log is read while the server runs.
    env: { ...process.env, PYTHONUNBUFFERED: '1', MOTO_PORT: String(port) },
  });
  fs.closeSync(log);
  const server = motoServer(child, port, logFile);
  try {
    await waitUntilListening(child, port, timeoutMs, logFile);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

function motoServer(child: ChildProcess, port: number, logFile: string): MotoServer {
  let exited = child.exitCode !== null;
  child.once('exit', () => {
    exited = true;
  });
  return {
    endpoint: `http://localhost:${port}`,
    port,
    logFile,
    logOffset: () => fs.statSync(logFile).size,
    logSince: (offset) => {
      const fd = fs.openSync(logFile, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const buffer = Buffer.alloc(Math.max(0, size - offset));
        fs.readSync(fd, buffer, 0, buffer.length, offset);
        return buffer.toString('utf8');
      } finally {
        fs.closeSync(fd);
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
    stopNow: () => {
      if (!exited) child.kill('SIGKILL');
    },
  };
}

async function waitUntilListening(child: ChildProcess, port: number, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n  ');
      if (/Address already in use/i.test(tail)) throw new PortTakenError(port);
      throw new SetupError(`moto's server exited at start (code ${child.exitCode}); its log ends:\n  ${tail}`);
    }
    if (await answers(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new SetupError(`moto's server did not answer on 127.0.0.1:${port} within ${timeoutMs / 1000} s; see ${logFile}`);
}

/** The port was free when chosen and taken before moto bound it: the caller picks another. */
export class PortTakenError extends SetupError {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 was taken before moto could bind it`);
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface MotoFailure {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

/** What one stretch of moto's log says about the deploy that ran during it. */
export interface MotoLog {
  /** Resource types moto's CloudFormation does not model: it skipped them with a warning. */
  readonly unsupportedTypes: ReadonlySet<string>;
  /** Resources moto tried and failed to create (logged by moto_server.py), with the cause. */
  readonly failures: readonly MotoFailure[];
  /** moto could not reach Docker, so the Lambda code behind custom resources never ran. */
  readonly lambdaNotRun: boolean;
}

export function parseMotoLog(text: string): MotoLog {
  const unsupportedTypes = new Set<string>();
  for (const m of text.matchAll(/No Moto CloudFormation support for (\S+)|Tried to parse (\S+) but it's not supported/g)) {
    unsupportedTypes.add(m[1] ?? m[2]);
  }
  const failures = [...text.matchAll(/moto could not create (\S+) \((\S+)\): (.*)/g)].map((m) => ({
    logicalId: m[1],
    type: m[2],
    reason: m[3].trim(),
  }));
  const lambdaNotRun = /error running docker|Unable to parse Docker API response|docker\.errors\./i.test(text);
  return { unsupportedTypes, failures, lambdaNotRun };
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
