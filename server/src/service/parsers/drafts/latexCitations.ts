/**
 * LaTeX citations (natbib, biblatex), completion inside their braces, and the structure a
 * document declares (bibliographies, included files, `% !TEX root`).
 *
 * `walk` reads the source once, skipping `%` comments (not `\%`), `\verb|...|`, the raw argument
 * of `\url`/`\href` and verbatim-like environments; every other control word goes to a callback.
 * A citation command then reads its own arguments: a `*`, `(pre)(post)` for multi-cites, up to two
 * `[...]` (nested brackets and braces allowed) and `{key, key}` groups (repeated for multi-cites;
 * `\volcite[pre]{volume}[pages]{key}` skips the volume).
 *
 * Decisions:
 * - `\nocite{*}` yields a citation with key `*` and command `nocite`; consumers checking keys skip `*`.
 * - A starred command reports its name without the star (`\citet*` -> `citet`).
 * - Keys starting with `#` are macro parameters (`\newcommand\mycite[1]{\cite{#1}}`), not keys.
 * - An unclosed key group (`\cite{bisc|` while typing) ends at a blank line, a `{` or `\`, or at the
 *   first word that follows another without a comma (`\cite{a, b More text` -> `a`, `b`).
 */
import type { Citation, CitationCompletionContext, Range } from '../../model';
import { LineIndex } from '../../text';
import { blankAfter, groupEnd, lineEnd, optionalArguments, skipSpace, walk } from './latexLexer';

export interface LatexPath {
  path: string;
  range: Range;
  command: string;
}

export interface LatexStructure {
  /** `\bibliography{a,b}` (one per name, as written), `\addbibresource{x.bib}`... */
  bibliographies: LatexPath[];
  /** `\input`, `\include`, `\subfile`, `\import{dir}{file}` (path = dir + file)... */
  inputs: LatexPath[];
  /** `% !TEX root = ../main.tex` */
  texRoot?: { path: string; range: Range };
  /** `\documentclass[../main.tex]{subfiles}`: a part of the document its option names, compiled alone too. */
  subfilesRoot?: { path: string; range: Range };
}

type CiteKind = 'single' | 'multi' | 'vol' | 'volMulti';

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const single = words(`
  cite Cite citet Citet citep Citep citealt Citealt citealp Citealp citeauthor Citeauthor
  citefullauthor Citefullauthor citeyear citeyearpar citenum citedate citeurl citetitle Citetitle
  parencite Parencite textcite Textcite autocite Autocite footcite Footcite footcitetext Footcitetext
  smartcite Smartcite supercite fullcite footfullcite notecite Notecite pnotecite Pnotecite fnotecite
  nocite bibentry`);
const multi = words('cites Cites parencites Parencites textcites Textcites autocites Autocites footcites Footcites footcitetexts smartcites Smartcites supercites');
const vol = words('volcite Volcite pvolcite Pvolcite fvolcite Fvolcite ftvolcite Ftvolcite svolcite Svolcite tvolcite Tvolcite avolcite Avolcite');
const baseCommands = new Map<string, CiteKind>([
  ...single.map((n) => [n, 'single'] as const),
  ...multi.map((n) => [n, 'multi'] as const),
  ...vol.map((n) => [n, 'vol'] as const),
  ...vol.map((n) => [`${n}s`, 'volMulti'] as const),
]);

function citationCommands(extra: readonly string[] = []): Map<string, CiteKind> {
  if (extra.length === 0) return baseCommands;
  const map = new Map(baseCommands);
  for (const name of extra.map((n) => n.replace(/^\\/, ''))) if (!map.has(name)) map.set(name, 'single');
  return map;
}

export function parseLatexCitations(text: string, extraCommands?: string[]): Citation[] {
  const out: Citation[] = [];
  try {
    const lines = new LineIndex(text);
    const commands = citationCommands(extraCommands);
    walk(text, (name, after) => {
      const kind = commands.get(name);
      if (!kind) return after;
      const { groups, end } = citeArguments(text, after, kind);
      for (const g of groups) {
        for (const [s, e] of g.keys) {
          const key = text.slice(s, e);
          if (!key.startsWith('#')) out.push({ key, range: lines.range(s, e), syntax: 'latex', command: name });
        }
      }
      return end;
    });
  } catch {
    // Parsers never throw.
  }
  return out;
}

export function latexCompletionContext(text: string, offset: number, extraCommands?: string[]): CitationCompletionContext | undefined {
  try {
    const commands = citationCommands(extraCommands);
    let group: KeyGroup | undefined;
    walk(
      text,
      (name, after) => {
        const kind = commands.get(name);
        if (!kind) return after;
        const { groups, end } = citeArguments(text, after, kind);
        for (const g of groups) if (g.open < offset && offset <= g.contentEnd) group = g;
        return end;
      },
      undefined,
      offset,
    );
    if (!group) return undefined;
    const first = group.open + 1;
    let start = offset;
    while (start > first && !separator(text[start - 1])) start--;
    // The word must follow `{` or `,` (spaces allowed): not `\cite{a |}`.
    let before = start;
    while (before > first && /\s/.test(text[before - 1])) before--;
    if (before > first && text[before - 1] !== ',') return undefined;
    let end = offset;
    while (end < group.contentEnd && !separator(text[end])) end++;
    return { prefix: text.slice(start, offset), range: new LineIndex(text).range(start, end), syntax: 'latex' };
  } catch {
    return undefined;
  }
}

export function parseLatexStructure(text: string): LatexStructure {
  const out: LatexStructure = { bibliographies: [], inputs: [] };
  try {
    const lines = new LineIndex(text);
    const push = (list: LatexPath[], command: string, start: number, end: number, dir = '') => {
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      const path = text.slice(start, end);
      if (path) list.push({ path: dir && !/[/\\]$/.test(dir) ? `${dir}/${path}` : dir + path, range: lines.range(start, end), command });
    };
    const onCommand = (name: string, after: number): number => {
      if (name === 'documentclass') {
        const open = skipSpace(text, after);
        const options = optionalArguments(text, after, 1);
        const cls = options.closed ? braceArgument(text, options.end) : undefined;
        if (text[open] === '[' && cls?.closed && text.slice(cls.start, cls.end).trim() === 'subfiles') {
          const raw = text.slice(open + 1, options.end - 1);
          const path = raw.trim();
          const start = open + 1 + raw.indexOf(path);
          if (path && !/[\\{}%]/.test(path)) out.subfilesRoot = { path, range: lines.range(start, start + path.length) };
        }
        return cls?.next ?? options.end;
      }
      if (name === 'bibliography' || name === 'nobibliography') {
        const a = braceArgument(text, after);
        if (!a?.closed) return a?.next ?? after;
        let from = a.start;
        for (let i = a.start; i <= a.end; i++) {
          if (i === a.end || text[i] === ',') {
            push(out.bibliographies, name, from, i);
            from = i + 1;
          }
        }
        return a.next;
      }
      if (name === 'addbibresource' || name === 'addglobalbib' || name === 'addsectionbib') {
        const options = optionalArguments(text, after, 1);
        const a = options.closed ? braceArgument(text, options.end) : undefined;
        if (a?.closed) push(out.bibliographies, name, a.start, a.end);
        return a?.next ?? options.end;
      }
      if (name === 'input' || name === 'include' || name === 'subfile') {
        const a = braceArgument(text, after);
        if (a?.closed) push(out.inputs, name, a.start, a.end);
        else if (!a && name === 'input') {
          // TeX's own syntax: `\input chapter1`
          const bare = /[ \t]+([^\s{}%\\]+)/y;
          bare.lastIndex = after;
          const m = bare.exec(text);
          if (m) push(out.inputs, name, bare.lastIndex - m[1].length, bare.lastIndex);
        }
        return a?.next ?? after;
      }
      if (/^(?:sub)?(?:import|inputfrom|includefrom)$/.test(name)) {
        const dir = braceArgument(text, text[after] === '*' ? after + 1 : after);
        if (!dir?.closed) return dir?.next ?? after;
        const file = braceArgument(text, dir.next);
        if (file?.closed) push(out.inputs, name, file.start, file.end, text.slice(dir.start, dir.end).trim());
        return file?.next ?? dir.next;
      }
      return after;
    };
    const onComment = (start: number, end: number) => {
      if (out.texRoot) return;
      const m = /^(%+\s*!\s*tex\s+root\s*=\s*)(.*?)\s*$/i.exec(text.slice(start, end));
      if (m && m[2]) out.texRoot = { path: m[2], range: lines.range(start + m[1].length, start + m[1].length + m[2].length) };
    };
    walk(text, onCommand, onComment);
  } catch {
    // Parsers never throw.
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lexing

/** A `{...}` argument after optional spaces (undefined: there is none); `next` is where to go on. */
function braceArgument(text: string, i: number, comments = true): { start: number; end: number; next: number; closed: boolean } | undefined {
  const s = skipSpace(text, i);
  if (text[s] !== '{') return undefined;
  const g = groupEnd(text, s, comments);
  return { start: s + 1, end: g.end - 1, next: g.end, closed: g.closed };
}

// ---------------------------------------------------------------------------------------------
// Citation arguments

interface KeyGroup {
  /** Offset of the `{`. */
  open: number;
  /** Offset of the `}`, or where an unclosed group stops. */
  contentEnd: number;
  /** Key ranges, [start, end). */
  keys: [number, number][];
}

function citeArguments(text: string, after: number, kind: CiteKind): { groups: KeyGroup[]; end: number } {
  const groups: KeyGroup[] = [];
  const isMulti = kind === 'multi' || kind === 'volMulti';
  let i = text[after] === '*' ? after + 1 : after;
  for (let n = 0; isMulti && n < 2; n++) {
    const s = skipSpace(text, i);
    if (text[s] !== '(') break;
    const notes = groupEnd(text, s);
    if (!notes.closed) return { groups, end: notes.end };
    i = notes.end;
  }
  for (;;) {
    const options = optionalArguments(text, i, 2);
    if (!options.closed) return { groups, end: options.end };
    i = options.end;
    if (kind === 'vol' || kind === 'volMulti') {
      const volume = braceArgument(text, i);
      if (!volume?.closed) return { groups, end: volume?.next ?? i };
      const pages = optionalArguments(text, volume.next, 1);
      if (!pages.closed) return { groups, end: pages.end };
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

/** The keys of `{a, b}`; see the module comment for unclosed groups. */
function keyGroup(text: string, open: number): KeyGroup {
  let i = open + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '}' || c === '{' || c === '\\') break;
    if (c === '%') i = lineEnd(text, i) - 1;
    else if (c === '\n' && blankAfter(text, i)) break;
  }
  const closed = text[i] === '}';
  const keys: [number, number][] = [];
  let start = -1;
  let end = -1;
  for (let j = open + 1; j < i; j++) {
    const c = text[j];
    if (c === '%') j = lineEnd(text, j) - 1;
    else if (c === ',') {
      if (start >= 0) keys.push([start, end]);
      start = -1;
    } else if (!/\s/.test(c)) {
      if (start >= 0 && end < j && !closed) {
        keys.push([start, end]); // `\cite{a More text`: the group stopped at `a`
        return { open, contentEnd: j, keys };
      }
      if (start < 0) start = j;
      end = j + 1;
    }
  }
  if (start >= 0) keys.push([start, end]);
  return { open, contentEnd: i, keys };
}

function separator(c: string): boolean {
  return /[\s,{}%\\]/.test(c);
}
