// A Target around a small template, with SDK clients whose calls the tests mock, and a clock that
// advances only when a probe sleeps.
import { dev } from '../../../lib/core/profiles';
import { createClients } from '../../../tools/deploy-local/aws';
import { Checks } from '../../../tools/deploy-local/checks';
import { Resolver, type CfnTemplate } from '../../../tools/deploy-local/template';
import { probeContext, type ProbeContext } from '../../../tools/verify/probes/context';
import type { Target } from '../../../tools/verify/target';

export interface FakeTargetOptions {
  readonly physical?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly emulator?: boolean;
  readonly status?: string;
  readonly placeholders?: string[];
}

export function fakeTarget(template: CfnTemplate, options: FakeTargetOptions = {}): Target {
  // Port 9 (discard): every call is mocked, and one that is not fails fast instead of reaching anything.
  const clients = createClients('http://localhost:9');
  const physicalIds = new Map(Object.entries(options.physical ?? {}));
  const stack = {
    name: 'ScalingStack-dev',
    status: options.status ?? 'CREATE_COMPLETE',
    parameters: {},
    outputs: options.outputs ?? {},
    resources: [...physicalIds].map(([logicalId, physicalId]) => ({
      logicalId,
      physicalId,
      type: template.Resources[logicalId]?.Type ?? '',
      status: 'CREATE_COMPLETE',
    })),
  };
  const resolver = new Resolver({
    template,
    physicalIds,
    parameters: {},
    stackName: stack.name,
    account: '111122223333',
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b'],
    attribute: async () => undefined,
  });
  return {
    clients,
    account: '111122223333',
    region: 'eu-west-1',
    emulator: options.emulator ?? false,
    stack,
    template,
    ...(options.emulator ? { endpoint: 'http://localhost:5055' } : {}),
    context: { template, profile: dev, stack, physicalIds, placeholders: new Set(options.placeholders), resolver, clients, checks: new Checks() },
  };
}

/** A probe context whose clock starts at `start` and moves only by what the probe sleeps; `slept` records each sleep. */
export function fakeClock(target: Target, overrides: Partial<ProbeContext> = {}): ProbeContext & { slept: number[] } {
  let now = Date.parse('2026-12-05T10:00:00Z');
  const slept: number[] = [];
  return Object.assign(
    probeContext(target, {
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
      fetch: async () => {
        throw new Error('no network in unit tests');
      },
      ...overrides,
    }),
    { slept },
  );
}
