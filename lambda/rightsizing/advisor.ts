import { HIGH_CONFIDENCE, MIN_COVERAGE, MIN_DAYS_TO_DOWNSIZE } from '../../lib/core/insights';
import type { Profile } from '../../lib/core/profiles/profile';
import { days, num, withUnit } from './format';
import { COMPONENTS, METRIC_SPECS, type Component, type MetricKey, type Targets } from './plan';
import type { PriceLookup } from './prices';
import { cacheRules } from './rules/cache';
import { databaseRules } from './rules/database';
import { webRules } from './rules/web';
import { workerRules } from './rules/worker';
import { DAY_MS, expectedDatapoints, summarize, type SeriesByKey, type Summary, type Window } from './series';

/** How much the data behind a recommendation can be trusted. */
export type Confidence = 'high' | 'medium' | 'low';

/** One field of the profile, from its value today to the recommended one. */
export interface Change {
  /** The profile field, e.g. 'database.instanceClass'. */
  readonly path: string;
  readonly from: string | number;
  readonly to: string | number;
}

/** A change to the profile, with why, what it costs or saves, and how sure the advisor is. */
export interface Recommendation {
  readonly component: Component;
  /** downsize: less capacity (saves); upsize: more (a bottleneck was seen); tune: a scaling setting. */
  readonly action: 'downsize' | 'upsize' | 'tune';
  /** One line: what changes and why. */
  readonly summary: string;
  readonly changes: readonly Change[];
  /** The statistics that led to it, each with its window. */
  readonly evidence: readonly string[];
  /** USD a month: negative saves, positive costs; null when the price table lacks a price. */
  readonly monthlyUsd: number | null;
  /** How the cost effect was computed. */
  readonly costBasis: string;
  readonly confidence: Confidence;
}

/** A statistic of one metric over the window, computed from its datapoints. */
export interface Statistic {
  readonly metric: MetricKey;
  readonly label: string;
  readonly unit: string;
  readonly datapoints: number;
  readonly expected: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export type ComponentStatus =
  /** At least one recommendation. */
  | 'recommendation'
  /** Enough data and nothing to change. */
  | 'keep'
  /** Too little data to recommend anything. */
  | 'insufficient-data'
  /** The stack has no such component, or the advisor was not told where its metrics are. */
  | 'not-monitored';

export interface ComponentReport {
  readonly component: Component;
  readonly status: ComponentStatus;
  readonly confidence?: Confidence;
  /** Share of the expected datapoints present, of the component's always-published metrics (0-1). */
  readonly coverage: number;
  /** Days the data spans. */
  readonly days: number;
  readonly statistics: readonly Statistic[];
  /** Observations that are not changes: why a size is kept, what could not be judged. */
  readonly notes: readonly string[];
}

/** A recommendation the safety rules stopped, with the rules' words. */
export interface Withheld {
  readonly recommendation: Recommendation;
  readonly problems: readonly string[];
}

export interface RightsizingReport {
  readonly profile: string;
  readonly generatedAt: string;
  readonly window: { readonly start: string; readonly end: string; readonly days: number; readonly periodSeconds: number };
  readonly components: readonly ComponentReport[];
  /** Recommendations that together keep the profile within its safety rules. */
  readonly recommendations: readonly Recommendation[];
  readonly withheld: readonly Withheld[];
  /** The sum of the recommendations' cost effects (USD a month; negative saves). */
  readonly monthlyUsd: number;
  /** The profile with every recommendation applied; it passes the same checks as `cdk synth`. */
  readonly recommendedProfile: Profile;
  /** Whether there is something to act on (a recommendation). */
  readonly actionable: boolean;
}

/** A recommendation as a rule proposes it: its cost effect is computed when it is applied. */
export interface Candidate extends Omit<Recommendation, 'monthlyUsd'> {
  apply(profile: Profile): Profile;
}

/** What a component's rules see. */
export interface RuleContext {
  readonly profile: Profile;
  readonly window: Window;
  readonly prices: PriceLookup;
  /** The safety rules' problems with `candidate`; empty when it may be recommended. */
  readonly safetyProblems: (candidate: Profile) => string[];
  /** Summary of a series, undefined when it has no datapoints. */
  stat(key: MetricKey): Summary | undefined;
  /** Share (0-1) of a series' datapoints for which `test` holds; 0 without datapoints. */
  share(key: MetricKey, test: (value: number) => boolean): number;
  /** `label p95 X, max Y over N days of datapoints (n of m expected)`. */
  evidence(key: MetricKey, pick?: readonly ('p50' | 'p95' | 'p99' | 'max' | 'sum')[]): string;
  readonly confidence: Confidence;
  /** Whether the data allows taking capacity away (enough days). */
  readonly mayDownsize: boolean;
}

export interface RuleResult {
  readonly candidates: Candidate[];
  readonly notes: string[];
  /**
   * What the component costs a month under a profile, at the load observed (USD; throws for a
   * price the table lacks). A recommendation's effect is the difference between the profile
   * before and after it, so effects of several recommendations add up.
   */
  readonly monthlyCost?: (profile: Profile) => number;
}

export type Rules = (ctx: RuleContext) => RuleResult;

/** The keys whose coverage decides whether a component has enough data, by component. */
const REQUIRED: Readonly<Record<Component, readonly MetricKey[]>> = {
  web: ['web.cpu', 'web.memory'],
  database: ['database.cpu'],
  cache: ['cache.cpu'],
  worker: ['worker.queueAge'],
};

const RULES: Readonly<Record<Component, Rules>> = { web: webRules, database: databaseRules, cache: cacheRules, worker: workerRules };

export interface AdviseInput {
  readonly profile: Profile;
  /** Which components the metrics describe (a component absent here is 'not-monitored'). */
  readonly targets: Targets | readonly Component[];
  readonly series: SeriesByKey;
  readonly window: Window;
  readonly prices: PriceLookup;
  readonly safetyProblems: (candidate: Profile) => string[];
  /** @default now */
  readonly now?: Date;
}

/**
 * The advisor: statistics per component, recommendations in the profile's terms, and the safety
 * rules applied to them together. Upsizings (a bottleneck seen) are applied first, then the
 * largest savings first; a recommendation that would break a rule on top of the ones before it is
 * withheld with the rule's message, so the recommended profile always passes.
 */
export function advise(input: AdviseInput): RightsizingReport {
  const configured = Array.isArray(input.targets) ? input.targets : COMPONENTS.filter((c) => (input.targets as Targets)[c] !== undefined);
  const summaries = new Map<MetricKey, Summary>();
  const stat = (key: MetricKey) => {
    if (!summaries.has(key)) {
      const series = input.series[key];
      if (series && series.values.length > 0) summaries.set(key, summarize(series));
    }
    return summaries.get(key);
  };
  const evidence = (key: MetricKey, pick: readonly ('p50' | 'p95' | 'p99' | 'max' | 'sum')[] = ['p95', 'max']) => {
    const s = stat(key);
    const spec = METRIC_SPECS[key];
    if (!s) return `${spec.label}: no datapoints`;
    const period = Math.max(input.window.periodSeconds, spec.nativePeriodSeconds) / 60;
    const values = pick.map((p) => `${p} ${withUnit(s[p], spec.unit)}`).join(', ');
    const coverage = spec.continuous ? ` (${num(s.count, 0)} of ${num(expectedDatapoints(input.window, key), 0)} expected)` : '';
    return `${spec.label} ${values} over ${days(spanDays(s, input.window))} of ${num(period, 0)}-minute datapoints${coverage}`;
  };

  const components: ComponentReport[] = [];
  const candidates: Candidate[] = [];
  const costs = new Map<Component, (profile: Profile) => number>();
  for (const component of COMPONENTS) {
    const keys = (Object.keys(METRIC_SPECS) as MetricKey[]).filter((k) => METRIC_SPECS[k].component === component);
    if (!configured.includes(component)) {
      components.push({ component, status: 'not-monitored', coverage: 0, days: 0, statistics: [], notes: [`the advisor was not given the ${component} resources; nothing read`] });
      continue;
    }
    const statistics = keys.flatMap((key) => {
      const s = stat(key);
      return s ? [statistic(key, s, input.window)] : [];
    });
    const assessment = assess(component, stat, input.window);
    if (assessment.insufficient) {
      components.push({ component, status: 'insufficient-data', coverage: assessment.coverage, days: assessment.days, statistics, notes: [assessment.insufficient] });
      continue;
    }
    const ctx: RuleContext = {
      profile: input.profile,
      window: input.window,
      prices: input.prices,
      safetyProblems: input.safetyProblems,
      stat,
      share: (key, test) => {
        const values = input.series[key]?.values ?? [];
        return values.length ? values.filter(test).length / values.length : 0;
      },
      evidence,
      confidence: assessment.confidence,
      mayDownsize: assessment.days >= MIN_DAYS_TO_DOWNSIZE,
    };
    const result = RULES[component](ctx);
    candidates.push(...result.candidates);
    if (result.monthlyCost) costs.set(component, result.monthlyCost);
    components.push({
      component,
      status: result.candidates.length > 0 ? 'recommendation' : 'keep',
      confidence: assessment.confidence,
      coverage: assessment.coverage,
      days: assessment.days,
      statistics,
      notes: result.notes,
    });
  }

  const effect = (c: Candidate, before: Profile): number | null => {
    const cost = costs.get(c.component);
    return cost ? priced(() => cost(c.apply(before)) - cost(before)) : null;
  };
  // Bottlenecks first, then the largest savings.
  const ordered = [...candidates].sort((a, b) => order(a) - order(b) || (effect(a, input.profile) ?? 0) - (effect(b, input.profile) ?? 0));
  let profile = input.profile;
  const accepted: Recommendation[] = [];
  const withheld: Withheld[] = [];
  for (const candidate of ordered) {
    const next = candidate.apply(profile);
    const problems = input.safetyProblems(next);
    const { apply: _apply, ...rest } = candidate;
    const recommendation: Recommendation = { ...rest, monthlyUsd: effect(candidate, profile) };
    if (problems.length > 0) {
      withheld.push({ recommendation, problems });
    } else {
      accepted.push(recommendation);
      profile = next;
    }
  }
  const finalComponents = components.map((c) => c.status === 'recommendation' && !accepted.some((r) => r.component === c.component) ? { ...c, status: 'keep' as const } : c);
  return {
    profile: input.profile.name,
    generatedAt: (input.now ?? new Date()).toISOString(),
    window: {
      start: new Date(input.window.start).toISOString(),
      end: new Date(input.window.end).toISOString(),
      days: (input.window.end - input.window.start) / DAY_MS,
      periodSeconds: input.window.periodSeconds,
    },
    components: finalComponents,
    recommendations: accepted,
    withheld,
    monthlyUsd: round2(accepted.reduce((sum, r) => sum + (r.monthlyUsd ?? 0), 0)),
    recommendedProfile: profile,
    actionable: accepted.length > 0,
  };
}

function order(candidate: Candidate): number {
  return candidate.action === 'upsize' ? 0 : candidate.action === 'tune' ? 1 : 2;
}

function statistic(key: MetricKey, s: Summary, window: Window): Statistic {
  const spec = METRIC_SPECS[key];
  return {
    metric: key,
    label: spec.label,
    unit: spec.unit,
    datapoints: s.count,
    expected: spec.continuous ? expectedDatapoints(window, key) : s.count,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    max: s.max,
  };
}

/** Days a series covers, counting its last period. */
function spanDays(s: Summary, window: Window): number {
  return s.days + window.periodSeconds / 86_400;
}

interface Assessment {
  readonly coverage: number;
  readonly days: number;
  readonly confidence: Confidence;
  /** Set when there is too little data, saying what is missing. */
  readonly insufficient?: string;
}

/** Coverage and span of a component's always-published metrics, and the confidence they allow. */
function assess(component: Component, stat: (key: MetricKey) => Summary | undefined, window: Window): Assessment {
  let coverage = 1;
  let spanned = Infinity;
  for (const key of REQUIRED[component]) {
    const s = stat(key);
    const expected = expectedDatapoints(window, key);
    const share = Math.min(1, (s?.count ?? 0) / expected);
    if (share < MIN_COVERAGE) {
      return {
        coverage: share,
        days: s ? spanDays(s, window) : 0,
        confidence: 'low',
        insufficient: `too little data to recommend anything: ${METRIC_SPECS[key].label} has ${num(s?.count ?? 0, 0)} of ${num(expected, 0)} expected datapoints (${num(share * 100, 0)} %) over the ${days((window.end - window.start) / DAY_MS)} window; at least ${num(MIN_COVERAGE * 100, 0)} % are needed`,
      };
    }
    coverage = Math.min(coverage, share);
    spanned = Math.min(spanned, s ? spanDays(s, window) : 0);
  }
  const confidence: Confidence = spanned >= HIGH_CONFIDENCE.days && coverage >= HIGH_CONFIDENCE.coverage ? 'high' : spanned >= MIN_DAYS_TO_DOWNSIZE ? 'medium' : 'low';
  return { coverage, days: spanned, confidence };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

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
export function firstSafe<T>(values: readonly T[], make: (value: T) => Profile, safetyProblems: (p: Profile) => string[]): { value?: T; problems: string[] } {
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

/** The cost effect rounded to cents, or null when the price table lacks a price it needs. */
export function priced(compute: () => number): number | null {
  try {
    return round2(compute());
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'UnknownPriceError' || name === 'MissingPriceError') return null;
    throw error;
  }
}

/** Whole numbers from `from` down to `to`, inclusive. */
export function descending(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, from - to + 1) }, (_, i) => from - i);
}
