import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, parseArgs, type CostDependencies } from '../../../tools/cost/cost';
import { REPO_ROOT, type DiffEnvironment } from '../../../tools/cost/diff-command';
import type { SynthJob } from '../../../tools/cost/synth';
import { FIXTURES } from './fixture';

const DIFF = path.join(FIXTURES, 'diff');
const USAGE = path.join(FIXTURES, 'usage.json');

async function run(argv: string[], deps?: CostDependencies): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, deps);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-diff-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('npm run cost -- --diff-templates', () => {
  test('a second NAT gateway in dev fails --max-increase 5%, naming the NAT gateway (exit 1)', async () => {
    // GIVEN the fixture change: dev gains a NAT gateway (and a bigger database)
    // WHEN
    const { code, out, err } = await run([
      '--diff-templates',
      path.join(DIFF, 'before'),
      path.join(DIFF, 'after'),
      '--usage',
      USAGE,
      '--max-increase',
      '5%',
    ]);
    // THEN
    expect(code).toBe(1);
    expect(err.split('\n').slice(0, 3)).toEqual([
      'cost diff failed:',
      'profile dev: baseline rises $47.73 a month (+73.1 %), from $65.31 to $113.04, more than --max-increase 5% ($3.27 of $65.31). Raised by:',
      '    +$   32.85  NAT gateway (Network/Vpc/PublicSubnet2/NATGateway, added)',
    ]);
    expect(err).not.toContain('profile staging');
    expect(out).toContain('Cost difference of profile dev:');
    expect(out).toContain('Cost difference of profile staging:');
    expect(out).toMatch(
      /\nprofile\s+baseline\s+after\s+change\s+peak change\ndev\s+65\.31\s+113\.04\s+\+47\.73\s+\+47\.68\nstaging\s+\d+\.\d\d\s+\d+\.\d\d\s+0\.00\s+0\.00$/,
    );
  });

  test('a rise within --max-increase passes (exit 0) and says so', async () => {
    const { code, err } = await run([
      '--diff-templates',
      path.join(DIFF, 'before'),
      path.join(DIFF, 'after'),
      '--usage',
      USAGE,
      '--max-increase',
      '$60',
    ]);
    expect(code).toBe(0);
    expect(err).toBe('cost diff passed: no baseline rose more than --max-increase $60.00 (dev +$47.73, staging +$0.00)');
  });

  test('--markdown prints the pull-request comment; --json the same as data', async () => {
    const md = await run(['--diff-templates', path.join(DIFF, 'before'), path.join(DIFF, 'after'), '--usage', USAGE, '--markdown']);
    expect(md.code).toBe(0);
    expect(md.out).toContain('| dev | $65.31 | $113.04 | **+$47.73** (+73.1 %) | +$47.68 |');
    const json = JSON.parse(
      (await run(['--diff-templates', path.join(DIFF, 'before'), path.join(DIFF, 'after'), '--usage', USAGE, '--json', '--max-increase', '5%'])).out,
    );
    expect(json.profiles.map((p: { profile: string }) => p.profile)).toEqual(['dev', 'staging']);
    expect(json.profiles[0].baseline).toEqual({ before: 65.314, after: 113.044, change: 47.73 });
    expect(json.breaches).toEqual([
      expect.objectContaining({
        profile: 'dev',
        change: 47.73,
        raisedBy: expect.arrayContaining([{ item: 'NAT gateway', where: 'Network/Vpc/PublicSubnet2/NATGateway', kind: 'added', change: 32.85 }]),
      }),
    ]);
  });

  test("one profile's template directories, with --profile", async () => {
    const { code, out } = await run([
      '--diff-templates',
      path.join(DIFF, 'before', 'dev'),
      path.join(DIFF, 'after', 'dev'),
      '--profile',
      'dev',
      '--usage',
      USAGE,
    ]);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe(`Cost difference of profile dev: ${path.join(DIFF, 'before', 'dev')} -> ${path.join(DIFF, 'after', 'dev')}`);
  });
});

describe('npm run cost -- diff: bad input, one message, exit 2', () => {
  test.each([
    [
      'a threshold that is neither an amount nor a percentage',
      ['--diff-templates', 'a', 'b', '--max-increase', 'five'],
      "cost: --max-increase needs a monthly amount in USD (such as 25, 12.50 or $12.50) or a percentage of the baseline before (such as 5%), got 'five'",
    ],
    [
      'a threshold without a diff',
      ['--max-increase', '5%'],
      'cost: --max-increase judges a difference: use it with --diff <git ref> or --diff-templates <before> <after>',
    ],
    [
      '--diff-templates with one directory',
      ['--diff-templates', 'a'],
      "cost: --diff-templates needs two template directories: --diff-templates <before> <after> (each holding <profile>/ directories as `npm run synth:all` writes them, or one profile's templates with --profile)",
    ],
    [
      '--diff-templates followed by a flag',
      ['--diff-templates', 'a', '--json'],
      "cost: --diff-templates needs two template directories: --diff-templates <before> <after> (each holding <profile>/ directories as `npm run synth:all` writes them, or one profile's templates with --profile)",
    ],
    [
      'both kinds of diff',
      ['--diff', 'HEAD', '--diff-templates', 'a', 'b'],
      'cost: give --diff <git ref> or --diff-templates <before> <after>, not both',
    ],
    [
      'one-revision flags with a diff',
      ['--diff', 'HEAD', '--check', '--details'],
      'cost: --check, --details price one revision; with --diff or --diff-templates use --max-increase, --markdown or --json',
    ],
    [
      '--templates with --diff-templates',
      ['--diff-templates', 'a', 'b', '--templates', 'x'],
      'cost: --templates prices one revision; with --diff or --diff-templates use --max-increase, --markdown or --json',
    ],
    [
      'a before directory that does not exist',
      ['--diff-templates', '/no/such/before', path.join(DIFF, 'after')],
      'cost: template path /no/such/before does not exist; give two directories of templates: --diff-templates <before> <after>',
    ],
  ])('%s', async (_what, argv, message) => {
    const { code, err, out } = await run(argv);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(message);
    expect(out).toBe('');
  });

  test('an unknown git ref says what a ref may be', async () => {
    const { code, err } = await run(['--diff', 'no-such-branch-xyz', '--profile', 'dev']);
    expect(code).toBe(2);
    expect(err).toBe(
      `cost: --diff 'no-such-branch-xyz' is not a commit of the repository at ${REPO_ROOT}; give a branch, a tag, a commit or an expression such as HEAD~1 or $(git merge-base HEAD origin/main)`,
    );
  });

  test('--jobs is a whole number from 1 to 8', async () => {
    const { code, err } = await run(['--diff', 'HEAD', '--jobs', '0']);
    expect(code).toBe(2);
    expect(err).toBe("cost: --jobs needs a whole number of syntheses from 1 to 8 (each is a Node process of about one CPU), got '0'");
  });

  test('--markdown with a diff is the comment, not the README tables (no --compare)', () => {
    expect(parseArgs(['--diff', 'HEAD', '--markdown'])).toMatchObject({ markdown: true, compare: false, diff: 'HEAD' });
    expect(parseArgs(['--markdown'])).toMatchObject({ markdown: true, compare: true });
  });
});

// --diff against a real git repository: a throwaway one whose "app" is a template file per profile
// and whose synthesizer copies it, so the git plumbing (worktree, dependencies, clean-up) is real
// and no CDK synthesis runs.
describe('npm run cost -- --diff <ref>', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();
  const template = (nodes: number) =>
    JSON.stringify({
      Resources: {
        Cache: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: { Engine: 'valkey', CacheNodeType: 'cache.t4g.micro', NumCacheClusters: nodes },
          Metadata: { 'aws:cdk:path': 'ScalingStack-dev/Cache/ReplicationGroup' },
        },
      },
    });

  function repository(name: string): string {
    const root = path.join(scratch, name);
    fs.mkdirSync(path.join(root, 'app'), { recursive: true });
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion": 3}\n');
    fs.writeFileSync(path.join(root, 'app', 'dev.template.json'), template(1));
    git(root, 'init', '--quiet', '--initial-branch=main');
    git(root, 'add', '.');
    git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'one cache node');
    // The working tree: a second cache node, not committed.
    fs.writeFileSync(path.join(root, 'app', 'dev.template.json'), template(2));
    return root;
  }

  interface Recorder {
    readonly jobs: SynthJob[];
    readonly installs: string[];
    readonly linkedNodeModules: boolean[];
  }

  function environment(root: string, recorder: Recorder, fail?: (job: SynthJob) => boolean): CostDependencies {
    const env: DiffEnvironment = {
      root,
      jobs: 2,
      install: async (dir) => {
        recorder.installs.push(dir);
      },
      synthesize: async (job) => {
        recorder.jobs.push(job);
        recorder.linkedNodeModules.push(fs.lstatSync(path.join(job.cwd, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink() ?? false);
        if (fail?.(job)) throw new Error(`synthesis failed for ${job.label}`);
        fs.mkdirSync(job.outDir, { recursive: true });
        fs.copyFileSync(
          path.join(job.cwd, 'app', `${job.profile}.template.json`),
          path.join(job.outDir, `ScalingStack-${job.profile}.template.json`),
        );
      },
    };
    return { environment: () => env };
  }

  const worktrees = (root: string) =>
    git(root, 'worktree', 'list', '--porcelain')
      .split('\n')
      .filter((l) => l.startsWith('worktree ')).length;

  test('prices the ref against the working tree; a byte-identical lockfile reuses node_modules; the worktree is removed', async () => {
    // GIVEN a repository whose working tree adds a cache node to the last commit
    const root = repository('same-lockfile');
    const recorder: Recorder = { jobs: [], installs: [], linkedNodeModules: [] };
    // WHEN
    const { code, out, err } = await run(['--diff', 'HEAD', '--profile', 'dev', '--usage', USAGE], environment(root, recorder));
    // THEN the second node is the difference: 730 h x $0.0128
    expect(code).toBe(0);
    const sha = git(root, 'rev-parse', 'HEAD').slice(0, 12);
    expect(out.split('\n')[0]).toBe(`Cost difference of profile dev: HEAD (${sha}) -> working tree`);
    expect(out).toMatch(/\n {2}resized {2}ElastiCache Valkey cache\.t4g\.micro\s+Cache\/ReplicationGroup\s+\+9\.34\s+\+9\.34\n/);
    // the ref was synthesized in its own worktree, with the working tree's node_modules linked in
    const refJob = recorder.jobs.find((j) => j.label !== 'working tree')!;
    expect(refJob.cwd).not.toBe(root);
    expect(recorder.jobs.find((j) => j.label === 'working tree')!.cwd).toBe(root);
    expect(recorder.linkedNodeModules[recorder.jobs.indexOf(refJob)]).toBe(true);
    expect(recorder.installs).toEqual([]);
    expect(err).toContain(
      `cost: HEAD (${sha}) has the working tree's package-lock.json byte for byte: reusing its node_modules (a symlink), no npm ci`,
    );
    // and nothing is left behind: the worktree, its directory, and the working tree's own packages intact
    expect(worktrees(root)).toBe(1);
    expect(fs.existsSync(refJob.cwd)).toBe(false);
    expect(fs.existsSync(path.join(root, 'node_modules'))).toBe(true);
  });

  test('another lockfile at the ref: its dependencies are installed in the worktree', async () => {
    const root = repository('other-lockfile');
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {}}\n');
    const recorder: Recorder = { jobs: [], installs: [], linkedNodeModules: [] };
    const { code, err } = await run(['--diff', 'HEAD', '--profile', 'dev', '--usage', USAGE], environment(root, recorder));
    expect(code).toBe(0);
    const refJob = recorder.jobs.find((j) => j.label !== 'working tree')!;
    expect(recorder.installs).toEqual([refJob.cwd]);
    expect(err).toMatch(/has another package-lock\.json than the working tree: npm ci in the worktree \.\.\./);
    expect(worktrees(root)).toBe(1);
  });

  test("--templates: the working tree's templates are taken as they are, only the ref is synthesized", async () => {
    const root = repository('prebuilt');
    const prebuilt = path.join(scratch, 'prebuilt-cdk-out');
    fs.mkdirSync(path.join(prebuilt, 'dev'), { recursive: true });
    fs.writeFileSync(path.join(prebuilt, 'dev', 'ScalingStack-dev.template.json'), template(3));
    const recorder: Recorder = { jobs: [], installs: [], linkedNodeModules: [] };
    const { code, out } = await run(['--diff', 'HEAD', '--profile', 'dev', '--templates', prebuilt, '--usage', USAGE], environment(root, recorder));
    expect(code).toBe(0);
    expect(recorder.jobs.map((j) => j.label)).toEqual([expect.stringMatching(/^HEAD \(/)]);
    // one node at the ref, three in the prebuilt templates: 2 x 730 h x $0.0128
    expect(out).toMatch(/ElastiCache Valkey cache\.t4g\.micro\s+Cache\/ReplicationGroup\s+\+18\.69/);
  });

  test('a failed synthesis of the ref fails the diff (exit 1) and still removes the worktree', async () => {
    const root = repository('failing');
    const recorder: Recorder = { jobs: [], installs: [], linkedNodeModules: [] };
    const { code, err } = await run(
      ['--diff', 'HEAD', '--profile', 'dev'],
      environment(root, recorder, (job) => job.label !== 'working tree'),
    );
    expect(code).toBe(1);
    expect(err).toMatch(/synthesis failed for HEAD \(/);
    expect(worktrees(root)).toBe(1);
    expect(fs.existsSync(recorder.jobs.find((j) => j.label !== 'working tree')!.cwd)).toBe(false);
  });
});

describe('npm run cost without templates', () => {
  test('synthesizes the profiles cdk.out lacks into cdk.out/<profile>/, with progress on stderr, then prices them', async () => {
    // GIVEN an empty directory as the working directory, so cdk.out does not exist
    const cwd = fs.mkdtempSync(path.join(scratch, 'fresh-'));
    const before = process.cwd();
    const synthesized: string[] = [];
    const env: DiffEnvironment = {
      root: cwd,
      jobs: 1,
      install: async () => undefined,
      synthesize: async (job) => {
        synthesized.push(job.profile);
        fs.mkdirSync(job.outDir, { recursive: true });
        fs.copyFileSync(
          path.join(DIFF, 'after', job.profile, `ScalingStack-${job.profile}.template.json`),
          path.join(job.outDir, `ScalingStack-${job.profile}.template.json`),
        );
      },
    };
    process.chdir(cwd);
    try {
      // WHEN
      const { code, out, err } = await run(['--profile', 'dev'], { environment: () => env });
      // THEN
      expect(code).toBe(0);
      expect(synthesized).toEqual(['dev']);
      expect(err.split('\n')[0]).toBe(
        'cost: no templates of dev in cdk.out/: synthesizing it as `npm run synth:all` does (cdk-nag on, the built-in validator skipped: pricing does not need it) ...',
      );
      expect(err).toMatch(/cost: synthesized into cdk\.out\/ in \d+\.\d s; the next run reuses them/);
      expect(out).toContain(`Profile dev: ${path.join('cdk.out', 'dev', 'ScalingStack-dev.template.json')}`);
      // a second run finds them and synthesizes nothing
      expect((await run(['--profile', 'dev'], { environment: () => env })).code).toBe(0);
      expect(synthesized).toEqual(['dev']);
    } finally {
      process.chdir(before);
    }
  });
});
