/**
 * The tuned parameters against a real PostgreSQL server: every value the tuner computes, for three
 * instance sizes, is applied with ALTER SYSTEM, which parses and validates it exactly as the server
 * would at startup (unknown names, bad units, out-of-range values fail), and then reset at once.
 * Nothing is reloaded, and the test ends by checking that postgresql.auto.conf is as it was.
 *
 * Needs a superuser on the local PostgreSQL (127.0.0.1:5432, trust auth): `postgres` by default,
 * or PGUSER/PGHOST/PGPORT/PGDATABASE. `bash tools/start-services.sh` starts the server.
 */
import { Client } from 'pg';
import { ADMIN_RESERVED_CONNECTIONS } from '../../lib/core/database';
import { dev, prod, profileConnectionDemand, tunePostgresParameters, type TunedParameter } from '../../lib';
import {
  POSTGRES_15_SETTINGS,
  POSTGRES_16_17_ADDED_SETTINGS,
  POSTGRES_16_17_REMOVED_SETTINGS,
  type SettingSpec,
} from '../../lib/core/postgres/settings';
import { checkParameterOverride } from '../../lib/database/parameter-overrides';

/** RDS-only parameters: RDS accepts them, community PostgreSQL does not know them. Excepted, by name. */
const RDS_ONLY = ['rds.force_ssl', 'rds.log_retention_period'];

const devHints = {
  expectedConnections: profileConnectionDemand(dev) + ADMIN_RESERVED_CONNECTIONS,
  allocatedStorageGiB: dev.database.allocatedStorageGiB,
};
const prodHints = {
  expectedConnections: profileConnectionDemand(prod) + ADMIN_RESERVED_CONNECTIONS,
  allocatedStorageGiB: prod.database.allocatedStorageGiB,
};
const SIZES: Array<[string, readonly TunedParameter[]]> = [
  ['db.t4g.micro', tunePostgresParameters('db.t4g.micro', devHints).parameters],
  ['db.r7g.large', tunePostgresParameters('db.r7g.large', prodHints).parameters],
  ['db.m7g.4xlarge', tunePostgresParameters('db.m7g.4xlarge', prodHints).parameters],
];
const cases = SIZES.flatMap(([size, parameters]) => parameters.filter((p) => !p.rdsOnly).map((p) => [size, p.name, p.value] as const));

const client = new Client({
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'postgres',
});

interface FileSetting {
  name: string;
  setting: string;
}
let autoConfBefore: FileSetting[];

/** The entries of postgresql.auto.conf (what ALTER SYSTEM writes), in file order. */
async function autoConf(): Promise<FileSetting[]> {
  const { rows } = await client.query<FileSetting>(
    "SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno",
  );
  return rows;
}

/**
 * Applies `name = value` with ALTER SYSTEM and puts the previous entry back straight away.
 * Returns the server's error message, or undefined when it accepted the value.
 */
async function serverAccepts(name: string, value: string): Promise<string | undefined> {
  if (!/^[a-z0-9_.]+$/i.test(name)) throw new Error(`refusing to interpolate parameter name ${JSON.stringify(name)}`);
  const previous = autoConfBefore.filter((s) => s.name === name.toLowerCase()).pop();
  try {
    await client.query(`ALTER SYSTEM SET ${name} TO ${client.escapeLiteral(value)}`);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    if (previous) {
      await client.query(`ALTER SYSTEM SET ${name} TO ${client.escapeLiteral(previous.setting)}`).catch(() => undefined);
    } else {
      await client.query(`ALTER SYSTEM RESET ${name}`).catch(() => undefined);
    }
  }
}

beforeAll(async () => {
  await client.connect();
  const { rows } = await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
  if (!rows[0]?.rolsuper) throw new Error(`${client.user} is not a superuser; set PGUSER to one (SELECT rolname FROM pg_roles WHERE rolsuper)`);
  // auto_explain's settings exist only once the library is loaded; loading it in this session
  // makes the server validate them (and proves the library exists).
  await client.query("LOAD 'auto_explain'");
  autoConfBefore = await autoConf();
});

afterAll(async () => {
  await client.end();
});

describe('the tuned parameters on a real PostgreSQL server', () => {
  test('the server is PostgreSQL 15 or later', async () => {
    const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    expect(Number(rows[0].server_version_num)).toBeGreaterThanOrEqual(150000);
  });

  test.each(cases)('%s: %s = %s is accepted', async (_size, name, value) => {
    expect(await serverAccepts(name, value)).toBeUndefined();
  });

  test('the RDS-only parameters are exactly the listed ones, and community PostgreSQL rejects them', async () => {
    for (const [, parameters] of SIZES) expect(parameters.filter((p) => p.rdsOnly).map((p) => p.name)).toEqual(RDS_ONLY);
    for (const name of RDS_ONLY) expect(await serverAccepts(name, '1')).toMatch(/unrecognized configuration parameter/);
  });

  test('the check has teeth: a misspelled name, a bad unit and an out-of-range value all fail', async () => {
    expect(await serverAccepts('shared_bufers', '32768')).toBe('unrecognized configuration parameter "shared_bufers"');
    expect(await serverAccepts('work_mem', '64XB')).toMatch(/invalid value for parameter "work_mem": "64XB"/);
    expect(await serverAccepts('shared_buffers', '1')).toMatch(
      /^1 8kB is outside the valid range for parameter "shared_buffers" \(16 \.\. 1073741823\)$/,
    );
    expect(await serverAccepts('auto_explain.log_analyse', '1')).toMatch(/unrecognized configuration parameter|invalid configuration parameter name/);
  });

  test('every preloaded library exists on the server', async () => {
    const libraries = SIZES[0][1].find((p) => p.name === 'shared_preload_libraries')!.value.split(',');
    for (const library of libraries) await expect(client.query(`LOAD ${client.escapeLiteral(library)}`)).resolves.toBeDefined();
  });

  test('the parameters marked as needing a reboot are exactly those the server can change only at start', async () => {
    const names = SIZES[1][1].filter((p) => !p.rdsOnly).map((p) => p.name);
    const { rows } = await client.query<{ name: string; context: string }>('SELECT name, context FROM pg_settings WHERE name = ANY($1)', [names]);
    expect(rows).toHaveLength(names.length);
    const postmaster = rows
      .filter((r) => r.context === 'postmaster')
      .map((r) => r.name)
      .sort();
    expect(
      SIZES[1][1]
        .filter((p) => p.requiresReboot)
        .map((p) => p.name)
        .sort(),
    ).toEqual(postmaster);
  });
});

describe('the settings catalog parameter overrides are checked against', () => {
  test("matches the server's pg_settings entry for entry: types, units, ranges, enum values and contexts", async () => {
    const { rows } = await client.query<{
      name: string;
      vartype: string;
      unit: string | null;
      min_val: string | null;
      max_val: string | null;
      enumvals: string[] | null;
      context: string;
    }>("SELECT lower(name) AS name, vartype, unit, min_val, max_val, enumvals, context FROM pg_settings WHERE context <> 'internal'");
    const server: Record<string, SettingSpec> = {};
    for (const r of rows) {
      const bounded = (v: string | null) => (v === null || Math.abs(Number(v)) >= 1e300 ? undefined : Number(v));
      server[r.name] = JSON.parse(
        JSON.stringify({
          type: r.vartype,
          context: r.context,
          unit: r.unit ?? undefined,
          min: bounded(r.min_val),
          max: bounded(r.max_val),
          values: r.enumvals ?? undefined,
        }),
      );
    }
    for (const [name, spec] of Object.entries(POSTGRES_15_SETTINGS)) expect({ name, ...server[name] }).toEqual({ name, ...spec });
    const expectedOnServer = [...Object.keys(POSTGRES_15_SETTINGS), ...POSTGRES_16_17_REMOVED_SETTINGS].sort();
    expect(Object.keys(server).sort()).toEqual(expectedOnServer);
    for (const name of Object.keys(POSTGRES_16_17_ADDED_SETTINGS)) expect(server[name]).toBeUndefined();
  });

  test.each([
    ['work_mem', '64MB'],
    ['statement_timeout', '30s'],
    ['checkpoint_timeout', '10min'],
    ['shared_buffers', '2GB'],
    ['jit', 'off'],
    ['log_statement', 'ALL'],
    ['autovacuum_vacuum_cost_delay', '2ms'],
    ['random_page_cost', '1.5'],
  ])('an override %s = %s, converted for RDS, is accepted by the server', async (name, given) => {
    const checked = checkParameterOverride(name, given);
    expect(checked.problem).toBeUndefined();
    expect(await serverAccepts(name, checked.value!)).toBeUndefined();
  });

  test.each([
    ['work_mem', '64XB'],
    ['log_statement', 'everything'],
    ['max_connections', '0'],
    ['jit', 'maybe'],
  ])('an override %s = %s is refused at synth, as the server refuses it', async (name, given) => {
    expect(checkParameterOverride(name, given).problem).toBeDefined();
    expect(await serverAccepts(name, given)).toBeDefined();
  });
});

describe('afterwards', () => {
  test('postgresql.auto.conf is as the test found it', async () => {
    expect(await autoConf()).toEqual(autoConfBefore);
  });
});
