import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { Recommendation, RightsizingReport } from '../../../lambda/rightsizing/advisor';
import { safetyProblems } from '../../../lambda/rightsizing/safety';
import { prod, profileFor } from '../../../lib/core/profiles';
import { overrideProfileFromFile, PROFILE_OVERRIDES_FORMAT } from '../../../lib/core/profiles/overrides';
import type { DiffEnvironment } from '../../../tools/cost/diff-command';
import type { SynthJob } from '../../../tools/cost/synth';
import { brokenRules, overrideFileText, planOverrides } from '../../../tools/rightsize/apply';
import { main, type RightsizeDependencies } from '../../../tools/rightsize/rightsize';
import { scalingStack } from '../../helpers/app';

const EXAMPLE = path.join(__dirname, '..', '..', '..', 'tools', 'rightsize', 'examples', 'prod-quiet.json');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rightsize-apply-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], deps?: RightsizeDependencies): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, undefined, deps);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The advisor's report on the recorded example, as `--json` prints it. */
async function exampleReport(): Promise<RightsizingReport> {
  return JSON.parse((await run(['--metrics', EXAMPLE, '--json'])).out) as RightsizingReport;
}

const recommendation = (changes: Recommendation['changes'], summary = 'a change'): Recommendation => ({
  component: 'web',
  action: 'downsize',
  summary,
  changes,
  evidence: [],
  monthlyUsd: -10,
  costBasis: 'test',
  confidence: 'high',
});
const report = (recommendations: Recommendation[], withheld: RightsizingReport['withheld'] = []): RightsizingReport => ({
  profile: 'prod',
  generatedAt: '2026-11-26T00:00:00.000Z',
  window: { start: '', end: '', days: 14, periodSeconds: 3600 },
  components: [],
  recommendations,
  withheld,
  monthlyUsd: 0,
  recommendedProfile: prod,
  actionable: recommendations.length > 0,
});

describe('planOverrides: the advice as overrides of the profile the code has today', () => {
  test('the recorded example: every recommendation applies, and the result passes every rule', async () => {
    // GIVEN the advisor's report on prod-quiet.json
    const advice = await exampleReport();
    // WHEN
    const plan = planOverrides(advice, prod, { tool: 'test' });
    // THEN
    expect(plan.notApplied).toEqual([]);
    expect(plan.overrides.overrides.map((o) => [o.path, o.was, o.value])).toEqual([
      ['cache.nodes', 3, 2],
      ['cache.nodeType', 'cache.r7g.large', 'cache.m7g.large'],
      ['database.instanceClass', 'db.r7g.large', 'db.m7g.large'],
      // 512, not 256: prod's trace collector (128 CPU units) may take at most a quarter of the task
      ['web.cpu', 1024, 512],
      ['web.memoryMiB', 2048, 1024],
    ]);
    expect(safetyProblems(plan.result)).toEqual([]);
    expect(plan.result).toEqual(advice.recommendedProfile);
  });

  test('a recommendation that breaks a production rule is not applied, naming the rule and its reason; the others still are', () => {
    const plan = planOverrides(
      report([
        recommendation([{ path: 'web.minTasks', from: 3, to: 1 }], 'fewer tasks at night'),
        recommendation([{ path: 'cache.nodeType', from: 'cache.r7g.large', to: 'cache.m7g.large' }], 'smaller cache nodes'),
      ]),
      prod,
      {},
    );
    expect(plan.applied.map((r) => r.summary)).toEqual(['smaller cache nodes']);
    expect(plan.notApplied).toEqual([
      {
        recommendation: expect.objectContaining({ summary: 'fewer tasks at night' }),
        broken: [
          // prod's automatic target weights need 2 tasks too (web.anomalyMitigation)
          {
            rule: 'profile rule (lib/core/profiles/rules.ts)',
            message:
              'web.anomalyMitigation (true) needs web.minTasks of at least 2 (it is 1): with one task there is nothing to shift traffic to; raise web.minTasks to 2 or set web.anomalyMitigation false',
          },
          {
            rule: 'production rule (lib/core/profiles/rules.ts)',
            message: 'web.minTasks (1) must be at least 2 in production, one per AZ, so an AZ outage leaves a task serving',
          },
        ],
      },
    ]);
    expect(plan.result.web.minTasks).toBe(3);
  });

  test('a recommendation that breaks the connection budget on top of the ones before it is not applied', () => {
    // 60 tasks x 10 + 20 workers x 1 = 620 connections; a db.t4g.micro's proxy share is far less
    const plan = planOverrides(
      report([
        recommendation([{ path: 'web.maxTasks', from: 30, to: 60 }], 'more tasks'),
        recommendation([{ path: 'database.instanceClass', from: 'db.r7g.large', to: 'db.t4g.micro' }], 'a tiny database'),
      ]),
      prod,
      {},
    );
    expect(plan.applied.map((r) => r.summary)).toEqual(['more tasks']);
    expect(plan.notApplied[0].broken[0].rule).toBe('connection budget (lib/core/postgres/connection-budget.ts)');
    expect(plan.notApplied[0].broken[0].message).toMatch(/connection/);
  });

  test('a recommendation judged against another value than the profile has now is stale and not applied', () => {
    const plan = planOverrides(report([recommendation([{ path: 'database.instanceClass', from: 'db.r6g.large', to: 'db.m7g.large' }])]), prod, {});
    expect(plan.applied).toEqual([]);
    expect(plan.notApplied[0].broken).toEqual([
      {
        rule: 'the profile changed since the advice',
        message:
          'the advisor judged database.instanceClass at "db.r6g.large", but profile \'prod\' now has "db.r7g.large"; run the advisor again on metrics of the current size',
      },
    ]);
  });

  test('what the advisor withheld is listed with the rule it breaks', () => {
    const withheld = recommendation([{ path: 'database.backupRetentionDays', from: 14, to: 3 }], 'shorter backups');
    const plan = planOverrides(
      report([], [{ recommendation: withheld, problems: ['database.backupRetentionDays (3) must be at least 7 in production'] }]),
      prod,
      {},
    );
    expect(plan.notApplied[0].broken).toEqual([
      { rule: 'production rule (lib/core/profiles/rules.ts)', message: 'database.backupRetentionDays (3) must be at least 7 in production' },
    ]);
  });

  test('brokenRules labels a rule that is not a production one as a profile rule', () => {
    expect(brokenRules({ ...prod, cache: { ...prod.cache, nodes: 1 } })).toContainEqual({
      rule: 'profile rule (lib/core/profiles/rules.ts)',
      message: 'cache.multiAz needs a replica to fail over to, but cache.nodes is 1; set nodes to 2 or more, or multiAz false',
    });
  });

  test("the file text reads back through the app's parser to the planned profile", async () => {
    const plan = planOverrides(await exampleReport(), prod, { tool: 'test' });
    const file = path.join(scratch, 'roundtrip.json');
    fs.writeFileSync(file, overrideFileText(plan));
    const read = overrideProfileFromFile(prod, file, (f) => fs.readFileSync(f, 'utf8'));
    expect(read.problems).toEqual([]);
    expect(read.profile).toEqual(plan.result);
  });
});

/**
 * A synthesizer that builds ScalingStack in-process, reading -c profileOverrides the way the app
 * does (lib/core's overrideProfileFromFile), so the round trip needs no CDK CLI.
 */
function inProcess(jobs: SynthJob[]): RightsizeDependencies {
  const env: DiffEnvironment = {
    root: scratch,
    jobs: 1,
    install: async () => undefined,
    synthesize: async (job) => {
      jobs.push(job);
      let profile = profileFor(job.profile);
      const file = job.context?.profileOverrides;
      if (file !== undefined) {
        const read = overrideProfileFromFile(profile, file, (f) => fs.readFileSync(f, 'utf8'));
        if (read.problems.length > 0) throw new Error(read.problems.join('\n'));
        profile = read.profile;
      }
      const template = Template.fromStack(scalingStack({ profile }, { context: { 'aws:cdk:enable-path-metadata': true } })).toJSON();
      fs.mkdirSync(job.outDir, { recursive: true });
      fs.writeFileSync(path.join(job.outDir, `ScalingStack-${job.profile}.template.json`), JSON.stringify(template));
    },
  };
  return { environment: () => env };
}

describe('npm run rightsize -- --apply', () => {
  test('advice -> override file -> merged profile -> priced difference', async () => {
    // GIVEN the recorded example and an in-process synthesizer
    const file = path.join(scratch, 'profile-overrides-prod.json');
    const jobs: SynthJob[] = [];
    // WHEN
    const { code, out } = await run(['--metrics', EXAMPLE, '--apply', '--overrides', file], inProcess(jobs));
    // THEN the file holds every change, with what it was and why
    expect(code).toBe(0);
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written).toMatchObject({
      format: PROFILE_OVERRIDES_FORMAT,
      version: 1,
      profile: 'prod',
      source: { tool: 'npm run rightsize -- --apply', metrics: EXAMPLE, advisorMonthlyUsd: -345.33 },
    });
    expect(written.overrides['database.instanceClass']).toEqual({
      value: 'db.m7g.large',
      was: 'db.r7g.large',
      why: expect.stringMatching(/^shrink the database from db\.r7g\.large to db\.m7g\.large .*\(high confidence; advisor: -\$102\.93\/month\)$/),
    });
    // and it was synthesized without and with the file, as the app is given it
    expect(jobs.map((j) => j.context ?? {})).toEqual([{}, { profileOverrides: path.resolve(file) }]);
    // the output says what was applied, then prices it through the templates
    expect(out).toContain("Applying the advice to profile 'prod' (lib/core/profiles/prod.ts) as an override file:");
    expect(out).toMatch(/ {2}applied {6}database\.instanceClass db\.r7g\.large -> db\.m7g\.large\s+-\$102\.93\/month \(advisor\)/);
    expect(out).toContain('The profile with these 5 changes passes every profile rule and the database connection budget.');
    expect(out).toContain(`Wrote ${file}. Synthesize or deploy with it: npx cdk deploy -c profile=prod -c profileOverrides=${file}`);
    expect(out).toContain(`Cost difference of profile prod: profile prod -> profile prod + ${file}`);
    expect(out).toMatch(/\n {2}resized {2}RDS PostgreSQL db\.r7g\.large -> db\.m7g\.large Multi-AZ\s+Database\/Resource\s+-102\.93\s+-102\.93\n/);
    // three r7g.large nodes to two m7g.large: 730 h x (3 x $0.1752 - 2 x $0.1264)
    expect(out).toMatch(/\n {2}resized {2}ElastiCache Valkey cache\.r7g\.large -> cache\.m7g\.large\s+Cache\s+-199\.14\s+-199\.14\n/);
    const saving = /\nbaseline\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+-(\d+\.\d\d)/.exec(out)!;
    expect(Number(saving[3])).toBeGreaterThan(300);
    expect(out).toMatch(/The advisor estimated -\$345\.33\/month at the load it measured; the templates give the baseline -\$\d+\.\d\d\/month/);
  }, 60_000);

  test('an app that does not read profileOverrides yet: the same templates twice, and a warning instead of a saving', async () => {
    // GIVEN a synthesizer that ignores the context, as a bin/app.ts without the profileOverrides lines does
    const fixture = path.join(__dirname, '..', 'cost', 'fixtures', 'diff', 'after', 'staging', 'ScalingStack-staging.template.json');
    const env: DiffEnvironment = {
      root: scratch,
      jobs: 1,
      install: async () => undefined,
      synthesize: async (job) => {
        fs.mkdirSync(job.outDir, { recursive: true });
        fs.copyFileSync(fixture, path.join(job.outDir, `ScalingStack-${job.profile}.template.json`));
      },
    };
    const file = path.join(scratch, 'ignored.json');
    // WHEN
    const { code, out } = await run(['--metrics', EXAMPLE, '--apply', '--overrides', file], { environment: () => env });
    // THEN
    expect(code).toBe(0);
    expect(out).toContain(
      `warning: the templates with -c profileOverrides=${file} are the same as without it: this app does not read profileOverrides yet ` +
        '(bin/app.ts / lib/config, see docs/cost-review.md), so the change is not priced',
    );
    expect(out).not.toContain('The advisor estimated');
  });

  test('--skip-diff writes the file and synthesizes nothing', async () => {
    const file = path.join(scratch, 'skip.json');
    const jobs: SynthJob[] = [];
    const { code, out } = await run(['--metrics', EXAMPLE, '--apply', '--overrides', file, '--skip-diff'], inProcess(jobs));
    expect(code).toBe(0);
    expect(jobs).toEqual([]);
    expect(fs.existsSync(file)).toBe(true);
    expect(out).not.toContain('Priced through the templates');
  });

  test('nothing to apply: no file, and the output says so', async () => {
    // GIVEN a database busy enough to keep its size
    const metrics = path.join(scratch, 'keep.json');
    fs.writeFileSync(
      metrics,
      JSON.stringify({
        format: 'cdk-scaling-stack/rightsizing-metrics',
        version: 1,
        profile: 'prod',
        start: '2026-11-12T00:00:00Z',
        end: '2026-11-26T00:00:00Z',
        periodSeconds: 3600,
        components: ['database'],
        series: { 'database.cpu': { start: '2026-11-12T00:00:00Z', values: Array.from({ length: 336 }, () => 45) } },
      }),
    );
    const file = path.join(scratch, 'none.json');
    const jobs: SynthJob[] = [];
    // WHEN
    const { code, out } = await run(['--metrics', metrics, '--apply', '--overrides', file], inProcess(jobs));
    // THEN
    expect(code).toBe(0);
    expect(out).toContain(
      "Applying the advice to profile 'prod' (lib/core/profiles/prod.ts) as an override file:\n  nothing to apply: the advisor recommends no change",
    );
    expect(fs.existsSync(file)).toBe(false);
    expect(jobs).toEqual([]);
  });

  test.each([
    [['--metrics', EXAMPLE, '--overrides', 'x.json'], 'rightsize: --overrides goes with --apply'],
    [['--metrics', EXAMPLE, '--skip-diff', '--jobs', '2'], 'rightsize: --skip-diff, --jobs go with --apply'],
  ])('bad input %j: exit 2', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toBe(message);
  });
});
