// Compiles (and, where marked, runs) the TypeScript examples in README.md against the built
// package, resolved through its package.json `exports` exactly as another project would import it.
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
  readonly line: number;
}

/** The checked examples of a Markdown text, in order. */
export function extractExamples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!--\s*example:\s*(compile|run)\s*-->$/.exec(lines[i].trim());
    if (!marker) continue;
    if (!/^```(ts|typescript)\s*$/.test(lines[i + 1]?.trim() ?? '')) {
      throw new Error(`README.md:${i + 1}: an example marker must be followed by a \`\`\`ts fence`);
    }
    const end = lines.findIndex((l, j) => j > i + 1 && l.trim() === '```');
    if (end < 0) throw new Error(`README.md:${i + 2}: the example's fence is never closed`);
    examples.push({ mode: marker[1] as Example['mode'], code: lines.slice(i + 2, end).join('\n') + '\n', line: i + 3 });
    i = end;
  }
  return examples;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

function main(): void {
  if (!fs.existsSync(path.join(root, 'dist', 'lib', 'index.d.ts'))) throw new Error('dist/ is missing: run `npm run build` first');
  const examples = extractExamples(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
  if (examples.length === 0) throw new Error('README.md has no marked examples');

  // A scratch project under the repo, so imports of aws-cdk-lib resolve to the repo's node_modules
  // and `cdk-scaling-stack` resolves to the built package through a node_modules link.
  const dir = path.join(root, '.readme-check');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'cdk-scaling-stack'), 'dir');
  const files = examples.map((example, i) => {
    const file = `example-${i + 1}.ts`;
    fs.writeFileSync(path.join(dir, file), `// README.md line ${example.line}\n${example.code}`);
    return file;
  });
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
      skipLibCheck: true, types: ['node', 'jest'], typeRoots: [path.join(root, 'node_modules', '@types')],
    },
    files,
  }, null, 2));

  run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], root);
  console.log(`compiled ${examples.length} README example(s) against the built package`);
  examples.forEach((example, i) => {
    if (example.mode !== 'run') return;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
    run(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), files[i]], dir, { ...process.env, CDK_OUTDIR: outdir });
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    if (templates.length === 0) throw new Error(`README example at line ${example.line} ran but synthesized no stack`);
    console.log(`ran README example at line ${example.line}: ${templates.join(', ')}`);
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
