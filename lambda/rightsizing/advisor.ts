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
import type { Candidate, ComponentReport, Confidence, Recommendation, RightsizingReport, RuleContext, Rules, Statistic, Withheld } from './types';

export type * from './types';

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
      components.push({
        component,
        status: 'not-monitored',
        coverage: 0,
        days: 0,
        statistics: [],
        notes: [`the advisor was not given the ${component} resources; nothing read`],
      });
      continue;
    }
    const statistics = keys.flatMap((key) => {
      const s = stat(key);
      return s ? [statistic(key, s, input.window)] : [];
    });
    const assessment = assess(component, stat, input.window);
    if (assessment.insufficient) {
      components.push({
        component,
        status: 'insufficient-data',
        coverage: assessment.coverage,
        days: assessment.days,
        statistics,
        notes: [assessment.insufficient],
      });
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
  const finalComponents = components.map((c) =>
    c.status === 'recommendation' && !accepted.some((r) => r.component === c.component) ? { ...c, status: 'keep' as const } : c,
  );
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
  const confidence: Confidence =
    spanned >= HIGH_CONFIDENCE.days && coverage >= HIGH_CONFIDENCE.coverage ? 'high' : spanned >= MIN_DAYS_TO_DOWNSIZE ? 'medium' : 'low';
  return { coverage, days: spanned, confidence };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
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
