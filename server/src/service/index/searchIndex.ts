/**
 * The token index behind the citation search: per field, a sorted vocabulary with its postings in
 * flat arrays.
 *
 * Building it is most of the cost of a first search over a large library (a million words for
 * 50,000 entries), so the builder makes little garbage: a word is looked up by its code units in
 * the field's own hash table (a string is made once per distinct word), an occurrence is an int in
 * a growable Int32Array, and the postings are laid out by a counting pass at the end instead of
 * living in one small array per word.
 */
import { wordBuffer, type WordSink } from './searchWords';

/**
 * Distinct words in the order `<` gives (UTF-16 code units), in one text: word `i` is text[starts[i], starts[i + 1]).
 * No string is made per word until one is asked for (`at`): a large library has half a million.
 */
export class Vocabulary {
  constructor(
    readonly text: string,
    readonly starts: Int32Array,
  ) {}

  static of(words: readonly string[]): Vocabulary {
    const starts = new Int32Array(words.length + 1);
    for (let i = 0; i < words.length; i++) starts[i + 1] = starts[i] + words[i].length;
    return new Vocabulary(words.join(''), starts);
  }

  get length(): number {
    return this.starts.length - 1;
  }

  at(i: number): string {
    return this.text.slice(this.starts[i], this.starts[i + 1]);
  }

  lengthOf(i: number): number {
    return this.starts[i + 1] - this.starts[i];
  }

  /** Word `i`, cut to `max` code units at most. */
  prefixOf(i: number, max: number): string {
    return this.text.slice(this.starts[i], Math.min(this.starts[i + 1], this.starts[i] + max));
  }

  /** The words as strings (tests). */
  list(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** The index of the first word not below `w`, from `lo` on. */
  lowerBound(w: string, lo = 0): number {
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.below(mid, w)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The order of word `i` and word `j` of `other` (negative: `i` first), code unit by code unit. */
  compare(i: number, other: Vocabulary, j: number): number {
    const a = this.starts[i];
    const b = other.starts[j];
    const n = this.starts[i + 1] - a;
    const m = other.starts[j + 1] - b;
    for (let k = 0; k < n && k < m; k++) {
      const d = this.text.charCodeAt(a + k) - other.text.charCodeAt(b + k);
      if (d !== 0) return d;
    }
    return n - m;
  }

  /** Word `i` < `w`, compared code unit by code unit in the text. */
  private below(i: number, w: string): boolean {
    const start = this.starts[i];
    const n = this.starts[i + 1] - start;
    const m = Math.min(n, w.length);
    for (let k = 0; k < m; k++) {
      const d = this.text.charCodeAt(start + k) - w.charCodeAt(k);
      if (d !== 0) return d < 0;
    }
    return n < w.length;
  }
}

/** A sorted vocabulary with postings in one flat array (CSR): word i occurs in docs[offsets[i]..offsets[i+1]), ascending. */
export class FieldIndex {
  constructor(
    readonly words: Vocabulary,
    readonly offsets: Int32Array,
    readonly docs: Int32Array,
  ) {}

  /** The range of word indices starting with `prefix`. */
  prefixRange(prefix: string): [number, number] {
    const start = this.words.lowerBound(prefix);
    // Words with the prefix are contiguous: find the end by binary search on prefix + a high code unit.
    const end = this.words.lowerBound(prefix + '\uffff', start);
    return [start, end];
  }
}

/**
 * One index of the records of several parts numbered one after the other (the records of `parts[i]` from
 * `bases[i]`): the index a builder gives for all of them in that order (the vocabularies merged, each word's
 * postings the parts' in turn, so still ascending).
 */
export function mergeFieldIndexes(parts: readonly FieldIndex[], bases: readonly number[]): FieldIndex {
  let merged = shifted(parts[0], bases[0]);
  for (let i = 1; i < parts.length; i++) merged = mergeTwo(merged, parts[i], bases[i]);
  return merged;
}

function shifted(part: FieldIndex, base: number): FieldIndex {
  if (base === 0) return part;
  const docs = new Int32Array(part.docs.length);
  for (let p = 0; p < docs.length; p++) docs[p] = part.docs[p] + base;
  return new FieldIndex(part.words, part.offsets, docs);
}

/** `a` (records numbered already) and `b` (its records from `base`, all after `a`'s). */
function mergeTwo(a: FieldIndex, b: FieldIndex, base: number): FieldIndex {
  const offsets = new Int32Array(a.words.length + b.words.length + 1);
  const starts = new Int32Array(a.words.length + b.words.length + 1);
  const docs = new Int32Array(a.docs.length + b.docs.length);
  const text = new TextRuns();
  let n = 0;
  let total = 0;
  const take = (from: FieldIndex, wi: number, shift: number) => {
    for (let p = from.offsets[wi]; p < from.offsets[wi + 1]; p++) docs[total++] = from.docs[p] + shift;
  };
  for (let i = 0, j = 0; i < a.words.length || j < b.words.length; ) {
    const order = i === a.words.length ? 1 : j === b.words.length ? -1 : a.words.compare(i, b.words, j);
    offsets[n] = total;
    const from = order <= 0 ? a.words : b.words;
    const wi = order <= 0 ? i : j;
    text.add(from, wi);
    starts[n + 1] = starts[n] + from.lengthOf(wi);
    n++;
    if (order <= 0) take(a, i++, 0);
    if (order >= 0) take(b, j++, base);
  }
  offsets[n] = total;
  return new FieldIndex(new Vocabulary(text.done(), starts.slice(0, n + 1)), offsets.slice(0, n + 1), docs);
}

/** A text made of words of vocabularies, cut from their texts a run of consecutive words at a time. */
class TextRuns {
  private readonly parts: string[] = [];
  private from?: Vocabulary;
  private first = 0;
  private next = 0;

  add(from: Vocabulary, i: number): void {
    if (from !== this.from || i !== this.next) {
      this.flush();
      this.from = from;
      this.first = i;
    }
    this.next = i + 1;
  }

  done(): string {
    this.flush();
    return this.parts.join('');
  }

  private flush(): void {
    if (this.from && this.next > this.first) this.parts.push(this.from.text.slice(this.from.starts[this.first], this.from.starts[this.next]));
    this.from = undefined;
  }
}

/**
 * Collects one field's words, record by record (ascending ids), then lays out its FieldIndex.
 * Words are interned in an open-addressing hash table over their code units, kept in one pool.
 */
export class FieldIndexBuilder implements WordSink {
  private readonly vocabulary: string[] = [];
  /** Pairs (hash, word id + 1; 0: empty) by slot; a power of two, at most half full. */
  private table = new Int32Array(2 * 1024);
  /** The vocabulary's code units, one word after the other: word `id` is chars[starts[id]..starts[id + 1]). */
  private chars = new Uint16Array(4096);
  private starts = new IntList(512);
  /** Per word id: how many records have it, and the last one (a word a record repeats is posted once). */
  private counts = new Int32Array(512);
  private lastDoc = new Int32Array(512);
  /** The word ids posted, in record order; `runs` holds (record, start in `posted`) pairs. */
  private readonly posted = new IntList(1024);
  private readonly runs = new IntList(256);
  private lastPosted = -1; // the record posted last
  /** Ids below this are words never indexed (stop words). */
  private readonly skipped: number;

  constructor(skip: Iterable<string> = []) {
    this.starts.push(0);
    for (const w of skip) this.idOf(0, w.length, wordBuffer.load(w));
    this.skipped = this.vocabulary.length;
  }

  add(word: string, doc: number): void {
    this.addCodes(0, word.length, wordBuffer.load(word), doc);
  }

  addCodes(from: number, to: number, hash: number, doc: number): void {
    const id = this.idOf(from, to, hash);
    if (id < this.skipped || this.lastDoc[id] === doc) return;
    this.lastDoc[id] = doc;
    this.counts[id]++;
    if (doc !== this.lastPosted) {
      this.runs.push(doc);
      this.runs.push(this.posted.length);
      this.lastPosted = doc;
    }
    this.posted.push(id);
  }

  build(): FieldIndex {
    const order = new Int32Array(this.vocabulary.length - this.skipped);
    for (let i = 0; i < order.length; i++) order[i] = this.skipped + i;
    sortByWord(order, this.chars, this.starts.data);
    const n = order.length;
    const words = new Array<string>(n);
    const offsets = new Int32Array(n + 1);
    const next = new Int32Array(this.vocabulary.length); // per word id: where its next posting goes
    let total = 0;
    for (let i = 0; i < n; i++) {
      const id = order[i];
      words[i] = this.vocabulary[id];
      offsets[i] = total;
      next[id] = total;
      total += this.counts[id];
    }
    offsets[n] = total;
    const docs = new Int32Array(total);
    const posted = this.posted.data;
    const runs = this.runs.data;
    // Records come in ascending order, so each word's postings do too.
    for (let r = 0; r < this.runs.length; r += 2) {
      const doc = runs[r];
      const end = r + 2 < this.runs.length ? runs[r + 3] : this.posted.length;
      for (let p = runs[r + 1]; p < end; p++) docs[next[posted[p]]++] = doc;
    }
    return new FieldIndex(Vocabulary.of(words), offsets, docs);
  }

  /** The id of the word wordBuffer.codes[from..to), interned if new. */
  private idOf(from: number, to: number, hash: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = table[2 * slot + 1] - 1;
      if (id < 0) return this.intern(slot, from, to, hash);
      if (table[2 * slot] === hash && this.isWord(id, from, to)) return id;
    }
  }

  /** Is word `id` wordBuffer.codes[from..to)? */
  private isWord(id: number, from: number, to: number): boolean {
    const start = this.starts.data[id];
    if (this.starts.data[id + 1] - start !== to - from) return false;
    const chars = this.chars;
    const codes = wordBuffer.codes;
    for (let i = from; i < to; i++) if (chars[start + i - from] !== codes[i]) return false;
    return true;
  }

  private intern(slot: number, from: number, to: number, hash: number): number {
    const id = this.vocabulary.length;
    this.vocabulary.push(wordBuffer.string(from, to));
    let end = this.starts.data[id];
    if (end + to - from > this.chars.length) this.chars = grown(this.chars, end + to - from);
    for (let i = from; i < to; i++) this.chars[end++] = wordBuffer.codes[i];
    this.starts.push(end);
    if (id === this.counts.length) {
      this.counts = grown(this.counts);
      this.lastDoc = grown(this.lastDoc);
    }
    this.lastDoc[id] = -1;
    this.table[2 * slot] = hash;
    this.table[2 * slot + 1] = id + 1;
    if (4 * (id + 1) > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.table;
    const table = new Int32Array(2 * old.length);
    const mask = (table.length >> 1) - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let slot = old[i] & mask;
      while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = old[i];
      table[2 * slot + 1] = old[i + 1];
    }
    this.table = table;
  }
}

/**
 * Sorts word ids by their (distinct) words, in the order `<` gives (UTF-16 code units); word `id`
 * is chars[starts[id]..starts[id + 1]). A multikey quicksort: it partitions on one code unit at a
 * time, so the long shared prefixes of citation keys are read about once instead of at every
 * comparison, several times faster than `Array.prototype.sort` on a large vocabulary.
 */
function sortByWord(ids: Int32Array, chars: Uint16Array, starts: Int32Array, lo = 0, hi = ids.length, depth = 0): void {
  while (hi - lo > 8) {
    const pivot = medianOf3(codeAt(ids[lo], depth, chars, starts), codeAt(ids[(lo + hi) >> 1], depth, chars, starts), codeAt(ids[hi - 1], depth, chars, starts));
    // Three ways: [lo, lt) below the pivot's code unit, [lt, gt) equal to it, [gt, hi) above.
    let lt = lo;
    let gt = hi;
    for (let i = lo; i < gt; ) {
      const c = codeAt(ids[i], depth, chars, starts);
      if (c < pivot) swap(ids, lt++, i++);
      else if (c > pivot) swap(ids, i, --gt);
      else i++;
    }
    // The words that end here are equal: there is at most one, nothing to sort. Otherwise the
    // smaller parts are sorted by a call and the largest by the loop, so the stack stays shallow.
    const equal = pivot < 0 ? 0 : gt - lt;
    if (lt - lo >= hi - gt && lt - lo >= equal) {
      sortByWord(ids, chars, starts, gt, hi, depth);
      if (equal) sortByWord(ids, chars, starts, lt, gt, depth + 1);
      hi = lt;
    } else if (hi - gt >= equal) {
      sortByWord(ids, chars, starts, lo, lt, depth);
      if (equal) sortByWord(ids, chars, starts, lt, gt, depth + 1);
      lo = gt;
    } else {
      sortByWord(ids, chars, starts, lo, lt, depth);
      sortByWord(ids, chars, starts, gt, hi, depth);
      lo = lt;
      hi = gt;
      depth++;
    }
  }
  for (let i = lo + 1; i < hi; i++) {
    const id = ids[i];
    let j = i;
    for (; j > lo && compareFrom(ids[j - 1], id, chars, starts, depth) > 0; j--) ids[j] = ids[j - 1];
    ids[j] = id;
  }
}

/** The code unit of word `id` at `depth`, or -1 past its end (a word sorts before its extensions). */
function codeAt(id: number, depth: number, chars: Uint16Array, starts: Int32Array): number {
  const i = starts[id] + depth;
  return i < starts[id + 1] ? chars[i] : -1;
}

/** Compares words `a` and `b`, equal before `depth`. */
function compareFrom(a: number, b: number, chars: Uint16Array, starts: Int32Array, depth: number): number {
  const la = starts[a + 1] - starts[a];
  const lb = starts[b + 1] - starts[b];
  for (let i = depth; i < la && i < lb; i++) {
    const d = chars[starts[a] + i] - chars[starts[b] + i];
    if (d !== 0) return d;
  }
  return la - lb;
}

function medianOf3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** An Int32Array that grows by doubling. */
class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.data = grown(this.data);
    this.data[this.length++] = v;
  }
}

/** A copy of `a` at least twice as long (and at least `atLeast`). */
function grown<T extends Int32Array | Uint16Array>(a: T, atLeast = 0): T {
  const b = new (a.constructor as new (length: number) => T)(Math.max(2 * a.length, atLeast));
  b.set(a);
  return b;
}
