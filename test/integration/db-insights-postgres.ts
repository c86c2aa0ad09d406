// A PostgreSQL cluster of the test's own, from the machine's PostgreSQL binaries, with
// pg_stat_statements preloaded: the insights test needs `shared_preload_libraries`, which on the
// shared server (127.0.0.1:5432) would mean a restart under every other test using it. The
// cluster lives in a temporary directory on a free loopback port and is removed afterwards.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../tools/shared/free-port';

export interface PrivatePostgres {
  readonly port: number;
  readonly version: string;
  stop(): void;
}

/** The directory of initdb/pg_ctl: PG_BIN, else `pg_config --bindir`, else the newest /usr/lib/postgresql/<n>/bin. */
export function postgresBinDir(): string {
  const candidates = [process.env.PG_BIN, spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout?.trim()];
  if (fs.existsSync('/usr/lib/postgresql')) {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  const found = candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'initdb')));
  if (!found) throw new Error('found no PostgreSQL server binaries (initdb, pg_ctl): install PostgreSQL or set PG_BIN to their directory');
  return found;
}

/**
 * Starts a fresh cluster (trust auth, superuser `postgres`) with the given preloaded libraries.
 * With `superuserPassword`, TCP logins need a password (scram-sha-256) and `postgres` has that one;
 * the Unix socket stays trust.
 */
export async function startPrivatePostgres(preload: readonly string[], options: { superuserPassword?: string } = {}): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-insights-pg-'));
  // initdb refuses to run as root: run the server as the `postgres` system user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    fs.chownSync(
      dir,
      Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
      Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
    );
  const run = (tool: string, args: string[]) => {
    const command = asRoot
      ? (['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]] as const)
      : ([path.join(bin, tool), args] as const);
    const result = spawnSync(command[0], [...command[1]], { encoding: 'utf8', cwd: dir });
    if (result.status !== 0)
      throw new Error(
        `${tool} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}${fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : ''}`,
      );
    return result.stdout;
  };
  const data = path.join(dir, 'data');
  const auth = ['-A', 'trust'];
  if (options.superuserPassword !== undefined) {
    const pwfile = path.join(dir, 'pwfile');
    fs.writeFileSync(pwfile, `${options.superuserPassword}\n`, { mode: 0o644 });
    auth.splice(0, 2, '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`);
  }
  run('initdb', ['-D', data, ...auth, '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const settings = [
    `port=${port}`,
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${dir}`,
    'fsync=off',
    `shared_preload_libraries=${preload.join(',')}`,
    'pg_stat_statements.track=all',
  ]
    .map((s) => `-c ${s}`)
    .join(' ');
  run('pg_ctl', ['-D', data, '-o', settings, '-l', path.join(dir, 'log'), '-w', 'start']);
  const version = run('postgres', ['--version']).trim();
  return {
    port,
    version,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
