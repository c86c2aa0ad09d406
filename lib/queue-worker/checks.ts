import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, type Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  BATCH_SIZE_LIMITS,
  LAMBDA_MEMORY_RANGE,
  LAMBDA_TIMEOUT_RANGE,
  MAX_CONCURRENCY_RANGE,
  MAX_RECEIVE_COUNT_RANGE,
  VISIBILITY_TIMEOUT_FACTOR,
} from '../core/worker';
import { jobsBatchTimeBudgetProblem } from '../core/worker-timing';
import { provisionedPollersProblems, type ProvisionedPollers } from '../core/worker-pollers';
import { DEAD_LETTER_RETENTION, MAX_BATCHING_WINDOW, MAX_VISIBILITY_TIMEOUT } from '../private/worker-defaults';
import { Problems } from '../private/problems';
import { lambdaEntry } from './package-paths';
import type { QueueWorkerProps } from './props';

// QueueWorker's synth-time checks: every problem of one worker, with the limits AWS sets.

export interface ResolvedProps extends QueueWorkerProps {
  readonly provisionedPollers: ProvisionedPollers | 'off';
  readonly entry: string;
  readonly timeout: Duration;
  readonly memoryMiB: number;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly maxReceiveCount: number;
  readonly visibilityTimeout: Duration;
  readonly retentionPeriod: Duration;
  readonly depsLockFilePath?: string;
}

/** Every problem of one QueueWorker, thrown together. Unresolved tokens are not judged. */
export function validate(scope: Construct, props: ResolvedProps): void {
  const p = new Problems(scope.node.path);
  const seconds = (d: Duration | undefined) => (d === undefined || d.isUnresolved() ? undefined : d.toSeconds({ integral: false }));
  const timeout = seconds(props.timeout);
  const visibility = seconds(props.visibilityTimeout);
  const window = seconds(props.maxBatchingWindow);

  p.range('timeout', timeout, LAMBDA_TIMEOUT_RANGE.min, LAMBDA_TIMEOUT_RANGE.max, {
    integer: true,
    unit: 'seconds',
    fix: 'Lambda allows 1 second to 15 minutes',
  });
  p.range('memoryMiB', props.memoryMiB, LAMBDA_MEMORY_RANGE.min, LAMBDA_MEMORY_RANGE.max, { integer: true, unit: 'MiB' });
  if (timeout !== undefined && visibility !== undefined) {
    const minimum = timeout * VISIBILITY_TIMEOUT_FACTOR;
    p.check(
      visibility >= minimum,
      `visibilityTimeout (${visibility} seconds) must be at least ${VISIBILITY_TIMEOUT_FACTOR} × timeout (${timeout} seconds) = ${minimum} seconds, AWS's rule for SQS event sources (a shorter one redelivers batches that are still running); raise visibilityTimeout or leave it unset to get ${minimum} seconds`,
    );
  }
  p.range('visibilityTimeout', visibility, 0, MAX_VISIBILITY_TIMEOUT.toSeconds(), {
    unit: 'seconds',
    fix: 'SQS allows at most 12 hours; lower timeout',
  });
  p.range('maxReceiveCount', props.maxReceiveCount, MAX_RECEIVE_COUNT_RANGE.min, MAX_RECEIVE_COUNT_RANGE.max, {
    integer: true,
    fix: 'SQS redrive policies allow 1 to 1000 receives',
  });

  const batchLimit = window !== undefined && window > 0 ? BATCH_SIZE_LIMITS.withWindow : BATCH_SIZE_LIMITS.withoutWindow;
  const batchFix =
    window !== undefined && window > 0
      ? 'SQS event sources take up to 10000 records with a batching window'
      : 'SQS event sources take up to 10 records without a batching window; lower batchSize or set maxBatchingWindow';
  p.range('batchSize', props.batchSize, 1, batchLimit, { integer: true, fix: batchFix });
  p.range('maxBatchingWindow', window, 0, MAX_BATCHING_WINDOW.toSeconds(), { unit: 'seconds', fix: 'SQS event sources wait at most 5 minutes' });
  // The jobs worker shipped in this package has known waits (lib/core/worker-timing.ts): its batch
  // must finish inside the timeout when every record takes its longest. Another handler's waits
  // are its own, and not judged. Judged once the batch size and timeout are valid.
  if (
    isJobsWorker(props.entry) &&
    timeout !== undefined &&
    Number.isInteger(timeout) &&
    timeout >= LAMBDA_TIMEOUT_RANGE.min &&
    timeout <= LAMBDA_TIMEOUT_RANGE.max &&
    Number.isInteger(props.batchSize) &&
    props.batchSize >= 1 &&
    props.batchSize <= batchLimit
  ) {
    const late = jobsBatchTimeBudgetProblem(props.batchSize, timeout, { batchSize: 'batchSize', timeout: 'timeout' });
    if (late) p.add(late);
  }
  p.range('maxConcurrency', props.maxConcurrency, MAX_CONCURRENCY_RANGE.min, MAX_CONCURRENCY_RANGE.max, {
    integer: true,
    fix: 'SQS event sources allow 2 to 1000; to stop the worker, disable its event source instead',
  });
  if (props.provisionedPollers !== 'off') {
    const pollers = props.provisionedPollers;
    const known = !p.isUnresolved(pollers.minimumPollers) && !p.isUnresolved(pollers.maximumPollers) && !p.isUnresolved(props.maxConcurrency);
    if (known) {
      for (const problem of provisionedPollersProblems(pollers, props.maxConcurrency, {
        pollers: 'provisionedPollers',
        maxConcurrency: 'maxConcurrency',
      }))
        p.add(problem);
    }
  }

  const retention = seconds(props.retentionPeriod);
  p.range('retentionPeriod', retention, 60, DEAD_LETTER_RETENTION.toSeconds() - 1, {
    unit: 'seconds',
    fix: "it must be at least a minute and shorter than the dead-letter queue's 14 days, or dead-lettered messages would expire on arrival",
  });

  if (!fs.existsSync(props.entry)) {
    p.add(`entry ('${props.entry}') does not exist; pass the path of the handler file, e.g. path.join(__dirname, 'worker.ts')`);
  } else if (!props.depsLockFilePath) {
    p.add(
      `found no lock file (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock) in the directory of entry ('${props.entry}') or above; pass depsLockFilePath`,
    );
  } else if (props.depsLockFilePath && !fs.existsSync(props.depsLockFilePath)) {
    p.add(`depsLockFilePath ('${props.depsLockFilePath}') does not exist; pass the project's lock file or leave it unset to find the nearest one`);
  }
  if (Stack.of(scope).bundlingRequired && !props.bundling?.forceDockerBundling && !esbuildInstalled()) {
    p.add('esbuild is not installed: QueueWorker bundles with the local esbuild and never with Docker; run `npm install --save-dev esbuild`');
  }
  p.throwIfAny();
}

/** Whether `entry` is the jobs worker shipped in this package (`QueueWorker.jobsEntry()`). */
function isJobsWorker(entry: string): boolean {
  return path.resolve(entry) === path.resolve(lambdaEntry('jobs'));
}

/** Whether aws-cdk-lib's NodejsFunction will find a local esbuild (its own check, reproduced). */
function esbuildInstalled(): boolean {
  try {
    createRequire(require.resolve('aws-cdk-lib/aws-lambda-nodejs')).resolve('esbuild/package.json');
    return true;
  } catch {
    const probe = spawnSync('esbuild', ['--version']);
    return probe.status === 0 && !probe.error;
  }
}
