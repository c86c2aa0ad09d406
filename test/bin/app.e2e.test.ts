import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CDK_JSON_CONTEXT } from '../helpers/app';

const root = path.join(__dirname, '..', '..');

/** cdk.json's app command ("node --require tsx/cjs bin/app.ts"), with this Node. */
const APP_COMMAND: string[] = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).app.split(' ');

/** Runs bin/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function runApp(context: Record<string, unknown>, env: Record<string, string> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-test-'));
  expect(APP_COMMAND[0]).toBe('node');
  const result = spawnSync(process.execPath, APP_COMMAND.slice(1), {
    cwd: root,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, CDK_DEFAULT_ACCOUNT: '', CDK_DEFAULT_REGION: '', ...env },
    encoding: 'utf8',
  });
  return { ...result, outdir };
}

describe('bin/app.ts', () => {
  test('bad context stops synth with one message listing every problem and what is valid, and no stack trace', () => {
    const { status, stderr, outdir } = runApp({ profile: 'qa', account: '12' });
    expect(status).toBe(1);
    expect(stderr).toContain('cdk context: 2 problems:');
    expect(stderr).toContain('-c profile=qa is not a profile; valid profiles are dev, staging, prod');
    expect(stderr).toContain("account '12' is not an AWS account ID: a 12-digit AWS account ID");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('an alarm e-mail that is not an address stops synth before anything is written', () => {
    const { status, stderr, outdir } = runApp({ alarmEmail: 'ops@example.com,oncall' });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "cdk context: alarmEmail entry 'oncall' is not an e-mail address: one or more e-mail addresses for the alarm notifications, comma-separated",
    );
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('-c validate=true runs the built-in validator beside cdk-nag, and CDK_DEFAULT_* pin nothing', () => {
    // GIVEN what the CDK CLI passes: cdk.json's context and the caller's default account and region
    // (bundling skipped: the gates read templates; counters written for every synth, however fast)
    const counters = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'app-test-')), 'counters.json');
    const context = { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], '@aws-cdk/core.slowSynthThreshold': 0, validate: 'true' };
    // WHEN
    const { status, stderr, outdir } = runApp(context, {
      CDK_DEFAULT_ACCOUNT: '111111111111',
      CDK_DEFAULT_REGION: 'eu-north-1',
      CDK_PERF_COUNTERS_FILE: counters,
    });
    // THEN the synth passed both gates: the validator checked the template (cdk-nag is the other plugin)
    expect({ status, stderr: stderr.split('\n').filter((l) => /ERROR|rror:/.test(l)) }).toEqual({ status: 0, stderr: [] });
    const counted = JSON.parse(fs.readFileSync(counters, 'utf8')).counters;
    expect(counted['CloudFormationValidate.validate(cnt)']).toBe(1);
    // AND the stack is environment-agnostic: no account or region of the machine in it
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['ScalingStack-dev'].environment).toBe('aws://unknown-account/unknown-region');
    // (Mappings list every region by name, for the load balancer's log-delivery accounts)
    const { Mappings, ...template } = JSON.parse(fs.readFileSync(path.join(outdir, 'ScalingStack-dev.template.json'), 'utf8'));
    expect(Mappings).toBeDefined();
    // (us-east-1 stays in the template on purpose: CloudFront's region, named by the edge's rule)
    expect(JSON.stringify(template)).not.toMatch(/eu-north-1|111111111111/);
  });
});
