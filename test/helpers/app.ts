import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ScalingStack, type ScalingStackProps } from '../../lib';

/** The context `cdk synth` gets from cdk.json: tests use the same feature flags. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;

export interface TestAppOptions {
  /** Bundle Lambda code with esbuild. Off unless the test inspects bundles. */
  readonly bundling?: boolean;
  /** Run aws-cdk-lib's built-in CloudFormation validator on synth. Off unless the test asserts a clean stack. */
  readonly validation?: boolean;
  /** Register cdk-nag's AwsSolutionsChecks, as bin/app.ts does, so synth fails on a finding. */
  readonly nag?: boolean;
  readonly context?: Record<string, unknown>;
}

/** An App configured like `cdk synth`, minus the expensive parts a test does not need. */
export function testApp(options: TestAppOptions = {}): App {
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
    builtinCloudFormationValidation: options.validation ?? false,
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** A ScalingStack in a fresh test app. */
export function scalingStack(props: ScalingStackProps, options: TestAppOptions = {}): ScalingStack {
  const name = typeof props.profile === 'string' ? props.profile : props.profile.name;
  return new ScalingStack(testApp(options), `ScalingStack-${name}`, props);
}

/** A plain stack in a fresh test app, for constructs used on their own. */
export function userStack(options: TestAppOptions = {}): Stack {
  return new Stack(testApp(options), 'UserStack');
}

/** cdk-nag AwsSolutions findings for everything under `scope`, as "rule at path" lines. */
export function nagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(stack).validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.resourceLogicalId} (${r.constructPath ?? ''})`));
}
