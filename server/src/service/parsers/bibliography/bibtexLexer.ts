/**
 * The character level of the BibTeX scanner (`bibtexScanner.ts` builds entries on it):
 * names, whitespace and `%` comments, and values (braced, quoted, numbers, macros, `#`).
 * Everything is an offset into the text, scanned iteratively; values that never close stop
 * at the next line that starts an entry (`@type{`), which is how the scanner resynchronises.
 */

export interface ScanError {
  message: string;
  start: number;
  end: number;
  severity: 'error' | 'warning';
}

const months = new Map(
  ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
    .map((m) => [m.slice(0, 3).toLowerCase(), m]),
);

// ASCII character classes.
export const WS = 1; // whitespace
export const NAME_STOP = 2; // ends a type, field or macro name
export const KEY_STOP = 4; // ends an entry key
export const cls = new Uint8Array(128);
for (const c of ' \t\n\r\f\v') cls[c.charCodeAt(0)] |= WS | NAME_STOP | KEY_STOP;
for (const c of '"#%\'(),={}@') cls[c.charCodeAt(0)] |= NAME_STOP;
for (const c of ',={}"') cls[c.charCodeAt(0)] |= KEY_STOP;

export const OK = 0;
export const MISSING = 1; // no value at all (`title = ,`)
export const UNCLOSED = 2; // a brace or quote never closed; `pos` is where scanning resumes

export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The problems a scan keeps: far more than any list of diagnostics shows (`features/bounds.ts`). */
export const MAX_SCAN_ERRORS = 10_000;

/** Scanner state shared by the levels: the text, the position, errors and macros. */
export class BibtexLexer {
  protected pos = 0;
  protected readonly n: number;
  protected readonly errors: ScanError[] = [];
  protected readonly strings = new Map<string, string>();
  /** The value `value()` read, raw and for display (they differ only with month macros: then `differs`). */
  protected raw = '';
  protected disp = '';
  protected differs = false;
  /** Names as written -> lower case, so that each distinct name is lower-cased once. */
  private readonly names = new Map<string, string>();
  /** Value source text -> value, for `#` concatenations of macros (see `shareConcatenation`). */
  private readonly concatenations = new Map<string, string>();
  /** Set by `braced`/`quoted` (and `entryLineAt`) when they stop early: where scanning resumes. */
  protected resume = 0;
  /**
   * Characters that macro expansion may still produce in this file. Real files stay under twice
   * their size; `@string{b = a # a}` doubled 28 times would build a 500-million-character value.
   */
  private macroBudget: number;
  protected macroBudgetSpent = false;
  /** Characters macro expansion produced so far. */
  protected macroChars = 0;
  /** Problems past `MAX_SCAN_ERRORS`: counted, not kept (3 million `@x{` made 3 million error objects, 1.1 GB). */
  protected errorsDropped = 0;

  constructor(
    protected readonly text: string,
    private readonly external: Record<string, string> | undefined,
  ) {
    this.n = text.length;
    this.macroBudget = 4 * text.length + 4_000_000;
  }

  protected error(message: string, start: number, end: number, severity: 'error' | 'warning' = 'error'): void {
    if (this.errors.length < MAX_SCAN_ERRORS) this.errors.push({ message, start, end, severity });
    else if (this.errorsDropped++ === 0) this.errors.push({ message: 'Too many problems in this file: the later ones are not listed', start, end, severity: 'error' });
  }

  protected code(i: number): number {
    return i < this.n ? this.text.charCodeAt(i) : -1;
  }

  /** Skips whitespace and `%` comments (inside entries, between tokens). */
  protected skipFill(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      while (p < this.n && t.charCodeAt(p) < 128 && (cls[t.charCodeAt(p)] & WS) !== 0) p++;
      if (t.charCodeAt(p) !== 37) break;
      const eol = t.indexOf('\n', p);
      p = eol < 0 ? this.n : eol;
    }
    this.pos = p;
  }

  protected isWs(c: number): boolean {
    return c >= 0 && c < 128 && (cls[c] & WS) !== 0;
  }

  protected isNameChar(c: number): boolean {
    return c >= 128 || (c >= 0 && (cls[c] & NAME_STOP) === 0);
  }

  /** `text[start..end)` in lower case, shared by every occurrence. */
  protected name(start: number, end: number): string {
    const written = this.text.slice(start, end);
    let name = this.names.get(written);
    if (name === undefined) {
      name = written.toLowerCase();
      this.names.set(written, name);
    }
    return name;
  }

  protected nameEnd(p: number): number {
    while (p < this.n && this.isNameChar(this.text.charCodeAt(p))) p++;
    return p;
  }

  /** Back from `p` over whitespace: where the text before `p` really ends. */
  protected trimEnd(p: number): number {
    while (p > 0 && this.isWs(this.text.charCodeAt(p - 1))) p--;
    return p;
  }

  protected atLineStart(i: number): boolean {
    let j = i - 1;
    while (j >= 0 && (this.text.charCodeAt(j) === 32 || this.text.charCodeAt(j) === 9)) j--;
    return j < 0 || this.text.charCodeAt(j) === 10 || this.text.charCodeAt(j) === 13;
  }

  /** Whether the line starting at `i` starts a new entry (`@type{` or `@type(`). Sets `resume` to its `@`. */
  protected entryLineAt(i: number): boolean {
    const t = this.text;
    while (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9) i++;
    if (t.charCodeAt(i) !== 64) return false;
    let j = i + 1;
    while (j < this.n && ((t.charCodeAt(j) | 32) >= 97 && (t.charCodeAt(j) | 32) <= 122)) j++;
    if (j === i + 1) return false;
    while (t.charCodeAt(j) === 32 || t.charCodeAt(j) === 9) j++;
    if (t.charCodeAt(j) !== 123 && t.charCodeAt(j) !== 40) return false;
    this.resume = i;
    return true;
  }

  /**
   * A value: pieces (`{...}`, `"..."`, a number or a macro) joined by `#`, into `raw`/`disp`.
   * `field` and `owner` only name the place in messages.
   */
  protected value(field: string, owner: string): number {
    const t = this.text;
    const valueStart = this.pos;
    let macros = false;
    this.raw = '';
    this.disp = '';
    this.differs = false;
    for (let first = true; ; first = false) {
      const start = this.pos;
      const c = this.code(start);
      let piece: string;
      let shown: string | undefined; // display text, when it is not `piece`
      if (c === 123 || c === 34) {
        const end = c === 123 ? this.braced(start) : this.quoted(start);
        if (end < 0) {
          const where = owner === '' ? field : `field '${field}' of ${owner}`;
          this.error(`Unclosed ${c === 123 ? 'brace' : 'quote'} in ${where}`, start, start + 1);
          this.pos = end === -1 ? this.n : this.resume;
          return UNCLOSED;
        }
        piece = t.slice(start + 1, end);
        this.pos = end + 1;
      } else if (this.isNameChar(c)) {
        const end = this.nameEnd(start);
        this.pos = end;
        if (c >= 48 && c <= 57) piece = t.slice(start, end);
        else {
          const name = this.name(start, end);
          let macro = this.strings.get(name) ?? (this.external && hasOwn(this.external, name) ? this.external[name] : undefined);
          if (macro !== undefined) this.macroChars += macro.length;
          const refused = macro !== undefined && (this.macroBudget -= macro.length) < 0;
          if (refused) {
            // Kept as written, reported once: each further expansion would only add to the blow-up.
            if (!this.macroBudgetSpent) this.error(`Macros expand to too much text in this file: '${t.slice(start, end)}' and later macros are not expanded`, start, end);
            this.macroBudgetSpent = true;
            macro = undefined;
          }
          piece = macro ?? t.slice(start, end);
          macros ||= macro !== undefined;
          if (macro === undefined && !refused) {
            shown = months.get(name);
            if (shown === undefined) this.error(`Unknown macro '${piece}'`, start, end, 'warning');
          }
        }
      } else {
        if (first) return MISSING;
        this.error("Expected a value after '#'", start, start);
        return OK;
      }
      if (shown !== undefined && !this.differs) {
        this.differs = true;
        this.disp = this.raw;
      }
      if (this.differs) this.disp += shown ?? piece;
      this.raw = first ? piece : this.raw + piece;
      const after = this.pos;
      this.skipFill();
      if (this.code(this.pos) !== 35) {
        this.pos = after;
        if (macros && !first && !this.differs) this.shareConcatenation(valueStart, after);
        return OK;
      }
      this.pos++;
      this.skipFill();
    }
  }

  /**
   * `ack-bnb # " and " # ack-nhfb`, written in a thousand entries, gives one shared string
   * rather than a thousand copies: less memory, and later caches hash it once.
   */
  private shareConcatenation(start: number, end: number): void {
    const source = this.text.slice(start, end);
    const shared = this.concatenations.get(source);
    if (shared !== undefined) this.raw = shared;
    else this.concatenations.set(source, this.raw);
  }

  /** A macro was (re)defined: concatenations of macros may change. */
  protected defineMacro(name: string, value: string): void {
    this.strings.set(name, value);
    if (this.concatenations.size > 0) this.concatenations.clear();
  }

  /**
   * From a `{`, the offset of its matching `}`; -1 at the end of the text, -2 when a line
   * starting a new entry comes first (`resume` is then its `@`). Braces count as in BibTeX,
   * even after a backslash.
   */
  protected braced(open: number): number {
    const t = this.text;
    let depth = 1;
    for (let i = open + 1; i < this.n; i++) {
      const c = t.charCodeAt(i);
      if (c === 125) {
        if (--depth === 0) return i;
      } else if (c === 123) depth++;
      else if (c === 10 && this.entryLineAt(i + 1)) return -2;
    }
    return -1;
  }

  /**
   * From a `"`, the offset of the closing `"` at brace depth 0 (even after a backslash, as in BibTeX);
   * -1 at the end of the text; -2 at a line starting a new entry, or at a `}` that closes
   * more than the value opened (the entry's own end): `resume` is then where to go on.
   */
  protected quoted(open: number): number {
    const t = this.text;
    let depth = 0;
    for (let i = open + 1; i < this.n; i++) {
      const c = t.charCodeAt(i);
      if (c === 34) {
        if (depth === 0) return i;
      } else if (c === 123) depth++;
      else if (c === 125) {
        if (depth === 0) {
          this.resume = i;
          return -2;
        }
        depth--;
      } else if (c === 10 && this.entryLineAt(i + 1)) return -2;
    }
    return -1;
  }
}
