import { SMOKE_TEST_ENVIRONMENT, SMOKE_TEST_OK_STATUS, isUrlPath } from '../../lib/core/web-delivery';

// The deployment smoke test: ECS invokes it once test traffic reaches the new revision
// (POST_TEST_TRAFFIC_SHIFT) and reads `hookStatus` from its answer: SUCCEEDED moves on to the
// production traffic shift, FAILED (or an error thrown) rolls the deployment back.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html

/** What ECS sends a lifecycle hook (the fields this function logs; the rest is ignored). */
export interface LifecycleHookEvent {
  readonly executionId?: string;
  readonly lifecycleStage?: string;
  readonly executionDetails?: {
    readonly serviceArn?: string;
    readonly targetServiceRevisionArn?: string;
    readonly testTrafficWeights?: Record<string, number>;
  };
}

/** What ECS expects back. IN_PROGRESS (call again later) is never needed: one run fits in the function's timeout. */
export interface HookResult {
  readonly hookStatus: 'SUCCEEDED' | 'FAILED';
}

export interface SmokeTestConfig {
  readonly baseUrl: string;
  readonly paths: readonly string[];
  readonly timeoutMs: number;
}

/** One request's outcome. */
export interface PathResult {
  readonly path: string;
  readonly ok: boolean;
  /** The HTTP status, when a response arrived. */
  readonly status?: number;
  readonly milliseconds: number;
  /** Why it failed: a status outside 200-399, a timeout, a connection error. */
  readonly reason?: string;
}

/** Reads the configuration the construct sets; throws with every problem named. */
export function configFrom(env: Record<string, string | undefined>): SmokeTestConfig {
  const problems: string[] = [];
  const baseUrl = env[SMOKE_TEST_ENVIRONMENT.baseUrl] ?? '';
  if (!/^https?:\/\/[^/\s]+$/.test(baseUrl))
    problems.push(`${SMOKE_TEST_ENVIRONMENT.baseUrl} (${JSON.stringify(baseUrl)}) must be http(s)://host[:port] without a path`);
  let paths: unknown;
  try {
    paths = JSON.parse(env[SMOKE_TEST_ENVIRONMENT.paths] ?? '');
  } catch {
    paths = undefined;
  }
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && isUrlPath(p))) {
    problems.push(`${SMOKE_TEST_ENVIRONMENT.paths} must be a JSON array of URL paths such as ["/health"]`);
  }
  const timeoutMs = Number(env[SMOKE_TEST_ENVIRONMENT.timeoutMs]);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    problems.push(`${SMOKE_TEST_ENVIRONMENT.timeoutMs} must be a whole number of milliseconds above 0`);
  if (problems.length > 0) throw new Error(`smoke test misconfigured: ${problems.join('; ')}`);
  return { baseUrl, paths: paths as string[], timeoutMs };
}

/** Requests one path; never throws. Redirects are not followed: a 3xx counts as alive, as in the health check. */
export async function checkPath(config: SmokeTestConfig, path: string, fetchFn: typeof fetch = fetch): Promise<PathResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  try {
    const response = await fetchFn(`${config.baseUrl}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(config.timeoutMs) });
    // Read the body within the same deadline: a response that stalls mid-body is a failure too.
    await response.arrayBuffer();
    const ok = response.status >= SMOKE_TEST_OK_STATUS.min && response.status <= SMOKE_TEST_OK_STATUS.max;
    return {
      path,
      ok,
      status: response.status,
      milliseconds: elapsed(),
      reason: ok ? undefined : `status ${response.status} outside ${SMOKE_TEST_OK_STATUS.min}-${SMOKE_TEST_OK_STATUS.max}`,
    };
  } catch (error) {
    const name = (error as Error).name;
    const reason =
      name === 'TimeoutError' || name === 'AbortError'
        ? `no complete answer within ${config.timeoutMs} ms`
        : `request failed: ${(error as Error).message}`;
    return { path, ok: false, milliseconds: elapsed(), reason };
  }
}

/** Requests every path in turn (the test listener sends them all to the new revision) and judges them. */
export async function runSmokeTest(config: SmokeTestConfig, fetchFn: typeof fetch = fetch): Promise<{ result: HookResult; paths: PathResult[] }> {
  const paths: PathResult[] = [];
  for (const path of config.paths) paths.push(await checkPath(config, path, fetchFn));
  return { result: { hookStatus: paths.every((p) => p.ok) ? 'SUCCEEDED' : 'FAILED' }, paths };
}

/** The hook handler for one configuration: runs the test, logs one JSON line, answers ECS. */
export function createSmokeTestHandler(config: SmokeTestConfig, log: (line: string) => void = console.log, fetchFn: typeof fetch = fetch) {
  return async (event: LifecycleHookEvent): Promise<HookResult> => {
    const { result, paths } = await runSmokeTest(config, fetchFn);
    log(
      JSON.stringify({
        message: result.hookStatus === 'SUCCEEDED' ? 'smoke test passed' : 'smoke test failed: rolling the deployment back',
        hookStatus: result.hookStatus,
        lifecycleStage: event.lifecycleStage,
        executionId: event.executionId,
        targetServiceRevisionArn: event.executionDetails?.targetServiceRevisionArn,
        paths,
      }),
    );
    return result;
  };
}
