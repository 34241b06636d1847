/**
 * LaTeX citations (natbib, biblatex, the project's own citation macros), completion inside their
 * braces, and the structure a document declares (bibliographies, included files, `% !TEX root`).
 *
 * `walk` reads the source once, skipping `%` comments (not `\%`), `\verb|...|`, the raw argument
 * of `\url`/`\href` and verbatim-like environments; every other control word goes to a callback.
 * A citation command then reads its own arguments (`latexCiteArguments.ts`); the walk goes on inside
 * them, so a citation in another's optional argument counts (`\citet[see \citeyear{x}]{y}`).
 *
 * Decisions:
 * - `\nocite{*}` yields a citation with key `*` and command `nocite`; consumers checking keys skip `*`.
 * - A starred command reports its name without the star (`\citet*` -> `citet`); a user macro its own name.
 * - Keys starting with `#` are macro parameters (`\newcommand\mycite[1]{\cite{#1}}`), not keys; the name a
 *   definition defines is no call (`\NewDocumentCommand{\pcite}{o m}` cites no `o m`).
 * - Without learned commands, a text's own definitions teach its citation macros (`latexMacros.ts`).
 */
import type { Citation, CitationCompletionContext, Range } from '../../model';
import { LineIndex } from '../../text';
import { optionalArguments, skipSpace, walk } from './latexLexer';
import { braceArgument, citeArguments, citeCommands, type CiteArguments, type CiteCommands, type KeyGroup } from './latexCiteArguments';
import { definedNameEnd, isDefinitionCommand, parseMacroDefinitions, resolveCiteMacros } from './latexMacros';

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
  /** multibib's `\bibliographyapp{x}` (any `\bibliography<letters>`): a bibliography when `\newcites{app}` makes the command. */
  suffixedBibliographies: (LatexPath & { suffix: string })[];
  /** `\usepackage[backend=...]{biblatex}`: the program that reads its bibliographies (biber by default). */
  biblatexBackend?: 'biber' | 'bibtex';
  /** `\usepackage{natbib}`: `\citep[pre][post]{key}` and its family. */
  natbib?: boolean;
  /** `\usepackage[style=...]{biblatex}` (or `bibstyle=`): how its references look. */
  biblatexStyle?: string;
}

/** An empty key in a closed key group (`\cite{a,}`, `\cite{a,,b}`, `\cite{}`): LaTeX writes an empty citation. */
export interface EmptyKey {
  /** The comma that makes the empty item, or the whole group (`{}`) when it holds no key. */
  range: Range;
  /** Whether `range` is a comma (removing it removes the empty item). */
  comma: boolean;
  command: string;
  /** The group also holds `*` (`\nocite{*,}`). */
  wildcard: boolean;
}

export interface LatexCitationFacts {
  citations: Citation[];
  emptyKeys: EmptyKey[];
}

/** The citations of a text; without `learned`, the citation macros its own definitions make count. */
export function parseLatexCitations(text: string, extraCommands: readonly string[] = []): Citation[] {
  return latexCitationFacts(text, commandsOf(text, extraCommands)).citations;
}

/** The citation commands of a text alone: the built-in ones, the settings' extra ones, and the macros it defines. */
function commandsOf(text: string, extra: readonly string[]): CiteCommands {
  const known = citeCommands(extra);
  return citeCommands(extra, resolveCiteMacros(parseMacroDefinitions(text), known));
}

/** The citations and empty keys of a text, for these citation commands (`latexMacros.ts` learns a project's). */
export function latexCitationFacts(text: string, commands: CiteCommands, verbatim?: ReadonlySet<string>): LatexCitationFacts {
  const out: LatexCitationFacts = { citations: [], emptyKeys: [] };
  try {
    const lines = new LineIndex(text);
    const next = resumption();
    walk(text, (name, after) => {
      const reader = commands.get(name);
      if (!reader) return isDefinitionCommand(name) ? definedNameEnd(text, after) : after;
      const read = citeArguments(text, after, reader);
      for (const g of read.groups) {
        for (const [s, e] of g.keys) {
          const key = text.slice(s, e);
          if (!key.startsWith('#')) out.citations.push({ key, range: lines.range(s, e), syntax: 'latex', command: name });
        }
        emptyKeys(text, g, name, lines, out.emptyKeys);
      }
      return next(after, read);
    }, undefined, text.length, verbatim);
  } catch {
    // Parsers never throw.
  }
  return out;
}

/**
 * Where the walk goes on after a citation command's arguments: back inside them, so that a citation in its
 * optional argument counts (`\citet[see \citeyear{x}]{y}`; key groups hold no command), but only from a command
 * outside any other's arguments, and when they closed: each character is read at most twice, on any text.
 */
function resumption(): (after: number, read: CiteArguments) => number {
  let insideUntil = -1;
  return (after, { end, closed }) => {
    if (after < insideUntil || !closed) return end;
    insideUntil = end;
    return after;
  };
}

function emptyKeys(text: string, g: KeyGroup, command: string, lines: LineIndex, out: EmptyKey[]): void {
  if (g.emptyCommas.length === 0) return;
  const wildcard = g.keys.some(([s, e]) => text.slice(s, e) === '*');
  // A group of a macro's definition (`\cite{#1,}`) is no citation.
  if (g.keys.some(([s]) => text[s] === '#')) return;
  for (const k of g.emptyCommas) {
    if (k < 0) out.push({ range: lines.range(g.open, g.contentEnd + 1), comma: false, command, wildcard });
    else out.push({ range: lines.range(k, k + 1), comma: true, command, wildcard });
  }
}

/** The key being typed at `offset`; `commands` are the document's (a list: the settings' extra ones, with its own macros). */
export function latexCompletionContext(text: string, offset: number, commands: readonly string[] | CiteCommands = []): CitationCompletionContext | undefined {
  try {
    const known = Array.isArray(commands) ? commandsOf(text, commands) : (commands as CiteCommands);
    let group: KeyGroup | undefined;
    const next = resumption();
    walk(
      text,
      (name, after) => {
        const reader = known.get(name);
        if (!reader) return isDefinitionCommand(name) ? definedNameEnd(text, after) : after;
        const read = citeArguments(text, after, reader);
        for (const g of read.groups) if (g.open < offset && offset <= g.contentEnd) group = g;
        return next(after, read);
      },
      undefined,
      offset,
    );
    if (!group) return undefined;
    const first = group.open + 1;
    let start = offset;
    while (start > first && !separator(text[start - 1])) start--;
    // The word must follow `{` or `,` (spaces allowed): not `\cite{a |}`; or other words on its line do (`\cite{nato force|}`).
    let before = start;
    while (before > first && /\s/.test(text[before - 1])) before--;
    if (before > first && text[before - 1] !== ',') {
      if (start === offset) return undefined;
      start = queryStart(text, first, start);
      if (start < 0) return undefined;
    }
    let end = offset;
    while (end < group.contentEnd && !separator(text[end])) end++;
    return { prefix: text.slice(start, offset), range: new LineIndex(text).range(start, end), syntax: 'latex' };
  } catch {
    return undefined;
  }
}

export function parseLatexStructure(text: string): LatexStructure {
  const out: LatexStructure = { bibliographies: [], inputs: [], suffixedBibliographies: [] };
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
      const suffix = /^bibliography(?!style)([A-Za-z]+)$/.exec(name)?.[1];
      if (name === 'bibliography' || name === 'nobibliography' || suffix) {
        const a = braceArgument(text, after);
        if (!a?.closed) return a?.next ?? after;
        const list: LatexPath[] = suffix ? [] : out.bibliographies;
        let from = a.start;
        for (let i = a.start; i <= a.end; i++) {
          if (i === a.end || text[i] === ',') {
            push(list, name, from, i);
            from = i + 1;
          }
        }
        if (suffix) for (const p of list) out.suffixedBibliographies.push({ ...p, suffix });
        return a.next;
      }
      if (name === 'usepackage' || name === 'RequirePackage') {
        const options = optionalArguments(text, after, 1);
        const a = options.closed ? braceArgument(text, options.end) : undefined;
        const packages = a?.closed ? text.slice(a.start, a.end).split(',').map((p) => p.trim()) : [];
        if (packages.includes('natbib')) out.natbib = true;
        if (packages.includes('biblatex')) {
          const backend = /\bbackend\s*=\s*(\w+)/.exec(text.slice(after, options.end))?.[1];
          out.biblatexBackend = backend && /^bibtex/.test(backend) ? 'bibtex' : 'biber';
          const style = /(?:^|[[,\s])(?:bib)?style\s*=\s*([\w-]+)/.exec(text.slice(after, options.end))?.[1];
          if (style) out.biblatexStyle = style;
        }
        return a?.next ?? options.end;
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

/**
 * `\cite{nato force 2024|}`: no key holds a space, so words separated by spaces after `{` or `,`, on one line,
 * are a query that searches authors and titles (as in Markdown). Where the first of them starts, given where the
 * last (`word`) does; -1 when the words do not follow `{` or `,` (or run longer than a query).
 */
function queryStart(text: string, first: number, word: number): number {
  let i = word;
  while (i > first && word - i <= 80 && /[^\s,{}%\\]|[ \t]/.test(text[i - 1])) i--;
  if (word - i > 80) return -1;
  let before = i;
  while (before > first && /\s/.test(text[before - 1])) before--;
  if (before > first && text[before - 1] !== ',') return -1;
  while (/[ \t]/.test(text[i])) i++;
  return i;
}

function separator(c: string): boolean {
  return /[\s,{}%\\]/.test(c);
}
