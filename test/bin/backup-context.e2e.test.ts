import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const APP_COMMAND: string[] = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).app.split(' ');

test('-c backupCopyRegion equal to -c region stops synth with the fix, before anything is written', () => {
  // GIVEN bin/app.ts run as the CDK CLI runs it
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-test-'));
  const context = { profile: 'prod', region: 'us-west-2', backupCopyRegion: 'us-west-2' };
  // WHEN
  const { status, stderr } = spawnSync(process.execPath, APP_COMMAND.slice(1), {
    cwd: root,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, CDK_DEFAULT_ACCOUNT: '', CDK_DEFAULT_REGION: '' },
    encoding: 'utf8',
  });
  // THEN
  expect(status).toBe(1);
  expect(stderr).toContain(
    `cdk context: -c backupCopyRegion ("us-west-2") is the stack's own region; a copy there is lost with the region, so name another one (e.g. "us-east-2")`,
  );
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(fs.readdirSync(outdir)).toEqual([]);
});
