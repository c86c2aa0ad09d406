import { Signer } from '@aws-sdk/rds-signer';
import { credentialsFromEnvironment, iamAuthToken } from '../../../lambda/shared/iam-token';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session/token+=' };

describe('iamAuthToken', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-26T12:34:56Z') }));
  afterEach(() => jest.useRealTimers());

  test('signs exactly the token @aws-sdk/rds-signer signs, for the same user, endpoint and second', async () => {
    const request = { hostname: 'db.proxy-abc.eu-west-1.rds.amazonaws.com', port: 5432, username: 'postgres', region: 'eu-west-1', credentials };
    const ours = await iamAuthToken(request);
    const sdk = await new Signer({ ...request, credentials }).getAuthToken();
    expect(ours).toBe(sdk);
    expect(ours).toContain('X-Amz-Expires=900');
    expect(ours).toContain('X-Amz-Date=20261126T123456Z');
  });

  test('a user name with characters to escape is encoded the same way', async () => {
    const request = { hostname: 'h.example', port: 6432, username: 'app user+1', region: 'us-east-1', credentials };
    expect(await iamAuthToken(request)).toBe(await new Signer({ ...request, credentials }).getAuthToken());
  });
});

describe('credentialsFromEnvironment', () => {
  test('reads the role credentials Lambda sets', () => {
    expect(credentialsFromEnvironment({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 'c' })).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
      sessionToken: 'c',
    });
  });

  test('without them, says why they are needed', () => {
    expect(() => credentialsFromEnvironment({})).toThrow(
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: IAM database authentication needs the role credentials Lambda provides',
    );
  });
});
