import { PROFILE_NAMES, profiles, type Profile } from '../../../lib';
import { engineMemoryBytes } from '../../../lib/core/postgres/engine-memory';
import { checkProfileMemoryFit, memoryFitProblem, profileBudgetedSessions } from '../../../lib/core/postgres/memory-fit';
import { parameterValues, tunePostgresParameters, WORK_MEM_NODES_PER_SESSION } from '../../../lib/core/postgres/tuning';
import { scalingStack } from '../../helpers/app';

const KIB = 1024;

/** The parameters a ScalingStack's Database computes for a profile. */
function tunedFor(profile: Profile) {
  return tunePostgresParameters(profile.database.instanceClass, {
    expectedConnections: profileBudgetedSessions(profile),
    allocatedStorageGiB: profile.database.allocatedStorageGiB,
  }).parameters;
}

describe('the memory fit of every profile', () => {
  test.each(PROFILE_NAMES)('%s: shared_buffers + work_mem × 3 × workers × sessions + maintenance_work_mem fits DBInstanceClassMemory', (name) => {
    const profile = profiles[name];
    const values = parameterValues(tunedFor(profile));
    const worstCase =
      Number(values.shared_buffers) * 8 * KIB +
      Number(values.work_mem) * KIB * WORK_MEM_NODES_PER_SESSION * Number(values.max_parallel_workers_per_gather) * profileBudgetedSessions(profile) +
      Number(values.maintenance_work_mem) * KIB;
    expect(worstCase).toBeLessThanOrEqual(
      engineMemoryBytes(profile.database.instanceClass === 'db.t4g.micro' ? 1 : profile.database.instanceClass === 'db.t4g.medium' ? 4 : 16),
    );
    expect(checkProfileMemoryFit(profile, tunedFor(profile))).toEqual([]);
  });

  test("dev's budgeted sessions are every client's worst case plus the admin reserve: 2 × 5 + 2 × 2 + 1 + 1 + 10", () => {
    expect(profileBudgetedSessions(profiles.dev)).toBe(26);
  });
});

describe('memoryFitProblem', () => {
  // dev's parameters as they were tuned from the nominal 1 GiB (shared_buffers 256 MB, work_mem 11915 kB)
  const nominal = [
    { name: 'shared_buffers', value: '32768' },
    { name: 'work_mem', value: '11915' },
    { name: 'maintenance_work_mem', value: '65536' },
    { name: 'max_parallel_workers_per_gather', value: '1' },
  ];

  test('dev tuned from the nominal 1 GiB does not fit the 780 MB RDS gives the engine: every number and every fix', () => {
    expect(memoryFitProblem('db.t4g.micro', nominal, 26)).toBe(
      "the database's memory settings do not fit db.t4g.micro: shared_buffers 256 MB + work_mem 11.6 MB × 3 sort/hash nodes × 1 parallel worker(s) × 26 budgeted sessions + maintenance_work_mem 64 MB = 1227.6 MB at the worst case, " +
        'more than the 780.3 MB RDS gives PostgreSQL on db.t4g.micro (DBInstanceClassMemory, of 1 GiB) by 447.3 MB; ' +
        'lower work_mem to 6043 kB or less (parameterOverrides); ' +
        'or lower the pool sizes so that at most 13 sessions are budgeted (database.poolSizePerWebTask, web.maxTasks, worker.maxConcurrency); ' +
        'or choose a larger database.instanceClass (db.t4g.small gives PostgreSQL 1804.3 MB)',
    );
  });

  test('parallel workers multiply work_mem; a plan too large for the family leaves the general advice', () => {
    const problem = memoryFitProblem(
      'db.t4g.2xlarge',
      [
        { name: 'shared_buffers', value: '1048576' }, // 8 GB
        { name: 'work_mem', value: '262144' }, // 256 MB
        { name: 'maintenance_work_mem', value: '2097152' }, // 2 GB
        { name: 'max_parallel_workers_per_gather', value: '4' },
      ],
      1000,
    );
    expect(problem).toMatch(/work_mem 256 MB × 3 sort\/hash nodes × 4 parallel worker\(s\) × 1000 budgeted sessions/);
    expect(problem).toMatch(/; or choose a larger database\.instanceClass$/);
  });

  test('settings that fit, or that are not plain numbers (a formula RDS resolves at boot), give no problem', () => {
    expect(memoryFitProblem('db.t4g.micro', tunedFor(profiles.dev), 26)).toBeUndefined();
    expect(
      memoryFitProblem('db.t4g.micro', [...nominal.slice(1), { name: 'shared_buffers', value: '{DBInstanceClassMemory/32768}' }], 26),
    ).toBeUndefined();
  });

  test('ScalingStack refuses a profile whose worst case does not fit, beside the connection budget', () => {
    // GIVEN dev with 30 tasks of 100 connections: 3,006 + 10 sessions at the 64 kB work_mem floor
    const crowded: Profile = {
      ...profiles.dev,
      name: 'crowded',
      web: { ...profiles.dev.web, maxTasks: 30 },
      database: { ...profiles.dev.database, poolSizePerWebTask: 100 },
    };
    // THEN both problems are reported
    expect(() => scalingStack({ profile: crowded })).toThrow(
      /connection budget exceeded by 2934: [^]*the database's memory settings do not fit db\.t4g\.micro: shared_buffers 195\.1 MB \+ work_mem 64 kB × 3 sort\/hash nodes × 1 parallel worker\(s\) × 3016 budgeted sessions/,
    );
  });
});
