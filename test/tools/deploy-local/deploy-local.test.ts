import { CloudFormationClient, DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { dev } from '../../../lib/core/profiles';
import { createClients } from '../../../tools/deploy-local/aws';
import type { CdkResult, CdkRunner } from '../../../tools/deploy-local/cdk';
import { confirmMoto, main, rehearse, summaryLine, type Session } from '../../../tools/deploy-local/deploy-local';
import { COMMAND, parseOptions } from '../../../tools/deploy-local/options';

const cfn = mockClient(CloudFormationClient);
const sts = mockClient(STSClient);
beforeEach(() => {
  cfn.reset();
  sts.reset();
});

/** A CDK CLI that answers each run with the next result, and records the arguments. */
function fakeCdk(...results: CdkResult[]): CdkRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (args) => {
      calls.push([...args]);
      return results.shift() ?? { code: 0, output: '' };
    },
    killRunning: () => undefined,
  };
}

function session(cdk: CdkRunner, lines: string[]): Session {
  return { options: parseOptions([]), clients: createClients('http://localhost:9'), cdk, print: (line) => lines.push(line) };
}

const notFound = Object.assign(new Error('Stack with id S does not exist'), { name: 'ValidationError' });

test('summaryLine: deployed N resources, verified M properties, skipped K types (a type skipped both plainly and with placeholders counts once), and the time of each step', () => {
  expect(
    summaryLine({
      profile: 'dev',
      stackName: 'ScalingStack-dev',
      ok: true,
      deployedResources: 37,
      verified: 45,
      failedChecks: 0,
      skipped: [
        { type: 'AWS::CDK::Metadata', count: 1, reason: 'r' },
        { type: 'AWS::CloudWatch::Alarm', count: 1, reason: 'r' },
        { type: 'AWS::CloudWatch::Alarm', count: 2, reason: 'p', placeholder: true },
      ],
      seconds: { deploy: 8.26, verify: 0.4, destroy: 1.21, total: 10.02 },
    }),
  ).toBe('PASS dev: deployed 37 resources, verified 45 properties, skipped 2 types — 10.0 s (deploy 8.3, verify 0.4, destroy 1.2)');
  expect(
    summaryLine({
      profile: 'prod',
      stackName: 'ScalingStack-prod',
      ok: false,
      deployedResources: 50,
      verified: 59,
      failedChecks: 2,
      skipped: [],
      seconds: { deploy: 1, verify: 1, destroy: 1, total: 3 },
    }),
  ).toMatch(/^FAIL prod: deployed 50 resources, verified 59 properties \(2 failed\), skipped 0 types/);
});

test('a deploy that fails prints the CloudFormation events that explain it, and the profile fails', async () => {
  // GIVEN the CLI fails and CloudFormation recorded why
  const cdk = fakeCdk({ code: 1, output: '❌  ScalingStack-dev failed to deploy' });
  cfn.on(DescribeStackEventsCommand).resolves({
    StackEvents: [
      {
        LogicalResourceId: 'ScalingStack-dev',
        ResourceType: 'AWS::CloudFormation::Stack',
        ResourceStatus: 'ROLLBACK_COMPLETE',
        StackId: 'x',
        StackName: 'S',
        EventId: '3',
        Timestamp: new Date(3),
      },
      {
        LogicalResourceId: 'NatInstance',
        ResourceType: 'AWS::EC2::Instance',
        ResourceStatus: 'CREATE_FAILED',
        ResourceStatusReason: 'MissingParameter: size/snapshot',
        StackId: 'x',
        StackName: 'S',
        EventId: '2',
        Timestamp: new Date(2),
      },
      {
        LogicalResourceId: 'ScalingStack-dev',
        ResourceType: 'AWS::CloudFormation::Stack',
        ResourceStatus: 'CREATE_IN_PROGRESS',
        ResourceStatusReason: 'User Initiated',
        StackId: 'x',
        StackName: 'S',
        EventId: '1',
        Timestamp: new Date(1),
      },
    ],
  });
  cfn.on(DescribeStacksCommand).rejects(notFound);
  const lines: string[] = [];
  // WHEN
  const result = await rehearse(session(cdk, lines), dev);
  // THEN
  expect(result.ok).toBe(false);
  expect(lines).toEqual([
    '\n=== dev: cdk deploy ScalingStack-dev',
    'FAIL: cdk deploy ScalingStack-dev exited with 1.',
    'CloudFormation events that explain it:',
    '  NatInstance (AWS::EC2::Instance) CREATE_FAILED: MissingParameter: size/snapshot',
    '  ScalingStack-dev (AWS::CloudFormation::Stack) ROLLBACK_COMPLETE',
  ]);
  expect(cdk.calls[0]).toEqual(
    expect.arrayContaining([
      'deploy',
      'ScalingStack-dev',
      '-c',
      'profile=dev',
      '-c',
      'account=123456789012',
      '-c',
      'region=us-east-1',
      '--require-approval',
      'never',
    ]),
  );
});

test('a deploy that fails before any stack exists prints what the CLI said', async () => {
  const cdk = fakeCdk({ code: 1, output: 'ScalingStack-dev: building...\nError: synth failed: cdk-nag found AwsSolutions-EC23' });
  cfn.on(DescribeStackEventsCommand).rejects(notFound);
  cfn.on(DescribeStacksCommand).rejects(notFound);
  const lines: string[] = [];
  await rehearse(session(cdk, lines), dev);
  expect(lines.slice(1)).toEqual([
    'FAIL: cdk deploy ScalingStack-dev exited with 1.',
    'The stack was never created; the CLI said:\n    ScalingStack-dev: building...\n    Error: synth failed: cdk-nag found AwsSolutions-EC23',
  ]);
});

test('--help prints the options and exits 0 before moto or the CLI is touched', async () => {
  // WHEN
  const lines: string[] = [];
  const code = await main(['--help'], (line) => lines.push(line));
  // THEN
  expect(code).toBe(0);
  expect(lines).toEqual([COMMAND.helpText]);
  expect(lines[0]).toMatch(
    /^Usage: npm run deploy:local -- \[--profile <name>\]\.\.\. \[--endpoint <url> \| --port <n>\] \[--fixture\] \[--verbose\]\n/,
  );
  expect(cfn.calls()).toHaveLength(0);
  expect(sts.calls()).toHaveLength(0);
});

describe('confirmMoto', () => {
  const clients = createClients('http://localhost:9');

  test('an endpoint that answers as another account is refused', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' });
    await expect(confirmMoto(clients, 'http://localhost:4566')).rejects.toThrow(
      "http://localhost:4566 answers for account 111122223333, not moto's 123456789012: refusing to deploy there",
    );
  });

  test('an endpoint where nothing answers says how to start moto', async () => {
    sts.on(GetCallerIdentityCommand).rejects(new Error('connect ECONNREFUSED 127.0.0.1:5055'));
    await expect(confirmMoto(clients, 'http://localhost:5055')).rejects.toThrow(
      'nothing answers as moto at http://localhost:5055 (connect ECONNREFUSED 127.0.0.1:5055); start one with `moto_server -H 127.0.0.1 -p PORT`, or leave out --endpoint',
    );
  });

  test('moto’s account is accepted', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    await expect(confirmMoto(clients, 'http://localhost:5055')).resolves.toBeUndefined();
  });
});
