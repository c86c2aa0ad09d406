// The policy checks every synth of the app runs, and the one it runs only when asked.
import { CloudFormationValidatePlugin, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Registers the app's synth-time gates. Either one failing fails `cdk synth`, `cdk diff` and
 * `cdk deploy` before anything reaches AWS.
 *
 * - cdk-nag's AwsSolutions pack, always: its findings (an open port, an unencrypted store, a
 *   wildcard grant) deploy without complaint, so nothing later would stop them. It costs about
 *   5 % of a profile's synth.
 * - aws-cdk-lib's built-in CloudFormation validator, only with `cloudFormationValidation`
 *   (`-c validate=true`; `npm run synth:all` sets it in CI, beside cfn-lint). Its errors are
 *   template mistakes (a misspelt property, a wrong type) that CloudFormation itself rejects at
 *   deploy: skipping it risks a failed, rolled-back deploy, never a weaker stack. It costs about
 *   40 % of a profile's synth, two thirds of that setting up its 9 MB WASM engine (a CPU profile
 *   of the prod synth).
 *
 * Create the app with `builtinCloudFormationValidation: false`: the plugin registered here is the
 * same validator, with the same rules and severities (cdk.json's validateAgainstDefaultRules).
 */
export function addPolicyChecks(app: App, options: { readonly cloudFormationValidation: boolean }): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  if (options.cloudFormationValidation) Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
}
