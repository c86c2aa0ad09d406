// The profile's safety rules, exactly as synth applies them: the profile rules, the database
// connection budget and the parameter group's memory fit ScalingStack checks. Both live in lib/core (plain TypeScript), so the worker
// runs the same code as `cdk synth` without any of aws-cdk-lib in its bundle.
import { checkProfileConnectionBudget } from '../../lib/core/postgres/connection-budget';
import { checkProfileMemoryFit, profileBudgetedSessions } from '../../lib/core/postgres/memory-fit';
import { instanceClassSpec, maxConnectionsFor, tunePostgresParameters } from '../../lib/core/postgres/tuning';
import type { Profile } from '../../lib/core/profiles/profile';
import { profileProblems } from '../../lib/core/profiles/rules';

/** Everything that would stop `cdk synth` of a stack sized by `profile`, as messages; empty when it is safe. */
export function safetyProblems(profile: Profile): string[] {
  const problems = [...profileProblems(profile)];
  let maxConnections: number;
  try {
    maxConnections = maxConnectionsFor(instanceClassSpec(profile.database.instanceClass).memoryGiB);
  } catch (error) {
    return [...problems, (error as Error).message];
  }
  const { parameters } = tunePostgresParameters(profile.database.instanceClass, {
    expectedConnections: profileBudgetedSessions(profile),
    allocatedStorageGiB: profile.database.allocatedStorageGiB,
  });
  return [...problems, ...checkProfileConnectionBudget(profile, maxConnections).problems, ...checkProfileMemoryFit(profile, parameters)];
}
