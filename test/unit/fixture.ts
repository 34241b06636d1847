/**
 * Fixture helpers shared by the unit tests.
 *
 * Cursor marker: `|` in a one-file fixture string marks the cursor (use `cursor()`).
 * Multi-file fixtures: a line `%! name` starts a file (texlab style), e.g.
 *   %! main.md
 *   See [@a].
 *   %! refs.bib
 *   @book{a, title={T}}
 */
import { LineIndex } from '../../server/src/service/text';
import type { Position, Range } from '../../server/src/service/model';

/** Removes the first `|` and returns the text and the cursor's offset and position. */
export function cursor(fixture: string, marker = '|'): { text: string; offset: number; position: Position } {
  const offset = fixture.indexOf(marker);
  if (offset < 0) throw new Error(`fixture has no cursor marker ${marker}`);
  const text = fixture.slice(0, offset) + fixture.slice(offset + marker.length);
  return { text, offset, position: new LineIndex(text).positionAt(offset) };
}

/** Splits a `%! name` multi-file fixture into files. */
export function files(fixture: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  for (const line of fixture.replace(/^\n/, '').split('\n')) {
    const m = /^%! (.+)$/.exec(line);
    if (m) {
      if (name !== undefined) out.set(name, lines.join('\n'));
      name = m[1].trim();
      lines = [];
    } else lines.push(line);
  }
  if (name !== undefined) out.set(name, lines.join('\n'));
  return out;
}

/** The text a range covers. */
export function slice(text: string, range: Range): string {
  const idx = new LineIndex(text);
  return text.slice(idx.offsetAt(range.start), idx.offsetAt(range.end));
}

/** Renders a range as `line:col-line:col` (0-based) for readable expectations. */
export function showRange(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Applies non-overlapping text edits to a text (as an editor applies a WorkspaceEdit to one file). */
export function applyEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const idx = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => idx.offsetAt(b.range.start) - idx.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, idx.offsetAt(e.range.start)) + e.newText + out.slice(idx.offsetAt(e.range.end));
  return out;
}

/** A diagnostic as a readable line: `refs.bib:3:10-3:18 bib.duplicate-key message`. */
export function showDiagnostic(file: string, d: { range: Range; code?: string | number; message: string | { value: string } }): string {
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  return `${file}:${showRange(d.range)} ${d.code} ${message}`;
}
