// The lint rules bite: dependency-cruiser and ESLint, with the repository's own configs, run over two fixture
// trees laid out like the repository (test/lint/fixtures/). `violations/` breaks every import rule once and
// must be reported exactly so; `compliant/` imports along every allowed arrow and must pass.
// The real `npm run lint` leaves the fixtures out (eslint-config.mjs ignores them, .dependency-cruiser.cjs excludes
// them); were that to break, it would report the violation fixtures itself, so no test here repeats that run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertEslintInstalled, DEPCRUISE, DEPCRUISE_CONFIG, ESLINT, ROOT, runNode } from '../../tools/lint/linters';

const FIXTURES = join(ROOT, 'test', 'lint', 'fixtures');
const LAYERS = ['bin', 'lib', 'lambda', 'tools', 'test'];

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
  readonly cycle?: ReadonlyArray<{ readonly name: string }>;
}

interface CruiseResult {
  readonly modules: ReadonlyArray<{ readonly source: string }>;
  readonly summary: { readonly violations: readonly Violation[]; readonly error: number };
}

/** dependency-cruiser over `paths`, from `cwd`, with the repository's rules. */
async function cruise(cwd: string, paths: readonly string[]): Promise<CruiseResult> {
  const { output } = await runNode(DEPCRUISE, ['--config', DEPCRUISE_CONFIG, '--output-type', 'json', ...paths], cwd);
  return JSON.parse(output) as CruiseResult;
}

/** The TypeScript files of a fixture tree, relative to it. */
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();

/** A package inside node_modules by its name; a project file by its path. */
const shortName = (path: string): string => path.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1');

describe('import boundaries and cycles (dependency-cruiser)', () => {
  let violations: string[];
  let compliant: CruiseResult;

  beforeAll(async () => {
    const [bad, good] = await Promise.all([cruise(join(FIXTURES, 'violations'), LAYERS), cruise(join(FIXTURES, 'compliant'), LAYERS)]);
    violations = bad.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${shortName(v.to)}`).sort();
    compliant = good;
  }, 60_000);

  test.each([
    ['a lambda/ file importing aws-cdk-lib', 'lambda-no-cdk: lambda/worker/handler.ts -> aws-cdk-lib'],
    ['a lambda/ file importing a construct folder', 'lambda-imports-only-core-from-lib: lambda/worker/sizing.ts -> lib/database/tuning.ts'],
    ['a lambda/ file importing tools/', 'not-to-tools: lambda/worker/prices.ts -> tools/cost/prices.json'],
    ['a lib/core file importing aws-cdk-lib', 'core-is-pure: lib/core/duration.ts -> aws-cdk-lib'],
    ['a lib/core file importing a construct folder', 'core-imports-only-core: lib/core/budget.ts -> lib/database/tuning.ts'],
    ['a construct importing lambda/', 'constructs-not-to-lambda: lib/database/tuning.ts -> lambda/worker/registry.ts'],
    ['a construct importing a test helper', 'not-to-test: lib/database/testing.ts -> test/helpers.ts'],
    ['a construct importing bin/', 'not-to-bin: lib/database/testing.ts -> bin/app.ts'],
    ['bin/ importing lambda/', 'bin-not-to-lambda: bin/app.ts -> lambda/worker/handler.ts'],
    ['a two-file cycle closed by a type-only import', 'no-cycle: lambda/shared/cache.ts -> lambda/shared/job.ts'],
  ])('reports %s', (_what, expected) => {
    expect(violations).toContain(expected);
  });

  test('reports nothing else, and every rule of the config has a fixture', () => {
    // GIVEN the rule names in .dependency-cruiser.cjs
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS, read as dependency-cruiser reads it
    const rules = (require(DEPCRUISE_CONFIG) as { forbidden: Array<{ name: string }> }).forbidden.map((r) => r.name).sort();
    // THEN the fixture breaks each once, and nothing else is reported
    expect(violations).toHaveLength(10);
    expect([...new Set(violations.map((v) => v.split(':')[0]))].sort()).toEqual(rules);
  });

  test('passes a tree that imports along every allowed arrow', () => {
    expect(compliant.summary.violations).toEqual([]);
    // Every file of the tree was read, so the pass means something.
    const read = compliant.modules.map((m) => m.source).filter((s) => s.endsWith('.ts') && !s.includes('node_modules'));
    expect(read.sort()).toEqual(tsFiles(join(FIXTURES, 'compliant')));
  });
});

describe('ESLint with typescript-eslint', () => {
  interface EslintFileResult {
    readonly filePath: string;
    readonly messages: ReadonlyArray<{ readonly ruleId: string | null; readonly message: string }>;
  }

  test('reports the violation fixture and passes the compliant tree', async () => {
    assertEslintInstalled();
    // WHEN ESLint runs on both trees (--no-ignore: the real config ignores the fixtures)
    const { output } = await runNode(ESLINT, ['--no-ignore', '--format', 'json', 'test/lint/fixtures']);
    const files = JSON.parse(output) as EslintFileResult[];
    const messages = files.flatMap((f) => f.messages.map((m) => `${f.filePath.slice(FIXTURES.length + 1)}: ${m.ruleId}`));
    // THEN only the file written to break a typescript-eslint rule is reported, and every fixture was linted
    expect(messages).toEqual(['violations/lib/core/loose.ts: @typescript-eslint/no-explicit-any']);
    expect(files.map((f) => f.filePath.slice(FIXTURES.length + 1)).sort()).toEqual(tsFiles(FIXTURES));
  }, 60_000);
});
