// A generated block of a Markdown page: the text between a start and an end marker, written by a
// tool and compared by that tool's test, so the copy in the docs cannot drift from what the tool
// computes. Used by the alarm table, the architecture diagram and the cost tables.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..');

export interface BlockMarkers {
  readonly start: string;
  readonly end: string;
}

/** Where the markers are, or an error that says which file lacks them and what to add. */
function locate(text: string, markers: BlockMarkers, file: string): { start: number; end: number } {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end, start < 0 ? 0 : start);
  if (start < 0 || end < 0) {
    throw new Error(`${file} has no generated-block markers; add\n${markers.start}\n${markers.end}\nwhere the block goes`);
  }
  return { start: start + markers.start.length, end };
}

/** The text between the markers, without the newlines that frame it. */
export function readBlock(text: string, markers: BlockMarkers, file: string): string {
  const { start, end } = locate(text, markers, file);
  return text.slice(start, end).replace(/^\n/, '').replace(/\n$/, '');
}

/** `text` with the block between the markers replaced by `content`. */
export function replaceBlock(text: string, markers: BlockMarkers, content: string, file: string): string {
  const { start, end } = locate(text, markers, file);
  return `${text.slice(0, start)}\n${content}\n${text.slice(end)}`;
}

/**
 * The command-line half: rewrite the block in `file` (relative to the repository), or with `check`
 * only compare it. Returns the exit code: 1 when `check` finds the committed block stale.
 */
export function writeOrCheckBlock(file: string, markers: BlockMarkers, content: string, check: boolean, regenerate: string): number {
  const absolute = path.join(ROOT, file);
  const text = fs.readFileSync(absolute, 'utf8');
  const updated = replaceBlock(text, markers, content, file);
  if (check) {
    if (updated === text) return 0;
    console.error(`${file}: the generated block is stale; run \`${regenerate}\``);
    return 1;
  }
  if (updated !== text) fs.writeFileSync(absolute, updated);
  console.log(`${file}: generated block ${updated === text ? 'is up to date' : 'rewritten'}`);
  return 0;
}
