/**
 * The environment contract between the stack and the code it runs: the names of the variables the
 * web service's container and the Lambda workers receive. Values that are credentials arrive as
 * ECS secrets / are fetched from Secrets Manager, never as plain environment values.
 *
 * One place, so the README, the web service, the workers and the tests cannot drift apart.
 */
export const APP_ENVIRONMENT = {
  /** PostgreSQL host clients connect to: the RDS Proxy endpoint when there is one, else the instance. */
  databaseHost: 'DB_HOST',
  /** PostgreSQL port. */
  databasePort: 'DB_PORT',
  /** Database name. */
  databaseName: 'DB_NAME',
  /** ARN of the Secrets Manager secret holding `username` and `password` (workers fetch it). */
  databaseSecretArn: 'DB_SECRET_ARN',
  /**
   * 'true' when clients must authenticate with an IAM token (RDS Proxy in production requires it):
   * the password is then a token signed for DB_USER with the client's role (`rds-db:connect`), and
   * no DB_PASSWORD is provided. 'false': log in with DB_PASSWORD.
   */
  databaseIamAuth: 'DB_IAM_AUTH',
  /**
   * 'true' when DB_HOST is an RDS Proxy endpoint: clients then send no connection start-up
   * parameter beyond user, database and client encoding (the proxy refuses the others, such as
   * `statement_timeout`), and take session settings from the database role instead. 'false' (or
   * absent): DB_HOST is the instance itself.
   */
  databaseProxy: 'DB_PROXY',
  /**
   * The most connections the client's pool may open (node-postgres `Pool({ max })`): the web tasks
   * get the profile's `database.poolSizePerWebTask`, the jobs worker DATABASE_POOL_SIZE, the insights
   * worker INSIGHTS_DATABASE_POOL_SIZE. The connection budget (lib/core/postgres/connection-budget.ts)
   * counts exactly this many per task or execution environment: a client that opens more than
   * DB_POOL_MAX breaks the budget the stack was checked against at synth.
   */
  databasePoolMax: 'DB_POOL_MAX',
  /**
   * Database user: the application role the Database's bootstrap creates (the monitoring role for
   * the insights worker), never the master user. A plain value: a name is not a secret.
   */
  databaseUser: 'DB_USER',
  /** Database password (ECS secret, from the application role's secret; absent in IAM mode). */
  databasePassword: 'DB_PASSWORD',
  /** Valkey primary endpoint host. */
  cacheHost: 'CACHE_HOST',
  /** Valkey port. */
  cachePort: 'CACHE_PORT',
  /** 'true': the cache requires TLS (always, for Valkey). */
  cacheTls: 'CACHE_TLS',
  /** ARN of the Secrets Manager secret holding the cache AUTH token (workers fetch it). */
  cacheAuthSecretArn: 'CACHE_AUTH_SECRET_ARN',
  /** Cache AUTH token (ECS secret). */
  cacheAuthToken: 'CACHE_AUTH_TOKEN',
  /** URL of the jobs queue the web service sends background work to. */
  jobsQueueUrl: 'JOBS_QUEUE_URL',
  /** Name of the DynamoDB table the jobs worker keeps its idempotency records in (Powertools' layout). */
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
} as const;

/**
 * Tracing (when the profile's `observability.tracing` is on; docs/tracing.md). The web container
 * also receives the OpenTelemetry SDK's variables, named in `OTEL_ENVIRONMENT`: the app starts an
 * OpenTelemetry SDK (ideally the AWS Distro for OpenTelemetry, whose X-Ray remote sampler reads
 * the stack's sampling rule) and exports to `OTEL_EXPORTER_OTLP_ENDPOINT`; with
 * `OTEL_PROPAGATORS=xray,tracecontext` its server span continues the trace the load balancer
 * started in `X-Amzn-Trace-Id`.
 *
 * To carry a request's trace to the job it queues, the app sends the job with the SQS message
 * system attribute `AWSTraceHeader` (JOB_TRACE_ATTRIBUTE) set to the current span in X-Ray header
 * form, `Root=1-<8 hex time>-<24 hex>;Parent=<16 hex span id>;Sampled=1` (the X-Ray propagator's
 * `inject` writes exactly that into a carrier; its `X-Amzn-Trace-Id` value is the attribute's
 * value); set it on SendMessage yourself: OpenTelemetry's AWS SDK instrumentation writes the context
 * into ordinary message attributes, not this system attribute. The jobs worker continues that trace for the job
 * (lambda/shared/tracer.ts), so one trace shows request -> queue -> job.
 */
export const JOB_TRACE_ATTRIBUTE = 'AWSTraceHeader';
export { OTEL_ENVIRONMENT } from './tracing';
