// The schema library of the workers: zod/mini (~20 KB bundled, against ~450 KB for classic zod),
// with English messages so a rejected message's reason is readable in the logs.
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());

export { z };

/** A schema error as one line: `path: message; path: message`. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');
}
