/**
 * Pandoc citations (`[@a; -@b, p. 3]`, `@a`, `@{odd key}`), Quarto/pandoc-crossref references
 * (`@fig-x`, `@fig:x`) and the labels they point at (`{#fig-x}`, `#| label: fig-x`) in Markdown.
 *
 * One linear pass over the text (no regex over unbounded spans; the scanner is `markdownScanner.ts`). Block structure is read line by
 * line (front matter, fenced and indented code), inline structure character by character (code
 * spans, math, HTML comments, autolinks, bare URLs, escapes, brackets). Approximations, on purpose:
 * - Indented code is a line indented 4+ columns after a blank line or another such line, unless a
 *   list item came before in the same list (list content is often indented by 4).
 * - Fences may be indented or inside `>` quotes; a fence's info string never holds citations.
 * - A citation is bracketed (not in-text) when its innermost `[` closes in the same paragraph and is
 *   not a link (`](`, `][`, `]{`), an image (`![`) or an inline note (`^[`).
 * - Front matter holds no citations, except `nocite:`, whose keys (and `@*`, only there) are
 *   reported with `command: 'nocite'`, as Pandoc cites them.
 * Keys follow Pandoc (Parsing/Citations.hs): no `@` right after a letter, digit or `x.`; internal
 * punctuation only before a key character; braced keys have balanced braces and no whitespace.
 * A key `fig-x` (Quarto type, `Fig-x` too) or `fig:x` (pandoc-crossref) is a cross-reference, and
 * only ids of those shapes are collected as labels.
 */
import type { Citation, CitationCompletionContext, Range } from '../../model';
import { LineIndex } from '../../text';
import { isCrossRefLabel, keyPunct, regChar, scan, type MarkdownDialect, type Site } from './markdownScanner';

export { isCrossRefLabel, type MarkdownDialect };

export interface MarkdownLabel {
  /** The label without `@` or `#`, e.g. `fig-map`. */
  label: string;
  range: Range;
}

/** `@fig-x` (in text: "Figure 1"), `[@fig-x]`, `-@fig-x` (the number only), as pandoc reads a citation. */
export interface MarkdownCrossRef extends MarkdownLabel {
  inText: boolean;
  suppressAuthor: boolean;
}

export interface MarkdownCitations {
  citations: Citation[];
  /** Cross-references `@fig-x`; the range covers the label without `@`. */
  crossRefs: MarkdownCrossRef[];
  /** Cross-reference targets: `{#fig-x}`, `# Title {#sec-x}`, `#| label: fig-x`, ```` ```{#lst-x} ````. */
  labels: MarkdownLabel[];
  /** The fixed starts of labels Quarto makes: a cell's `fig-x` also labels its plots `fig-x-1`, `fig-x-2`... */
  generated: string[];
  /** `@{}`: pandoc cites the empty key, which no bibliography holds (the range covers `@{}`). */
  emptyKeys: Range[];
  /** Files included into this one before pandoc reads it (`{{< include >}}`, `!INCLUDE`), as written. */
  includes: { path: string; range: Range }[];
}

export function parseMarkdownCitations(text: string, dialect: MarkdownDialect = {}): MarkdownCitations {
  const out: MarkdownCitations = { citations: [], crossRefs: [], labels: [], generated: [], emptyKeys: [], includes: [] };
  try {
    const lines = new LineIndex(text);
    const { sites, labels, examples, includes } = scan(text, text.length, dialect);
    for (const inc of includes) out.includes.push({ path: inc.path, range: lines.range(inc.start, inc.start + inc.path.length) });
    for (const s of sites) {
      if (s.braced && s.closed && s.keyEnd === s.keyStart) out.emptyKeys.push(lines.range(s.at, s.keyEnd + 1));
      if (s.keyEnd <= s.keyStart || (s.braced && !s.closed)) continue;
      const key = text.slice(s.keyStart, s.keyEnd);
      // `@good` names the example list item `(@good)`: pandoc writes its number.
      if (!s.braced && !s.nocite && examples.has(key)) continue;
      const range = lines.range(s.keyStart, s.keyEnd);
      if (s.nocite) out.citations.push({ key, range, syntax: 'pandoc', command: 'nocite' });
      else if (isCrossRefLabel(key)) out.crossRefs.push({ label: key, range, inText: s.inText, suppressAuthor: s.suppressAuthor });
      else out.citations.push({ key, range, syntax: 'pandoc', suppressAuthor: s.suppressAuthor, inText: s.inText });
    }
    for (const l of labels) {
      out.labels.push({ label: l.label, range: lines.range(l.start, l.start + l.label.length) });
      if (l.cell && /^fig-/i.test(l.label)) out.generated.push(`${l.label}-`);
    }
  } catch {
    // Parsers never throw; a bug here must not take the document's other facts down.
  }
  return out;
}

export function markdownCompletionContext(text: string, offset: number, dialect: MarkdownDialect = {}): CitationCompletionContext | undefined {
  try {
    let site: Site | undefined;
    for (const s of scan(text, offset, dialect).sites) if (s.at < offset) site = s;
    if (!site || offset < site.keyStart) return undefined;
    let end: number;
    if (site.braced) {
      end = site.keyEnd;
    } else {
      // The key word: key characters and punctuation; trailing punctuation before the cursor
      // is being typed (`@doe:|`), after it is the sentence's (`@do|e.`).
      let run = site.keyStart;
      if (regChar(text, run) || (site.nocite && text[run] === '*')) {
        while (regChar(text, run) || keyPunct.includes(text[run] ?? ' ')) run += regChar(text, run) || 1;
      }
      end = run;
      while (end > offset && keyPunct.includes(text[end - 1])) end--;
    }
    if (offset > end) return undefined;
    const lines = new LineIndex(text);
    return { prefix: text.slice(site.keyStart, offset), range: lines.range(site.keyStart, end), syntax: 'pandoc' };
  } catch {
    return undefined;
  }
}
