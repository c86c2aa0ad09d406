#!/usr/bin/env node
// The composition root: read context once, build one ScalingStack, register the policy checks.
import { App } from 'aws-cdk-lib';
import { ConfigurationError, parseAppConfig, ScalingStack } from '../lib';
import { addPolicyChecks } from './policy-checks';

// The built-in validator runs only when asked (-c validate=true): addPolicyChecks registers it.
const app = new App({ builtinCloudFormationValidation: false });
try {
  const config = parseAppConfig((key) => app.node.tryGetContext(key));
  new ScalingStack(app, `ScalingStack-${config.profile.name}`, {
    profile: config.profile,
    env: config.env,
    availabilityZones: config.availabilityZones,
    image: config.image,
    domainName: config.domainName,
    hostedZone: config.hostedZone,
    certificateArn: config.certificateArn,
    edgeWebAclArn: config.edgeWebAclArn,
    alarmEmails: config.alarmEmails,
  });
  addPolicyChecks(app, { cloudFormationValidation: config.cloudFormationValidation });
} catch (error) {
  // A configuration mistake is the user's to fix, not a crash: print the message alone.
  if (error instanceof ConfigurationError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
