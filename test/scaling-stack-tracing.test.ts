import { Match, Template } from 'aws-cdk-lib/assertions';
import { profileFor, type ProfileName } from '../lib';
import { TRACE_COLLECTOR_IMAGE, XRAY_WRITE_ACTIONS } from '../lib/core/tracing';
import { SMOKE_TEST_ENVIRONMENT } from '../lib/core/web-delivery';
import { nagFindings, scalingStack } from './helpers/app';

// GIVEN one synthesis per profile: tracing is off in dev, on (sampled) in staging and prod.
const stacks = Object.fromEntries((['dev', 'staging', 'prod'] as const).map((name) => [name, scalingStack({ profile: name })]));
const templates = Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, Template.fromStack(stack)])) as Record<
  ProfileName,
  Template
>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized CloudFormation JSON, read path by path
type Resource = { Properties: Record<string, any> };
const resourcesOf = (t: Template, type: string) => Object.values(t.findResources(type) as Record<string, Resource>);
const containers = (t: Template) => resourcesOf(t, 'AWS::ECS::TaskDefinition')[0].Properties.ContainerDefinitions as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized CloudFormation JSON
const envOf = (container: Record<string, any>) =>
  Object.fromEntries((container.Environment as { Name: string; Value: unknown }[]).map((v) => [v.Name, v.Value]));

describe('tracing in dev (off)', () => {
  const t = templates.dev;

  test('no function is traced, and Powertools Tracer is told so', () => {
    for (const fn of resourcesOf(t, 'AWS::Lambda::Function').filter((f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)) {
      // Tracing.DISABLED leaves TracingConfig out: Lambda's default, PassThrough (no X-Ray daemon work of its own).
      expect(fn.Properties.TracingConfig).toBeUndefined();
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    }
  });

  test('the task runs the app alone, with no sampling rule', () => {
    expect(containers(t)).toHaveLength(1);
    expect(containers(t)[0].Cpu).toBeUndefined();
    t.resourceCountIs('AWS::XRay::SamplingRule', 0);
  });
});

describe.each(['staging', 'prod'] as ProfileName[])('tracing in %s (on)', (name) => {
  const t = templates[name];
  const profile = profileFor(name);
  const tracing = profile.observability.tracing;

  test('every function the stack creates with a worker runtime has active tracing and Tracer on', () => {
    const workers = resourcesOf(t, 'AWS::Lambda::Function').filter(
      (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME || f.Properties.Environment?.Variables?.[SMOKE_TEST_ENVIRONMENT.baseUrl],
    );
    // The jobs worker, the database insights worker, the right-sizing advisor, the database
    // bootstrap and the deployment smoke test.
    expect(workers.length).toBe(5);
    for (const fn of workers) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_TRACE_ENABLED: 'true', POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false' });
    }
  });

  test("the collector sidecar: pinned ADOT image, the profile's share of the task, essential, health-checked", () => {
    const [app, collector] = containers(t);
    expect(collector).toMatchObject({
      Name: 'TraceCollector',
      Image: TRACE_COLLECTOR_IMAGE,
      Essential: true,
      Cpu: tracing.collectorCpu,
      Memory: tracing.collectorMemoryMiB,
      ReadonlyRootFilesystem: true,
      HealthCheck: { Command: ['CMD', '/healthcheck'], Interval: 10, Timeout: 5, Retries: 3, StartPeriod: 10 },
    });
    expect(envOf(collector).AOT_CONFIG_CONTENT).toMatch(/awsxray/);
    // The app gets the rest of the task, and starts once the collector is healthy.
    expect(app.Cpu).toBe(profile.web.cpu - tracing.collectorCpu);
    expect(app.Memory).toBe(profile.web.memoryMiB - tracing.collectorMemoryMiB);
    expect(app.DependsOn).toEqual([{ ContainerName: 'TraceCollector', Condition: 'HEALTHY' }]);
  });

  test("the app container gets the OpenTelemetry SDK's variables, the X-Ray propagator first", () => {
    expect(envOf(containers(t)[0])).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_SERVICE_NAME: `scalingstack-${name}-web`,
      OTEL_PROPAGATORS: 'xray,tracecontext',
      OTEL_TRACES_SAMPLER: 'xray',
      OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://localhost:2000',
      OTEL_RESOURCE_ATTRIBUTES: `deployment.environment=${name}`,
    });
  });

  test('the task role may write traces and read sampling rules, on * (no resource-level permissions)', () => {
    const statements = resourcesOf(t, 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({ Action: [...XRAY_WRITE_ACTIONS].sort(), Effect: 'Allow', Resource: '*' });
  });

  test("one sampling rule for the service, at the profile's rate and reservoir", () => {
    t.resourceCountIs('AWS::XRay::SamplingRule', 1);
    t.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({
        FixedRate: tracing.samplingRate,
        ReservoirSize: tracing.reservoirPerSecond,
        ServiceName: `scalingstack-${name}-web`,
        Priority: 1000,
        Version: 1,
        RuleName: Match.stringLikeRegexp('^.{1,32}$'),
      }),
    });
  });

  test('the dashboard links to the trace map of the stack region', () => {
    const body = JSON.stringify(resourcesOf(t, 'AWS::CloudWatch::Dashboard')[0].Properties.DashboardBody);
    expect(body).toMatch(/#xray:service-map\/map/);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(nagFindings(stacks[name])).toEqual([]);
  });
});
