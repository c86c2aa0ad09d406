import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractExamples, locateDiagnostics, markdownFiles, scratchFileName, type LocatedExample } from '../../tools/check-readme-examples';

describe('extractExamples', () => {
  test('takes only marked ts blocks, with their mode and first code line', () => {
    const md = [
      '# T',
      '```ts',
      'unmarked();',
      '```',
      '<!-- example: run -->',
      '```ts',
      'a();',
      'b();',
      '```',
      '<!-- example: compile -->',
      '```typescript',
      'c();',
      '```',
    ].join('\n');
    expect(extractExamples(md)).toEqual([
      { mode: 'run', code: 'a();\nb();\n', line: 7 },
      { mode: 'compile', code: 'c();\n', line: 12 },
    ]);
  });

  test('a marker without a ts fence after it is an error naming the file and line', () => {
    expect(() => extractExamples('text\n<!-- example: run -->\n```sh\nls\n```')).toThrow(
      'README.md:2: an example marker must be followed by a ```ts fence',
    );
    expect(() => extractExamples('text\n\n<!-- example: run -->\n```sh\nls\n```', 'docs/cache.md')).toThrow(
      'docs/cache.md:3: an example marker must be followed by a ```ts fence',
    );
  });

  test('an unclosed fence is an error naming the file and line', () => {
    expect(() => extractExamples('<!-- example: compile -->\n```ts\nx();')).toThrow("README.md:2: the example's fence is never closed");
    expect(() => extractExamples('<!-- example: compile -->\n```ts\nx();', 'docs/database.md')).toThrow(
      "docs/database.md:2: the example's fence is never closed",
    );
  });
});

describe('markdownFiles', () => {
  test('README.md first, then every page under docs/ in order, nested pages included', () => {
    // GIVEN a repository with docs pages out of order, a subfolder and a file that is not Markdown
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-files-'));
    fs.mkdirSync(path.join(base, 'docs', 'guides'), { recursive: true });
    for (const f of ['docs/web-service.md', 'docs/cache.md', 'docs/guides/upgrade.md', 'docs/diagram.png']) fs.writeFileSync(path.join(base, f), '');
    // WHEN THEN
    expect(markdownFiles(base)).toEqual(['README.md', 'docs/cache.md', 'docs/guides/upgrade.md', 'docs/web-service.md']);
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('this repository checks the README and its docs pages, each holding examples', () => {
    const files = markdownFiles();
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/database.md', 'docs/web-service.md']));
    const root = path.join(__dirname, '..', '..');
    const withExamples = files.filter((f) => extractExamples(fs.readFileSync(path.join(root, f), 'utf8'), f).length > 0);
    expect(withExamples).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/cache.md',
        'docs/cost.md',
        'docs/database.md',
        'docs/insights.md',
        'docs/jobs-worker.md',
        'docs/monitoring.md',
        'docs/web-service.md',
      ]),
    );
  });
});

describe('locateDiagnostics', () => {
  // Example 1 starts on line 10 of the README, example 2 on line 42 of docs/cache.md.
  const examples: LocatedExample[] = [
    { file: 'README.md', mode: 'compile', code: '', line: 10 },
    { file: 'docs/cache.md', mode: 'run', code: '', line: 42 },
  ];

  test("tsc's positions become the Markdown file and line (the scratch file's first line is a header)", () => {
    const output = [
      `${scratchFileName(1)}(5,7): error TS2304: Cannot find name 'x'.`,
      `${scratchFileName(0)}(2,1): error TS2307: Cannot find module 'nope'.`,
    ].join('\n');
    expect(locateDiagnostics(output, examples)).toBe(
      ["docs/cache.md:45:7: error TS2304: Cannot find name 'x'.", "README.md:10:1: error TS2307: Cannot find module 'nope'."].join('\n'),
    );
  });

  test("a stack frame's absolute scratch path becomes the Markdown file and line", () => {
    const output = 'Error: boom\n    at Object.<anonymous> (/repo/.readme-check/example-2.ts:3:9)';
    expect(locateDiagnostics(output, examples)).toBe('Error: boom\n    at Object.<anonymous> (docs/cache.md:43:9)');
  });

  test('a position of no known example is left as it is', () => {
    expect(locateDiagnostics('example-9.ts(1,1): error', examples)).toBe('example-9.ts(1,1): error');
  });
});
