import type { Profile } from '../../lib/core/profiles/profile';
import type { Component, MetricKey } from './plan';
import type { PriceLookup } from './prices';
import type { Summary, Window } from './series';

// The right-sizing report and the contract between the advisor and its rules, apart from both so
// the rules (rules/*.ts) and the advisor that runs them import these without importing each other.

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
