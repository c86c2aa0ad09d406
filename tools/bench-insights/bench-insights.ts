// `npm run bench:insights`: bundle size and cold start of the two insight workers (the
// right-sizing advisor and the database insights worker), measured as `npm run bench:worker`
// measures the jobs worker, with the shared harness (tools/bench/harness.ts):
//
//   1. Bundle size: from esbuild's metafile of the bundle each construct builds, by package.
//   2. Cold start: time to load the bundled handler in a fresh Node process, as deployed (with
//      NODE_OPTIONS=--enable-source-maps) and without it; what the lazily loaded AWS SDK client
//      costs at its first use (the Lambda runtime provides it); and what bundling the SDK would add.
//
// The machine may be shared: compare the ratios, and rerun when the spread (min-max) is wide.
//
//   npm run bench:insights -- [--runs N] [--json]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DatabaseInsights, RightsizingAdvisor } from '../../lib';
import { kb, machine, measureWorker, packageLines, range, type BenchBundling, type WorkerFigures } from '../bench/harness';

export interface Options {
  readonly runs: number;
  readonly json: boolean;
}

export function parseArgs(argv: string[]): Options {
  const options = { runs: 15, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--runs') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 3 || value > 100) throw new Error(`--runs needs a whole number from 3 to 100, got '${argv[i] ?? ''}'`);
      options.runs = value;
    } else throw new Error(`unknown option '${arg}'; use --runs N, --json`);
  }
  return options;
}

/** The workers, each with the construct that bundles it and the SDK client it loads on first use. */
export const WORKERS = {
  rightsizing: {
    sdkClient: '@aws-sdk/client-cloudwatch',
    build: (stack: Stack, bundling: BenchBundling) => new RightsizingAdvisor(stack, 'Worker', { bundling }),
  },
  'db-insights': {
    sdkClient: '@aws-sdk/client-secrets-manager',
    build: (stack: Stack, bundling: BenchBundling) => {
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-1'] });
      const instance = rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Db', {
        instanceIdentifier: 'db',
        instanceEndpointAddress: 'db.example',
        port: 5432,
        securityGroups: [],
      });
      return new DatabaseInsights(stack, 'Worker', { vpc, instance, bundling });
    },
  },
} as const;
export type WorkerName = keyof typeof WORKERS;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => !options.json && process.stderr.write(`${line}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-insights-'));
  try {
    const results: Record<string, WorkerFigures> = {};
    for (const [name, worker] of Object.entries(WORKERS)) {
      results[name] = measureWorker(worker.build, worker.sdkClient, { runs: options.runs, work, log, name });
    }
    const result = { machine: machine(), workers: results };
    if (options.json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(`\nmachine: ${result.machine.cpus} CPUs, Node ${result.machine.node}, load ${result.machine.load.toFixed(2)}`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`\n${name}`);
      console.log(
        `  cold start (ms, median (min-max)): as deployed (--enable-source-maps) ${range(r.coldStartMs.deployed)}; without ${range(r.coldStartMs.withoutSourceMaps)}; with the AWS SDK bundled ${range(r.coldStartMs.sdkBundled)}`,
      );
      console.log(`  first use of ${WORKERS[name as WorkerName].sdkClient} (runtime-provided in Lambda): ${range(r.coldStartMs.sdkFromRuntime)}`);
      console.log(
        `  bundle (esbuild metafile): ${kb(r.bundle.bytes)} minified, source map ${kb(r.bundle.sourceMapBytes)}; with the AWS SDK bundled: ${kb(r.bundle.withAwsSdkBundledBytes)}`,
      );
      for (const line of packageLines(r, 8, '    ')) console.log(line);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench:insights: ${(error as Error).message}`);
    process.exit(1);
  });
}
