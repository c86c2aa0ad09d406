// `npm run verify` against the emulator: ScalingStack-dev, built as bin/app.ts builds it, is deployed
// by the real CDK CLI to moto's server (with tools/deploy-local's fixes, as the rehearsal does);
// then verify runs as a user would after `cdk deploy`, its SDK pointed at moto by AWS_ENDPOINT_URL
// alone. The resource checks must pass, and every live probe moto cannot answer must say so, never
// pass. For time, the app is synthesized in this process while moto starts, without cdk-nag and
// the built-in validator (`npm run synth:all` runs both; the template is the same).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAppConfig, ScalingStack } from '../../lib';
import { ACCOUNT, REGION } from '../../tools/deploy-local/aws';
import { cdkRunner, cliEnvironment, outputTail } from '../../tools/deploy-local/cdk';
import { findMoto, startMoto, type MotoServer } from '../../tools/deploy-local/moto';
import { guard } from '../../tools/shared/cli';
import { freePort } from '../../tools/shared/free-port';
import { main } from '../../tools/verify/verify';
import { testApp } from '../helpers/app';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-'));
const saved = { ...process.env };
let moto: MotoServer | undefined;
let assembly: string | undefined;

/** ScalingStack-dev as `cdk synth -c profile=dev -c account=… -c region=…` builds it, Lambda code bundled; returns the assembly directory. */
function synthesizeDev(): string {
  const app = testApp({ bundling: true, context: { profile: 'dev', account: ACCOUNT, region: REGION } });
  const config = parseAppConfig((key) => app.node.tryGetContext(key));
  new ScalingStack(app, 'ScalingStack-dev', { profile: config.profile, env: config.env, availabilityZones: config.availabilityZones });
  return app.synth().directory;
}

beforeAll(async () => {
  const starting = freePort().then((port) => startMoto(findMoto().python, port, path.join(scratch, 'moto.log')));
  assembly = synthesizeDev();
  moto = await starting;
  const cdk = cdkRunner(cliEnvironment(process.env, moto.endpoint, scratch));
  for (const args of [
    ['bootstrap', `aws://${ACCOUNT}/${REGION}`, '--app', assembly!],
    ['deploy', 'ScalingStack-dev', '--app', assembly!, '--require-approval', 'never'],
  ]) {
    const result = await cdk.run(args);
    if (result.code !== 0) throw new Error(`cdk ${args[0]} failed:\n${outputTail(result.output)}`);
  }
  // What a user's shell would hold for the emulator, and nothing of this machine's AWS setup.
  for (const key of Object.keys(process.env)) if (/^AWS_/.test(key)) delete process.env[key];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_CONFIG_FILE: path.join(scratch, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
}, 90_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
  for (const dir of [scratch, assembly]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function verify(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const io = { out: (text: string) => lines.push(...text.split('\n')), err: (text: string) => lines.push(...text.split('\n')) };
  const code = await guard('verify', io, () => main(argv, io));
  return { code, lines };
}

test('the deployed dev stack: its resources as the profile says, and what moto cannot answer said so', async () => {
  const { code, lines } = await verify('--profile', 'dev');
  expect(code).toBe(0);
  expect(lines[0]).toBe(`verify ScalingStack-dev (profile dev) in account ${ACCOUNT}, ${REGION}`);
  const checks = lines.filter((l) => /^\[\s*\d+\/\d+\] [✓✗…–] /.test(l)).map((l) => l.replace(/^\[\s*\d+\/\d+\] /, ''));
  // The stack and every family of resources the rehearsal's verifiers know: compared, and passing.
  const resources = checks.flatMap((l) => /^([✓✗…–]) (stack|resources: [^:]+):/.exec(l) ?? []).filter((_, i) => i % 3 !== 0);
  expect(resources).toEqual([
    '✓',
    'stack',
    '✓',
    'resources: network',
    '✓',
    'resources: log groups',
    '✓',
    'resources: load balancers',
    '✓',
    'resources: ECS',
    '✓',
    'resources: RDS',
    '✓',
    'resources: SQS',
    '✓',
    'resources: Lambda',
    '✓',
    'resources: monitoring',
    '✓',
    'resources: outputs',
  ]);
  expect(checks).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^✓ resources: network: \d+ properties as the template and the profile say$/),
      expect.stringMatching(/^✓ resources: Lambda: \d+ properties as the template and the profile say$/),
    ]),
  );
  // Every live probe: not verifiable here, with moto's reason; the test job still went into the queue.
  expect(checks.slice(-5)).toEqual([
    expect.stringMatching(/^– web URL answers: not verifiable here: moto serves no CloudFront or load balancer traffic/),
    '– load balancer targets healthy: not verifiable here: moto starts no ECS task, so no target registers and no health check runs',
    expect.stringMatching(
      /^– test job processed: not verifiable here: moto runs no Lambda code \(it needs Docker\), so nothing consumes the queue; the queue accepted job verify-\S+ \(message \S+\)$/,
    ),
    expect.stringMatching(/^– database insights report complete: not verifiable here: moto runs no scheduled Lambda/),
    expect.stringMatching(/^– alarms OK: not verifiable here: moto's CloudFormation does not create CloudWatch alarms \(\d+ in the template\)$/),
  ]);
  expect(lines[lines.length - 1]).toMatch(/^PASS ScalingStack-dev: \d+ checks, \d+ passed, 0 failed, 0 pending, 5 skipped \(\d+\.\d s\)$/);
}, 60_000);

test('the same stack against another profile fails on the properties that differ, and exits 1', async () => {
  const { code, lines } = await verify('--profile', 'staging', '--stack', 'ScalingStack-dev', '--skip-job');
  expect(code).toBe(1);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/✗ resources: Lambda: \d+ of \d+ properties differ from the template or the profile/),
      expect.stringMatching(
        /✗ \S*WorkerFunction\S* \(AWS::Lambda::Function\) Timeout: deployed 30, expected 60 from profile\.worker\.timeoutSeconds/,
      ),
      '[13/15] – test job processed: not sent (--skip-job): the run stayed read-only',
    ]),
  );
  expect(lines[lines.length - 1]).toMatch(/^FAIL ScalingStack-dev: /);
}, 60_000);

test('a stack that is not there: says how to deploy it, exit 1', async () => {
  const { code, lines } = await verify('--profile', 'prod');
  expect(code).toBe(1);
  expect(lines).toEqual([
    `verify: there is no stack ScalingStack-prod in account ${ACCOUNT}, ${REGION}: deploy it first (npx cdk deploy ScalingStack-prod -c profile=prod), or name another with --stack`,
  ]);
});
