/**
 * The entries a document can cite, merged from its scope's bibliographies in order,
 * with a key lookup and (built on first use) the fuzzy search. Shared by every document
 * whose scope loads the same bibliographies (cached by `signature`).
 */
import type { BibEntry } from '../model';
import { QUICK_SLICE_MS, type Steps } from '../pacing';
import type { LoadedBibliography } from './bibliographies';
import { CitationSearch, CitationSearchBuilder, compareHits, searchRecord, typedStopWord, type SearchHit } from './search';

/** What answers citation searches: a `CitationSearch`, or one patched with a library's latest changes. */
export interface Searcher {
  readonly size: number;
  /** `typing`: a stop word typed last counts as the start of a word (see `CitationSearch.searchLoose`). */
  search(query: string, limit: number, typos?: boolean, typing?: boolean): { hits: SearchHit[]; total: number };
  /** `search`, or the best loose matches when nothing matches the whole query (completion only). */
  searchLoose(query: string, limit: number): { hits: SearchHit[]; total: number };
}

export interface Located {
  entry: BibEntry;
  /** The bibliography file (or the document, for inline `references:`). */
  uri: string;
}

/**
 * Background work runs in slices of `QUICK_SLICE_MS`, this many entries at a time: a completion that arrives
 * meanwhile waits at most that long (slices of 2,000 entries took 100-200 ms on a busy machine).
 */
const BUILD_STEP = 64;
/** How long a patched search answers before the full search is rebuilt, and how many changed entries a patch may hold. */
const REBUILD_DELAY_MS = 3000;
const MAX_PATCHED_ENTRIES = 256;
/** A scope this small has its search built when first asked (tens of milliseconds); a larger one in the background. */
export const SYNC_BUILD_ENTRIES = 2000;

export class ScopeIndex {
  private searchIndex?: CitationSearch;
  private builder?: ScopeSearchBuilder;
  /** Resolves when the background build has finished. */
  private built?: Promise<void>;
  /** While a re-indexed library builds its search, the previous search keeps answering (patched with the changes, when known). */
  private previousSearch?: Searcher;
  /** A newer version of the same files exists (`retire`): this one builds nothing more. */
  private retired = false;
  private stopBuilding?: () => void;
  private folded?: Map<string, Located[]>;
  private distinctKeys?: number;

  constructor(
    /** Loaded bibliographies in scope order; the inline references, when any, come first. */
    readonly bibliographies: readonly LoadedBibliography[],
  ) {}

  /** Does this index load the bibliography `uri`? */
  has(uri: string): boolean {
    return this.bibliographies.some((b) => b.uri === uri);
  }

  /** A signature that changes whenever any of the bibliographies is parsed again. */
  static signature(bibs: readonly LoadedBibliography[]): string {
    return bibs.map((b) => `${b.uri}#${b.generation}`).join('|');
  }

  /** Distinct keys (a key defined twice, in one file or two, counts once); computed once. */
  get keyCount(): number {
    if (this.distinctKeys === undefined) {
      if (this.bibliographies.length === 1) this.distinctKeys = this.bibliographies[0].byKey.size;
      else {
        const keys = new Set<string>();
        for (const b of this.bibliographies) for (const k of b.byKey.keys()) keys.add(k);
        this.distinctKeys = keys.size;
      }
    }
    return this.distinctKeys;
  }

  get entryCount(): number {
    let n = 0;
    for (const b of this.bibliographies) n += b.entries.length;
    return n;
  }

  /** Every definition of `key` (more than one: a duplicate), in scope order. Each file's own key map answers. */
  lookup(key: string): Located[] {
    const out: Located[] = [];
    for (const bib of this.bibliographies) for (const entry of bib.byKey.get(key) ?? []) out.push({ entry, uri: bib.uri });
    return out;
  }

  /**
   * The definitions of `key` as BibTeX finds them, ignoring the case of ASCII letters (`ok` finds `Ok`): BibTeX
   * resolves a citation so; biber and pandoc do not. The folded key map is built on first use.
   */
  lookupIgnoringCase(key: string): Located[] {
    if (!this.folded) {
      this.folded = new Map();
      for (const located of this.entries()) {
        const k = foldCase(located.entry.key);
        const list = this.folded.get(k);
        if (list) list.push(located);
        else this.folded.set(k, [located]);
      }
    }
    return this.folded.get(foldCase(key)) ?? [];
  }

  /** The definitions a citation of `key` finds: exact, or (`ignoreCase`: a BibTeX project) ignoring case when none is. */
  resolve(key: string, ignoreCase: boolean): Located[] {
    const exact = this.lookup(key);
    return exact.length || !ignoreCase ? exact : this.lookupIgnoringCase(key);
  }

  *entries(): Generator<Located> {
    for (const bib of this.bibliographies) for (const entry of bib.entries) yield { entry, uri: bib.uri };
  }

  /** The entries a draft can cite: all but biblatex's `@xdata` data containers, which cannot be cited. */
  *citable(): Generator<Located> {
    for (const located of this.entries()) if (isCitable(located.entry)) yield located;
  }

  /**
   * The best matches for a query; an empty query lists the first entries in scope order without
   * waiting for the search index (the first `[@` of a session answers at once).
   */
  find(query: string, limit: number): { hits: SearchHit[]; total: number } {
    if (query.trim()) return this.search.searchLoose(query, limit);
    const hits: SearchHit[] = [];
    for (const { entry, uri } of this.citable()) {
      if (hits.length >= limit) break;
      hits.push({ record: searchRecord(entry, uri), score: 0 });
    }
    return { hits, total: this.entryCount };
  }

  /**
   * The fuzzy search. Built on first use, or in the background (`buildInBackground`): until that
   * finishes, the previous version of the same scope answers (its entries a little stale), or, with
   * none, the rest of the build is done at once.
   */
  get search(): Searcher {
    if (this.searchIndex) return this.searchIndex;
    if (this.previousSearch && (this.builder || this.retired)) return this.previousSearch;
    this.searchIndex = (this.builder ?? new ScopeSearchBuilder(this.bibliographies)).finish();
    this.builder = undefined;
    return this.searchIndex;
  }

  /**
   * Resolves when `search` (and `find`) answer without building anything: at once for a small scope, else when
   * the background build has finished (started here if it was not), a slice at a time between other requests.
   * An asynchronous caller waits here rather than have `search` build a large library's index in one block.
   */
  searchReady(): Promise<void> {
    if (this.searchIndex || (this.previousSearch && (this.builder || this.retired)) || this.entryCount <= SYNC_BUILD_ENTRIES || this.bibliographies.every((b) => b.search)) return Promise.resolve();
    this.buildInBackground();
    return this.built ?? Promise.resolve();
  }

  /** The search as built so far, if complete (for the next version of this scope to fall back on). */
  get builtSearch(): Searcher | undefined {
    return this.searchIndex ?? this.previousSearch;
  }

  /**
   * Builds the search a slice at a time between requests. Meanwhile the search of `previous` (the
   * previous version of this scope) answers; when the libraries were re-parsed incrementally since,
   * it is patched with the entries that changed, so that a changed entry is found at once.
   */
  buildInBackground(previous?: ScopeIndex): void {
    if (this.searchIndex || this.builder || this.retired) return;
    // Every library's own search is known (read from the index cache, or built for another scope): only their merge is left.
    if (this.bibliographies.every((b) => b.search)) return void this.search;
    const base = previous?.builtSearch;
    const changes = base && previous && this.changesSince(previous);
    const patched = base && changes ? PatchedSearch.over(base, changes.removed, changes.added) : undefined;
    this.previousSearch = patched ?? base;
    const builder = (this.builder = new ScopeSearchBuilder(this.bibliographies));
    this.built = new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.stopBuilding = () => {
        clearTimeout(timer);
        resolve();
      };
      const slice = () => {
        if (this.builder !== builder) return resolve(); // finished synchronously, or retired, meanwhile
        const started = Date.now();
        while (!builder.step(BUILD_STEP)) {
          if (Date.now() - started >= QUICK_SLICE_MS) return void setImmediate(slice);
        }
        this.searchIndex = builder.finish();
        this.builder = undefined;
        this.previousSearch = undefined;
        resolve();
      };
      // A patched search answers as the rebuilt one will: the rebuild waits until the writer stops
      // typing or saving (each change patches the patch again), unless the patch grows large.
      if (patched && patched.changedEntries <= MAX_PATCHED_ENTRIES) timer = setTimeout(slice, REBUILD_DELAY_MS).unref();
      else setImmediate(slice);
    });
  }

  /**
   * A newer version of the same files replaced this one: it builds nothing more (its search, or the one
   * it answers with meanwhile, serves the newer version's patch and the requests still holding this one).
   */
  retire(): void {
    this.retired = true;
    if (!this.builder) return;
    this.builder = undefined;
    this.stopBuilding?.();
  }

  /** The entries removed and added since `previous`, when every library is the same or re-parsed incrementally from its version there. */
  private changesSince(previous: ScopeIndex): { removed: Set<BibEntry>; added: Located[] } | undefined {
    if (previous.bibliographies.length !== this.bibliographies.length) return undefined;
    const removed = new Set<BibEntry>();
    const added: Located[] = [];
    for (let i = 0; i < this.bibliographies.length; i++) {
      const before = previous.bibliographies[i];
      const now = this.bibliographies[i];
      if (now === before) continue;
      if (now.uri !== before.uri || now.changes?.since !== before.generation) return undefined;
      for (const entry of now.changes.removed) if (isCitable(entry)) removed.add(entry);
      for (const entry of now.changes.added) if (isCitable(entry)) added.push({ entry, uri: now.uri });
    }
    return { removed, added };
  }
}

/** The libraries whose own search is being built: every caller drives the same build. */
const building = new WeakMap<LoadedBibliography, Steps<void>>();

/**
 * A library's own search (`LoadedBibliography.search`): its citable entries. Built once per parse, a slice of
 * entries per step, and kept with the parse (the index cache writes it, and reads it back on the next start).
 * Several callers (scopes, the index cache) share one build.
 */
export function* bibliographySearch(bib: LoadedBibliography, budget = BUILD_STEP): Steps<CitationSearch> {
  let steps = building.get(bib);
  if (!bib.search && !steps) building.set(bib, (steps = buildSearch(bib, budget)));
  while (!bib.search && !steps!.next().done) if (!bib.search) yield;
  if (!bib.search) throw new Error(`the search of ${bib.uri} could not be built`);
  return bib.search;
}

/** The library's own search when it is built or being built (then built to its end), else undefined. */
export function* startedSearch(bib: LoadedBibliography): Steps<CitationSearch | undefined> {
  return bib.search || building.has(bib) ? yield* bibliographySearch(bib) : undefined;
}

function* buildSearch(bib: LoadedBibliography, budget: number): Steps<void> {
  try {
    const builder = new CitationSearchBuilder(citableOf(bib));
    while (!builder.step(budget)) yield;
    bib.search = builder.finish();
  } finally {
    building.delete(bib);
  }
}

function* citableOf(bib: LoadedBibliography): Generator<Located> {
  for (const entry of bib.entries) if (isCitable(entry)) yield { entry, uri: bib.uri };
}

/**
 * A scope's search: its libraries' own searches (those not known yet built a slice at a time), merged in
 * scope order. The same search one builder over all the scope's entries gives (`CitationSearch.merge`).
 */
class ScopeSearchBuilder {
  /** The library being indexed: `bibliographies[next]`, and its build so far. */
  private next = 0;
  private building?: Steps<CitationSearch>;

  constructor(private readonly bibliographies: readonly LoadedBibliography[]) {}

  /** Indexes about `budget` more entries; true when every library's search is built. */
  step(budget: number): boolean {
    while (this.next < this.bibliographies.length) {
      const bib = this.bibliographies[this.next];
      if (!bib.search) {
        this.building ??= bibliographySearch(bib, budget);
        if (!this.building.next().done) return false;
      }
      this.building = undefined;
      this.next++;
    }
    return true;
  }

  finish(): CitationSearch {
    while (!this.step(10_000));
    return CitationSearch.merge(this.bibliographies.map((b) => b.search!));
  }
}

/**
 * A search that answers as `base` would with some entries replaced: the removed ones are left out
 * of its hits and the added ones searched on their own, then the two are merged by score (a hit's
 * score depends on its own entry only). It answers while the full search is rebuilt.
 */
export class PatchedSearch implements Searcher {
  private readonly added: CitationSearch;
  /** The removed entries alone: how many of `base`'s matches they were. */
  private readonly removedSearch: CitationSearch;

  private constructor(
    private readonly base: Searcher,
    private readonly removed: ReadonlySet<BibEntry>,
    private readonly addedEntries: readonly Located[],
  ) {
    this.added = CitationSearch.of(addedEntries);
    this.removedSearch = CitationSearch.of([...removed].map((entry) => ({ entry, uri: '' })));
  }

  /**
   * `base` with `removed` replaced by `added`. A patch of a patch is one patch of the search below: each
   * keystroke in a library patches again, and a chain of patches would hold every version and grow every search.
   */
  static over(base: Searcher, removed: ReadonlySet<BibEntry>, added: readonly Located[]): PatchedSearch {
    if (!(base instanceof PatchedSearch)) return new PatchedSearch(base, removed, added);
    const earlier = new Set(base.addedEntries.map((l) => l.entry));
    const gone = new Set(base.removed);
    for (const e of removed) if (!earlier.has(e)) gone.add(e); // an entry the earlier patch added is simply dropped
    return new PatchedSearch(base.base, gone, [...base.addedEntries.filter((l) => !removed.has(l.entry)), ...added]);
  }

  /** How many entries this patch removes or adds. */
  get changedEntries(): number {
    return this.removed.size + this.addedEntries.length;
  }

  get size(): number {
    return this.base.size - this.removed.size + this.added.size;
  }

  search(query: string, limit: number, typos?: boolean, typing = false): { hits: SearchHit[]; total: number } {
    if (typos !== undefined) return this.merged(query, limit, typos, typing);
    // As `CitationSearch`: typos only when no word prefixes match, in the patched library as a whole.
    const exact = this.merged(query, limit, false, typing);
    return exact.total > 0 ? exact : this.merged(query, limit, true, typing);
  }

  searchLoose(query: string, limit: number): { hits: SearchHit[]; total: number } {
    const typing = typedStopWord(query) ? this.search(query, limit, undefined, true) : undefined;
    if (typing && typing.total > 0) return typing;
    const found = this.search(query, limit);
    if (found.total > 0) return found;
    const kept = this.base.searchLoose(query, limit + this.removed.size).hits.filter((h) => !this.removed.has(h.record.entry));
    const hits = [...kept, ...this.added.searchLoose(query, limit).hits].sort(compareHits).slice(0, limit);
    return { hits, total: hits.length };
  }

  private merged(query: string, limit: number, typos: boolean, typing: boolean): { hits: SearchHit[]; total: number } {
    const base = this.base.search(query, limit + this.removed.size, typos, typing);
    const kept = base.hits.filter((h) => !this.removed.has(h.record.entry));
    const added = this.added.search(query, limit, typos, typing);
    const hits = [...kept, ...added.hits].sort(compareHits).slice(0, limit);
    const gone = this.removed.size ? this.removedSearch.search(query, 1, typos, typing).total : 0;
    return { hits, total: base.total - gone + added.total };
  }
}

/** biblatex's `@xdata` entries only hold fields other entries inherit: they are never cited. */
export function isCitable(entry: BibEntry): boolean {
  return entry.type.toLowerCase() !== 'xdata';
}

/** A key as BibTeX compares keys: ASCII letters in lower case. */
export function foldCase(key: string): string {
  return key.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
