import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import type { CfnTemplate } from '../../../../tools/deploy-local/template';
import { outputVerifier } from '../../../../tools/deploy-local/verify/outputs';
import { failures, verifyContext } from '../helpers';

const elb = mockClient(ElasticLoadBalancingV2Client);

// GIVEN outputs that resolve offline (Ref, GetAtt read from the service) and one only AWS resolves
const template: CfnTemplate = {
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
    Secret: { Type: 'AWS::SecretsManager::Secret' },
  },
  Outputs: {
    QueueUrl: { Value: { Ref: 'Queue' } },
    Url: { Value: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': ['Lb', 'DNSName'] }]] } },
    SecretArn: { Value: { Ref: 'Secret' } },
  },
};
const physical = { Queue: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', Lb: 'arn:lb' };

test('each output is there with the value its expression resolves to; one only AWS resolves must not be empty', async () => {
  // GIVEN
  elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ DNSName: 'lb-1.us-east-1.elb.amazonaws.com' }] });
  const ctx = verifyContext(template, physical, {
    outputs: { QueueUrl: physical.Queue, Url: 'http://lb-1.us-east-1.elb.amazonaws.com', SecretArn: '' },
  });
  // WHEN
  await outputVerifier.verify(ctx);
  // THEN
  expect(failures(ctx)).toEqual(['SecretArn value: "" vs "a value" (template (its expression is resolved only by AWS))']);
  expect(ctx.checks.checks.filter((c) => c.ok).map((c) => c.subject.logicalId)).toEqual(['QueueUrl', 'Url']);
});

test('a missing output fails', async () => {
  elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ DNSName: 'lb-1.us-east-1.elb.amazonaws.com' }] });
  const ctx = verifyContext(template, physical, { outputs: { Url: 'http://lb-1.us-east-1.elb.amazonaws.com', SecretArn: 'arn:secret' } });
  await outputVerifier.verify(ctx);
  expect(failures(ctx)).toEqual([`QueueUrl value: undefined vs "${physical.Queue}" (template)`]);
});
