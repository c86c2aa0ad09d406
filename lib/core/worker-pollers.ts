/**
 * Provisioned mode of an SQS event source (ProvisionedPollerConfig): dedicated event pollers, a
 * minimum always on and a maximum it scales to. Plain data and one pure check, shared by the
 * profile rules and QueueWorker.
 *
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
 * https://docs.aws.amazon.com/lambda/latest/api/API_ProvisionedPollerConfig.html
 */
import { Problems } from './errors';

/** Minimum and maximum event pollers of a provisioned SQS event source. */
export interface ProvisionedPollers {
  /** Pollers always running, and always billed (2-200 for SQS). */
  readonly minimumPollers: number;
  /** Pollers the event source may scale to (2-2,000 for SQS); each runs up to 10 invocations. */
  readonly maximumPollers: number;
}

/**
 * SQS limits: the API and CloudFormation take MinimumPollers 1-200 and MaximumPollers 1-2,000, and
 * for SQS "minimum 2 required" for both (API_ProvisionedPollerConfig; aws-cdk-lib 2.276 documents
 * the same ranges for SQS). Newer API pages mention up to 10,000 maximum pollers for SQS, but
 * CloudFormation's schema and aws-cdk-lib's own check stop at 2,000, so this does too.
 */
export const SQS_MINIMUM_POLLERS_RANGE = { min: 2, max: 200 } as const;
export const SQS_MAXIMUM_POLLERS_RANGE = { min: 2, max: 2000 } as const;

/**
 * Concurrent invocations one SQS event poller runs at most ("each event poller can handle up to 1
 * MB/s of throughput, up to 10 concurrent invokes, or up to 10 SQS polling API calls per second",
 * services-sqs-scaling.html). Provisioned mode and the event source's maximum concurrency are
 * mutually exclusive, so `maximumPollers` × 10 is the concurrency ceiling in provisioned mode.
 */
export const INVOCATIONS_PER_POLLER = 10;

/** The most concurrent invocations `pollers` can start. */
export function provisionedConcurrencyCeiling(pollers: ProvisionedPollers): number {
  return pollers.maximumPollers * INVOCATIONS_PER_POLLER;
}

/**
 * Every problem of a provisioned-pollers setting: each bound outside what SQS allows, the minimum
 * above the maximum, and a ceiling (maximumPollers × 10 invocations) above `maxConcurrency`, the
 * number the database's connection budget is sized for. `names` are the field names the messages use.
 */
export function provisionedPollersProblems(
  pollers: ProvisionedPollers,
  maxConcurrency: number | undefined,
  names: { readonly pollers: string; readonly maxConcurrency: string },
): string[] {
  const p = new Problems('');
  const min = `${names.pollers}.minimumPollers`;
  const max = `${names.pollers}.maximumPollers`;
  p.range(min, pollers.minimumPollers, SQS_MINIMUM_POLLERS_RANGE.min, SQS_MINIMUM_POLLERS_RANGE.max, {
    integer: true,
    fix: 'SQS event sources in provisioned mode keep 2 to 200 pollers running',
  });
  p.range(max, pollers.maximumPollers, SQS_MAXIMUM_POLLERS_RANGE.min, SQS_MAXIMUM_POLLERS_RANGE.max, {
    integer: true,
    fix: 'SQS event sources in provisioned mode scale to 2 to 2000 pollers',
  });
  if (Number.isFinite(pollers.minimumPollers) && Number.isFinite(pollers.maximumPollers)) {
    p.check(
      pollers.minimumPollers <= pollers.maximumPollers,
      `${min} (${pollers.minimumPollers}) must not exceed ${max} (${pollers.maximumPollers}); raise maximumPollers or lower minimumPollers`,
    );
    const ceiling = provisionedConcurrencyCeiling(pollers);
    if (maxConcurrency !== undefined && Number.isFinite(maxConcurrency)) {
      const fitting = Math.floor(maxConcurrency / INVOCATIONS_PER_POLLER);
      const fix =
        fitting >= SQS_MAXIMUM_POLLERS_RANGE.min
          ? `lower maximumPollers to ${fitting} or raise ${names.maxConcurrency} to ${ceiling}, or turn provisioned pollers off`
          : `raise ${names.maxConcurrency} to ${ceiling} (provisioned mode runs at least ${SQS_MAXIMUM_POLLERS_RANGE.min * INVOCATIONS_PER_POLLER}), or turn provisioned pollers off`;
      p.check(
        ceiling <= maxConcurrency,
        `${max} (${pollers.maximumPollers}) lets the event source run up to ${ceiling} concurrent invocations (${INVOCATIONS_PER_POLLER} per poller; provisioned mode ignores maximum concurrency), above ${names.maxConcurrency} (${maxConcurrency}), the ceiling the database connections are budgeted for; ${fix}`,
      );
    }
  }
  return [...p.all];
}
