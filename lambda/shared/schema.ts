// The schema library of the workers is zod/mini (~25 KB bundled, against ~450 KB for classic zod),
// configured here with English messages so a rejected message's reason is readable in the logs.
// Import it as `import * as z from 'zod/mini'`: re-exporting the namespace from here would make
// esbuild keep all of zod (the namespace object is then a value) and add ~400 KB to the bundle.
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());

/** A schema error as one line: `path: message; path: message`. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');
}
