/** Offsets <-> LSP positions (UTF-16 code units, as LSP and JavaScript strings count). */
import type { Position, Range } from 'vscode-languageserver-types';

export class LineIndex {
  /** The offset each line starts at: a plain array when built from a text, 32-bit ints once edited (`afterEdit`). */
  private readonly starts: ArrayLike<number>;

  /** `starts`: the line starts, when already known (see `afterEdit`). */
  constructor(
    readonly text: string,
    starts?: ArrayLike<number>,
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    const found = [0];
    lineStarts(text, 0, text.length, found);
    this.starts = found;
  }

  /**
   * The index of `text`, which is `previous.text` with `[start, oldEnd)` replaced by `[start, newEnd)`:
   * only the replaced text is searched for line breaks (a 25 MB bibliography has a million lines), the
   * lines around it found by binary search and copied as 32-bit ints (a string is shorter than 2^31).
   */
  static afterEdit(previous: LineIndex, text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    const old = previous.starts;
    const delta = newEnd - oldEnd;
    // A line start `s` follows the break at `s - 1`: unchanged up to `start`, moved by `delta` after `oldEnd`.
    const before = firstAbove(old, start);
    const after = firstAbove(old, oldEnd);
    const added: number[] = [];
    lineStarts(text, start, newEnd, added);
    const starts = new Int32Array(before + added.length + old.length - after);
    if (old instanceof Int32Array) starts.set(old.subarray(0, before));
    else for (let i = 0; i < before; i++) starts[i] = old[i];
    starts.set(added, before);
    let k = before + added.length;
    for (let i = after; i < old.length; i++) starts[k++] = old[i] + delta;
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

/** The first index of the ascending `list` whose value is above `offset`, or its length. */
function firstAbove(list: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
