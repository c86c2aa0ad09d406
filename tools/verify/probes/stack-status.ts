// The stack itself: its last operation completed.
import { fail, pass, pending, type Outcome } from '../checklist';
import type { ProbeContext } from './context';

export async function probeStackStatus({ target }: ProbeContext): Promise<Outcome> {
  const status = target.stack.status;
  if (/_IN_PROGRESS$/.test(status)) return pending(`${status}: an operation is still running; verify again when it ends`);
  if (/FAILED|ROLLBACK/.test(status))
    return fail(`${status}: the last operation failed; \`aws cloudformation describe-stack-events --stack-name ${target.stack.name}\` says why`);
  return pass(`${status}, ${target.stack.resources.length} resources`);
}
