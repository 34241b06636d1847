/**
 * What a cross-reference label names, read around the label where it is defined: the heading text of a
 * section, the caption of a figure or table, the first line of an equation (label completion and hover).
 *
 * Read lazily for the few labels shown, in a bounded window around the label (never the whole text), so it
 * is no second scan of the document. Never throws; a label whose target it cannot read names nothing.
 *
 * LaTeX: a sectioning command on the label's line or the line before it (`\section{Title}\label{sec:x}`);
 * else the innermost environment open at the label: a figure's or table's `\caption{...}`, an equation's
 * first line. Markdown: a heading (`# Title {#sec-x}`), an image's alt text (`![Caption](a.png){#fig-x}`),
 * a table caption (`: Caption {#tbl-x}`), display math (`$$ x $$ {#eq-x}`), a div's last line before its
 * closing fence (`::: {#fig-x}`), a cell's `#| fig-cap:`/`#| tbl-cap:` option.
 */

/** A label's target: its kind ("Section", "Figure"...) and what it says, on one line. */
export interface LabelTarget {
  kind: string;
  text: string;
}

/** How far around a label its target is looked for. */
const WINDOW = 4000;
/** What a description is cut to. */
const MAX_TEXT = 160;

const latexSections = /\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?\s*(?:\[[^\]\n]*\])?\s*\{/g;
const latexKinds: Record<string, string> = {
  figure: 'Figure', 'figure*': 'Figure', subfigure: 'Figure', wrapfigure: 'Figure', table: 'Table', 'table*': 'Table', subtable: 'Table',
  equation: 'Equation', 'equation*': 'Equation', align: 'Equation', 'align*': 'Equation', gather: 'Equation', multline: 'Equation',
  eqnarray: 'Equation', flalign: 'Equation', alignat: 'Equation', lstlisting: 'Listing', listing: 'Listing',
};
const quartoKinds: Record<string, string> = { fig: 'Figure', tbl: 'Table', sec: 'Section', eq: 'Equation', lst: 'Listing', thm: 'Theorem', lem: 'Lemma', def: 'Definition' };

/** The target of the LaTeX label whose `\label{` argument starts at `start`. */
export function latexLabelTarget(text: string, start: number): LabelTarget | undefined {
  try {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const previousLine = text.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1;
    const near = text.slice(previousLine, start);
    let section: RegExpExecArray | undefined;
    for (const m of near.matchAll(latexSections)) section = m;
    if (section) {
      const open = previousLine + section.index! + section[0].length - 1;
      const title = bracedText(text, open);
      // The label right after the heading (spaces and a line break between them at most).
      if (title !== undefined && /^\s*\\label\s*(?:\[[^\]\n]*\])?\s*\{$/.test(text.slice(open + title.length + 2, start))) {
        return { kind: sectionKind(section[1]), text: oneLine(latexPlain(title)) };
      }
    }
    const env = openEnvironment(text, start);
    if (!env) return undefined;
    const kind = latexKinds[env.name];
    if (!kind) return undefined;
    const body = text.slice(env.contentStart, env.end);
    if (kind === 'Equation') {
      const line = body.split('\n').map((l) => l.replace(/\\label\{[^{}]*\}/g, '').replace(/(^|[^\\])%.*$/, '$1').trim()).find((l) => l);
      return line ? { kind, text: oneLine(line.replace(/\s*\\\\$/, '')) } : undefined;
    }
    const caption = /\\caption\*?\s*(?:\[[^\]\n]*\])?\s*\{/.exec(body);
    if (!caption) return undefined;
    const title = bracedText(text, env.contentStart + caption.index + caption[0].length - 1);
    return title === undefined ? undefined : { kind, text: oneLine(latexPlain(title)) };
  } catch {
    return undefined;
  }
}

/** The target of the Markdown label (`fig-map`) defined at `start` (the label's first character). */
export function markdownLabelTarget(text: string, start: number, label: string): LabelTarget | undefined {
  try {
    const kind = quartoKinds[/^[A-Za-z]+/.exec(label)?.[0].toLowerCase() ?? ''] ?? 'Label';
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = endOfLine(text, start);
    const line = text.slice(lineStart, lineEnd);
    // Patterns below read the line before the label: at most its last 2,000 characters.
    const before = text.slice(Math.max(lineStart, start - 2000), start);
    const described = (s: string | undefined) => (s && s.trim() ? { kind, text: oneLine(s) } : undefined);
    // `#| label: fig-x` in a cell: its caption option.
    if (/^\s*(?:#|\/\/|%%|--)\|/.test(line)) return described(cellCaption(text, lineStart));
    // A heading.
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*\{[^{}]*$/.exec(before);
    if (heading) return { kind: 'Section', text: oneLine(heading[1]) };
    // `![Caption](a.png){#fig-x}`.
    const image = /!\[((?:[^\][]|\[[^\][]*\])*)\]\([^)]*\)\s*\{[^{}]*$/.exec(before);
    if (image) return described(image[1]);
    // `: Caption {#tbl-x}` (or `Table: Caption {#tbl-x}`).
    const tableCaption = /^\s*(?:Table)?:\s+(.*?)\s*\{[^{}]*$/.exec(before);
    if (tableCaption) return described(tableCaption[1]);
    // `$$ x = y $$ {#eq-x}`, on one line or closing several.
    const math = /\$\$\s*\{[^{}]*$/.exec(before);
    if (math) return described(displayMathFirstLine(text, lineStart + math.index));
    // `::: {#fig-x}`: the caption is the div's last paragraph.
    if (/^\s*:::+\s*\{[^{}]*$/.test(before)) return described(divCaption(text, lineEnd));
    return undefined;
  } catch {
    return undefined;
  }
}

function sectionKind(command: string): string {
  return command === 'chapter' ? 'Chapter' : command === 'part' ? 'Part' : 'Section';
}

/** The content of the group opening at `open` (a `{`), nested groups kept; undefined when it does not close in the window. */
function bracedText(text: string, open: number): string | undefined {
  let depth = 0;
  const stop = Math.min(text.length, open + WINDOW);
  for (let i = open; i < stop; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** The innermost environment open at `offset` (looking back no further than the window), with where it ends. */
function openEnvironment(text: string, offset: number): { name: string; contentStart: number; end: number } | undefined {
  const from = Math.max(0, offset - WINDOW);
  const stack: { name: string; contentStart: number }[] = [];
  const re = /\\(begin|end)\s*\{([^{}\n]*)\}/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < offset; m = re.exec(text)) {
    if (m[1] === 'begin') stack.push({ name: m[2].trim(), contentStart: m.index + m[0].length });
    else if (stack.length && stack[stack.length - 1].name === m[2].trim()) stack.pop();
  }
  const env = stack.pop();
  if (!env) return undefined;
  const close = new RegExp(`\\\\end\\s*\\{${env.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}`, 'g');
  close.lastIndex = offset;
  const m = close.exec(text.slice(0, Math.min(text.length, offset + WINDOW)));
  return { ...env, end: m ? m.index : Math.min(text.length, offset + WINDOW) };
}

/** A LaTeX title as text: `{NATO}` -> NATO, `\emph{x}` -> x, `\gls{nfm}` -> nfm, `\&` -> &, `~` -> space. */
function latexPlain(s: string): string {
  return s
    .replace(/\\label\s*\{[^{}]*\}/g, '')
    .replace(/\\[A-Za-z]+\*?\s*(?=\{)/g, '')
    .replace(/\\([A-Za-z]+|[^A-Za-z])/g, '$1')
    .replace(/~/g, ' ')
    .replace(/[{}]/g, '');
}

/** One line, spaces collapsed, cut to MAX_TEXT. */
function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= MAX_TEXT ? t : `${t.slice(0, MAX_TEXT - 1)}…`;
}

function endOfLine(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

/** The `fig-cap`/`tbl-cap`/`lst-cap` option among the `#|` lines around `lineStart`. */
function cellCaption(text: string, lineStart: number): string | undefined {
  const from = Math.max(0, lineStart - WINDOW);
  const lines = text.slice(from, Math.min(text.length, lineStart + WINDOW)).split('\n');
  let at = text.slice(from, lineStart).split('\n').length - 1;
  const option = /^\s*(?:#|\/\/|%%|--)\|/;
  let first = at;
  while (first > 0 && option.test(lines[first - 1])) first--;
  for (at = first; at < lines.length && option.test(lines[at]); at++) {
    const m = /^\s*(?:#|\/\/|%%|--)\|\s*(?:fig|tbl|lst)-cap\s*:\s*(.*)$/.exec(lines[at]);
    if (m) return m[1].trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return undefined;
}

/** The first line of the display math that closes at `close` (the offset of its closing `$$`). */
function displayMathFirstLine(text: string, close: number): string | undefined {
  const open = text.lastIndexOf('$$', close - 1);
  if (open < 0 || close - open > WINDOW) return undefined;
  return text
    .slice(open + 2, close)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l);
}

/** The last non-blank line of the div whose opening fence ends at `lineEnd`, before its closing fence. */
function divCaption(text: string, lineEnd: number): string | undefined {
  const lines = text.slice(lineEnd + 1, Math.min(text.length, lineEnd + 1 + WINDOW)).split('\n');
  let depth = 1;
  let last: string | undefined;
  for (const line of lines) {
    if (/^\s*:::+\s*\S/.test(line)) depth++;
    else if (/^\s*:::+\s*$/.test(line) && --depth === 0) return last;
    else if (depth === 1 && line.trim() && !/^\s*!\[/.test(line)) last = line.trim();
  }
  return undefined;
}
