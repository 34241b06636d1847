/**
 * Mangled text (mojibake): UTF-8 text once decoded with the wrong code page and saved again, as
 * writers paste it from web pages, PDFs, old Word files and Zotero imports ("Ã©" for "é", "â€™"
 * for "’", "Russiaโs" for "Russia’s"). Each damaged run is found with the code page that made it
 * and, where its bytes survived, repaired by reading them back as UTF-8 (again, for text damaged
 * twice). Learnt from the design of Python's ftfy (a run is repaired only when the bytes it stands for
 * are valid UTF-8 and the result is text a writer would type), not from its code.
 *
 * What counts, in order of confidence:
 * - Windows-1252 / Latin-1: a lead character (Â Ã ... â ã ... ð) and the continuation characters
 *   UTF-8 requires, decoding to a plausible character; C1 control characters count as Latin-1 bytes.
 * - Windows-1251 and KOI8-R (Cyrillic decoded with a Cyrillic code page): two letters or more in a row,
 *   since "Р»" or "С–" may be real Russian text before a guillemet or a dash.
 * - Windows-874 (Thai) with the bytes after the lead lost, as in the panel abstracts this project started
 *   from: "โ" where no Thai letter stands beside it was a ’ “ ” — or –, told apart by its neighbours.
 * - A C1 control character alone (U+0080-U+009F): Windows-1252 text decoded as Latin-1.
 * Correct text in any language is never a run: every rule needs characters that real text does not
 * put together (tested on French, German, Polish, Turkish, Russian, Ukrainian and Thai text and on the
 * real bibliographies of `test/fixtures`).
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { Range } from './model';
import { LineIndex } from './text';
import { drain, ITEMS_PER_STEP, type Steps } from './pacing';

export type MojibakeCause = 'windows-1252' | 'windows-1251' | 'koi8-r' | 'windows-874' | 'c1';

export interface MojibakeRun {
  start: number;
  end: number;
  /** The text the run stood for, when it can be told. */
  repair?: string;
  cause: MojibakeCause;
  /** Whether the text was damaged twice (decoded wrongly, encoded and decoded wrongly again). */
  twice?: boolean;
}

/** What a diagnostic's `data` holds: the quick fix replaces the range's text (still `damaged`) with `repair`. */
export interface MojibakeData {
  damaged: string;
  repair?: string;
}

const source = 'entente';

/** Windows-1252's characters for bytes 0x80-0x9F (undefined bytes: the C1 control, as browsers decode them). */
const cp1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
/** Windows-1251's characters for bytes 0x80-0xBF. */
const cp1251High = 'ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—\u0098™љ›њќћџ\u00a0ЎўЈ¤Ґ¦§Ё©Є«¬\u00ad®Ї°±Ііґµ¶·ё№є»јЅѕї';
/** KOI8-R's characters for bytes 0x80-0xBF (box drawing and a few others). */
const koi8High = '─│┌┐└┘├┤┬┴┼▀▄█▌▐░▒▓⌠■∙√≈≤≥\u00a0⌡°²·÷═║╒ё╓╔╕╖╗╘╙╚╛╜╝╞╟╠╡Ё╢╣╤╥╦╧╨╩╪╫╬©';
/** KOI8-R's letters for bytes 0xC0-0xFF. */
const koi8Letters = 'юабцдефгхийклмнопярстужвьызшэщчЪЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧ';

/** A code page's characters (by char code) -> the bytes they stand for. */
type ByteMap = Map<number, number>;

function byteMap(high: string, from: number, rest?: (code: number) => number | undefined): ByteMap {
  const map: ByteMap = new Map();
  for (let i = 0; i < high.length; i++) map.set(high.charCodeAt(i), from + i);
  if (rest) {
    for (let code = 0xa0; code <= 0xff; code++) {
      const b = rest(code);
      if (b !== undefined && !map.has(code)) map.set(code, b);
    }
  }
  return map;
}

/** Windows-1252 bytes, and Latin-1 for the C1 controls (text decoded as Latin-1 keeps them). */
const cp1252Bytes = (() => {
  const map = byteMap(cp1252High, 0x80, (code) => code);
  for (let b = 0x80; b <= 0x9f; b++) if (!map.has(b)) map.set(b, b);
  return map;
})();
const cp1251Bytes = (() => {
  const map = byteMap(cp1251High, 0x80);
  for (let i = 0; i < 64; i++) map.set(0x410 + i, 0xc0 + i); // А-я
  return map;
})();
const koi8Bytes = (() => {
  const map = byteMap(koi8High, 0x80);
  for (let i = 0; i < koi8Letters.length; i++) map.set(koi8Letters.charCodeAt(i), 0xc0 + i);
  return map;
})();

/** A byte lost in decoding (U+FFFD where a continuation character should be). */
const LOST = 0x100;

/** The code point UTF-8 bytes `bytes[at...]` encode, and how many bytes: undefined when not one valid character. */
function utf8At(bytes: readonly number[], at: number): { code: number; length: number } | undefined {
  const b0 = bytes[at];
  let length: number;
  let code: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) [length, code] = [2, b0 & 0x1f];
  else if (b0 >= 0xe0 && b0 <= 0xef) [length, code] = [3, b0 & 0x0f];
  else if (b0 >= 0xf0 && b0 <= 0xf4) [length, code] = [4, b0 & 0x07];
  else return undefined;
  if (at + length > bytes.length) return undefined;
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i];
    if (b < 0x80 || b > 0xbf) return undefined;
    code = (code << 6) | (b & 0x3f);
  }
  const min = [0, 0, 0x80, 0x800, 0x10000][length];
  if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return undefined;
  return { code, length };
}

/**
 * Characters a repaired run may hold: letters of the scripts writers in this field quote, the punctuation
 * and symbols of running text. Anything else (IPA, Syriac, NKo, rare Latin...) means the "run" was real text.
 */
function plausible(code: number): boolean {
  return (
    (code >= 0xa0 && code <= 0x17f) || // Latin-1 letters and symbols, Latin Extended-A (Polish, Czech, Turkish...)
    (code >= 0x218 && code <= 0x21b) || // Romanian ș ț
    (code >= 0x300 && code <= 0x36f) || // combining accents (decomposed text)
    (code >= 0x386 && code <= 0x3ce) || // Greek
    (code >= 0x401 && code <= 0x45f) || code === 0x490 || code === 0x491 || // Cyrillic (Russian, Ukrainian, Belarusian, Serbian)
    (code >= 0x5d0 && code <= 0x5ea) || // Hebrew
    (code >= 0x621 && code <= 0x64a) || // Arabic
    (code >= 0xe01 && code <= 0xe5b) || // Thai
    (code >= 0x2010 && code <= 0x2027) || // dashes, quotes, bullets, ellipsis
    (code >= 0x2030 && code <= 0x203a) || // per mille, primes, single guillemets
    code === 0x20ac || code === 0x2122 || code === 0x2116 || // € ™ №
    (code >= 0x3000 && code <= 0x30ff) || // CJK punctuation, kana
    (code >= 0x4e00 && code <= 0x9fff) || // CJK ideographs
    (code >= 0xac00 && code <= 0xd7a3) // Hangul
  );
}

/** Latin letters, Latin-1 symbols and the punctuation and symbols of running text (what a lone repaired character may be). */
const isLatinOrPunctuation = (code: number) => code <= 0x24f || (code >= 0x2000 && code <= 0x214f);

const isCyrillic = (code: number) => (code >= 0x401 && code <= 0x45f) || code === 0x490 || code === 0x491;

/**
 * The run a code page made of UTF-8 at `i`, ending by `to`: as many characters in a row as stand for bytes that
 * decode as UTF-8 to plausible characters (at least `minLetters`, then all Cyrillic), with the repaired text.
 */
function codePageRun(text: string, i: number, to: number, bytes: ByteMap, cause: MojibakeCause, minLetters: number): MojibakeRun | undefined {
  let j = i;
  let repaired = '';
  let letters = 0;
  let cyrillic = 0;
  let foreign = 0;
  let unknown = false;
  const seq: number[] = [];
  for (;;) {
    const b = bytes.get(text.charCodeAt(j));
    if (b === undefined || b < 0xc2 || b > 0xf4) break;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    if (j + need > to) break;
    seq.length = 0;
    for (let k = 0; k < need; k++) seq.push(bytes.get(text.charCodeAt(j + k)) ?? (text.charCodeAt(j + k) === 0xfffd ? LOST : -1));
    const lost = seq.indexOf(LOST);
    if (lost > 0 && cause === 'windows-1252' && !seq.includes(-1)) {
      // A byte Windows-1252 lacks became U+FFFD ("Å�" for "Ł"): the character cannot be told, except that
      // E2 80 then a lost byte is nearly always ” (9D; the others are rare spaces and marks). A character
      // that cannot be told is a run of its own.
      const quote = seq[0] === 0xe2 && seq[1] === 0x80 && lost === 2;
      if (!quote && letters > 0) break;
      unknown = !quote;
      repaired += '”';
      letters++;
      j += need;
      if (unknown) break;
      continue;
    }
    const decoded = utf8At(seq, 0);
    if (!decoded || !plausible(decoded.code)) break;
    letters++;
    if (isCyrillic(decoded.code)) cyrillic++;
    if (!isLatinOrPunctuation(decoded.code)) foreign++;
    repaired += String.fromCodePoint(decoded.code);
    j += need;
  }
  if (letters === 0 || (minLetters > 1 && (letters < minLetters || cyrillic < minLetters))) return undefined;
  // One letter of another script alone is no evidence: "×" and a no-break space (D7 A0) read as UTF-8 are the
  // Hebrew "נ", and "2 × 2" is correct text. Another script counts from two of its letters in a row.
  if (letters === 1 && foreign === 1) return undefined;
  return { start: i, end: j, repair: unknown ? undefined : repaired, cause };
}

const thaiLetter = (c: string | undefined) => !!c && c >= '\u0e01' && c <= '\u0e5b';
const letter = (c: string | undefined) => !!c && /\p{L}/u.test(c);
const digit = (c: string | undefined) => !!c && c >= '0' && c <= '9';
/** What may follow an apostrophe in English: Russia’s, don’t, we’re, I’m, they’ll, we’ve, I’d. */
const contraction = /^(?:s|t|re|m|ll|ve|d)(?![\p{L}\p{N}])/iu;

/**
 * "โ" (U+0E42) at `i` where it is no Thai vowel sign: UTF-8 ’ “ ” – — all start with byte E2, which Windows-874
 * reads as "โ"; the two bytes after it are lost (or read as "€" and a character Windows-874 lacks).
 * Which mark it was shows in its neighbours: a letter before and "s" after is ’, at a word's start “,
 * at its end ”, between two words —, between two numbers –.
 */
function thaiRun(text: string, i: number): MojibakeRun | undefined {
  let end = i + 1;
  if (text[end] === '€') end++;
  if (text[end] === '\ufffd') end++;
  const before = text[i - 1];
  const after = text[end];
  // A real Thai vowel sign stands before a Thai consonant (and usually after Thai text).
  if (thaiLetter(after) || thaiLetter(before)) return undefined;
  let repair: string | undefined;
  if (digit(before) && digit(after)) repair = '–';
  else if (letter(before) && contraction.test(text.slice(end, end + 3))) repair = '’';
  else if (letter(before) && letter(after)) repair = '—';
  else if ((before === undefined || /[\s([{'"“‘]/.test(before)) && (letter(after) || digit(after))) {
    // An opening quotation mark is closed later in its paragraph; with no "โ" to close it, it may as well have been a dash.
    if (pairedWithin(text, end, 1)) repair = '“';
  } else if ((letter(before) || digit(before) || /[.,!?;:)\]]/.test(before ?? '')) && (after === undefined || /[\s.,;:!?)\]}'"]/.test(after))) {
    if (pairedWithin(text, i, -1)) repair = '”';
  }
  else if (/\s/.test(before ?? '') && /\s/.test(after ?? '')) repair = '—';
  return { start: i, end, repair, cause: 'windows-874' };
}

/** Whether another "โ" stands within 400 characters of `from` in that direction, in the same paragraph. */
function pairedWithin(text: string, from: number, direction: 1 | -1): boolean {
  const window = direction === 1 ? text.slice(from, from + 400) : text.slice(Math.max(0, from - 400), from);
  const paragraph = direction === 1 ? window.split(/\n\s*\n/)[0] : window.split(/\n\s*\n/).at(-1)!;
  return paragraph.includes('\u0e42');
}

/** A C1 control character at `i`: Windows-1252 punctuation decoded as Latin-1 (U+0092 for ’). */
function c1Run(text: string, i: number): MojibakeRun | undefined {
  const code = text.charCodeAt(i);
  if (code < 0x80 || code > 0x9f) return undefined;
  const meant = cp1252High[code - 0x80];
  return { start: i, end: i + 1, repair: meant.charCodeAt(0) >= 0xa0 ? meant : undefined, cause: 'c1' };
}

/** The characters that stand for a UTF-8 continuation byte (80-BF) in any of the code pages: a run's second character. */
const continuations = new Set([cp1252Bytes, cp1251Bytes, koi8Bytes].flatMap((bytes) => [...bytes].filter(([, b]) => b >= 0x80 && b <= 0xbf).map(([c]) => c)));

/** The damaged runs of a text, in order, never overlapping. At each place the first rule that applies wins. */
export function findMojibake(text: string): MojibakeRun[] {
  return drain(findMojibakeSteps(text));
}

/**
 * `findMojibake`, pausing between stretches of non-ASCII text (`pacing.ts`). With `from` and `to`: the runs of
 * the stretches that start in `[from, to)` (each `from` and `to` outside every stretch, as `findMojibakeAfterEdit` picks them).
 */
export function* findMojibakeSteps(text: string, from = 0, to = text.length): Steps<MojibakeRun[]> {
  const runs: MojibakeRun[] = [];
  const nonAscii = /[^\x00-\x7f]+/g;
  nonAscii.lastIndex = from;
  let n = 0;
  for (let stretch = nonAscii.exec(text); stretch && stretch.index < to; stretch = nonAscii.exec(text)) {
    if (++n % ITEMS_PER_STEP === 0) yield;
    const to = stretch.index + stretch[0].length;
    for (let i = stretch.index; i < to; ) {
      const c = text.charCodeAt(i);
      let run: MojibakeRun | undefined;
      if (c === 0x0e42) run = thaiRun(text, i);
      else if (c >= 0x80 && c <= 0x9f) run = c1Run(text, i);
      else if (i + 1 < to && (continuations.has(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 0xfffd)) {
        const found = codePageRun(text, i, to, cp1252Bytes, 'windows-1252', 1);
        run = (found && again(found)) ?? codePageRun(text, i, to, cp1251Bytes, 'windows-1251', 2) ?? codePageRun(text, i, to, koi8Bytes, 'koi8-r', 2);
      }
      if (run) runs.push(run);
      i = run ? run.end : i + 1;
    }
  }
  return runs;
}

/** A Windows-1252 run whose repair is itself Windows-1252 mojibake ("Ã¢â‚¬â„¢"): repaired once more. */
function again(run: MojibakeRun): MojibakeRun {
  if (run.repair === undefined) return run;
  let repair = run.repair;
  let twice = false;
  for (let round = 0; round < 2; round++) {
    const inner = codePageRun(repair, 0, repair.length, cp1252Bytes, 'windows-1252', 1);
    if (!inner || inner.end !== repair.length) break;
    if (inner.repair === undefined) break;
    repair = inner.repair;
    twice = true;
  }
  return twice ? { ...run, repair, twice } : run;
}

const causes: Record<MojibakeCause, string> = {
  'windows-1252': 'UTF-8 read as Windows-1252',
  'windows-1251': 'UTF-8 read as Windows-1251 (Cyrillic)',
  'koi8-r': 'UTF-8 read as KOI8-R (Cyrillic)',
  'windows-874': 'UTF-8 read as Windows-874 (Thai), the bytes after “โ” lost',
  c1: 'Windows-1252 text read as Latin-1 (a control character)',
};

/** Characters a message shows by name: invisible, or easily mistaken. */
function visible(text: string): string {
  return text.replace(/[\u0080-\u009f\u00a0\u00ad]/g, (c) => (c === '\u00a0' ? '⍽' : `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`));
}

/** A letter or digit of a word around a run (a Thai "โ" is the next run, not part of the word). */
const wordChar = (c: string) => c !== '\u0e42' && /[\p{L}\p{N}]/u.test(c);

/** The word the run is in (a lost quotation mark is clearer as "Russiaโs" than as "โ"), at most 40 characters. */
function wordAround(text: string, start: number, end: number): [number, number] {
  let from = start;
  let to = end;
  while (from > 0 && start - from < 20 && wordChar(text[from - 1])) from--;
  while (to < text.length && to - end < 20 && wordChar(text[to])) to++;
  return [from, to];
}

/** `text[from, to)` with the runs inside it repaired. */
function repairedSlice(text: string, from: number, to: number, runs: readonly MojibakeRun[]): string {
  let out = '';
  let at = from;
  for (const r of runs) {
    if (r.start < from || r.end > to || r.repair === undefined) continue;
    out += text.slice(at, r.start) + r.repair;
    at = r.end;
  }
  return out + text.slice(at, to);
}

/**
 * One sentence: the damage in its word, the likely cause and the repair (⍽ is a no-break space).
 * `runs` are the text's runs (the word is shown with all of its runs repaired).
 */
export function mojibakeMessage(run: MojibakeRun, text: string, runs: readonly MojibakeRun[] = [run]): string {
  let [from, to] = wordAround(text, run.start, run.end);
  // A word's edge may fall inside another run ("â€œNATOâ€™s": "â" is a letter, "€" is not): take all of it.
  for (const r of runs) {
    if (r.start < from && r.end > from) from = r.start;
    if (r.start < to && r.end > to) to = r.end;
  }
  const damaged = visible(text.slice(from, to));
  const cause = run.twice ? `${causes[run.cause]}, twice` : causes[run.cause];
  if (run.repair === undefined) return `Mangled text “${damaged}”: ${cause}; what it stood for cannot be told.`;
  const repaired = visible(repairedSlice(text, from, to, runs));
  const nbsp = /\u00a0/.test(run.repair) ? ' (⍽: a no-break space)' : '';
  return `Mangled text “${damaged}”: ${cause}; probably “${repaired}”${nbsp}.`;
}

/** A damaged run as a diagnostic shows it. */
export interface MojibakeFinding extends MojibakeData {
  range: Range;
  message: string;
}

/** The damaged runs of a text, placed and explained; `lines` is made only when there is one. */
export function mojibakeFindings(text: string, runs: readonly MojibakeRun[], lines?: LineIndex): MojibakeFinding[] {
  if (runs.length === 0) return [];
  const at = lines ?? new LineIndex(text);
  return runs.map((run) => ({ range: at.range(run.start, run.end), message: mojibakeMessage(run, text, runs), damaged: text.slice(run.start, run.end), repair: run.repair }));
}

/** The runs of a text and their findings, one for one. */
export interface MojibakeScan {
  runs: MojibakeRun[];
  findings: MojibakeFinding[];
}

/** How far from a change a run may be found or read differently: a Thai run looks 400 characters around it. */
const EDIT_REACH = 512;
/** How far a message reads around its run (`wordAround`: 20 characters), with room to spare. */
const MESSAGE_REACH = 24;

/**
 * The runs and findings of `text`, which is the previous text with `[start, oldEnd)` replaced by `[start, newEnd)`,
 * exactly as `findMojibake` and `mojibakeFindings` would give them, scanning only around the change: a run depends
 * only on its stretch of non-ASCII text and 400 characters around it, its message on 20 characters around it and the
 * runs crossing them. The runs further away are kept (moved by the change in length), their messages kept when the
 * runs near them were not read again; `lines` is the new text's index.
 */
export function* findMojibakeAfterEditSteps(
  previous: MojibakeScan,
  text: string,
  edit: { start: number; oldEnd: number; newEnd: number },
  lines: LineIndex,
): Steps<MojibakeScan> {
  const delta = edit.newEnd - edit.oldEnd;
  // Read again: the stretches starting in [from, to) of the new text, `from` and `to` outside any stretch.
  let from = Math.max(0, edit.start - EDIT_REACH);
  while (from > 0 && text.charCodeAt(from - 1) > 0x7f) from--;
  let to = Math.min(text.length, edit.newEnd + EDIT_REACH);
  while (to < text.length && text.charCodeAt(to) > 0x7f) to++;
  const old = previous.runs;
  const keptBefore = firstRunAt(old, from);
  const keptAfter = firstRunAt(old, to - delta);
  const found = yield* findMojibakeSteps(text, from, to);
  const runs = old.slice(0, keptBefore).concat(found);
  const findings = previous.findings.slice(0, keptBefore);
  for (let i = keptAfter; i < old.length; i++) {
    const r = old[i];
    runs.push({ ...r, start: r.start + delta, end: r.end + delta });
    if ((i - keptAfter) % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  // Findings: anew for the runs read again and those whose message may read them; the others moved.
  const near = (r: MojibakeRun) => r.end > from - MESSAGE_REACH && r.start < to + MESSAGE_REACH;
  for (let i = keptBefore; i < runs.length; i++) {
    const run = runs[i];
    const kept = i < keptBefore + found.length ? undefined : previous.findings[i - keptBefore - found.length + keptAfter];
    if (kept && !near(run)) findings.push({ ...kept, range: lines.range(run.start, run.end) });
    else findings.push(mojibakeFinding(text, run, runsAround(runs, run), lines));
    if (i % ITEMS_PER_STEP === 0) yield;
  }
  // The kept runs just before the change whose messages may read the runs read again.
  for (let i = keptBefore - 1; i >= 0 && near(runs[i]); i--) findings[i] = mojibakeFinding(text, runs[i], runsAround(runs, runs[i]), lines);
  return { runs, findings };
}

/** The index of the first run of the ordered `runs` that ends after `offset`. */
function firstRunAt(runs: readonly MojibakeRun[], offset: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The runs that may cross the words around `run` (what its message reads of them): runs never overlap, so a few. */
function runsAround(runs: readonly MojibakeRun[], run: MojibakeRun): MojibakeRun[] {
  const out: MojibakeRun[] = [];
  for (let i = firstRunAt(runs, run.start - MESSAGE_REACH); i < runs.length && runs[i].start < run.end + MESSAGE_REACH; i++) out.push(runs[i]);
  return out;
}

function mojibakeFinding(text: string, run: MojibakeRun, runs: readonly MojibakeRun[], lines: LineIndex): MojibakeFinding {
  return { range: lines.range(run.start, run.end), message: mojibakeMessage(run, text, runs), damaged: text.slice(run.start, run.end), repair: run.repair };
}

/** `text.mojibake` warnings. */
export function mojibakeDiagnostics(findings: readonly MojibakeFinding[]): Diagnostic[] {
  return findings.map(({ range, message, damaged, repair }) => {
    const data: MojibakeData = { damaged, repair };
    return { range, severity: DiagnosticSeverity.Warning, code: 'text.mojibake', source, message, data };
  });
}

/** The text with every run that can be repaired, repaired (for tests and the command's preview). */
export function repairMojibake(text: string): string {
  return repairedSlice(text, 0, text.length, findMojibake(text));
}
