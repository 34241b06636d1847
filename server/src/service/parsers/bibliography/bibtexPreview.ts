/**
 * The quick pass over a BibTeX file (issue 17): where each entry is, at `indexOf` speed, before the
 * full parse (`bibtex.ts`) has read the file. It reads no field: an entry's text is parsed by the real
 * parser only when it is asked for (`previewEntry`), and kept only when that parse is certainly the one
 * the full parse makes of it. Completion answers from this while the full parse runs (`index/libraryPreview.ts`).
 *
 * Why an entry's own text is enough: the scanner starts an item at every line that starts with `@type{`
 * or `@type(` (its values stop there, `bibtexLexer.ts`), except inside an `@comment{...}`, whose balanced
 * delimiters it skips; so an entry line starts an entry, and the entry ends before the next entry line.
 * What could make the full parse read otherwise is found here and reported: an `@` elsewhere that the
 * scanner may read as an item (`extras`: entries the preview does not have), or as an `@comment` that
 * may hide entry lines (then there is no preview at all).
 */
import { parseBibtex, type BibtexEntry } from './bibtex';
import { cls, KEY_STOP, NAME_STOP, WS } from './bibtexLexer';
import { nextItemAt } from './bibtexScanner';

export interface BibtexPreview {
  /** Offset of each entry's `@`, in file order. */
  starts: number[];
  /** Where the text read for each entry ends: the next item's `@`, or the end of the file. */
  ends: number[];
  /** Offsets of `@`s outside any clean item that the scanner reads as items the preview does not list. */
  extras: number[];
  /** Each `@string` item on an entry line: where it starts and where the text read for it ends. */
  strings: [start: number, end: number][];
}

/** An entry line's `@`: spaces or tabs before it on its line; letters, spaces or tabs, then `{` or `(` after it. Its type when it is six to eight letters long (`comment`, `string`, `preamble`). */
function entryLineType(text: string, at: number): { type: string; open: number } | undefined {
  let j = at - 1;
  while (j >= 0 && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j--;
  if (!(j < 0 || text.charCodeAt(j) === 10 || (j === 0 && text.charCodeAt(0) === 0xfeff))) return undefined;
  let k = at + 1;
  while (isLetter(text.charCodeAt(k))) k++;
  if (k === at + 1) return undefined;
  // Only the types that are no entries matter here: the rest are not copied out.
  const type = k - at - 1 >= 6 && k - at - 1 <= 8 ? text.slice(at + 1, k).toLowerCase() : '';
  while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
  const c = text.charCodeAt(k);
  return c === 123 || c === 40 ? { type, open: k } : undefined;
}

function isLetter(c: number): boolean {
  return (c | 32) >= 97 && (c | 32) <= 122;
}

/** Characters that end a type name, as the scanner reads one. */
function endsName(c: number): boolean {
  return c < 128 && (cls[c] & NAME_STOP) !== 0;
}

/** Whether the scanner, reaching the `@` at `at`, would read an item there; its type (lower case) if so. */
function itemTypeAt(text: string, at: number): string | undefined {
  let p = skipFill(text, at + 1);
  const typeStart = p;
  while (p < text.length && !endsName(text.charCodeAt(p))) p++;
  if (p === typeStart) return undefined;
  const type = text.slice(typeStart, p).toLowerCase();
  p = skipFill(text, p);
  const c = text.charCodeAt(p);
  return c === 123 || c === 40 ? type : undefined;
}

/** Whitespace and `%` comments, as the scanner skips them between tokens. */
function skipFill(text: string, p: number): number {
  for (;;) {
    while (p < text.length && text.charCodeAt(p) < 128 && (cls[text.charCodeAt(p)] & WS) !== 0) p++;
    if (text.charCodeAt(p) !== 37) return p;
    const eol = text.indexOf('\n', p);
    p = eol < 0 ? text.length : eol;
  }
}

/**
 * The entries of a BibTeX text, or undefined when the full parse may read it in a way the quick pass
 * cannot follow (an `@comment` or `@string` that is not on an entry line, outside any clean item).
 */
export function previewBibtex(text: string): BibtexPreview | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  /** Every item on an entry line (entries, `@string`, `@comment`...), in order. */
  const items: number[] = [];
  const suspects: number[] = [];
  const stringItems: number[] = [];
  let commentsUnclosed = false;
  let i = text.indexOf('@');
  while (i >= 0) {
    const line = entryLineType(text, i);
    if (!line) {
      if (itemTypeAt(text, i) !== undefined) suspects.push(i);
      i = text.indexOf('@', i + 1);
      continue;
    }
    items.push(i);
    if (line.type === 'comment' && !commentsUnclosed) {
      // As the scanner: its balanced delimiters are skipped, entry lines and all.
      const end = balancedEnd(text, line.open);
      if (end < 0) commentsUnclosed = true;
      i = text.indexOf('@', end < 0 ? line.open + 1 : end);
      continue;
    }
    if (line.type === 'string') stringItems.push(i);
    else if (line.type !== 'comment' && line.type !== 'preamble') starts.push(i);
    i = text.indexOf('@', i + 1);
  }
  items.push(text.length);
  const extras: number[] = [];
  for (const at of suspects) {
    const k = itemBefore(items, at);
    const whole = k >= 0 ? cleanItem(text, items[k], items[k + 1]) : undefined;
    if (whole && at < whole.end) continue; // in a value
    const type = itemTypeAt(text, at)!;
    // Right after a clean item (`@newspaper_article{` of a Mendeley export), the scanner reads it as the next item.
    const before = whole ?? (k >= 0 ? cleanItem(text, items[k], at) : undefined);
    const after = before ? before.end : k < 0 ? 0 : -1;
    if (after >= 0 && nextItemAt(text, after) === at) {
      if (type === 'comment') return undefined;
      items.splice(k + 1, 0, at);
      if (type === 'string') stringItems.push(at);
      else if (type !== 'preamble') starts.push(at);
      continue;
    }
    // An `@comment` it cannot place may hide entry lines; an `@string`, define a macro (`jan`...) the entries use.
    if (type === 'comment' || type === 'string') return undefined;
    extras.push(at);
  }
  starts.sort((a, b) => a - b);
  stringItems.sort((a, b) => a - b);
  for (let k = 0, s = 0; k < starts.length; k++) {
    while (items[s] <= starts[k]) s++;
    ends.push(items[s]);
  }
  const strings: [number, number][] = [];
  for (let k = 0, s = 0; k < stringItems.length; k++) {
    while (items[s] <= stringItems[k]) s++;
    strings.push([stringItems[k], items[s]]);
  }
  return { starts, ends, extras, strings };
}

/** The index of the last item at or before `at`, or -1. */
function itemBefore(items: readonly number[], at: number): number {
  let lo = 0;
  let hi = items.length - 1;
  if (items[0] > at) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (items[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** From an opening `{` or `(`, the offset after its balanced closing delimiter, or -1 (the scanner's `@comment`). */
function balancedEnd(text: string, open: number): number {
  const o = text.charCodeAt(open);
  const close = o === 123 ? 125 : 41;
  let depth = 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === close && --depth === 0) return i + 1;
    if (c === o) depth++;
  }
  return -1;
}

/** The item at `start` read up to `end` by the real parser, when it reads one item there with no problem: where it ends. */
function cleanItem(text: string, start: number, end: number): { end: number } | undefined {
  const parsed = parseBibtex(text.slice(start, end));
  if (parsed.errors.length > 0 || !parsed.state) return undefined;
  const { entries, specials } = parsed.state;
  if (entries.length === 1 && specials.length === 0) return { end: start + entries[0].end };
  if (entries.length === 0 && specials.length === 1) return { end: start + specials[0].end };
  return undefined;
}

/**
 * The macros the `@string` items define, in file order (`at`: the offset of the item), or undefined when one
 * of them is not read cleanly (the full parse may then read the rest otherwise).
 */
export function previewMacros(text: string, strings: BibtexPreview['strings']): { at: number; name: string; value: string }[] | undefined {
  // Read as one text, in order (a value may use the macros before it: `@string{b = a # "x"}`), each item on its own line.
  const offsets: number[] = [];
  let joined = '';
  for (const [start, end] of strings) {
    offsets.push(joined.length);
    joined += `${text.slice(start, end)}\n`;
  }
  const parsed = parseBibtex(joined);
  if (parsed.errors.length > 0 || !parsed.state || parsed.state.entries.length > 0) return undefined;
  let k = 0;
  return parsed.state.definitions.map((d) => {
    while (k + 1 < offsets.length && offsets[k + 1] <= d.at) k++;
    return { at: strings[k][0], name: d.name, value: d.value };
  });
}

/**
 * The entry that starts at `start` and is read up to `end`, parsed by the real parser with the macros defined
 * before it, when that parse is the full parse's: one entry, closed, no problem. Undefined otherwise. A macro the file does not define before the entry is one
 * problem the full parse has too (kept as written), unless an earlier file of the scope defines it:
 * `unknownMacros` says whether such entries are taken. An entry with a `crossref` or `xdata` parent is
 * returned as written: the caller gives it its parents' fields.
 */
export function previewEntry(text: string, start: number, end: number, macros: Record<string, string> | undefined, unknownMacros: boolean): BibtexEntry | undefined {
  const parsed = parseBibtex(text.slice(start, end), macros ? { strings: macros } : undefined);
  const state = parsed.state;
  if (!state || state.entries.length !== 1 || state.specials.length > 0) return undefined;
  if (!parsed.errors.every((e) => unknownMacros && e.severity === 'warning' && e.message.startsWith('Unknown macro '))) return undefined;
  return state.entries[0].closed ? state.entries[0] : undefined;
}

/** The key of the entry whose `@` is at `start`, as the scanner reads it (undefined: the scanner reads no key there). */
export function previewKey(text: string, start: number): string | undefined {
  // `@`, the type, its `{` or `(`: as `itemTypeAt` reads them.
  let p = skipFill(text, start + 1);
  while (p < text.length && !endsName(text.charCodeAt(p))) p++;
  p = skipFill(text, p);
  const close = text.charCodeAt(p) === 123 ? 125 : 41;
  p = skipFill(text, p + 1);
  if (text.charCodeAt(p) === 64) return undefined;
  const keyStart = p;
  for (; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === close || (c < 128 && (cls[c] & KEY_STOP) !== 0)) break;
  }
  const key = text.slice(keyStart, p);
  return key === '' || text.charCodeAt(skipFill(text, p)) === 61 ? undefined : key;
}
