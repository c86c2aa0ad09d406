// A profile override file: a few fields of one profile changed without editing its table, as
// `npm run rightsize -- --apply` writes them and `cdk synth -c profileOverrides=<file>` reads them.
// Pure: the caller reads the file (lib/config, tools/); here it is parsed, checked field by field
// against the profile it changes, and merged. Every problem is returned at once.
//
// {
//   "format": "cdk-scaling-stack/profile-overrides",
//   "version": 1,
//   "profile": "prod",
//   "overrides": {
//     "database.instanceClass": { "value": "db.m7g.large", "was": "db.r7g.large", "why": "CPU p95 11 %" },
//     "cache.nodes": 2
//   }
// }
//
// A key is a field's path in the Profile (`section.field`, `monitoring.web.cpuPercent`); a value
// is the field's new value, bare or as { value, was?, why? }. `was` is the value the change was
// worked out against: when the profile no longer holds it, the override is stale and refused.
// Optional: "$comment" (text) and "source" (an object saying what produced the file; not read).
import type { Profile } from './profile';
import { profileProblems } from './rules';

export const PROFILE_OVERRIDES_FORMAT = 'cdk-scaling-stack/profile-overrides';
export const PROFILE_OVERRIDES_VERSION = 1;

/** A value a profile field can hold. */
export type FieldValue = string | number | boolean | readonly unknown[];

/** One field to change. */
export interface ProfileOverride {
  /** The field's path, e.g. 'database.instanceClass'. */
  readonly path: string;
  readonly value: FieldValue;
  /** The value the change was worked out against; the profile must still hold it. */
  readonly was?: FieldValue;
  /** Why, for the reader of the file. */
  readonly why?: string;
}

/** A parsed, checked override file. */
export interface ProfileOverrides {
  /** The profile the overrides are for. */
  readonly profile: string;
  readonly overrides: readonly ProfileOverride[];
  /** What produced the file (tool, time, evidence); carried along, never read. */
  readonly source?: Readonly<Record<string, unknown>>;
  readonly comment?: string;
}

/** Fields an override may not change, and why. */
const LOCKED: Readonly<Record<string, string>> = {
  name: 'it names the stack (ScalingStack-<name>); an override changes sizes, never which stack is deployed',
  production: 'it switches the production safety rules; an override must be judged by the same rules as the profile it changes',
};

/** The unit of a number field, from the suffix its name carries (STYLE.md: units go in names). */
const UNIT_SUFFIXES: readonly (readonly [RegExp, string])[] = [
  [/MiB$/, 'MiB'],
  [/GiB$/, 'GiB'],
  [/Seconds$/, 'seconds'],
  [/Days$/, 'days'],
  [/Ms$/, 'milliseconds'],
  [/Percent(OfMax|OfMinimum|OfTimeout)?$/, 'percent'],
  [/Usd$/, 'USD'],
  [/Per5Min$/, 'a count per 5 minutes'],
];
/** Fields whose unit is not in their name. */
const UNIT_FIELDS: Readonly<Record<string, string>> = { 'web.cpu': 'CPU units (1024 = 1 vCPU)' };

/** Factors from a unit a user may write to the unit of a field, for the hint in a wrong-unit message. */
const CONVERSIONS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  MiB: { mib: 1, gib: 1024 },
  GiB: { gib: 1, mib: 1 / 1024, tib: 1024 },
  seconds: { s: 1, sec: 1, second: 1, seconds: 1, ms: 0.001, min: 60, minute: 60, minutes: 60, h: 3600, hour: 3600, hours: 3600 },
  milliseconds: { ms: 1, s: 1000, sec: 1000, seconds: 1000 },
  days: { d: 1, day: 1, days: 1, w: 7, week: 7, weeks: 7 },
  'CPU units (1024 = 1 vCPU)': { vcpu: 1024, vcpus: 1024 },
};

function unitOf(path: string): string | undefined {
  return UNIT_FIELDS[path] ?? UNIT_SUFFIXES.find(([suffix]) => suffix.test(path))?.[1];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(value: unknown): string {
  if (typeof value === 'string') return `"${value}" (text)`;
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'an object';
  return `${JSON.stringify(value)}${typeof value === 'number' ? ' (a number)' : typeof value === 'boolean' ? ' (true/false)' : ''}`;
}

/** The thresholds of monitoring.<group>.<field> may be a number or 'off' (AlarmThreshold). */
function isAlarmThreshold(path: string, current: unknown): boolean {
  return /^monitoring\.[a-zA-Z]+\.[a-zA-Z0-9]+$/.test(path) && (typeof current === 'number' || current === 'off');
}

/** Why `value` cannot go into the field at `path` (whose value today is `current`), or undefined when it can. */
function typeProblem(path: string, current: unknown, value: unknown, what: string): string | undefined {
  if (isAlarmThreshold(path, current)) {
    if ((typeof value === 'number' && Number.isFinite(value)) || value === 'off') return undefined;
    const unit = unitOf(path);
    return `${what} must be a number${unit ? ` (${unit})` : ''} or 'off', got ${shown(value)}`;
  }
  if (typeof current === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return undefined;
    const unit = unitOf(path);
    const hint = typeof value === 'string' && unit ? convertedHint(value, unit) : '';
    return `${what} must be a number${unit ? ` of ${unit}` : ''}, got ${shown(value)}${hint}`;
  }
  if (typeof current === 'boolean') return typeof value === 'boolean' ? undefined : `${what} must be true or false, got ${shown(value)}`;
  if (typeof current === 'string') return typeof value === 'string' ? undefined : `${what} must be text such as "${current}", got ${shown(value)}`;
  if (Array.isArray(current)) return Array.isArray(value) ? undefined : `${what} must be a list (it replaces the whole list), got ${shown(value)}`;
  return `${what} cannot be overridden`;
}

/** `; write 2048`: a number with a unit, converted to the field's unit when it can be. */
function convertedHint(text: string, unit: string): string {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  const factor = match ? CONVERSIONS[unit]?.[match[2].toLowerCase()] : undefined;
  if (!match || factor === undefined) return `; write the number of ${unit} alone`;
  return `; the unit is in the field's name: write ${Number((Number(match[1]) * factor).toFixed(6))}`;
}

/** The field at `path` in `profile`, or the problem with the path. */
function lookUp(profile: Profile, path: string): { current: unknown } | { problem: string } {
  const segments = path.split('.');
  if (path === '' || segments.some((s) => s === ''))
    return { problem: `'${path}' is not a field path; write section.field, e.g. 'database.instanceClass'` };
  if (segments[0] in LOCKED && segments.length === 1) return { problem: `'${path}' cannot be overridden: ${LOCKED[segments[0]]}` };
  let node: unknown = profile;
  for (let i = 0; i < segments.length; i++) {
    if (Array.isArray(node))
      return { problem: `'${segments.slice(0, i).join('.')}' is a list; override it whole with '${segments.slice(0, i).join('.')}'` };
    const parent = node as Record<string, unknown>;
    if (!isObject(parent) || !Object.hasOwn(parent, segments[i])) {
      const where = i === 0 ? "the profile's sections and fields are" : `the fields of ${segments.slice(0, i).join('.')} are`;
      return { problem: `'${path}' is not a profile field; ${where} ${Object.keys(parent).join(', ')}` };
    }
    node = parent[segments[i]];
  }
  if (isObject(node))
    return { problem: `'${path}' is a section, not a field; override its fields one by one, e.g. '${path}.${Object.keys(node)[0]}'` };
  return { current: node };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Checks an override file (already parsed from JSON) against the profile it changes. Returns the
 * overrides, or every problem found (never both): the file's shape, each key (does the field
 * exist, may it be changed), each value (type and unit), each `was` (is it still the profile's).
 */
export function parseProfileOverrides(json: unknown, base: Profile): { overrides?: ProfileOverrides; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(json)) return { problems: [`must be a JSON object with format, version, profile and overrides; got ${shown(json)}`] };
  const known = ['$comment', 'format', 'version', 'profile', 'overrides', 'source'];
  for (const key of Object.keys(json))
    if (!known.includes(key)) problems.push(`unknown key '${key}' at the top level; the keys are ${known.join(', ')}`);
  if (json.format !== PROFILE_OVERRIDES_FORMAT) problems.push(`format must be "${PROFILE_OVERRIDES_FORMAT}", got ${shown(json.format)}`);
  if (json.version !== PROFILE_OVERRIDES_VERSION) problems.push(`version must be ${PROFILE_OVERRIDES_VERSION}, got ${shown(json.version)}`);
  if (json.$comment !== undefined && typeof json.$comment !== 'string') problems.push(`$comment must be text, got ${shown(json.$comment)}`);
  if (json.source !== undefined && !isObject(json.source)) problems.push(`source must be an object, got ${shown(json.source)}`);
  if (typeof json.profile !== 'string') {
    problems.push(`profile must name the profile the overrides are for, such as "${base.name}"; got ${shown(json.profile)}`);
  } else if (json.profile !== base.name) {
    problems.push(
      `the overrides are for profile '${json.profile}', but the app synthesizes '${base.name}'; pass -c profile=${json.profile}, or use a file made for '${base.name}'`,
    );
  }
  if (!isObject(json.overrides)) {
    problems.push(
      `overrides must be an object of "<section>.<field>": value, e.g. {"database.instanceClass": "db.m7g.large"}; got ${json.overrides === undefined ? 'nothing' : shown(json.overrides)}`,
    );
    return { problems };
  }

  const overrides: ProfileOverride[] = [];
  for (const [path, entry] of Object.entries(json.overrides)) {
    const found = lookUp(base, path);
    if ('problem' in found) {
      problems.push(found.problem);
      continue;
    }
    const rich = isObject(entry);
    if (rich) {
      const extra = Object.keys(entry).filter((k) => !['value', 'was', 'why'].includes(k));
      if (extra.length > 0)
        problems.push(`${path}: unknown key(s) ${extra.map((k) => `'${k}'`).join(', ')}; an entry is a value, or {"value": …, "was": …, "why": "…"}`);
      if (!('value' in entry)) problems.push(`${path}: the entry has no "value"`);
      if (entry.why !== undefined && typeof entry.why !== 'string') problems.push(`${path}: why must be text, got ${shown(entry.why)}`);
    }
    const value = rich ? entry.value : entry;
    if (rich && !('value' in entry)) continue;
    const wrong = typeProblem(path, found.current, value, path);
    if (wrong) problems.push(wrong);
    let was: FieldValue | undefined;
    if (rich && entry.was !== undefined) {
      const wrongWas = typeProblem(path, found.current, entry.was, `${path}: was`);
      if (wrongWas) {
        problems.push(wrongWas);
      } else if (!sameValue(entry.was, found.current)) {
        problems.push(
          `${path}: the change was worked out against ${JSON.stringify(entry.was)}, but profile '${base.name}' now has ${JSON.stringify(found.current)}; ` +
            'the override is stale: work it out again (npm run rightsize -- --apply), or remove "was" to apply it anyway',
        );
      } else {
        was = entry.was as FieldValue;
      }
    }
    if (!wrong)
      overrides.push({
        path,
        value: value as FieldValue,
        ...(was !== undefined ? { was } : {}),
        ...(rich && typeof entry.why === 'string' ? { why: entry.why } : {}),
      });
  }
  if (problems.length > 0) return { problems };
  return {
    overrides: {
      profile: base.name,
      overrides,
      ...(isObject(json.source) ? { source: json.source } : {}),
      ...(typeof json.$comment === 'string' ? { comment: json.$comment } : {}),
    },
    problems,
  };
}

/** `base` with each override set (a new profile; `base` is not changed). */
export function applyProfileOverrides(base: Profile, overrides: ProfileOverrides): Profile {
  let next: Record<string, unknown> = base as unknown as Record<string, unknown>;
  for (const { path, value } of overrides.overrides) next = setPath(next, path.split('.'), value);
  return next as unknown as Profile;
}

function setPath(node: Record<string, unknown>, segments: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = segments;
  return { ...node, [head]: rest.length === 0 ? value : setPath(node[head] as Record<string, unknown>, rest, value) };
}

/**
 * The profile with the override file `text` applied: the file's problems, then (when it has none)
 * every profile rule the result breaks, all prefixed with `where` so they read as one list with
 * other configuration problems. The profile is `base` when there is any problem.
 */
export function overrideProfile(base: Profile, text: string, where: string): { profile: Profile; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { profile: base, problems: [`${where}: not JSON (${(error as Error).message})`] };
  }
  const parsed = parseProfileOverrides(json, base);
  if (!parsed.overrides) return { profile: base, problems: parsed.problems.map((p) => `${where}: ${p}`) };
  const profile = applyProfileOverrides(base, parsed.overrides);
  const broken = profileProblems(profile);
  if (broken.length > 0) return { profile: base, problems: broken.map((p) => `${where}: with the overrides applied, ${p}`) };
  return { profile, problems: [] };
}

/**
 * `overrideProfile` for a file, read by `read` (the caller's fs.readFileSync: this module does no
 * I/O). A file that cannot be read is one problem.
 */
export function overrideProfileFromFile(base: Profile, file: string, read: (file: string) => string): { profile: Profile; problems: string[] } {
  let text: string;
  try {
    text = read(file);
  } catch (error) {
    return {
      profile: base,
      problems: [
        `profileOverrides ${file} cannot be read (${(error as { code?: string }).code ?? (error as Error).message}); give the path of a file that \`npm run rightsize -- --apply\` wrote`,
      ],
    };
  }
  return overrideProfile(base, text, `profileOverrides ${file}`);
}

/** The file text for `overrides`, as the tools write it (two-space JSON, one key a line, a final newline). */
export function formatProfileOverrides(overrides: ProfileOverrides): string {
  const entries = Object.fromEntries(
    overrides.overrides.map((o) => [
      o.path,
      o.was === undefined && o.why === undefined
        ? o.value
        : { value: o.value, ...(o.was !== undefined ? { was: o.was } : {}), ...(o.why !== undefined ? { why: o.why } : {}) },
    ]),
  );
  return `${JSON.stringify(
    {
      ...(overrides.comment !== undefined ? { $comment: overrides.comment } : {}),
      format: PROFILE_OVERRIDES_FORMAT,
      version: PROFILE_OVERRIDES_VERSION,
      profile: overrides.profile,
      overrides: entries,
      ...(overrides.source !== undefined ? { source: overrides.source } : {}),
    },
    null,
    2,
  )}\n`;
}
