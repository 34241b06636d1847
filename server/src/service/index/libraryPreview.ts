/**
 * The preview of a scope's libraries while they are parsed for the first time (issue 17): completion
 * answers from it at once, as the scope's index would, and the index takes over when it is built.
 *
 * A library's preview is the quick pass over its text (`parsers/bibliography/bibtexPreview.ts`). A query's
 * candidates are the entries whose text holds each of its words (letter by letter, accents and LaTeX markup
 * between letters allowed: never fewer than the search would match); only those are parsed, by the real
 * parser, and searched with the real search, prefixes only. What it cannot be sure of, it does not answer
 * (`undefined`: wait for the index): a word with a letter outside a-z, too many candidates, no match (the
 * index would try typos), an entry it cannot be sure of among the first ones listed.
 */
import { resolveInheritance, type BibtexEntry } from '../parsers/bibliography/bibtex';
import { previewBibtex, previewEntry, previewKey, previewMacros, type BibtexPreview } from '../parsers/bibliography/bibtexPreview';
import { controlWords } from '../parsers/bibliography/latexToUnicode';
import { CitationSearch, fold, isStopWord, searchRecord, typedStopWord, words, type SearchHit } from './search';
import { isCitable, type Located } from './scopeIndex';

/** How many entries a query's words may match in a preview (parsed and searched per keystroke) before it leaves the answer to the index. */
export const MAX_PREVIEW_CANDIDATES = 1500;

/** One library read but not yet parsed. */
export class LibraryPreview {
  private pass?: BibtexPreview | null;
  private readonly parsed = new Map<number, BibtexEntry | null>();
  /** The `@string` definitions (null: not read cleanly), and the macros in effect after the first n of them. */
  private definitions?: { at: number; name: string; value: string }[] | null;
  private readonly macros = new Map<number, Record<string, string>>();
  private keys?: Map<string, number>;
  private children?: Map<number, string[] | null>;
  /** Milliseconds the quick pass took (once done). */
  quickMs = 0;

  /** Whether an entry may use a macro this file does not define (no earlier file of the scope defines any). */
  unknownMacros = true;

  constructor(
    readonly uri: string,
    private readonly text: string,
  ) {}

  /** The quick pass, made on first use; undefined when the text is one it cannot follow. */
  get quick(): BibtexPreview | undefined {
    if (this.pass === undefined) {
      const started = Date.now();
      this.pass = previewBibtex(this.text) ?? null;
      this.quickMs = Date.now() - started;
    }
    return this.pass ?? undefined;
  }

  /** Whether the quick pass could read the text, and the `@string` items in it are read cleanly. */
  get readable(): boolean {
    const q = this.quick;
    return q !== undefined && (q.strings.length === 0 || this.macroDefinitions() !== null);
  }

  /** Entry number `i`, parsed, when the preview is sure the full parse reads it so, its parents' fields inherited (cached). */
  entry(i: number): BibtexEntry | undefined {
    let e = this.parsed.get(i);
    if (e === undefined) {
      e = this.parse(i) ?? null;
      if (e && (e.crossref || e.xdata)) e = this.inheriting(i) ?? null;
      this.parsed.set(i, e);
    }
    return e ?? undefined;
  }

  private parse(i: number): BibtexEntry | undefined {
    const q = this.quick!;
    return previewEntry(this.text, q.starts[i], q.ends[i], this.macrosAt(q.starts[i]), this.unknownMacros);
  }

  /**
   * Entry `i` with the fields of its `crossref` and `xdata` parents, as the store resolves them (the first entry
   * of the file with the key; `resolveInheritance`), when the preview is sure of each parent; else undefined.
   */
  private inheriting(i: number): BibtexEntry | undefined {
    if (this.quick!.extras.length) return undefined;
    const keys = this.keyIndex();
    const plain = new Map<number, BibtexEntry | undefined>();
    let unsure = false;
    // As the store resolves a file's entries in place, in order: an entry before this one is met resolved, one after it as written.
    const lookup = (key: string): BibtexEntry | undefined => {
      const j = keys.get(key);
      if (j === undefined) return undefined;
      if (!plain.has(j)) plain.set(j, j < i ? this.entry(j) : this.parse(j));
      const parent = plain.get(j);
      if (!parent) unsure = true;
      return parent;
    };
    const child = this.parse(i)!;
    resolveInheritance([child], lookup);
    return unsure ? undefined : child;
  }

  /**
   * Adds to `hits` the entries that inherit from one of them (they show its fields): their parents' keys are read
   * from the text; an entry whose parents cannot be read so is always added.
   */
  private addChildren(hits: Set<number>): void {
    const children = this.childMap();
    if (children.size === 0) return;
    // The keys of the hits (few, for a word being typed; else every key, once).
    const q = this.quick!;
    const keys = hits.size > 5000 ? undefined : new Set([...hits].map((i) => previewKey(this.text, q.starts[i])));
    const index = keys ? undefined : this.keyIndex();
    const isHit = (key: string) => (keys ? keys.has(key) : hits.has(index!.get(key) ?? -1));
    for (let round = 0, added = true; added && round < 8; round++) {
      added = false;
      for (const [child, parents] of children) {
        if (hits.has(child) || (parents && !parents.some(isHit))) continue;
        hits.add(child);
        keys?.add(previewKey(this.text, q.starts[child]));
        added = true;
      }
    }
  }

  /** The entries that may have a `crossref` or `xdata` parent: number -> the parents' keys (null: not readable here). */
  private childMap(): Map<number, string[] | null> {
    if (!this.children) {
      const q = this.quick!;
      this.children = new Map();
      // A field name (a separator before it, `=` after it), then its value when it is a plain braced or quoted key list.
      const pattern = /(?<![^\s,{(])(?:crossref|xdata)\s*=\s*(?:\{([^{}\\]*)\}|"([^"{}\\]*)"|)/gi;
      for (let m = pattern.exec(this.text); m; m = pattern.exec(this.text)) {
        const i = entryAt(q.starts, m.index);
        if (i < 0 || m.index >= q.ends[i]) continue;
        const value = m[1] ?? m[2];
        const known = this.children.get(i);
        if (value === undefined || known === null) this.children.set(i, null);
        else this.children.set(i, [...(known ?? []), value.trim(), ...value.split(',').map((k) => k.trim())]);
      }
    }
    return this.children;
  }

  /** Key -> the number of the first entry with it (for parents; built when first needed). */
  private keyIndex(): Map<string, number> {
    if (!this.keys) {
      const q = this.quick!;
      this.keys = new Map();
      for (let i = 0; i < q.starts.length; i++) {
        const key = previewKey(this.text, q.starts[i]);
        if (key !== undefined && !this.keys.has(key)) this.keys.set(key, i);
      }
    }
    return this.keys;
  }

  /** The macros the `@string` items before `offset` define (none when they are not read cleanly: an entry using one is then left out). */
  private macrosAt(offset: number): Record<string, string> | undefined {
    const defs = this.macroDefinitions();
    if (!defs?.length) return undefined;
    // How many definitions come before `offset`.
    let lo = 0;
    let hi = defs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (defs[mid].at < offset) lo = mid + 1;
      else hi = mid;
    }
    const n = lo;
    let macros = this.macros.get(n);
    if (!macros) {
      macros = {};
      for (let k = 0; k < n; k++) macros[defs[k].name] = defs[k].value;
      this.macros.set(n, macros);
    }
    return macros;
  }

  private macroDefinitions(): { at: number; name: string; value: string }[] | null {
    if (this.definitions === undefined) this.definitions = previewMacros(this.text, this.quick!.strings) ?? null;
    return this.definitions;
  }

  /** The entries (numbers, in file order) whose text holds each word, or undefined past `max`. */
  candidates(required: readonly string[], max: number): number[] | undefined {
    const q = this.quick;
    if (!q) return undefined;
    let found: Set<number> | undefined;
    // The longest word first: it is likely the rarest.
    for (const w of [...required].sort((a, b) => b.length - a.length)) {
      const hits = new Set<number>();
      const pattern = loosePattern(w);
      // An entry may hold the word through a macro whose value holds it: the macro's name is then in its text.
      const names = new Set<string>();
      for (const d of this.macroDefinitions() ?? []) {
        pattern.lastIndex = 0;
        if (pattern.test(d.value)) names.add(d.name);
      }
      for (const p of names.size ? [pattern, namesPattern(names)] : [pattern]) {
        p.lastIndex = 0;
        for (let m = p.exec(this.text); m; m = p.exec(this.text)) {
          const i = entryAt(q.starts, m.index);
          if (i >= 0 && m.index < q.ends[i]) hits.add(i);
          if (m[0].length === 0) p.lastIndex++;
        }
      }
      this.addChildren(hits);
      found = found ? new Set([...found].filter((i) => hits.has(i))) : hits;
      if (found.size === 0) break;
    }
    if (!found || found.size > max) return undefined;
    return [...found].sort((a, b) => a - b);
  }
}

/** The index of the last start at or before `offset`, or -1. */
function entryAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0 || starts[0] > offset) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * What may stand between two letters of a word in BibTeX text and not in its display text: braces, accent commands,
 * combining marks, and the backslash of a command printing a letter (`D{\'\i}az`: Díaz).
 */
const markup = String.raw`(?:[{}\u0300-\u036f]|\\[a-zA-Z]+ *|\\[^a-zA-Z]|\\)*`;

/** Per ASCII letter, the letters that fold to it (`fold`: "é" -> "e"), as a character class body. */
const variants = (() => {
  const out = new Map<string, string>();
  for (const [from, to] of [[0xc0, 0x24f], [0x1e00, 0x1eff]]) {
    for (let c = from; c <= to; c++) {
      const ch = String.fromCharCode(c);
      const f = fold(ch);
      if (f.length === 1 && f >= 'a' && f <= 'z') out.set(f, (out.get(f) ?? '') + ch);
    }
  }
  return out;
})();

/** A pattern finding `word` (folded: a-z, 0-9) in BibTeX text, whatever accents or markup its letters have there, or in a command printing it (`\MF`). */
function loosePattern(word: string): RegExp {
  const letters = [...word].map((c) => (c >= 'a' && c <= 'z' ? `[${c}${variants.get(c) ?? ''}]` : c));
  const commands = [...controlWords].filter(([name, text]) => fold(name) !== fold(text) && fold(text).includes(word)).map(([name]) => String.raw`\\${name}(?![a-zA-Z])`);
  return new RegExp([letters.join(markup), ...commands].join('|'), 'gi');
}

/** A pattern finding any of these macro names (case is not significant in BibTeX). */
function namesPattern(names: ReadonlySet<string>): RegExp {
  return new RegExp([...names].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
}

/** The previews of a scope's libraries, in scope order: answers a completion query as the scope's index would, or not at all. */
export class ScopePreview {
  constructor(readonly libraries: readonly LibraryPreview[]) {}

  /** Whether every library could be read by the quick pass, its `@string`s cleanly (they may redefine `jan`...). */
  get usable(): boolean {
    if (!this.libraries.every((l) => l.readable)) return false;
    // BibTeX reads the files of a scope as one: a macro one file leaves undefined, an earlier one may define, or an
    // item the quick pass could not place (an `@string` among them).
    for (let i = 0; i < this.libraries.length; i++) {
      this.libraries[i].unknownMacros = this.libraries[i].quick!.extras.length === 0 && this.libraries.slice(0, i).every((l) => l.quick!.strings.length === 0 && l.quick!.extras.length === 0);
    }
    return true;
  }

  /** The hits `ScopeIndex.find` would give, or undefined when the preview cannot be sure of them. */
  find(query: string, limit: number): SearchHit[] | undefined {
    if (!this.usable) return undefined;
    if (!query.trim()) return this.first(limit);
    const all = words(query);
    if (all.length === 0 || all.some((w) => !/^[a-z0-9]+$/.test(w))) return undefined;
    const content = all.filter((w) => !isStopWord(w));
    const required = content.length ? content : all;
    if (required.length > 8) return undefined;
    const located: Located[] = [];
    let budget = MAX_PREVIEW_CANDIDATES;
    for (const lib of this.libraries) {
      const ids = lib.candidates(required, budget);
      if (!ids) return undefined;
      budget -= ids.length;
      for (const i of ids) {
        const entry = lib.entry(i);
        if (entry && isCitable(entry)) located.push({ entry, uri: lib.uri });
      }
    }
    // Prefixes only: where no entry matches, the index would try typos among all entries.
    const search = CitationSearch.of(located);
    const found = search.search(query, limit, false, typedStopWord(query) !== undefined);
    return found.total > 0 ? found.hits : undefined;
  }

  /** The first citable entries in scope order (an empty query), when the preview is sure of each. */
  private first(limit: number): SearchHit[] | undefined {
    const hits: SearchHit[] = [];
    for (const lib of this.libraries) {
      const q = lib.quick!;
      for (let i = 0; i < q.starts.length && hits.length < limit; i++) {
        // An item the quick pass does not list may come first.
        if (q.extras.length && q.extras[0] < q.starts[i]) return undefined;
        const entry = lib.entry(i);
        if (!entry) return undefined;
        if (isCitable(entry)) hits.push({ record: searchRecord(entry, lib.uri), score: 0 });
      }
      if (hits.length >= limit) break;
      if (q.extras.length) return undefined;
    }
    return hits;
  }
}

/**
 * The libraries read and not yet parsed (`BibliographyStore.onRead`), for completion to answer from their
 * preview meanwhile. A library is forgotten once its parse is done or it changes.
 */
export class LibraryPreviews {
  private readonly read = new Map<string, LibraryPreview>();
  private waiting: (() => void)[] = [];

  /** The text of `uri` was read for a full parse. */
  add(uri: string, text: string): LibraryPreview {
    const preview = new LibraryPreview(uri, text);
    this.read.set(uri, preview);
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
    return preview;
  }

  /** Forgets `uri`'s preview (only `preview`, when given: a later read may have replaced it). */
  forget(uri: string, preview?: LibraryPreview): void {
    if (!preview || this.read.get(uri) === preview) this.read.delete(uri);
  }

  /** The previews of `uris` as soon as each is read, or undefined when `done` settles first (the index is there). */
  whenRead(uris: readonly string[], done: Promise<unknown>): Promise<ScopePreview | undefined> {
    return new Promise((resolve) => {
      let settled = false;
      const check = () => {
        if (settled) return;
        const libraries = uris.map((u) => this.read.get(u));
        if (libraries.every((l) => l !== undefined)) {
          settled = true;
          resolve(new ScopePreview(libraries as LibraryPreview[]));
        } else this.waiting.push(check);
      };
      done.then(
        () => {
          settled = true;
          resolve(undefined);
        },
        () => {
          settled = true;
          resolve(undefined);
        },
      );
      check();
    });
  }
}
