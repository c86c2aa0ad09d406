import { CfnParameter, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DEFAULT_IMAGE, WebService, type WebServiceProps } from '../../lib';
import { userStack } from '../helpers/app';
import { messageOf } from '../helpers/errors';

// Every validation error of WebService (lib/web-service/checks.ts and the shared sizing rules of
// lib/core/web-sizing.ts), each with its exact message.

const image = ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE);

describe('WebService validation', () => {
  // GIVEN one stack and VPC; each case builds (and fails) a construct of its own name.
  const stack = userStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-1',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetIds: ['subnet-p1', 'subnet-p2'],
    privateSubnetIds: ['subnet-a1', 'subnet-a2'],
  });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
  const certificate = acm.Certificate.fromCertificateArn(
    stack,
    'Cert',
    'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  );
  const build = (id: string, props: Partial<WebServiceProps>) => () => new WebService(stack, id, { vpc, image, ...props });

  test.each<[string, Partial<WebServiceProps>, string]>([
    [
      'Cpu',
      { cpu: 300 },
      'UserStack/Cpu: cpu (300) must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (vCPU units; 1024 = 1 vCPU), the Fargate task sizes',
    ],
    [
      'MemorySmall',
      { cpu: 256, memoryMiB: 4096 },
      'UserStack/MemorySmall: memoryMiB (4096) is not a Fargate size for cpu 256; with cpu 256 use 512, 1024, 2048 MiB',
    ],
    [
      'MemoryLarge',
      { cpu: 2048, memoryMiB: 3072 },
      'UserStack/MemoryLarge: memoryMiB (3072) is not a Fargate size for cpu 2048; with cpu 2048 use 4096 to 16384 in steps of 1024 MiB',
    ],
    ['Arch', { cpuArchitecture: 'X86' as 'X86_64' }, "UserStack/Arch: cpuArchitecture ('X86') must be one of 'X86_64', 'ARM64'"],
    [
      'ArmSpot',
      { cpuArchitecture: 'ARM64', spotWeight: 2 },
      "UserStack/ArmSpot: spotWeight (2) must be 0 when cpuArchitecture is 'ARM64': Fargate Spot runs only X86_64 tasks; set cpuArchitecture 'X86_64' or spotWeight 0",
    ],
    ['MinMax', { minTasks: 5, maxTasks: 2 }, 'UserStack/MinMax: minTasks (5) must not exceed maxTasks (2); raise maxTasks or lower minTasks'],
    [
      'NoWeight',
      { onDemandWeight: 0, spotWeight: 0 },
      'UserStack/NoWeight: onDemandWeight and spotWeight are both 0; give at least one capacity provider a weight above 0',
    ],
    ['Fraction', { maxTasks: 2.5 }, 'UserStack/Fraction: maxTasks (2.5) must be a whole number between 1 and 1000'],
    ['MinNegative', { minTasks: -1 }, 'UserStack/MinNegative: minTasks (-1) must be between 0 and 1000'],
    ['Base', { onDemandBaseTasks: 0.5 }, 'UserStack/Base: onDemandBaseTasks (0.5) must be a whole number between 0 and 100000'],
    ['OnDemandWeight', { onDemandWeight: 1.5 }, 'UserStack/OnDemandWeight: onDemandWeight (1.5) must be a whole number between 0 and 1000'],
    ['SpotWeight', { spotWeight: 2000 }, 'UserStack/SpotWeight: spotWeight (2000) must be between 0 and 1000'],
    // A negative weight is reported by its range alone, not also as "both are 0".
    ['NegativeWeight', { onDemandWeight: -1 }, 'UserStack/NegativeWeight: onDemandWeight (-1) must be between 0 and 1000'],
    [
      'ScheduleRange',
      { scaleSchedule: [{ name: 'Peak', schedule: 'rate(1 day)', minTasks: 0.5, maxTasks: 2000 }] },
      'UserStack/ScheduleRange: 2 problems:\n  - scaleSchedule[0].minTasks (0.5) must be a whole number between 0 and 1000\n  - scaleSchedule[0].maxTasks (2000) must be between 0 and 1000',
    ],
    ['CpuTarget', { cpuTargetPercent: 0 }, 'UserStack/CpuTarget: cpuTargetPercent (0) must be above 0 and at most 100 (a utilization percentage)'],
    [
      'MemoryTarget',
      { memoryTargetPercent: 120 },
      'UserStack/MemoryTarget: memoryTargetPercent (120) must be above 0 and at most 100 (a utilization percentage)',
    ],
    ['Requests', { requestsPerTarget: 0 }, 'UserStack/Requests: requestsPerTarget (0) must be between 1 and 1000000; requests per task per minute'],
    ['Healthy', { minHealthyPercent: 150 }, 'UserStack/Healthy: minHealthyPercent (150) must be between 0 and 100'],
    [
      'Predictive',
      { predictiveScaling: 'Always' as 'off' },
      "UserStack/Predictive: predictiveScaling ('Always') must be one of 'off', 'ForecastOnly', 'ForecastAndScale'",
    ],
    ['PortLow', { containerPort: 0 }, 'UserStack/PortLow: containerPort (0) must be between 1 and 65535'],
    ['PortHigh', { containerPort: 70000 }, 'UserStack/PortHigh: containerPort (70000) must be between 1 and 65535'],
    [
      'Path',
      { healthCheck: { path: 'health' } },
      "UserStack/Path: healthCheck.path ('health') must be a URL path: it starts with '/', is at most 1024 characters and has no spaces, such as '/health'",
    ],
    ['PathSpace', { healthCheck: { path: '/health check' } }, "UserStack/PathSpace: healthCheck.path ('/health check') must be a URL path"],
    [
      'Interval',
      { healthCheck: { interval: Duration.seconds(400) } },
      'UserStack/Interval: healthCheck.interval (400 s) must be between 5 and 300 s',
    ],
    ['Timeout', { healthCheck: { timeout: Duration.seconds(1) } }, 'UserStack/Timeout: healthCheck.timeout (1 s) must be between 2 and 120 s'],
    [
      'TimeoutLong',
      { healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } },
      'UserStack/TimeoutLong: healthCheck.timeout (10 s) must be shorter than healthCheck.interval (10 s); lower the timeout or raise the interval',
    ],
    ['Healthy1', { healthCheck: { healthyThresholdCount: 1 } }, 'UserStack/Healthy1: healthCheck.healthyThresholdCount (1) must be between 2 and 10'],
    [
      'Unhealthy11',
      { healthCheck: { unhealthyThresholdCount: 11 } },
      'UserStack/Unhealthy11: healthCheck.unhealthyThresholdCount (11) must be between 2 and 10',
    ],
    [
      'Codes',
      { healthCheck: { healthyHttpCodes: '2xx' } },
      "UserStack/Codes: healthCheck.healthyHttpCodes ('2xx') must be codes from 200 to 499, single or as ranges, comma-separated, such as '200' or '200-399'",
    ],
    ['Grace', { healthCheckGracePeriod: Duration.hours(2) }, 'UserStack/Grace: healthCheckGracePeriod (7200 s) must be between 0 and 3600 s'],
    ['Drain', { deregistrationDelay: Duration.seconds(4000) }, 'UserStack/Drain: deregistrationDelay (4000 s) must be between 0 and 3600 s'],
    [
      'SlowStart',
      { slowStart: Duration.seconds(10) },
      'UserStack/SlowStart: slowStart (10 s) must be between 30 and 900 s; or 0 to turn slow start off',
    ],
    ['Idle', { idleTimeout: Duration.seconds(5000) }, 'UserStack/Idle: idleTimeout (5000 s) must be between 1 and 4000 s'],
    ['Latency', { latencyScaleOutThreshold: Duration.millis(0) }, 'UserStack/Latency: latencyScaleOutThreshold (0 s) must be above 0'],
    [
      'Password',
      { environment: { DB_PASSWORD: 'hunter2' } },
      "UserStack/Password: environment variable 'DB_PASSWORD' looks like a credential; pass it in secrets (an ecs.Secret from Secrets Manager), where it is not readable in the task definition",
    ],
    ['ContractUser', { environment: { DB_USER: 'app' } }, "UserStack/ContractUser: environment variable 'DB_USER' looks like a credential"],
    ['ApiKey', { environment: { STRIPE_API_KEY: 'sk' } }, "UserStack/ApiKey: environment variable 'STRIPE_API_KEY' looks like a credential"],
    [
      'EnvName',
      { environment: { '1BAD': 'x' } },
      "UserStack/EnvName: environment variable name '1BAD' must be letters, digits and '_', not starting with a digit",
    ],
    ['Writable', { writablePaths: ['tmp'] }, "UserStack/Writable: writablePaths entry 'tmp' must be an absolute path below '/', such as '/tmp'"],
    ['WritableRoot', { writablePaths: ['/'] }, "UserStack/WritableRoot: writablePaths entry '/' must be an absolute path below '/', such as '/tmp'"],
    [
      'CertNoDomain',
      { certificate },
      "UserStack/CertNoDomain: certificate is given but domainName is not; set domainName to the name the certificate covers: clients must use it, since no certificate covers the load balancer's own DNS name",
    ],
    [
      'ZoneNoDomain',
      { hostedZone: zone },
      "UserStack/ZoneNoDomain: hostedZone is given but domainName is not; set domainName to the record to create in it, such as 'app.example.com'",
    ],
    [
      'DomainAlone',
      { domainName: 'app.example.com' },
      "UserStack/DomainAlone: domainName ('app.example.com') needs a hostedZone (to validate a new certificate and create the alias record) or a certificate; pass one, or leave domainName out to serve HTTP on the load balancer's DNS name",
    ],
    [
      'DomainBad',
      { domainName: 'App_Example', certificate },
      "UserStack/DomainBad: domainName ('App_Example') must be a lower-case DNS name such as 'app.example.com'",
    ],
    [
      'DomainOutside',
      { domainName: 'app.example.org', hostedZone: zone },
      "UserStack/DomainOutside: domainName ('app.example.org') is not in hostedZone 'example.com'; use a name under it, such as 'app.example.com'",
    ],
  ])('%s', (id, props, message) => {
    expect(build(id, props)).toThrow(message);
  });

  test('a secret also set as a plain value, and a bad secret name, are rejected', () => {
    const secret = ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'app'));
    expect(build('Both', { environment: { CACHE_HOST: 'x' }, secrets: { CACHE_HOST: secret, 'bad-name': secret } })).toThrow(
      "UserStack/Both: 2 problems:\n  - 'CACHE_HOST' is set in both environment and secrets; keep it in one of them\n  - secrets variable name 'bad-name' must be letters, digits and '_', not starting with a digit",
    );
  });

  test('schedules are checked entry by entry', () => {
    const run = build('Schedule', {
      scaleSchedule: [
        { name: 'Nights Off', schedule: 'cron(0 20 * * *)', timeZone: 'Mars/Olympus', minTasks: 3, maxTasks: 1 },
        { name: 'Nights Off', schedule: 'rate(1 day)', minTasks: 0, maxTasks: 0 },
      ],
    });
    const message = messageOf(run);
    expect(message).toMatch(/^UserStack\/Schedule: 6 problems:/);
    expect(message).toContain(`scaleSchedule[0].name ("Nights Off") must be 1-64 letters or digits, such as 'NightsOff'`);
    expect(message).toContain(
      `scaleSchedule[0].schedule ("cron(0 20 * * *)") must be 'cron(<6 fields>)', 'rate(<n> <unit>)' or 'at(yyyy-mm-ddThh:mm:ss)', such as 'cron(0 20 ? * MON-FRI *)'`,
    );
    expect(message).toContain(`scaleSchedule[0].timeZone ("Mars/Olympus") is not an IANA time zone such as 'Europe/Berlin'`);
    expect(message).toContain(
      'scaleSchedule[0].minTasks (3) must not exceed scaleSchedule[0].maxTasks (1); raise scaleSchedule[0].maxTasks or lower scaleSchedule[0].minTasks',
    );
    expect(message).toContain(`scaleSchedule[1].name ("Nights Off") is used twice; give each scheduled action its own name`);
  });

  test('every problem of one construct is reported at once, before anything is created', () => {
    const before = stack.node.findAll().length;
    expect(build('Many', { cpu: 512, memoryMiB: 512, minTasks: 3, maxTasks: 1, containerPort: 0 })).toThrow(
      /^UserStack\/Many: 3 problems:\n {2}- memoryMiB \(512\)/,
    );
    // Only the failed construct's own node was added; none of its resources.
    expect(stack.node.findAll().length).toBe(before + 1);
  });

  test('values that are tokens are not judged: they are known only at deploy time', () => {
    const other = userStack();
    const domainName = new CfnParameter(other, 'Domain').valueAsString;
    const path = new CfnParameter(other, 'HealthPath').valueAsString;
    expect(
      () =>
        new WebService(other, 'Tokens', {
          vpc: new ec2.Vpc(other, 'Vpc', { maxAzs: 2, natGateways: 1 }),
          image,
          domainName,
          hostedZone: route53.HostedZone.fromHostedZoneAttributes(other, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' }),
          healthCheck: { path },
        }),
    ).not.toThrow();
    Template.fromStack(other).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: { Ref: 'HealthPath' } });
  });
});
