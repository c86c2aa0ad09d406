// What moto did with each resource of the template: deployed, skipped (a type it does not model, a
// custom resource whose code it cannot run; with placeholder attributes when others refer to it) or
// missing (it should exist and does not).
import type { MotoLog } from './moto';
import type { DeployedStack } from './stack';
import { allResources, type CfnTemplate, type TemplateResource } from './template';

export interface SkippedType {
  readonly type: string;
  readonly count: number;
  readonly reason: string;
  /** moto_server.py gave these resources placeholder physical IDs and attributes (others refer to them). */
  readonly placeholder?: boolean;
}

export interface Inventory {
  /** Template resources CloudFormation lists as created. */
  readonly deployed: TemplateResource[];
  readonly skipped: SkippedType[];
  /** Template resources that should have been created and were not, with why when moto said. */
  readonly missing: Array<{ readonly resource: TemplateResource; readonly reason: string }>;
  /** Things moto passes through without doing them, worth a line in the report. */
  readonly notes: string[];
}

export const NOT_MODELLED = "moto's CloudFormation does not model this type";
export const PLACEHOLDER =
  "skipped (placeholder attributes): moto does not model this type; others refer to it, so Ref/Fn::GetAtt gave made-up values shaped like AWS's. Not created, not verified";
const CUSTOM = /^Custom::|^AWS::CloudFormation::CustomResource$/;
/** Custom resources whose effect a test verifies elsewhere: the report says where. */
const VERIFIED_ELSEWHERE: Readonly<Record<string, string>> = {
  'Custom::DatabaseBootstrap':
    'the database roles and extensions it creates are verified against PostgreSQL by test/integration/db-bootstrap.test.ts, not here',
};

/**
 * Sorts the template's resources by what moto did with them. `log` is the stretch of moto's log
 * written during this deploy; without it (a server we did not start) a resource moto did not list
 * counts as skipped, since nothing says it failed.
 */
export function inventory(
  template: CfnTemplate,
  stack: DeployedStack,
  log: MotoLog | undefined,
  placeholders: ReadonlySet<string> = new Set(),
): Inventory {
  const listed = new Map(stack.resources.map((r) => [r.logicalId, r]));
  const deployed: TemplateResource[] = [];
  const missing: Inventory['missing'] = [];
  const skipped = new Map<string, SkippedType>();
  const skip = (type: string, why: string, placeholder = false, elsewhere?: string) => {
    const reason = elsewhere ? `${why}; ${elsewhere}` : why;
    const key = `${type} ${placeholder}`;
    const s = skipped.get(key);
    skipped.set(key, { type, reason, count: (s?.count ?? 0) + 1, ...(placeholder ? { placeholder } : {}) });
  };
  for (const resource of allResources(template)) {
    const row = listed.get(resource.logicalId);
    if (row && placeholders.has(resource.logicalId)) {
      skip(resource.type, PLACEHOLDER, true);
      continue;
    }
    if (row && /_COMPLETE$/.test(row.status) && !/DELETE|ROLLBACK/.test(row.status)) {
      deployed.push(resource);
      if (CUSTOM.test(resource.type)) {
        skip(
          resource.type,
          log === undefined
            ? 'custom resource: its handler may not have run, and its effect is not verified'
            : log.lambdaNotRun
              ? 'custom resource: moto runs Lambda code only in Docker, so its handler never ran'
              : 'custom resource: its effect is not verified',
          false,
          VERIFIED_ELSEWHERE[resource.type],
        );
      }
      continue;
    }
    const failure = log?.failures.find((f) => f.logicalId === resource.logicalId);
    if (failure) missing.push({ resource, reason: failure.reason });
    else if (log === undefined || log.unsupportedTypes.has(resource.type)) skip(resource.type, NOT_MODELLED);
    else missing.push({ resource, reason: row ? `status ${row.status}` : 'not listed by CloudFormation' });
  }
  const notes: string[] = [];
  if (JSON.stringify(template).includes('{{resolve:')) {
    notes.push('dynamic references ({{resolve:secretsmanager:…}}, {{resolve:ssm:…}}) reach resources unresolved: moto does not resolve them');
  }
  const order = (s: SkippedType) => `${s.type} ${s.placeholder ? 1 : 0}`;
  return { deployed, skipped: [...skipped.values()].sort((a, b) => order(a).localeCompare(order(b))), missing, notes };
}

/** How many distinct types were skipped (a type can be skipped both plainly and with placeholders). */
export function skippedTypeCount(skipped: readonly SkippedType[]): number {
  return new Set(skipped.map((s) => s.type)).size;
}
