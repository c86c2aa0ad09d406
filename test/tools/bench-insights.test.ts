import { App, Stack } from 'aws-cdk-lib';
import { parseArgs, WORKERS } from '../../tools/bench-insights/bench-insights';
import { CDK_JSON_CONTEXT } from '../helpers/app';

describe('bench:insights', () => {
  test('parses options and rejects bad ones with the allowed values', () => {
    expect(parseArgs([])).toEqual({ runs: 15, json: false });
    expect(parseArgs(['--runs', '5', '--json'])).toEqual({ runs: 5, json: true });
    expect(() => parseArgs(['--runs', '200'])).toThrow("--runs needs a whole number from 3 to 100, got '200'");
    expect(() => parseArgs(['--keys', '5'])).toThrow("unknown option '--keys'; use --runs N, --json");
  });

  test('measures both workers through their constructs, with the metafile the breakdown reads', () => {
    // GIVEN an app that skips bundling, so only the construct's bundling options are checked
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    for (const [name, worker] of Object.entries(WORKERS)) {
      const built = worker.build(new Stack(app, `Bench-${name}`), { metafile: true, bundleAwsSDK: false });
      expect(built.function.runtime.name).toBe('nodejs24.x');
    }
    expect(Object.keys(WORKERS)).toEqual(['rightsizing', 'db-insights']);
  });
});
