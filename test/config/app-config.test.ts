import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAppConfig, prod } from '../../lib';
import { imageReferenceProblem } from '../../lib/config/app-config';
import { messageOf } from '../helpers/errors';

const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];

describe('parseAppConfig', () => {
  test('defaults to the dev profile, environment-agnostic, without the built-in validator', () => {
    const config = parseAppConfig(contextOf({}));
    expect(config.profile.name).toBe('dev');
    expect(config.env).toEqual({ account: undefined, region: undefined });
    expect(config.cloudFormationValidation).toBe(false);
    expect(config.image).toBeUndefined();
    expect(config.availabilityZones).toBeUndefined();
  });

  test('reads profile, account, region, image and zones from context', () => {
    const config = parseAppConfig(
      contextOf({
        profile: 'prod',
        account: '123456789012',
        region: 'eu-west-1',
        image: 'public.ecr.aws/nginx/nginx:stable',
        availabilityZones: 'eu-west-1a, eu-west-1b,eu-west-1c',
      }),
    );
    expect(config.profile).toBe(prod);
    expect(config.env).toEqual({ account: '123456789012', region: 'eu-west-1' });
    expect(config.image).toBe('public.ecr.aws/nginx/nginx:stable');
    expect(config.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  test('-c account alone pins the account and leaves the region to deploy time', () => {
    expect(parseAppConfig(contextOf({ account: '123456789012' })).env).toEqual({ account: '123456789012', region: undefined });
  });

  test('-c region alone pins the region and leaves the account to deploy time', () => {
    expect(parseAppConfig(contextOf({ region: 'eu-west-1' })).env).toEqual({ account: undefined, region: 'eu-west-1' });
  });

  test("the CDK CLI's CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION pin nothing", () => {
    // GIVEN the variables the CLI sets from the caller's AWS configuration (us-east-1 when there is none)
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    process.env.CDK_DEFAULT_ACCOUNT = '111111111111';
    process.env.CDK_DEFAULT_REGION = 'us-east-1';
    try {
      // WHEN / THEN the stack stays environment-agnostic: the template is the same on every machine
      expect(parseAppConfig(contextOf({})).env).toEqual({ account: undefined, region: undefined });
    } finally {
      for (const [key, value] of [
        ['CDK_DEFAULT_ACCOUNT', saved.account],
        ['CDK_DEFAULT_REGION', saved.region],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  test.each<[unknown, boolean]>([
    ['true', true],
    ['TRUE', true],
    [' true ', true],
    [true, true],
    ['false', false],
    [false, false],
    ['', false],
  ])('-c validate=%p sets cloudFormationValidation to %s', (value, expected) => {
    expect(parseAppConfig(contextOf({ validate: value })).cloudFormationValidation).toBe(expected);
  });

  test.each<[unknown, string]>([
    [
      'yes',
      "cdk context: -c validate='yes' must be true or false: 'true' to also run aws-cdk-lib's built-in CloudFormation validator (npm run synth:all does), 'false' (the default) to skip it",
    ],
    [
      1,
      "cdk context: -c validate=1 must be true or false: 'true' to also run aws-cdk-lib's built-in CloudFormation validator (npm run synth:all does), 'false' (the default) to skip it",
    ],
  ])('-c validate=%p is rejected with what is valid', (value, message) => {
    expect(() => parseAppConfig(contextOf({ validate: value }))).toThrow(message);
  });

  test('an unknown profile lists the valid ones', () => {
    expect(() => parseAppConfig(contextOf({ profile: 'qa' }))).toThrow(
      'cdk context: -c profile=qa is not a profile; valid profiles are dev, staging, prod',
    );
  });

  test('every malformed value is reported at once with what is valid', () => {
    const run = () => parseAppConfig(contextOf({ account: '12345', region: 'moon-1', image: 'Bad Image', availabilityZones: 'us-east-1' }));
    expect(run).toThrow(/^cdk context: 4 problems:/);
    expect(run).toThrow("account '12345' is not an AWS account ID: a 12-digit AWS account ID; pins the stack to that account");
    expect(run).toThrow("region 'moon-1' is not an AWS region name: an AWS region name such as 'us-east-1'; pins the stack to that region");
    expect(run).toThrow("image 'Bad Image' cannot be parsed: it contains whitespace");
    expect(run).toThrow("availabilityZones entry 'us-east-1' is not a zone name or ID");
  });

  test("reads the web service's domain, hosted zone and certificate, normalizing names", () => {
    const config = parseAppConfig(
      contextOf({
        region: 'eu-west-1',
        domain: 'App.Example.com.',
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        hostedZoneName: 'example.com.',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      }),
    );
    expect(config.domainName).toBe('app.example.com');
    expect(config.hostedZone).toEqual({ hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    expect(config.certificateArn).toBe('arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555');
  });

  test('a domain with only a certificate is enough; no domain means no zone and no certificate', () => {
    const withCertificate = parseAppConfig(
      contextOf({ domain: 'app.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555' }),
    );
    expect(withCertificate.hostedZone).toBeUndefined();
    const plain = parseAppConfig(contextOf({}));
    expect([plain.domainName, plain.hostedZone, plain.certificateArn]).toEqual([undefined, undefined, undefined]);
  });

  test('malformed domain, zone and certificate values are reported at once with what is valid', () => {
    const message = messageOf(() =>
      parseAppConfig(
        contextOf({
          domain: 'not a domain',
          hostedZoneId: 'abc',
          hostedZoneName: 'example',
          certificateArn: 'arn:aws:iam::123456789012:role/x',
        }),
      ),
    );
    expect(message).toMatch(/^cdk context: 4 problems:/);
    expect(message).toContain(
      "domain 'not a domain' is not a DNS name: the DNS name clients use, such as 'app.example.com' (with hostedZoneId and hostedZoneName, or certificateArn)",
    );
    expect(message).toContain(
      "hostedZoneId 'abc' is not a Route 53 hosted zone ID: the ID of the Route 53 hosted zone of the domain, such as 'Z0123456789ABCDEFGHIJ' (with hostedZoneName)",
    );
    expect(message).toContain("hostedZoneName 'example' is not a DNS name: the name of that hosted zone, such as 'example.com' (with hostedZoneId)");
    expect(message).toContain(
      "certificateArn 'arn:aws:iam::123456789012:role/x' is not an ACM certificate ARN: the ARN of an ACM certificate for the domain in us-east-1 (CloudFront takes certificates from there only), such as 'arn:aws:acm:us-east-1:123456789012:certificate/<uuid>'",
    );
  });

  test.each<[string, Record<string, string>, string]>([
    [
      'a zone ID without its name',
      { domain: 'app.example.com', hostedZoneId: 'Z1' },
      "cdk context: 2 problems:\n  - hostedZoneId and hostedZoneName go together (the zone is never looked up); give both or neither\n  - domain 'app.example.com' needs -c hostedZoneId=… -c hostedZoneName=… (to issue a certificate and create the alias record) or -c certificateArn=…",
    ],
    [
      'a zone without a domain',
      { hostedZoneId: 'Z1', hostedZoneName: 'example.com' },
      "cdk context: hostedZoneId/hostedZoneName given without domain: set -c domain=<name clients use>, such as 'app.example.com'",
    ],
    [
      'a certificate without a domain',
      { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555' },
      "cdk context: certificateArn given without domain: set -c domain=<name clients use>, such as 'app.example.com'",
    ],
    [
      'a domain outside its zone',
      { domain: 'app.example.org', hostedZoneId: 'Z1', hostedZoneName: 'example.com' },
      "cdk context: domain 'app.example.org' is not in hosted zone 'example.com'; use a name under it, such as 'app.example.com'",
    ],
    [
      'a certificate outside us-east-1',
      {
        region: 'eu-west-1',
        domain: 'app.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      },
      'cdk context: certificateArn is in eu-west-1, but CloudFront serves the domain and takes certificates from us-east-1 only; issue or import the certificate in us-east-1',
    ],
    [
      'a web ACL that is not a us-east-1 CLOUDFRONT one',
      { edgeWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/11111111-2222-3333-4444-555555555555' },
      "cdk context: edgeWebAclArn 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/11111111-2222-3333-4444-555555555555' is not a CLOUDFRONT-scope web ACL ARN in us-east-1",
    ],
    [
      'an override file that does not exist',
      { profileOverrides: '/no/such/overrides.json' },
      'cdk context: profileOverrides /no/such/overrides.json cannot be read (ENOENT)',
    ],
  ])('%s is rejected with the fix', (_, context, message) => {
    expect(() => parseAppConfig(contextOf(context))).toThrow(message);
  });

  test('a profile override file changes the profile it names, through the same rules as synth', () => {
    const file = path.join(os.tmpdir(), `overrides-${process.pid}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        format: 'cdk-scaling-stack/profile-overrides',
        version: 1,
        profile: 'prod',
        overrides: { 'worker.memoryMiB': { value: 1024, was: prod.worker.memoryMiB } },
      }),
    );
    expect(parseAppConfig(contextOf({ profile: 'prod', profileOverrides: file })).profile.worker.memoryMiB).toBe(1024);
  });

  test('availability zones may be zone IDs, which are the same physical zones in every account', () => {
    expect(parseAppConfig(contextOf({ availabilityZones: 'use1-az1, use1-az2,use1-az4' })).availabilityZones).toEqual([
      'use1-az1',
      'use1-az2',
      'use1-az4',
    ]);
  });

  test('reads one or several alarm e-mail addresses, comma-separated, ignoring blanks and repeats', () => {
    expect(parseAppConfig(contextOf({})).alarmEmails).toBeUndefined();
    expect(parseAppConfig(contextOf({ alarmEmail: 'ops@example.com' })).alarmEmails).toEqual(['ops@example.com']);
    expect(parseAppConfig(contextOf({ alarmEmail: ' ops@example.com, oncall@example.org ,,ops@example.com, ' })).alarmEmails).toEqual([
      'ops@example.com',
      'oncall@example.org',
    ]);
  });

  test('an alarm e-mail that is not an address is rejected, every one at once, with what is valid', () => {
    // GIVEN a missing '@' and a missing domain suffix
    // WHEN / THEN
    expect(() => parseAppConfig(contextOf({ alarmEmail: 'ops.example.com,oncall@example,ok@example.com' }))).toThrow(
      'cdk context: 2 problems:\n' +
        "  - alarmEmail entry 'ops.example.com' is not an e-mail address: one or more e-mail addresses for the alarm notifications, comma-separated, such as 'ops@example.com,oncall@example.com'\n" +
        "  - alarmEmail entry 'oncall@example' is not an e-mail address: one or more e-mail addresses for the alarm notifications, comma-separated, such as 'ops@example.com,oncall@example.com'",
    );
  });

  test('a context value that is not text is rejected', () => {
    expect(() => parseAppConfig(contextOf({ profile: 3 }))).toThrow(
      'cdk context: -c profile=3 must be text: one of dev, staging, prod (default dev)',
    );
  });
});

describe('imageReferenceProblem', () => {
  test.each([
    'nginx',
    'nginx:1.27-alpine',
    'public.ecr.aws/nginx/nginx:stable',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/app/web:v1.2.3',
    'localhost:5000/app',
    `ghcr.io/org/app@sha256:${'a'.repeat(64)}`,
    `ghcr.io/org/app:v1@sha256:${'b'.repeat(64)}`,
  ])('accepts %s', (ref) => {
    expect(imageReferenceProblem(ref)).toBeUndefined();
  });

  test.each([
    ['Nginx', "the repository 'Nginx' must be lower-case path components separated by '/'"],
    ['nginx:-bad', "the tag '-bad' must be 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"],
    ['nginx@sha256:xyz', "the digest 'sha256:xyz' is not algorithm:hex (e.g. sha256:<64 hex>)"],
    ['repo//app', "the repository 'repo//app' must be lower-case path components separated by '/'"],
    ['bad_host-.com/app', "the registry host 'bad_host-.com' is not a host name"],
  ])('rejects %s', (ref, why) => {
    expect(imageReferenceProblem(ref)).toBe(why);
  });
});
