// The profile's safety rules, exactly as synth applies them: validateProfile() and the database
// connection budget ScalingStack checks. In the Lambda bundle aws-cdk-lib is replaced by the few
// constants these modules read (./cdk-shim, see lib/insights/rightsizing-advisor.ts), so the
// worker runs the same code as `cdk synth` without bundling 40 MB of aws-cdk-lib.
import { checkConnectionBudget } from '../../lib/database/connection-budget';
import { instanceClassSpec, maxConnectionsFor } from '../../lib/database/tuning';
import { ADMIN_RESERVED_CONNECTIONS, PROXY_MAX_CONNECTIONS_PERCENT, RDS_SUPERUSER_RESERVED_CONNECTIONS } from '../../lib/defaults/database';
import type { Profile } from '../../lib/profiles/profile';
import { validateProfile } from '../../lib/profiles/validate-profile';

/** Everything that would stop `cdk synth` of a stack sized by `profile`, as messages; empty when it is safe. */
export function safetyProblems(profile: Profile): string[] {
  const problems: string[] = [];
  try {
    validateProfile(profile);
  } catch (error) {
    const found = (error as { problems?: readonly string[] }).problems;
    if (!Array.isArray(found)) throw error;
    problems.push(...found);
  }
  let maxConnections: number;
  try {
    maxConnections = maxConnectionsFor(instanceClassSpec(profile.database.instanceClass).memoryGiB);
  } catch (error) {
    return [...problems, (error as Error).message];
  }
  const budget = checkConnectionBudget({
    maxConnections,
    instanceClass: profile.database.instanceClass,
    webMaxTasks: profile.web.maxTasks,
    poolSizePerWebTask: profile.database.poolSizePerWebTask,
    workerMaxConcurrency: profile.worker.maxConcurrency,
    poolSizePerWorker: profile.database.poolSizePerWorker,
    proxyMaxConnectionsPercent: profile.database.proxy ? proxyPercent(maxConnections) : undefined,
  });
  return [...problems, ...budget.problems];
}

/** The proxy's share of max_connections as the Database construct sets it by default (90 %, less on small classes). */
function proxyPercent(maxConnections: number): number {
  const room = maxConnections - RDS_SUPERUSER_RESERVED_CONNECTIONS - ADMIN_RESERVED_CONNECTIONS;
  return Math.max(1, Math.min(PROXY_MAX_CONNECTIONS_PERCENT, Math.floor((room * 100) / maxConnections)));
}
