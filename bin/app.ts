#!/usr/bin/env node
// The composition root: read context once, build one ScalingStack, register the policy checks.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigurationError, parseAppConfig, ScalingStack } from '../lib';

const app = new App();
try {
  const config = parseAppConfig((key) => app.node.tryGetContext(key), process.env);
  new ScalingStack(app, `ScalingStack-${config.profile.name}`, {
    profile: config.profile,
    env: config.env,
    availabilityZones: config.availabilityZones,
    image: config.image,
    domainName: config.domainName,
    hostedZone: config.hostedZone,
    certificateArn: config.certificateArn,
    alarmEmails: config.alarmEmails,
  });
} catch (error) {
  // A configuration mistake is the user's to fix, not a crash: print the message alone.
  if (error instanceof ConfigurationError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
// cdk-nag runs as a policy-validation plugin: any unacknowledged finding fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
