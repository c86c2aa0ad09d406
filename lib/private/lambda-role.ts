import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';

/** Writes to its own log group only: the managed AWSLambdaBasicExecutionRole allows every group. */
export function grantOwnLogGroup(role: iam.Role, logGroup: logs.ILogGroup): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
}

/**
 * What AWSLambdaVPCAccessExecutionRole grants, inline: the Lambda service creates and removes a VPC
 * function's network interfaces with the function's role. These EC2 actions support no resource
 * scoping that would survive subnet or security-group replacement, hence the one acknowledgment.
 */
export function grantVpcNetworkInterfaces(role: iam.Role): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: ['*'],
    }),
  );
  Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      "The Lambda service creates and deletes the worker's VPC network interfaces with its role; ec2:Describe* and ec2:CreateNetworkInterface on new interfaces accept no narrower resource (the same grant as AWSLambdaVPCAccessExecutionRole, without its other wildcards).",
  });
}
