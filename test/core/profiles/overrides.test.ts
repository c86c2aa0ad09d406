import { dev, prod } from '../../../lib/core/profiles';
import {
  applyProfileOverrides,
  formatProfileOverrides,
  overrideProfile,
  overrideProfileFromFile,
  parseProfileOverrides,
  PROFILE_OVERRIDES_FORMAT,
  type ProfileOverrides,
} from '../../../lib/core/profiles/overrides';

const file = (overrides: unknown, extra: Record<string, unknown> = {}) => ({
  format: PROFILE_OVERRIDES_FORMAT,
  version: 1,
  profile: 'prod',
  overrides,
  ...extra,
});
const problemsOf = (json: unknown, base = prod) => parseProfileOverrides(json, base).problems;

describe('parseProfileOverrides: a well-formed file', () => {
  test('bare values and {value, was, why} entries', () => {
    // GIVEN
    const json = file(
      {
        'database.instanceClass': { value: 'db.m7g.large', was: 'db.r7g.large', why: 'CPU p95 11 %' },
        'cache.nodes': 2,
        'monitoring.cache.engineCpuPercent': 'off',
        'web.scaleSchedule': [],
      },
      { source: { tool: 'test' }, $comment: 'by hand' },
    );
    // WHEN
    const { overrides, problems } = parseProfileOverrides(json, prod);
    // THEN
    expect(problems).toEqual([]);
    expect(overrides).toEqual({
      profile: 'prod',
      overrides: [
        { path: 'database.instanceClass', value: 'db.m7g.large', was: 'db.r7g.large', why: 'CPU p95 11 %' },
        { path: 'cache.nodes', value: 2 },
        { path: 'monitoring.cache.engineCpuPercent', value: 'off' },
        { path: 'web.scaleSchedule', value: [] },
      ],
      source: { tool: 'test' },
      comment: 'by hand',
    });
  });

  test('merging changes only the named fields and leaves the base profile as it was', () => {
    const { overrides } = parseProfileOverrides(file({ 'database.instanceClass': 'db.m7g.large', 'monitoring.web.cpuPercent': 70 }), prod);
    const merged = applyProfileOverrides(prod, overrides!);
    expect(merged.database).toEqual({ ...prod.database, instanceClass: 'db.m7g.large' });
    expect(merged.monitoring.web).toEqual({ ...prod.monitoring.web, cpuPercent: 70 });
    expect(merged.cache).toBe(prod.cache);
    expect(prod.database.instanceClass).toBe('db.r7g.large');
  });

  test('the file the tools write reads back to the same overrides', () => {
    const written: ProfileOverrides = {
      profile: 'prod',
      overrides: [
        { path: 'cache.nodes', value: 2, was: 3, why: 'idle' },
        { path: 'web.cpu', value: 512 },
      ],
      source: { tool: 'test' },
    };
    const text = formatProfileOverrides(written);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text).overrides).toEqual({ 'cache.nodes': { value: 2, was: 3, why: 'idle' }, 'web.cpu': 512 });
    expect(parseProfileOverrides(JSON.parse(text), prod)).toEqual({ overrides: written, problems: [] });
  });
});

describe('parseProfileOverrides: every problem, each naming the key', () => {
  test.each([
    [
      "an unknown field lists the section's fields",
      { 'database.instanceType': 'db.m7g.large' },
      "'database.instanceType' is not a profile field; the fields of database are instanceClass, multiAz, allocatedStorageGiB, maxAllocatedStorageGiB, backupRetentionDays, deletionProtection, proxy, customerManagedKey, rotateCredentials, poolSizePerWebTask, enhancedMonitoringIntervalSeconds, databaseInsights",
    ],
    [
      'an unknown section lists the sections',
      { 'databse.instanceClass': 'db.m7g.large' },
      "'databse.instanceClass' is not a profile field; the profile's sections and fields are name, production, network, web, database, cache, worker, observability, cost, monitoring, edge, backup",
    ],
    [
      'a section instead of a field',
      { database: { instanceClass: 'db.m7g.large' } },
      "'database' is a section, not a field; override its fields one by one, e.g. 'database.instanceClass'",
    ],
    ['a path into a list', { 'web.scaleSchedule.0': {} }, "'web.scaleSchedule' is a list; override it whole with 'web.scaleSchedule'"],
    [
      "the profile's name",
      { name: 'prod2' },
      "'name' cannot be overridden: it names the stack (ScalingStack-<name>); an override changes sizes, never which stack is deployed",
    ],
    [
      'the production switch',
      { production: false },
      "'production' cannot be overridden: it switches the production safety rules; an override must be judged by the same rules as the profile it changes",
    ],
    [
      'an empty path segment',
      { 'database..instanceClass': 'x' },
      "'database..instanceClass' is not a field path; write section.field, e.g. 'database.instanceClass'",
    ],
    [
      'text for a number, in another unit',
      { 'web.memoryMiB': '2 GiB' },
      'web.memoryMiB must be a number of MiB, got "2 GiB" (text); the unit is in the field\'s name: write 2048',
    ],
    [
      'text for a number of seconds, in minutes',
      { 'worker.timeoutSeconds': '2 min' },
      'worker.timeoutSeconds must be a number of seconds, got "2 min" (text); the unit is in the field\'s name: write 120',
    ],
    [
      'vCPUs for CPU units',
      { 'web.cpu': '0.5 vCPU' },
      'web.cpu must be a number of CPU units (1024 = 1 vCPU), got "0.5 vCPU" (text); the unit is in the field\'s name: write 512',
    ],
    ['text for a number, no unit to convert', { 'cache.nodes': 'two' }, 'cache.nodes must be a number, got "two" (text)'],
    [
      'text in an unknown unit',
      { 'database.allocatedStorageGiB': '100 GB' },
      'database.allocatedStorageGiB must be a number of GiB, got "100 GB" (text); write the number of GiB alone',
    ],
    ['a number for text', { 'database.instanceClass': 42 }, 'database.instanceClass must be text such as "db.r7g.large", got 42 (a number)'],
    ['text for a switch', { 'database.multiAz': 'yes' }, 'database.multiAz must be true or false, got "yes" (text)'],
    ['null', { 'worker.memoryMiB': null }, 'worker.memoryMiB must be a number of MiB, got null'],
    [
      'an object for a list',
      { 'web.scaleSchedule': { value: { name: 'x' } } },
      'web.scaleSchedule must be a list (it replaces the whole list), got an object',
    ],
    [
      'an alarm threshold that is neither a number nor off',
      { 'monitoring.web.cpuPercent': 'none' },
      'monitoring.web.cpuPercent must be a number (percent) or \'off\', got "none" (text)',
    ],
    ['an entry without a value', { 'cache.nodes': { was: 3 } }, 'cache.nodes: the entry has no "value"'],
    [
      'an entry with an unknown key',
      { 'cache.nodes': { value: 2, because: 'idle' } },
      'cache.nodes: unknown key(s) \'because\'; an entry is a value, or {"value": …, "was": …, "why": "…"}',
    ],
    [
      'a stale was',
      { 'database.instanceClass': { value: 'db.m7g.large', was: 'db.r6g.large' } },
      'database.instanceClass: the change was worked out against "db.r6g.large", but profile \'prod\' now has "db.r7g.large"; the override is stale: work it out again (npm run rightsize -- --apply), or remove "was" to apply it anyway',
    ],
  ])('%s', (_what, overrides, message) => {
    expect(problemsOf(file(overrides))).toEqual([message]);
  });

  test("the file's shape: format, version, profile, overrides, unknown keys", () => {
    expect(problemsOf({ format: 'x', version: 2, profile: 3, extra: true })).toEqual([
      "unknown key 'extra' at the top level; the keys are $comment, format, version, profile, overrides, source",
      'format must be "cdk-scaling-stack/profile-overrides", got "x" (text)',
      'version must be 1, got 2 (a number)',
      'profile must name the profile the overrides are for, such as "prod"; got 3 (a number)',
      'overrides must be an object of "<section>.<field>": value, e.g. {"database.instanceClass": "db.m7g.large"}; got nothing',
    ]);
    expect(problemsOf([])).toEqual(['must be a JSON object with format, version, profile and overrides; got a list']);
  });

  test('a file for another profile', () => {
    expect(problemsOf(file({ 'cache.nodes': 2 }), dev)).toEqual([
      "the overrides are for profile 'prod', but the app synthesizes 'dev'; pass -c profile=prod, or use a file made for 'dev'",
    ]);
  });

  test('all problems at once, and no overrides when there is any', () => {
    const result = parseProfileOverrides(file({ 'web.memoryMiB': '2 GiB', 'database.instanceType': 'x', 'cache.nodes': 2 }), prod);
    expect(result.overrides).toBeUndefined();
    expect(result.problems).toHaveLength(2);
  });
});

describe('overrideProfile: the file text, the rules, one list of problems', () => {
  const where = 'profileOverrides o.json';

  test('a change the profile rules allow is applied', () => {
    const { profile, problems } = overrideProfile(prod, JSON.stringify(file({ 'cache.nodes': 2 })), where);
    expect(problems).toEqual([]);
    expect(profile.cache.nodes).toBe(2);
  });

  test("a change that breaks a production rule is refused with the rule's words, and the base profile is kept", () => {
    const { profile, problems } = overrideProfile(prod, JSON.stringify(file({ 'database.multiAz': false, 'web.minTasks': 1 })), where);
    expect(profile).toBe(prod);
    expect(problems).toEqual([
      // prod's automatic target weights need 2 tasks as well (web.anomalyMitigation)
      'profileOverrides o.json: with the overrides applied, web.anomalyMitigation (true) needs web.minTasks of at least 2 (it is 1): with one task there is nothing to shift traffic to; raise web.minTasks to 2 or set web.anomalyMitigation false',
      'profileOverrides o.json: with the overrides applied, database.multiAz is false; production profiles require it so the database survives an AZ outage',
      'profileOverrides o.json: with the overrides applied, web.minTasks (1) must be at least 2 in production, one per AZ, so an AZ outage leaves a task serving',
    ]);
  });

  test('text that is not JSON', () => {
    expect(overrideProfile(prod, '{', where).problems).toEqual([expect.stringMatching(/^profileOverrides o\.json: not JSON \(.+\)$/)]);
  });

  test("every problem of a malformed file carries the file's name", () => {
    const { problems } = overrideProfile(prod, JSON.stringify(file({ 'web.memoryMiB': 'big', 'database.size': 1 })), where);
    expect(problems).toEqual([
      'profileOverrides o.json: web.memoryMiB must be a number of MiB, got "big" (text); write the number of MiB alone',
      expect.stringMatching(/^profileOverrides o\.json: 'database\.size' is not a profile field; the fields of database are /),
    ]);
  });

  test('a file that cannot be read is one problem', () => {
    const read = () => {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    };
    expect(overrideProfileFromFile(prod, 'missing.json', read).problems).toEqual([
      'profileOverrides missing.json cannot be read (ENOENT); give the path of a file that `npm run rightsize -- --apply` wrote',
    ]);
  });
});
