// A git ref checked out beside the working tree, for synthesizing that revision: a detached
// worktree in a temporary directory, with the dependencies its lockfile names, removed when done
// (also on Ctrl-C).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExternalFailure, UsageError, type Io } from '../shared/cli';

/** A commit the ref names, and how to show it: `HEAD~1 (9aa918a)`. */
export interface ResolvedRef {
  readonly ref: string;
  readonly sha: string;
  readonly label: string;
}

function git(root: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The commit `ref` names in the repository at `root`; a UsageError saying what a ref may be when it names none. */
export function resolveRef(root: string, ref: string): ResolvedRef {
  let sha: string;
  try {
    // --end-of-options: a ref that starts with '-' is a ref, never an option.
    sha = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    sha = '';
  }
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    const shallow = (() => {
      try {
        return git(root, ['rev-parse', '--is-shallow-repository']) === 'true';
      } catch {
        return false;
      }
    })();
    throw new UsageError(
      `--diff '${ref}' is not a commit of the repository at ${root}; give a branch, a tag, a commit or an expression such as HEAD~1 ` +
        `or $(git merge-base HEAD origin/main)${shallow ? '. This clone is shallow: fetch the history it lacks first (git fetch --deepen=50, or --unshallow)' : ''}`,
    );
  }
  return { ref, sha, label: ref === sha || sha.startsWith(ref) ? sha.slice(0, 12) : `${ref} (${sha.slice(0, 12)})` };
}

/** Installs the dependencies of the checkout in `dir` as its lockfile says. */
export type Install = (dir: string) => Promise<void>;

/** `npm ci` in `dir`, quietly; its output is quoted when it fails. */
export const npmCi: Install = (dir) =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', (error) => reject(new ExternalFailure(`could not run npm ci in ${dir}: ${error.message}`, { cause: error })));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new ExternalFailure(`npm ci failed in ${dir} (exit ${code}):\n${output.join('').trimEnd().split('\n').slice(-20).join('\n')}`)),
    );
  });

/** A worktree of one commit; `remove()` takes it away (idempotent). */
export interface Checkout {
  readonly dir: string;
  readonly ref: ResolvedRef;
  remove(): void;
}

/**
 * Checks `ref` out in a temporary detached worktree of the repository at `root` and installs its
 * dependencies: when its package-lock.json is byte-identical to the working tree's, the working
 * tree's node_modules serves it (a symlink: the same packages, and no minute of `npm ci`);
 * otherwise `install` runs there. The caller must `remove()` it; Ctrl-C or a SIGTERM on the way
 * removes it too.
 */
export async function checkoutRef(root: string, ref: ResolvedRef, io: Pick<Io, 'err'>, install: Install = npmCi): Promise<Checkout> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-diff-ref-'));
  const dir = path.join(parent, 'worktree');
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    // The node_modules link first: whatever removes the directory must never reach the working
    // tree's packages through it.
    const link = path.join(dir, 'node_modules');
    if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(link);
    try {
      git(root, ['worktree', 'remove', '--force', dir]);
    } catch {
      // Not registered (the add failed) or already gone: pruning below tidies git's records.
    }
    fs.rmSync(parent, { recursive: true, force: true });
    try {
      git(root, ['worktree', 'prune']);
    } catch {
      // Nothing to prune.
    }
  };
  function onSignal(signal: NodeJS.Signals) {
    remove();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    io.err(`cost: checking out ${ref.label} in a temporary worktree (${dir}) ...`);
    try {
      git(root, ['worktree', 'add', '--detach', dir, ref.sha]);
    } catch (error) {
      throw new ExternalFailure(
        `git worktree add of ${ref.label} failed: ${((error as { stderr?: string }).stderr ?? (error as Error).message).trim()}`,
        { cause: error },
      );
    }
    const lockfile = (base: string) => fs.readFileSync(path.join(base, 'package-lock.json'), { flag: 'r' });
    const ours = path.join(root, 'node_modules');
    let identical = false;
    try {
      identical = lockfile(dir).equals(lockfile(root)) && fs.existsSync(ours);
    } catch {
      identical = false;
    }
    if (identical) {
      fs.symlinkSync(ours, path.join(dir, 'node_modules'), 'dir');
      io.err(`cost: ${ref.label} has the working tree's package-lock.json byte for byte: reusing its node_modules (a symlink), no npm ci`);
    } else {
      const started = Date.now();
      io.err(`cost: ${ref.label} has another package-lock.json than the working tree: npm ci in the worktree ...`);
      await install(dir);
      io.err(`cost: npm ci for ${ref.label} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, ref, remove };
}
