import { referencedIds, Resolver, Unresolvable, type CfnTemplate } from '../../../tools/deploy-local/template';

// GIVEN a template and what the deployed stack says about it
const template: CfnTemplate = {
  Parameters: { Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' } },
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    Vpc: { Type: 'AWS::EC2::VPC' },
    Secret: { Type: 'AWS::SecretsManager::Secret' },
  },
};
const resolver = new Resolver({
  template,
  physicalIds: new Map([
    ['Queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/q1'],
    ['Vpc', 'vpc-1'],
  ]),
  parameters: { Ami: 'ami-123' },
  stackName: 'S',
  account: '123456789012',
  region: 'us-east-1',
  zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  attribute: async (_id, type, physical, attribute) =>
    type === 'AWS::SQS::Queue' && attribute === 'Arn' ? `arn:aws:sqs:us-east-1:123456789012:${physical.split('/').pop()}` : undefined,
});

describe('Resolver', () => {
  test('Ref: resources to physical IDs, parameters to their resolved values, pseudo parameters', async () => {
    expect(await resolver.resolve({ Ref: 'Vpc' })).toBe('vpc-1');
    expect(await resolver.resolve({ Ref: 'Ami' })).toBe('ami-123');
    expect(await resolver.resolve({ Ref: 'AWS::Region' })).toBe('us-east-1');
    expect(await resolver.resolve({ Ref: 'AWS::AccountId' })).toBe('123456789012');
  });

  test('the functions CDK emits', async () => {
    expect(await resolver.resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:aws:sqs:us-east-1:123456789012:q1');
    expect(await resolver.resolve({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] })).toBe('us-east-1b');
    expect(await resolver.resolve({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] })).toBe('com.amazonaws.us-east-1.s3');
    expect(await resolver.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${Vpc}' })).toBe('arn:aws:x:us-east-1:vpc-1');
    expect(await resolver.resolve({ 'Fn::Split': [',', 'a,b'] })).toEqual(['a', 'b']);
    expect(await resolver.resolve({ deadLetterTargetArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, maxReceiveCount: 3 })).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:q1',
      maxReceiveCount: 3,
    });
  });

  test('what only AWS could resolve is Unresolvable, and tryResolve gives undefined', async () => {
    await expect(resolver.resolve({ Ref: 'Secret' })).rejects.toThrow(new Unresolvable('Secret has no physical ID'));
    await expect(resolver.resolve({ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] })).rejects.toThrow(
      'Vpc.CidrBlock (AWS::EC2::VPC) is not read by deploy-local',
    );
    await expect(resolver.resolve({ 'Fn::If': ['C', 1, 2] })).rejects.toThrow('Fn::If is not resolved offline');
    expect(await resolver.tryResolve({ Ref: 'Secret' })).toBeUndefined();
  });
});

test('referencedIds finds every Ref and GetAtt target', () => {
  expect(referencedIds({ a: [{ Ref: 'X' }, { 'Fn::GetAtt': ['Y', 'Arn'] }], b: { 'Fn::GetAtt': 'Z.Endpoint.Address' } })).toEqual(['X', 'Y', 'Z']);
});
