/**
 * A configuration that cannot work, found at synth time. The message names where (a construct
 * path, a profile, a context key), every problem found there, the offending values and the fix.
 * Users catch this type: `bin/app.ts` prints its message alone instead of a stack trace.
 */
export class ConfigurationError extends Error {
  constructor(
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(problems.length === 1 ? `${where}: ${problems[0]}` : `${where}: ${problems.length} problems:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Shows a value the way a user wrote it: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/**
 * Collects every problem of one construct (or profile, or context) so the user sees them all at
 * once, then throws a single ConfigurationError. Plain data has no deploy-time values; the
 * constructs' subclass (lib/private/problems.ts) overrides `isUnresolved` so CDK tokens, known
 * only at deploy time, are not judged.
 */
export class Problems {
  private readonly found: string[] = [];

  constructor(private readonly where: string) {}

  /** Whether `value` is known only at deploy time. Plain data never is. */
  isUnresolved(_value: unknown): boolean {
    return false;
  }

  /** Records a problem unless `ok`. */
  check(ok: boolean, message: string): void {
    if (!ok) this.found.push(message);
  }

  add(message: string): void {
    this.found.push(message);
  }

  /** `name (value) must be between min and max` (inclusive); `integer` also rejects fractions. */
  range(name: string, value: number | undefined, min: number, max: number, options: { integer?: boolean; fix?: string; unit?: string } = {}): void {
    if (value === undefined || this.isUnresolved(value)) return;
    const unit = options.unit ? ` ${options.unit}` : '';
    const fix = options.fix ? `; ${options.fix}` : '';
    if (!Number.isFinite(value) || value < min || value > max) {
      this.found.push(`${name} (${value}${unit}) must be between ${min} and ${max}${unit}${fix}`);
    } else if (options.integer && !Number.isInteger(value)) {
      this.found.push(`${name} (${value}) must be a whole number between ${min} and ${max}${unit}${fix}`);
    }
  }

  /** `name ('x') must be one of 'a', 'b'`. */
  oneOf<T>(name: string, value: T | undefined, allowed: readonly T[], fix?: string): void {
    if (value === undefined || (typeof value === 'string' && this.isUnresolved(value))) return;
    if (!allowed.includes(value)) {
      this.found.push(`${name} (${show(value)}) must be one of ${allowed.map(show).join(', ')}${fix ? `; ${fix}` : ''}`);
    }
  }

  /** `minName (min) must not exceed maxName (max); raise maxName or lower minName`. */
  notAbove(minName: string, min: number | undefined, maxName: string, max: number | undefined): void {
    if (min === undefined || max === undefined || this.isUnresolved(min) || this.isUnresolved(max)) return;
    if (min > max) this.found.push(`${minName} (${min}) must not exceed ${maxName} (${max}); raise ${maxName} or lower ${minName}`);
  }

  get count(): number {
    return this.found.length;
  }

  /** Every problem recorded so far, in order. */
  get all(): readonly string[] {
    return [...this.found];
  }

  /** Throws one ConfigurationError listing every problem, if there is any. */
  throwIfAny(): void {
    if (this.found.length > 0) throw new ConfigurationError(this.where, this.found);
  }
}
