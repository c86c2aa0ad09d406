import { Token } from 'aws-cdk-lib';
import { POSTGRES_SETTINGS, type SettingSpec } from '../core/postgres/settings';
import { editDistance } from '../core/text';

/** The result of checking one override: the value as RDS takes it, or what is wrong with it. */
export type OverrideCheck = { readonly value: string; readonly problem?: undefined } | { readonly value?: undefined; readonly problem: string };

const MEMORY_UNITS: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const BASE_UNITS: Record<string, { scale: number; units: Record<string, number> }> = {
  B: { scale: 1, units: MEMORY_UNITS },
  kB: { scale: 1024, units: MEMORY_UNITS },
  '8kB': { scale: 8192, units: MEMORY_UNITS },
  MB: { scale: 1024 ** 2, units: MEMORY_UNITS },
  ms: { scale: 1, units: TIME_UNITS },
  s: { scale: 1000, units: TIME_UNITS },
  min: { scale: 60_000, units: TIME_UNITS },
};
const BOOLEANS: Record<string, string> = { on: '1', true: '1', yes: '1', 1: '1', off: '0', false: '0', no: '0', 0: '0' };
const NUMBER_WITH_UNIT = /^\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-zA-Z]*)\s*$/;
/** RDS parameter formulas, e.g. `{DBInstanceClassMemory/32768}` or `GREATEST(...)`, evaluated by RDS. */
const RDS_FORMULA = /^\s*(\{.*\}|(GREATEST|LEAST|SUM)\s*\(.*\))\s*$/i;

/**
 * Checks one parameter override against the PostgreSQL 17 settings catalog and converts it to what
 * an RDS parameter group takes: booleans as `1`/`0`, numbers with a unit (`'64MB'`, `'5min'`)
 * converted to the parameter's base unit, enums in their canonical spelling. RDS formulas and
 * unresolved tokens are passed through unjudged.
 */
export function checkParameterOverride(name: string, value: string): OverrideCheck {
  const key = name.toLowerCase();
  const spec = POSTGRES_SETTINGS[key];
  if (!spec) {
    const near = closestSetting(key);
    return {
      problem: `parameterOverrides: '${name}' is not a PostgreSQL 17 parameter RDS accepts${near ? ` (did you mean '${near}'?)` : ''}; check the spelling, or see https://www.postgresql.org/docs/17/runtime-config.html`,
    };
  }
  if (Token.isUnresolved(value) || RDS_FORMULA.test(value)) return { value };
  const bad = (allowed: string) => ({ problem: `parameterOverrides: ${key} ('${value}') is not a valid ${spec.type}; ${allowed}` });

  switch (spec.type) {
    case 'bool': {
      const normalized = BOOLEANS[value.trim().toLowerCase()];
      return normalized ? { value: normalized } : bad("use 'on' or 'off' (or 1/0, true/false)");
    }
    case 'enum': {
      const match = spec.values?.find((v) => v.toLowerCase() === value.trim().toLowerCase());
      return match ? { value: match } : bad(`use one of ${(spec.values ?? []).map((v) => `'${v}'`).join(', ')}`);
    }
    case 'string':
      return { value };
    case 'integer':
    case 'real':
      return checkNumber(key, value, spec);
  }
}

function checkNumber(name: string, value: string, spec: SettingSpec): OverrideCheck {
  const base = spec.unit ? BASE_UNITS[spec.unit] : undefined;
  const unitHelp = base
    ? `a number in ${spec.unit} or with a unit (${Object.keys(base.units).join(', ')})`
    : 'a plain number (this parameter has no unit)';
  const range = `${spec.min ?? '-∞'} to ${spec.max ?? '∞'}${spec.unit ? ` ${spec.unit}` : ''}`;
  const parsed = NUMBER_WITH_UNIT.exec(value);
  if (!parsed) return { problem: `parameterOverrides: ${name} ('${value}') is not a valid ${spec.type}; use ${unitHelp}, between ${range}` };
  const [, numberText, unit] = parsed;
  let number = Number(numberText);
  if (unit) {
    const factor = base?.units[unit];
    if (!base || factor === undefined) {
      return { problem: `parameterOverrides: ${name} ('${value}') has unit '${unit}', which it does not take; use ${unitHelp}` };
    }
    number = (number * factor) / base.scale;
  }
  if (spec.type === 'integer') {
    // PostgreSQL rounds a value given in a smaller unit to the nearest base unit.
    if (!unit && !Number.isInteger(number))
      return { problem: `parameterOverrides: ${name} ('${value}') must be a whole number of ${spec.unit ?? 'units'}` };
    number = Math.round(number);
  }
  if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) {
    return { problem: `parameterOverrides: ${name} ('${value}' = ${number}${spec.unit ? ` ${spec.unit}` : ''}) is out of range; use ${range}` };
  }
  return { value: String(number) };
}

/** The known setting nearest to a misspelled name, if one is close (edit distance ≤ 3). */
function closestSetting(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of Object.keys(POSTGRES_SETTINGS)) {
    const distance = editDistance(name, candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
