import {
  defineCommand,
  editDistance,
  ExternalFailure,
  guard,
  markdownTable,
  reportError,
  textRow,
  textTable,
  UsageError,
  type Column,
} from '../../../tools/shared/cli';

// A command with one option of each kind, shaped like the tools' own.
const command = defineCommand({
  usage: 'npm run example -- [options]',
  options: {
    profile: { type: 'string', placeholder: '<name>', choices: ['dev', 'staging', 'prod'], noun: 'profile', help: 'one profile' },
    only: { type: 'string', list: true, choices: ['web', 'database'], help: 'components, repeated or comma-separated' },
    templates: { type: 'string', placeholder: '<path>', default: 'cdk.out', help: 'where the templates are' },
    window: {
      type: 'integer',
      placeholder: '<days>',
      min: 1,
      max: 15,
      unit: 'days',
      why: 'CloudWatch keeps one-minute datapoints 15 days',
      help: 'days to read',
    },
    port: { type: 'integer', min: 1024, max: 65535, default: 5055, help: 'a port' },
    json: { type: 'boolean', short: 'j', help: 'machine-readable output' },
  },
});

/** The message of the error `fn` throws (fails the test when it throws nothing or not a UsageError). */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('defineCommand: parsing', () => {
  test('defaults: booleans false, lists empty, strings and integers their default or undefined', () => {
    // WHEN
    const values = command.parse([]);
    // THEN
    expect(values).toEqual({ profile: undefined, only: [], templates: 'cdk.out', window: undefined, port: 5055, json: false, help: false });
  });

  test('values: separate, inline (--flag=value), short booleans, integers as numbers, lists accumulated', () => {
    const values = command.parse(['--profile', 'prod', '--templates=out/x', '-j', '--window', '7', '--only', 'web,database', '--only=web']);
    expect(values).toMatchObject({ profile: 'prod', templates: 'out/x', json: true, window: 7, only: ['web', 'database', 'web'] });
  });

  test('an inline value may start with a dash: --templates=-odd', () => {
    expect(command.parse(['--templates=-odd']).templates).toBe('-odd');
  });

  test('an unknown flag is named, with the nearest valid one, and the usage follows', () => {
    expect(usageMessage(() => command.parse(['--fast']))).toMatch(/^unknown option '--fast'\n\nUsage: npm run example -- \[options\]\n/);
    expect(usageMessage(() => command.parse(['--profil', 'dev']))).toMatch(/^unknown option '--profil'; did you mean --profile\?\n\n/);
    expect(usageMessage(() => command.parse(['-x']))).toMatch(/^unknown option '-x'\n\n/);
  });

  test('a missing value names the flag; a flag where the value belongs says how to pass it as a value', () => {
    expect(usageMessage(() => command.parse(['--profile']))).toMatch(/^--profile needs a value\n\nUsage: /);
    expect(usageMessage(() => command.parse(['--templates', '--json']))).toMatch(
      /^--templates needs a value; '--json' is an option, not its value \(write --templates=--json if you mean it as the value\)\n\n/,
    );
    expect(usageMessage(() => command.parse(['--only', ',']))).toMatch(/^--only needs a value\n\n/);
  });

  test('a wrong type says what the flag takes, the range and the value given', () => {
    expect(usageMessage(() => command.parse(['--window', 'week']))).toBe(
      "--window needs a whole number of days from 1 to 15 (CloudWatch keeps one-minute datapoints 15 days), got 'week'",
    );
    expect(usageMessage(() => command.parse(['--window', '30']))).toMatch(/^--window needs a whole number of days from 1 to 15 .*, got '30'$/);
    expect(usageMessage(() => command.parse(['--window', '2.5']))).toMatch(/got '2\.5'$/);
    expect(usageMessage(() => command.parse(['--port', '80']))).toBe("--port needs a whole number from 1024 to 65535, got '80'");
    expect(usageMessage(() => command.parse(['--json=yes']))).toMatch(/^--json takes no value \(got 'yes'\); write --json alone\n\n/);
  });

  test('a value outside the choices lists the valid ones, naming every wrong value at once', () => {
    expect(usageMessage(() => command.parse(['--profile', 'qa']))).toBe("--profile 'qa' is not a profile; valid profiles are dev, staging, prod");
    expect(usageMessage(() => command.parse(['--only', 'web,cache,queue']))).toBe(
      "--only 'cache', 'queue' are not valid values; valid values are web, database",
    );
  });

  test('a stray argument is refused', () => {
    expect(usageMessage(() => command.parse(['--json', 'yes']))).toMatch(
      /^unexpected argument 'yes': the options take their values right after the flag/,
    );
  });

  test('--help and -h win over everything else on the line, which is then not checked', () => {
    expect(command.parse(['--fast', '--help'])).toMatchObject({ help: true, templates: 'cdk.out' });
    expect(command.parse(['-h']).help).toBe(true);
  });

  test('a tool cannot declare --help itself', () => {
    expect(() => defineCommand({ usage: 'x', options: { help: { type: 'boolean', help: 'mine' } } })).toThrow(
      '--help is added to every command; do not declare it',
    );
  });

  test('usageError puts the usage after the message', () => {
    expect(command.usageError('give either --a or --b').message).toBe(`give either --a or --b\n\n${command.helpText}`);
  });
});

describe('defineCommand: help text', () => {
  test('one line per option, descriptions aligned after the widest flag, --help last', () => {
    const lines = command.helpText.split('\n');
    expect(lines[0]).toBe('Usage: npm run example -- [options]');
    expect(lines.slice(1)).toEqual([
      '  --profile <name>    one profile',
      '  --only <only>       components, repeated or comma-separated',
      '  --templates <path>  where the templates are',
      '  --window <days>     days to read',
      '  --port <port>       a port',
      '  -j, --json          machine-readable output',
      '  -h, --help          show this help',
    ]);
  });

  test('long descriptions wrap under the description column, and a `quoted command` is not split', () => {
    const long = defineCommand({
      usage: 'x',
      options: { templates: { type: 'string', help: `${'word '.repeat(12)}then \`npm run synth:all\` and ${'more '.repeat(10)}` } },
    });
    // The option's lines, without the usage line before and --help after.
    const lines = long.helpText.split('\n').slice(1, -1);
    const column = 2 + '--templates <templates>'.length + 2;
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^ {2}--templates <templates> {2}word word/);
    for (const line of lines.slice(1)) expect(line).toMatch(new RegExp(`^ {${column}}\\S`));
    expect(lines.some((l) => l.includes('`npm run synth:all`'))).toBe(true);
  });
});

describe('reportError and guard: one exit path', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, io: { err: (t: string) => lines.push(t) } };
  };

  test("the user's mistake: the message alone, exit 2", () => {
    const { lines, io } = capture();
    expect(reportError('tool', new UsageError('--x needs a value'), io)).toBe(2);
    expect(lines).toEqual(['tool: --x needs a value']);
  });

  test('an outside failure: the message alone, exit 1', () => {
    const { lines, io } = capture();
    expect(reportError('tool', new ExternalFailure('moto is not installed'), io)).toBe(1);
    expect(lines).toEqual(['tool: moto is not installed']);
  });

  test('a bug: the stack, exit 1', () => {
    const { lines, io } = capture();
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(reportError('tool', bug, io)).toBe(1);
    expect(lines[0]).toMatch(
      /^tool: internal error \(a bug in the tool, not in your input\); please report it with this trace:\nTypeError: Cannot read properties/,
    );
    expect(lines[0]).toContain('cli.test.ts');
  });

  test("another library's input error counts as the user's when the policy says so", () => {
    class LibraryInputError extends Error {}
    const { lines, io } = capture();
    expect(reportError('tool', new LibraryInputError('bad config'), io, { isUsageError: (e) => e instanceof LibraryInputError })).toBe(2);
    expect(lines).toEqual(['tool: bad config']);
  });

  test("guard returns the body's code, synchronously for a synchronous body", () => {
    const { io } = capture();
    expect(guard('tool', io, () => 0)).toBe(0);
    expect(
      guard('tool', io, () => {
        throw new UsageError('no');
      }),
    ).toBe(2);
  });

  test('guard catches a rejected promise too', async () => {
    const { lines, io } = capture();
    await expect(
      guard('tool', io, async () => {
        throw new ExternalFailure('AWS said no');
      }),
    ).resolves.toBe(1);
    await expect(guard('tool', io, async () => 0)).resolves.toBe(0);
    expect(lines).toEqual(['tool: AWS said no']);
  });
});

describe('tables', () => {
  test('textTable aligns each column to its widest cell, numbers right, with a header row', () => {
    // GIVEN
    const columns: Column[] = [{ header: 'profile' }, { header: 'baseline', align: 'right' }, { header: 'verdict' }];
    // WHEN
    const text = textTable(columns, [
      ['dev', '71.80', 'within budget'],
      ['staging', '1234.56', 'OVER'],
    ]);
    // THEN
    expect(text.split('\n')).toEqual(['profile  baseline  verdict', 'dev         71.80  within budget', 'staging   1234.56  OVER']);
  });

  test('textTable without headers, with a gap, an indent and a column that sets its own separator', () => {
    const text = textTable(
      [{}, { align: 'right' }, { before: ' | ' }],
      [
        ['a', '1', 'x'],
        ['bbb', '22', 'y'],
      ],
      { gap: ' ', indent: '> ' },
    );
    expect(text.split('\n')).toEqual(['> a    1 | x', '> bbb 22 | y']);
  });

  test('fixed widths pad, overflow, or cut with … at the end or (for paths) at the start', () => {
    const columns: Column[] = [{ width: 6, cut: 'end' }, { width: 6, cut: 'start' }, { width: 3, align: 'right' }, { width: 2 }];
    expect(textRow(columns, ['abc', 'abc', '7', 'x'], { gap: ' ' })).toBe('abc    abc      7 x');
    expect(textRow(columns, ['abcdefgh', 'a/b/c/Resource', '1234', 'long'], { gap: ' ' })).toBe('abcde… …ource 1234 long');
  });

  test('textRow leaves no trailing spaces and fills missing cells', () => {
    expect(textRow([{ width: 5 }, { width: 5 }], ['a'])).toBe('a');
  });

  test('markdownTable: header, alignment row, unpadded cells, | escaped', () => {
    const md = markdownTable(
      [{ header: 'tier' }, { header: 'dev', align: 'right' }],
      [
        ['Web', '$1.00'],
        ['a|b', '$2.00'],
      ],
    );
    expect(md.split('\n')).toEqual(['| tier | dev |', '|---|---:|', '| Web | $1.00 |', '| a\\|b | $2.00 |']);
  });
});

test('editDistance counts single-letter edits', () => {
  expect(editDistance('profile', 'profile')).toBe(0);
  expect(editDistance('profil', 'profile')).toBe(1);
  expect(editDistance('porfile', 'profile')).toBe(2);
  expect(editDistance('fast', 'profile')).toBeGreaterThan(2);
});
