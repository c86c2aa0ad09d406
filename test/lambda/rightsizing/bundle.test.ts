// The advisor's rules come from lib/core, plain TypeScript with no aws-cdk-lib. These tests bundle
// the worker the way the construct does (no alias, no stand-in) and check that the profile's safety
// rules behave in the bundle exactly as they do at synth.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { RIGHTSIZING_PUBLISHED_METRICS } from '../../../lib/core/insights';
import { dev, prod, staging } from '../../../lib/core/profiles';
import type { Profile } from '../../../lib/core/profiles/profile';
import { safetyProblems } from '../../../lambda/rightsizing/safety';

const root = path.join(__dirname, '..', '..', '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rightsizing-bundle-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function bundle(entry: string): { file: string; inputs: string[]; bytes: number } {
  const file = path.join(out, `${path.basename(path.dirname(entry))}-${path.basename(entry, '.ts')}.js`);
  const result = buildSync({
    entryPoints: [path.join(root, entry)],
    outfile: file,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'silent',
  });
  return { file, inputs: Object.keys(result.metafile.inputs), bytes: fs.statSync(file).size };
}

describe('the right-sizing bundle', () => {
  const safety = bundle('lambda/rightsizing/safety.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is a CommonJS file written by the test
  const bundled = require(safety.file) as { safetyProblems: typeof safetyProblems };

  test.each<[string, Profile]>([
    ['prod without Multi-AZ', { ...prod, database: { ...prod.database, multiAz: false } }],
    ['prod with one task and one cache node', { ...prod, web: { ...prod.web, minTasks: 1 }, cache: { ...prod.cache, nodes: 1 } }],
    ['dev over its connection budget', { ...dev, web: { ...dev.web, maxTasks: 40 } }],
    ['staging with a Fargate size that does not exist', { ...staging, web: { ...staging.web, memoryMiB: 3000 } }],
    ['an unknown instance class', { ...dev, database: { ...dev.database, instanceClass: 'db.x9.huge' } }],
    ['prod as it is', prod],
    ["prod as the advisor's configuration carries it (no alarm thresholds)", { ...prod, monitoring: undefined } as unknown as Profile],
  ])('%s: the bundled rules say what synth says', (_label, profile) => {
    expect(bundled.safetyProblems(profile)).toEqual(safetyProblems(profile));
  });

  test('rejects what a production profile must not do, in the bundle', () => {
    expect(bundled.safetyProblems({ ...prod, database: { ...prod.database, multiAz: false } })).toEqual([
      'database.multiAz is false; production profiles require it so the database survives an AZ outage',
    ]);
  });

  test('the handler bundles without aws-cdk-lib and loads; it cannot publish custom metrics, as the advisor declares', () => {
    const handler = bundle('lambda/rightsizing/index.ts');
    expect(handler.inputs.filter((i) => i.includes('node_modules/aws-cdk-lib'))).toEqual([]);
    // RIGHTSIZING_PUBLISHED_METRICS declares no series for `npm run cost`: no EMF writer is bundled.
    expect(RIGHTSIZING_PUBLISHED_METRICS.series).toEqual([]);
    expect(handler.inputs.filter((i) => i.includes('@aws-lambda-powertools/metrics'))).toEqual([]);
    expect(handler.inputs.filter((i) => i.includes('node_modules/constructs'))).toEqual([]);
    // Powertools Tracer and the X-Ray SDK with its context library add ~150 KB (measured with an
    // esbuild metafile: aws-xray-sdk-core 96 KB, Tracer 21 KB, cls-hooked and shims 12 KB; the
    // rest, ~210 KB, as before: lib/core's tables, zod, Logger). They are required only when the
    // function is traced (lambda/shared/tracer.ts), so an untraced run never evaluates them.
    expect(handler.bytes).toBeLessThan(360 * 1024);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is a CommonJS file written by the test
    expect(typeof (require(handler.file) as { handler: unknown }).handler).toBe('function');
  });
});
