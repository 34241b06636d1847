/**
 * The index cache's side in the service: what a bibliography's parse is written as, and read back as.
 * `BibliographyStore.load` asks `restore` before parsing a file read from disk, and hands a full parse to
 * `remember`, which writes it later, in idle time (`IIndexCache`: the node side keeps it in a folder,
 * verified by the file's size, modification time and digest, and a checksum of its own).
 *
 * A BibTeX parse is packed (`pack`): most raw values are slices of the file's text, so an entry is a run of
 * ints (offsets into the text, or into one pool of the strings that are not in it: macro expansions, types,
 * field names, titles turned into Unicode). Reading it back slices the text again: the entries are those a
 * parse makes, with the same offsets, errors and state for an incremental re-parse, the scan not run.
 * Other formats keep their parse as it is (plain objects). Either way the payload also holds the file's own
 * citation search (`searchCache.ts`), restored after inheritance is resolved (`restoreSearch`): a second start
 * neither parses the file nor indexes it for the search.
 *
 * The packing runs in idle time, a slice at a time (`IIndexCache.write` runs its steps), finishing the search
 * first when it is being built.
 */
import type { BibFormat, BibEntry, ParseError } from '../model';
import type { CacheIdentity, FileStat, IIndexCache, ILogger } from '../workspace';
import { BibSource, BibtexEntry, scanError, type BibtexState, type LazyScannedEntry } from '../parsers/bibliography/bibtex';
import type { ScannedEntry } from '../parsers/bibliography/bibtexScanner';
import type { MojibakeRun } from '../mojibake';
import { ITEMS_PER_STEP, type Steps } from '../pacing';
import type { CitationSearch } from './search';
import { packSearch, unpackSearch, type PackedSearch } from './searchCache';
import { isCitable } from './scopeIndex';

/** Changes whenever what is written changes shape or meaning (the node side adds the server's version). */
export const CACHE_FORMAT = 4;

/** A parse as `load` uses it. */
export interface CachedParse {
  entries: BibEntry[];
  errors: ParseError[];
  strings?: Record<string, string>;
  state?: BibtexState;
  runs: MojibakeRun[];
  /** The file's own search, as written (`restoreSearch` makes it a search once inheritance is resolved). */
  search?: PackedSearch;
}

interface PlainPayload {
  format: number;
  kind: 'plain';
  entries: BibEntry[];
  errors: ParseError[];
  strings?: Record<string, string>;
  runs: MojibakeRun[];
  search?: PackedSearch;
}

interface PackedPayload {
  format: number;
  kind: 'bibtex';
  count: number;
  pool: string;
  ints: Int32Array;
  scan: Pick<BibtexState, 'scanErrors' | 'strings' | 'definitions' | 'specials' | 'macroChars' | 'macroBudgetSpent' | 'errorsDropped'>;
  runs: MojibakeRun[];
  search?: PackedSearch;
}

type Payload = PlainPayload | PackedPayload;

export class BibliographyCache {
  constructor(
    private readonly cache: IIndexCache | undefined,
    private readonly logger: ILogger,
  ) {}

  /** The identity to cache a file read from disk by, or undefined when it cannot be cached. */
  identity(uri: string, stat: FileStat | undefined, digest: string | undefined): CacheIdentity | undefined {
    return this.cache && stat && digest ? { uri, size: stat.size, mtime: stat.mtime, digest } : undefined;
  }

  /** The parse of `text` written earlier for `id`, or undefined (never written, or unusable: then a full parse). */
  async restore(id: CacheIdentity, text: string, format: BibFormat): Promise<CachedParse | undefined> {
    const value = await this.cache?.read(id);
    if (value === undefined) return undefined;
    try {
      const parse = unpack(value as Payload, text, format);
      if (parse) return parse;
      this.logger.info(`Index cache of ${id.uri} not used: it is of another format`);
    } catch (e) {
      this.logger.warn(`Index cache of ${id.uri} not used: ${e instanceof Error ? e.message : e}`);
    }
    return undefined;
  }

  /** The file's own search from what `restore` read (`entries`: after inheritance), or undefined (then it is built). */
  restoreSearch(id: CacheIdentity, packed: PackedSearch, entries: readonly BibEntry[]): CitationSearch | undefined {
    try {
      return unpackSearch(packed, entries.filter(isCitable), id.uri);
    } catch (e) {
      this.logger.warn(`Index cache of ${id.uri}: its search not used: ${e instanceof Error ? e.message : e}`);
      return undefined;
    }
  }

  /**
   * Writes a full parse of `text` for `id`, later. `own`: the fields of the entries inheritance has since given
   * their parents' fields, as the parse read them. `current()`: whether the parse is still the file's (a re-parse
   * after an edit hands its entries on: then nothing is written). `search`: the file's own search, when one was built or
   * is being built (then finished by these steps); none when nothing has searched the file (`entente index`).
   */
  remember(id: CacheIdentity, text: string, format: BibFormat, parse: CachedParse, own: ReadonlyMap<BibEntry, Record<string, string>>, current: () => boolean, search: () => Steps<CitationSearch | undefined>): void {
    this.cache?.write(id, function* () {
      if (!current()) return undefined;
      const payload = yield* pack(text, format, parse, own);
      const built = yield* search();
      if (built) payload.search = yield* packSearch(built);
      return current() ? payload : undefined;
    });
  }
}

/** The own fields of the entries that have parents, before `resolveInheritance` replaces them. */
export function ownFields(entries: readonly BibEntry[]): Map<BibEntry, Record<string, string>> {
  const own = new Map<BibEntry, Record<string, string>>();
  for (const e of entries) if ((e.crossref || e.xdata?.length) && e.rawFields) own.set(e, e.rawFields);
  return own;
}

function* pack(text: string, format: BibFormat, parse: CachedParse, own: ReadonlyMap<BibEntry, Record<string, string>>): Steps<Payload> {
  const { state, runs } = parse;
  if (format !== 'bibtex' || !state) return { format: CACHE_FORMAT, kind: 'plain', entries: parse.entries, errors: parse.errors, strings: parse.strings, runs };
  const packer = new Packer(text);
  for (let i = 0; i < state.entries.length; i++) {
    const entry = state.entries[i];
    const e = entry.scanned(own.get(entry));
    packer.entry(e, own.has(entry) ? undefined : { year: entry.year, title: entry.title });
    if ((i + 1) % ITEMS_PER_STEP === 0) yield;
  }
  const { scanErrors, strings, definitions, specials, macroChars, macroBudgetSpent, errorsDropped } = state;
  const scan = { scanErrors, strings, definitions, specials, macroChars, macroBudgetSpent, errorsDropped };
  return { format: CACHE_FORMAT, kind: 'bibtex', count: state.entries.length, pool: packer.pool(), ints: packer.done(), scan, runs };
}

/** A string as two ints: `[start, end)` of the text (start >= 0), of the pool (start -2 - poolStart), or undefined (-1). */
class Packer {
  private ints = new Int32Array(1 << 16);
  private length = 0;
  /** The pool so far: joined parts, and the strings not joined yet (joining all at the end is one long block). */
  private readonly poolChunks: string[] = [];
  private poolParts: string[] = [];
  private poolLength = 0;
  private readonly pooled = new Map<string, number>();
  /** The entry being packed: its text, and where the last value was found in it. */
  private body = '';
  private bodyStart = 0;
  private cursor = 0;

  constructor(private readonly text: string) {}

  entry(e: ScannedEntry, facts: { year?: string; title?: string } | undefined): void {
    this.body = this.text.slice(e.start, Math.max(e.end, e.next));
    this.bodyStart = e.start;
    this.cursor = 0;
    this.push(e.start, e.end, e.keyStart, e.keyEnd, e.next, (e.closed ? 1 : 0) | (facts ? 2 : 0), e.errorsBefore, e.errorsAfter);
    this.string(e.type);
    this.string(e.key);
    this.string(facts?.year);
    this.string(facts?.title);
    const names = Object.keys(e.fields);
    this.push(names.length);
    for (const name of names) {
      this.pooledString(name);
      this.string(e.fields[name]);
    }
    // Month display texts (`jan` -> January), and where the fields naming other entries are written.
    const display = e.display ? Object.keys(e.display) : [];
    this.push(display.length);
    for (const name of display) {
      this.pooledString(name);
      this.pooledString(e.display![name]);
    }
    const links = e.links ? Object.keys(e.links) : [];
    this.push(links.length);
    for (const name of links) {
      this.pooledString(name);
      this.push(...e.links![name]);
    }
  }

  done(): Int32Array {
    return this.ints.slice(0, this.length);
  }

  pool(): string {
    return [...this.poolChunks, this.poolParts.join('')].join('');
  }

  private string(s: string | undefined): void {
    if (s === undefined) return this.push(-1, 0);
    if (s.length >= 4) {
      // Values follow one another in the text: look after the last one first, then anywhere in the entry.
      let at = this.body.indexOf(s, this.cursor);
      if (at < 0 && this.cursor > 0) at = this.body.indexOf(s);
      if (at >= 0) {
        this.cursor = at + s.length;
        return this.push(this.bodyStart + at, this.bodyStart + at + s.length);
      }
    }
    this.pooledString(s);
  }

  private pooledString(s: string): void {
    let start = this.pooled.get(s);
    if (start === undefined) {
      start = this.poolLength;
      this.poolParts.push(s);
      this.poolLength += s.length;
      if (this.poolParts.length >= 4096) {
        this.poolChunks.push(this.poolParts.join(''));
        this.poolParts = [];
      }
      if (s.length < 64) this.pooled.set(s, start);
    }
    this.push(-2 - start, start + s.length);
  }

  private push(...values: number[]): void {
    if (this.length + values.length > this.ints.length) {
      const grown = new Int32Array(2 * this.ints.length + values.length);
      grown.set(this.ints);
      this.ints = grown;
    }
    for (const v of values) this.ints[this.length++] = v;
  }
}

function unpack(payload: Payload, text: string, format: BibFormat): CachedParse | undefined {
  if (!payload || typeof payload !== 'object' || payload.format !== CACHE_FORMAT) return undefined;
  if (payload.kind === 'plain') {
    if (!Array.isArray(payload.entries) || !Array.isArray(payload.errors) || !Array.isArray(payload.runs)) throw new Error('it is damaged');
    return { entries: payload.entries, errors: payload.errors, strings: payload.strings, runs: payload.runs, search: payload.search };
  }
  if (payload.kind !== 'bibtex' || format !== 'bibtex' || !(payload.ints instanceof Int32Array) || typeof payload.pool !== 'string') return undefined;
  const { count, scan } = payload;
  const source = new BibSource(text);
  const reader = new Reader(payload.ints, text, payload.pool);
  const entries: BibtexEntry[] = [];
  for (let i = 0; i < count; i++) entries.push(reader.entry(source));
  reader.end();
  const errors = scan.scanErrors.map((e) => scanError(e, source.lines));
  const state: BibtexState = { ...scan, text, source, entries, errors, external: undefined };
  return { entries, errors, strings: scan.strings, state, runs: payload.runs, search: payload.search };
}

/** Reads back what `Packer` wrote, checking every offset against the text or the pool as it goes. */
class Reader {
  private at = 0;

  constructor(
    private readonly ints: Int32Array,
    private readonly text: string,
    private readonly pool: string,
  ) {}

  /** The next entry; one without parents reads its fields when first asked (most are never asked on a second start). */
  entry(source: BibSource): BibtexEntry {
    const [start, end, keyStart, keyEnd, next, flags, errorsBefore, errorsAfter] = [this.int(), this.int(), this.int(), this.int(), this.int(), this.int(), this.int(), this.int()];
    const type = this.string()!;
    const key = this.string()!;
    const year = this.string();
    const title = this.string();
    const from = this.skipFields();
    const e: LazyScannedEntry = { type, key, keyStart, keyEnd, start, end, fields: () => this.fieldsAt(from), next, closed: (flags & 1) !== 0, errorsBefore, errorsAfter };
    const displayed = this.int();
    if (displayed > 0) {
      e.display = {};
      for (let n = displayed; n > 0; n--) e.display[this.string()!] = this.string()!;
    }
    const linked = this.int();
    if (linked > 0) {
      e.links = {};
      for (let n = linked; n > 0; n--) e.links[this.string()!] = [this.int(), this.int()];
    }
    const facts = flags & 2 ? { year, title } : undefined;
    return new BibtexEntry(facts ? e : { ...e, fields: this.fieldsAt(from) }, source, facts);
  }

  end(): void {
    if (this.at !== this.ints.length) throw new Error('it has more than its entries');
  }

  private int(): number {
    if (this.at >= this.ints.length) throw new Error('it ends too soon');
    return this.ints[this.at++];
  }

  private string(): string | undefined {
    if (this.at + 2 > this.ints.length) throw new Error('it ends too soon');
    this.check(this.at);
    this.at += 2;
    return this.stringAt(this.at - 2);
  }

  /** Skips the fields (a count, then names and values), checking them; returns where they start. */
  private skipFields(): number {
    const from = this.at;
    const n = this.int();
    if (n < 0 || this.at + 4 * n > this.ints.length) throw new Error('it ends too soon');
    for (let f = 0; f < n; f++, this.at += 4) {
      if (this.ints[this.at] >= -1) throw new Error('it is damaged');
      this.check(this.at);
      this.check(this.at + 2);
    }
    return from;
  }

  /** The fields written from ints[from] on (checked already). */
  private fieldsAt(from: number): Record<string, string> {
    const fields: Record<string, string> = {};
    for (let n = this.ints[from], i = from + 1; n > 0; n--, i += 4) fields[this.stringAt(i)!] = this.stringAt(i + 2)!;
    return fields;
  }

  /** The string ints[i], ints[i + 1] stand for (see `Packer`). */
  private stringAt(i: number): string | undefined {
    const a = this.ints[i];
    const b = this.ints[i + 1];
    if (a === -1) return undefined;
    return a >= 0 ? this.text.slice(a, b) : this.pool.slice(-2 - a, b);
  }

  private check(i: number): void {
    const a = this.ints[i];
    const b = this.ints[i + 1];
    if (a === -1) return;
    const from = a >= 0 ? a : -2 - a;
    if (from > b || b > (a >= 0 ? this.text.length : this.pool.length)) throw new Error('it points outside the text');
  }
}
