import { Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { POWERTOOLS_TRACE_ENABLED } from '../core/tracing';

// Tracing for every Lambda function the stack creates, in one place (issue 18). A construct that
// creates a function does three things:
//
//   const t = lambdaTracing(props.tracing ?? false);
//   const fn = new nodejs.NodejsFunction(this, 'Function', {
//     ...,
//     tracing: t.tracing,
//     environment: { ...t.environment, ...yourEnvironment },
//   });
//   acknowledgeTracingWrites(role, t);   // after the function exists (CDK adds the X-Ray grant then)
//
// and its handler creates Powertools' Tracer through lambda/shared/tracer.ts, which reads the
// variables below.

/** What a function's props take from the stack's tracing choice. */
export interface LambdaTracing {
  /** Whether the function is traced. */
  readonly enabled: boolean;
  /** Active: Lambda samples invocations and runs the X-Ray daemon; Disabled: neither. */
  readonly tracing: lambda.Tracing;
  /** Powertools Tracer's switches, merged under the function's own environment. */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The tracing props of a function. Off, the function says so explicitly
 * (`tracing: Disabled`, `POWERTOOLS_TRACE_ENABLED=false`): Powertools' Tracer then does no segment
 * work and wraps no AWS SDK client, so an untraced function pays nothing for the instrumentation.
 * On, Tracer records the handler, the AWS SDK calls and the database and cache calls, but never a
 * job's result (`POWERTOOLS_TRACER_CAPTURE_RESPONSE=false`): results may carry user data, and
 * traces are readable by anyone with X-Ray read access.
 */
export function lambdaTracing(enabled: boolean): LambdaTracing {
  return {
    enabled,
    tracing: enabled ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    environment: enabled
      ? { [POWERTOOLS_TRACE_ENABLED]: 'true', POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false' }
      : { [POWERTOOLS_TRACE_ENABLED]: 'false' },
  };
}

/**
 * Active tracing makes CDK grant the function's role `xray:PutTraceSegments` and
 * `xray:PutTelemetryRecords` on `*` (what AWSXRayDaemonWriteAccess grants): X-Ray supports no
 * resource-level permissions for these actions, so cdk-nag's IAM5 finding on that wildcard is
 * acknowledged here, on the role's default policy, and only when tracing is on.
 */
export function acknowledgeTracingWrites(role: iam.Role, t: LambdaTracing): void {
  if (!t.enabled) return;
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords accept no resource narrower than * (X-Ray has no resource-level permissions for them: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).',
  });
}
