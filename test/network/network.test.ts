import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Network, networkPropsFor } from '../../lib';
import { NAT_BOOTSTRAP_DIGEST, NAT_INSTALL_ATTEMPTS } from '../../lib/network/nat-bootstrap';
import { nagFindings, testApp, userStack } from '../helpers/app';

function networkTemplate(profile: 'dev' | 'staging' | 'prod'): { stack: Stack; network: Network; template: Template } {
  // GIVEN a user's own stack
  const stack = userStack();
  // WHEN
  const network = new Network(stack, 'Network', networkPropsFor(profile));
  return { stack, network, template: Template.fromStack(stack) };
}

describe('Network for dev', () => {
  const { stack, network, template } = networkTemplate('dev');

  test('spans two AZs with public, app and data subnets', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    expect(network.vpc.publicSubnets).toHaveLength(2);
    expect(network.vpc.privateSubnets).toHaveLength(2);
    expect(network.vpc.isolatedSubnets).toHaveLength(2);
    expect(network.dataSubnets.subnetType).toBe(ec2.SubnetType.PRIVATE_ISOLATED);
  });

  test('public subnets do not hand out public IPs', () => {
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('egress goes through one encrypted t4g.nano NAT instance, not a NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Instance', 1);
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3' } }],
    });
    // Both private subnets route to the same instance.
    const routes = template.findResources('AWS::EC2::Route', { Properties: { InstanceId: Match.anyValue() } });
    expect(Object.keys(routes)).toHaveLength(2);
  });

  test('the NAT instance accepts traffic from the VPC only', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Security Group for NAT instances',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/16', IpProtocol: '-1' })],
    });
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    for (const group of Object.values(groups)) {
      for (const rule of group.Properties.SecurityGroupIngress ?? []) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    }
  });

  test('an S3 gateway endpoint keeps image layers and logs off the NAT', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }),
    });
  });

  test('flow logs record rejected traffic into a log group with a week of retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('the default security group is stripped of its rules', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('no open cdk-nag findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe("the dev NAT instance's bootstrap", () => {
  const { template } = networkTemplate('dev');
  const [instanceId, instance] = Object.entries(template.findResources('AWS::EC2::Instance'))[0];
  const [handleId] = Object.keys(template.findResources('AWS::CloudFormation::WaitConditionHandle'));
  const [conditionId, condition] = Object.entries(template.findResources('AWS::CloudFormation::WaitCondition'))[0];
  const parts = instance.Properties.UserData['Fn::Base64']['Fn::Join'][1] as unknown[];
  const text = parts.filter((part): part is string => typeof part === 'string').join('');

  test("the user data retries the install with a doubling pause and signals the wait condition's handle", () => {
    expect(text).toMatch(/^#!\/bin\/bash\n/);
    expect(text).toContain('for ((attempt = 1; ; attempt++)); do\n  yum install -y iptables-services && break\n');
    expect(text).toContain(`ATTEMPTS=${NAT_INSTALL_ATTEMPTS}`);
    expect(text).toContain('sleep "$pause"\n  pause=$((pause * 2))');
    expect(parts.filter((part) => typeof part !== 'string')).toEqual([{ Ref: handleId }]);
  });

  test("CloudFormation waits 15 minutes for one signal, from the instance's creation on", () => {
    expect(condition.Properties).toEqual({ Handle: { Ref: handleId }, Count: 1, Timeout: '900' });
    expect(condition.DependsOn).toEqual([instanceId]);
  });

  test("the instance and both wait-condition resources carry the bootstrap's digest in their logical IDs", () => {
    expect(NAT_BOOTSTRAP_DIGEST).toMatch(/^[0-9A-F]{8}$/);
    for (const id of [instanceId, handleId, conditionId]) expect(id.endsWith(NAT_BOOTSTRAP_DIGEST)).toBe(true);
    // The private subnets route to the renamed instance.
    const targets = Object.values(template.findResources('AWS::EC2::Route', { Properties: { InstanceId: Match.anyValue() } })).map(
      (r) => r.Properties.InstanceId,
    );
    expect(targets).toEqual([{ Ref: instanceId }, { Ref: instanceId }]);
  });

  test('gateways need no bootstrap', () => {
    const prod = networkTemplate('prod').template;
    prod.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
    prod.resourceCountIs('AWS::CloudFormation::WaitConditionHandle', 0);
  });

  // The user data as the instance runs it, under bash, with the system commands replaced by stubs
  // that log their calls (yum failing the first `yumFailures` times, as in aws/aws-cdk#36717).
  const URL = 'https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/arn%3Aaws?X-Amz-Signature=abc&X-Amz-Date=20260101';
  function runBootstrap(yumFailures: number, signalFails = false) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nat-bootstrap-'));
    try {
      const bin = path.join(dir, 'bin');
      for (const d of [bin, path.join(dir, 'etc', 'sysctl.d'), path.join(dir, 'etc', 'sysconfig')]) fs.mkdirSync(d, { recursive: true });
      const calls = path.join(dir, 'calls.log');
      const stub = (name: string, body: string) =>
        fs.writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >> '${calls}'\n${body}\n`, { mode: 0o755 });
      stub('yum', `n=$(cat '${dir}/yum.count' 2>/dev/null || echo 0); echo $((n + 1)) > '${dir}/yum.count'; [ "$n" -ge ${yumFailures} ]`);
      stub('sleep', 'true');
      stub('systemctl', 'true');
      stub('iptables', 'true');
      stub('iptables-save', "echo '*nat'");
      stub('sysctl', '[ "$1" = -n ] && echo 1; true');
      stub('ip', 'echo "default via 10.0.0.1 dev ens5 proto dhcp src 10.0.0.10 metric 512"');
      stub(
        'curl',
        [
          'case "$*" in',
          '  *api/token*) echo token ;;',
          '  *meta-data/instance-id*) echo i-0123456789abcdef0 ;;',
          `  *) exit ${signalFails ? 7 : 0} ;;`,
          'esac',
        ].join('\n'),
      );
      const script = path.join(dir, 'user-data.sh');
      const resolved = parts.map((part) => (typeof part === 'string' ? part : URL)).join('');
      fs.writeFileSync(script, resolved.replaceAll('/etc/', `${dir}/etc/`));
      const run = spawnSync('bash', [script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
      const log = fs.readFileSync(calls, 'utf8').trim().split('\n');
      return {
        code: run.status,
        output: run.stdout + run.stderr,
        commands: log.map((line) => line.split(' ')[0]),
        sleeps: log.filter((line) => line.startsWith('sleep ')),
        signals: log.filter((line) => line.startsWith('curl ') && line.includes(URL)),
        forwarding: fs.existsSync(path.join(dir, 'etc', 'sysctl.d', 'custom-ip-forwarding.conf'))
          ? fs.readFileSync(path.join(dir, 'etc', 'sysctl.d', 'custom-ip-forwarding.conf'), 'utf8')
          : undefined,
        saved: fs.existsSync(path.join(dir, 'etc', 'sysconfig', 'iptables')),
        masquerade: log.includes('iptables -t nat -A POSTROUTING -o ens5 -j MASQUERADE'),
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('an install that fails twice is retried after 5 and 10 s; NAT comes up and CloudFormation hears SUCCESS', () => {
    const run = runBootstrap(2);
    expect(run.code).toBe(0);
    expect(run.sleeps).toEqual(['sleep 5', 'sleep 10']);
    expect(run.commands.filter((c) => c === 'yum')).toHaveLength(3);
    expect(run.forwarding).toBe('net.ipv4.ip_forward=1\n');
    expect(run.masquerade).toBe(true);
    expect(run.saved).toBe(true);
    expect(run.signals).toHaveLength(1);
    expect(run.signals[0]).toContain(
      '--data-binary {"Status":"SUCCESS","Reason":"NAT on ens5 after 3 install attempt(s)","UniqueId":"i-0123456789abcdef0","Data":"NAT on ens5 after 3 install attempt(s)"}',
    );
    expect(run.output).toContain('nat-bootstrap: yum install iptables-services failed (attempt 2 of 6); retrying in 10 s');
  });

  test('an install that never succeeds stops after 6 attempts, touches nothing else, exits 1 and signals FAILURE with the reason', () => {
    const run = runBootstrap(99);
    expect(run.code).toBe(1);
    expect(run.sleeps).toEqual(['sleep 5', 'sleep 10', 'sleep 20', 'sleep 40', 'sleep 80']);
    expect(run.commands.filter((c) => c === 'yum')).toHaveLength(NAT_INSTALL_ATTEMPTS);
    expect(run.commands).not.toContain('iptables');
    expect(run.forwarding).toBeUndefined();
    expect(run.signals).toHaveLength(1);
    expect(run.signals[0]).toContain(
      '{"Status":"FAILURE","Reason":"yum install iptables-services failed 6 times; see /var/log/cloud-init-output.log"',
    );
    expect(run.output).toContain('nat-bootstrap: FAILED: yum install iptables-services failed 6 times');
  });

  test('a signal nobody hears (an instance that replaced the first one) does not undo a working NAT', () => {
    const run = runBootstrap(0, true);
    expect(run.code).toBe(0);
    expect(run.masquerade).toBe(true);
    expect(run.output).toContain('nat-bootstrap: could not signal CloudFormation (SUCCESS)');
  });
});

describe('Network for prod', () => {
  const { stack, template } = networkTemplate('prod');

  test('one NAT gateway per AZ and no NAT instance', () => {
    // A plain user stack is environment-agnostic, so CDK offers it two AZs; ScalingStack gives three.
    const azs = stack.availabilityZones.length;
    template.resourceCountIs('AWS::EC2::NatGateway', azs);
    template.resourceCountIs('AWS::EC2::Instance', 0);
  });

  test('flow logs record all traffic, kept three months', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });
});

describe('Network with an existing VPC', () => {
  test('uses it and creates nothing', () => {
    // GIVEN
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Mine', { maxAzs: 2, natGateways: 1 });
    // WHEN
    const network = new Network(stack, 'Network', { vpc });
    // THEN
    expect(network.vpc).toBe(vpc);
    expect(network.flowLogGroup).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    // A VPC without isolated subnets puts the data tier in its private subnets.
    expect(network.dataSubnets.subnetType).toBe(ec2.SubnetType.PRIVATE_WITH_EGRESS);
  });

  test('without private subnets with egress, names what is missing and the fix', () => {
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'PublicOnly', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    expect(() => new Network(stack, 'Network', { vpc })).toThrow(
      'UserStack/Network: vpc has private subnets with egress in 0 AZ(s); tasks and workers need them in at least 2 AZs (PRIVATE_WITH_EGRESS, routed through NAT). Add them, or let Network create the VPC',
    );
  });

  test('an imported VPC with one AZ reports both missing tiers at once', () => {
    const stack = userStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-123',
      availabilityZones: ['us-east-1a'],
      publicSubnetIds: ['subnet-pub'],
      privateSubnetIds: ['subnet-priv'],
    });
    expect(() => new Network(stack, 'Network', { vpc })).toThrow(
      /UserStack\/Network: 2 problems:\n {2}- vpc has public subnets in 1 AZ\(s\); the load balancer needs public subnets in at least 2 AZs/,
    );
  });
});

describe('Network used alone, with flat props', () => {
  test('defaults to the smallest VPC that works: two AZs, one NAT instance, rejected flows for a week', () => {
    // GIVEN a user's stack  WHEN Network has no props
    const stack = userStack();
    new Network(stack, 'Network');
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::Instance', { InstanceType: 't4g.nano' });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('networkPropsFor(prod) gives three AZs with a NAT gateway each and 90 days of flow logs', () => {
    // A stack with a known region sees three zones (an environment-agnostic one sees two).
    // In a test app: no built-in validator (its WASM worker outlived the test file, and cost 12 s here).
    const stack = new Stack(testApp(), 'Regional', { env: { account: '123456789012', region: 'us-east-1' } });
    new Network(stack, 'Network', networkPropsFor('prod'));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.resourceCountIs('AWS::EC2::Subnet', 9);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('bad props are reported together, each with the allowed values', () => {
    const stack = userStack();
    expect(() => new Network(stack, 'Network', { cidr: '10.0.0/16', maxAzs: 4, natStrategy: 'gateway', natGateways: 0 })).toThrow(
      'UserStack/Network: 3 problems:\n' +
        "  - cidr ('10.0.0/16') must be an IPv4 CIDR block such as '10.0.0.0/16'\n" +
        '  - maxAzs (4) must be between 2 and 3; the ALB needs two AZs; the stack lays out subnets for at most three\n' +
        '  - natGateways (0) must be between 1 and 4; use 1 (shared) up to maxAzs (one per AZ)',
    );
  });

  test('a CIDR too small for three subnet tiers per AZ is named with the fix', () => {
    const stack = userStack();
    expect(() => new Network(stack, 'Network', { cidr: '10.0.0.0/24' })).toThrow(
      'UserStack/Network: cidr prefix length (24) must be between 16 and 20; three subnet tiers per AZ need at least a /20',
    );
  });
});
