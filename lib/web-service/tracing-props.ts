// WebServiceProps.tracing: the trace collector sidecar's settings (./trace-collector.ts).

/** How a WebService traces requests (`WebServiceProps.tracing`). */
export interface WebServiceTracing {
  /**
   * The service's name in X-Ray (`OTEL_SERVICE_NAME`, and the sampling rule's service).
   *
   * @default - '<stack name>-<construct id>', lower-case
   */
  readonly serviceName?: string;
  /**
   * Share of requests traced beyond the reservoir, in [0, 1].
   *
   * @default 0.05 - X-Ray's default rate
   */
  readonly samplingRate?: number;
  /**
   * Requests traced each second before `samplingRate` applies, shared by all tasks (0-1,000).
   *
   * @default 1 - X-Ray's default reservoir: a quiet service still shows a trace a second
   */
  readonly reservoirPerSecond?: number;
  /**
   * CPU units of each task reserved for the collector; the app container gets the rest. At most a
   * quarter of the task's `cpu`.
   *
   * @default 64 - 1/16 vCPU: forwarding a few hundred spans a second
   */
  readonly collectorCpu?: number;
  /**
   * Memory (MiB) of each task given to the collector as its hard limit; the app container gets
   * the rest. At most a quarter of the task's `memoryMiB`.
   *
   * @default 128 - the collector idles at ~40 MiB; the rest absorbs a burst before its memory limiter refuses spans
   */
  readonly collectorMemoryMiB?: number;
  /**
   * Extra OpenTelemetry resource attributes on every span (`OTEL_RESOURCE_ATTRIBUTES`).
   *
   * @default - none
   */
  readonly resourceAttributes?: Record<string, string>;
}
