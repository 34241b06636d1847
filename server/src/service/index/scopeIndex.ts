/**
 * The entries a document can cite, merged from its scope's bibliographies in order,
 * with a key lookup and (built on first use) the fuzzy search. Shared by every document
 * whose scope loads the same bibliographies (cached by `signature`).
 */
import type { BibEntry } from '../model';
import type { LoadedBibliography } from './bibliographies';
import { CitationSearch, CitationSearchBuilder, searchRecord, type SearchHit } from './search';

export interface Located {
  entry: BibEntry;
  /** The bibliography file (or the document, for inline `references:`). */
  uri: string;
}

/** Entries indexed per slice of background work: a slice takes a few tens of milliseconds. */
const BUILD_SLICE = 2000;

export class ScopeIndex {
  private searchIndex?: CitationSearch;
  private builder?: CitationSearchBuilder;
  /** While a re-indexed library builds its search, the previous search keeps answering. */
  private previousSearch?: CitationSearch;

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

  *entries(): Generator<Located> {
    for (const bib of this.bibliographies) for (const entry of bib.entries) yield { entry, uri: bib.uri };
  }

  /**
   * The best matches for a query; an empty query lists the first entries in scope order without
   * waiting for the search index (the first `[@` of a session answers at once).
   */
  find(query: string, limit: number): { hits: SearchHit[]; total: number } {
    if (query.trim()) return this.search.search(query, limit);
    const hits: SearchHit[] = [];
    for (const { entry, uri } of this.entries()) {
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
  get search(): CitationSearch {
    if (this.searchIndex) return this.searchIndex;
    if (this.previousSearch && this.builder) return this.previousSearch;
    this.searchIndex = (this.builder ?? new CitationSearchBuilder(this.entries())).finish();
    this.builder = undefined;
    return this.searchIndex;
  }

  /** The search index as built so far, if complete (for the next version of this scope to fall back on). */
  get builtSearch(): CitationSearch | undefined {
    return this.searchIndex ?? this.previousSearch;
  }

  /** Builds the search a slice at a time between requests; `previous` answers meanwhile. */
  buildInBackground(previous?: CitationSearch): void {
    if (this.searchIndex || this.builder) return;
    this.previousSearch = previous;
    const builder = (this.builder = new CitationSearchBuilder(this.entries()));
    const slice = () => {
      if (this.builder !== builder) return; // finished synchronously meanwhile
      if (builder.step(BUILD_SLICE)) {
        this.searchIndex = builder.finish();
        this.builder = undefined;
        this.previousSearch = undefined;
      } else setImmediate(slice);
    };
    setImmediate(slice);
  }
}
