// The database insights report is complete: the insights worker's latest report in its log group
// read every section (statements, sessions, connections, indexes...), or says which it could not
// and the fix. The worker runs on a schedule (every 15 minutes by default): right after a deploy
// there may be no report yet, which is pending, not a failure.
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DB_INSIGHTS_REPORT_MESSAGE } from '../../../lib/core/insights';
import { INSIGHTS_ENVIRONMENT } from '../../../lambda/db-insights/worker';
import { referencedId } from '../../deploy-local/template';
import { fail, notVerifiableHere, pass, pending, type Outcome } from '../checklist';
import type { Target } from '../target';
import type { ProbeContext } from './context';

/** How far back a report counts: a few runs of the default 15-minute schedule. */
export const REPORT_LOOKBACK_MS = 2 * 60 * 60 * 1000;

interface LogLine {
  readonly message?: string;
  readonly reason?: string;
  readonly report?: { readonly unavailable?: ReadonlyArray<{ section: string; reason: string; fix?: string }> };
}

export async function probeInsights(ctx: ProbeContext): Promise<Outcome> {
  const { target } = ctx;
  const worker = insightsWorker(target);
  if (!worker) return pass('the stack has no database insights worker');
  if (target.emulator)
    return notVerifiableHere(
      'moto runs no scheduled Lambda (EventBridge Scheduler is not modelled, and Lambda code needs Docker), so no report is written',
    );
  if (!worker.logGroup) return fail(`cannot find the log group of ${worker.logicalId}`);

  // The worker's own lines: each report, and a misconfiguration warning (both start "database insights").
  const since = ctx.now() - REPORT_LOOKBACK_MS;
  const lines: Array<{ at: number; line: LogLine }> = [];
  let nextToken: string | undefined;
  do {
    const page = await target.clients.logs.send(
      new FilterLogEventsCommand({ logGroupName: worker.logGroup, startTime: since, filterPattern: '"database insights"', nextToken }),
    );
    for (const e of page.events ?? []) {
      try {
        lines.push({ at: e.timestamp ?? 0, line: JSON.parse(e.message ?? '') as LogLine });
      } catch {
        // not one of the worker's JSON lines
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const latest = lines
    .filter((l) => l.line.message === DB_INSIGHTS_REPORT_MESSAGE || /misconfigured/.test(l.line.message ?? ''))
    .sort((a, b) => b.at - a.at)[0];
  if (!latest) {
    return pending(
      `no report in ${worker.logGroup} in the last ${REPORT_LOOKBACK_MS / 3_600_000} hours: the worker runs on its schedule (every 15 minutes by default); verify again later, or run it now: aws lambda invoke --function-name ${worker.functionName} /dev/stdout`,
    );
  }
  const when = new Date(latest.at).toISOString();
  if (latest.line.message !== DB_INSIGHTS_REPORT_MESSAGE)
    return fail(`the latest run (${when}) read nothing: ${latest.line.message}: ${latest.line.reason ?? ''}`.trim());
  const unavailable = latest.line.report?.unavailable ?? [];
  if (unavailable.length > 0) {
    return fail(
      `the latest report (${when}) is incomplete: ${unavailable.length} part(s) could not be read`,
      unavailable.map((u) => `${u.section}: ${u.reason}${u.fix ? `; fix: ${u.fix}` : ''}`),
    );
  }
  return pass(`the latest report (${when}) is complete`);
}

/** The insights worker: the function whose environment names the instance its metrics describe. */
function insightsWorker(target: Target): { logicalId: string; functionName: string; logGroup?: string } | undefined {
  for (const [logicalId, r] of Object.entries(target.template.Resources)) {
    const variables = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    if (r.Type !== 'AWS::Lambda::Function' || !(INSIGHTS_ENVIRONMENT.instance in variables)) continue;
    const functionName = target.context.physicalIds.get(logicalId) ?? logicalId;
    const groupId = referencedId((r.Properties?.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup);
    const logGroup = groupId ? target.context.physicalIds.get(groupId) : `/aws/lambda/${functionName}`;
    return { logicalId, functionName, logGroup };
  }
  return undefined;
}
