import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  DB_INSIGHTS_METRICS,
  DB_INSIGHTS_METRICS_NAMESPACE,
  DB_INSIGHTS_REPORT_MESSAGE,
  INDEX_CANDIDATE_MIN_ROWS,
  LONG_TRANSACTION_SECONDS,
  SLOW_STATEMENT_MS,
  TOP_STATEMENTS,
  UNUSED_INDEX_MIN_BYTES,
} from '../../lib/core/insights';
import { ConfigurationError, databaseSettings, type Environment } from '../shared/config';
import { DatabasePool, databaseConfigFrom } from '../shared/database';
import type { QueryRunner } from '../shared/job-runner';
import { SecretsManagerSource, type SecretSource } from '../shared/secrets';
import { createTracer, traceHandler, type WorkerTracer } from '../shared/tracer';
import { collectInsights, type DatabaseInsightsReport, type InsightOptions } from './collect';

/** The environment variables of the worker besides the database's (APP_ENVIRONMENT names). */
export const INSIGHTS_ENVIRONMENT = {
  /** The `DBInstanceIdentifier` dimension of the published metrics. */
  instance: 'INSIGHTS_DB_INSTANCE',
  slowStatementMs: 'INSIGHTS_SLOW_STATEMENT_MS',
  longTransactionSeconds: 'INSIGHTS_LONG_TRANSACTION_SECONDS',
  minTableRows: 'INSIGHTS_MIN_TABLE_ROWS',
} as const;

export interface InsightsWorkerOptions {
  readonly env: Environment;
  /** @default - Secrets Manager */
  readonly secrets?: SecretSource;
  /** @default - a pool from the environment (DB_HOST, DB_SECRET_ARN, ...), as the jobs worker's */
  readonly database?: QueryRunner & { close(): Promise<void> };
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** @default - Powertools Tracer, on when the function has active tracing (POWERTOOLS_TRACE_ENABLED) */
  readonly tracer?: WorkerTracer;
}

export interface InsightsResult {
  readonly status: 'reported' | 'misconfigured';
  readonly report?: DatabaseInsightsReport;
  readonly error?: string;
}

export interface InsightsWorker {
  readonly handler: () => Promise<InsightsResult>;
  close(): Promise<void>;
}

/**
 * The database insights worker: one database pool per execution environment (the shared
 * `DatabasePool`, credentials from the secret or IAM as `databaseConfigFrom` decides), a report
 * per run, EMF metrics, and each setup problem (missing extension, missing privilege, bad
 * settings) logged as a warning once per execution environment with its fix, never thrown: the
 * scheduler would only retry what fails the same way.
 */
export function createInsightsWorker(options: InsightsWorkerOptions): InsightsWorker {
  const env = options.env;
  const serviceName = env.POWERTOOLS_SERVICE_NAME ?? 'db-insights';
  const logger = options.logger ?? new Logger({ serviceName });
  const instance = env[INSIGHTS_ENVIRONMENT.instance];
  const metrics =
    options.metrics ??
    new Metrics({
      serviceName,
      namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? DB_INSIGHTS_METRICS_NAMESPACE,
      defaultDimensions: instance ? { DBInstanceIdentifier: instance } : {},
    });
  const tracer = options.tracer ?? createTracer(serviceName);
  const secrets = options.secrets ?? new SecretsManagerSource(tracer);
  const database =
    options.database ??
    new DatabasePool(
      databaseConfigFrom(env, secrets),
      logger,
      () => {
        const arn = databaseSettings(env).secretArn;
        if (arn) secrets.forget(arn);
      },
      tracer,
    );
  const reported = new Set<string>();
  const warnOnce = (key: string, message: string, extra: Record<string, unknown>) => {
    if (reported.has(key)) return;
    reported.add(key);
    logger.warn(message, extra);
  };

  const handler = async (): Promise<InsightsResult> => {
    let insightOptions: InsightOptions;
    try {
      insightOptions = optionsFrom(env);
      databaseSettings(env);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      warnOnce(`config:${error.message}`, 'database insights: misconfigured, nothing read', { reason: error.message });
      return { status: 'misconfigured', error: error.message };
    }
    const report = await collectInsights(database, insightOptions);
    for (const u of report.unavailable) {
      warnOnce(`${u.section}:${u.reason}`, `database insights: ${u.section} unavailable`, { reason: u.reason, fix: u.fix });
    }
    publish(metrics, report);
    logger.info(DB_INSIGHTS_REPORT_MESSAGE, { report });
    return { status: 'reported', report };
  };
  return { handler: traceHandler(tracer, 'db-insights', handler), close: () => database.close() };
}

/** The report's figures as EMF metrics; a section that could not be read publishes nothing. */
export function publish(metrics: Metrics, report: DatabaseInsightsReport): void {
  const m = DB_INSIGHTS_METRICS;
  if (report.bufferCacheHitRatio !== undefined) metrics.addMetric(m.bufferCacheHitRatio, MetricUnit.Percent, round(report.bufferCacheHitRatio));
  if (report.statements) metrics.addMetric(m.slowStatements, MetricUnit.Count, report.statements.slow);
  if (report.sessions) {
    metrics.addMetric(m.longestTransactionAge, MetricUnit.Seconds, round(report.sessions.longestTransactionSeconds));
    metrics.addMetric(m.idleInTransactionSessions, MetricUnit.Count, report.sessions.idleInTransaction.length);
  }
  if (report.connections) metrics.addMetric(m.connectionUse, MetricUnit.Percent, round(report.connections.percent));
  if (report.indexCandidates) metrics.addMetric(m.indexCandidates, MetricUnit.Count, report.indexCandidates.length);
  if (report.unusedIndexes) metrics.addMetric(m.unusedIndexes, MetricUnit.Count, report.unusedIndexes.length);
  metrics.addMetric(m.unavailableSections, MetricUnit.Count, new Set(report.unavailable.map((u) => u.section)).size);
  metrics.publishStoredMetrics();
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Thresholds from the environment (set by the construct), else the defaults. */
export function optionsFrom(env: Environment): InsightOptions {
  const number = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new ConfigurationError(`${name} ('${raw}') must be a number from ${min} to ${max}`);
    return n;
  };
  const e = INSIGHTS_ENVIRONMENT;
  return {
    slowStatementMs: number(e.slowStatementMs, SLOW_STATEMENT_MS, 1, 3_600_000),
    longTransactionSeconds: number(e.longTransactionSeconds, LONG_TRANSACTION_SECONDS, 1, 86_400),
    minTableRows: number(e.minTableRows, INDEX_CANDIDATE_MIN_ROWS, 1, 1e12),
    topStatements: TOP_STATEMENTS,
    minUnusedIndexBytes: UNUSED_INDEX_MIN_BYTES,
  };
}
