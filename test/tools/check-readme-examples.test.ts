import { extractExamples } from '../../tools/check-readme-examples';

describe('extractExamples', () => {
  test('takes only marked ts blocks, with their mode and first code line', () => {
    const md = ['# T', '```ts', 'unmarked();', '```', '<!-- example: run -->', '```ts', 'a();', 'b();', '```', '<!-- example: compile -->', '```typescript', 'c();', '```'].join('\n');
    expect(extractExamples(md)).toEqual([
      { mode: 'run', code: 'a();\nb();\n', line: 7 },
      { mode: 'compile', code: 'c();\n', line: 12 },
    ]);
  });

  test('a marker without a ts fence after it is an error naming the line', () => {
    expect(() => extractExamples('text\n<!-- example: run -->\n```sh\nls\n```')).toThrow('README.md:2: an example marker must be followed by a ```ts fence');
  });

  test('an unclosed fence is an error naming the line', () => {
    expect(() => extractExamples('<!-- example: compile -->\n```ts\nx();')).toThrow("README.md:2: the example's fence is never closed");
  });
});
