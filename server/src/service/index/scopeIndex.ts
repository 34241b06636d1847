/**
 * The entries a document can cite, merged from its scope's bibliographies in order,
 * with a key lookup and (built on first use) the fuzzy search. Shared by every document
 * whose scope loads the same bibliographies (cached by `signature`).
 */
import type { BibEntry } from '../model';
import type { LoadedBibliography } from './bibliographies';
import { CitationSearch } from './search';

export interface Located {
  entry: BibEntry;
  /** The bibliography file (or the document, for inline `references:`). */
  uri: string;
}

export class ScopeIndex {
  private searchIndex?: CitationSearch;

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

  get search(): CitationSearch {
    return (this.searchIndex ??= new CitationSearch(this.entries()));
  }
}
