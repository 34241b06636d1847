/**
 * The BibTeX/BibLaTeX scanner: one hand-written, iterative pass over the text that yields
 * entries with raw field values (macros expanded, `#` joined, LaTeX kept) and errors, all as
 * offsets. `bibtex.ts` turns them into `BibEntry`s (positions, Unicode text, names).
 *
 * Like BibTeX, anything outside an `@type{...}` is a comment (and so is a line from `%`).
 * Fault tolerance: a broken entry yields an error at the offending spot and the scan
 * resynchronises, so one bad entry never hides the others. In particular a value whose brace
 * or quote never closes stops at the next line that starts with `@type{` or `@type(`
 * (the start of the next entry) instead of swallowing the rest of the file.
 * Linear time; no recursion; never throws (each entry is scanned under a guard).
 */

import { BibtexLexer, KEY_STOP, MISSING, UNCLOSED, cls, hasOwn, type ScanError } from './bibtexLexer';
import { drain, ITEMS_PER_STEP, type Steps } from '../../pacing';

export type { ScanError } from './bibtexLexer';

/** The fields whose value names other entries: a parent, data entries, related entries, the members of a set. */
export const linkFields: ReadonlySet<string> = new Set(['crossref', 'xref', 'xdata', 'related', 'entryset']);

export interface ScannedEntry {
  type: string;
  key: string;
  keyStart: number;
  keyEnd: number;
  /** Offset of the `@`. */
  start: number;
  /** Offset just after the closing delimiter (or after the last text of an entry that is not closed). */
  end: number;
  /** Lower-case field name -> raw value. */
  fields: Record<string, string>;
  /** Fields whose display text differs from the raw value (month macros: raw `jan`, display `January`). */
  display?: Record<string, string>;
  /** Where the values of the fields that name other entries (`linkFields`) are written, relative to `start`. */
  links?: Record<string, [start: number, end: number]>;
  /** Where the scan went on after the entry (its `end`, or further on for an entry that is not closed). */
  next: number;
  /** Whether the entry ends with its closing delimiter (else the scan looked ahead to find where it stops). */
  closed: boolean;
  /** How many errors the scan had reported when it reached the entry, and when it left it. */
  errorsBefore: number;
  errorsAfter: number;
}

/** An `@string`, `@preamble` or `@comment`: items that change how the rest of the file is read. */
export interface SpecialItem {
  start: number;
  /** Where the scan went on after it. */
  end: number;
  /** Whether it ends with its closing delimiter (else the scan looked ahead to find where it stops). */
  closed: boolean;
  /** How many errors the scan had reported when it reached it, and when it left it. */
  errorsBefore: number;
  errorsAfter: number;
}

/** Where to scan: `[from, to)` of the text, with the macros defined before `from`. */
export interface ScanWindow {
  from: number;
  to: number;
  strings: Map<string, string>;
}

export interface ScanResult {
  entries: ScannedEntry[];
  /** `@string` macros the file defines, lower-case name -> raw value. */
  strings: Record<string, string>;
  errors: ScanError[];
  /** `@string` definitions in file order, with the offset of their item (to know the macros defined before an offset). */
  definitions: { at: number; name: string; value: string }[];
  specials: SpecialItem[];
  /** Characters macro expansion produced; whether the file ran out of its budget for them. */
  macroChars: number;
  macroBudgetSpent: boolean;
  /** Problems past the first `MAX_SCAN_ERRORS`, counted but not kept. */
  errorsDropped: number;
  /** Where the scan stopped: the end of the text, or with a window, after the last item that starts before `to`. */
  stoppedAt: number;
}

/**
 * Scans BibTeX text. `external` are macros defined elsewhere (lower-case names -> raw values).
 * With a `window`, only the items that start in `[from, to)` are read, as the whole scan would
 * read them when it reaches `from` with those macros (the incremental re-parse in `bibtex.ts`).
 */
export function scanBibtex(text: string, external?: Record<string, string>, window?: ScanWindow): ScanResult {
  return drain(scanBibtexSteps(text, external, window));
}

/** `scanBibtex`, pausing between items (`pacing.ts`). */
export function scanBibtexSteps(text: string, external?: Record<string, string>, window?: ScanWindow): Steps<ScanResult> {
  return new Scanner(text, external).run(window);
}

class Scanner extends BibtexLexer {
  private readonly entries: ScannedEntry[] = [];
  /**
   * After one `@comment` ran to the end of the file unclosed, later ones are read as BibTeX
   * does (the word `@comment` alone is skipped), so that many of them cannot make the scan quadratic.
   */
  private commentsUnclosed = false;
  private readonly definitions: ScanResult['definitions'] = [];
  private readonly specials: SpecialItem[] = [];
  /** The offset of the item being scanned. */
  private itemAt = 0;
  /** Whether the last `@string`, `@preamble` or `@comment` read ended with its closing delimiter. */
  private closed = false;

  *run(window?: ScanWindow): Steps<ScanResult> {
    this.pos = window?.from || (this.text.charCodeAt(0) === 0xfeff ? 1 : 0);
    if (window) for (const [name, value] of window.strings) this.strings.set(name, value);
    const to = window?.to ?? this.n;
    let items = 0;
    while (this.pos < this.n) {
      if (++items % ITEMS_PER_STEP === 0) yield;
      const at = this.nextAt(this.pos);
      if (at < 0 || at >= to) break;
      this.itemAt = at;
      let next: number;
      try {
        next = this.item(at);
      } catch (e) {
        // Defensive: a bug here must cost one entry, not the file.
        this.error(`Internal parser error: ${e instanceof Error ? e.message : String(e)}`, at, at + 1);
        next = at + 1;
      }
      this.pos = Math.max(next, at + 1);
    }
    const strings: Record<string, string> = {};
    for (const [name, value] of this.strings) if (name !== '__proto__') strings[name] = value;
    return {
      entries: this.entries,
      strings,
      errors: this.errors,
      definitions: this.definitions,
      specials: this.specials,
      macroChars: this.macroChars,
      macroBudgetSpent: this.macroBudgetSpent,
      errorsDropped: this.errorsDropped,
      stoppedAt: this.pos,
    };
  }

  protected override defineMacro(name: string, value: string): void {
    super.defineMacro(name, value);
    this.definitions.push({ at: this.itemAt, name, value });
  }

  /** The next `@` from `from` that is not in a `%` comment line, or -1. */
  private nextAt(from: number): number {
    return nextItemAt(this.text, from);
  }

  /** Scans the item whose `@` is at `at`; returns where to continue. */
  private item(at: number): number {
    this.pos = at + 1;
    this.skipFill();
    const typeStart = this.pos;
    const typeEnd = this.nameEnd(typeStart);
    const type = this.name(typeStart, typeEnd);
    this.pos = typeEnd;
    this.skipFill();
    const open = this.code(this.pos);
    if (type === '' || (open !== 123 && open !== 40)) {
      // Text outside entries is a comment, so only complain about an `@` that starts a line.
      if (type !== 'comment' && this.atLineStart(at)) {
        if (type === '') this.error("Expected an entry type after '@'", at, at + 1);
        else this.error(`Expected '{' or '(' after '@${type}'`, at, typeEnd);
      }
      return typeEnd;
    }
    const close = open === 123 ? 125 : 41;
    const header = this.pos + 1;
    this.pos = header;
    if (type === 'comment' || type === 'string' || type === 'preamble') {
      const special: SpecialItem = { start: at, end: at, closed: false, errorsBefore: this.errors.length, errorsAfter: 0 };
      this.specials.push(special);
      this.closed = false;
      if (type === 'comment') this.pos = this.comment(at, header, open, close);
      else if (type === 'string') this.stringDefinition(close);
      else this.preamble(close);
      special.closed = this.closed;
      special.errorsAfter = this.errors.length;
      return (special.end = this.pos);
    }
    this.entry(at, type, close);
    return this.pos;
  }

  /**
   * `@comment{...}`: skipped with its balanced delimiters (so it may hold whole entries).
   * Unclosed, it is reported and the scan goes on just after its opening delimiter.
   */
  private comment(at: number, header: number, open: number, close: number): number {
    if (this.commentsUnclosed) return header;
    const t = this.text;
    let depth = 1;
    for (let i = header; i < this.n; i++) {
      const c = t.charCodeAt(i);
      if (c === close && --depth === 0) {
        this.closed = true;
        return i + 1;
      }
      if (c === open) depth++;
    }
    this.commentsUnclosed = true;
    this.error(`Unclosed '@comment': missing '${String.fromCharCode(close)}'`, at, header);
    return header;
  }

  /** `@string{name = value}` (several, comma-separated, are accepted). */
  private stringDefinition(close: number): void {
    let lastEnd = this.pos;
    for (;;) {
      this.skipFill();
      const c = this.code(this.pos);
      if (c === close) {
        this.pos++;
        this.closed = true;
        return;
      }
      if (c === -1 || c === 64) {
        this.error(`'@string' is not closed: missing '${String.fromCharCode(close)}'`, lastEnd, lastEnd);
        return;
      }
      if (c === 44) {
        this.pos++;
        continue;
      }
      const nameStart = this.pos;
      const nameEnd = this.nameEnd(nameStart);
      if (nameEnd === nameStart) {
        lastEnd = this.garbage('@string', close);
        continue;
      }
      const name = this.text.slice(nameStart, nameEnd);
      this.pos = nameEnd;
      if (!this.equals(`'@string ${name}'`, '')) continue;
      const status = this.value(`@string '${name}'`, '');
      if (status === UNCLOSED) return;
      if (status === MISSING) this.error(`Missing value for '@string ${name}'`, this.pos, this.pos);
      else this.defineMacro(name.toLowerCase(), this.raw);
      lastEnd = this.pos;
    }
  }

  /** `@preamble{...}`: read (for its errors) and ignored. */
  private preamble(close: number): void {
    this.skipFill();
    const status = this.value('@preamble', '');
    if (status === UNCLOSED) return;
    if (status === MISSING) this.error("Missing value in '@preamble'", this.pos, this.pos);
    const end = this.pos;
    this.skipFill();
    if (this.code(this.pos) === close) {
      this.pos++;
      this.closed = true;
    }
    else this.error(`'@preamble' is not closed: missing '${String.fromCharCode(close)}'`, end, end);
  }

  /**
   * After a field name: consumes `=`. Without one, reports it and returns whether a value
   * follows anyway (`title {x}`, a common slip).
   */
  private equals(name: string, owner: string): boolean {
    const nameEnd = this.pos;
    this.skipFill();
    const c = this.code(this.pos);
    if (c === 61) {
      this.pos++;
      this.skipFill();
      return true;
    }
    this.error(`Missing '=' after ${owner === '' ? name : `field '${name}' in ${owner}`}`, nameEnd, nameEnd);
    return c === 123 || c === 34;
  }

  /** A regular entry, from just after its opening delimiter. Without a key, it is read for its errors only. */
  private entry(at: number, type: string, close: number): void {
    const t = this.text;
    this.skipFill();
    const keyStart = this.pos;
    let p = keyStart;
    if (this.code(p) !== 64) {
      while (p < this.n) {
        const c = t.charCodeAt(p);
        if ((c < 128 && (cls[c] & KEY_STOP) !== 0) || c === close) break;
        p++;
      }
    }
    const key = t.slice(keyStart, p);
    this.pos = p;
    this.skipFill();
    const c = this.code(this.pos);
    if (key !== '' && c === 61) {
      // `@article{title = ...`: what looked like the key is the first field.
      this.error(`Missing key in '@${type}' entry`, keyStart, keyStart);
      this.pos = keyStart;
      this.fields(undefined, `'@${type}' entry`, close);
    } else if (key === '') {
      this.error(c === 44 ? `Empty key in '@${type}' entry` : `Missing key in '@${type}' entry`, keyStart, keyStart);
      if (c === 64) return; // the next entry starts right away: nothing more to say about this one
      if (c === 44) this.pos++;
      this.fields(undefined, `'@${type}' entry`, close);
    } else {
      const errorsBefore = this.errors.length;
      const entry: ScannedEntry = { type, key, keyStart, keyEnd: p, start: at, end: p, fields: {}, next: p, closed: false, errorsBefore, errorsAfter: errorsBefore };
      this.entries.push(entry);
      if (c === 44) this.pos++;
      else if (c !== close && c !== -1 && c !== 64) this.error(`Missing ',' after key '${key}'`, p, p);
      entry.end = this.fields(entry, `entry '${key}'`, close);
      entry.next = this.pos;
      entry.closed = this.text.charCodeAt(entry.end - 1) === close && entry.end === this.pos;
      entry.errorsAfter = this.errors.length;
    }
  }

  /**
   * The fields of an entry (into `entry`, when there is one), up to its closing delimiter.
   * Returns where the entry ends: after that delimiter, or after its last text when it is not closed.
   */
  private fields(entry: ScannedEntry | undefined, owner: string, close: number): number {
    let lastEnd = this.pos;
    let quiet = false; // an unclosed value already said what is wrong
    // The last value read: when it spans lines, it is the likely culprit of an entry that is not closed.
    let lastField = '';
    let lastValue = 0;
    for (;;) {
      this.skipFill();
      let c = this.code(this.pos);
      if (c === close) return ++this.pos;
      if (c === -1 || c === 64) {
        if (!quiet) {
          const spansLines = lastField !== '' && this.text.slice(lastValue, lastEnd).includes('\n');
          const hint = spansLines ? ` (does the value of '${lastField}' close too late?)` : '';
          const what = owner[0].toUpperCase() + owner.slice(1);
          this.error(`${what} is not closed: missing '${String.fromCharCode(close)}'${hint}`, lastEnd, lastEnd);
        }
        return this.trimEnd(this.pos);
      }
      if (c === 44) {
        lastEnd = ++this.pos;
        continue;
      }
      const nameStart = this.pos;
      const nameEnd = this.nameEnd(nameStart);
      if (nameEnd === nameStart) {
        lastEnd = this.garbage(owner, close);
        continue;
      }
      const field = this.name(nameStart, nameEnd);
      this.pos = nameEnd;
      if (!this.equals(field, owner)) {
        lastEnd = nameEnd;
        continue;
      }
      lastField = field;
      lastValue = this.pos;
      const status = this.value(field, owner);
      if (status === UNCLOSED) {
        quiet = true;
        continue;
      }
      if (status === MISSING) {
        this.error(`Missing value for field '${field}' in ${owner}`, this.pos, this.pos);
        lastEnd = this.pos;
        continue;
      }
      if (entry) {
        if (entry.fields[field] !== undefined && hasOwn(entry.fields, field)) {
          this.error(`Duplicate field '${field}' in ${owner}: the first one is kept`, nameStart, nameEnd, 'warning');
        } else {
          entry.fields[field] = this.raw;
          if (this.differs) (entry.display ??= {})[field] = this.disp;
          if (linkFields.has(field)) (entry.links ??= {})[field] = [lastValue - entry.start, this.pos - entry.start];
        }
      }
      lastEnd = this.pos;
      this.skipFill();
      c = this.code(this.pos);
      if (c === 44 || c === close || c === -1 || c === 64) continue;
      if (this.isNameChar(c)) this.error(`Missing ',' after field '${field}' in ${owner}`, lastEnd, lastEnd);
      else lastEnd = this.garbage(owner, close);
    }
  }

  /**
   * Skips text that cannot be read here, up to the next `,` or closing delimiter at brace
   * depth 0 (or the next entry line), and reports it. Returns where the skipped text ends.
   */
  private garbage(owner: string, close: number): number {
    const t = this.text;
    const start = this.pos;
    let depth = 0;
    let i = start;
    for (; i < this.n; i++) {
      const c = t.charCodeAt(i);
      if (depth === 0 && (c === 44 || c === close)) break;
      if (c === 123) depth++;
      else if (c === 125 && depth > 0) depth--;
      else if (c === 10 && this.entryLineAt(i + 1)) {
        i = this.resume;
        break;
      }
    }
    const end = this.trimEnd(i);
    const snippet = t.slice(start, Math.min(end, start + 30)).split(/\r?\n/)[0];
    this.error(`Unexpected '${snippet}${end - start > snippet.length ? '…' : ''}' in ${owner}`, start, end);
    this.pos = i;
    return end;
  }
}

/** The next `@` in `text` from `from` that is not in a `%` comment line, or -1 (also the preview's quick pass). */
export function nextItemAt(text: string, from: number): number {
  let i = text.indexOf('@', from);
  while (i >= 0) {
    let j = i - 1;
    while (j >= from && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 37) j--;
    if (j < from || text.charCodeAt(j) === 10) return i;
    const eol = text.indexOf('\n', i);
    if (eol < 0) return -1;
    from = eol;
    i = text.indexOf('@', eol);
  }
  return -1;
}
