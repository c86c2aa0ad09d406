// The saved CloudWatch Logs Insights queries for the common investigations, as data: the construct
// (lib/monitoring/queries.ts) saves each against its log groups; tests and docs read the same text.
// Each query reads fields its log actually has (cited beside it). Logs Insights bills $0.005 per GB
// scanned when a query runs; a saved query costs nothing until then.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
import { DB_INSIGHTS_REPORT_MESSAGE } from './insights';

/**
 * The request log the web app writes for the "slowest requests" query: one JSON line per request
 * on stdout (the awslogs driver sends it to the service's log group; Logs Insights discovers JSON
 * fields by name). The load balancer's access logs have the same figures but go to S3 (Athena),
 * which Logs Insights cannot read.
 */
export const REQUEST_LOG_FIELDS = {
  method: 'method',
  path: 'path',
  status: 'status',
  /** Time from the request's arrival to the response's last byte, in milliseconds. */
  durationMs: 'durationMs',
} as const;

/** Which log group a query reads. */
export type SavedQuerySource = 'web' | 'worker' | 'databaseInsights' | 'databaseLog';

/** One saved query. */
export interface SavedQueryDefinition {
  /** Shown in the console's saved-queries list, after the stack's folder. */
  readonly title: string;
  /** The log group it reads. */
  readonly source: SavedQuerySource;
  /** What it answers, for the dashboard and the docs. */
  readonly question: string;
  /** The query, one command a line (saved joined by `\n| `). */
  readonly queryLines: readonly string[];
}

const r = REQUEST_LOG_FIELDS;

/** The saved queries by name: what `SavedQueries` creates, one per log group given. */
export const SAVED_QUERIES = {
  slowestRequests: {
    title: 'Slowest requests',
    source: 'web',
    question: `The 50 slowest requests the app logged (JSON lines with ${r.method}, ${r.path}, ${r.status}, ${r.durationMs})`,
    queryLines: [
      `fields @timestamp, ${r.method}, ${r.path}, ${r.status}, ${r.durationMs}`,
      `filter ispresent(${r.durationMs})`,
      `sort ${r.durationMs} desc`,
      'limit 50',
    ],
  },
  jobErrorsByType: {
    title: 'Job errors by type',
    source: 'worker',
    // lambda/shared/job-runner.ts logs a failed record at ERROR with jobType, reason, messageId.
    question: 'Failed and bad jobs per job type and message, with the latest reason and when it last happened',
    queryLines: [
      'filter level = "ERROR"',
      'stats count(*) as errors, latest(reason) as lastReason, latest(messageId) as lastMessageId, max(@timestamp) as lastSeen by jobType, message',
      'sort errors desc',
    ],
  },
  insightsStatements: {
    title: 'Database insights: top statements',
    source: 'databaseInsights',
    // lambda/db-insights logs one report per run; Logs Insights flattens its arrays (`.0.` is the first).
    question:
      "The insights worker's latest reports: slow statement count, the statement with the highest mean time and the one with the most total time",
    queryLines: [
      'fields @timestamp, report.statements.slow as slowStatements, ' +
        'report.statements.byMeanTime.0.meanMs as slowestMeanMs, report.statements.byMeanTime.0.query as slowestStatement, ' +
        'report.statements.byTotalTime.0.totalMs as busiestTotalMs, report.statements.byTotalTime.0.calls as busiestCalls, ' +
        'report.statements.byTotalTime.0.query as busiestStatement',
      `filter message = "${DB_INSIGHTS_REPORT_MESSAGE}"`,
      'sort @timestamp desc',
      'limit 20',
    ],
  },
  slowStatements: {
    title: 'Slowest database statements',
    source: 'databaseLog',
    // PostgreSQL's log_min_duration_statement lines: "duration: 312.5 ms  statement: select …"
    // (or "execute <name>: …" for prepared statements).
    question: "The 50 slowest statements in PostgreSQL's log (every statement over the slow-query threshold)",
    queryLines: [
      'parse @message /duration: (?<durationMs>[0-9.]+) ms\\s+(?<kind>statement|execute [^:]*): (?<statement>.*)/',
      'filter ispresent(durationMs)',
      'sort durationMs desc',
      'limit 50',
    ],
  },
} as const satisfies Record<string, SavedQueryDefinition>;

/** The name of a saved query (a key of SAVED_QUERIES). */
export type SavedQueryName = keyof typeof SAVED_QUERIES;
