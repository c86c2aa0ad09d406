import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import type { Verifier } from '../../../tools/deploy-local/verify';
import { runChecklist, summaryLine, type Check } from '../../../tools/verify/checklist';
import { COMMAND, parseOptions } from '../../../tools/verify/options';
import { isEmulator } from '../../../tools/verify/target';
import { verifierChecks } from '../../../tools/verify/verifiers';
import { main } from '../../../tools/verify/verify';
import { fakeTarget } from './helpers';

const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => cloudwatch.reset());

describe('the checklist', () => {
  test('numbered lines as each check ends, details under them; a check that throws fails and the next still runs', async () => {
    const lines: string[] = [];
    const checks: Check[] = [
      { name: 'first', run: async () => ({ status: 'pass', summary: 'fine' }) },
      {
        name: 'second',
        run: async () => {
          throw new Error('AccessDenied: not allowed\nmore');
        },
        startNote: 'waiting up to 10 s',
      },
      { name: 'third', run: async () => ({ status: 'fail', summary: 'two wrong', details: ['a', 'b'] }) },
    ];
    const result = await runChecklist(checks, (line) => lines.push(line));
    expect(lines).toEqual([
      '[1/3] ✓ first: fine',
      '[2/3] second: waiting up to 10 s',
      '[2/3] ✗ second: Error: AccessDenied: not allowed',
      '[3/3] ✗ third: two wrong',
      '        a',
      '        b',
    ]);
    expect(result.counts).toEqual({ pass: 1, fail: 2, pending: 0, skipped: 0 });
    expect(summaryLine('ScalingStack-dev', result, 3.04)).toBe('FAIL ScalingStack-dev: 3 checks, 1 passed, 2 failed, 0 pending, 0 skipped (3.0 s)');
  });
});

describe('options', () => {
  test('--profile is required, names the stack, and the job waits 180 s unless told', () => {
    expect(() => parseOptions([])).toThrow(
      `--profile is required: the profile the stack was deployed with (dev, staging, prod), e.g. --profile dev\n\n${COMMAND.helpText}`,
    );
    expect(parseOptions(['--profile', 'prod'])).toMatchObject({
      stackName: 'ScalingStack-prod',
      jobTimeoutSeconds: 180,
      sendJob: true,
      verbose: false,
    });
    expect(parseOptions(['--profile', 'dev', '--stack', 'Mine', '--job-timeout', '60', '--skip-job'])).toMatchObject({
      stackName: 'Mine',
      jobTimeoutSeconds: 60,
      sendJob: false,
    });
  });

  test('a job timeout out of range, and an unknown profile, say what is valid', () => {
    expect(() => parseOptions(['--profile', 'dev', '--job-timeout', '5'])).toThrow(
      "--job-timeout needs a whole number of seconds from 10 to 900 (a job runs in seconds; its metric arrives within a few minutes), got '5'",
    );
    expect(() => parseOptions(['--profile', 'qa'])).toThrow("--profile 'qa' is not a profile; valid profiles are dev, staging, prod");
  });
});

test("the emulator is moto's account behind a loopback endpoint; anything else is an account", () => {
  expect(isEmulator('http://localhost:5055', '123456789012')).toBe(true);
  expect(isEmulator('http://127.0.0.1:5055/', '123456789012')).toBe(true);
  expect(isEmulator(undefined, '123456789012')).toBe(false);
  expect(isEmulator('http://localhost:5055', '111122223333')).toBe(false);
  expect(isEmulator('https://vpce-1.sqs.eu-west-1.vpce.amazonaws.com', '123456789012')).toBe(false);
});

describe("the rehearsal's verifiers as checks", () => {
  const template = { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } };
  const queues: Verifier = {
    name: 'SQS',
    types: ['AWS::SQS::Queue'],
    async verify(ctx) {
      ctx.checks.equal({ logicalId: 'Queue', type: 'AWS::SQS::Queue' }, 'VisibilityTimeout', 30, 180, 'template');
      ctx.checks.equal({ logicalId: 'Queue', type: 'AWS::SQS::Queue' }, 'MessageRetentionPeriod', 345600, 345600, 'template');
      ctx.checks.notModelledBy({ logicalId: 'Queue', type: 'AWS::SQS::Queue' }, 'Tags', 'not read');
    },
  };
  const functions: Verifier = { name: 'Lambda', types: ['AWS::Lambda::Function'], verify: async () => undefined };

  test('one check per verifier the template needs; a difference fails with what was deployed and expected', async () => {
    const target = fakeTarget(template, { physical: { Queue: 'https://sqs/q' } });
    const checks = verifierChecks(target.context, false, [queues, functions]);
    expect(checks.map((c) => c.name)).toEqual(['SQS']);
    expect(await checks[0].run()).toEqual({
      status: 'fail',
      summary: '1 of 2 properties differ from the template or the profile',
      details: [
        '✗ Queue (AWS::SQS::Queue) VisibilityTimeout: deployed 30, expected 180 from template',
        'not compared: Queue Tags (the verifier skips it: not read)',
      ],
    });
  });
});

describe('main', () => {
  test('prints where it looks, the checklist and the verdict; a failed check exits 1', async () => {
    // GIVEN a stack with one alarm in ALARM and nothing else to probe
    const template = { Resources: { Errors: { Type: 'AWS::CloudWatch::Alarm' } } };
    const target = fakeTarget(template, { physical: { Errors: 'S-Errors-1' } });
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: 'S-Errors-1', StateValue: 'ALARM', StateReason: 'Threshold Crossed' }] });
    const lines: string[] = [];
    // WHEN (no test job; without a WebUrl output the web check fails at once)
    const code = await main(['--profile', 'dev', '--skip-job'], { out: (t) => lines.push(t), err: (t) => lines.push(t) }, async (name, profile) => {
      expect([name, profile.name]).toEqual(['ScalingStack-dev', 'dev']);
      return target;
    });
    // THEN
    expect(code).toBe(1);
    expect(lines[0]).toBe('verify ScalingStack-dev (profile dev) in account 111122223333, eu-west-1');
    expect(lines).toContain('[7/7] ✗ alarms OK: 1 in ALARM, 0 missing, of 1 alarms');
    expect(lines).toContain('[5/7] – test job processed: not sent (--skip-job): the run stayed read-only');
    expect(lines).toContain('[3/7] ✗ web URL answers: the stack has no WebUrl output');
    expect(lines[lines.length - 1]).toMatch(/^FAIL ScalingStack-dev: 7 checks, /);
  });
});
