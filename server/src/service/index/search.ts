/**
 * Fuzzy citation search over a scope's entries: key, author family names, year, title.
 *
 * fuse.js alone is too slow to scan tens of thousands of entries per keystroke, so the
 * search has two stages: a token index picks candidates (every query word must be the
 * prefix of a word of the entry, or within one or two edits of one: a typo), then fuse.js
 * ranks only those candidates.
 */
import Fuse from 'fuse.js';
import type { BibEntry } from '../model';

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

/** Lower-case, accents removed: "Zoltán" -> "zoltan". */
export function fold(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() : s.toLowerCase();
}

const wordPattern = /[\p{L}\p{N}]+/gu;

export function words(s: string): string[] {
  return fold(s).match(wordPattern) ?? [];
}

export class CitationSearch {
  readonly records: SearchRecord[];
  /** Sorted distinct words, and for each the records that contain it. */
  private readonly vocabulary: string[];
  private readonly postings: Uint32Array[];

  constructor(entries: Iterable<{ entry: BibEntry; uri: string }>) {
    this.records = [];
    const postings = new Map<string, number[]>();
    for (const { entry, uri } of entries) {
      const id = this.records.length;
      const authors = entry.authors.map((n) => n.family ?? n.literal ?? '').filter(Boolean).join(' ');
      const record: SearchRecord = { entry, uri, key: entry.key, authors, year: entry.year ?? '', title: entry.title ?? '' };
      this.records.push(record);
      const seen = new Set<string>([fold(entry.key), ...words(entry.key), ...words(authors), ...words(record.title)]);
      if (record.year) seen.add(record.year);
      for (const w of seen) {
        const list = postings.get(w);
        if (list) list.push(id);
        else postings.set(w, [id]);
      }
    }
    this.vocabulary = [...postings.keys()].sort();
    this.postings = this.vocabulary.map((w) => Uint32Array.from(postings.get(w)!));
  }

  get size(): number {
    return this.records.length;
  }

  /**
   * The best matches for `query`, best first. An empty query lists entries in file order.
   * `limit` caps the answer; `total` says how many matched before the cap.
   */
  search(query: string, limit: number): { hits: SearchHit[]; total: number } {
    const q = query.trim();
    if (!q) return { hits: this.records.slice(0, limit).map((record) => ({ record, score: 0 })), total: this.records.length };
    const qWords = words(q);
    if (qWords.length === 0) return { hits: [], total: 0 };

    let candidates = this.candidates(qWords, false);
    if (candidates.length === 0) candidates = this.candidates(qWords, true);
    if (candidates.length === 0) return { hits: [], total: 0 };

    const ranked = this.rank(q, qWords, candidates);
    return { hits: ranked.slice(0, limit), total: ranked.length };
  }

  /** Records that contain, for every query word, a word it prefixes (or, with `typos`, nearly equals). */
  private candidates(qWords: string[], typos: boolean): number[] {
    let result: Set<number> | undefined;
    for (const w of qWords) {
      const ids = new Set<number>();
      for (const idx of this.wordsMatching(w, typos)) for (const id of this.postings[idx]) ids.add(id);
      result = result ? new Set([...result].filter((id) => ids.has(id))) : ids;
      if (result.size === 0) return [];
    }
    return [...(result ?? [])];
  }

  /** Indices of vocabulary words that start with `w`, or (typos) lie within a small edit distance of it or of its prefix. */
  private *wordsMatching(w: string, typos: boolean): Generator<number> {
    if (!typos) {
      let lo = lowerBound(this.vocabulary, w);
      while (lo < this.vocabulary.length && this.vocabulary[lo].startsWith(w)) yield lo++;
      return;
    }
    const budget = w.length <= 4 ? 1 : 2;
    for (let i = 0; i < this.vocabulary.length; i++) {
      const v = this.vocabulary[i];
      if (v.length < w.length - budget) continue;
      // A word still being typed may be a typo of a prefix of the entry's word.
      if (withinDistance(w, v.slice(0, w.length + budget), budget, true)) yield i;
    }
  }

  private rank(query: string, qWords: string[], candidates: number[]): SearchHit[] {
    const items = candidates.map((id) => this.records[id]);
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
      threshold: 0.5,
      useTokenSearch: qWords.length > 1,
      tokenMatch: 'all',
    });
    const results = fuse.search(query);
    const lowerQuery = fold(query);
    const matched = new Set(results.map((r) => r.refIndex));
    const hits: SearchHit[] = results.map((r) => ({ record: r.item, score: (r.score ?? 1) - bonus(r.item, lowerQuery, qWords) }));
    // Candidates fuse.js did not score (its threshold is stricter than our token match) still count, last.
    for (let i = 0; i < items.length; i++) if (!matched.has(i)) hits.push({ record: items[i], score: 2 - bonus(items[i], lowerQuery, qWords) });
    hits.sort((a, b) => a.score - b.score || compareYearDesc(a.record, b.record) || a.record.key.localeCompare(b.record.key));
    return hits;
  }
}

/** Key prefixes and exact author/year words outrank fuzzy title matches. */
function bonus(r: SearchRecord, lowerQuery: string, qWords: string[]): number {
  const key = fold(r.key);
  if (key === lowerQuery) return 1;
  let b = 0;
  if (key.startsWith(lowerQuery)) b += 0.6;
  else if (key.startsWith(qWords[0])) b += 0.3;
  const a = words(r.authors);
  if (qWords.some((w) => a.includes(w))) b += 0.15;
  if (qWords.includes(r.year)) b += 0.1;
  return b;
}

function compareYearDesc(a: SearchRecord, b: SearchRecord): number {
  return (b.year || '0').localeCompare(a.year || '0');
}

function lowerBound(sorted: string[], w: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < w) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Damerau-Levenshtein (optimal string alignment) distance from `a` to `b` (or, with `prefix`,
 * to some prefix of `b`) is at most `max`; stops early once every cell exceeds it.
 */
export function withinDistance(a: string, b: string, max: number, prefix = false): boolean {
  if (!prefix && Math.abs(a.length - b.length) > max) return false;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return false;
    prev2 = prev;
    prev = cur;
  }
  if (!prefix) return prev[b.length] <= max;
  for (let j = Math.max(0, a.length - max); j <= b.length; j++) if (prev[j] <= max) return true;
  return false;
}
