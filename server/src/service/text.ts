/** Offsets <-> LSP positions (UTF-16 code units, as LSP and JavaScript strings count). */
import type { Position, Range } from 'vscode-languageserver-types';

export class LineIndex {
  private readonly starts: number[];

  /** `starts`: the line starts, when already known (see `afterEdit`). */
  constructor(
    readonly text: string,
    starts?: number[],
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    this.starts = [0];
    lineStarts(text, 0, text.length, this.starts);
  }

  /**
   * The index of `text`, which is `previous.text` with `[start, oldEnd)` replaced by `[start, newEnd)`:
   * only the replaced text is searched for line breaks (a 25 MB bibliography has a million lines).
   */
  static afterEdit(previous: LineIndex, text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    const old = previous.starts;
    const delta = newEnd - oldEnd;
    // A line start `s` follows the break at `s - 1`: unchanged before `start`, moved by `delta` from `oldEnd` on.
    let before = 0;
    while (before < old.length && old[before] <= start) before++;
    const starts = old.slice(0, before);
    lineStarts(text, start, newEnd, starts);
    let after = before;
    while (after < old.length && old[after] <= oldEnd) after++;
    for (let i = after; i < old.length; i++) starts.push(old[i] + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const end = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    return Math.max(start, Math.min(start + position.character, end));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }
}

/** Appends to `out` the line starts that the line breaks in `text[from, to)` make. */
function lineStarts(text: string, from: number, to: number, out: number[]): void {
  let i = text.indexOf('\n', from);
  while (i !== -1 && i < to) {
    out.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
}

export function rangeContains(range: Range, pos: Position): boolean {
  const afterStart = pos.line > range.start.line || (pos.line === range.start.line && pos.character >= range.start.character);
  const beforeEnd = pos.line < range.end.line || (pos.line === range.end.line && pos.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** A short hash of a text (FNV-1a, 32 bits, hex): tells versions of a file apart, nothing more. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}

/** `s` as a literal inside a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
