/**
 * The public API report: API Extractor reads the built declarations (dist/lib/, written by `npm run build`) of
 * each entry point in package.json's "exports" and writes its public surface to api/<name>.api.md, which is
 * checked in. A change of the public surface then shows in review as a change of that file.
 *
 *   tsx tools/lint/api-report.ts --check    fails, with the diff, when a report differs from the build (CI)
 *   tsx tools/lint/api-report.ts --update   rewrites the reports
 *
 * `npm run api:check` and `npm run api:update` build first, so the declarations are never stale.
 * The settings live in api-extractor.json (the "." entry); the "./testing" entry reuses them.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConsoleMessageId, Extractor, ExtractorConfig, type IConfigFile } from '@microsoft/api-extractor';

const root = join(__dirname, '..', '..');
const configPath = join(root, 'api-extractor.json');

/** One report per entry point of package.json's "exports" (its "types" file). */
const ENTRY_POINTS = [
  { entry: '.', declarations: 'dist/lib/index.d.ts', report: 'cdk-scaling-stack' },
  { entry: './testing', declarations: 'dist/lib/testing/index.d.ts', report: 'cdk-scaling-stack-testing' },
] as const;

function usage(): never {
  console.error('usage: tsx tools/lint/api-report.ts --check | --update');
  process.exit(2);
}

const mode = process.argv[2];
if (process.argv.length !== 3 || (mode !== '--check' && mode !== '--update')) usage();
const update = mode === '--update';

const base: IConfigFile = ExtractorConfig.loadFile(configPath);
const changed: string[] = [];

for (const { entry, declarations, report } of ENTRY_POINTS) {
  if (!existsSync(join(root, declarations))) {
    console.error(`${declarations} is missing: run npm run build first (npm run api:check and api:update do).`);
    process.exit(1);
  }
  const reportFile = `api/${report}.api.md`;
  const config = ExtractorConfig.prepare({
    configObject: {
      ...base,
      mainEntryPointFilePath: `<projectFolder>/${declarations}`,
      apiReport: { ...base.apiReport, enabled: true, reportFileName: report },
    },
    configObjectFullPath: configPath,
    packageJsonFullPath: join(root, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: update,
    // In a check, print what changed, so the CI log shows the difference in the public surface.
    printApiReportDiff: !update,
    messageCallback: (message) => {
      // API Extractor's own advice ("copy the file ... or perform a local build") is replaced by ours below.
      if (message.messageId === ConsoleMessageId.ApiReportNotCopied) message.handled = true;
    },
  });
  if (result.apiReportChanged) changed.push(reportFile);
  if (!result.succeeded && !(result.apiReportChanged && !update)) {
    console.error(`API Extractor failed on the ${entry} entry point (${relative(root, join(root, declarations))}).`);
    process.exit(1);
  }
}

if (update) {
  console.log(changed.length ? `Updated ${changed.join(', ')}: commit the change.` : 'The API reports are up to date.');
} else if (changed.length) {
  console.error(
    `\nThe public API differs from ${changed.join(' and ')} (diff above).\n` +
      'If the change is intended, run `npm run api:update` and commit the updated report, so the change shows in review.',
  );
  process.exit(1);
} else {
  console.log('The public API matches the checked-in reports in api/.');
}
