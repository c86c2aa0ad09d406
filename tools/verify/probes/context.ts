import type { Target } from '../target';

/** What a live probe reads, with the clock and HTTP client injectable for tests. */
export interface ProbeContext {
  readonly target: Target;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly fetch: typeof fetch;
}

export function probeContext(target: Target, overrides: Partial<Omit<ProbeContext, 'target'>> = {}): ProbeContext {
  return {
    target,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    fetch: (...args) => fetch(...args),
    ...overrides,
  };
}

/** The deployed resources of `type` (not moto_server.py placeholders): logical ID, physical ID, template properties. */
export function deployedOfType(target: Target, type: string): Array<{ logicalId: string; physicalId: string; properties: Record<string, unknown> }> {
  return Object.entries(target.template.Resources).flatMap(([logicalId, r]) => {
    const physicalId = target.context.physicalIds.get(logicalId);
    return r.Type === type && physicalId && !target.context.placeholders.has(logicalId)
      ? [{ logicalId, physicalId, properties: r.Properties ?? {} }]
      : [];
  });
}
