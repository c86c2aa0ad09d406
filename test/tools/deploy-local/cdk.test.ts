import { cliEnvironment, outputTail, PINNED_ENVIRONMENT } from '../../../tools/deploy-local/cdk';

describe('cliEnvironment', () => {
  // GIVEN a shell with real AWS settings that would each send the CLI somewhere else
  const base = {
    PATH: '/usr/bin',
    AWS_PROFILE: 'production',
    AWS_ACCESS_KEY_ID: 'AKIAREALKEY',
    AWS_SESSION_TOKEN: 'token',
    AWS_ENDPOINT_URL_CLOUDFORMATION: 'https://cloudformation.eu-west-1.amazonaws.com',
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
    CDK_DEFAULT_ACCOUNT: '999999999999',
    NO_PROXY: 'corp.example',
  };

  test('keeps nothing of the caller’s AWS setup and points every call at the emulator', () => {
    // WHEN
    const env = cliEnvironment(base, 'http://localhost:5055', '/tmp/scratch');
    // THEN
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      AWS_ENDPOINT_URL: 'http://localhost:5055',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/tmp/scratch/no-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/tmp/scratch/no-aws-credentials',
      NO_PROXY: 'localhost,127.0.0.1,::1,corp.example',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CDK_VALIDATION: 'false',
    });
    for (const key of [
      'AWS_PROFILE',
      'AWS_SESSION_TOKEN',
      'AWS_ENDPOINT_URL_CLOUDFORMATION',
      'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
      'CDK_DEFAULT_ACCOUNT',
    ]) {
      expect(env).not.toHaveProperty(key);
    }
  });

  test('deploys are pinned to moto’s account and region', () => {
    expect(PINNED_ENVIRONMENT).toEqual(['-c', 'account=123456789012', '-c', 'region=us-east-1']);
  });
});

test('outputTail drops the SDK’s Node-version notice and blank lines', () => {
  const output = [
    '(node:1) Warning: NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)',
    'versions published after the first week of January 2027',
    'will require node >=22. You are running node v20.20.2.',
    '',
    'To continue receiving updates to AWS services, bug fixes,',
    'and security updates please upgrade to node >=22.',
    'More information can be found at: https://a.co/c895JFp',
    '(Use `node --trace-warnings ...` to show where the warning was created)',
    'ScalingStack-dev: deploying... [1/1]',
    '❌  ScalingStack-dev failed to deploy',
  ].join('\n');
  expect(outputTail(output)).toBe('ScalingStack-dev: deploying... [1/1]\n❌  ScalingStack-dev failed to deploy');
  expect(outputTail(output, 1)).toBe('❌  ScalingStack-dev failed to deploy');
});
