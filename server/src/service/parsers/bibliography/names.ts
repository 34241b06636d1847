/**
 * BibTeX name lists (`author`, `editor`...) -> CSL-like names.
 *
 * Works on the raw LaTeX value, because braces decide where names and name parts split
 * (`{Barnes and Noble}` is one name, `{van Gogh}` one part); each part is turned into
 * Unicode only after splitting. Follows BibTeX's rules ("First von Last", "von Last, First",
 * "von Last, Jr, First"; a von part is a run of words starting in lower case) and also reads
 * biblatex's extended form `family=Doe, given=Jane, prefix=van`.
 */
import type { Name } from '../../model';
import { latexToUnicode, letterCommands } from './latexToUnicode';

/** The names of a BibTeX name list. `others` becomes `{ literal: 'others' }` (rendered "et al."). */
export function parseNames(value: string): Name[] {
  const names: Name[] = [];
  for (const part of splitNameList(value)) {
    const name = parseName(part);
    if (name) names.push(name);
  }
  return names;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Splits on ` and ` (any case, any whitespace around it) at brace depth 0; the parts are trimmed. */
export function splitNameList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) depth = Math.max(0, depth - 1);
    else if (depth === 0 && isSpace(c) && i + 4 < value.length && isSpace(value.charCodeAt(i + 4)) &&
      (value.charCodeAt(i + 1) | 32) === 97 && (value.charCodeAt(i + 2) | 32) === 110 && (value.charCodeAt(i + 3) | 32) === 100) {
      parts.push(value.slice(start, i).trim());
      start = i + 4;
      i += 3;
    }
  }
  parts.push(value.slice(start).trim());
  return parts;
}

/** Splits at depth 0 on `sep` (a comma) or, when `sep` is undefined, on whitespace and `~`. */
function splitTop(s: string, sep?: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    if (c === 123) depth++;
    else if (c === 125) depth = Math.max(0, depth - 1);
    else if (c === -1 || (depth === 0 && (sep === undefined ? isSpace(c) || c === 126 : c === sep))) {
      if (sep !== undefined) out.push(s.slice(start, i).trim());
      else if (i > start) out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** Case of the first cased character of `s` (`true`: lower case), or undefined. */
function firstCase(s: string): boolean | undefined {
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower !== upper) return ch === lower;
  }
  return undefined;
}

/**
 * BibTeX's test for a von word: its first letter at brace depth 0 is lower case. A group
 * starting with a command (`{\"u}ber`) counts by the letter it makes; other groups (`{de}`) are skipped.
 */
function isLowerWord(word: string): boolean {
  let i = 0;
  while (i < word.length) {
    const c = word.charCodeAt(i);
    if (c === 123) {
      let depth = 0;
      let j = i;
      for (; j < word.length; j++) {
        const d = word.charCodeAt(j);
        if (d === 123) depth++;
        else if (d === 125 && --depth === 0) break;
      }
      if (word.charCodeAt(i + 1) === 92) {
        const found = firstCase(latexToUnicode(word.slice(i, j + 1)));
        if (found !== undefined) return found;
      }
      i = j + 1;
    } else if (c === 92) {
      let j = i + 1;
      while (j < word.length && ((word.charCodeAt(j) | 32) >= 97 && (word.charCodeAt(j) | 32) <= 122)) j++;
      const name = word.slice(i + 1, j);
      if (letterCommands.has(name)) return firstCase(name) === true; // a letter: `\ss` lower, `\OE` upper
      i = j === i + 1 ? j + 1 : j;
    } else {
      const found = c < 128 ? ((c >= 97 && c <= 122) ? true : (c >= 65 && c <= 90) ? false : undefined) : firstCase(word[i]);
      if (found !== undefined) return found;
      i++;
    }
  }
  return false;
}

/** `{North Atlantic Treaty Organization}`: one brace group that is not a special character. */
function isProtected(word: string): boolean {
  if (word.charCodeAt(0) !== 123 || word.charCodeAt(1) === 92) return false;
  let depth = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i === word.length - 1;
  }
  return false;
}

/** Unicode text of `words[a..b)`, or undefined when empty. */
function text(words: string[], a = 0, b = words.length): string | undefined {
  if (b <= a) return undefined;
  let raw = words[a];
  for (let k = a + 1; k < b; k++) raw += ' ' + words[k];
  const t = latexToUnicode(raw);
  return t === '' ? undefined : t;
}

function make(family: string | undefined, given: string | undefined, dropping: string | undefined, suffix?: string): Name {
  const name: Name = {};
  if (family !== undefined) name.family = family;
  if (given !== undefined) name.given = given;
  if (dropping !== undefined) name.dropping = dropping;
  if (suffix !== undefined) name.suffix = suffix;
  return name;
}

/** In "von Last" words from `a`: the end of von, the longest run ending in a lower-case word that leaves Last a word. */
function vonEnd(words: string[], a: number): number {
  let end = a;
  for (let i = a; i < words.length - 1; i++) if (isLowerWord(words[i])) end = i + 1;
  return end;
}

const extendedKeys = /^\s*(family|given|prefix|suffix|useprefix|giveni|familyi)\s*=/i;

/** biblatex's `family=Doe, given=Jane, prefix=van, suffix=Jr.` */
function parseExtended(s: string): Name {
  const name: Name = {};
  for (const part of splitTop(s, 44)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = latexToUnicode(part.slice(eq + 1));
    if (value === '') continue;
    if (key === 'family') name.family = value;
    else if (key === 'given') name.given = value;
    else if (key === 'prefix') name.dropping = value;
    else if (key === 'suffix') name.suffix = value;
  }
  return name;
}

/**
 * The common plain names, `Jane Doe` and `Doe, Jane` (ASCII letters, digits and `.'-`, single
 * spaces, no word before the comma starting in lower case): read from slices, without the
 * general machinery. Undefined when the name is not that simple.
 */
function plainName(s: string): Name | undefined {
  let comma = -1;
  let lastSpace = -1;
  let seeking = true; // looking for the first letter of a word (it decides von)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c >= 97 && c <= 122;
    if (lower || (c >= 65 && c <= 90)) {
      if (seeking && lower && comma < 0) return undefined;
      seeking = false;
    } else if (c === 32) {
      if (s.charCodeAt(i + 1) === 32) return undefined;
      lastSpace = i;
      seeking = true;
    } else if (c === 44) {
      if (comma >= 0) return undefined;
      comma = i;
    } else if (c === 45 || c === 39) {
      if (s.charCodeAt(i + 1) === c) return undefined; // `--`, `''`: LaTeX
    } else if (c !== 46 && (c < 48 || c > 57)) return undefined;
  }
  if (comma < 0) return lastSpace < 0 ? { family: s } : { given: s.slice(0, lastSpace), family: s.slice(lastSpace + 1) };
  const family = s.slice(0, comma).trim();
  const given = s.slice(comma + 1).trim();
  if (family === '') return undefined;
  return given === '' ? { family } : { family, given };
}

/** One name, or undefined when it is empty. */
export function parseName(raw: string): Name | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if (s.length === 6 && s.toLowerCase() === 'others') return { literal: 'others' };
  return plainName(s) ?? generalName(s);
}

/** `parseName` without the plain-name shortcut (exported for the tests that compare the two). */
export function generalName(s: string): Name | undefined {
  if (s.includes('=') && extendedKeys.test(s)) return parseExtended(s);
  const parts = s.includes(',') ? splitTop(s, 44) : [s];
  if (parts.length === 1) {
    const words = splitTop(s);
    if (words.length === 0) return undefined;
    if (words.length === 1 && isProtected(words[0])) {
      const literal = latexToUnicode(words[0]);
      return literal === '' ? undefined : { literal };
    }
    // First von Last: von starts at the first lower-case word that is not the last word.
    let von = 0;
    while (von < words.length - 1 && !isLowerWord(words[von])) von++;
    if (von === words.length - 1) return make(text(words, von), text(words, 0, von), undefined);
    const end = vonEnd(words, von);
    return make(text(words, end), text(words, 0, von), text(words, von, end));
  }
  const vonLast = splitTop(parts[0]);
  const end = vonEnd(vonLast, 0);
  const family = text(vonLast, end);
  const dropping = text(vonLast, 0, end);
  if (parts.length === 2) return make(family, text(splitTop(parts[1])), dropping);
  return make(family, text(splitTop(parts.slice(2).join(', '))), dropping, text(splitTop(parts[1])));
}
