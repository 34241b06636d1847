/**
 * Fuzzy citation search over a scope's entries: key, author family names, year and title, and (weighing
 * less) given names, the journal or book an entry appeared in, its publisher or institution.
 *
 * fuse.js alone is far too slow to scan tens of thousands of entries per keystroke, so the
 * search has three stages:
 *  1. a token index per field (sorted vocabulary + postings) finds, for every query word, the
 *     entries with a word it prefixes (or, when nothing matches, a word within one or two edits:
 *     a typo), and scores them by field (key > author > title, year) and match quality;
 *  2. entries matching every query word are kept, best scores first (a bounded selection);
 *  3. fuse.js ranks only those few, and its score refines the order among close candidates.
 */
import Fuse from 'fuse.js';
import type { BibEntry, Name } from '../model';
import { authorsOf, fieldOf } from '../parsers/bibliography/bibtex';
import { FieldIndex, FieldIndexBuilder, mergeFieldIndexes, type Vocabulary } from './searchIndex';
import { addKeyWords, addWords, fold, keyWords, words } from './searchWords';

export { fold, words } from './searchWords';

export interface SearchRecord {
  entry: BibEntry;
  /** The bibliography file the entry comes from. */
  uri: string;
  key: string;
  authors: string;
  year: string;
  title: string;
  /** What `Field.More` searches (given names, journal, publisher...), joined; empty until the search indexes the entry. */
  more: string;
}

export interface SearchHit {
  record: SearchRecord;
  score: number;
}

/** Title words too common to find anything by (a query made only of them still matches keys and authors). */
const stopWords = new Set(['a', 'an', 'the', 'of', 'and', 'in', 'on', 'for', 'to', 'with', 'at', 'by', 'from', 'as', 'de', 'la', 'le', 'der', 'die', 'und']);

const enum Field {
  Key,
  Author,
  Title,
  Year,
  /** Given names, the container (journal, book), publisher or institution: `moreTexts`. */
  More,
}
const fieldWeight = [3, 2.5, 1.5, 1.5, 1];
/** How many fields a search indexes. */
export const SEARCH_FIELDS = fieldWeight.length;
/** `Field.More` is searched by words of this many letters or more: one or two letters would reach most of a library there. */
const MORE_MIN = 3;

/** The fields of an entry `Field.More` searches beside its authors' given names (a CSL item's journal is also its container-title). */
const moreFields = ['journal', 'journaltitle', 'booktitle', 'container-title', 'publisher', 'institution', 'organization', 'school'];

/** What `Field.More` indexes of an entry: its authors' given names, then `moreFields`. */
function moreTexts(entry: BibEntry, names: readonly Name[] = authorsOf(entry)): string[] {
  const out: string[] = [];
  for (const n of names) if (n.given) out.push(n.given);
  for (const f of moreFields) {
    const v = fieldOf(entry, f);
    if (v) out.push(v);
  }
  return out;
}

/** Records that match each query word, and how well: reused between searches (no allocation per keystroke). */
class Scores {
  readonly score: Float32Array;
  readonly wordScore: Float32Array;
  readonly matched: Uint8Array;
  readonly touched: number[] = [];

  constructor(size: number) {
    this.score = new Float32Array(size);
    this.wordScore = new Float32Array(size);
    this.matched = new Uint8Array(size);
  }

  reset(): void {
    for (const id of this.touched) {
      this.score[id] = 0;
      this.wordScore[id] = 0;
      this.matched[id] = 0;
    }
    this.touched.length = 0;
  }
}

/** How many of the best token matches fuse.js ranks. */
const MAX_RANKED = 100;

/** What the search shows and matches of an entry. */
export function searchRecord(entry: BibEntry, uri: string, names: readonly Name[] = authorsOf(entry)): SearchRecord {
  let authors = '';
  for (const n of names) {
    const name = searchName(n);
    if (name) authors = authors ? `${authors} ${name}` : name;
  }
  return { entry, uri, key: entry.key, authors, year: entry.year ?? '', title: entry.title ?? '', more: '' };
}

/** Whether titles leave out this (folded) word: a query needs its other words (see `ranked`). */
export function isStopWord(word: string): boolean {
  return stopWords.has(word);
}

/** The last word of a query when it is a stop word and the writer may still be typing it (no space after it). */
export function typedStopWord(query: string): string | undefined {
  if (!/[\p{L}\p{N}]$/u.test(query)) return undefined;
  const last = words(query).at(-1);
  return last !== undefined && stopWords.has(last) ? last : undefined;
}

/** The order of search hits: best score first, then newer, then by key. */
export function compareHits(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || (b.record.year || '0').localeCompare(a.record.year || '0') || a.record.key.localeCompare(b.record.key);
}

/** The name an author is searched by. */
function searchName(n: Name): string | undefined {
  return n.family ?? n.literal;
}

/**
 * Builds a CitationSearch a slice at a time, so that a large library is indexed between requests
 * instead of blocking them (`step`), or all at once (`finish`).
 */
export class CitationSearchBuilder {
  private readonly records: SearchRecord[] = [];
  private readonly fields = [new FieldIndexBuilder(), new FieldIndexBuilder(), new FieldIndexBuilder(stopWords), new FieldIndexBuilder(), new FieldIndexBuilder(stopWords)];
  private readonly source: Iterator<{ entry: BibEntry; uri: string }>;
  private done = false;

  constructor(entries: Iterable<{ entry: BibEntry; uri: string }>) {
    this.source = entries[Symbol.iterator]();
  }

  /** Indexes up to `budget` more entries; true when every entry is indexed. */
  step(budget: number): boolean {
    for (let n = 0; n < budget && !this.done; n++) {
      const next = this.source.next();
      if (next.done) this.done = true;
      else this.add(next.value.entry, next.value.uri);
    }
    return this.done;
  }

  finish(): CitationSearch {
    while (!this.step(10_000));
    return new CitationSearch(this.records, this.fields.map((f) => f.build()));
  }

  private add(entry: BibEntry, uri: string): void {
    const id = this.records.length;
    const names = authorsOf(entry);
    const record = searchRecord(entry, uri, names);
    this.records.push(record);
    addKeyWords(record.key, this.fields[Field.Key], id);
    // Name by name: the words of `record.authors`, since the spaces that join the names end words anyway,
    // without reading that string (a concatenation: slow to read code unit by code unit).
    for (const n of names) {
      const name = searchName(n);
      if (name) addWords(name, this.fields[Field.Author], id);
    }
    // Stop words are left out of titles: the title field's builder skips them.
    addWords(record.title, this.fields[Field.Title], id);
    if (record.year) this.fields[Field.Year].add(record.year, id);
    const more = moreTexts(entry, names);
    for (const text of more) addWords(text, this.fields[Field.More], id);
    record.more = more.join(' ');
  }
}

export class CitationSearch {
  private readonly scores: Scores;

  /** Use `CitationSearch.of(entries)` or a `CitationSearchBuilder`. */
  constructor(
    readonly records: SearchRecord[],
    /** Per `Field`, its token index (read by the index cache to keep it). */
    readonly fields: FieldIndex[],
  ) {
    this.scores = new Scores(records.length);
  }

  static of(entries: Iterable<{ entry: BibEntry; uri: string }>): CitationSearch {
    return new CitationSearchBuilder(entries).finish();
  }

  /** The search of the parts' records one part after the other: the search `of` all their entries in that order gives. */
  static merge(parts: readonly CitationSearch[]): CitationSearch {
    if (parts.length === 1) return parts[0];
    if (parts.length === 0) return CitationSearch.of([]);
    const bases: number[] = [];
    let n = 0;
    for (const p of parts) {
      bases.push(n);
      n += p.records.length;
    }
    const fields = parts[0].fields.map((_, f) => mergeFieldIndexes(parts.map((p) => p.fields[f]), bases));
    return new CitationSearch(parts.flatMap((p) => p.records), fields);
  }

  get size(): number {
    return this.records.length;
  }

  /**
   * The best matches for `query`, best first. An empty query lists entries in file order.
   * `limit` caps the answer; `total` says how many matched before the cap. `typos`: match words
   * within an edit distance too (true), only words the query prefixes (false), or the first when
   * the second finds nothing (undefined, what the writer gets).
   */
  search(query: string, limit: number, typos?: boolean, typing = false): { hits: SearchHit[]; total: number } {
    const q = query.trim();
    if (!q) return { hits: this.records.slice(0, limit).map((record) => ({ record, score: 0 })), total: this.records.length };
    return this.ranked(q, limit, typing ? typedStopWord(query) : undefined, (qWords) => {
      const ids = typos === true ? [] : this.match(qWords, false);
      return ids.length === 0 && typos !== false ? this.match(qWords, true) : ids;
    });
  }

  /**
   * For completion only (never did-you-mean): the search, and when nothing matches the whole query, the best loose
   * matches, so that the list does not close while the writer types (issue 14: `nato fr` answered nothing).
   * A stop word being typed last counts first as the start of a word (`nato for`: `force`).
   */
  searchLoose(query: string, limit: number): { hits: SearchHit[]; total: number } {
    const typing = typedStopWord(query) ? this.search(query, limit, undefined, true) : undefined;
    if (typing && typing.total > 0) return typing;
    const found = this.search(query, limit);
    return found.total > 0 ? found : this.ranked(query.trim(), limit, undefined, (qWords) => this.loose(qWords));
  }

  /**
   * The query's words (stop words, which titles do not index, only when nothing else is left, or `typedLast`, a stop
   * word the writer may be typing a longer word from), their candidates, ranked.
   */
  private ranked(q: string, limit: number, typedLast: string | undefined, candidates: (qWords: string[]) => number[]): { hits: SearchHit[]; total: number } {
    const all = [...new Set(words(q))];
    const content = all.filter((w) => !stopWords.has(w));
    const qWords = content.length ? (typedLast ? [...content, typedLast] : content) : all;
    if (qWords.length === 0 || qWords.length > 8) return { hits: [], total: 0 };
    try {
      const ids = candidates(qWords);
      if (ids.length === 0) return { hits: [], total: 0 };
      const best = this.top(ids, Math.min(MAX_RANKED, Math.max(limit, 50)));
      return { hits: this.rank(q, best, limit), total: ids.length };
    } finally {
      this.scores.reset();
    }
  }

  /**
   * Candidates for a query nothing matches whole: without one of its words (the last, being typed, first), else
   * its first word ever shorter. Bounded: at most 8 + its first word's length searches.
   */
  private loose(qWords: string[]): number[] {
    for (let drop = qWords.length - 1; qWords.length > 1 && drop >= 0; drop--) {
      const fewer = qWords.filter((_, i) => i !== drop);
      const ids = this.match(fewer, false);
      if (ids.length) return ids;
      const typed = this.match(fewer, true);
      if (typed.length) return typed;
    }
    for (let n = qWords[0].length - 1; n >= 1; n--) {
      const ids = this.match([qWords[0].slice(0, n)], false);
      if (ids.length) return ids;
    }
    return [];
  }

  /** How many postings the prefix `w` reaches (to take the rarest query word first). */
  private reach(w: string): number {
    let n = 0;
    for (let f = 0; f < this.fields.length; f++) {
      if (f === Field.More && w.length < MORE_MIN) continue;
      const field = this.fields[f];
      const [start, end] = field.prefixRange(w);
      n += field.offsets[end] - field.offsets[start];
    }
    return n;
  }

  /** Entries that match every query word (by prefix; with `typos`, also within a small edit distance), scored. */
  private match(words: string[], typos: boolean): number[] {
    const s = this.scores;
    s.reset();
    // The rarest word first: every later word only refines the few candidates left.
    const qWords = words.map((w) => ({ w, n: this.reach(w) })).sort((a, b) => a.n - b.n).map((x) => x.w);
    for (let qi = 0; qi < qWords.length; qi++) {
      const w = qWords[qi];
      if (qi > 0 && !typos && s.touched.length * 24 < this.reach(w)) {
        // Few candidates, a common word: check the candidates' own words instead of the word's postings.
        this.refine(w, qi);
        continue;
      }
      const seen: number[] = [];
      for (let f = 0; f < this.fields.length; f++) {
        if (f === Field.More && w.length < MORE_MIN) continue;
        const field = this.fields[f];
        const visit = (wi: number, quality: number) => {
          const weight = fieldWeight[f] * quality;
          for (let p = field.offsets[wi]; p < field.offsets[wi + 1]; p++) {
            const id = field.docs[p];
            // Only records that matched every previous word can still match them all.
            if (s.matched[id] !== qi) continue;
            if (s.wordScore[id] === 0) seen.push(id);
            if (weight > s.wordScore[id]) s.wordScore[id] = weight;
          }
        };
        const [start, end] = field.prefixRange(w);
        for (let wi = start; wi < end; wi++) {
          const length = field.words.lengthOf(wi);
          // An exact word is best; a longer word it prefixes a little less, the longer the less.
          visit(wi, length === w.length ? 1 : 0.55 + 0.35 * (w.length / length));
        }
        // Typos in key, names, title and year only: the more field's vocabulary is large and weighs least.
        if (typos && f !== Field.More) for (const [wi, cost] of typoWords(field.words, w)) visit(wi, typoQuality(cost));
      }
      for (const id of seen) {
        if (qi === 0) s.touched.push(id);
        s.score[id] += s.wordScore[id];
        s.wordScore[id] = 0;
        s.matched[id] = qi + 1;
      }
    }
    const n = qWords.length;
    return s.touched.filter((id) => s.matched[id] === n);
  }

  /** Matches query word number `qi` against each remaining candidate's own words. */
  private refine(w: string, qi: number): void {
    const s = this.scores;
    for (const id of s.touched) {
      if (s.matched[id] !== qi) continue;
      const r = this.records[id];
      let best = 0;
      const consider = (field: Field, list: string[]) => {
        for (const word of list) {
          // As the index: titles and the rest do not hold stop words.
          if (!word.startsWith(w) || (field >= Field.Title && field !== Field.Year && stopWords.has(word))) continue;
          const q = fieldWeight[field] * (word.length === w.length ? 1 : 0.55 + 0.35 * (w.length / word.length));
          if (q > best) best = q;
        }
      };
      consider(Field.Key, keyWords(r.key));
      consider(Field.Author, words(r.authors));
      consider(Field.Title, words(r.title));
      if (r.year) consider(Field.Year, [r.year]);
      if (best === 0 && w.length >= MORE_MIN) consider(Field.More, words(r.more));
      if (best > 0) {
        s.score[id] += best;
        s.matched[id] = qi + 1;
      }
    }
  }

  /** The `k` best-scored ids (newer years first on ties), without sorting them all. */
  private top(ids: number[], k: number): number[] {
    const s = this.scores;
    const better = (a: number, b: number) => s.score[b] - s.score[a] || (this.records[b].year || '0').localeCompare(this.records[a].year || '0');
    if (ids.length <= k) return ids.sort(better);
    // A min-heap of the k best scores: O(n log k).
    const heap: number[] = [];
    const lower = (a: number, b: number) => s.score[heap[a]] < s.score[heap[b]];
    const swap = (a: number, b: number) => ([heap[a], heap[b]] = [heap[b], heap[a]]);
    for (const id of ids) {
      if (heap.length < k) {
        heap.push(id);
        for (let i = heap.length - 1; i > 0 && lower(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
      } else if (s.score[id] > s.score[heap[0]]) {
        heap[0] = id;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < k && lower(l, m)) m = l;
          if (r < k && lower(r, m)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
    }
    return heap.sort(better);
  }

  /** fuse.js scores the short list; it refines the order between candidates whose token scores are close. */
  private rank(query: string, ids: number[], limit: number): SearchHit[] {
    const s = this.scores;
    const items = ids.map((id) => this.records[id]);
    const fuse = new Fuse(items, {
      keys: [
        { name: 'key', weight: 3 },
        { name: 'authors', weight: 2 },
        { name: 'title', weight: 1.5 },
        { name: 'year', weight: 1 },
      ],
      includeScore: true,
      ignoreLocation: true,
      ignoreDiacritics: true,
      threshold: 0.6,
      useTokenSearch: query.includes(' '),
    });
    const fuseScore = new Map<number, number>();
    for (const r of fuse.search(query)) fuseScore.set(r.refIndex, r.score ?? 1);
    const foldedQuery = fold(query).replace(/\s+/g, '');
    const phrase = words(query);
    const hits = ids.map((id, i) => {
      const record = this.records[id];
      const key = fold(record.key);
      let score = s.score[id] + 0.6 * (1 - (fuseScore.get(i) ?? 1));
      if (phrase.length > 1 && holdsPhrase(titleWords(record.title), phrase)) score += 1;
      if (key === foldedQuery) score += 10;
      else if (key.startsWith(foldedQuery)) score += 1;
      return { record, score };
    });
    hits.sort(compareHits);
    return hits.slice(0, limit);
  }
}

/** A title's words without the `s` of a possessive ("NATO's force" reads as NATO force). */
function titleWords(title: string): string[] {
  return words(title).filter((w) => w !== 's');
}

/**
 * Whether `text` has the words of `phrase` next to each other in that order, the last one possibly cut short
 * (being typed): `nato for` is in "The New NATO Force Model", not in "Is NATO Ready for War?".
 */
function holdsPhrase(text: string[], phrase: string[]): boolean {
  const last = phrase.length - 1;
  for (let i = 0; i + last < text.length; i++) {
    let k = 0;
    while (k < last && text[i + k] === phrase[k]) k++;
    if (k === last && text[i + last].startsWith(phrase[last])) return true;
  }
  return false;
}

/**
 * How good a typo match is, by its cost (`editCost`, in half edits): a swap of two letters (`biscpo` for
 * `biscop`) is a better match than a letter wrong (`biscoe`), which is better than two edits.
 */
function typoQuality(cost: number): number {
  return 0.45 - 0.05 * cost;
}

/**
 * Vocabulary words within one or two edits of `w` (or of a prefix of them, since the writer may still
 * be typing), as [index, cost]. Only words starting with the query's first or second letter are
 * compared: typos rarely hit both (and a swap of the first two letters is covered).
 */
function typoWords(vocabulary: Vocabulary, w: string): [number, number][] {
  if (w.length < 3) return [];
  const budget = w.length <= 4 ? 1 : 2;
  const out: [number, number][] = [];
  for (const first of new Set([w[0], w[1]])) {
    const start = vocabulary.lowerBound(first);
    const end = vocabulary.lowerBound(first + '\uffff', start);
    for (let i = start; i < end; i++) {
      if (vocabulary.lengthOf(i) < w.length - budget) continue;
      const near = vocabulary.prefixOf(i, w.length + budget);
      // Within `budget` edits (a swap is one edit), then costed with a swap or a letter left out (`frc` for `force`) as half an edit.
      if (editCost(w, near, 2 * budget, true) >= 0) out.push([i, editCost(w, near, 2 * budget, true, 1, 1)]);
    }
  }
  return out;
}

/**
 * Damerau-Levenshtein (optimal string alignment) distance from `a` to `b` (or, with `prefix`,
 * to some prefix of `b`) is at most `max`; stops early once every cell exceeds it.
 */
export function withinDistance(a: string, b: string, max: number, prefix = false): boolean {
  return editCost(a, b, 2 * max, prefix, 2) >= 0;
}

/**
 * The optimal string alignment cost from `a` to `b` (or, with `prefix`, to some prefix of `b`) when a
 * deletion or substitution costs 2, a swap of two adjacent letters `swap` and a letter of `b` missing from `a`
 * `missing`; -1 when it exceeds `max` (found early, once every cell of a row does).
 */
export function editCost(a: string, b: string, max: number, prefix = false, swap = 2, missing = 2): number {
  if (!prefix && 2 * Math.abs(a.length - b.length) > max) return -1;
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(3 * width * 2);
  // Three rows of one reused buffer (a typo search compares the query with thousands of words per keystroke).
  let prev2 = 0;
  let prev = width;
  let cur = 2 * width;
  for (let j = 0; j <= b.length; j++) rows[prev + j] = missing * j;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    rows[cur] = 2 * i;
    let rowMin = 2 * i;
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(rows[prev + j] + 2, rows[cur + j - 1] + missing, rows[prev + j - 1] + (ca === cb ? 0 : 2));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, rows[prev2 + j - 2] + swap);
      rows[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return -1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  if (!prefix) return rows[prev + b.length] <= max ? rows[prev + b.length] : -1;
  let best = -1;
  for (let j = Math.max(0, a.length - (max >> 1)); j <= b.length; j++) if (rows[prev + j] <= max && (best < 0 || rows[prev + j] < best)) best = rows[prev + j];
  return best;
}

let rows = new Int32Array(3 * 64);
