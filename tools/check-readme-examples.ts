// Compiles (and, where marked, runs) the TypeScript examples of README.md and every docs/*.md
// against the built package, resolved through its package.json `exports` exactly as another
// project would import it. A failure names the Markdown file and line.
//
// A ```ts block is checked when the line before its fence is <!-- example: compile --> or
// <!-- example: run -->. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

export interface Example {
  readonly mode: 'compile' | 'run';
  readonly code: string;
  /** The line of the example's first code line in its Markdown file (1-based). */
  readonly line: number;
}

export interface LocatedExample extends Example {
  /** The Markdown file, relative to the repository. */
  readonly file: string;
}

/** The checked examples of a Markdown text, in order; `file` names it in errors. */
export function extractExamples(markdown: string, file = 'README.md'): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!--\s*example:\s*(compile|run)\s*-->$/.exec(lines[i].trim());
    if (!marker) continue;
    if (!/^```(ts|typescript)\s*$/.test(lines[i + 1]?.trim() ?? '')) {
      throw new Error(`${file}:${i + 1}: an example marker must be followed by a \`\`\`ts fence`);
    }
    const end = lines.findIndex((l, j) => j > i + 1 && l.trim() === '```');
    if (end < 0) throw new Error(`${file}:${i + 2}: the example's fence is never closed`);
    examples.push({ mode: marker[1] as Example['mode'], code: lines.slice(i + 2, end).join('\n') + '\n', line: i + 3 });
    i = end;
  }
  return examples;
}

/** README.md, then every Markdown page under docs/, in a fixed order. */
export function markdownFiles(base: string = root): string[] {
  const docs = path.join(base, 'docs');
  const pages = fs.existsSync(docs)
    ? (fs.readdirSync(docs, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join('docs', f).split(path.sep).join('/'))
        .sort()
    : [];
  return ['README.md', ...pages];
}

/** Lines written above each example in its scratch file (the comment naming its origin). */
const HEADER_LINES = 1;

/** The scratch file of the `index`th example. */
export function scratchFileName(index: number): string {
  return `example-${index + 1}.ts`;
}

/**
 * Diagnostics with each scratch-file position turned into the Markdown file and line it came from:
 * tsc's `example-3.ts(5,7): error TS2304: …` becomes `docs/cache.md:42:7: error TS2304: …`, and a
 * stack frame's `/…/.readme-check/example-3.ts:5:7` becomes `docs/cache.md:42:7`.
 */
export function locateDiagnostics(output: string, examples: readonly LocatedExample[]): string {
  const position = /(?:[^\s()]*[\\/])?example-(\d+)\.ts(?:\((\d+),(\d+)\)|:(\d+):(\d+))/g;
  return output.replace(position, (match, n: string, tscLine?: string, tscColumn?: string, line?: string, column?: string) => {
    const example = examples[Number(n) - 1];
    if (!example) return match;
    return `${example.file}:${example.line + Number(tscLine ?? line) - 1 - HEADER_LINES}:${tscColumn ?? column}`;
  });
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function main(): void {
  if (!fs.existsSync(path.join(root, 'dist', 'lib', 'index.d.ts'))) throw new Error('dist/ is missing: run `npm run build` first');
  const files = markdownFiles();
  const examples: LocatedExample[] = files.flatMap((file) =>
    extractExamples(fs.readFileSync(path.join(root, file), 'utf8'), file).map((example) => ({ ...example, file })),
  );
  if (examples.length === 0) throw new Error(`no marked examples in ${files.join(', ')}`);

  // A scratch project under the repo, so imports of aws-cdk-lib resolve to the repo's node_modules
  // and `cdk-scaling-stack` resolves to the built package through a node_modules link.
  const dir = path.join(root, '.readme-check');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'cdk-scaling-stack'), 'dir');
  const scratch = examples.map((example, i) => {
    const file = scratchFileName(i);
    fs.writeFileSync(path.join(dir, file), `// ${example.file} line ${example.line}\n${example.code}`);
    return file;
  });
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node', 'jest'],
          typeRoots: [path.join(root, 'node_modules', '@types')],
        },
        files: scratch,
      },
      null,
      2,
    ),
  );

  const compiled = run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'], root);
  if (!compiled.ok) throw new Error(`examples do not compile:\n${locateDiagnostics(compiled.output, examples)}`);
  const perFile = files.map((f) => `${f} ${examples.filter((e) => e.file === f).length}`).filter((s) => !s.endsWith(' 0'));
  console.log(`compiled ${examples.length} example(s) against the built package (${perFile.join(', ')})`);
  examples.forEach((example, i) => {
    if (example.mode !== 'run') return;
    const where = `${example.file}:${example.line}`;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
    const ran = run(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), scratch[i]], dir, {
      ...process.env,
      CDK_OUTDIR: outdir,
    });
    if (!ran.ok) throw new Error(`${where}: the example failed when run:\n${locateDiagnostics(ran.output, examples)}`);
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    if (templates.length === 0) throw new Error(`${where}: the example ran but synthesized no stack`);
    console.log(`ran ${where}: ${templates.join(', ')}`);
  });
  fs.rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`check-readme-examples: ${(error as Error).message}`);
    process.exit(1);
  }
}
