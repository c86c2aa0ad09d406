import { MIN_DAYS_TO_DOWNSIZE } from '../../../lib/core/insights';
import type { Profile } from '../../../lib/core/profiles/profile';
import { days } from '../format';
import { DAY_MS } from '../series';
import type { Candidate, Change, Recommendation, RuleContext } from '../types';

// What every component's rules use to propose a change: apply it to a profile, find the first size
// the safety rules accept, and say why a downsize waits for more data.

/** A copy of `profile` with the changes applied (`section.field` paths). */
export function applyChanges(profile: Profile, changes: readonly Change[]): Profile {
  let next: Profile = profile;
  for (const { path, to } of changes) {
    const [section, field] = path.split('.') as [keyof Profile, string];
    next = { ...next, [section]: { ...(next[section] as object), [field]: to } };
  }
  return next;
}

/** A candidate from a recommendation: applying it sets its changes. */
export function candidate(recommendation: Omit<Recommendation, 'monthlyUsd'>): Candidate {
  return { ...recommendation, apply: (profile) => applyChanges(profile, recommendation.changes) };
}

/**
 * The first value of `values` (in order of preference) whose profile passes the safety rules,
 * with the problems of the first one tried when none does.
 */
export function firstSafe<T>(
  values: readonly T[],
  make: (value: T) => Profile,
  safetyProblems: (p: Profile) => string[],
): { value?: T; problems: string[] } {
  let first: string[] | undefined;
  for (const value of values) {
    const problems = safetyProblems(make(value));
    if (problems.length === 0) return { value, problems: [] };
    first ??= problems;
  }
  return { problems: first ?? [] };
}

/** The note a downsize gets when the data is too short to take capacity away. */
export function tooShortToDownsize(what: string, ctx: RuleContext, dataDays: number): string {
  return `${what} looks oversized, but the data spans only ${days(dataDays)}; the advisor takes capacity away after ${MIN_DAYS_TO_DOWNSIZE} days of data (the window is ${days((ctx.window.end - ctx.window.start) / DAY_MS)})`;
}

/** Whole numbers from `from` down to `to`, inclusive. */
export function descending(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, from - to + 1) }, (_, i) => from - i);
}
