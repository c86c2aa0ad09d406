// What every command-line tool here shares: its options as one typed table (parsed by node:util's
// parseArgs, checked here, and rendered as the --help text), one way to end on an error (the user's
// mistake: the message alone, exit 2; something outside failed: the message alone, exit 1; a bug:
// the stack, exit 1), and one table formatter (aligned plain text, or Markdown).
import { parseArgs } from 'node:util';
import { editDistance } from '../../lib/core/text';

// ---------------------------------------------------------------------------------------------
// Errors and exit codes

export const EXIT = {
  ok: 0,
  /** The tool ran and the answer is "no" (a check failed), or something outside it failed. */
  failed: 1,
  /** The input was wrong: a bad flag or value, a missing or malformed file. */
  usage: 2,
} as const;

/**
 * A mistake the user fixes (a bad flag, a missing or malformed file): printed alone, without a
 * stack, and the tool exits 2. The message says what is wrong, the value, and what is valid.
 */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/**
 * The tool could not finish for a reason outside its code (AWS refused a call, moto is not
 * installed): printed alone, and the tool exits 1. `cause` keeps the original error.
 */
export class ExternalFailure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExternalFailure';
  }
}

/** Where a tool prints: its report on `out`, problems and verdicts on `err`. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const consoleIo: Io = { out: (text) => console.log(text), err: (text) => console.error(text) };

export interface ErrorPolicy {
  /**
   * Errors of other code that are the user's to fix as well (a library's own input error), for
   * the tools that call code which cannot import this module.
   */
  readonly isUsageError?: (error: unknown) => boolean;
}

/**
 * Prints `error` as `tool: message` and returns the exit code: 2 for the user's mistake, 1 for an
 * outside failure; anything else is a bug, printed with its stack (exit 1), so it gets reported
 * rather than mistaken for bad input.
 */
export function reportError(tool: string, error: unknown, io: Pick<Io, 'err'>, policy: ErrorPolicy = {}): number {
  if (error instanceof UsageError || policy.isUsageError?.(error)) {
    io.err(`${tool}: ${(error as Error).message}`);
    return EXIT.usage;
  }
  if (error instanceof ExternalFailure) {
    io.err(`${tool}: ${error.message}`);
    return EXIT.failed;
  }
  const trace = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  io.err(`${tool}: internal error (a bug in the tool, not in your input); please report it with this trace:\n${trace}`);
  return EXIT.failed;
}

/**
 * Runs a tool's body and turns whatever it throws into a printed message and an exit code
 * (see `reportError`). Synchronous bodies stay synchronous, so tests can call `main` directly.
 */
export function guard(tool: string, io: Pick<Io, 'err'>, body: () => number, policy?: ErrorPolicy): number;
export function guard(tool: string, io: Pick<Io, 'err'>, body: () => Promise<number>, policy?: ErrorPolicy): Promise<number>;
export function guard(tool: string, io: Pick<Io, 'err'>, body: () => number | Promise<number>, policy: ErrorPolicy = {}): number | Promise<number> {
  try {
    const result = body();
    return result instanceof Promise ? result.catch((error: unknown) => reportError(tool, error, io, policy)) : result;
  } catch (error) {
    return reportError(tool, error, io, policy);
  }
}

// ---------------------------------------------------------------------------------------------
// Options

interface CommonOption {
  /** One line (or a few sentences) for --help; wrapped to the terminal-friendly width. */
  readonly help: string;
  /** A one-letter alias (`-x`). */
  readonly short?: string;
}

export interface BooleanOption extends CommonOption {
  readonly type: 'boolean';
}

export interface StringOption extends CommonOption {
  readonly type: 'string';
  /** How --help shows the value: `<file>`. */
  readonly placeholder?: string;
  readonly default?: string;
  /** The only values accepted; anything else is a UsageError that lists them. */
  readonly choices?: readonly string[];
  /** What one value is, for messages: `--profile 'qa' is not a profile`. */
  readonly noun?: string;
  /** Repeatable and comma-separated (`--profile dev,prod --profile staging`): the value is a list. */
  readonly list?: boolean;
}

export interface IntegerOption extends CommonOption {
  readonly type: 'integer';
  readonly placeholder?: string;
  readonly default?: number;
  readonly min: number;
  readonly max: number;
  /** The unit of the number, for messages: "a whole number of days". */
  readonly unit?: string;
  /** Why the range is what it is, for messages. */
  readonly why?: string;
}

export type OptionSpec = BooleanOption | StringOption | IntegerOption;
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** The parsed value of one option, typed by its spec. */
export type ValueOf<S extends OptionSpec> = S extends BooleanOption
  ? boolean
  : S extends IntegerOption
    ? S extends { default: number }
      ? number
      : number | undefined
    : S extends { list: true }
      ? string[]
      : S extends { default: string }
        ? string
        : string | undefined;

/** Every option's value, and whether --help was asked for (then nothing else was checked). */
export type Values<O extends OptionTable> = { readonly [K in keyof O]: ValueOf<O[K]> } & { readonly help: boolean };

export interface CommandSpec<O extends OptionTable> {
  /** What follows "Usage: ", e.g. `npm run cost -- [options]`. */
  readonly usage: string;
  readonly options: O;
}

export interface Command<O extends OptionTable> {
  readonly spec: CommandSpec<O>;
  /** The --help text, generated from the option table. */
  readonly helpText: string;
  /** Parses and checks `argv`; every mistake is a UsageError naming the flag, the value and the fix. */
  parse(argv: readonly string[]): Values<O>;
  /** A UsageError for a mistake the tool finds itself (two options that exclude each other), with the usage after it. */
  usageError(message: string): UsageError;
}

/** How wide --help's lines may grow before they wrap. */
const HELP_WIDTH = 100;

/**
 * A command from its option table. The keys are the flags (`templates` is `--templates`);
 * `--help` and `-h` are added. Declare the table inline so the values keep their types.
 */
export function defineCommand<const O extends OptionTable>(spec: CommandSpec<O>): Command<O> {
  if ('help' in spec.options) throw new Error('--help is added to every command; do not declare it');
  const helpText = renderHelp(spec);
  const usageError = (message: string) => new UsageError(`${message}\n\n${helpText}`);
  return { spec, helpText, usageError, parse: (argv) => parseCommandLine(spec, argv, usageError) };
}

function flagOf(name: string): string {
  return `--${name}`;
}

function parseCommandLine<O extends OptionTable>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  usageError: (message: string) => UsageError,
): Values<O> {
  const entries = Object.entries(spec.options);
  // parseArgs only splits the command line (`--x=v`, `-h`, `--`); strict mode would stop at the
  // first problem with a message of its own, so the checks and their messages are ours.
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(
        entries.map(([name, o]) => [
          name,
          { type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const), ...(o.short ? { short: o.short } : {}) },
        ]),
      ),
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const values: Record<string, unknown> = Object.fromEntries(entries.map(([name, o]) => [name, defaultOf(o)]));
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { ...values, help: true } as Values<O>;

  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw usageError(
        `unexpected argument '${token.value}': the options take their values right after the flag (--name value), and nothing else stands alone`,
      );
    }
    const option = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
    if (!option) throw usageError(unknownOption(token.rawName, Object.keys(spec.options)));
    const flag = flagOf(token.name);
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw usageError(`${flag} takes no value (got '${token.value}'); write ${flag} alone`);
      values[token.name] = true;
      continue;
    }
    // A value that looks like a flag is almost always a forgotten value: `--profile --json`.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      const hint =
        token.value === undefined ? '' : `; '${token.value}' is an option, not its value (write ${flag}=${token.value} if you mean it as the value)`;
      throw usageError(`${flag} needs a value${hint}`);
    }
    if (option.type === 'integer') {
      values[token.name] = integerValue(flag, option, token.value);
    } else if (option.list) {
      const items = token.value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (items.length === 0) throw usageError(`${flag} needs a value`);
      checkChoices(flag, option, items);
      (values[token.name] as string[]).push(...items);
    } else {
      checkChoices(flag, option, [token.value]);
      values[token.name] = token.value;
    }
  }
  return { ...values, help: false } as Values<O>;
}

function defaultOf(option: OptionSpec): unknown {
  if (option.type === 'boolean') return false;
  if (option.type === 'string' && option.list) return [];
  return option.default;
}

function integerValue(flag: string, option: IntegerOption, text: string): number {
  const n = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || n < option.min || n > option.max) {
    const unit = option.unit ? ` of ${option.unit}` : '';
    const why = option.why ? ` (${option.why})` : '';
    throw new UsageError(`${flag} needs a whole number${unit} from ${option.min} to ${option.max}${why}, got '${text}'`);
  }
  return n;
}

function checkChoices(flag: string, option: StringOption, given: readonly string[]): void {
  if (!option.choices) return;
  const wrong = given.filter((v) => !option.choices!.includes(v));
  if (wrong.length === 0) return;
  const [one, many, valid] = option.noun ? [`a ${option.noun}`, `${option.noun}s`, `${option.noun}s`] : ['a valid value', 'valid values', 'values'];
  const quoted = wrong.map((v) => `'${v}'`).join(', ');
  const what = wrong.length === 1 ? `is not ${one}` : `are not ${many}`;
  throw new UsageError(`${flag} ${quoted} ${what}; valid ${valid} are ${option.choices.join(', ')}`);
}

function unknownOption(raw: string, names: readonly string[]): string {
  const near = raw.startsWith('--') ? names.filter((n) => editDistance(raw.slice(2), n) <= 2).map(flagOf) : [];
  return `unknown option '${raw}'${near.length > 0 ? `; did you mean ${near.join(' or ')}?` : ''}`;
}

export { editDistance } from '../../lib/core/text';

function renderHelp(spec: CommandSpec<OptionTable>): string {
  const rows: Array<[string, string]> = Object.entries(spec.options).map(([name, o]) => {
    const placeholder = o.type === 'boolean' ? '' : ` ${o.placeholder ?? `<${name}>`}`;
    return [`${o.short ? `-${o.short}, ` : ''}${flagOf(name)}${placeholder}`, o.help];
  });
  rows.push(['-h, --help', 'show this help']);
  const left = Math.max(...rows.map(([flags]) => flags.length)) + 2;
  const lines = [`Usage: ${spec.usage}`];
  for (const [flags, help] of rows) {
    const wrapped = wrap(help, HELP_WIDTH - 2 - left);
    lines.push(`  ${flags.padEnd(left)}${wrapped[0]}`, ...wrapped.slice(1).map((l) => `  ${' '.repeat(left)}${l}`));
  }
  return lines.join('\n');
}

/**
 * Words into lines of at most `width` characters (a longer word gets a line of its own). A
 * `quoted command` stays on one line, so it can be copied.
 */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.match(/(?:`[^`]*`|\S)+/g) ?? []) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

// ---------------------------------------------------------------------------------------------
// Tables

export interface Column {
  /** The column's heading; a table prints a header row when any column has one. */
  readonly header?: string;
  /** Numbers read best aligned right. Default: left. */
  readonly align?: 'left' | 'right';
  /**
   * Pad every cell to this width. A longer cell overflows and pushes the rest of its row, unless
   * `cut` says to shorten it. Default: the widest cell of the column (header included).
   */
  readonly width?: number;
  /** Shorten a cell longer than `width` to it with '…': 'end' keeps its start, 'start' its end (paths). */
  readonly cut?: 'start' | 'end';
  /** What separates this column from the one before it. Default: the table's `gap`. */
  readonly before?: string;
}

export interface TextTableOptions {
  /** Between columns (unless a column says otherwise). Default: two spaces. */
  readonly gap?: string;
  /** Before every line. */
  readonly indent?: string;
}

function fit(cell: string, column: Column, width: number | undefined): string {
  if (width === undefined) return cell;
  if (cell.length > width && column.cut) {
    return column.cut === 'end' ? `${cell.slice(0, width - 1)}…` : `…${cell.slice(cell.length - width + 1)}`;
  }
  return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
}

/**
 * One aligned line of plain text. Columns without a `width` are not padded, so use this directly
 * for tables whose widths are fixed (rows printed among other lines), and `textTable` otherwise.
 * Trailing spaces are dropped.
 */
export function textRow(columns: readonly Column[], cells: readonly string[], options: TextTableOptions = {}): string {
  const gap = options.gap ?? '  ';
  const text = columns.map((column, i) => `${i === 0 ? '' : (column.before ?? gap)}${fit(cells[i] ?? '', column, column.width)}`).join('');
  return `${options.indent ?? ''}${text}`.trimEnd();
}

/** Rows as aligned plain text, with a header row when the columns have headers. */
export function textTable(columns: readonly Column[], rows: readonly (readonly string[])[], options: TextTableOptions = {}): string {
  const withHeader = columns.some((c) => c.header !== undefined);
  const all = withHeader ? [columns.map((c) => c.header ?? ''), ...rows] : rows;
  const sized = columns.map((column, i) => ({ ...column, width: column.width ?? Math.max(0, ...all.map((row) => (row[i] ?? '').length)) }));
  return all.map((row) => textRow(sized, row, options)).join('\n');
}

/**
 * Rows as a GitHub Markdown table: one line per row, cells not padded (so a generated table that
 * is pasted into a README diffs only where a value changed), `|` in a cell escaped.
 */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${columns.map((_, i) => (cells[i] ?? '').replaceAll('|', '\\|')).join(' | ')} |`;
  return [
    line(columns.map((c) => c.header ?? '')),
    `|${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
