// The stack's WebUrl answers: what a viewer reaches, through CloudFront (or the domain), the load
// balancer and a task.
import { fail, notVerifiableHere, pass, type Outcome } from '../checklist';
import type { ProbeContext } from './context';

/** Attempts, and the pause between them: CloudFront can take a minute after a deploy to serve. */
export const WEB_ATTEMPTS = 3;
export const WEB_RETRY_PAUSE_MS = 10_000;
const WEB_TIMEOUT_MS = 10_000;

export async function probeWeb(ctx: ProbeContext): Promise<Outcome> {
  const url = ctx.target.stack.outputs.WebUrl;
  if (!url) return fail('the stack has no WebUrl output');
  if (ctx.target.emulator)
    return notVerifiableHere(`moto serves no CloudFront or load balancer traffic and runs no container; ${url} is a name it made up`);
  let last = '';
  for (let attempt = 1; attempt <= WEB_ATTEMPTS; attempt++) {
    const started = ctx.now();
    try {
      const response = await ctx.fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(WEB_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (response.ok) return pass(`${url} answered ${response.status} in ${ctx.now() - started} ms`);
      last = `answered ${response.status} ${response.statusText}`.trim();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      last = `did not answer: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
    }
    if (attempt < WEB_ATTEMPTS) await ctx.sleep(WEB_RETRY_PAUSE_MS);
  }
  return fail(`${url} ${last} (${WEB_ATTEMPTS} attempts, ${WEB_RETRY_PAUSE_MS / 1000} s apart)`);
}
