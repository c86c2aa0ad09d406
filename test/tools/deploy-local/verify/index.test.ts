import { EC2Client, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyStack, type Verifier } from '../../../../tools/deploy-local/verify';
import { networkVerifier } from '../../../../tools/deploy-local/verify/network';
import { verifyContext } from '../helpers';

const ec2 = mockClient(EC2Client);

test('only verifiers whose types the template has run; outputs always', async () => {
  // GIVEN
  const ran: string[] = [];
  const spy = (name: string, types: string[]): Verifier => ({
    name,
    types,
    verify: async () => {
      ran.push(name);
    },
  });
  const ctx = verifyContext({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }, { Q: 'q' });
  // WHEN
  await verifyStack(ctx, [spy('sqs', ['AWS::SQS::Queue']), spy('rds', ['AWS::RDS::DBInstance']), spy('outputs', [])]);
  // THEN
  expect(ran).toEqual(['sqs', 'outputs']);
});

test('an API the emulator does not answer fails that resource, and the other verifiers still run', async () => {
  // GIVEN DescribeVpcs fails
  ec2.on(DescribeVpcsCommand).rejects(Object.assign(new Error('not implemented'), { name: 'NotImplemented' }));
  const ran: string[] = [];
  const ctx = verifyContext({ Resources: { Vpc: { Type: 'AWS::EC2::VPC' } } }, { Vpc: 'vpc-1' });
  // WHEN
  const checks = await verifyStack(ctx, [
    networkVerifier,
    {
      name: 'after',
      types: [],
      verify: async () => {
        ran.push('after');
      },
    },
  ]);
  // THEN
  expect(checks.failures.map((c) => [c.subject.logicalId, c.property, c.actual])).toEqual([
    ['Vpc', 'verification', 'NotImplemented: not implemented'],
  ]);
  expect(ran).toEqual(['after']);
});
