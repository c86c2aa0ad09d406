import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DEFAULT_IMAGE, profileProblems, profiles, WebService, type Profile, type WebServiceProps } from '../../lib';
import { userStack } from '../helpers/app';

// Bad delivery settings, rejected with the same words by the profile rules ('web.delivery.' names)
// and by WebService (its flat props).

type Delivery = Profile['web']['delivery'];
const withDelivery = (delivery: Partial<Delivery>): Profile => ({
  ...profiles.prod,
  web: { ...profiles.prod.web, delivery: { ...profiles.prod.web.delivery, ...delivery } },
});
const problems = (delivery: Partial<Delivery>) => profileProblems(withDelivery(delivery)).filter((p) => p.startsWith('web.delivery.'));

function construct(props: Partial<WebServiceProps>): () => WebService {
  return () => {
    const stack = userStack();
    return new WebService(stack, 'Web', { vpc: new ec2.Vpc(stack, 'Vpc'), image: ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE), ...props });
  };
}

describe('profile rules for web.delivery', () => {
  test('the built-in profiles pass', () => {
    for (const profile of Object.values(profiles)) expect(profileProblems(profile).filter((p) => p.startsWith('web.delivery.'))).toEqual([]);
  });

  test.each([0, -5, 100, 120, 10.05])('a canary share of %p is outside (0, 100) in steps of 0.1', (share) => {
    expect(problems({ deploymentStrategy: 'canary', trafficShiftPercent: share })).toEqual([
      `web.delivery.trafficShiftPercent (${share}) is the canary's share of production traffic and must be above 0 and below 100, in steps of 0.1, such as 10; 100 % at once is 'blueGreen'`,
    ]);
  });

  test('a linear step below 3 % is refused', () => {
    expect(problems({ deploymentStrategy: 'linear', trafficShiftPercent: 2 })).toEqual([
      'web.delivery.trafficShiftPercent (2) is the linear step and must be from 3 to 100 %, in steps of 0.1, such as 10, 20 or 25',
    ]);
  });

  test('a linear step that does not reach 100 % in equal steps is refused', () => {
    expect(problems({ deploymentStrategy: 'linear', trafficShiftPercent: 30 })).toEqual([
      'web.delivery.trafficShiftPercent (30) does not divide 100: equal steps of 30 % reach 90 % and leave a last step of 10 %; use a divisor of 100 such as 5, 10, 20, 25 or 50',
    ]);
    expect(problems({ deploymentStrategy: 'linear', trafficShiftPercent: 12.5 })).toEqual([]);
  });

  test('bake times outside 0-1440 minutes, or fractions, are refused', () => {
    expect(problems({ trafficShiftBakeMinutes: 1441, deploymentBakeMinutes: -1 })).toEqual([
      'web.delivery.trafficShiftBakeMinutes (1441 min) must be between 0 and 1440 min; ECS bakes 0 to 24 hours',
      'web.delivery.deploymentBakeMinutes (-1 min) must be between 0 and 1440 min; ECS bakes 0 to 24 hours',
    ]);
    expect(problems({ deploymentBakeMinutes: 2.5 })).toEqual([
      'web.delivery.deploymentBakeMinutes (2.5) must be a whole number between 0 and 1440 min; ECS bakes 0 to 24 hours',
    ]);
  });

  test('a linear deployment longer than CloudFormation allows (33 h) is refused', () => {
    expect(problems({ deploymentStrategy: 'linear', trafficShiftPercent: 10, trafficShiftBakeMinutes: 300, deploymentBakeMinutes: 0 })).toEqual([
      'web.delivery.deploymentBakeMinutes + 10 x web.delivery.trafficShiftBakeMinutes (3000 min) must not exceed 1980 min (33 h): CloudFormation refuses a longer deployment; shorten the bake times',
    ]);
  });

  test('a smoke test needs a strategy with a test listener', () => {
    expect(problems({ deploymentStrategy: 'rolling', smokeTest: true })).toEqual([
      "web.delivery.smokeTest needs a test listener, which only 'blueGreen', 'canary' and 'linear' deployments have; set web.delivery.deploymentStrategy to one of them or turn web.delivery.smokeTest off",
    ]);
  });

  test('a smoke-test path that is not a path is refused, and so are too many paths', () => {
    expect(problems({ smokeTestPaths: ['health', '/ok', 'http://x/y', '/a b'] })).toEqual([
      `web.delivery.smokeTestPaths entry 'health' must be a URL path: it starts with '/', has no spaces and is at most 1024 characters, such as '/health'`,
      `web.delivery.smokeTestPaths entry 'http://x/y' must be a URL path: it starts with '/', has no spaces and is at most 1024 characters, such as '/health'`,
      `web.delivery.smokeTestPaths entry '/a b' must be a URL path: it starts with '/', has no spaces and is at most 1024 characters, such as '/health'`,
    ]);
    expect(problems({ smokeTestPaths: Array.from({ length: 11 }, (_, i) => `/p${i}`) })).toEqual([
      'web.delivery.smokeTestPaths has 11 paths; at most 10, each may take 10 s',
    ]);
  });

  test('an unknown strategy is refused', () => {
    expect(problems({ deploymentStrategy: 'bigBang' as Delivery['deploymentStrategy'] })).toEqual([
      "web.delivery.deploymentStrategy ('bigBang') must be one of 'rolling', 'blueGreen', 'canary', 'linear'",
    ]);
  });
});

describe('WebService delivery props', () => {
  test('every problem at once, named by the flat props', () => {
    expect(construct({ deploymentStrategy: 'canary', trafficShiftPercent: 100, deploymentBakeMinutes: 2000, smokeTestPaths: ['nope'] })).toThrow(
      /trafficShiftPercent \(100\) is the canary's share of production traffic and must be above 0 and below 100[\s\S]*deploymentBakeMinutes \(2000 min\) must be between 0 and 1440 min[\s\S]*smokeTestPaths entry 'nope' must be a URL path/,
    );
  });

  test('a smoke test on a rolling WebService is refused', () => {
    expect(construct({ smokeTest: true })).toThrow(
      /smokeTest needs a test listener, which only 'blueGreen', 'canary' and 'linear' deployments have; set deploymentStrategy/,
    );
  });

  test('a linear step that cannot reach 100 % evenly is refused', () => {
    expect(construct({ deploymentStrategy: 'linear', trafficShiftPercent: 40 })).toThrow(
      /trafficShiftPercent \(40\) does not divide 100: equal steps of 40 % reach 80 % and leave a last step of 20 %/,
    );
  });

  test('values a rolling WebService does not use are still not judged as a canary', () => {
    expect(construct({ trafficShiftPercent: 100 })).not.toThrow();
  });
});
