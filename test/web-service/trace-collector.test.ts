import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DEFAULT_IMAGE, WebService, type WebServiceProps } from '../../lib';
import { TRACE_COLLECTOR_CONFIG, TRACE_COLLECTOR_IMAGE } from '../../lib/core/tracing';
import { nagFindings, userStack } from '../helpers/app';

const image = ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE);

/** A WebService alone in a user's stack and VPC. */
function alone(props: Partial<WebServiceProps> = {}) {
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const web = new WebService(stack, 'Web', { vpc, image, ...props });
  return { stack, web, template: Template.fromStack(stack) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized CloudFormation JSON
const containersOf = (t: Template): Record<string, any>[] =>
  Object.values(t.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized CloudFormation JSON
const envOf = (c: Record<string, any>) => Object.fromEntries((c.Environment as { Name: string; Value: string }[]).map((e) => [e.Name, e.Value]));

describe('WebService tracing', () => {
  test('off by default: one container with the whole task, no sampling rule, no X-Ray permission', () => {
    const { template } = alone();
    expect(containersOf(template)).toHaveLength(1);
    expect(containersOf(template)[0].Cpu).toBeUndefined();
    expect(envOf(containersOf(template)[0]).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    template.resourceCountIs('AWS::XRay::SamplingRule', 0);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/xray:/);
  });

  describe('on, with the defaults', () => {
    const { stack, web, template } = alone({ tracing: {} });

    test('the collector takes 64 units and 128 MiB of the 256 / 512 task; the app the rest, after the collector is healthy', () => {
      const [app, collector] = containersOf(template);
      expect(collector).toMatchObject({
        Name: 'TraceCollector',
        Image: TRACE_COLLECTOR_IMAGE,
        Essential: true,
        Cpu: 64,
        Memory: 128,
      });
      expect(collector.HealthCheck.Command).toEqual(['CMD', '/healthcheck']);
      expect(collector.LogConfiguration.Options['awslogs-stream-prefix']).toBe('otel');
      expect(envOf(collector)).toEqual({ AOT_CONFIG_CONTENT: TRACE_COLLECTOR_CONFIG });
      expect(app).toMatchObject({ Cpu: 192, Memory: 384, DependsOn: [{ ContainerName: 'TraceCollector', Condition: 'HEALTHY' }] });
      expect(web.traceCollector).toBeDefined();
    });

    test("the collector's config listens on localhost only and exports to X-Ray", () => {
      expect(TRACE_COLLECTOR_CONFIG).not.toMatch(/0\.0\.0\.0/);
      expect(TRACE_COLLECTOR_CONFIG).toMatch(/endpoint: 127\.0\.0\.1:4318/);
      expect(TRACE_COLLECTOR_CONFIG).toMatch(/exporters: \[awsxray\]/);
      expect(TRACE_COLLECTOR_CONFIG).toMatch(/extensions: \[health_check, awsproxy\]/);
    });

    test("the service is named after its stack and id, and X-Ray's default rate and reservoir apply", () => {
      expect(web.tracingServiceName).toBe('userstack-web');
      expect(envOf(containersOf(template)[0]).OTEL_SERVICE_NAME).toBe('userstack-web');
      template.hasResourceProperties('AWS::XRay::SamplingRule', {
        SamplingRule: Match.objectLike({ ServiceName: 'userstack-web', FixedRate: 0.05, ReservoirSize: 1, Priority: 1000 }),
      });
    });

    test('cdk-nag: only the acknowledged X-Ray wildcard', () => {
      // (the test's own VPC has no flow logs: not the WebService's finding)
      expect(nagFindings(stack).filter((f) => f.includes('UserStack/Web'))).toEqual([]);
    });
  });

  test("the caller's environment wins over the OpenTelemetry defaults", () => {
    const { template } = alone({ tracing: { serviceName: 'shop' }, environment: { OTEL_PROPAGATORS: 'tracecontext,xray' } });
    expect(envOf(containersOf(template)[0])).toMatchObject({ OTEL_PROPAGATORS: 'tracecontext,xray', OTEL_SERVICE_NAME: 'shop' });
  });

  test('bad tracing props are reported together, with the fix', () => {
    expect(() => alone({ tracing: { samplingRate: 2, collectorCpu: 128, collectorMemoryMiB: 256, serviceName: 'a'.repeat(65) } })).toThrow(
      [
        'UserStack/Web: 4 problems:',
        '  - tracing.samplingRate (2) must be between 0 and 1; it is the share of requests traced beyond the reservoir (0.05 = one in twenty)',
        "  - tracing.collectorCpu (128) must leave the app at least 75 % of the task's 256 CPU units, i.e. be at most 64; lower it or raise the task's cpu",
        "  - tracing.collectorMemoryMiB (256) must leave the app at least 75 % of the task's 512 MiB, i.e. be at most 128; lower it or raise the task's memoryMiB",
        `  - tracing.serviceName ('${'a'.repeat(65)}') must be 1-64 characters of letters, digits, spaces and _.:/%&#=+-@ (X-Ray's service names)`,
      ].join('\n'),
    );
  });
});
