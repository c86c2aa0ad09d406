import { Template } from 'aws-cdk-lib/assertions';
import { PROFILE_NAMES, profiles } from '../../../lib';
import { estimate } from '../../../tools/cost/estimate';
import type { CfnTemplate } from '../../../tools/cost/template';
import { UsageAssumptions } from '../../../tools/cost/usage';
import { scalingStack } from '../../helpers/app';
import { prices } from './fixture';

// The real stack, as CDK synthesizes it today: every resource must be priced or known to be free,
// and each profile's baseline must fit its budget. This is `npm run cost -- --check` without synth:all.
describe.each(PROFILE_NAMES)('ScalingStack %s priced from its synthesized template', (name) => {
  // GIVEN the profile's stack, WHEN priced at the shipped usage assumptions
  const template = Template.fromStack(scalingStack({ profile: name })).toJSON();
  const result = estimate(name, [{ name: `ScalingStack-${name}`, file: '(synth)', template: template as CfnTemplate }], prices, UsageAssumptions.load().forProfile(name));

  test('has no unpriced resource', () => {
    expect(result.unpriced).toEqual([]);
  });

  test('fits its budget at baseline, and peak is at least baseline', () => {
    expect(result.baseline).toBeLessThanOrEqual(profiles[name].cost.monthlyBudgetUsd);
    expect(result.peak).toBeGreaterThanOrEqual(result.baseline);
  });

  test('its budget is deployed at the same figure', () => {
    expect(result.templateBudgetUsd).toBe(profiles[name].cost.monthlyBudgetUsd);
  });
});
