import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');

/** Runs bin/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function runApp(context: Record<string, unknown>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-test-'));
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/app.ts'], {
    cwd: root,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, CDK_DEFAULT_ACCOUNT: '', CDK_DEFAULT_REGION: '' },
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
    expect(stderr).toContain("cdk context: alarmEmail entry 'oncall' is not an e-mail address: one or more e-mail addresses for the alarm notifications, comma-separated");
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});
