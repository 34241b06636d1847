/**
 * Incremental re-parse of a `.bib` file: when one entry of a 50,000-entry library changes, only
 * the entries around the change are scanned again; the others are kept, their offsets shifted.
 *
 * The result must be exactly what a full parse of the new text gives, so the re-parse gives up
 * (returns undefined, and the caller parses the whole file) whenever the scan of the changed
 * region could depend on, or change, the reading of the rest of the file:
 *  - an `@string`, `@preamble` or `@comment` in the region, before or after the change (macros,
 *    and comments that may hold whole entries), or an `@comment` the file never closes;
 *  - `crossref`/`xdata` on an entry of the region, or a region entry that another entry names
 *    as its parent (inheritance copies fields between entries);
 *  - macro expansion near its budget, or other macros than the previous parse had.
 *
 * Why the rest is safe: the scanner is a left-to-right pass whose only state between items is the
 * macros, the unclosed-comment flag and the macro budget. The region starts where the scan left
 * the last entry before the change (`next`; earlier when that entry was not closed, since its scan
 * looked ahead) and ends at the first entry after the change that starts a line of its own: a
 * value that never closes stops at such a line, so the scan of the region cannot run past it.
 */
import type { BibEntry, BibFile, ParseError, ParseResult } from '../../model';
import { LineIndex } from '../../text';
import { drain, eachPaced, ITEMS_PER_STEP, type Steps } from '../../pacing';
import { BibSource, BibtexEntry, scanError, type BibtexState } from './bibtex';
import { scanBibtex, type ScanError, type ScanResult, type SpecialItem } from './bibtexScanner';

export interface Reparse {
  result: ParseResult<BibFile>;
  state: BibtexState;
  /** Entries of the previous parse that are gone, and the new ones in their place. */
  removed: BibtexEntry[];
  added: BibtexEntry[];
  /** Where the text changed: `[start, oldEnd)` of the previous text is `[start, newEnd)` of the new one. */
  edit: { start: number; oldEnd: number; newEnd: number };
}

/** Why a re-parse does not apply: the whole file must be parsed. */
export interface FullParse {
  fullParse: string;
}

/** The new parse of `text`, reusing `previous` outside the changed region; or why a full parse is needed. */
export function reparseBibtex(previous: BibtexState, text: string, external?: Record<string, string>): Reparse | FullParse {
  return drain(reparseBibtexSteps(previous, text, external));
}

/**
 * `reparseBibtex`, pausing (`pacing.ts`) while it compares the texts and prepares the new parse; the previous
 * parse is read, never changed, until the last step moves its entries to the new text at once.
 */
export function* reparseBibtexSteps(previous: BibtexState, text: string, external?: Record<string, string>): Steps<Reparse | FullParse> {
  const old = previous.text;
  if (external !== previous.external) return { fullParse: 'macros from other files changed' };
  if (previous.macroBudgetSpent) return { fullParse: 'macro expansion ran out of budget' };
  if (previous.errorsDropped) return { fullParse: 'the file has more problems than a parse keeps' };
  if (previous.scanErrors.some((e) => e.message.startsWith("Unclosed '@comment'"))) return { fullParse: "an '@comment' is not closed" };
  const start = yield* commonPrefixSteps(old, text);
  const changeEnd = old.length - (yield* commonSuffixSteps(old, text, start)); // the change is old[start, changeEnd)
  const delta = text.length - old.length;
  const entries = previous.entries;

  // The first entry whose scan reached the change, or looked ahead into it (an entry not closed).
  let first = firstIndex(entries, (e) => e.next >= start);
  while (first > 0 && !entries[first - 1].closed) first--;
  let from = first > 0 ? entries[first - 1].next : 0;
  let errorsFrom = first > 0 ? entries[first - 1].errorsAfter : 0;
  // Or the `@string`... between that entry and the change, when it is closed (macros at the top of a file),
  // and no entry to read again comes before it.
  const special = previous.specials[firstIndex(previous.specials, (s) => s.end >= start) - 1];
  if (special?.closed && special.end > from && (first === entries.length || special.end <= entries[first].start)) {
    from = special.end;
    errorsFrom = special.errorsAfter;
  }
  // The first item (entry or `@string`...) after the change on a line of its own: from its line on, the text is unchanged.
  const nextEntry = nextOwnLine(old, entries, changeEnd);
  const nextSpecial = nextOwnLine(old, previous.specials, changeEnd);
  const to = Math.min(nextEntry, nextSpecial);
  const after = firstIndex(entries, (e) => e.start >= to);

  if (previous.specials.some((s) => s.start < to && s.end > from)) return { fullParse: "an '@string', '@preamble' or '@comment' is near the change" };
  const removed = entries.slice(first, after);
  if (removed.some((e) => e.crossref || e.xdata)) return { fullParse: 'an entry with crossref or xdata changed' };

  const strings = new Map<string, string>();
  for (const d of previous.definitions) {
    if (d.at >= from) break;
    strings.set(d.name, d.value);
  }
  const scan = scanBibtex(text, external, { from, to: to + delta, strings });
  if (scan.specials.length > 0) return { fullParse: "the change has an '@string', '@preamble' or '@comment'" };
  if (scan.stoppedAt > to + delta) return { fullParse: 'the changed entries run into the next ones' };
  if (scan.macroBudgetSpent || previous.macroChars + scan.macroChars > 4 * text.length + 4_000_000) return { fullParse: 'macro expansion is near its budget' };

  yield;
  const before = previous.source.builtLines;
  const source = new BibSource(text, before && LineIndex.afterEdit(before, text, start, changeEnd, changeEnd + delta));
  yield;
  const added = scan.entries.map((e) => new BibtexEntry(e, source));
  if (added.some((e) => e.crossref || e.xdata)) return { fullParse: 'a changed entry has crossref or xdata' };
  const parents = yield* parentKeys(entries);
  if (removed.some((e) => parents.has(e.key)) || added.some((e) => parents.has(e.key))) return { fullParse: 'a changed entry is a crossref or xdata parent' };

  // Errors: those the scan reported before the region, the region's, and those after it (shifted).
  // How many errors the scan had reported on reaching `to`: those from `to` on are kept.
  const errorsTo =
    to === old.length ? previous.scanErrors.length
    : to === nextEntry ? entries[after].errorsBefore
    : previous.specials[firstIndex(previous.specials, (x) => x.start >= to)].errorsBefore;
  const shift = (e: ScanError): ScanError => ({ ...e, start: e.start + delta, end: e.end + delta });
  const laterErrors = previous.scanErrors.slice(errorsTo).map(shift);
  const scanErrors = [...previous.scanErrors.slice(0, errorsFrom), ...scan.errors, ...laterErrors];
  const errors = previous.errors.slice(0, errorsFrom);
  for (const e of [...scan.errors, ...laterErrors]) {
    errors.push(scanError(e, source.lines));
    if (errors.length % ITEMS_PER_STEP === 0) yield;
  }
  yield;

  // Commit: nothing above changed the previous parse; from here on its entries move to the new text, each at once
  // (its text and its offsets together: a request answered between two steps reads every entry whole).
  for (const e of removed) e.detach();
  for (const e of added) {
    e.ownStrings();
    e.errorsBefore += errorsFrom;
    e.errorsAfter += errorsFrom;
  }
  const errorShift = errorsFrom + scan.errors.length - errorsTo;
  for (let i = 0; i < first; i++) {
    entries[i].source = source;
    if (i % MOVED_PER_STEP === MOVED_PER_STEP - 1) yield;
  }
  for (let i = after; i < entries.length; i++) {
    const e = entries[i];
    e.source = source;
    e.start += delta;
    e.end += delta;
    e.keyStart += delta;
    e.keyEnd += delta;
    e.next += delta;
    e.errorsBefore += errorShift;
    e.errorsAfter += errorShift;
    if (i % MOVED_PER_STEP === MOVED_PER_STEP - 1) yield;
  }
  const newEntries = entries.slice(0, first).concat(added, entries.slice(after));
  // The region has no `@string`... (see above): those after it move with the text.
  const specials = previous.specials.map((x) =>
    x.start >= to ? { ...x, start: x.start + delta, end: x.end + delta, errorsBefore: x.errorsBefore + errorShift, errorsAfter: x.errorsAfter + errorShift } : x,
  );
  const definitions = previous.definitions.map((d) => (d.at >= to ? { ...d, at: d.at + delta } : d));
  const state: BibtexState = {
    ...previous,
    text,
    source,
    entries: newEntries,
    scanErrors,
    errors,
    specials,
    definitions,
    macroChars: previous.macroChars + scan.macroChars,
  };
  const edit = { start, oldEnd: changeEnd, newEnd: changeEnd + delta };
  return { result: { value: { format: 'bibtex', entries: newEntries as BibEntry[], strings: previous.strings }, errors }, state, removed, added, edit };
}

/** Keys that some entry names in `crossref` or `xdata`. */
function* parentKeys(entries: readonly BibtexEntry[]): Steps<Set<string>> {
  const keys = new Set<string>();
  yield* eachPaced(entries, (e) => {
    if (e.crossref) keys.add(e.crossref);
    if (e.xdata) for (const k of e.xdata) keys.add(k);
  });
  return keys;
}

/** The first index where `test` holds (it is false, then true, along the list), or the length. */
function firstIndex<T>(list: readonly T[], test: (x: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(list[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The start of the first item after `changeEnd` that `startsOwnLine`, or the text's length. */
function nextOwnLine(text: string, items: readonly { start: number }[], changeEnd: number): number {
  for (let i = firstIndex(items, (x) => x.start > changeEnd); i < items.length; i++) {
    if (startsOwnLine(text, items[i].start, changeEnd)) return items[i].start;
  }
  return text.length;
}

/**
 * Whether the `@` at `at` starts an entry line (`@type{` after spaces only) whose line break
 * before it lies after `changeEnd`: the whole line is in the unchanged end of the text.
 */
function startsOwnLine(text: string, at: number, changeEnd: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (i < 0 || text.charCodeAt(i) !== 10 || i < changeEnd) return false;
  return /^@[a-zA-Z]+[ \t]*[{(]/.test(text.slice(at, at + 64));
}

/** Entries moved to the new text between two places where the commit may pause. */
const MOVED_PER_STEP = 4096;

const CHUNK = 1 << 14;
/** Chunks compared between two places where the comparison may pause (a million characters). */
const CHUNKS_PER_STEP = 64;

/** Length of the common prefix of `a` and `b` (whole chunks compared at once: a 25 MB file in milliseconds). */
export function commonPrefix(a: string, b: string): number {
  return drain(commonPrefixSteps(a, b));
}

function* commonPrefixSteps(a: string, b: string): Steps<number> {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (let k = 1; i + CHUNK <= n && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK); k++) {
    i += CHUNK;
    if (k % CHUNKS_PER_STEP === 0) yield;
  }
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix of `a` and `b`, not reaching into their first `prefix` characters. */
export function commonSuffix(a: string, b: string, prefix: number): number {
  return drain(commonSuffixSteps(a, b, prefix));
}

function* commonSuffixSteps(a: string, b: string, prefix: number): Steps<number> {
  const n = Math.min(a.length, b.length) - prefix;
  let i = 0;
  for (let k = 1; i + CHUNK <= n && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i); k++) {
    i += CHUNK;
    if (k % CHUNKS_PER_STEP === 0) yield;
  }
  while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}
