import { UsageError } from '../shared/cli';

/**
 * Bad input to `npm run cost` (a missing file, a malformed table, a negative assumption): the
 * user's to fix, so the CLI prints the message alone and exits 2 (a UsageError, see tools/shared/cli.ts).
 */
export class CostInputError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'CostInputError';
  }
}

/** Formats zod-style issues as `at <path>: <message>` lines. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 10)
    .map((issue) => `  - at ${issue.path.length ? issue.path.map(String).join('.') : '(top level)'}: ${issue.message}`)
    .join('\n');
}
