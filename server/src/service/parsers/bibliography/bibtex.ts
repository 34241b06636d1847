/**
 * BibTeX/BibLaTeX -> `BibFile`. The scan itself is in `bibtexScanner.ts`; this file turns its
 * offsets into ranges, values into display text and names, and resolves `crossref`/`xdata`
 * inheritance for display.
 */
import type { Range } from 'vscode-languageserver-types';
import type { BibEntry, BibFile, Name, ParseError, ParseResult } from '../../model';
import { LineIndex } from '../../text';
import { drain, eachPaced, type Steps } from '../../pacing';
import { scanBibtexSteps, type ScanError, type ScanResult, type ScannedEntry, type SpecialItem } from './bibtexScanner';
import { latexToUnicode } from './latexToUnicode';
import { parseNames } from './names';

export interface BibtexOptions {
  /** `@string` macros defined in other files (lower-case names -> raw values). */
  strings?: Record<string, string>;
}

/** A BibTeX parse, with what a later incremental re-parse of the same file needs (`state`, when possible). */
/** What a parse keeps for the next incremental re-parse of the same file (`bibtexIncremental.ts`). */
export interface BibtexState {
  text: string;
  source: BibSource;
  entries: BibtexEntry[];
  /** The scanner's errors (offsets) and the same as `bib.syntax` diagnostics (ranges), in the same order. */
  scanErrors: ScanError[];
  errors: ParseError[];
  strings: Record<string, string>;
  definitions: ScanResult['definitions'];
  specials: SpecialItem[];
  macroChars: number;
  macroBudgetSpent: boolean;
  errorsDropped: number;
  /** Macros from other files the parse was given. */
  external: Record<string, string> | undefined;
}

export type BibtexParse = ParseResult<BibFile> & { state?: BibtexState };

/** Parses a `.bib` file. Never throws: problems are `bib.syntax` errors and the other entries still count. */
export function parseBibtex(text: string, options?: BibtexOptions): BibtexParse {
  return drain(parseBibtexSteps(text, options));
}

/** `parseBibtex`, pausing between entries (`pacing.ts`). */
export function* parseBibtexSteps(text: string, options?: BibtexOptions): Steps<BibtexParse> {
  try {
    const scan = yield* scanBibtexSteps(text, options?.strings);
    const source = new BibSource(text);
    const errors = scan.errors.map((e) => scanError(e, source.lines));
    let incremental = true;
    const entries: BibEntry[] = [];
    yield* eachPaced(scan.entries, (e) => {
      try {
        entries.push(new BibtexEntry(e, source));
      } catch (error) {
        // Defensive: the entry stays, with its raw text as display text.
        incremental = false;
        const message = `Internal error reading entry '${e.key}': ${error instanceof Error ? error.message : String(error)}`;
        const keyRange = source.lines.range(e.keyStart, e.keyEnd);
        errors.push({ message, range: keyRange, code: 'bib.syntax', severity: 'error' });
        const range = source.lines.range(e.start, e.end);
        entries.push({ key: e.key, keyRange, range, type: e.type, fields: { ...e.fields }, rawFields: e.fields, authors: [] });
      }
    });
    const value: BibFile = { format: 'bibtex', entries, strings: scan.strings };
    if (!incremental) return { value, errors };
    const state: BibtexState = { ...scan, text, source, entries: entries as BibtexEntry[], scanErrors: scan.errors, errors, external: options?.strings };
    return { value, errors, state };
  } catch (e) {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const message = `The BibTeX parser failed: ${e instanceof Error ? e.message : String(e)}`;
    return { value: { format: 'bibtex', entries: [] }, errors: [{ message, range, code: 'bib.syntax', severity: 'error' }] };
  }
}

export function scanError(e: ScanError, lines: LineIndex): ParseError {
  return { message: e.message, range: lines.range(e.start, e.end), code: 'bib.syntax', severity: e.severity };
}

/**
 * What the entries of one parse share: positions are computed from offsets when asked for, and
 * the line index is built then (a 25 MB library has a million lines; the search needs none).
 */
export class BibSource {
  private index: LineIndex | undefined;

  constructor(
    readonly text: string,
    lines?: LineIndex,
  ) {
    this.index = lines;
  }

  get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }

  /** The line index, if built. */
  get builtLines(): LineIndex | undefined {
    return this.index;
  }
}

/** The source of entries that no longer belong to any text. */
const detached = new BibSource('');

/**
 * A BibTeX entry that keeps what the scanner read (raw values, offsets) and derives the rest
 * when asked: display `fields`, `authors`/`editors` and ranges. A 50,000-entry library is
 * searched by key, family names, year and title, so most entries never need the rest; building
 * it for all of them took half the parse time and most of the memory. Key, type, year, title,
 * crossref and xdata are computed at once (the search and the index read them for every entry).
 * `fields`, `authors` and `editors` are cached once computed (hover, diagnostics and completion
 * items ask again and again for the same few entries).
 */
/** A `ScannedEntry` whose fields are read when first asked (the index cache's entries). */
export type LazyScannedEntry = Omit<ScannedEntry, 'fields'> & { fields: () => Record<string, string> };

export class BibtexEntry implements BibEntry {
  key: string;
  type: string;
  year?: string;
  title?: string;
  crossref?: string;
  xdata?: string[];
  start: number;
  end: number;
  keyStart: number;
  keyEnd: number;
  /** What the incremental re-parse needs: see `ScannedEntry`. */
  next: number;
  closed: boolean;
  errorsBefore: number;
  errorsAfter: number;
  /** Where the fields naming other entries are written, relative to `start` (see `ScannedEntry.links`). */
  links: ScannedEntry['links'];
  /** Fields whose display text is not derived from the raw value alone (month macros). */
  private display: Record<string, string> | undefined;
  private shownFields?: Record<string, string>;
  private names?: { authors: Name[]; editors: Name[] | undefined };
  /** The positions of an entry that a re-parse replaced (`detach`). */
  private frozen?: { keyRange: Range; range: Range };
  private raw?: Record<string, string>;
  private readRaw?: () => Record<string, string>;

  /**
   * `facts`: the year and title a parse of the same text derived for an entry without `crossref` and `xdata`
   * (the index cache's entries), not derived again; such an entry's fields may be read when first asked.
   */
  constructor(
    e: ScannedEntry | LazyScannedEntry,
    public source: BibSource,
    facts?: { year?: string; title?: string },
  ) {
    this.key = e.key;
    this.type = e.type;
    if (typeof e.fields === 'function') this.readRaw = e.fields;
    else this.raw = e.fields;
    this.display = e.display;
    this.links = e.links;
    this.start = e.start;
    this.end = e.end;
    this.keyStart = e.keyStart;
    this.keyEnd = e.keyEnd;
    this.next = e.next;
    this.closed = e.closed;
    this.errorsBefore = e.errorsBefore;
    this.errorsAfter = e.errorsAfter;
    this.deriveFacts(facts);
  }

  /** Lower-case field name -> raw value, as written (read when first asked, for an entry of the index cache). */
  get rawFields(): Record<string, string> {
    if (!this.raw) {
      this.raw = this.readRaw!();
      this.readRaw = undefined;
    }
    return this.raw;
  }

  set rawFields(fields: Record<string, string>) {
    this.raw = fields;
    this.readRaw = undefined;
  }

  /** What the scanner read of this entry (`raw`: its own fields, when inheritance has replaced them), for the index cache. */
  scanned(raw: Record<string, string> = this.rawFields): ScannedEntry {
    const { type, key, keyStart, keyEnd, start, end, next, closed, errorsBefore, errorsAfter, links, display } = this;
    return { type, key, keyStart, keyEnd, start, end, fields: raw, display, links, next, closed, errorsBefore, errorsAfter };
  }

  get keyRange(): Range {
    return this.frozen?.keyRange ?? this.source.lines.range(this.keyStart, this.keyEnd);
  }

  get range(): Range {
    return this.frozen?.range ?? this.source.lines.range(this.start, this.end);
  }

  /**
   * Copies the strings read from the text: a slice keeps the whole string it was cut from alive,
   * and the few entries an incremental re-parse reads each come from another version of the file
   * (typing in a 25 MB library would keep a copy of it per keystroke).
   */
  ownStrings(): void {
    this.key = copied(this.key);
    this.type = copied(this.type);
    this.rawFields = copiedValues(this.rawFields);
    if (this.display) this.display = copiedValues(this.display);
    this.deriveFacts();
  }

  /**
   * Lets go of the text, keeping the positions it had (when known without building the old text's
   * line index; else the start of the file): for an entry a re-parse replaced, which searches
   * answering meanwhile may still hold.
   */
  detach(): void {
    const lines = this.source.builtLines;
    const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    this.frozen = lines ? { keyRange: lines.range(this.keyStart, this.keyEnd), range: lines.range(this.start, this.end) } : { keyRange: zero, range: zero };
    this.source = detached;
  }

  get fields(): Record<string, string> {
    if (!this.shownFields) {
      const fields: Record<string, string> = {};
      for (const name in this.rawFields) fields[name] = this.field(name)!;
      this.shownFields = fields;
    }
    return this.shownFields;
  }

  /** Inheritance (`crossref`, `xdata`) sets the display fields it computed. */
  set fields(fields: Record<string, string>) {
    this.shownFields = fields;
  }

  get authors(): Name[] {
    return (this.names ??= this.parseNames()).authors;
  }

  get editors(): Name[] | undefined {
    return (this.names ??= this.parseNames()).editors;
  }

  /** The authors without keeping them (the search reads every entry's names once). */
  peekAuthors(): Name[] {
    if (this.names) return this.names.authors;
    const { author, editor } = this.rawFields;
    const authors = author !== undefined ? parseNames(author) : [];
    return authors.length > 0 || editor === undefined ? authors : parseNames(editor);
  }

  /** After crossref/xdata inheritance changed the fields: year, title... again. */
  refresh(): void {
    this.names = undefined;
    this.deriveFacts();
  }

  /** Authors and editors, without keeping them (see `namesOf`). */
  peekNames(): { authors: Name[]; editors: Name[] | undefined } {
    return this.names ?? this.parseNames();
  }

  /** One display field, without computing and keeping them all (see `fieldOf`). */
  field(name: string): string | undefined {
    if (this.shownFields) return this.shownFields[name];
    const raw = this.display?.[name] ?? this.rawFields[name];
    return raw === undefined ? undefined : displayField(name, raw);
  }

  private parseNames(): { authors: Name[]; editors: Name[] | undefined } {
    const raw = this.rawFields;
    const editors = raw.editor !== undefined ? parseNames(raw.editor) : undefined;
    const authors = raw.author !== undefined ? parseNames(raw.author) : [];
    return { authors: authors.length > 0 ? authors : editors ?? [], editors };
  }

  private deriveFacts(facts?: { year?: string; title?: string }): void {
    if (facts) {
      this.year = facts.year;
      this.title = facts.title;
      this.crossref = undefined; // no parents
      this.xdata = undefined;
      return;
    }
    this.year = fourDigits(this.field('year')) ?? fourDigits(this.field('date'));
    this.title = this.field('title') || undefined;
    this.crossref = this.field('crossref')?.trim() || undefined;
    const xdata = this.field('xdata')?.split(',').map((k) => k.trim()).filter((k) => k !== '');
    this.xdata = xdata?.length ? xdata : undefined;
  }
}

/** Fields whose value is not LaTeX text (URLs, paths, identifiers): shown as written. */
const verbatimFields = new Set(['url', 'doi', 'eprint', 'file', 'pdf', 'urlraw', 'verba', 'verbb', 'verbc']);

function verbatimText(raw: string): string {
  let s = raw.trim();
  if (s.includes('\\') || s.includes('{')) {
    s = s.replace(/^\\url\{(.*)\}$/s, '$1').replace(/\\([_%&#$~])/g, '$1').replace(/[{}]/g, '');
  }
  return s;
}

const monthNames: Record<string, string> = {
  jan: 'January', feb: 'February', mar: 'March', apr: 'April', may: 'May', jun: 'June',
  jul: 'July', aug: 'August', sep: 'September', oct: 'October', nov: 'November', dec: 'December',
};

/** Display text of a field: Unicode, or as written for URL-like fields. */
export function displayField(name: string, raw: string): string {
  if (verbatimFields.has(name) || name.startsWith('bdsk-url')) return verbatimText(raw);
  const text = latexToUnicode(raw);
  // Month macros inside a macro (CryptoBib's `@string{c15month = jun # "~29~--~" # jul # "~1,"}`) reach us
  // as `jun 29 – jul 1,`: each three-letter month abbreviation of a month field is a month name.
  return name === 'month' ? text.replace(/(?<![\p{L}])([a-z]{3})(?![\p{L}])/giu, (m) => monthNames[m.toLowerCase()] ?? m) : text;
}

/**
 * One display field of an entry. For a BibTeX entry, only that field is converted and nothing is
 * kept: checks that read a few fields of every entry of a library (missing fields) stay light.
 */
export function fieldOf(entry: BibEntry, name: string): string | undefined {
  return entry instanceof BibtexEntry ? entry.field(name) : entry.fields[name];
}

/** An entry's authors and editors; a BibTeX entry does not keep them (see `fieldOf`). */
export function namesOf(entry: BibEntry): { authors: readonly Name[]; editors: readonly Name[] | undefined } {
  return entry instanceof BibtexEntry ? entry.peekNames() : { authors: entry.authors, editors: entry.editors };
}

/** An entry's authors (its editors when it has none); a BibTeX entry does not keep them (see `fieldOf`). */
export function authorsOf(entry: BibEntry): readonly Name[] {
  return entry instanceof BibtexEntry ? entry.peekAuthors() : entry.authors;
}

/** A copy of `s` that does not keep alive the string it may be a slice of. */
function copied(s: string): string {
  return (' ' + s).slice(1);
}

function copiedValues(o: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in o) out[k] = copied(o[k]);
  return out;
}

/** The first four consecutive digits of `s`. */
function fourDigits(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    run = c >= 48 && c <= 57 ? run + 1 : 0;
    if (run === 4) return s.slice(i - 3, i + 1);
  }
  return undefined;
}

/** Sets authors, editors, year, title, crossref and xdata from the entry's fields. */
function deriveFacts(entry: BibEntry): void {
  const raw = entry.rawFields ?? {};
  const f = entry.fields;
  const editors = raw.editor !== undefined ? parseNames(raw.editor) : undefined;
  const authors = raw.author !== undefined ? parseNames(raw.author) : [];
  entry.authors = authors.length > 0 ? authors : editors ?? [];
  if (editors) entry.editors = editors;
  else delete entry.editors;
  const year = fourDigits(f.year) ?? fourDigits(f.date);
  if (year !== undefined) entry.year = year;
  else delete entry.year;
  if (f.title) entry.title = f.title;
  else delete entry.title;
  const crossref = f.crossref?.trim();
  if (crossref) entry.crossref = crossref;
  else delete entry.crossref;
  const xdata = f.xdata?.split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (xdata?.length) entry.xdata = xdata;
  else delete entry.xdata;
}

// ---- crossref / xdata inheritance (for display) ----

/** Fields a child never inherits (biblatex's defaults). */
const notInherited = new Set([
  'ids', 'crossref', 'xref', 'xdata', 'entryset', 'entrysubtype', 'execute', 'label', 'options', 'presort',
  'related', 'relatedoptions', 'relatedstring', 'relatedtype', 'shorthand', 'shorthandintro', 'sortkey',
]);
const bookParts = new Set(['inbook', 'bookinbook', 'suppbook']);
const collectionParts = new Set(['incollection', 'inreference', 'suppcollection']);
/** Parent type -> [prefix its title takes, child types this applies to] (biblatex's inheritance rules). */
const titleMap: Record<string, [string, Set<string>]> = {
  mvbook: ['main', new Set(['book', ...bookParts])],
  mvcollection: ['main', new Set(['collection', 'reference', ...collectionParts])],
  mvreference: ['main', new Set(['collection', 'reference', ...collectionParts])],
  mvproceedings: ['main', new Set(['proceedings', 'inproceedings'])],
  book: ['book', bookParts],
  collection: ['book', collectionParts],
  reference: ['book', collectionParts],
  proceedings: ['book', new Set(['inproceedings'])],
  periodical: ['journal', new Set(['article', 'suppperiodical'])],
};
const titleFields = new Set(['title', 'subtitle', 'titleaddon']);
const droppedTitles = new Set(['shorttitle', 'sorttitle', 'indextitle', 'indexsorttitle']);
/** How far a chain of parents is followed, and how many parents one entry may visit in all. */
const maxDepth = 8;
const maxVisits = 64;

type Lookup = (key: string) => BibEntry | undefined;
interface FieldSet {
  fields: Record<string, string>;
  raw: Record<string, string>;
}

/**
 * The entry with the fields its `crossref` parent and `xdata` entries supply (the entry's own
 * fields win), and authors/year/title recomputed; the entry itself when it has no parents.
 * Pure. Chains are followed `maxDepth` deep at most; cycles are cut.
 */
export function withInheritance(entry: BibEntry, lookup: Lookup): BibEntry {
  if (!entry.crossref && !entry.xdata?.length) return entry;
  const { fields, raw } = inherited(entry, lookup, new Set([entry.key]), { visits: 0 });
  if (entry instanceof BibtexEntry) {
    const out: BibtexEntry = Object.assign(Object.create(BibtexEntry.prototype) as BibtexEntry, entry);
    out.fields = fields;
    out.rawFields = raw;
    out.refresh(); // crossref and xdata are never inherited: they stay the entry's own
    return out;
  }
  const out: BibEntry = { ...entry, fields, rawFields: raw };
  deriveFacts(out);
  // The entry's own parents, not the inherited ones (those are never inherited anyway).
  if (entry.crossref) out.crossref = entry.crossref;
  if (entry.xdata) out.xdata = entry.xdata;
  return out;
}

/** `withInheritance` for each entry, in place (the index calls it on freshly parsed entries). */
export function resolveInheritance(entries: BibEntry[], lookup: Lookup): void {
  for (const entry of entries) {
    const resolved = withInheritance(entry, lookup);
    if (resolved === entry) continue;
    if (entry instanceof BibtexEntry) {
      entry.fields = resolved.fields;
      entry.rawFields = resolved.rawFields!;
      entry.refresh();
    } else Object.assign(entry, resolved);
  }
}

function inherited(entry: BibEntry, lookup: Lookup, path: Set<string>, budget: { visits: number }): FieldSet {
  const set: FieldSet = { fields: { ...entry.fields }, raw: { ...(entry.rawFields ?? {}) } };
  const parent = (key: string): FieldSet | undefined => {
    if (path.has(key) || path.size > maxDepth || ++budget.visits > maxVisits) return undefined;
    const p = lookup(key);
    if (!p) return undefined;
    path.add(key);
    const result = inherited(p, lookup, path, budget);
    path.delete(key);
    return result;
  };
  const copy = (from: FieldSet, name: string, to: string): void => {
    if (Object.prototype.hasOwnProperty.call(set.fields, to) || from.fields[name] === undefined) return;
    set.fields[to] = from.fields[name];
    if (from.raw[name] !== undefined) set.raw[to] = from.raw[name];
  };

  for (const key of entry.xdata ?? []) {
    const data = parent(key);
    if (data) for (const name of Object.keys(data.fields)) if (!notInherited.has(name)) copy(data, name, name);
  }
  const parentEntry = entry.crossref ? lookup(entry.crossref) : undefined;
  const data = entry.crossref ? parent(entry.crossref) : undefined;
  if (parentEntry && data) {
    const mapping = titleMap[parentEntry.type];
    const prefix = mapping && mapping[1].has(entry.type) ? mapping[0] : undefined;
    for (const name of Object.keys(data.fields)) {
      if (notInherited.has(name)) continue;
      if (prefix !== undefined && titleFields.has(name)) {
        if (!(prefix === 'journal' && name === 'titleaddon')) copy(data, name, prefix + name);
      } else if (prefix === undefined || !droppedTitles.has(name)) copy(data, name, name);
    }
    if ((parentEntry.type === 'book' || parentEntry.type === 'mvbook') && bookParts.has(entry.type)) copy(data, 'author', 'bookauthor');
    // Classic BibTeX: an @in... entry takes its booktitle from the parent's booktitle, else its title.
    if (entry.type.startsWith('in')) copy(data, 'title', 'booktitle');
  }
  return set;
}
