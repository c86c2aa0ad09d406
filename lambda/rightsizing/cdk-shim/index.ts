// What the right-sizing worker's bundle gets instead of aws-cdk-lib (esbuild `--alias`, see
// lib/insights/rightsizing-advisor.ts). The advisor runs the profile's own safety rules
// (lib/profiles/validate-profile.ts and the connection budget); those modules use aws-cdk-lib only
// for `Token.isUnresolved` and for constants read at load. Bundling aws-cdk-lib for that would add
// ~40 MB. test/lambda/rightsizing/bundle.test.ts bundles the worker with this shim and checks that
// the rules reject in the bundle what they reject at synth.

/** At run time nothing is a token: every profile value is a literal. */
export const Token = {
  isUnresolved: (_value: unknown): boolean => false,
};

/** Durations the defaults modules build at load; the rules never read them. */
export class Duration {
  private constructor(private readonly ms: number) {}
  static millis(amount: number): Duration { return new Duration(amount); }
  static seconds(amount: number): Duration { return new Duration(amount * 1000); }
  static minutes(amount: number): Duration { return new Duration(amount * 60_000); }
  static hours(amount: number): Duration { return new Duration(amount * 3_600_000); }
  static days(amount: number): Duration { return new Duration(amount * 86_400_000); }
  toMilliseconds(): number { return this.ms; }
  toSeconds(): number { return this.ms / 1000; }
}
