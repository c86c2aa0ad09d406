// `npm run rightsize -- --apply`: the advisor's recommendations as a profile override file
// (lib/core/profiles/overrides.ts has the format), each checked again against the profile as the
// code has it today, with the same safety rules `cdk synth` applies. A recommendation that would
// break one is not applied, and the output names the rule and gives its reason.
import type { Recommendation, RightsizingReport } from '../../lambda/rightsizing/advisor';
import { usdPerMonth } from '../../lambda/rightsizing/format';
import { safetyProblems } from '../../lambda/rightsizing/safety';
import type { Profile } from '../../lib/core/profiles/profile';
import {
  applyProfileOverrides,
  formatProfileOverrides,
  overrideProfile,
  type ProfileOverride,
  type ProfileOverrides,
} from '../../lib/core/profiles/overrides';
import { profileProblems } from '../../lib/core/profiles/rules';

/** A rule a recommendation broke: which one, and its own words. */
export interface BrokenRule {
  readonly rule: string;
  readonly message: string;
}

export interface NotApplied {
  readonly recommendation: Recommendation;
  readonly broken: readonly BrokenRule[];
}

/** What --apply made of the advisor's report. */
export interface ApplyPlan {
  readonly profile: Profile;
  readonly applied: readonly Recommendation[];
  readonly notApplied: readonly NotApplied[];
  /** `profile` with every applied recommendation. */
  readonly result: Profile;
  readonly overrides: ProfileOverrides;
}

const PROFILE_RULES = 'lib/core/profiles/rules.ts';

/**
 * The safety problems of `profile`, each with the rule that raised it: the production rules and
 * the other profile rules (profileProblems), and the database connection budget and instance
 * class (the rest of what safetyProblems, the advisor's and synth's check, reports).
 */
export function brokenRules(profile: Profile): BrokenRule[] {
  const ofProfile = new Set(profileProblems(profile));
  return safetyProblems(profile).map((message) => {
    if (ofProfile.has(message)) {
      return { rule: /production/.test(message) ? `production rule (${PROFILE_RULES})` : `profile rule (${PROFILE_RULES})`, message };
    }
    if (/connection/i.test(message)) return { rule: 'connection budget (lib/core/postgres/connection-budget.ts)', message };
    return { rule: 'database instance class (lib/core/postgres/tuning.ts)', message };
  });
}

function overridesOf(recommendation: Recommendation): ProfileOverride[] {
  return recommendation.changes.map((c) => ({
    path: c.path,
    value: c.to,
    was: c.from,
    why: `${recommendation.summary} (${recommendation.confidence} confidence; advisor: ${usdPerMonth(recommendation.monthlyUsd)})`,
  }));
}

/**
 * Applies the report's recommendations to `profile` (the profile as the code has it now) in the
 * advisor's order, each on top of those before it. One is not applied when the profile no longer
 * holds the value the advisor judged (stale), or when the profile with it breaks a rule; the
 * advisor's own withheld recommendations are listed the same way.
 */
export function planOverrides(report: RightsizingReport, profile: Profile, source: Readonly<Record<string, unknown>>): ApplyPlan {
  let result = profile;
  const applied: Recommendation[] = [];
  const notApplied: NotApplied[] = [];
  const accepted: ProfileOverride[] = [];
  for (const recommendation of report.recommendations) {
    const stale = recommendation.changes.filter((c) => JSON.stringify(getPath(profile, c.path)) !== JSON.stringify(c.from));
    if (stale.length > 0) {
      notApplied.push({
        recommendation,
        broken: stale.map((c) => ({
          rule: 'the profile changed since the advice',
          message: `the advisor judged ${c.path} at ${JSON.stringify(c.from)}, but profile '${profile.name}' now has ${JSON.stringify(getPath(profile, c.path))}; run the advisor again on metrics of the current size`,
        })),
      });
      continue;
    }
    const candidate = applyProfileOverrides(result, { profile: profile.name, overrides: overridesOf(recommendation) });
    const broken = brokenRules(candidate);
    if (broken.length > 0) {
      notApplied.push({ recommendation, broken });
      continue;
    }
    applied.push(recommendation);
    accepted.push(...overridesOf(recommendation));
    result = candidate;
  }
  for (const withheld of report.withheld) {
    const candidate = applyProfileOverrides(result, { profile: profile.name, overrides: overridesOf(withheld.recommendation) });
    const broken = brokenRules(candidate);
    notApplied.push({
      recommendation: withheld.recommendation,
      broken: broken.length > 0 ? broken : withheld.problems.map((message) => ({ rule: "the advisor's safety check", message })),
    });
  }
  return { profile, applied, notApplied, result, overrides: { profile: profile.name, overrides: accepted, source } };
}

function getPath(profile: Profile, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], profile);
}

/**
 * The file text of a plan, read back the way the app reads it: an override the app would refuse
 * is a bug here, never something to write.
 */
export function overrideFileText(plan: ApplyPlan): string {
  const text = formatProfileOverrides(plan.overrides);
  const read = overrideProfile(plan.profile, text, 'the override file');
  if (read.problems.length > 0) throw new Error(`the override file would not be accepted by the app:\n${read.problems.join('\n')}`);
  return text;
}

const change = (r: Recommendation) => r.changes.map((c) => `${c.path} ${c.from} -> ${c.to}`).join(', ');

/** What was applied and what was not (with the rule and its reason), for the terminal. */
export function renderPlan(plan: ApplyPlan, file: string | undefined): string {
  const lines = [`Applying the advice to profile '${plan.profile.name}' (lib/core/profiles/${plan.profile.name}.ts) as an override file:`];
  const width = Math.max(0, ...[...plan.applied, ...plan.notApplied.map((n) => n.recommendation)].map((r) => change(r).length));
  for (const r of plan.applied) lines.push(`  applied      ${change(r).padEnd(width)}  ${usdPerMonth(r.monthlyUsd)} (advisor)`);
  for (const n of plan.notApplied) {
    lines.push(
      `  not applied  ${change(n.recommendation).padEnd(width)}  ${usdPerMonth(n.recommendation.monthlyUsd)} (advisor): ${n.recommendation.summary}`,
    );
    for (const b of n.broken) lines.push(`                 ${b.rule}: ${b.message}`);
  }
  if (plan.applied.length === 0) {
    lines.push(plan.notApplied.length === 0 ? '  nothing to apply: the advisor recommends no change' : '  nothing applied');
    return lines.join('\n');
  }
  lines.push(
    `The profile with ${plan.overrides.overrides.length === 1 ? 'this change' : `these ${plan.overrides.overrides.length} changes`} passes every profile rule and the database connection budget.`,
  );
  if (file) lines.push(`Wrote ${file}. Synthesize or deploy with it: npx cdk deploy -c profile=${plan.profile.name} -c profileOverrides=${file}`);
  return lines.join('\n');
}

/** The plan as data, for --json. */
export function planJson(plan: ApplyPlan, file: string | undefined): unknown {
  return {
    file: file ?? null,
    applied: plan.applied.map((r) => ({ summary: r.summary, changes: r.changes, monthlyUsd: r.monthlyUsd })),
    notApplied: plan.notApplied.map((n) => ({ summary: n.recommendation.summary, changes: n.recommendation.changes, broken: n.broken })),
    overrides: plan.overrides.overrides,
  };
}
