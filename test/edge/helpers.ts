import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { testApp, type TestAppOptions } from '../helpers/app';

export const ACCOUNT = '123456789012';

/** A user's stack in `region` (undefined: environment-agnostic) with an internal ALB in a VPC. */
export function stackWithAlb(region: string | undefined, options: TestAppOptions & { internetFacing?: boolean } = {}) {
  const app = testApp(options);
  const stack = new Stack(app, 'UserStack', region ? { env: { account: ACCOUNT, region } } : {});
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const internetFacing = options.internetFacing ?? false;
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'Alb', {
    vpc,
    internetFacing,
    vpcSubnets: { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
    dropInvalidHeaderFields: true,
  });
  const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'Targets', {
    vpc,
    port: 8080,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
  });
  return { app, stack, vpc, loadBalancer, targetGroup };
}
