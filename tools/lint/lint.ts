/**
 * `npm run lint`: every static check of the source in one run, so one run lists every problem.
 *
 *   eslint      typescript-eslint's recommended rules               tools/lint/eslint-config.mjs
 *   boundaries  the layer rules and "no import cycle", by
 *               dependency-cruiser                                  .dependency-cruiser.cjs
 *   format      prettier --check                                    .prettierrc.json, .prettierignore
 *
 * The three run at once (each is single-threaded; the machines have 2 cores) and print in this order. Exits 1
 * when any fails. `npm run format` fixes the formatting; the other two need the code changed.
 */
import { assertEslintInstalled, DEPCRUISE, DEPCRUISE_CONFIG, ESLINT, PRETTIER, runNode, SOURCES, type RunResult } from './linters';

interface Check {
  readonly name: string;
  readonly run: () => Promise<RunResult>;
}

const CHECKS: Check[] = [
  {
    name: 'eslint',
    run: async () => {
      assertEslintInstalled();
      // The cache (in node_modules/.cache, ignored by git) makes a second run check only the changed files.
      return runNode(ESLINT, ['--cache', '--cache-location', 'node_modules/.cache/eslint/', '--max-warnings', '0', ...SOURCES]);
    },
  },
  {
    name: 'boundaries',
    // err-long prints each rule's comment: why the arrow is forbidden and where the code should go instead.
    run: () => runNode(DEPCRUISE, ['--config', DEPCRUISE_CONFIG, '--output-type', 'err-long', ...SOURCES]),
  },
  {
    name: 'format',
    run: () => runNode(PRETTIER, ['--check', '--log-level', 'warn', '.']),
  },
];

async function main(): Promise<void> {
  const started = performance.now();
  const results = await Promise.all(
    CHECKS.map((check) => check.run().catch((error: unknown): RunResult => ({ status: 1, output: `${String(error)}\n`, seconds: 0 }))),
  );
  const failed: string[] = [];
  CHECKS.forEach((check, i) => {
    const { status, output, seconds } = results[i];
    if (status !== 0) failed.push(check.name);
    console.log(`\n=== ${check.name}: ${status === 0 ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)`);
    if (output.trim()) console.log(output.trimEnd());
  });
  const total = ((performance.now() - started) / 1000).toFixed(1);
  if (failed.length) {
    console.error(`\nlint failed: ${failed.join(', ')} (${total} s)${failed.includes('format') ? '; `npm run format` fixes the formatting' : ''}`);
    process.exitCode = 1;
  } else {
    console.log(`\nlint passed: ${CHECKS.map((c) => c.name).join(', ')} (${total} s)`);
  }
}

void main();
