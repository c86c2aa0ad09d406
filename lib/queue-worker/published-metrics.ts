import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { PUBLISHED_METRICS_METADATA, type PublishedMetrics } from '../core/metrics';

export { PUBLISHED_METRICS_METADATA, type MetricSeries, type PublishedMetrics } from '../core/metrics';

/**
 * Writes `published` into the function's Metadata, where `npm run cost` reads it: a function that
 * sets a Powertools metrics namespace without it is listed as unpriced, never counted as free.
 */
export function declarePublishedMetrics(fn: lambda.Function, published: PublishedMetrics): void {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  cfn.addMetadata(PUBLISHED_METRICS_METADATA, {
    ...(published.namespace === undefined ? {} : { Namespace: published.namespace }),
    Series: published.series.map((s) => ({ MetricName: s.metricName, Dimensions: { ...s.dimensions } })),
  });
}
