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
 * - Labels are trimmed; empty labels and labels holding `#` (macro parameters) are skipped; a `\\label` holding
 *   `#` or a control word is a label a macro makes, kept as its fixed start (`generated`).
 * - An argument is a plain label or nothing: a control word or a brace inside it
 *   (`\label{sec:\thechapter}`) ends it unclosed.
 * - An argument left unclosed (while typing) yields no fact, though completion works inside it. It
 *   ends at a blank line, `{`, `\` or the end of the text, and the scan goes on from there: linear.
 */
import type { Range } from '../../model';
import { LineIndex } from '../../text';
import { blankAfter, lineEnd, optionalArguments, skipSpace, walk } from './latexLexer';

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
  /**
   * The fixed start of each label a macro makes (`\label{clip\theclip}` gives `clip`; `\label{#1}` in a
   * definition gives the empty string): such labels exist only when LaTeX runs, so a reference starting so may be defined.
   */
  generated: string[];
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

export function parseLatexLabels(text: string, verbatim?: ReadonlySet<string>): LatexLabels {
  const out: LatexLabels = { labels: [], refs: [], generated: [] };
  try {
    const lines = new LineIndex(text);
    walk(text, (name, after) => {
      const kind = kinds.get(name);
      if (!kind) return after;
      const { args, end } = commandArguments(text, after, kind);
      const list = kind === 'label' ? out.labels : out.refs;
      for (const a of args) {
        const content = text.slice(a.open + 1, a.contentEnd);
        if (kind === 'label' && ((!a.closed && text[a.contentEnd] === '\\') || content.includes('#'))) {
          out.generated.push(content.split('#')[0].trim());
        }
        if (!a.closed) continue;
        for (const [s, e] of items(text, a)) {
          const label = text.slice(s, e);
          if (!label.includes('#')) list.push({ label, range: lines.range(s, e), command: name });
        }
      }
      return end;
    }, undefined, text.length, verbatim);
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
      undefined,
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

