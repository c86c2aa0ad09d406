// The three layers of the design (lib/core pure; constructs in lib/; Lambda code in lambda/; tools/ on top) as import
// rules, plus "no file-level import cycle anywhere". `npm run lint` runs this over bin lib lambda tools test;
// test/lint/boundaries.test.ts runs it over test/lint/fixtures/ to show each rule fires.
//
// Paths are regular expressions on paths relative to where dependency-cruiser runs (the repository root, or a
// fixture folder laid out like it). A package is matched both where it resolves (".../node_modules/x/...") and
// by its bare name, so an import still counts when the package is not installed.
/** A package (and its subpaths) by name, resolved or not. */
const pkg = (names) => `(^|/)node_modules/(${names})(/|$)|^(${names})(/|$)`;

// What only a construct (or the app) may import: CDK itself.
const CDK = 'aws-cdk-lib|constructs|cdk-nag|aws-cdk';
// What does I/O at run time: AWS SDK clients, database and cache drivers, Lambda plumbing, the bundler. Lambda
// code and tools use them; lib/core stays pure so both sides can share it and tests need no mocks for it.
const IO = '@aws-sdk/[^/]+|@smithy/[^/]+|pg|redis|@redis/[^/]+|@aws-lambda-powertools/[^/]+|esbuild';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'lib/core is plain TypeScript shared by constructs and Lambda code: no aws-cdk-lib, constructs, AWS SDK or ' +
        'other I/O package. Convert to Duration, RetentionDays and friends in the construct that uses the value.',
      severity: 'error',
      from: { path: '^lib/core/' },
      to: { path: pkg(`${CDK}|${IO}`) },
    },
    {
      name: 'core-imports-only-core',
      comment:
        'lib/core imports only lib/core (and node builtins and pure packages), never a construct folder or lambda/. ' +
        'Move the shared piece into lib/core instead of reaching out of it.',
      severity: 'error',
      from: { path: '^lib/core/' },
      to: { path: '^(lib/(?!core/)|lambda/)' },
    },
    {
      name: 'constructs-not-to-lambda',
      comment:
        'Constructs never import Lambda code; a construct that bundles a worker names its entry file by path. ' +
        'What both need (a registry, a metric contract) belongs in lib/core.',
      severity: 'error',
      from: { path: '^lib/(?!core/)' },
      to: { path: '^lambda/' },
    },
    {
      name: 'lambda-no-cdk',
      comment:
        'Lambda code runs without aws-cdk-lib or constructs: it imports lib/core and its own packages. ' +
        'Take the value from lib/core, or have the construct pass it in an environment variable.',
      severity: 'error',
      from: { path: '^lambda/' },
      to: { path: pkg(CDK) },
    },
    {
      name: 'lambda-imports-only-core-from-lib',
      comment:
        'Lambda code may import lib/core, never a construct folder (lib/database, lib/profiles, ...). ' + 'Move what both sides need into lib/core.',
      severity: 'error',
      from: { path: '^lambda/' },
      to: { path: '^lib/(?!core/)' },
    },
    {
      name: 'bin-not-to-lambda',
      comment: 'bin/ composes the app from lib/; Lambda code reaches it only through the constructs that bundle it.',
      severity: 'error',
      from: { path: '^bin/' },
      to: { path: '^lambda/' },
    },
    {
      name: 'not-to-tools',
      comment:
        'tools/ may import anything, and nothing but tools/ and test/ imports tools/. ' +
        'Move what the library or a worker needs (a price table, a helper) into lib/core.',
      severity: 'error',
      from: { pathNot: '^(tools|test)/' },
      to: { path: '^tools/' },
    },
    {
      name: 'not-to-test',
      comment: 'Test helpers are for tests (and tools); shipped code never imports them.',
      severity: 'error',
      from: { path: '^(lib|lambda|bin)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-bin',
      comment: 'bin/ is the composition root: the library and its workers never import it.',
      severity: 'error',
      from: { path: '^(lib|lambda)/' },
      to: { path: '^bin/' },
    },
    {
      name: 'no-cycle',
      comment:
        'No file-level import cycle, type-only imports included: a cycle makes load order matter and the two ' +
        'files one unit. Move what both need into a third file that neither imports back.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Test fixtures break these rules on purpose; they are cruised only by test/lint/boundaries.test.ts.
    exclude: { path: '^test/lint/fixtures/' },
    doNotFollow: { path: '(^|/)node_modules/' },
    // Parse with swc (a root devDependency): dependency-cruiser's TypeScript parser needs the JS compiler API,
    // which the root's TypeScript 7 no longer ships. With swc, type-only imports (`import type`, `import('x').T`)
    // are dependencies like any other, so they close cycles too (test/lint/boundaries.test.ts shows one);
    // tsPreCompilationDeps asks the same of the tsc parser, should anyone switch back to it.
    parser: 'swc',
    tsPreCompilationDeps: true,
    // Node's own resolution, with the extensions this CommonJS TypeScript project imports without writing.
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
