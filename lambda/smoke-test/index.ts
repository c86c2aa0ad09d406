// The deployment smoke test (ECS lifecycle hook, POST_TEST_TRAFFIC_SHIFT): requests the configured
// paths through the load balancer's test listener, which sends them to the new revision only, and
// answers hookStatus SUCCEEDED or FAILED. Configuration is read once per execution environment.
import { configFrom, createSmokeTestHandler } from './smoke';

export const handler = createSmokeTestHandler(configFrom(process.env));
