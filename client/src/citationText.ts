/**
 * Pure helpers of the client's commands (no `vscode` import, so unit tests can load them): the citation text
 * "Insert Citation" writes for entries with their prefixes and locators, in Markdown or in the LaTeX of the
 * document's citation package, and the picker's plain-text view of a formatted reference.
 */

/** One entry of a citation: `[see @key, p. 12]`. */
export interface CiteItem {
  key: string;
  /** Text before the key ("see", "cf."). */
  prefix?: string;
  /** Where in the work ("p. 12", "pp. 3-5", "ch. 3"). */
  locator?: string;
}

/** How the document writes citations: pandoc's, or the LaTeX package its project loads (`latex`: plain `\cite`). */
export type CitationSyntax = 'pandoc' | 'biblatex' | 'natbib' | 'latex';

/** Locator labels as written (lower case, without the dot) → the abbreviation written out. */
const labels: Record<string, string> = {
  p: 'p.', pg: 'p.', page: 'p.', pp: 'pp.', pages: 'pp.',
  ch: 'ch.', chap: 'ch.', chapter: 'ch.', chapters: 'chs.', chs: 'chs.',
  sec: 'sec.', section: 'sec.', sections: 'secs.', secs: 'secs.', '§': '§', '§§': '§§',
  para: 'para.', paragraph: 'para.', '¶': '¶',
  fig: 'fig.', figure: 'fig.', n: 'n.', note: 'n.', nn: 'nn.', notes: 'nn.',
  vol: 'vol.', volume: 'vol.', l: 'l.', line: 'l.', ll: 'll.', lines: 'll.',
  art: 'art.', article: 'art.', no: 'no.', number: 'no.', pt: 'pt.', part: 'pt.', col: 'col.', column: 'col.', fol: 'fol.', folio: 'fol.',
};
const labelPattern = Object.keys(labels).sort((a, b) => b.length - a.length).map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
/** A locator at the end of a note: a label and a number ("p. 12", "ch.3", "pages 3-5"), or a number alone ("12", "3–5"). */
const trailingLocator = new RegExp(`(?:^|[\\s,])((?:(?:${labelPattern})\\.?\\s*)?\\d(?:[\\w.]*\\w)?(?:\\s*(?:[-–—,]|--)\\s*\\d(?:[\\w.]*\\w)?)*)\\s*$`, 'iu');
const labelled = new RegExp(`^(${labelPattern})\\.?\\s*(.*)$`, 'iu');

/**
 * What a writer types for one entry, read as a prefix and a locator: "see, p. 12", "see p. 12", "p. 12", "12",
 * "cf. ch. 3", "see", ", passim". A trailing number (with its label) is the locator; otherwise what follows the
 * first comma is. A bare number is a page ("p. 12"; a range "pp. 3-5"); a label is written as its abbreviation.
 */
export function parseNote(text: string): { prefix?: string; locator?: string } {
  const note = text.trim();
  const m = trailingLocator.exec(note);
  let prefix: string;
  let locator: string;
  if (m) {
    prefix = note.slice(0, m.index).replace(/[\s,]+$/, '');
    locator = normalLocator(m[1]);
  } else {
    const comma = note.indexOf(',');
    prefix = comma >= 0 ? note.slice(0, comma).trim() : note;
    locator = comma >= 0 ? note.slice(comma + 1).trim() : '';
  }
  return { ...(prefix ? { prefix } : {}), ...(locator ? { locator } : {}) };
}

/** "page 12" → "p. 12", "12" → "p. 12", "3-5" → "pp. 3-5", "ch.3" → "ch. 3". */
function normalLocator(raw: string): string {
  const l = labelled.exec(raw);
  const value = (l ? l[2] : raw).replace(/\s*(--|[-–—])\s*/g, '-').trim();
  if (!l) return `${/\d\s*[-,]\s*\d/.test(value) ? 'pp.' : 'p.'} ${value}`;
  let label = labels[l[1].toLowerCase()] ?? l[1];
  if (label === 'p.' && /\d-\d/.test(value)) label = 'pp.';
  return `${label} ${value}`;
}

/** A key as pandoc reads it after `@`, braced when it has other characters (`@{odd key.}`). */
export function pandocKey(key: string): string {
  return /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u.test(key) ? `@${key}` : `@{${key}}`;
}

/** Prefix or locator text inside `[...]`: what would end the citation, split it or start another is escaped. */
function pandocText(text: string): string {
  return text.replace(/([[\];@\\])/g, '\\$1');
}

/** The items of a pandoc citation, without brackets: `see @a, p. 12; @b`. */
export function pandocItems(items: readonly CiteItem[]): string {
  return items.map((i) => `${i.prefix ? `${pandocText(i.prefix)} ` : ''}${pandocKey(i.key)}${i.locator ? `, ${pandocText(i.locator)}` : ''}`).join('; ');
}

/** Text for LaTeX (a prenote, a postnote): its special characters escaped, brackets kept from closing the option. */
function latexText(text: string): string {
  return text.replace(/[\\{}#$%&_^~[\]]/g, (c) => ({ '\\': '\\textbackslash{}', '^': '\\^{}', '~': '\\~{}', '[': '{[}', ']': '{]}' })[c] ?? `\\${c}`);
}

/** A postnote: biblatex adds "p." to a page number itself (`[12]`); natbib and `\cite` print it as written (`[p.~12]`). */
function latexLocator(locator: string, syntax: CitationSyntax): string {
  const m = /^(pp?\.|[^\s\d]+\.?)\s+(.*)$/u.exec(locator);
  const value = (m ? m[2] : locator).replace(/(\d)\s*-\s*(\d)/g, '$1--$2');
  if (!m) return latexText(value);
  if (syntax === 'biblatex' && /^pp?\.$/.test(m[1]) && /^[\w\s,–-]+$/u.test(value)) return latexText(value);
  return `${latexText(m[1])}~${latexText(value)}`;
}

/** `[pre][post]`, `[post]`, `[pre][]` or nothing. */
function notes(item: CiteItem, syntax: CitationSyntax): string {
  const pre = item.prefix ? latexText(item.prefix) : '';
  const post = item.locator ? latexLocator(item.locator, syntax) : '';
  return pre ? `[${pre}][${post}]` : post ? `[${post}]` : '';
}

/**
 * A whole LaTeX citation: biblatex `\parencite[see][12]{a}`, `\parencites[see][12]{a}{b}` when several have
 * notes; natbib `\citep[see][p.~12]{a}`, and `\citetext{\citealp[see][p.~12]{a}; \citealp{b}}` for notes
 * natbib's one pair cannot carry; plain `\cite[p.~12]{a}`, with a prefix written before it.
 */
export function latexCitation(items: readonly CiteItem[], syntax: CitationSyntax): string {
  const keys = items.map((i) => i.key).join(',');
  const annotated = items.filter((i) => i.prefix || i.locator);
  // One pair of notes for the whole group: a prefix on the first, a locator on the last.
  const onePair = annotated.every((i) => (i === items[0] || !i.prefix) && (i === items[items.length - 1] || !i.locator));
  const group = { key: keys, prefix: items[0].prefix, locator: items[items.length - 1].locator };
  if (syntax === 'biblatex') {
    if (items.length === 1 || annotated.length === 0) return `\\parencite${notes(group, syntax)}{${keys}}`;
    return `\\parencites${items.map((i) => `${notes(i, syntax)}{${i.key}}`).join('')}`;
  }
  if (syntax === 'natbib') {
    if (onePair) return `\\citep${notes(group, syntax)}{${keys}}`;
    return `\\citetext{${items.map((i) => `\\citealp${notes(i, syntax)}{${i.key}}`).join('; ')}}`;
  }
  const cite = (i: CiteItem) => `${i.prefix ? `${latexText(i.prefix)}~` : ''}\\cite${i.locator ? `[${latexLocator(i.locator, syntax)}]` : ''}{${i.key}}`;
  return onePair ? cite(group) : items.map(cite).join(', ');
}

/** The line before the cursor ends inside a LaTeX citation's key group (`\parencite[p.~3]{a,`): only keys go there. */
export function inLatexKeyGroup(lineBefore: string): boolean {
  // The command, its optional arguments, and the key groups of a multicite before the open one (`\textcites(a)[b]{x}[c]{`).
  return /\\[A-Za-z]*cite[A-Za-z]*\*?(?:\([^)]*\)){0,2}(?:\[[^\]]*\]){0,2}(?:\{[^{}]*\}(?:\[[^\]]*\]){0,2})*\{[^{}]*$/.test(lineBefore);
}

/**
 * The text to insert for `items` at the cursor, given the text of the line before it: a whole citation, or
 * inside an open one (`[@a; ` in Markdown, `\cite{a,` in LaTeX) only what continues it (in LaTeX the keys
 * alone: a key group holds no notes).
 */
export function citationInsertion(syntax: CitationSyntax, lineBefore: string, items: readonly CiteItem[]): string {
  if (items.length === 0) return '';
  if (syntax !== 'pandoc') {
    if (inLatexKeyGroup(lineBefore)) {
      const keys = items.map((i) => i.key).join(',');
      return /[{,]\s*$/.test(lineBefore) ? keys : `,${keys}`;
    }
    return latexCitation(items, syntax);
  }
  const open = lineBefore.lastIndexOf('[');
  const inBracket = open >= 0 && !lineBefore.slice(open).includes(']') && lineBefore.slice(open).includes('@');
  if (inBracket) return /[;[]\s*$/.test(lineBefore) ? pandocItems(items) : `; ${pandocItems(items)}`;
  return `[${pandocItems(items)}]`;
}

/** A formatted reference (Markdown) as the picker's plain detail line: a link shows its text (the DOI), no escapes or emphasis. */
export function plainReference(markdown: string): string {
  return markdown
    .replace(/\[((?:\\.|[^\]\\])*)\]\([^()\s]*\)/g, '$1')
    .replace(/\\(.)|[*]/g, (_, c: string | undefined) => c ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
