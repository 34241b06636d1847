/**
 * How the arguments of a LaTeX citation command are read: the natbib/biblatex commands by their
 * kind, and a user macro learned from its definition (`latexMacros.ts`) by its parameters.
 *
 * - A built-in command reads a `*`, `(pre)(post)` for multi-cites, up to two `[...]` (nested brackets
 *   and braces allowed) and `{key, key}` groups (repeated for multi-cites; `\volcite[pre]{volume}[pages]{key}`
 *   skips the volume).
 * - A user macro reads its parameters in order (`s` a star, `o` a `[...]`, `m` a `{...}`...); the
 *   `{...}` of a parameter its body passes into a citation's keys is a key group.
 * - An unclosed key group (`\cite{bisc|` while typing) ends at a blank line, a `{` or `\`, or at the
 *   first word that follows another without a comma (`\cite{a, b More text` -> `a`, `b`).
 * - An empty item of a closed group (`\cite{a,}`, `\cite{a,,b}`, `\cite{}`) is kept apart, with the
 *   comma that makes it: LaTeX writes it to the `.aux` file as an empty key.
 */
import { blankAfter, groupEnd, lineEnd, optionalArguments, skipSpace } from './latexLexer';

export type CiteKind = 'single' | 'multi' | 'vol' | 'volMulti';

/** A parameter of a user macro: `s` star, `t` a token (`t+`), `o` `[...]`, `d` another delimited optional (`d()`), `m` `{...}`. */
export interface MacroParam {
  kind: 's' | 't' | 'o' | 'd' | 'm';
  /** `t`: the token; `d`: the opener and the closer. */
  chars?: string;
}

/** A user macro that cites: its parameters, and which of them (0-based) hold keys. */
export interface CiteMacro {
  params: MacroParam[];
  keyParams: number[];
}

/** How a command's citation arguments are read. */
export type CiteReader = CiteKind | CiteMacro;

/** Citation commands by name (without the backslash). */
export type CiteCommands = ReadonlyMap<string, CiteReader>;

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const single = words(`
  cite Cite citet Citet citep Citep citealt Citealt citealp Citealp citeauthor Citeauthor
  citefullauthor Citefullauthor citeyear citeyearpar citenum citedate citeurl citetitle Citetitle
  parencite Parencite textcite Textcite autocite Autocite footcite Footcite footcitetext Footcitetext
  smartcite Smartcite supercite fullcite footfullcite notecite Notecite pnotecite Pnotecite fnotecite
  nocite bibentry`);
const multi = words('cites Cites parencites Parencites textcites Textcites autocites Autocites footcites Footcites footcitetexts smartcites Smartcites supercites');
const vol = words('volcite Volcite pvolcite Pvolcite fvolcite Fvolcite ftvolcite Ftvolcite svolcite Svolcite tvolcite Tvolcite avolcite Avolcite');

/** The natbib and biblatex commands. */
export const builtinCiteCommands: CiteCommands = new Map<string, CiteReader>([
  ...single.map((n) => [n, 'single'] as const),
  ...multi.map((n) => [n, 'multi'] as const),
  ...vol.map((n) => [n, 'vol'] as const),
  ...vol.map((n) => [`${n}s`, 'volMulti'] as const),
]);

/** The built-in commands with the settings' extra ones (read like `\cite`); `learned` ones last, never replacing a built-in. */
export function citeCommands(extra: readonly string[] = [], learned?: CiteCommands): CiteCommands {
  if (extra.length === 0 && !learned?.size) return builtinCiteCommands;
  const map = new Map(builtinCiteCommands);
  for (const name of extra.map((n) => n.replace(/^\\/, ''))) if (!map.has(name)) map.set(name, 'single');
  for (const [name, reader] of learned ?? []) if (!map.has(name)) map.set(name, reader);
  return map;
}

export interface KeyGroup {
  /** Offset of the `{`. */
  open: number;
  /** Offset of the `}`, or where an unclosed group stops. */
  contentEnd: number;
  /** Key ranges, [start, end). */
  keys: [number, number][];
  /** Empty items of a closed group: the offset of the comma that makes each (-1: the group holds no key at all). */
  emptyCommas: number[];
}

/** What a call's arguments hold: its key groups, where they end, and whether each argument read was closed. */
export interface CiteArguments {
  groups: KeyGroup[];
  end: number;
  closed: boolean;
}

/** The key groups of a citation command's call at `after` (the end of its name), and where its arguments end. */
export function citeArguments(text: string, after: number, reader: CiteReader): CiteArguments {
  const read = typeof reader === 'string' ? builtinArguments(text, after, reader) : macroArguments(text, after, reader);
  const last = read.groups[read.groups.length - 1];
  return { ...read, closed: read.closed !== false && (!last || text[last.contentEnd] === '}') };
}

function builtinArguments(text: string, after: number, kind: CiteKind): { groups: KeyGroup[]; end: number; closed?: boolean } {
  const groups: KeyGroup[] = [];
  const isMulti = kind === 'multi' || kind === 'volMulti';
  let i = text[after] === '*' ? after + 1 : after;
  for (let n = 0; isMulti && n < 2; n++) {
    const s = skipSpace(text, i);
    if (text[s] !== '(') break;
    const notes = groupEnd(text, s);
    if (!notes.closed) return { groups, end: notes.end, closed: false };
    i = notes.end;
  }
  for (;;) {
    const options = optionalArguments(text, i, 2);
    if (!options.closed) return { groups, end: options.end, closed: false };
    i = options.end;
    if (kind === 'vol' || kind === 'volMulti') {
      const volume = braceArgument(text, i);
      if (!volume?.closed) return { groups, end: volume?.next ?? i, closed: false };
      const pages = optionalArguments(text, volume.next, 1);
      if (!pages.closed) return { groups, end: pages.end, closed: false };
      i = pages.end;
    }
    const s = skipSpace(text, i);
    if (text[s] !== '{') break;
    const g = keyGroup(text, s);
    groups.push(g);
    i = text[g.contentEnd] === '}' ? g.contentEnd + 1 : g.contentEnd;
    if (!isMulti || text[g.contentEnd] !== '}') break;
  }
  return { groups, end: i };
}

/** A call of a user macro: its parameters in order; it stops at the first mandatory one without braces. */
function macroArguments(text: string, after: number, macro: CiteMacro): { groups: KeyGroup[]; end: number; closed?: boolean } {
  const groups: KeyGroup[] = [];
  let i = after;
  for (let p = 0; p < macro.params.length; p++) {
    const { kind, chars = '' } = macro.params[p];
    const s = skipSpace(text, i);
    if (kind === 's' || kind === 't') {
      if (text[s] === (kind === 's' ? '*' : chars)) i = s + 1;
    } else if (kind === 'o' || kind === 'd') {
      if (text[s] !== (kind === 'o' ? '[' : chars[0])) continue;
      const g = kind === 'o' || chars === '()' ? groupEnd(text, s) : delimitedEnd(text, s, chars[1]);
      if (!g.closed) return { groups, end: g.end, closed: false };
      i = g.end;
    } else {
      if (text[s] !== '{') break;
      if (macro.keyParams.includes(p)) {
        const g = keyGroup(text, s);
        groups.push(g);
        if (text[g.contentEnd] !== '}') return { groups, end: g.contentEnd, closed: false };
        i = g.contentEnd + 1;
      } else {
        const g = groupEnd(text, s);
        if (!g.closed) return { groups, end: g.end, closed: false };
        i = g.end;
      }
    }
  }
  return { groups, end: i };
}

/** A `<...>`-like optional argument: to its closer on the same paragraph (no nesting). */
function delimitedEnd(text: string, open: number, close: string): { end: number; closed: boolean } {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] === close) return { end: j + 1, closed: true };
    if (text[j] === '\n' && blankAfter(text, j)) return { end: j, closed: false };
  }
  return { end: text.length, closed: false };
}

/** A `{...}` argument after optional spaces (undefined: there is none); `next` is where to go on. */
export function braceArgument(text: string, i: number, comments = true): { start: number; end: number; next: number; closed: boolean } | undefined {
  const s = skipSpace(text, i);
  if (text[s] !== '{') return undefined;
  const g = groupEnd(text, s, comments);
  return { start: s + 1, end: g.end - 1, next: g.end, closed: g.closed };
}

/** The keys of `{a, b}`; see the module comment for unclosed groups and empty items. */
export function keyGroup(text: string, open: number): KeyGroup {
  let i = open + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '}' || c === '{' || c === '\\') break;
    if (c === '%') i = lineEnd(text, i) - 1;
    else if (c === '\n' && blankAfter(text, i)) break;
  }
  const closed = text[i] === '}';
  const keys: [number, number][] = [];
  const emptyCommas: number[] = [];
  let start = -1;
  let end = -1;
  let keyComma = -1;
  for (let j = open + 1; j < i; j++) {
    const c = text[j];
    if (c === '%') j = lineEnd(text, j) - 1;
    else if (c === ',') {
      if (start >= 0) {
        keys.push([start, end]);
        keyComma = j;
      } else emptyCommas.push(j);
      start = -1;
    } else if (!/\s/.test(c)) {
      if (start >= 0 && end < j && !closed) {
        keys.push([start, end]); // `\cite{a More text`: the group stopped at `a`
        return { open, contentEnd: j, keys, emptyCommas: [] };
      }
      if (start < 0) start = j;
      end = j + 1;
    }
  }
  if (start >= 0) keys.push([start, end]);
  // `{a,}`: the empty item after the last comma is made by the comma that ended the last key (`{a,,}`: the first).
  else if (keyComma >= 0) emptyCommas.push(keyComma);
  if (!closed) return { open, contentEnd: i, keys, emptyCommas: [] };
  return { open, contentEnd: i, keys, emptyCommas: keys.length === 0 ? [-1] : emptyCommas };
}
