import { Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import type { InstanceClassSpec } from '../core/database';
import { POSTGRES_SETTINGS } from '../core/postgres/settings';
import { PRELOADED_LIBRARIES, tunePostgresParameters, type PostgresWorkloadHints, type TunedParameter } from '../core/postgres/tuning';
import type { Problems } from '../private/problems';
import { checkParameterOverride } from './parameter-overrides';

/** Majors whose parameter family RDS offers and whose settings the tuner uses (PostgreSQL 14 and later). */
const SUPPORTED_FAMILIES = ['postgres14', 'postgres15', 'postgres16', 'postgres17', 'postgres18'];

/** Adds a problem unless the version is a full minor of a major this construct can tune. */
export function checkEngineVersion(p: Problems, version: rds.PostgresEngineVersion, family: string | undefined): void {
  const full = version.postgresFullVersion;
  if (Token.isUnresolved(full)) return;
  if (!family || !SUPPORTED_FAMILIES.includes(family)) {
    p.add(
      `engineVersion ('${full}', major '${version.postgresMajorVersion}') has no RDS parameter group family this construct can tune (${family ? `'${family}'` : 'none'}); use a PostgresEngineVersion.VER_1x_y constant or PostgresEngineVersion.of('17.9', '17'), majors 14 to 18`,
    );
  } else if (!/^\d+\.\d+$/.test(full)) {
    p.add(
      `engineVersion ('${full}') must be a full minor version such as '17.9', not a bare major: cfn-lint flags it (W3691) and each environment could run a different minor`,
    );
  }
}

/**
 * The parameter group's values: tuned for `instanceClass` (none when the class is unknown, which
 * is reported already), then the caller's overrides, each checked, with their problems added to `p`.
 */
export function tuneParameters(
  p: Problems,
  instanceClass: string | undefined,
  hints: PostgresWorkloadHints,
  overrides: Record<string, string>,
): TunedParameter[] {
  const tuned = instanceClass ? tunePostgresParameters(instanceClass, hints).parameters : [];
  return applyOverrides(p, tuned, overrides);
}

/** The parameter group (construct ID `Parameters`, as it always was) holding `parameters`. */
export function createParameterGroup(
  scope: Construct,
  engine: rds.IInstanceEngine,
  instanceClass: string,
  spec: InstanceClassSpec,
  parameters: readonly TunedParameter[],
): rds.ParameterGroup {
  return new rds.ParameterGroup(scope, 'Parameters', {
    engine,
    description: `Tuned for ${instanceClass} (${spec.vCpus} vCPUs, ${spec.memoryGiB} GiB) by cdk-scaling-stack`,
    parameters: Object.fromEntries(parameters.map((x) => [x.name, x.value])),
  });
}

/** Replaces tuned values with the caller's overrides, each checked; shared_preload_libraries is merged. */
function applyOverrides(p: Problems, tuned: readonly TunedParameter[], overrides: Record<string, string>): TunedParameter[] {
  const result = new Map(tuned.map((x) => [x.name, x]));
  for (const [rawName, rawValue] of Object.entries(overrides)) {
    const check = checkParameterOverride(rawName, rawValue);
    if (check.problem !== undefined) {
      p.add(check.problem);
      continue;
    }
    const name = rawName.toLowerCase();
    let value = check.value;
    if (name === 'shared_preload_libraries') {
      const libraries = new Set([
        ...PRELOADED_LIBRARIES,
        ...value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ]);
      value = [...libraries].join(',');
    }
    if (name === 'max_connections' && !/^\d+$/.test(value)) {
      p.add(`parameterOverrides: max_connections ('${rawValue}') must be a plain number so the connection budget can be checked at synth`);
      continue;
    }
    const previous = result.get(name);
    result.set(name, {
      name,
      value,
      rule: `override from parameterOverrides${previous ? ` (tuned value was ${previous.value})` : ''}`,
      source: 'parameterOverrides',
      requiresReboot: POSTGRES_SETTINGS[name]?.context === 'postmaster',
      rdsOnly: name.startsWith('rds.'),
    });
  }
  return [...result.values()];
}
