/**
 * The editor's open documents (what `TextDocuments` keeps), with edits that do not copy the text.
 *
 * vscode-languageserver-textdocument joins the text around each edit into a new string, which V8
 * flattens into a copy of the whole text at the next read: typing in a 25 MB library allocated one
 * 47 MB string per keystroke (two bytes a character, as soon as one character is not Latin-1) and the
 * server climbed past 1 GB before V8 collected them. Here the edits since the text was last read are
 * kept as pieces (slices of that text and the inserted strings); the whole text is joined once, when
 * it is read (`getText()`: once per analysis, after the debounce, not once per keystroke).
 *
 * Lines are counted as LSP counts them (`\n`, `\r\n` and a lone `\r` end a line), and a line's start
 * offsets are shifted lazily: typing on one line moves the starts of the million lines after it by
 * one number, not a million.
 */
import type { TextDocumentsConfiguration } from 'vscode-languageserver';
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** Past this many pieces, the text is joined (an edit is linear in the pieces). */
const MAX_PIECES = 1024;
/** An inserted string is appended to the piece before it while both are this short. */
const SHORT_PIECE = 256;

export class EditedDocument implements TextDocument {
  /** The whole text; undefined while edits are kept as `pieces`. */
  private whole: string | undefined;
  private pieces: string[] = [];
  private size: number;
  /** The offset where each line starts (undefined until asked for); from index `shiftFrom` on, `shift` more. */
  private starts: number[] | undefined;
  private shiftFrom = Infinity;
  private shift = 0;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    text: string,
  ) {
    this.whole = text;
    this.size = text.length;
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  getText(range?: Range): string {
    if (range) return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    if (this.whole === undefined) {
      // `join` copies two or more pieces into one new string; a single piece would be returned as the slice it is.
      const pieces = this.pieces.length === 1 ? [this.pieces[0], ' '] : this.pieces;
      const joined = pieces.join('');
      this.whole = pieces === this.pieces ? joined : joined.slice(0, -1);
      this.pieces = [];
    }
    return this.whole;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.size));
    const starts = this.lineStarts();
    const line = this.lineOf(o);
    const start = this.lineStart(starts, line);
    return { line, character: this.beforeLineBreak(o, start) - start };
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.size;
    if (position.line < 0) return 0;
    const start = this.lineStart(starts, position.line);
    if (position.character <= 0) return start;
    const next = this.nextLineStart(starts, position.line);
    return this.beforeLineBreak(Math.min(start + position.character, next), start);
  }

  /** The range of a line's text, without its line break (the last line for a line past the end). */
  getLineRange(line: number): Range {
    const starts = this.lineStarts();
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= starts.length) {
      const last = starts.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.size - this.lineStart(starts, last) } };
    }
    const start = this.lineStart(starts, line);
    return { start: { line, character: 0 }, end: { line, character: this.beforeLineBreak(this.nextLineStart(starts, line), start) - start } };
  }

  /** The line break that ends a line (`''` for the last line and lines outside the text). */
  getEOLCharacters(line: number): string {
    const starts = this.lineStarts();
    if (line < 0 || line >= starts.length) return '';
    const next = this.nextLineStart(starts, line);
    return this.slice(this.beforeLineBreak(next, this.lineStart(starts, line)), next);
  }

  /** Applies the editor's changes, in order. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) this.edit(change.range, change.text);
      else {
        this.whole = change.text;
        this.pieces = [];
        this.size = change.text.length;
        this.forgetLines();
      }
    }
    this.currentVersion = version;
  }

  private edit(range: Range, text: string): void {
    const [from, to] = ordered(range);
    const start = this.offsetAt(from);
    const end = this.offsetAt(to);
    // The lines whose starts lie in (start, end] are gone; those `text` makes come instead.
    const firstLine = this.lineOf(start);
    const lastLine = this.lineOf(end);
    this.replace(start, end, text);
    // A `\r` and a `\n` that the edit puts side by side end one line, not two: count the lines again.
    const newEnd = start + text.length;
    if ((this.charCode(start - 1) === 13 && this.charCode(start) === 10) || (this.charCode(newEnd - 1) === 13 && this.charCode(newEnd) === 10)) {
      this.forgetLines();
      return;
    }
    if (!this.starts) return;
    const added = lineStartsIn(text, start);
    const delta = text.length - (end - start);
    if (added.length === 0 && firstLine === lastLine && (this.shiftFrom === firstLine + 1 || this.shift === 0)) {
      // Within one line: the lines after it move, which one more shift says.
      this.shiftFrom = firstLine + 1;
      this.shift += delta;
      if (this.shift === 0) this.shiftFrom = Infinity;
      return;
    }
    this.applyShift();
    const starts = this.starts;
    if (added.length < 10_000 && lastLine - firstLine < 10_000) starts.splice(firstLine + 1, lastLine - firstLine, ...added);
    else this.starts = starts.slice(0, firstLine + 1).concat(added, starts.slice(lastLine + 1));
    if (delta !== 0) {
      this.shiftFrom = firstLine + 1 + added.length;
      this.shift = delta;
    }
  }

  /** The text with `[start, end)` replaced by `text`, kept as pieces. */
  private replace(start: number, end: number, text: string): void {
    const old = this.whole !== undefined ? [this.whole] : this.pieces;
    const pieces: string[] = [];
    const push = (s: string) => {
      if (s.length === 0) return;
      const last = pieces.length - 1;
      if (last >= 0 && pieces[last].length < SHORT_PIECE && s.length < SHORT_PIECE) pieces[last] += s;
      else pieces.push(s);
    };
    let at = 0;
    let inserted = false;
    for (const piece of old) {
      const pieceEnd = at + piece.length;
      if (pieceEnd <= start) push(piece);
      else {
        if (at < start) push(piece.slice(0, start - at));
        if (!inserted) {
          push(text);
          inserted = true;
        }
        if (pieceEnd > end) push(at >= end ? piece : piece.slice(end - at));
      }
      at = pieceEnd;
    }
    if (!inserted) push(text);
    this.whole = undefined;
    this.pieces = pieces;
    this.size += text.length - (end - start);
    if (pieces.length > MAX_PIECES) this.getText();
    else if (pieces.length === 0) this.whole = '';
  }

  /** The text between two offsets (in either order, as `substring` reads them), without joining the pieces. */
  private slice(a: number, b: number): string {
    const start = Math.max(0, Math.min(a, b));
    const end = Math.min(this.size, Math.max(a, b));
    if (this.whole !== undefined) return this.whole.substring(start, end);
    const parts: string[] = [];
    let at = 0;
    for (const piece of this.pieces) {
      const pieceEnd = at + piece.length;
      if (pieceEnd > start && at < end) parts.push(piece.slice(Math.max(0, start - at), end - at));
      at = pieceEnd;
      if (at >= end) break;
    }
    return parts.join('');
  }

  /** The UTF-16 code at `offset`, or -1 outside the text. */
  private charCode(offset: number): number {
    if (offset < 0 || offset >= this.size) return -1;
    if (this.whole !== undefined) return this.whole.charCodeAt(offset);
    let at = 0;
    for (const piece of this.pieces) {
      if (offset < at + piece.length) return piece.charCodeAt(offset - at);
      at += piece.length;
    }
    return -1;
  }

  /** `offset` moved back before the line break it is in or after (a position never points into one). */
  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart && isLineBreak(this.charCode(offset - 1))) offset--;
    return offset;
  }

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      for (const s of lineStartsIn(this.getText(), 0)) starts.push(s);
      this.starts = starts;
    }
    return this.starts;
  }

  private lineStart(starts: number[], line: number): number {
    return line >= this.shiftFrom ? starts[line] + this.shift : starts[line];
  }

  private nextLineStart(starts: number[], line: number): number {
    return line + 1 < starts.length ? this.lineStart(starts, line + 1) : this.size;
  }

  /** The line `offset` is on: the last whose start is at or before it. */
  private lineOf(offset: number): number {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStart(starts, mid) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private applyShift(): void {
    const starts = this.starts;
    if (starts && this.shift !== 0) for (let i = this.shiftFrom; i < starts.length; i++) starts[i] += this.shift;
    this.shiftFrom = Infinity;
    this.shift = 0;
  }

  private forgetLines(): void {
    this.starts = undefined;
    this.shiftFrom = Infinity;
    this.shift = 0;
  }
}

/** `TextDocuments`' way to make and update documents, with `EditedDocument`. */
export const editedDocuments: TextDocumentsConfiguration<EditedDocument> = {
  create: (uri, languageId, version, content) => new EditedDocument(uri, languageId, version, content),
  update: (document, changes, version) => {
    document.update(changes, version);
    return document;
  },
};

/** The offsets (plus `offset`) where the lines that `text`'s line breaks end start. */
function lineStartsIn(text: string, offset: number): number[] {
  const out: number[] = [];
  if (text.indexOf('\r') === -1) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(offset + i + 1);
    return out;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) out.push(offset + i + 1);
  }
  return out;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function ordered(range: Range): [Position, Position] {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? [end, start] : [start, end];
}
