import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCK_FILES } from '../core/worker';

const PACKAGE_NAME = 'cdk-scaling-stack';

/**
 * The root of this package: the nearest directory above `from` whose package.json is ours. Works
 * both from the repository (`lib/queue-worker/*.ts`) and from the built package installed in another
 * project (`node_modules/cdk-scaling-stack/dist/lib/queue-worker/*.js`), where `lambda/` ships next
 * to `dist/` (package.json `files`).
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && readName(manifest) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${from}`);
  }
}

function readName(manifest: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** The entry file of a worker shipped in this package's `lambda/` folder. */
export function lambdaEntry(worker: string, from?: string): string {
  return path.join(packageRoot(from), 'lambda', worker, 'index.ts');
}

/**
 * The lock file of the project that owns `file`: the nearest one in `file`'s directory or above.
 * For a worker inside this package installed under `node_modules`, that is the consuming project's
 * lock file (a published package carries none), so bundling resolves dependencies as that project
 * installed them. Undefined when there is none.
 */
export function findLockFile(file: string): string | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const found = LOCK_FILES.map((name) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
    if (found) return found;
    if (path.dirname(dir) === dir) return undefined;
  }
}
