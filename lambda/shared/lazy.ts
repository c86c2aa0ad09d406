/**
 * A value computed once and shared by every caller, like a module-scope client, except that a
 * failure is not cached: the next call tries again. That is what lets a worker recover from an
 * outage at cold start without waiting for a new execution environment.
 */
export function once<T>(make: () => Promise<T>): { get(): Promise<T>; reset(): void } {
  let pending: Promise<T> | undefined;
  return {
    get() {
      pending ??= make().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    reset() {
      pending = undefined;
    },
  };
}
