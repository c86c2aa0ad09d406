// Tracing across the stack (issue 18): the web tier's OpenTelemetry collector sidecar, active
// tracing on the Lambda workers, X-Ray sampling rules. Plain data with the unit in each name and
// the reason beside it; lib/web-service/trace-collector.ts and lib/private/lambda-tracing.ts turn
// them into CDK types, lambda/shared/tracer.ts reads the same names at run time.
import type { Problems } from './errors';

/**
 * The AWS Distro for OpenTelemetry collector, pinned: a new collector release changes what runs in
 * every task, so it arrives by a reviewed edit here, never by a moving `latest` tag. v0.47.0 is the
 * release AWS's own EKS Anywhere build tooling packages (aws/eks-anywhere-build-tooling,
 * projects/aws-observability/aws-otel-collector/README.md); releases:
 * https://github.com/aws-observability/aws-otel-collector/releases. ECR Public: no anonymous
 * pull-rate limit on a scale-out.
 */
export const TRACE_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0';

/**
 * Where the app's OpenTelemetry SDK sends spans: the collector's OTLP/HTTP receiver in the same
 * task (Fargate tasks share one network namespace, so `localhost` is the sidecar).
 */
export const OTLP_HTTP_PORT = 4318;
/** The collector's OTLP/gRPC receiver, for SDKs configured for gRPC. */
export const OTLP_GRPC_PORT = 4317;
/**
 * The collector's `awsproxy` extension: the X-Ray remote sampler of the app's SDK asks it for the
 * sampling rules (GetSamplingRules, GetSamplingTargets), which it signs with the task role. This is
 * how the sampling rules below reach the app without AWS credentials in the SDK's sampler.
 */
export const XRAY_PROXY_PORT = 2000;
/** The collector's `health_check` extension, which the image's `/healthcheck` binary probes. */
export const COLLECTOR_HEALTH_PORT = 13133;

/**
 * The collector's configuration, passed in `AOT_CONFIG_CONTENT` (the ADOT image reads its config
 * from that variable when set). The image's bundled `/etc/ecs/ecs-xray.yaml` is OTLP in -> X-Ray
 * out too (aws-observability/aws-otel-collector, config/ecs/ecs-xray.yaml), but listens on
 * 0.0.0.0 and has no `awsproxy`, so the sampling rules would never reach the app. This one:
 * - listens on 127.0.0.1 only: nothing outside the task can send spans or use the signing proxy;
 * - `memory_limiter` keeps the collector inside its container limit under a burst of spans
 *   (it refuses data at 80 % and sheds at the spike limit, instead of being OOM-killed);
 * - `resourcedetection` (env, ecs) adds the task's ARN, cluster and launch type to every segment;
 * - `batch` sends a batch each second or 50 spans (the bundled config's values);
 * - `awsxray` exports with `indexed_attributes` so the ALB trace ID is searchable.
 */
export const TRACE_COLLECTOR_CONFIG = [
  'extensions:',
  '  health_check:',
  `    endpoint: 127.0.0.1:${COLLECTOR_HEALTH_PORT}`,
  '  awsproxy:',
  `    endpoint: 127.0.0.1:${XRAY_PROXY_PORT}`,
  'receivers:',
  '  otlp:',
  '    protocols:',
  '      grpc:',
  `        endpoint: 127.0.0.1:${OTLP_GRPC_PORT}`,
  '      http:',
  `        endpoint: 127.0.0.1:${OTLP_HTTP_PORT}`,
  'processors:',
  '  memory_limiter:',
  '    check_interval: 1s',
  '    limit_percentage: 80',
  '    spike_limit_percentage: 25',
  '  resourcedetection:',
  '    detectors: [env, ecs]',
  '  batch/traces:',
  '    timeout: 1s',
  '    send_batch_size: 50',
  'exporters:',
  '  awsxray:',
  '    indexed_attributes: [http.request.header.x_amzn_trace_id]',
  'service:',
  '  extensions: [health_check, awsproxy]',
  '  pipelines:',
  '    traces:',
  '      receivers: [otlp]',
  '      processors: [memory_limiter, resourcedetection, batch/traces]',
  '      exporters: [awsxray]',
  '',
].join('\n');

/**
 * The collector's container health check: the image ships `/healthcheck`, which probes the
 * `health_check` extension (the ADOT ECS guide's task definitions use exactly this command).
 * A collector that stops answering for 3 x 10 s is unhealthy; being essential, its task is replaced.
 */
export const COLLECTOR_HEALTH_CHECK = {
  // CMD, not CMD-SHELL: the image has no shell, only the collector and its /healthcheck binary.
  command: ['CMD', '/healthcheck'],
  intervalSeconds: 10,
  timeoutSeconds: 5,
  retries: 3,
  // The collector starts in about a second; 10 s of grace covers a slow pull-and-start.
  startPeriodSeconds: 10,
} as const;

/**
 * The X-Ray actions a trace sender needs, and only those (what the AWSXRayDaemonWriteAccess managed
 * policy grants). X-Ray supports no resource-level permissions for them, so the resource is `*`:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html (the
 * "Resource types" column is empty for each of these actions).
 */
export const XRAY_WRITE_ACTIONS: readonly string[] = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
];

/**
 * The variables the app's OpenTelemetry SDK reads (the OpenTelemetry specification's SDK
 * environment variables), set on the app container when tracing is on. Part of the app contract
 * (lib/core/app-contract.ts points here).
 */
export const OTEL_ENVIRONMENT = {
  /** `http://localhost:4318`: the collector sidecar's OTLP/HTTP receiver. */
  endpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  /** `http/protobuf`: the protocol of that endpoint. */
  protocol: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  /** The service's name on the X-Ray trace map (and the sampling rule's ServiceName). */
  serviceName: 'OTEL_SERVICE_NAME',
  /**
   * `xray,tracecontext`: read and write the `X-Amzn-Trace-Id` header (the ALB's, SQS's
   * AWSTraceHeader) first, W3C `traceparent` second. Needs the AWS X-Ray propagator package.
   */
  propagators: 'OTEL_PROPAGATORS',
  /** Extra resource attributes, `key=value,...`: the stack's profile as `deployment.environment`. */
  resourceAttributes: 'OTEL_RESOURCE_ATTRIBUTES',
  /**
   * `xray`: the X-Ray remote sampler of the AWS Distro for OpenTelemetry SDKs, which reads the
   * stack's sampling rule through the collector's awsproxy at OTEL_TRACES_SAMPLER_ARG's endpoint
   * (a plain OpenTelemetry SDK warns about a sampler it does not know and falls back to its default,
   * parent-based always-on: every request traced).
   */
  sampler: 'OTEL_TRACES_SAMPLER',
  /** `endpoint=http://localhost:2000`: where the remote sampler asks for rules. */
  samplerArg: 'OTEL_TRACES_SAMPLER_ARG',
} as const;

/**
 * Powertools Tracer's switch in the Lambda workers: `false` makes the Tracer a no-op (no segment
 * work, no AWS SDK capture), so a function without active tracing pays nothing for it.
 */
export const POWERTOOLS_TRACE_ENABLED = 'POWERTOOLS_TRACE_ENABLED';

/** The tracing section of a profile (and the flat settings constructs take). */
export interface TracingSettings {
  /** Trace the web tier (collector sidecar) and every Lambda function, with sampling rules. */
  readonly enabled: boolean;
  /**
   * Share of requests traced beyond the reservoir, in [0, 1] (the sampling rule's FixedRate).
   * 0.05 traces one request in twenty.
   */
  readonly samplingRate: number;
  /**
   * Requests traced each second before `samplingRate` applies (the rule's ReservoirSize),
   * whatever the traffic: a quiet service still shows a trace a second. X-Ray shares it among the
   * service's tasks. A whole number, 0 to 1,000.
   */
  readonly reservoirPerSecond: number;
  /** CPU units (1024 = 1 vCPU) of each web task reserved for the collector sidecar; the app gets the rest. */
  readonly collectorCpu: number;
  /** Memory (MiB) of each web task given to the collector sidecar as its hard limit; the app gets the rest. */
  readonly collectorMemoryMiB: number;
}

/**
 * The least CPU and memory the app container keeps after the collector's share: a task whose app
 * would get less than a quarter of its CPU or memory is a collector with an app attached.
 */
export const MIN_APP_SHARE_PERCENT = 75;
/** The ADOT collector idles at ~40 MiB; below 64 MiB its memory_limiter leaves no room to batch. */
export const MIN_COLLECTOR_MEMORY_MIB = 64;
/** A collector forwarding spans needs little CPU; below 32 units (1/32 vCPU) it falls behind a burst. */
export const MIN_COLLECTOR_CPU = 32;
/** X-Ray's ReservoirSize has no documented ceiling; 1,000 a second is far past any sane budget. */
export const MAX_RESERVOIR_PER_SECOND = 1000;

/** The most of `taskAmount` (CPU units or MiB) a collector may take, leaving the app MIN_APP_SHARE_PERCENT. */
function collectorLimit(taskAmount: number): number {
  return Math.floor((taskAmount * (100 - MIN_APP_SHARE_PERCENT)) / 100);
}

/**
 * Whether a task of this size holds the collector of `tracing` (always, when tracing is off):
 * the right-sizing advisor never proposes a task the collector would crowd.
 */
export function taskHoldsCollector(tracing: TracingSettings | undefined, task: { cpu: number; memoryMiB: number }): boolean {
  if (!tracing?.enabled) return true;
  return tracing.collectorCpu <= collectorLimit(task.cpu) && tracing.collectorMemoryMiB <= collectorLimit(task.memoryMiB);
}

/**
 * Every problem of a tracing section, each naming `<prefix><field>`, given the task size it is
 * carved from. The ranges are checked whether or not tracing is on; the collector's share of the
 * task only when it is on.
 */
export function checkTracingSettings(p: Problems, t: TracingSettings, prefix: string, task?: { cpu: number; memoryMiB: number }): void {
  p.range(`${prefix}samplingRate`, t.samplingRate, 0, 1, {
    fix: 'it is the share of requests traced beyond the reservoir (0.05 = one in twenty)',
  });
  p.range(`${prefix}reservoirPerSecond`, t.reservoirPerSecond, 0, MAX_RESERVOIR_PER_SECOND, {
    integer: true,
    fix: 'traces recorded each second before samplingRate applies',
  });
  p.range(`${prefix}collectorCpu`, t.collectorCpu, MIN_COLLECTOR_CPU, 16384, { integer: true, unit: 'CPU units' });
  p.range(`${prefix}collectorMemoryMiB`, t.collectorMemoryMiB, MIN_COLLECTOR_MEMORY_MIB, 122880, { integer: true, unit: 'MiB' });
  // The share is judged only when the collector runs: a profile with tracing off may keep the
  // values it would use on a larger task.
  if (!task || !t.enabled) return;
  const maxCpu = collectorLimit(task.cpu);
  const maxMemory = collectorLimit(task.memoryMiB);
  p.check(
    !(Number.isFinite(t.collectorCpu) && t.collectorCpu > maxCpu),
    `${prefix}collectorCpu (${t.collectorCpu}) must leave the app at least ${MIN_APP_SHARE_PERCENT} % of the task's ${task.cpu} CPU units, i.e. be at most ${maxCpu}; lower it or raise the task's cpu`,
  );
  p.check(
    !(Number.isFinite(t.collectorMemoryMiB) && t.collectorMemoryMiB > maxMemory),
    `${prefix}collectorMemoryMiB (${t.collectorMemoryMiB}) must leave the app at least ${MIN_APP_SHARE_PERCENT} % of the task's ${task.memoryMiB} MiB, i.e. be at most ${maxMemory}; lower it or raise the task's memoryMiB`,
  );
}

/** The X-Ray console's trace map (service map) for a region. */
export function traceMapUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#xray:service-map/map`;
}

/** The X-Ray console's trace search (CloudWatch "Traces") for a region. */
export function tracesUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#xray:traces/query`;
}
