// The outcome of verifying one deployed stack: every property compared, with where its expected
// value came from (the profile or the template), and the properties moto does not model.
import { isDeepStrictEqual } from 'node:util';

/** The deployed resource a check is about. */
export interface Subject {
  readonly logicalId: string;
  readonly type: string;
}

export interface Check {
  readonly subject: Subject;
  readonly property: string;
  readonly expected: unknown;
  readonly actual: unknown;
  /** Where the expected value comes from: `profile.<section>.<field>`, `template`, or a rule. */
  readonly source: string;
  readonly ok: boolean;
}

/** A property the emulator does not model, so the deploy cannot vouch for it. */
export interface NotModelled {
  readonly subject: Subject;
  readonly property: string;
  readonly reason: string;
}

export class Checks {
  readonly checks: Check[] = [];
  readonly notModelled: NotModelled[] = [];

  /** Records that `actual` (deployed) equals `expected` (from `source`). Arrays compare in order. */
  equal(subject: Subject, property: string, actual: unknown, expected: unknown, source: string): boolean {
    const ok = isDeepStrictEqual(actual, expected);
    this.checks.push({ subject, property, actual, expected, source, ok });
    return ok;
  }

  /** Like `equal`, for lists whose order carries no meaning (subnets, security groups). */
  sameMembers(subject: Subject, property: string, actual: readonly unknown[] | undefined, expected: readonly unknown[], source: string): boolean {
    const sort = (values: readonly unknown[]) => [...values].map((v) => JSON.stringify(v)).sort();
    const ok = actual !== undefined && isDeepStrictEqual(sort(actual), sort(expected));
    this.checks.push({
      subject,
      property,
      actual: actual === undefined ? undefined : sort(actual).map((v) => JSON.parse(v)),
      expected: sort(expected).map((v) => JSON.parse(v)),
      source,
      ok,
    });
    return ok;
  }

  /** Records a rule that is not an equality (`≥ 6 × timeout`); `expected` describes the rule. */
  holds(subject: Subject, property: string, ok: boolean, actual: unknown, expected: string, source: string): boolean {
    this.checks.push({ subject, property, actual, expected, source, ok });
    return ok;
  }

  /** Records a property moto does not model: neither verified nor failed, and reported as such. */
  notModelledBy(subject: Subject, property: string, reason: string): void {
    this.notModelled.push({ subject, property, reason });
  }

  get failures(): Check[] {
    return this.checks.filter((c) => !c.ok);
  }
}

/** One line for a failed check: what was deployed, what was expected and why. */
export function describeFailure(check: Check): string {
  return `${check.subject.logicalId} (${check.subject.type}) ${check.property}: deployed ${show(check.actual)}, expected ${show(check.expected)} from ${check.source}`;
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
