// The logger interface the shared clients (cache, database) and the jobs take, in a file of its
// own so the clients need not import the job contract that imports them.

/** The log methods jobs and helpers use (Powertools Logger has them). */
export interface WorkerLogger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}
