import type { CfnResource } from '../template';
import { num, str } from '../template';
import type { Scenario } from '../usage';
import { Bill, fmt, type PricingContext, type Priced, unpriced, usd } from './context';
import { invocationsPerMonth } from './scheduler';

/** Copies into one of these regions from us-east-1 pay the lower inter-region rate. */
const US_EAST = new Set(['us-east-1', 'us-east-2']);

/**
 * AWS Backup plan: the recovery points its rules keep, in the stack's region and in each copy
 * region, at the warm-storage rate of what the plan selects (RDS snapshots), and the inter-region
 * transfer of each copy. The data protected is a usage assumption (`backupDataGb`, plus
 * `backupDailyChangeGb` for every further recovery point kept: RDS snapshots of one instance are
 * incremental). Every copy is priced as a full transfer of `backupDataGb`: an upper bound, since RDS
 * copies a later snapshot of the same instance incrementally when the earlier copy is still there.
 * No free allowance is applied (AWS Backup's RDS snapshots count toward RDS's 100 % of provisioned
 * storage, which the automated backups already use).
 */
export function backupPlan(id: string, r: CfnResource, ctx: PricingContext): Priced {
  const plan = r.Properties?.BackupPlan as { BackupPlanRule?: Record<string, unknown>[] } | undefined;
  const rules = plan?.BackupPlanRule ?? [];
  const selected = selectedResources(id, ctx);
  if (selected.length === 0) return unpriced('no AWS::Backup::BackupSelection refers to the plan');
  const other = selected.filter((arn) => !/:rds:/.test(arn));
  if (other.length > 0) return unpriced(`only RDS instances are priced; the plan also selects ${other.join(', ')}`);
  const instances = selected.length;
  const bill = new Bill();
  for (const rule of rules) {
    const name = str(rule.RuleName) ?? '(rule)';
    const expression = str(rule.ScheduleExpression);
    const runs = expression ? invocationsPerMonth(dailyCron(expression), ctx.hours) : 'ScheduleExpression is not a literal in the template';
    const keepDays = num((rule.Lifecycle as Record<string, unknown> | undefined)?.DeleteAfterDays);
    if (typeof runs === 'string' || keepDays === undefined) {
      bill.cannot(`rule ${name}: ${typeof runs === 'string' ? runs : 'Lifecycle.DeleteAfterDays is not a literal (the points kept are unbounded)'}`);
      continue;
    }
    // Recovery points held at once: one per run, for the days each is kept.
    const held = Math.max(1, Math.round((runs / (ctx.hours / 24)) * keepDays));
    const storedGb = (s: Scenario) => instances * (ctx.use('backupDataGb', s) + ctx.use('backupDailyChangeGb', s) * (held - 1));
    const storage = (where: string) =>
      bill.add(
        `AWS Backup RDS snapshots, ${where} (rule ${name})`,
        () =>
          `${instances} instance(s) x (backupDataGb ${ctx.assumed('backupDataGb')} + ${held - 1} x backupDailyChangeGb ${ctx.assumed('backupDailyChangeGb')}) GB x ${usd(ctx.price('backup.rds.warmStorage.gbMonth'))}/GB-month`,
        (s) => storedGb(s) * ctx.price('backup.rds.warmStorage.gbMonth'),
      );
    storage('this region');
    for (const copy of (rule.CopyActions as Record<string, unknown>[] | undefined) ?? []) {
      const region = /:backup:([a-z0-9-]+):/.exec(JSON.stringify(copy.DestinationBackupVaultArn))?.[1];
      if (!region) {
        bill.cannot(`rule ${name}: the copy's destination region is not a literal in its vault ARN`);
        continue;
      }
      storage(`copies in ${region}`);
      const key = US_EAST.has(region) ? 'dataTransfer.interRegion.toUsEast.gb' : 'dataTransfer.interRegion.toOtherRegions.gb';
      bill.add(
        `AWS Backup copy transfer to ${region} (rule ${name})`,
        () =>
          `${fmt(runs)} copies a month x ${instances} instance(s) x backupDataGb ${ctx.assumed('backupDataGb')} GB x ${usd(ctx.price(key))}/GB (full copies: an upper bound)`,
        (s) => runs * instances * ctx.use('backupDataGb', s) * ctx.price(key),
      );
    }
  }
  return bill;
}

/** The ARNs (as JSON text, tokens included) the plan's selections name. */
function selectedResources(planId: string, ctx: PricingContext): string[] {
  return Object.values(ctx.template.Resources)
    .filter((res) => res.Type === 'AWS::Backup::BackupSelection' && JSON.stringify(res.Properties?.BackupPlanId).includes(`"${planId}"`))
    .flatMap((res) =>
      ((res.Properties?.BackupSelection as { Resources?: unknown[] } | undefined)?.Resources ?? []).map((arn) => JSON.stringify(arn)),
    );
}

/** AWS Backup writes "every day" as `? * *` (day-of-month ?, day-of-week *); the counter reads `* ? *`. */
function dailyCron(expression: string): string {
  return expression.replace(/^cron\((\S+) (\S+) \? (\S+) \* (\S+)\)$/, 'cron($1 $2 * $3 ? $4)');
}
