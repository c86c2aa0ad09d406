import type { Problems } from './errors';
import { show } from './errors';
import type { WebDeliveryProfile } from './profiles/profile';

// How a WebService rolls out a new revision: the values ECS accepts, the defaults of a WebService
// used alone, and the one check both the profile rules and the construct run. ECS-native
// strategies: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html

/** The delivery settings of a web service: the profile's `web.delivery` section. */
export type WebDelivery = WebDeliveryProfile;

/** The strategies, as the profile names them (ECS: ROLLING, BLUE_GREEN, CANARY, LINEAR). */
export const DEPLOYMENT_STRATEGIES = ['rolling', 'blueGreen', 'canary', 'linear'] as const;

/**
 * A WebService used alone deploys as it always has: rolling replacement behind the circuit breaker
 * and the deployment alarms, no second target group, no hook. The traffic figures below apply only
 * when a caller picks canary or linear without giving them.
 */
export const DEFAULT_DELIVERY: WebDelivery = {
  deploymentStrategy: 'rolling',
  // Canary: 10 % of production traffic first. Linear: 10 steps of 10 %.
  trafficShiftPercent: 10,
  // Two evaluations of the 2-of-3-minute deployment alarms fit in 10 minutes, and the 5-minute
  // fast-burn window twice; ECS's own canary default is 10 minutes.
  trafficShiftBakeMinutes: 10,
  // The old revision stays up 10 minutes after the last shift: a rollback in that time moves
  // traffic back without starting a task.
  deploymentBakeMinutes: 10,
  smokeTest: false,
  smokeTestPaths: [],
};

/**
 * ECS bake times, whole minutes from 0 to 1440 (24 hours): `BakeTimeInMinutes`,
 * `CanaryBakeTimeInMinutes`, `StepBakeTimeInMinutes` (AWS::ECS::Service DeploymentConfiguration).
 */
export const MAX_BAKE_MINUTES = 1440;
/**
 * CloudFormation refuses a canary or linear deployment whose bake times add up to more than 33
 * hours (its operations time out after 36):
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-canaryconfiguration.html
 */
export const MAX_DEPLOYMENT_BAKE_MINUTES = 33 * 60;
/** ECS linear steps: multiples of 0.1 from 3.0 to 100.0 (LinearConfiguration StepPercent). */
export const MIN_LINEAR_STEP_PERCENT = 3;
/** Paths the smoke test requests, at most: each takes up to `SMOKE_TEST_REQUEST_TIMEOUT_SECONDS`. */
export const MAX_SMOKE_TEST_PATHS = 10;
/** One request of the smoke test fails after this long: twice the ALB health check's 5 s timeout. */
export const SMOKE_TEST_REQUEST_TIMEOUT_SECONDS = 10;
/** Status codes the smoke test accepts, as the health check's default: 200-399. */
export const SMOKE_TEST_OK_STATUS = { min: 200, max: 399 } as const;
/**
 * The test listener's port on the load balancer: HTTP, inside the VPC only. It is not the edge's
 * origin port (80/443), and its security-group rule admits the smoke-test function alone.
 */
export const TEST_LISTENER_PORT = 8080;

// The same URL-path rule as the health check's (RFC 3986 path characters and a query).
const URL_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]{0,1023}$/;

/** Whether `path` is a URL path the smoke test can request, such as '/health'. */
export function isUrlPath(path: string): boolean {
  return URL_PATH.test(path);
}

/** Number of traffic shifts of a linear deployment (the last one may be smaller, which the check forbids). */
export function linearSteps(stepPercent: number): number {
  return Math.ceil(100 / stepPercent);
}

/**
 * Checks a web service's delivery settings. `prefix` names where they come from ('web.delivery.'
 * in a profile, '' for construct props), so a profile and a construct reject the same values with
 * the same words.
 */
export function checkWebDelivery(p: Problems, d: WebDelivery, prefix: string): void {
  const n = (name: keyof WebDelivery) => `${prefix}${name}`;
  p.oneOf(n('deploymentStrategy'), d.deploymentStrategy, DEPLOYMENT_STRATEGIES);
  const share = d.trafficShiftPercent;
  const tenths = Math.round(share * 10);
  const inTenths = Number.isFinite(share) && Math.abs(share * 10 - tenths) < 1e-9;
  if (d.deploymentStrategy === 'canary') {
    p.check(
      Number.isFinite(share) && share > 0 && share < 100 && inTenths,
      `${n('trafficShiftPercent')} (${share}) is the canary's share of production traffic and must be above 0 and below 100, in steps of 0.1, such as 10; 100 % at once is 'blueGreen'`,
    );
  }
  if (d.deploymentStrategy === 'linear') {
    if (!(Number.isFinite(share) && share >= MIN_LINEAR_STEP_PERCENT && share <= 100 && inTenths)) {
      p.add(
        `${n('trafficShiftPercent')} (${share}) is the linear step and must be from ${MIN_LINEAR_STEP_PERCENT} to 100 %, in steps of 0.1, such as 10, 20 or 25`,
      );
    } else if (1000 % tenths !== 0) {
      const last = Math.round((100 - share * (linearSteps(share) - 1)) * 10) / 10;
      p.add(
        `${n('trafficShiftPercent')} (${share}) does not divide 100: equal steps of ${share} % reach ${Math.round(share * (linearSteps(share) - 1) * 10) / 10} % and leave a last step of ${last} %; use a divisor of 100 such as 5, 10, 20, 25 or 50`,
      );
    }
  }
  p.range(n('trafficShiftBakeMinutes'), d.trafficShiftBakeMinutes, 0, MAX_BAKE_MINUTES, {
    integer: true,
    unit: 'min',
    fix: 'ECS bakes 0 to 24 hours',
  });
  p.range(n('deploymentBakeMinutes'), d.deploymentBakeMinutes, 0, MAX_BAKE_MINUTES, { integer: true, unit: 'min', fix: 'ECS bakes 0 to 24 hours' });
  const shifts = d.deploymentStrategy === 'linear' && share >= MIN_LINEAR_STEP_PERCENT ? linearSteps(share) : 1;
  if (d.deploymentStrategy === 'canary' || d.deploymentStrategy === 'linear') {
    const total = d.deploymentBakeMinutes + shifts * d.trafficShiftBakeMinutes;
    p.check(
      !(total > MAX_DEPLOYMENT_BAKE_MINUTES),
      `${n('deploymentBakeMinutes')} + ${shifts} x ${n('trafficShiftBakeMinutes')} (${total} min) must not exceed ${MAX_DEPLOYMENT_BAKE_MINUTES} min (33 h): CloudFormation refuses a longer deployment; shorten the bake times`,
    );
  }

  if (d.smokeTest && d.deploymentStrategy === 'rolling') {
    p.add(
      `${n('smokeTest')} needs a test listener, which only 'blueGreen', 'canary' and 'linear' deployments have; set ${n('deploymentStrategy')} to one of them or turn ${n('smokeTest')} off`,
    );
  }
  p.check(
    d.smokeTestPaths.length <= MAX_SMOKE_TEST_PATHS,
    `${n('smokeTestPaths')} has ${d.smokeTestPaths.length} paths; at most ${MAX_SMOKE_TEST_PATHS}, each may take ${SMOKE_TEST_REQUEST_TIMEOUT_SECONDS} s`,
  );
  for (const path of d.smokeTestPaths) {
    if (p.isUnresolved(path)) continue;
    p.check(
      isUrlPath(path),
      `${n('smokeTestPaths')} entry ${show(path)} must be a URL path: it starts with '/', has no spaces and is at most 1024 characters, such as '/health'`,
    );
  }
}

/** The smoke-test function's environment: the construct sets it, lambda/smoke-test reads it. */
export const SMOKE_TEST_ENVIRONMENT = {
  /** `http://<load balancer DNS name>:<test port>`, without a trailing slash. */
  baseUrl: 'SMOKE_TEST_BASE_URL',
  /** A JSON array of URL paths, e.g. `["/health"]`. */
  paths: 'SMOKE_TEST_PATHS',
  /** Milliseconds one request may take. */
  timeoutMs: 'SMOKE_TEST_TIMEOUT_MS',
} as const;
