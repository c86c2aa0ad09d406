/**
 * Where the linters are and how to run one: shared by `npm run lint` (tools/lint/lint.ts) and the test that runs
 * them on fixtures (test/lint/boundaries.test.ts).
 *
 * ESLint and typescript-eslint come from tools/lint/node_modules (`npm run lint:install`), because they need
 * TypeScript 6 beside the root's TypeScript 7; dependency-cruiser and prettier need no compiler API and are root
 * devDependencies. See tools/lint/README.md.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** The folders `npm run lint` checks. */
export const SOURCES = ['bin', 'lib', 'lambda', 'tools', 'test'];

export const ESLINT = join(ROOT, 'tools', 'lint', 'node_modules', 'eslint', 'bin', 'eslint.js');
export const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
export const DEPCRUISE_CONFIG = join(ROOT, '.dependency-cruiser.cjs');
export const PRETTIER = join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

/** Thrown before running ESLint when tools/lint has not been installed, with the command that installs it. */
export function assertEslintInstalled(): void {
  if (!existsSync(ESLINT)) {
    throw new Error('ESLint is not installed in tools/lint/node_modules: run `npm run lint:install` (npm ci in tools/lint) once.');
  }
}

export interface RunResult {
  readonly status: number;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a Node script with `args` in `cwd`, collecting stdout and stderr together (in the order they came). */
export function runNode(script: string, args: readonly string[], cwd: string = ROOT): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Output is collected, not a terminal: plain text. (NO_COLOR, not FORCE_COLOR=0, which picocolors in
    // prettier reads as "force colour".)
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [script, ...args], { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? 1, output, seconds: (performance.now() - started) / 1000 }));
  });
}
