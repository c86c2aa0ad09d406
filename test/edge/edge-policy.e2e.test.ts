import { Validations } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Edge } from '../../lib';
import { stackWithAlb } from './helpers';

/** The fixture's own VPC and ALB made clean, so that only the Edge is judged. */
function cleanFixture(region: string | undefined, validation: boolean) {
  const fixture = stackWithAlb(region, { nag: true, validation });
  fixture.vpc.addFlowLog('FlowLogs');
  Validations.of(fixture.loadBalancer).acknowledge({
    id: 'AwsSolutions-ELB2',
    reason: "Test fixture: ALB access logs are WebService's concern, not under test here.",
  });
  fixture.loadBalancer.addListener('Http', { port: 80, open: false, defaultTargetGroups: [fixture.targetGroup] });
  return fixture;
}

// The synth `cdk synth` runs: cdk-nag registered and the built-in CloudFormation validator on; an
// open cdk-nag finding or a validator error makes synth throw, naming it. cfn-lint is not run here
// (it takes 5-20 s to start on these machines): `npm run synth:all` and `cfn-lint
// cdk.out/*.template.json` cover it once ScalingStack includes an Edge.
describe('policy gates on a small app with an Edge in front of an internal ALB', () => {
  test('us-east-1, with a domain and Origin Shield: no cdk-nag finding, no validator error', () => {
    // GIVEN
    const { app, stack, loadBalancer } = cleanFixture('us-east-1', true);
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    // WHEN
    new Edge(stack, 'Edge', { loadBalancer, domainName: 'app.example.com', hostedZone, originShieldRegion: 'us-east-1' });
    // THEN
    const assembly = app.synth({ force: true });
    expect(Object.keys(assembly.getStackByName('UserStack').template.Resources)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^EdgeDistribution/)]),
    );
  });

  test('an environment-agnostic stack without a domain: no cdk-nag finding (CFR4 acknowledged: the *.cloudfront.net certificate)', () => {
    // GIVEN
    const { app, stack, loadBalancer } = cleanFixture(undefined, false);
    // WHEN
    new Edge(stack, 'Edge', { loadBalancer });
    // THEN
    expect(() => app.synth({ force: true })).not.toThrow();
  });
});
