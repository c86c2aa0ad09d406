import { Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { applyAnomalyMitigation } from './anomaly-mitigation';
import { enableAccessLogs, logBucket, logServerAccess, serverAccessLogBucket } from './access-logs';
import * as defaults from './defaults';
import type { WebServiceSettings } from './settings';

/** What the load balancer side of a WebService consists of. */
export interface LoadBalancerParts {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Port 80: forwards to the tasks, or redirects to HTTPS when there is a certificate. */
  readonly httpListener: elbv2.ApplicationListener;
  /** The listener that forwards to the tasks: HTTPS (443) with a certificate, else the HTTP one. */
  readonly listener: elbv2.ApplicationListener;
  readonly certificate?: acm.ICertificate;
  readonly accessLogBucket: s3.Bucket;
  readonly url: string;
}

/**
 * The ALB (internet-facing, or internal with `internetFacing: false`) with its access logs, the
 * target group the tasks join, the listeners, and
 * the certificate and alias record when a domain is given. Created in `scope` (the WebService) under
 * the construct IDs the service has always had: a new ID is a new logical ID, which replaces the
 * resource (a new load balancer DNS name, new log buckets with the old ones left behind).
 */
export function createLoadBalancer(scope: Construct, vpc: ec2.IVpc, s: WebServiceSettings): LoadBalancerParts {
  const accessLogBucket = logBucket(scope, 'AccessLogs', s.logRetention);
  logServerAccess(accessLogBucket, serverAccessLogBucket(scope, 'ServerAccessLogs', s.logRetention), 'alb-access-log-bucket/');
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
    vpc,
    vpcSubnets: s.loadBalancerSubnets,
    internetFacing: s.internetFacing,
    http2Enabled: true,
    dropInvalidHeaderFields: true,
    desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
    idleTimeout: s.idleTimeout,
    deletionProtection: s.sizing.deletionProtection,
  });
  enableAccessLogs(loadBalancer, accessLogBucket, defaults.ACCESS_LOG_PREFIX);
  // Only a public load balancer opens its listeners to the world; an internal one admits the peers
  // its owner allows (an Edge's VPC origin) and nothing else, so there is nothing to acknowledge.
  const open = s.internetFacing;
  for (const group of open ? loadBalancer.connections.securityGroups : []) {
    Validations.of(group).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'The internet-facing load balancer must accept its listener ports (80, and 443 with a certificate) from any address; no other port is open, and the tasks accept traffic only from this security group.',
    });
  }

  const targetGroup = createTargetGroup(scope, 'TargetGroup', vpc, s);

  const certificate =
    s.certificate ??
    (s.domainName && s.hostedZone
      ? new acm.Certificate(scope, 'Certificate', {
          domainName: s.domainName,
          validation: acm.CertificateValidation.fromDns(s.hostedZone),
        })
      : undefined);
  // Port 80 keeps one construct ID in both modes, so adding a certificate later changes the
  // listener in place instead of creating a second one on the same port (which the ALB refuses).
  const httpListener = loadBalancer.addListener('Http', {
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open,
    defaultAction: certificate
      ? elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true })
      : elbv2.ListenerAction.forward([targetGroup]),
  });
  const listener = certificate
    ? loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate)],
        sslPolicy: defaults.SSL_POLICY,
        open,
        defaultAction: elbv2.ListenerAction.forward([targetGroup]),
      })
    : httpListener;
  if (s.domainName && s.hostedZone) {
    new route53.ARecord(scope, 'AliasRecord', {
      zone: s.hostedZone,
      recordName: s.domainName,
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer)),
    });
  }
  const url = certificate ? `https://${s.domainName}` : `http://${loadBalancer.loadBalancerDnsName}`;
  return { loadBalancer, targetGroup, httpListener, listener, certificate, accessLogBucket, url };
}

/**
 * A target group of the tasks. The one place both target groups are made: the primary
 * (`TargetGroup`) and, for blue/green, canary and linear deployments, the alternate
 * (`AlternateTargetGroup`, ./deployment.ts). ECS moves the service between them on each deployment,
 * so they must stay identical: an attribute set here (health check, slow start, a load-balancing
 * algorithm) applies to both.
 */
export function createTargetGroup(scope: Construct, id: string, vpc: ec2.IVpc, s: WebServiceSettings): elbv2.ApplicationTargetGroup {
  const hc = s.healthCheck;
  const targetGroup = new elbv2.ApplicationTargetGroup(scope, id, {
    vpc,
    targetType: elbv2.TargetType.IP,
    protocol: elbv2.ApplicationProtocol.HTTP,
    port: s.containerPort,
    deregistrationDelay: s.deregistrationDelay,
    // 0 means off, which the ALB expresses by leaving the attribute out.
    slowStart: s.slowStart.toSeconds() > 0 ? s.slowStart : undefined,
    healthCheck: {
      path: hc.path,
      interval: hc.interval,
      timeout: hc.timeout,
      healthyThresholdCount: hc.healthyThresholdCount,
      unhealthyThresholdCount: hc.unhealthyThresholdCount,
      healthyHttpCodes: hc.healthyHttpCodes,
    },
  });
  if (s.sizing.anomalyMitigation) applyAnomalyMitigation(targetGroup);
  return targetGroup;
}
