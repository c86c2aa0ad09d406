import { dev, edgePropsFor, PROFILE_NAMES, profileFor } from '../../lib';

// edgePropsFor is the one road from a profile to Edge props: every value of the edge section is
// passed explicitly (but `enabled`, which ScalingStack reads), so no profile falls back on the
// construct's own defaults.
describe('edgePropsFor', () => {
  test.each(PROFILE_NAMES)('%s: the edge section and the log retention, nothing left to a default', (name) => {
    const profile = profileFor(name);
    const props = edgePropsFor(name);
    expect(props).toEqual({
      webAcl: profile.edge.webAcl,
      rateLimitPer5Minutes: profile.edge.rateLimitPer5Minutes,
      additionalMetrics: profile.edge.additionalMetrics,
      originShieldRegion: profile.edge.originShieldRegion === 'off' ? undefined : profile.edge.originShieldRegion,
      staticMaxTtl: expect.anything(),
      logRetentionDays: profile.observability.logRetentionDays,
    });
    expect(props.staticMaxTtl!.toSeconds()).toBe(profile.edge.staticMaxTtlSeconds);
  });

  test('dev keeps the web ACL and drops the additional metrics, for its budget', () => {
    expect(edgePropsFor('dev')).toMatchObject({ webAcl: true, additionalMetrics: false, originShieldRegion: undefined });
  });

  test('takes a profile value as well as a name; Origin Shield on names its region', () => {
    const custom = { ...dev, name: 'custom', edge: { ...dev.edge, originShieldRegion: 'eu-west-1', rateLimitPer5Minutes: 500 } };
    expect(edgePropsFor(custom)).toMatchObject({ originShieldRegion: 'eu-west-1', rateLimitPer5Minutes: 500 });
  });
});
