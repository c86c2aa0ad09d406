import * as fs from 'node:fs';
import * as path from 'node:path';
import { breakdown, CI_GATES, helloApp, parseArgs } from '../../tools/bench/bench';

describe('bench', () => {
  test('parses options and rejects bad ones with the allowed values', () => {
    expect(parseArgs([])).toEqual({ runs: 3, testRuns: 1, json: false });
    expect(parseArgs(['--runs', '5', '--test-runs', '0', '--json'])).toEqual({ runs: 5, testRuns: 0, json: true });
    expect(() => parseArgs(['--runs', '0'])).toThrow("--runs needs a whole number from 1 to 50, got '0'");
    expect(() => parseArgs(['--test-runs', '-1'])).toThrow("--test-runs needs a whole number from 0 to 50, got '-1'");
    expect(() => parseArgs(['--fast'])).toThrow("unknown option '--fast'; use --runs N, --test-runs N, --json");
  });

  test("splits a synth by aws-cdk-lib's counters: the CLI is what the app phases leave of the wall clock", () => {
    // GIVEN counters as aws-cdk-lib writes them (milliseconds), for a synth that took 6 s in all
    const counters = {
      'phase:Load': 1500,
      'phase:Construction': 2000,
      'bundle:NodejsFunction': 800,
      'phase:Synthesis': 1700,
      validateTemplates: 1200,
      'CloudFormationValidate.validate(cnt)': 1,
    };
    // WHEN / THEN
    const b = breakdown(6, counters);
    expect(b).toEqual({ cli: expect.any(Number), load: 1.5, build: 1.2, bundle: 0.8, checks: 1.2, write: expect.any(Number), validator: true });
    expect(b.cli).toBeCloseTo(0.8);
    expect(b.write).toBeCloseTo(0.5);
    expect(breakdown(6, { ...counters, 'CloudFormationValidate.validate(cnt)': 0 }).validator).toBe(false);
  });

  test('a counters file without a phase is an error, not a silent zero', () => {
    expect(() => breakdown(1, { 'phase:Load': 1 })).toThrow('performance counters lack phase:Construction');
  });

  test("the floor runs with the launcher of cdk.json's app", () => {
    const app = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).app;
    expect(helloApp(app)).toBe(app.replace('bin/app.ts', 'tools/bench/hello-app.ts'));
    expect(() => helloApp('node dist/app.js')).toThrow(
      "cdk.json's app 'node dist/app.js' does not run bin/app.ts; update the bench's floor to match",
    );
  });

  test('the CI gates the bench measures are the ones npm run synth:all turns on', () => {
    const script = fs.readFileSync(path.join(__dirname, '..', '..', 'tools', 'synth-all.sh'), 'utf8');
    expect(script).toContain(`npx cdk synth --quiet ${CI_GATES.join(' ')} `);
  });
});
