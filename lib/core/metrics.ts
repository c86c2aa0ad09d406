// The metric contracts: what a function's code publishes, as data the constructs declare and the
// cost tool prices. Pure types and names; both the workers and the constructs import them.

/**
 * One CloudWatch metric series: a metric name with one combination of dimension values. CloudWatch
 * bills each series a function publishes as a custom metric ($0.30 a month at the first tier),
 * prorated by the hours in which it receives data.
 */
export interface MetricSeries {
  readonly metricName: string;
  /** Dimension name to value; a value may be a token (an instance identifier). */
  readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * The custom metrics (EMF) a function's code publishes: every series it can publish, so
 * `npm run cost` can price them from the synthesized template. Build it from the constant the
 * code publishes from, never by hand.
 */
export interface PublishedMetrics {
  /** The CloudWatch namespace of the series; absent when there are none. */
  readonly namespace?: string;
  /** Every series the code can publish; empty when it publishes none. */
  readonly series: readonly MetricSeries[];
}

/** The CloudFormation Metadata key of a function that holds its `PublishedMetrics`. */
export const PUBLISHED_METRICS_METADATA = 'cdk-scaling-stack:PublishedMetrics';
