import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { CDK_DEFAULT_RDS_CLASS, compare, handWritten } from '../../../tools/cost/compare';
import { userStack } from '../../helpers/app';
import { fixture, HOURS, prices, usage } from './fixture';

describe('--compare: the right-sized stack against the defaults of a hand-written one', () => {
  // GIVEN a right-sized template: NAT instance, a Spot x86 task, a Graviton task, Valkey, db.t4g.micro
  const templates = [fixture('compare')];
  // WHEN compared
  const comparison = compare('fixture', templates, prices, usage);
  const saving = (id: string) => comparison.rules.find((r) => r.id === id)!.saving.baseline;

  // Hand-computed baseline differences, 730 h:
  const spot = 0.25 * 0.012144 + 0.5 * 0.0013335; // 0.25 vCPU / 0.5 GB on Spot (estimate)
  const onDemand = 0.25 * 0.04048 + 0.5 * 0.004445;
  const arm = 1 * 0.03238 + 2 * 0.00356;
  const x86 = 1 * 0.04048 + 2 * 0.004445;
  const natInstance = HOURS * 0.0042 + 8 * 0.08 + HOURS * 0.005; // t4g.nano + 8 GiB gp3 + its public IPv4
  const natGateways = 2 * (HOURS * 0.045 + HOURS * 0.005) + 100 * 0.045; // per AZ, with its EIP, and the 100 GB processed

  test('each default, alone, adds what the price table says', () => {
    expect(saving('on-demand')).toBeCloseTo(HOURS * (onDemand - spot), 4);
    expect(saving('x86')).toBeCloseTo(HOURS * (x86 - arm), 4);
    expect(saving('redis')).toBeCloseTo(HOURS * (0.016 - 0.0128), 4);
    expect(saving('rds-class')).toBeCloseTo(HOURS * (0.178 - 0.016), 4);
    expect(saving('nat-per-az')).toBeCloseTo(natGateways - natInstance, 4);
  });

  test('all of them together: the hand-written stack, and the saving', () => {
    const total = HOURS * (onDemand - spot) + HOURS * (x86 - arm) + HOURS * (0.016 - 0.0128) + HOURS * (0.178 - 0.016) + natGateways - natInstance;
    expect(comparison.saving.baseline).toBeCloseTo(total, 4);
    expect(comparison.handWritten.baseline - comparison.rightSized.baseline).toBeCloseTo(total, 4);
  });

  test('the rewrites say what they changed, and leave the original templates alone', () => {
    const { changes } = handWritten(templates);
    expect(changes).toEqual({
      x86: ['compare/GravitonTask: ARM64 -> X86_64'],
      redis: ['compare/Cache: valkey -> redis'],
      'on-demand': ['compare/SpotService: Spot strategy -> LaunchType FARGATE'],
      'nat-per-az': [
        'compare/NatInstance: NAT instance removed',
        'compare/HandWrittenNatGateway1: NAT gateway + EIP added',
        'compare/HandWrittenNatGateway2: NAT gateway + EIP added',
      ],
      'rds-class': [`compare/Db: db.t4g.micro -> ${CDK_DEFAULT_RDS_CLASS}`],
    });
    expect(templates[0].template.Resources.NatInstance).toBeDefined();
    expect(templates[0].template.Resources.Db.Properties?.DBInstanceClass).toBe('db.t4g.micro');
  });

  test('the class CDK gives a DatabaseInstance without instanceType is the one the rule uses', () => {
    // GIVEN a database written the way a hand-written stack would
    const stack = userStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    new rds.DatabaseInstance(stack, 'Db', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_5 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: CDK_DEFAULT_RDS_CLASS });
  });
});
