// The policy checks every synth of the app runs, and the one it runs only when asked.
import { CloudFormationValidatePlugin, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Registers the app's synth-time gates. Either one failing fails `cdk synth`, `cdk diff` and
 * `cdk deploy` before anything reaches AWS.
 *
 * - cdk-nag's AwsSolutions pack, always: its findings (an open port, an unencrypted store, a
 *   wildcard grant) deploy without complaint, so nothing later would stop them. It costs well
 *   under a second of a synth.
 * - aws-cdk-lib's built-in CloudFormation validator, only with `cloudFormationValidation`
 *   (`-c validate=true`; `npm run synth:all` sets it in CI, beside cfn-lint). It checks the template
 *   against CloudFormation's schemas and rules, which CloudFormation enforces again when it deploys,
 *   and its fixed cost (loading a 9 MB WASM engine) was about half of a profile's synth.
 *
 * Create the app with `builtinCloudFormationValidation: false`: the plugin registered here is the
 * same validator, with the same rules and severities (cdk.json's validateAgainstDefaultRules).
 */
export function addPolicyChecks(app: App, options: { readonly cloudFormationValidation: boolean }): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  if (options.cloudFormationValidation) Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
}
