/**
 * What a bibliography's own citation search (`LoadedBibliography.search`) is written to the index cache as,
 * and read back as. The token index is flat already (per field: its words in one text, where each starts,
 * offsets, postings); the records' strings that are not the entry's own (`authors`, `more`: names parsed,
 * fields joined) go into one text with their lengths beside it. Read back, it is the search a build over the
 * same entries gives (`test/unit/indexCache.test.ts` compares the two, and their answers).
 */
import type { BibEntry } from '../model';
import { ITEMS_PER_STEP, type Steps } from '../pacing';
import { CitationSearch, SEARCH_FIELDS, type SearchRecord } from './search';
import { FieldIndex, Vocabulary } from './searchIndex';

export interface PackedSearch {
  records: number;
  /** Every record's authors, then every record's `more`. */
  text: string;
  /** The lengths of the strings of `text`, in the same order. */
  lengths: Int32Array;
  /** Per field: its vocabulary (`Vocabulary.text`, `.starts`), offsets and postings. */
  words: string[];
  starts: Int32Array[];
  offsets: Int32Array[];
  docs: Int32Array[];
}

/** Packs a search, pausing between slices of records and words. */
export function* packSearch(search: CitationSearch): Steps<PackedSearch> {
  // Joined a step's strings at a time (joining half a million at once is one long block).
  const chunks: string[] = [];
  let parts: string[] = [];
  const lengths = new Int32Array(2 * search.records.length);
  let at = 0;
  const add = (s: string) => {
    parts.push(s);
    lengths[at++] = s.length;
    if (at % (4 * ITEMS_PER_STEP) !== 0) return false;
    chunks.push(parts.join(''));
    parts = [];
    return true;
  };
  for (const r of search.records) if (add(r.authors)) yield;
  for (const r of search.records) if (add(r.more)) yield;
  chunks.push(parts.join(''));
  const text = chunks.join('');
  const { fields } = search;
  return { records: search.records.length, text, lengths, words: fields.map((f) => f.words.text), starts: fields.map((f) => f.words.starts), offsets: fields.map((f) => f.offsets), docs: fields.map((f) => f.docs) };
}

/**
 * The search of `entries` (the bibliography's citable entries, in order, read from `uri`) from its packed form.
 * Throws when the packed form does not fit them (the cache is then not used).
 */
export function unpackSearch(packed: PackedSearch, entries: readonly BibEntry[], uri: string): CitationSearch {
  const { text, lengths, words, starts, offsets, docs } = packed;
  const perField = [words, starts, offsets, docs];
  if (typeof text !== 'string' || !(lengths instanceof Int32Array) || perField.some((a) => !Array.isArray(a) || a.length !== SEARCH_FIELDS)) throw new Error('its search is damaged');
  if (packed.records !== entries.length) throw new Error(`its search holds ${packed.records} entries, not ${entries.length}`);
  let at = 0;
  let from = 0;
  const next = (): string => {
    if (at >= lengths.length) throw new Error('its search ends too soon');
    const to = from + lengths[at++];
    if (to > text.length) throw new Error('its search points outside its text');
    const s = text.slice(from, to);
    from = to;
    return s;
  };
  const records: SearchRecord[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    records[i] = { entry, uri, key: entry.key, authors: next(), year: entry.year ?? '', title: entry.title ?? '', more: '' };
  }
  for (let i = 0; i < entries.length; i++) records[i].more = next();
  const fields = offsets.map((o, f) => {
    const [d, t, s] = [docs[f], words[f], starts[f]];
    if (!(o instanceof Int32Array) || !(d instanceof Int32Array) || !(s instanceof Int32Array) || typeof t !== 'string') throw new Error('its search is damaged');
    if (o.length < 1 || o[o.length - 1] !== d.length || s.length !== o.length || s[0] !== 0 || s[s.length - 1] !== t.length) throw new Error('its search is damaged');
    for (let w = 1; w < s.length; w++) if (s[w] < s[w - 1] || o[w] < o[w - 1]) throw new Error('its search is damaged');
    for (let p = 0; p < d.length; p++) if (d[p] < 0 || d[p] >= records.length) throw new Error('its search names an entry it does not have');
    return new FieldIndex(new Vocabulary(t, s), o, d);
  });
  if (at !== lengths.length || from !== text.length) throw new Error('its search has more than its words');
  return new CitationSearch(records, fields);
}
