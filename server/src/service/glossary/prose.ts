/**
 * The prose of a Markdown or LaTeX document, for the glossary: a copy of the text of the same
 * length in which everything that is not prose is replaced by U+0000 (line breaks kept), plus
 * the headings and the glossary commands (`\gls{key}`, `\ac{key}`, Quarto's `\acr{key}`).
 *
 * Not prose, in Markdown: the YAML front matter, fenced and indented code, code spans, math
 * (`$...$`, `$$...$$`, `\(...\)`, `\[...\]`), HTML comments and tags, autolinks, bare URLs, e-mail
 * addresses, link destinations and reference labels, citation keys (`@key`), attributes
 * (`{#sec-x .class}`), shortcodes, div fences, link reference definitions, raw TeX command names.
 * In LaTeX: `%` comments, verbatim and math (inline, display, math environments), command names,
 * the arguments of commands that hold no prose (`\label`, `\ref`, `\cite...`, `\usepackage`,
 * `\url`, `\newacronym`...), and glossary commands; `~` becomes a space.
 * Headings: Markdown ATX and setext headings; LaTeX sectioning commands and `\title` (their argument).
 * One linear pass; spans that cannot close end where a paragraph ends.
 */
import { LatexScanner } from './latexProse';
import { MarkdownScanner } from './markdownProse';
import type { DocumentKind, ProseView } from './proseScanner';

export { glossaryCommands, type DocumentKind, type GlossaryRef, type ProseView } from './proseScanner';

export function proseView(text: string, kind: DocumentKind): ProseView {
  try {
    const view = kind === 'latex' ? new LatexScanner(text).run() : new MarkdownScanner(text).run();
    return { ...view, masked: withoutMojibakeQuotes(view.masked) };
  } catch {
    return { masked: text, headings: [], refs: [] };
  }
}

/**
 * A Thai letter against a Latin one is a quote or dash that went through the wrong code page (UTF-8 read as
 * Windows-874: "integrityโ", "โminilateralโ"): a space in the prose view, so that it hides no term.
 */
function withoutMojibakeQuotes(masked: string): string {
  return masked.replace(/(?<=[A-Za-z\u00C0-\u024F])[\u0E01-\u0E5B]|[\u0E01-\u0E5B](?=[A-Za-z\u00C0-\u024F])/g, ' ');
}
