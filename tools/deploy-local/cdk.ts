// The real CDK CLI from node_modules, run against the emulator with fake credentials only.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ACCOUNT, FAKE_CREDENTIALS, REGION } from './aws';

export const ROOT = path.join(__dirname, '..', '..');
const CDK_BIN = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');

/** Where the CLI's configuration would come from: dropped, so only what is set below applies. */
const DROPPED = /^(AWS_|CDK_DEFAULT_)/;

/**
 * The CLI's environment: the caller's, minus every AWS_* and CDK_DEFAULT_* variable (profiles,
 * real keys, per-service endpoints, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS would each send calls
 * elsewhere), plus the emulator's endpoint, fake keys, and config files that do not exist.
 */
export function cliEnvironment(base: NodeJS.ProcessEnv, endpoint: string, scratchDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!DROPPED.test(key)) env[key] = value;
  const noProxy = ['localhost', '127.0.0.1', '::1', base.NO_PROXY ?? base.no_proxy].filter(Boolean).join(',');
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: path.join(scratchDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratchDir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_PROXY: noProxy,
    no_proxy: noProxy,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    // The SDK's notice that its 2027 releases need Node >= 22: true, and noise in a rehearsal.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The built-in CloudFormation validator only reads the template (the same template comes out
    // without it) and costs ~2.3 s of each profile's ~5.7 s synth here; `npm run synth:all` and the
    // policy-gate tests run it. cdk-nag still runs (bin/app.ts registers it).
    CDK_VALIDATION: 'false',
    CI: 'true',
  };
}

/** `-c account=… -c region=…`: every deploy is pinned to moto's account and region. */
export const PINNED_ENVIRONMENT = ['-c', `account=${ACCOUNT}`, '-c', `region=${REGION}`];

export interface CdkResult {
  readonly code: number;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
}

export interface CdkRunner {
  run(args: readonly string[]): Promise<CdkResult>;
  /** Kills a CLI run in progress (SIGTERM): for signal handlers. */
  killRunning(): void;
}

/** Runs `cdk <args>` with `env`; its output goes to `echo` as it comes when given. */
export function cdkRunner(env: NodeJS.ProcessEnv, echo?: (chunk: string) => void): CdkRunner {
  const running = new Set<ChildProcess>();
  return {
    run: (args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [CDK_BIN, ...args, '--no-notices'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        running.add(child);
        let output = '';
        const take = (chunk: Buffer) => {
          const text = chunk.toString('utf8');
          output += text;
          echo?.(text);
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        child.once('error', (error) => {
          output += `\n${error.message}`;
        });
        child.once('close', (code, signal) => {
          running.delete(child);
          resolve({ code: code ?? (signal ? 128 : 1), output });
        });
      }),
    killRunning: () => {
      for (const child of running) child.kill('SIGTERM');
    },
  };
}

// The AWS SDK's notice that releases after January 2027 need Node >= 22: true, and noise here.
const SDK_NODE_NOTICE =
  /NodeVersionSupportWarning|versions published after the first week|will require node >=|To continue receiving updates to AWS|security updates please upgrade to node|a\.co\/c895JFp|node --trace-warnings/;

/** The last `n` meaningful lines of CLI output. */
export function outputTail(output: string, n = 15): string {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '' && !SDK_NODE_NOTICE.test(l))
    .slice(-n)
    .join('\n');
}
