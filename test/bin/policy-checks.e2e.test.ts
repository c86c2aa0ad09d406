import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { addPolicyChecks } from '../../bin/policy-checks';
import { CDK_JSON_CONTEXT } from '../helpers/app';
import { messageOf } from '../helpers/errors';

/** An app as bin/app.ts makes it (validator off unless registered), with one stack to fill. */
function app(): { app: App; stack: Stack } {
  const a = new App({ context: CDK_JSON_CONTEXT, builtinCloudFormationValidation: false });
  return { app: a, stack: new Stack(a, 'Checked') };
}

/** A template error only a CloudFormation validator sees (cdk-nag has no rule for log groups): a misspelt property. */
function misspeltProperty(stack: Stack): void {
  new CfnResource(stack, 'Logs', { type: 'AWS::Logs::LogGroup', properties: { RetentionDays: 7 } });
}

describe('addPolicyChecks', () => {
  test('cdk-nag runs on every synth: a finding fails it', () => {
    // GIVEN a queue with no dead-letter queue and no TLS-only policy, checks as a user's synth has them
    const { app: a, stack } = app();
    new sqs.Queue(stack, 'Queue');
    addPolicyChecks(a, { cloudFormationValidation: false });
    // WHEN / THEN
    const message = messageOf(() => a.synth());
    expect(message).toContain('ERROR The SQS queue does not require requests to use SSL. (AwsSolutions)');
    expect(message).toContain("Acknowledge with 'AwsSolutions::AwsSolutions-SQS4'");
  });

  test('without cloudFormationValidation the built-in validator does not run', () => {
    const { app: a, stack } = app();
    misspeltProperty(stack);
    addPolicyChecks(a, { cloudFormationValidation: false });
    expect(() => a.synth()).not.toThrow();
  });

  test('with cloudFormationValidation a template error fails synth', () => {
    const { app: a, stack } = app();
    misspeltProperty(stack);
    addPolicyChecks(a, { cloudFormationValidation: true });
    const message = messageOf(() => a.synth());
    expect(message).toContain(
      "ERROR RetentionDays: Additional properties are not allowed ('RetentionDays' was unexpected. Did you mean 'RetentionInDays'?) (CloudFormation Validate)",
    );
  });
});
