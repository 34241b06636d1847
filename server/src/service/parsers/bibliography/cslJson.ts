/**
 * CSL-JSON bibliographies (Zotero, Better BibTeX's "Better CSL JSON", citation-js, Pandoc).
 *
 * JSON.parse gives no positions and gives up at the first error, so a small hand-written
 * scanner walks the text once: it validates the syntax, records where each item and its
 * `id` value are, and hands each valid item's slice to JSON.parse to build the value.
 *
 * Accepted shapes: a top-level array of items (what the tools export), a single item
 * object, or an object whose `items` / `references` member is that array (citeproc's input).
 *
 * Recovery: an error inside an item drops that item and resumes at the next line whose first
 * character is `{` at or left of the broken item's brace column (pretty-printed exports put
 * every item at the same indentation, nested objects deeper). Minified files cannot resync:
 * the items before the error are kept.
 */
import type { BibEntry, BibFile, ParseError, ParseResult, Position, Range } from '../../model';
import { LineIndex } from '../../text';
import { entryFromCsl, normalizeCslDates } from './csl';
import { drain, ITEMS_PER_STEP, type Steps } from '../../pacing';

const MAX_DEPTH = 256;
const MAX_ERRORS = 100;
const WORD = /[A-Za-z]+/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** What a JSON string may hold unescaped (anything but `"`, `\` and control characters). */
const PLAIN_CHARS = /[^"\\\x00-\x1f]*/y;

export function parseCslJson(text: string): ParseResult<BibFile> {
  return drain(parseCslJsonSteps(text));
}

/** `parseCslJson`, pausing between the items of a top-level array (`pacing.ts`). */
export function* parseCslJsonSteps(text: string): Steps<ParseResult<BibFile>> {
  const parser = new Parser(text);
  try {
    yield* parser.parseFile();
  } catch (e) {
    // Defensive: the scanner has no known throwing path, but a parser must never throw.
    parser.error(0, 0, `Could not read this CSL-JSON file: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { value: { format: 'csl-json', entries: parser.entries }, errors: parser.errors };
}

/** A member hook for `scanObject`: consume the value at `start` itself (true/false) or leave it (undefined). */
type MemberHook = (rawKey: string, start: number) => boolean | undefined;

class Parser {
  readonly entries: BibEntry[] = [];
  readonly errors: ParseError[] = [];
  private pos = 0;
  private lineIndex: LineIndex | undefined;
  private cursorOffset = 0;
  private cursorLine = 0;
  private cursorLineStart = 0;

  constructor(private readonly text: string) {}

  *parseFile(): Steps<void> {
    const { text } = this;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipWs();
    if (this.pos >= text.length) return; // an empty file has no entries and nothing wrong
    const c = text[this.pos];
    if (c !== '[' && c !== '{') {
      this.error(this.pos, this.pos + 1, 'Expected a JSON array of CSL items');
      return;
    }
    if (!(c === '[' ? yield* this.parseItemArray() : this.parseTopObject())) return;
    this.skipWs();
    if (this.pos < text.length) this.error(this.pos, this.pos + 1, 'Unexpected content after the end of the JSON value');
  }

  /** `[ item, item, ... ]`, each item indexed on its own. Returns false when it had to stop early. */
  private *parseItemArray(): Steps<boolean> {
    const { text } = this;
    this.pos++; // [
    this.skipWs();
    if (text[this.pos] === ']') return this.pos++, true;
    for (let n = 1; ; n++) {
      if (n % ITEMS_PER_STEP === 0) yield;
      this.skipWs();
      const start = this.pos;
      if (start >= text.length) return this.fail(start, start, "Unclosed array: expected ']'");
      const ok = text[start] === '{' ? this.parseItem() : this.scanNonItem(start);
      if (!ok) {
        if (this.resync(start)) continue;
        return false;
      }
      this.skipWs();
      const c = text[this.pos];
      if (c === ']') return this.pos++, true;
      if (c === ',') {
        const comma = this.pos++;
        this.skipWs();
        if (text[this.pos] === ']') {
          this.error(comma, comma + 1, "Trailing comma before ']'");
          return this.pos++, true;
        }
        continue;
      }
      if (this.pos >= text.length) return this.fail(this.pos, this.pos, "Unclosed array: expected ']'");
      this.error(this.pos, this.pos + 1, "Expected ',' or ']' after an item");
      if (c === '{') continue; // a forgotten comma between two items: read on
      if (!this.resync(start)) return false;
    }
  }

  /** An array element that is not an object: reported, skipped. */
  private scanNonItem(start: number): boolean {
    if (!this.scanValue(1)) return false;
    this.error(start, this.pos, 'Expected a CSL item (a JSON object)');
    return true;
  }

  /** One item `{...}`: validated, built with JSON.parse, indexed by its `id`. False on a syntax error. */
  private parseItem(): boolean {
    const start = this.pos;
    let idStart = -1;
    let idEnd = -1;
    const ok = this.scanObject(1, (key, valueStart) => {
      if (key !== '"id"') return undefined;
      const scanned = this.scanValue(1);
      // A repeated "id" member: JSON.parse keeps the last one, so do we.
      [idStart, idEnd] = [valueStart, this.pos];
      return scanned;
    });
    if (ok) this.addItem(start, this.pos, idStart, idEnd);
    return ok;
  }

  /** A top-level object: a wrapper with an `items`/`references` array, or a single item. */
  private parseTopObject(): boolean {
    const start = this.pos;
    let sawArray = false;
    let idStart = -1;
    let idEnd = -1;
    const ok = this.scanObject(1, (key, valueStart) => {
      if ((key === '"items"' || key === '"references"') && this.text[valueStart] === '[') {
        sawArray = true;
        // In a member hook: read at once (a wrapper object is rare; exports write a top-level array).
        return drain(this.parseItemArray());
      }
      if (key !== '"id"') return undefined;
      const scanned = this.scanValue(1);
      [idStart, idEnd] = [valueStart, this.pos];
      return scanned;
    });
    if (!ok || sawArray) return ok;
    if (idStart >= 0) this.addItem(start, this.pos, idStart, idEnd);
    else this.error(start, start + 1, 'Expected a JSON array of CSL items');
    return true;
  }

  /** Builds the entry for a syntactically valid item spanning [start, end). */
  private addItem(start: number, end: number, idStart: number, idEnd: number): void {
    if (idStart < 0) return this.error(start, start + 1, 'This CSL item has no "id"');
    let item: Record<string, unknown>;
    try {
      item = JSON.parse(this.text.slice(start, end));
    } catch (e) {
      // Unreachable if the scanner is right; kept so that a scanner bug costs one item, not the file.
      return this.error(start, start + 1, `Invalid JSON object: ${e instanceof Error ? e.message : String(e)}`);
    }
    const first = this.text[idStart];
    let key: string;
    let keyStart = idStart;
    let keyEnd = idEnd;
    if (first === '"') {
      key = String(item.id);
      keyStart++;
      keyEnd--;
    } else if (first === '-' || (first >= '0' && first <= '9')) {
      key = this.text.slice(idStart, idEnd); // as written: what a citation would spell
    } else {
      return this.error(idStart, idEnd, 'The "id" of a CSL item must be a string or a number');
    }
    if (!key.trim()) return this.error(idStart, idEnd, 'The "id" of this CSL item is empty');
    normalizeCslDates(item);
    // Positions in increasing offset order, as the forward-only cursor wants them.
    const itemStart = this.position(start);
    const keyRange = this.range(keyStart, keyEnd);
    this.entries.push(entryFromCsl(item, key, keyRange, { start: itemStart, end: this.position(end) }));
  }

  /**
   * After an error in the element that started at `elementStart`: moves to the next line whose
   * first non-blank character is `{` at or left of that element's column. False if there is none.
   */
  private resync(elementStart: number): boolean {
    const { text } = this;
    const column = elementStart - (text.lastIndexOf('\n', elementStart - 1) + 1);
    let lineStart = text.indexOf('\n', Math.max(this.pos, elementStart)) + 1;
    while (lineStart > 0) {
      let i = lineStart;
      while (text[i] === ' ' || text[i] === '\t' || text[i] === '\r') i++;
      if (text[i] === '{' && i - lineStart <= column) return (this.pos = i), true;
      lineStart = text.indexOf('\n', i) + 1;
    }
    return false;
  }

  // --- The validating scanner. Each scan* starts at the value's first character, leaves `pos`
  // --- after it and returns true, or records an error at the exact spot and returns false.

  private scanValue(depth: number): boolean {
    const { text, pos } = this;
    if (pos >= text.length) return this.fail(pos, pos, 'Unexpected end of file: expected a value');
    const c = text[pos];
    if (c === '"') return this.scanString();
    if (c === '{') return this.scanObject(depth + 1);
    if (c === '[') return this.scanArray(depth + 1);
    if (c === '-' || (c >= '0' && c <= '9')) return this.scanNumber();
    WORD.lastIndex = pos;
    const m = WORD.exec(text);
    if (m && (m[0] === 'true' || m[0] === 'false' || m[0] === 'null')) return (this.pos = WORD.lastIndex), true;
    return this.fail(pos, m ? WORD.lastIndex : pos + 1, 'Expected a value');
  }

  private scanObject(depth: number, hook?: MemberHook): boolean {
    const { text } = this;
    if (depth > MAX_DEPTH) return this.fail(this.pos, this.pos + 1, 'JSON nested too deeply');
    this.pos++; // {
    this.skipWs();
    if (text[this.pos] === '}') return this.pos++, true;
    for (;;) {
      this.skipWs();
      const keyStart = this.pos;
      if (text[keyStart] !== '"') return this.failHere('Expected a property name in double quotes');
      if (!this.scanString()) return false;
      const keyEnd = this.pos;
      this.skipWs();
      if (text[this.pos] !== ':') return this.failHere("Expected ':' after a property name");
      this.pos++;
      this.skipWs();
      // The hook sees the key as written, quotes included (`"id"`); exports never escape key names.
      const handled = hook?.(text.slice(keyStart, keyEnd), this.pos);
      if (handled === false || (handled === undefined && !this.scanValue(depth))) return false;
      this.skipWs();
      const c = text[this.pos];
      if (c === '}') return this.pos++, true;
      if (c !== ',') return this.failHere("Expected ',' or '}' after a property value");
      const comma = this.pos++;
      this.skipWs();
      if (text[this.pos] === '}') return this.fail(comma, comma + 1, "Trailing comma before '}'");
    }
  }

  private scanArray(depth: number): boolean {
    const { text } = this;
    if (depth > MAX_DEPTH) return this.fail(this.pos, this.pos + 1, 'JSON nested too deeply');
    this.pos++; // [
    this.skipWs();
    if (text[this.pos] === ']') return this.pos++, true;
    for (;;) {
      this.skipWs();
      if (!this.scanValue(depth)) return false;
      this.skipWs();
      const c = text[this.pos];
      if (c === ']') return this.pos++, true;
      if (c !== ',') return this.failHere("Expected ',' or ']' after an array element");
      const comma = this.pos++;
      this.skipWs();
      if (text[this.pos] === ']') return this.fail(comma, comma + 1, "Trailing comma before ']'");
    }
  }

  private scanString(): boolean {
    const { text } = this;
    const start = this.pos;
    const n = text.length;
    let i = start + 1;
    for (;;) {
      PLAIN_CHARS.lastIndex = i; // skip ordinary characters in one native step
      PLAIN_CHARS.test(text);
      i = PLAIN_CHARS.lastIndex;
      if (i >= n) return this.fail(start, n, 'Unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) return (this.pos = i + 1), true; // "
      if (c === 0x5c) {
        // backslash
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) return this.fail(i, Math.min(i + 6, n), 'Invalid \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === undefined || e === '\n' || e === '\r') return this.fail(start, i + 1, 'Unterminated string');
        else return this.fail(i, i + 2, 'Invalid escape sequence in a string');
        continue;
      }
      if (c < 0x20) {
        if (c === 0x0a || c === 0x0d) return this.fail(start, i, 'Unterminated string');
        return this.fail(i, i + 1, 'Control characters in a string must be escaped');
      }
      i++;
    }
  }

  private scanNumber(): boolean {
    NUMBER.lastIndex = this.pos;
    if (!NUMBER.test(this.text)) return this.fail(this.pos, this.pos + 1, 'Invalid number');
    this.pos = NUMBER.lastIndex;
    return true;
  }

  private skipWs(): void {
    const { text } = this;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.pos = i;
  }

  // --- Errors and positions.

  private failHere(message: string): false {
    const at = this.pos;
    return this.fail(at, Math.min(at + 1, this.text.length), this.pos >= this.text.length ? `Unexpected end of file: ${lowerFirst(message)}` : message);
  }

  private fail(start: number, end: number, message: string): false {
    this.error(start, end, message);
    this.pos = start;
    return false;
  }

  error(start: number, end: number, message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ message, range: this.range(start, end), code: 'bib.syntax', severity: 'error' });
  }

  private range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /**
   * Offsets -> positions. The scanner asks in increasing order almost always, so a cursor that
   * only moves forward is enough and avoids indexing every line of a 50 MB file up front;
   * a request behind the cursor (rare, errors only) falls back to a LineIndex.
   */
  private position(offset: number): Position {
    if (offset < this.cursorOffset) {
      this.lineIndex ??= new LineIndex(this.text);
      return this.lineIndex.positionAt(offset);
    }
    const { text } = this;
    for (let nl = text.indexOf('\n', this.cursorOffset); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      this.cursorLine++;
      this.cursorLineStart = nl + 1;
    }
    this.cursorOffset = offset;
    return { line: this.cursorLine, character: offset - this.cursorLineStart };
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
