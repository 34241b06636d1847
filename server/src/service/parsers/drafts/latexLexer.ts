/**
 * The LaTeX lexing shared by the citation and label parsers: walking the control words of a text
 * outside comments, `\\verb` and verbatim environments, and skipping argument groups. Linear, never throws.
 */

const words = (s: string) => s.split(/\s+/).filter(Boolean);

export const verbatimEnvironments = new Set(
  words('verbatim verbatim* Verbatim Verbatim* BVerbatim LVerbatim lstlisting minted comment filecontents filecontents*'),
);

/**
 * Calls `onCommand(name, after)` for each control word outside comments and verbatim text
 * (`after` = the offset after its name); it returns where to go on. Stops after `stop`.
 */
export function walk(
  text: string,
  onCommand: (name: string, after: number) => number,
  onComment?: (start: number, end: number) => void,
  stop = text.length,
  verbatim: ReadonlySet<string> = verbatimEnvironments,
): void {
  const special = /[\\%]/g;
  let i = 0;
  // Once an `\iffalse` is found never closed, later ones are not searched again: linear on any text.
  let unclosedFalse = false;
  while (i < text.length) {
    special.lastIndex = i;
    if (!special.exec(text)) return;
    i = special.lastIndex - 1;
    if (i > stop) return;
    if (text[i] === '%') {
      const end = lineEnd(text, i);
      onComment?.(i, end);
      i = end;
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
    else if (name === 'begin') i = skipVerbatim(text, j, verbatim);
    else if (name === 'iffalse' && !unclosedFalse) {
      i = skipFalseBranch(text, j);
      unclosedFalse = i === j;
    }
    else i = Math.max(j, onCommand(name, j));
  }
}

/**
 * After `\iffalse`: the offset after its `\else` or `\fi` (the text between is never typeset, a common way
 * to comment out a block), counting nested conditionals (`\if...` to `\fi`) and skipping `%` comments.
 * An `\iffalse` that never closes skips nothing.
 */
export function skipFalseBranch(text: string, i: number): number {
  const special = /[\\%]/g;
  let depth = 0;
  let k = i;
  while (k < text.length) {
    special.lastIndex = k;
    if (!special.exec(text)) return i;
    k = special.lastIndex - 1;
    if (text[k] === '%') {
      k = lineEnd(text, k);
      continue;
    }
    let j = k + 1;
    while (isLetter(text.charCodeAt(j))) j++;
    const name = text.slice(k + 1, j);
    if (name === 'fi') {
      if (depth === 0) return j;
      depth--;
    } else if ((name === 'else' || name === 'or') && depth === 0) return j;
    else if (name === 'newif') {
      // `\newif\iffoo` defines a conditional: its name opens nothing.
      j = skipSpaceAndControlWord(text, j);
    } else if (name.startsWith('if')) depth++;
    k = j === k + 1 ? k + 2 : j;
  }
  return i;
}

function skipSpaceAndControlWord(text: string, i: number): number {
  let k = i;
  while (text[k] === ' ' || text[k] === '\t') k++;
  if (text[k] !== '\\') return i;
  let j = k + 1;
  while (isLetter(text.charCodeAt(j))) j++;
  return j;
}

export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The offset of the line break ending the line at `i` (or the text length); a `\r` stays before it. */
export function lineEnd(text: string, i: number): number {
  const k = text.indexOf('\n', i);
  return k < 0 ? text.length : k;
}

/** Whether the line break at `i` is followed by a blank line (a paragraph break). */
export function blankAfter(text: string, i: number): boolean {
  let k = i + 1;
  while (text[k] === ' ' || text[k] === '\t' || text[k] === '\r') k++;
  return text[k] === '\n';
}

/** `\verb|...|`, `\verb*+...+`: to the closing delimiter on the same line. */
export function skipVerb(text: string, i: number): number {
  if (text[i] === '*') i++;
  const delimiter = text[i];
  if (!delimiter || /[\sA-Za-z]/.test(delimiter)) return i;
  const end = lineEnd(text, i);
  for (let k = i + 1; k < end; k++) if (text[k] === delimiter) return k + 1;
  return end;
}

/** `\begin{verbatim}...\end{verbatim}` and the like: skipped whole (to the end when unclosed). */
export function skipVerbatim(text: string, i: number, verbatim: ReadonlySet<string> = verbatimEnvironments): number {
  const m = /[ \t]*\{([^{}\n]*)\}/y;
  m.lastIndex = i;
  const env = m.exec(text)?.[1];
  if (env === undefined || !verbatim.has(env)) return i;
  const close = `\\end{${env}}`;
  const k = text.indexOf(close, m.lastIndex);
  return k < 0 ? text.length : k + close.length;
}

/** Skips spaces, one line break and comments (between a command and its arguments). */
export function skipSpace(text: string, i: number): number {
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
 * Where a group ends: after its closer, or, when it is not closed, where it broke off (a blank
 * line, a stray `}`, the end of the text). Like LaTeX, which swallows that much looking for the
 * closer, callers go on from there: this also keeps the scan linear.
 */
export interface Group {
  end: number;
  closed: boolean;
}

/** The `[...]`, `(...)` or `{...}` group opening at `i`, with nested groups of its kind and braces inside. */
export function groupEnd(text: string, i: number, comments = true): Group {
  const open = text[i];
  const close = open === '[' ? ']' : open === '(' ? ')' : '}';
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
export function optionalArguments(text: string, i: number, max: number): Group {
  for (let n = 0; n < max; n++) {
    const s = skipSpace(text, i);
    if (text[s] !== '[') break;
    const g = groupEnd(text, s);
    if (!g.closed) return g;
    i = g.end;
  }
  return { end: i, closed: true };
}

/** The end of the `{...}` argument after `\\url`/`\\href`, where `%` is a character (`i` when there is none). */
export function rawArgumentEnd(text: string, i: number): number {
  const s = skipSpace(text, i);
  if (text[s] !== '{') return i;
  return groupEnd(text, s, false).end;
}
