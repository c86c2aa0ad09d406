/** Longest statement text a report carries: enough to recognize the query, bounded for the log line. */
export const MAX_STATEMENT_CHARS = 1000;

/**
 * SQL text with every literal replaced, so a report never carries parameter values (customer
 * data, tokens). pg_stat_statements already writes `$1` for the constants of planned statements;
 * utility statements and pg_stat_activity's text still hold literals, which become `?`:
 * string literals ('…', E'…', $tag$…$tag$), numbers, and the lists of an IN (…). Whitespace is
 * collapsed and the text cut at MAX_STATEMENT_CHARS.
 */
export function normalizeSql(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    // Comments go: they may hold anything.
    const comment = /^(--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (comment) {
      out += ' ';
      i += comment[0].length;
      continue;
    }
    // Dollar-quoted strings: $$…$$ or $tag$…$tag$ (not $1 placeholders).
    const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
    if (dollar) {
      const end = text.indexOf(dollar[0], i + dollar[0].length);
      out += '?';
      i = end < 0 ? text.length : end + dollar[0].length;
      continue;
    }
    // String literals, with '' escapes, optionally prefixed E/B/X/N/U&.
    // (Words are consumed whole below, so a prefix letter here always starts a token.)
    const string = /^(?:[EeBbXxNn]|[Uu]&)?'(?:[^'\\]|''|\\.)*'/.exec(rest);
    if (string) {
      out += '?';
      i += string[0].length;
      continue;
    }
    // Quoted identifiers are names, not data: keep them.
    const quoted = /^"(?:[^"]|"")*"/.exec(rest);
    if (quoted) {
      out += quoted[0];
      i += quoted[0].length;
      continue;
    }
    // Words (keywords, names) are kept whole, so digits inside them stay.
    const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(rest);
    if (word) {
      out += word[0];
      i += word[0].length;
      continue;
    }
    const placeholder = /^\$\d+/.exec(rest);
    if (placeholder) {
      out += placeholder[0];
      i += placeholder[0].length;
      continue;
    }
    const number = /^(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(rest);
    if (number) {
      out += '?';
      i += number[0].length;
      continue;
    }
    out += text[i];
    i++;
  }
  const collapsed = out
    .replace(/\s+/g, ' ')
    // IN (?, ?, ?) and VALUES (?, ?), (?, ?) lists say nothing more than one ?.
    .replace(/\(\s*\?(?:\s*,\s*\?)+\s*\)/g, '(?)')
    .trim();
  return collapsed.length > MAX_STATEMENT_CHARS ? `${collapsed.slice(0, MAX_STATEMENT_CHARS - 1)}…` : collapsed;
}
