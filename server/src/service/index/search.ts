/**
 * Fuzzy citation search over a scope's entries: key, author family names, year and title.
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
import { authorsOf } from '../parsers/bibliography/bibtex';
import { FieldIndex, FieldIndexBuilder, lowerBound } from './searchIndex';
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
}
const fieldWeight = [3, 2.5, 1.5, 1.5];

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
  return { entry, uri, key: entry.key, authors, year: entry.year ?? '', title: entry.title ?? '' };
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
  private readonly fields = [new FieldIndexBuilder(), new FieldIndexBuilder(), new FieldIndexBuilder(stopWords), new FieldIndexBuilder()];
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
  }
}

export class CitationSearch {
  private readonly scores: Scores;

  /** Use `CitationSearch.of(entries)` or a `CitationSearchBuilder`. */
  constructor(
    readonly records: SearchRecord[],
    private readonly fields: FieldIndex[],
  ) {
    this.scores = new Scores(records.length);
  }

  static of(entries: Iterable<{ entry: BibEntry; uri: string }>): CitationSearch {
    return new CitationSearchBuilder(entries).finish();
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
  search(query: string, limit: number, typos?: boolean): { hits: SearchHit[]; total: number } {
    const q = query.trim();
    if (!q) return { hits: this.records.slice(0, limit).map((record) => ({ record, score: 0 })), total: this.records.length };
    return this.ranked(q, limit, (qWords) => {
      const ids = typos === true ? [] : this.match(qWords, false);
      return ids.length === 0 && typos !== false ? this.match(qWords, true) : ids;
    });
  }

  /**
   * For completion only (never did-you-mean): the search, and when nothing matches the whole query, the best loose
   * matches, so that the list does not close while the writer types (issue 14: `nato fr` answered nothing).
   */
  searchLoose(query: string, limit: number): { hits: SearchHit[]; total: number } {
    const found = this.search(query, limit);
    return found.total > 0 ? found : this.ranked(query.trim(), limit, (qWords) => this.loose(qWords));
  }

  /** The query's words (stop words, which titles do not index, only when nothing else is left), their candidates, ranked. */
  private ranked(q: string, limit: number, candidates: (qWords: string[]) => number[]): { hits: SearchHit[]; total: number } {
    const all = [...new Set(words(q))];
    const content = all.filter((w) => !stopWords.has(w));
    const qWords = content.length ? content : all;
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
    for (const field of this.fields) {
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
          const word = field.words[wi];
          // An exact word is best; a longer word it prefixes a little less, the longer the less.
          visit(wi, word.length === w.length ? 1 : 0.55 + 0.35 * (w.length / word.length));
        }
        if (typos) for (const wi of typoWords(field.words, w)) visit(wi, 0.4);
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
          if (!word.startsWith(w)) continue;
          const q = fieldWeight[field] * (word.length === w.length ? 1 : 0.55 + 0.35 * (w.length / word.length));
          if (q > best) best = q;
        }
      };
      consider(Field.Key, keyWords(r.key));
      consider(Field.Author, words(r.authors));
      consider(Field.Title, words(r.title));
      if (r.year) consider(Field.Year, [r.year]);
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
    const hits = ids.map((id, i) => {
      const record = this.records[id];
      const key = fold(record.key);
      let score = s.score[id] + 0.6 * (1 - (fuseScore.get(i) ?? 1));
      if (key === foldedQuery) score += 10;
      else if (key.startsWith(foldedQuery)) score += 1;
      return { record, score };
    });
    hits.sort(compareHits);
    return hits.slice(0, limit);
  }
}

/**
 * Indices of vocabulary words within one or two edits of `w` (or of a prefix of them, since the
 * writer may still be typing). Only words starting with the query's first or second letter are
 * compared: typos rarely hit both (and a swap of the first two letters is covered).
 */
function typoWords(vocabulary: string[], w: string): number[] {
  if (w.length < 3) return [];
  const budget = w.length <= 4 ? 1 : 2;
  const out: number[] = [];
  for (const first of new Set([w[0], w[1]])) {
    const start = lowerBound(vocabulary, first);
    const end = lowerBound(vocabulary, first + '\uffff', start);
    for (let i = start; i < end; i++) {
      const v = vocabulary[i];
      if (v.length < w.length - budget) continue;
      if (withinDistance(w, v.length > w.length + budget ? v.slice(0, w.length + budget) : v, budget, true)) out.push(i);
    }
  }
  return out;
}

/**
 * Damerau-Levenshtein (optimal string alignment) distance from `a` to `b` (or, with `prefix`,
 * to some prefix of `b`) is at most `max`; stops early once every cell exceeds it.
 */
export function withinDistance(a: string, b: string, max: number, prefix = false): boolean {
  if (!prefix && Math.abs(a.length - b.length) > max) return false;
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(3 * width * 2);
  // Three rows of one reused buffer (a typo search compares the query with thousands of words per keystroke).
  let prev2 = 0;
  let prev = width;
  let cur = 2 * width;
  for (let j = 0; j <= b.length; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    rows[cur] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, rows[prev2 + j - 2] + 1);
      rows[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return false;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  if (!prefix) return rows[prev + b.length] <= max;
  for (let j = Math.max(0, a.length - max); j <= b.length; j++) if (rows[prev + j] <= max) return true;
  return false;
}

let rows = new Int32Array(3 * 64);
