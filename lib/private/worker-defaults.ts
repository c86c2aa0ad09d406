import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as core from '../core/worker';

// The workers' defaults in CDK types, shared by QueueWorker and the scheduled insight workers. The
// numbers and their reasons are in lib/core/worker.ts.

export const DEAD_LETTER_RETENTION = Duration.days(core.DEAD_LETTER_RETENTION_DAYS);
export const DEFAULT_QUEUE_RETENTION = Duration.days(core.DEFAULT_QUEUE_RETENTION_DAYS);
export const MAX_BATCHING_WINDOW = Duration.seconds(core.MAX_BATCHING_WINDOW_SECONDS);
export const MAX_VISIBILITY_TIMEOUT = Duration.seconds(core.MAX_VISIBILITY_TIMEOUT_SECONDS);

/** The newest Node.js runtime: the longest support window and the fastest startup. */
export const WORKER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Graviton: 20 % cheaper per GB-second than x86 ($0.0000133334 vs $0.0000166667, us-east-1). */
export const WORKER_ARCHITECTURE = lambda.Architecture.ARM_64;

/**
 * Bundling options for every worker: the local esbuild (never Docker), minified, with linked
 * source maps without embedded sources (stack traces map to file and line; the map stays small).
 */
export function workerBundling(bundleAwsSdk: boolean): nodejs.BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    // DEFAULT (linked) writes the `//# sourceMappingURL` comment Node needs to find the map; EXTERNAL does not.
    sourceMapMode: nodejs.SourceMapMode.DEFAULT,
    sourcesContent: false,
    target: 'node24',
    format: nodejs.OutputFormat.CJS,
    forceDockerBundling: false,
    bundleAwsSDK: bundleAwsSdk,
    externalModules: bundleAwsSdk ? core.WORKER_EXTERNAL_MODULES.filter((m) => m !== '@aws-sdk/*') : [...core.WORKER_EXTERNAL_MODULES],
  };
}
