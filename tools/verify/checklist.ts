// The checklist `npm run verify` prints: one numbered line per check as it finishes, with its
// details indented under it, and a summary. A check passes, fails, is pending (come back later:
// alarms not yet evaluated, a report not yet written), or is skipped with the reason (not
// verifiable on the emulator, or not asked for).

export type Status = 'pass' | 'fail' | 'pending' | 'skipped';

export interface Outcome {
  readonly status: Status;
  /** One line: what was found. */
  readonly summary: string;
  /** Lines under it: each failure, each property not compared, each alarm not OK. */
  readonly details?: readonly string[];
}

export interface Check {
  readonly name: string;
  run(): Promise<Outcome>;
  /** Printed before a check that takes a while (the test job), so the wait is not silent. */
  readonly startNote?: string;
}

export const pass = (summary: string, details?: readonly string[]): Outcome => ({ status: 'pass', summary, details });
export const fail = (summary: string, details?: readonly string[]): Outcome => ({ status: 'fail', summary, details });
export const pending = (summary: string, details?: readonly string[]): Outcome => ({ status: 'pending', summary, details });
/** A check the emulator cannot answer, with why: never a pass. */
export const notVerifiableHere = (reason: string): Outcome => ({ status: 'skipped', summary: `not verifiable here: ${reason}` });
export const skipped = (reason: string): Outcome => ({ status: 'skipped', summary: reason });

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', pending: '…', skipped: '–' };

export interface ChecklistResult {
  readonly outcomes: ReadonlyArray<{ readonly name: string; readonly outcome: Outcome }>;
  readonly counts: Readonly<Record<Status, number>>;
}

/**
 * Runs the checks one after the other, printing each as it finishes. A check that throws fails
 * with the error's message, and the next still runs.
 */
export async function runChecklist(checks: readonly Check[], print: (line: string) => void): Promise<ChecklistResult> {
  const width = String(checks.length).length;
  const outcomes: Array<{ name: string; outcome: Outcome }> = [];
  const counts: Record<Status, number> = { pass: 0, fail: 0, pending: 0, skipped: 0 };
  for (const [i, check] of checks.entries()) {
    const position = `[${String(i + 1).padStart(width)}/${checks.length}]`;
    if (check.startNote) print(`${position} ${check.name}: ${check.startNote}`);
    let outcome: Outcome;
    try {
      outcome = await check.run();
    } catch (error) {
      outcome = fail(error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error));
    }
    print(`${position} ${MARK[outcome.status]} ${check.name}: ${outcome.summary}`);
    for (const line of outcome.details ?? []) print(`${' '.repeat(position.length + 3)}${line}`);
    outcomes.push({ name: check.name, outcome });
    counts[outcome.status]++;
  }
  return { outcomes, counts };
}

/** `PASS ScalingStack-dev: 15 checks, 11 passed, 0 failed, 1 pending, 3 skipped (4.2 s)` */
export function summaryLine(stackName: string, result: ChecklistResult, seconds: number): string {
  const c = result.counts;
  const total = result.outcomes.length;
  return `${c.fail > 0 ? 'FAIL' : 'PASS'} ${stackName}: ${total} checks, ${c.pass} passed, ${c.fail} failed, ${c.pending} pending, ${c.skipped} skipped (${seconds.toFixed(1)} s)`;
}
