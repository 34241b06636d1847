/**
 * Folding and splitting texts into the words the citation search indexes and matches.
 *
 * `fold`, `words` and `keyWords` say what the words are, and find them in queries and candidates.
 * The index builder gets the same words through `addWords`/`addKeyWords`, made for the million
 * words of a large library: one pass over the code units folds each into `wordBuffer` (by a table,
 * worked out once per code unit) and hashes the word as it goes, and the `WordSink` makes a string
 * only for a word it has not seen. A text with a code unit that cannot be folded on its own goes
 * through `words` instead.
 */

/** Lower-case, accents removed: "Zoltán" -> "zoltan". */
export function fold(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() : s.toLowerCase();
}

const wordPattern = /[\p{L}\p{N}]+/gu;
const keyRunPattern = /[a-z\u00c0-\uffff]+|[0-9]+/g;

/** The words of a text, folded: letters and digits. */
export function words(s: string): string[] {
  const f = fold(s);
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(f)) return f.match(wordPattern) ?? [];
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= f.length; i++) {
    const c = i < f.length ? f.charCodeAt(i) : 0;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(f.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/** Key words: the words, plus their letter and digit runs ("biscop2022new" -> biscop, 2022, new). */
export function keyWords(key: string): string[] {
  const out = words(key);
  for (const w of out.slice()) {
    const runs = w.match(keyRunPattern);
    if (runs && runs.length > 1) out.push(...runs);
  }
  out.push(fold(key));
  return out;
}

/** Where `addWords` puts words: an index field being built. */
export interface WordSink {
  /** Adds a folded word. */
  add(word: string, doc: number): void;
  /** Adds the word in wordBuffer.codes[from..to), whose hash is `hash`. */
  addCodes(from: number, to: number, hash: number, doc: number): void;
}

/**
 * Adds the words of `text` (see `words`) to `sink` for record `doc`. A word may come twice (when
 * the splitter gives up half way): a sink keeps a record's word once.
 */
export function addWords(text: string, sink: WordSink, doc: number): void {
  if (splitWords(text, sink, doc, false)) return;
  for (const w of words(text)) sink.add(w, doc);
}

/** Adds the key words of `key` (see `keyWords`) to `sink` for record `doc`, the same way. */
export function addKeyWords(key: string, sink: WordSink, doc: number): void {
  if (splitWords(key, sink, doc, true)) return;
  for (const w of keyWords(key)) sink.add(w, doc);
}

// FNV-1a over code units.
const HASH_SEED = 0x811c9dc5 | 0;
function hashStep(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

/**
 * The word the splitter has just read, folded: its code units, and where it lies in the text (to
 * make its string only when a sink needs one).
 */
export class WordBuffer {
  codes = new Uint16Array(64);
  text = '';
  /** Where codes[0] lies in `text`. */
  start = 0;
  /** The classes of the word's code units (`Char`): what folding it takes. */
  shape = 0;

  /** Room for a word of `n` code units. */
  reserve(n: number): void {
    if (this.codes.length < n) this.codes = new Uint16Array(Math.max(n, 2 * this.codes.length));
  }

  /** Puts `word`, as it is, in the buffer; returns its hash. */
  load(word: string): number {
    this.reserve(word.length);
    this.text = word;
    this.start = 0;
    this.shape = 0;
    let h = HASH_SEED;
    for (let i = 0; i < word.length; i++) h = hashStep(h, (this.codes[i] = word.charCodeAt(i)));
    return h;
  }

  /** codes[from..to) as a string (the folded text there). */
  string(from: number, to: number): string {
    const w = this.text.slice(this.start + from, this.start + to);
    return this.shape & Char.Foreign ? fold(w) : this.shape & Char.Upper ? w.toLowerCase() : w;
  }
}

export const wordBuffer = new WordBuffer();

/** Bits of a code unit's class, OR-ed over a word to know how to fold it. */
const enum Char {
  Separator = 0,
  Letter = 1, // a-z
  Digit = 2,
  Upper = 4, // A-Z
  /** A letter or digit beyond ASCII: the word is folded (é -> e, ß -> ß). */
  Foreign = 8,
  /** What `words` keeps: letters and digits. */
  Word = Letter | Digit | Upper | Foreign,
  /** A separator beyond ASCII: a whole key with one is folded. */
  ForeignSeparator = 16,
  /** A code unit the splitter cannot fold on its own: the text takes the general path. */
  Other = 32,
  Unknown = 255,
}

/** Each code unit's class and what it folds to: ASCII from the start, the rest worked out on first sight (`classify`). */
const charClass = new Uint8Array(0x10000).fill(Char.Unknown);
const foldedCode = new Uint16Array(0x10000);
for (let c = 0; c < 0x80; c++) {
  if (c >= 97 && c <= 122) charClass[c] = Char.Letter;
  else if (c >= 48 && c <= 57) charClass[c] = Char.Digit;
  else if (c >= 65 && c <= 90) charClass[c] = Char.Upper;
  else charClass[c] = Char.Separator;
  foldedCode[c] = charClass[c] === Char.Upper ? c + 32 : c;
}

/**
 * Most code units fold on their own to one code unit (é -> e, – -> –), with a decomposition that
 * starts with a base character (no mark to reorder with a neighbour's): folding a text made of
 * those is folding each of them. The rest send their text to the general path: marks, surrogates,
 * what folds to more than one code unit (a Hangul syllable, a letter with a mark beyond
 * U+0300-U+036F), and Σ, whose lower case depends on its neighbours.
 */
function classify(c: number): number {
  const ch = String.fromCharCode(c);
  const folded = fold(ch);
  let k: number;
  if (c === 0x3a3 || (c >= 0xd800 && c <= 0xdfff) || folded.length !== 1 || /^\p{M}/u.test(ch.normalize('NFD'))) k = Char.Other;
  else k = /[\p{L}\p{N}]/u.test(folded) ? Char.Foreign : Char.ForeignSeparator;
  charClass[c] = k;
  foldedCode[c] = folded.charCodeAt(0);
  return k;
}

/**
 * Splits `s` into folded words for `sink`; with `keyRuns`, adds what `keyWords` adds too.
 * False, possibly after adding some words, when the text has a code unit it cannot fold on its
 * own: the caller takes the general path.
 */
function splitWords(s: string, sink: WordSink, doc: number, keyRuns: boolean): boolean {
  wordBuffer.reserve(s.length);
  let codes = wordBuffer.codes;
  let start = -1;
  let n = 0; // code units of the current word so far
  let h = HASH_SEED;
  let shape = 0; // the classes seen in the current word
  let all = 0; // ... and in the whole text
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    let k = charClass[c];
    if (k === Char.Unknown) k = classify(c);
    if (k === Char.Other) return false;
    if (k & Char.Word) {
      if (start < 0) {
        start = i;
        n = 0;
        h = HASH_SEED;
        shape = 0;
        codes = wordBuffer.codes; // a sink may have grown it
      }
      shape |= k;
      const f = foldedCode[c];
      codes[n++] = f;
      h = hashStep(h, f);
      continue;
    }
    all |= k;
    if (start < 0) continue;
    all |= shape;
    wordBuffer.text = s;
    wordBuffer.start = start;
    wordBuffer.shape = shape;
    sink.addCodes(0, n, h, doc);
    if (keyRuns && (shape & Char.Foreign || (shape & Char.Digit && shape & (Char.Letter | Char.Upper)))) addRuns(n, sink, doc);
    start = -1;
  }
  if (keyRuns) sink.add(all & (Char.Foreign | Char.ForeignSeparator) ? fold(s) : all & Char.Upper ? s.toLowerCase() : s, doc);
  return true;
}

/**
 * The runs of letters and digits of the key word in wordBuffer.codes[0..n), when it has more than one,
 * as `keyWords` finds them with `keyRunPattern` (a code unit in neither kind, like ª or ², ends a run).
 */
function addRuns(n: number, sink: WordSink, doc: number): void {
  const codes = wordBuffer.codes;
  let runs = 0;
  for (let i = 0; i < n; i++) if (runKind(codes[i]) !== 0 && (i === 0 || runKind(codes[i - 1]) !== runKind(codes[i]))) runs++;
  if (runs < 2) return;
  let from = -1;
  let h = HASH_SEED;
  for (let i = 0; i <= n; i++) {
    const kind = i < n ? runKind(codes[i]) : 0;
    if (from >= 0 && kind !== runKind(codes[from])) {
      sink.addCodes(from, i, h, doc);
      from = -1;
    }
    if (kind === 0) continue;
    if (from < 0) {
      from = i;
      h = HASH_SEED;
    }
    h = hashStep(h, codes[i]);
  }
}

/** 1 for a code unit of a letter run of `keyRunPattern`, 2 for a digit's, 0 for neither. */
function runKind(c: number): number {
  return (c >= 97 && c <= 122) || c >= 0xc0 ? 1 : c >= 48 && c <= 57 ? 2 : 0;
}
