/**
 * LaTeX cross-reference labels (`\label{x}`, `\zlabel{x}`) and the references to them: `\ref`,
 * `\eqref`, `\pageref`, `\autoref`, `\nameref`, varioref (`\vref`...), cleveref (`\cref{a, b}`,
 * `\crefrange{a}{b}`...), zref (`\zref`, `\zcref`) and `\hyperref[x]{text}`.
 *
 * The text is read once, like `latexCitations.ts` reads it (its lexer is private, so this file
 * keeps a small copy): `%` comments (not `\%`), `\verb|...|`, the raw argument of `\url`/`\href`
 * and verbatim-like environments are skipped; every other control word goes to a callback.
 *
 * Decisions:
 * - A starred command reports its name without the star (`\cref*` -> `cref`).
 * - Only the list commands of cleveref and zref split on commas (`\cref{a, b}`); `\ref{a,b}` is one label.
 * - Up to two `[...]` options may come before the braces (`\label[type]{x}` of cleveref,
 *   `\zcref[S]{a}`, `\vpageref[here][there]{x}`).
 * - Labels are trimmed; empty labels and labels holding `#` (macro parameters) are skipped.
 * - An argument is a plain label or nothing: a control word or a brace inside it
 *   (`\label{sec:\thechapter}`) ends it unclosed.
 * - An argument left unclosed (while typing) yields no fact, though completion works inside it. It
 *   ends at a blank line, `{`, `\` or the end of the text, and the scan goes on from there: linear.
 */
import type { Range } from '../model';
import { LineIndex } from '../text';

/** A label defined (`\label{x}`) or referred to (`\ref{x}`); the range covers the label text only. */
export interface LabelFact {
  label: string;
  range: Range;
  /** The command name without backslash or star: `label`, `cref`, `hyperref`... */
  command: string;
}

export interface LatexLabels {
  labels: LabelFact[];
  refs: LabelFact[];
}

/** Where the cursor may complete a label (inside the braces of a reference command). */
export interface LatexRefCompletionContext {
  /** What is typed of the label so far (may be empty). */
  prefix: string;
  /** The typed prefix plus the rest of the label after the cursor: what the completion replaces. */
  range: Range;
}

type Kind = 'label' | 'single' | 'list' | 'range' | 'hyperref';

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const kinds = new Map<string, Kind>([
  ...words('label zlabel').map((n) => [n, 'label'] as const),
  ...words(`ref eqref pageref autoref autopageref nameref Nameref vref Vref vpageref Vpageref
    namecref nameCref lcnamecref subref zref`).map((n) => [n, 'single'] as const),
  ...words('cref Cref cpageref Cpageref labelcref labelcpageref zcref zcpageref').map((n) => [n, 'list'] as const),
  ...words('crefrange Crefrange cpagerefrange Cpagerefrange vrefrange Vrefrange vpagerefrange').map((n) => [n, 'range'] as const),
  ['hyperref', 'hyperref'],
]);

export function parseLatexLabels(text: string): LatexLabels {
  const out: LatexLabels = { labels: [], refs: [] };
  try {
    const lines = new LineIndex(text);
    walk(text, (name, after) => {
      const kind = kinds.get(name);
      if (!kind) return after;
      const { args, end } = commandArguments(text, after, kind);
      const list = kind === 'label' ? out.labels : out.refs;
      for (const a of args) {
        if (!a.closed) continue;
        for (const [s, e] of items(text, a)) {
          const label = text.slice(s, e);
          if (!label.includes('#')) list.push({ label, range: lines.range(s, e), command: name });
        }
      }
      return end;
    });
  } catch {
    // Parsers never throw.
  }
  return out;
}

/** The label being typed at `offset` inside the braces of a reference command (not `\label`). */
export function latexRefCompletionContext(text: string, offset: number): LatexRefCompletionContext | undefined {
  try {
    let arg: Argument | undefined;
    walk(
      text,
      (name, after) => {
        const kind = kinds.get(name);
        if (!kind || kind === 'label') return after;
        const { args, end } = commandArguments(text, after, kind);
        for (const a of args) if (a.open < offset && offset <= a.contentEnd) arg = a;
        return end;
      },
      offset,
    );
    if (!arg) return undefined;
    const list = arg.list;
    const separator = (c: string) => /[\s{}%\\]/.test(c) || (list && c === ',');
    const first = arg.open + 1;
    let start = offset;
    while (start > first && !separator(text[start - 1])) start--;
    // The word must follow the opener (or a comma in a list), spaces allowed: not `\ref{a |}`.
    let before = start;
    while (before > first && /\s/.test(text[before - 1])) before--;
    if (before > first && !(list && text[before - 1] === ',')) return undefined;
    let end = offset;
    while (end < arg.contentEnd && !separator(text[end])) end++;
    return { prefix: text.slice(start, offset), range: new LineIndex(text).range(start, end) };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Arguments

interface Argument {
  /** Offset of the `{` (or the `[` of `\hyperref`). */
  open: number;
  /** Offset of the closer, or where an unclosed argument stopped. */
  contentEnd: number;
  closed: boolean;
  /** Comma-separated labels. */
  list: boolean;
}

function commandArguments(text: string, after: number, kind: Kind): { args: Argument[]; end: number } {
  const args: Argument[] = [];
  let i = text[after] === '*' ? after + 1 : after;
  if (kind === 'hyperref') {
    const s = skipSpace(text, i);
    if (text[s] !== '[') return { args, end: i };
    const a = labelArgument(text, s, false);
    return { args: [a], end: a.closed ? a.contentEnd + 1 : a.contentEnd };
  }
  const options = optionalArguments(text, i, 2);
  if (!options.closed) return { args, end: options.end };
  i = options.end;
  for (let n = kind === 'range' ? 2 : 1; n > 0; n--) {
    const s = skipSpace(text, i);
    if (text[s] !== '{') break;
    const a = labelArgument(text, s, kind === 'list');
    args.push(a);
    i = a.closed ? a.contentEnd + 1 : a.contentEnd;
    if (!a.closed) break;
  }
  return { args, end: i };
}

/** The `{...}` (or `[...]`) opening at `open`, holding plain labels; see the module comment. */
function labelArgument(text: string, open: number, list: boolean): Argument {
  const close = text[open] === '[' ? ']' : '}';
  let j = open + 1;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === close || c === '{' || c === '}' || c === '\\') break;
    if (c === '%') j = lineEnd(text, j) - 1;
    else if (c === '\n' && blankAfter(text, j)) break;
  }
  return { open, contentEnd: j, closed: text[j] === close, list };
}

/** The trimmed, non-empty labels of an argument, as [start, end) offsets; comments skipped. */
function items(text: string, a: Argument): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  let end = -1;
  for (let j = a.open + 1; j <= a.contentEnd; j++) {
    const c = text[j];
    if (j === a.contentEnd || (a.list && c === ',')) {
      if (start >= 0) out.push([start, end]);
      start = -1;
    } else if (c === '%') j = lineEnd(text, j) - 1;
    else if (!/\s/.test(c)) {
      if (start < 0) start = j;
      end = j + 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lexing (the same approach as latexCitations.ts)

const verbatimEnvironments = new Set(
  words('verbatim verbatim* Verbatim Verbatim* BVerbatim LVerbatim lstlisting minted comment filecontents filecontents*'),
);

/**
 * Calls `onCommand(name, after)` for each control word outside comments and verbatim text
 * (`after` = the offset after its name); it returns where to go on. Stops after `stop`.
 */
function walk(text: string, onCommand: (name: string, after: number) => number, stop = text.length): void {
  const special = /[\\%]/g;
  let i = 0;
  while (i < text.length) {
    special.lastIndex = i;
    if (!special.exec(text)) return;
    i = special.lastIndex - 1;
    if (i > stop) return;
    if (text[i] === '%') {
      i = lineEnd(text, i);
      continue;
    }
    let j = i + 1;
    while (isLetter(text.charCodeAt(j))) j++;
    if (j === i + 1) {
      i += 2; // a control symbol: `\%`, `\\`, `\{`...
      continue;
    }
    const name = text.slice(i + 1, j);
    if (name === 'verb') i = skipVerb(text, j);
    else if (name === 'url' || name === 'href') i = rawArgumentEnd(text, j);
    else if (name === 'begin') i = skipVerbatim(text, j);
    else i = Math.max(j, onCommand(name, j));
  }
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The offset of the line break ending the line at `i` (or the text length). */
function lineEnd(text: string, i: number): number {
  const k = text.indexOf('\n', i);
  return k < 0 ? text.length : k;
}

/** Whether the line break at `i` is followed by a blank line (a paragraph break). */
function blankAfter(text: string, i: number): boolean {
  let k = i + 1;
  while (text[k] === ' ' || text[k] === '\t' || text[k] === '\r') k++;
  return text[k] === '\n';
}

/** `\verb|...|`, `\verb*+...+`: to the closing delimiter on the same line. */
function skipVerb(text: string, i: number): number {
  if (text[i] === '*') i++;
  const delimiter = text[i];
  if (!delimiter || /[\sA-Za-z]/.test(delimiter)) return i;
  const end = lineEnd(text, i);
  for (let k = i + 1; k < end; k++) if (text[k] === delimiter) return k + 1;
  return end;
}

/** `\begin{verbatim}...\end{verbatim}` and the like: skipped whole (to the end when unclosed). */
function skipVerbatim(text: string, i: number): number {
  const m = /[ \t]*\{([^{}\n]*)\}/y;
  m.lastIndex = i;
  const env = m.exec(text)?.[1];
  if (env === undefined || !verbatimEnvironments.has(env)) return i;
  const close = `\\end{${env}}`;
  const k = text.indexOf(close, m.lastIndex);
  return k < 0 ? text.length : k + close.length;
}

/** The end of the `{...}` URL after `\url`/`\href`, where `%` is a character (`i` when there is none). */
function rawArgumentEnd(text: string, i: number): number {
  const s = skipSpace(text, i);
  if (text[s] !== '{') return i;
  return groupEnd(text, s, false).end;
}

/** Skips spaces, one line break and comments (between a command and its arguments). */
function skipSpace(text: string, i: number): number {
  let breaks = 0;
  for (;;) {
    const c = text[i];
    if (c === '\n' && ++breaks > 1) return i;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '%') i = lineEnd(text, i);
    else return i;
  }
}

/**
 * Where the `[...]` or `{...}` group opening at `i` ends (nested groups and braces inside): after its
 * closer, or where it broke off (a blank line, a stray `}`, the end). Callers go on from there.
 */
function groupEnd(text: string, i: number, comments = true): { end: number; closed: boolean } {
  const open = text[i];
  const close = open === '[' ? ']' : '}';
  let depth = 0;
  let braces = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '%' && comments) j = lineEnd(text, j) - 1;
    else if (c === '\n' && blankAfter(text, j)) return { end: j, closed: false };
    else if (open !== '{' && c === '{') braces++;
    else if (open !== '{' && c === '}') {
      if (--braces < 0) return { end: j, closed: false };
    } else if (braces === 0 && c === open) depth++;
    else if (braces === 0 && c === close && --depth === 0) return { end: j + 1, closed: true };
  }
  return { end: text.length, closed: false };
}

/** Skips up to `max` `[...]` arguments. */
function optionalArguments(text: string, i: number, max: number): { end: number; closed: boolean } {
  for (let n = 0; n < max; n++) {
    const s = skipSpace(text, i);
    if (text[s] !== '[') break;
    const g = groupEnd(text, s);
    if (!g.closed) return g;
    i = g.end;
  }
  return { end: i, closed: true };
}
