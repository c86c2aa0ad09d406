import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GetMetricDataCommandInput, GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { prod } from '../../../lib/core/profiles';
import type { RightsizingReport } from '../../../lambda/rightsizing/advisor';
import { main, parseArgs, type Aws } from '../../../tools/rightsize/rightsize';
import { METRICS_FORMAT, parseMetrics } from '../../../tools/rightsize/metrics-file';

const EXAMPLE = path.join(__dirname, '..', '..', '..', 'tools', 'rightsize', 'examples', 'prod-quiet.json');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rightsize-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], aws?: Aws): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, aws && (async () => aws));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function write(name: string, content: unknown): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const file = (extra: Record<string, unknown> = {}) => ({
  format: METRICS_FORMAT,
  version: 1,
  profile: 'prod',
  start: '2026-11-12T00:00:00Z',
  end: '2026-11-26T00:00:00Z',
  periodSeconds: 3600,
  series: { 'database.cpu': { start: '2026-11-12T00:00:00Z', values: Array.from({ length: 336 }, () => 5) } },
  ...extra,
});

describe('npm run rightsize', () => {
  test('prints the recorded example as a table, without an AWS account', async () => {
    const { code, out } = await run(['--metrics', EXAMPLE]);
    expect(code).toBe(0);
    expect(out).toContain(
      "Right-sizing advice for profile 'prod': 14 days from 2026-11-12T00:00:00.000Z to 2026-11-26T00:00:00.000Z, 60-minute datapoints",
    );
    expect(out).toMatch(/database\s+downsize\s+database\.instanceClass db\.r7g\.large -> db\.m7g\.large\s+-\$102\.93\/month\s+high/);
    expect(out).toContain('Total: -$345.33/month');
  });

  test('--json prints the same report as data', async () => {
    const { code, out } = await run(['--metrics', EXAMPLE, '--json']);
    const report = JSON.parse(out) as RightsizingReport;
    expect(code).toBe(0);
    expect(report.monthlyUsd).toBe(-345.33);
    expect(report.recommendedProfile.database).toMatchObject({ instanceClass: 'db.m7g.large', multiAz: true });
  });

  test('--profile judges the same metrics against another profile', async () => {
    const { out } = await run(['--metrics', EXAMPLE, '--profile', 'staging', '--json']);
    expect((JSON.parse(out) as RightsizingReport).profile).toBe('staging');
  });

  test.each([
    [['--metrics'], /^rightsize: --metrics needs a value\n\nUsage: npm run rightsize/],
    [['--frobnicate'], /^rightsize: unknown option '--frobnicate'/],
    [[], /^rightsize: give either --metrics <file> or --config <file>/],
    [['--metrics', 'a.json', '--config', 'b.json'], /^rightsize: give either --metrics <file> or --config <file>/],
    [
      ['--config', 'c.json', '--window', '30'],
      "rightsize: --window needs a whole number of days from 1 to 15 (CloudWatch keeps one-minute datapoints 15 days), got '30'",
    ],
    [['--metrics', 'a.json', '--window', '7'], 'rightsize: --window and --record read CloudWatch: use them with --config, not --metrics'],
    [['--metrics', '/nonexistent.json'], 'rightsize: metrics file /nonexistent.json not found'],
    [['--metrics', EXAMPLE, '--profile', 'qa'], "rightsize: --profile 'qa' is not a profile; valid profiles are dev, staging, prod"],
    [
      ['--metrics', EXAMPLE, '--prices', '/nonexistent/prices.json'],
      'rightsize: price table /nonexistent/prices.json not found; restore lib/core/prices/prices-us-east-1.json or pass --prices <file>',
    ],
  ])('bad input %j: a clear message and exit code 2', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    if (typeof message === 'string') expect(err).toBe(message);
    else expect(err).toMatch(message);
  });

  test.each([
    ['not JSON', '{', /^rightsize: metrics file .* is not JSON: /],
    [
      'another format',
      { format: 'other' },
      /is not a recorded metrics file \(format 'cdk-scaling-stack\/rightsizing-metrics', version 1\):\n {2}- at format: Invalid input: expected "cdk-scaling-stack\/rightsizing-metrics"/,
    ],
    [
      'an unknown series',
      file({ series: { 'db.cpu': { start: '2026-11-12T00:00:00Z', values: [1] } } }),
      /: unknown series 'db\.cpu'; the keys are web\.cpu, web\.memory, /,
    ],
    [
      'mismatched arrays',
      file({ series: { 'web.cpu': { timestamps: [1795000000000], values: [1, 2] } } }),
      /at series\.web\.cpu: timestamps and values must be the same length/,
    ],
    [
      'datapoints outside the window',
      file({ series: { 'web.cpu': { timestamps: ['2026-12-01T00:00:00Z'], values: [1] } } }),
      /series 'web\.cpu' has 1 datapoint\(s\) outside the window 2026-11-12T00:00:00\.000Z to 2026-11-26T00:00:00\.000Z/,
    ],
    ['an end before the start', file({ end: '2026-11-01T00:00:00Z' }), /at end: end must be after start/],
    ['a 90-second period', file({ periodSeconds: 90 }), /at periodSeconds: must be a whole number of minutes \(a multiple of 60\)/],
    ['no profile', file({ profile: undefined }), /does not say which profile it was recorded for: pass --profile \(dev, staging, prod\)$/],
    ['a string where a number belongs', file({ series: { 'web.cpu': { start: '2026-11-12T00:00:00Z', values: ['5'] } } }), /at series\.web\.cpu/],
  ])('a malformed metrics file (%s) is refused with where and why', async (_label, content, message) => {
    const { code, err } = await run(['--metrics', write(`${_label}.json`, content)]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  test('too little data says so plainly and recommends nothing', async () => {
    const sparse = write(
      'sparse.json',
      file({ series: { 'database.cpu': { start: '2026-11-25T00:00:00Z', values: Array.from({ length: 24 }, () => 5) } } }),
    );
    const { code, out } = await run(['--metrics', sparse]);
    expect(code).toBe(0);
    expect(out).toContain('No recommendation: nothing to act on.');
    expect(out).toContain(
      'database: too little data to recommend anything: CPUUtilization (Average) has 24 of 336 expected datapoints (7 %) over the 14 days window; at least 50 % are needed',
    );
  });

  describe('live, with the deployed configuration', () => {
    const config = write('config.json', { profile: prod, targets: { database: { instanceIdentifier: 'app-db' } }, periodSeconds: 3600 });
    const end = Date.UTC(2026, 10, 26);
    const calls: GetMetricDataCommandInput[] = [];
    const aws: Aws = {
      now: () => new Date(end + 1000),
      async getMetricData(input) {
        calls.push(input);
        const start = input.StartTime!.getTime();
        return {
          MetricDataResults: input.MetricDataQueries!.map((q) => {
            const timestamps = Array.from({ length: (input.EndTime!.getTime() - start) / 3_600_000 }, (_, i) => new Date(start + i * 3_600_000));
            const value = q.MetricStat!.Metric!.MetricName === 'FreeableMemory' ? 15 * 1024 ** 3 : 5;
            return { Id: q.Id, Timestamps: timestamps, Values: timestamps.map(() => value) };
          }),
          $metadata: {},
        } as GetMetricDataCommandOutput;
      },
    };

    test('reads the window from CloudWatch, and --record saves what it read as a metrics file that gives the same advice', async () => {
      const recorded = path.join(scratch, 'recorded.json');
      const live = await run(['--config', config, '--window', '7', '--record', recorded, '--json'], aws);
      expect(live.code).toBe(0);
      expect(calls[0]).toMatchObject({ StartTime: new Date(end - 7 * 86_400_000), EndTime: new Date(end) });
      const replay = await run(['--metrics', recorded, '--json']);
      const [a, b] = [JSON.parse(live.out), JSON.parse(replay.out)] as RightsizingReport[];
      expect(b.recommendations).toEqual(a.recommendations);
      expect(a.recommendations.map((r) => r.changes[0].to)).toEqual(['db.m7g.large']);
      expect(parseMetrics(JSON.parse(fs.readFileSync(recorded, 'utf8'))).components).toEqual(['database']);
    });

    test('a missing configuration says how to get it', async () => {
      const { code, err } = await run(['--config', '/nonexistent/config.json'], aws);
      expect(code).toBe(2);
      expect(err).toBe(
        "rightsize: configuration file /nonexistent/config.json not found; save the deployed advisor's with: aws lambda get-function-configuration --function-name <advisor function> --query Environment.Variables.RIGHTSIZING_CONFIG --output text > /nonexistent/config.json",
      );
    });

    test('a CloudWatch failure is exit code 1', async () => {
      const failing: Aws = {
        now: aws.now,
        getMetricData: async () => {
          throw Object.assign(new Error('The security token included in the request is invalid'), { name: 'UnrecognizedClientException' });
        },
      };
      const { code, err } = await run(['--config', config], failing);
      expect(code).toBe(1);
      expect(err).toBe('rightsize: The security token included in the request is invalid');
    });

    test("a bug while reading is not mistaken for AWS's answer: it prints the stack", async () => {
      const buggy: Aws = {
        now: aws.now,
        getMetricData: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'Values')");
        },
      };
      const { code, err } = await run(['--config', config], buggy);
      expect(code).toBe(1);
      expect(err).toMatch(
        /^rightsize: internal error \(a bug in the tool, not in your input\); please report it with this trace:\nTypeError: Cannot read properties of undefined \(reading 'Values'\)\n\s+at /,
      );
    });
  });

  test("parseArgs defaults to the cost tool's price table", () => {
    expect(parseArgs(['--metrics', EXAMPLE]).prices).toMatch(/lib\/core\/prices\/prices-us-east-1\.json$/);
  });
});
