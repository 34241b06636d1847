/**
 * Folding ranges: each entry of a bibliography (in any format) that spans lines, and a LaTeX document's sections,
 * each from its heading to the line before the next heading of the same or a higher level (or `\end{document}`),
 * blank lines at its end left out.
 */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { BibEntry } from '../model';
import type { DocumentFacts } from '../index/documents';

export function entryFolds(entries: readonly BibEntry[]): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const e of entries) if (e.range.end.line > e.range.start.line) out.push({ startLine: e.range.start.line, endLine: e.range.end.line, kind: FoldingRangeKind.Region });
  return out;
}

export function sectionFolds(facts: DocumentFacts): FoldingRange[] {
  if (facts.kind !== 'latex') return [];
  const text = facts.lines.text;
  const lineCount = facts.lines.positionAt(text.length).line + 1;
  const endDocument = /^[ \t]*\\end\{document\}/m.exec(text);
  const last = endDocument ? facts.lines.positionAt(endDocument.index).line - 1 : lineCount - 1;
  const blank = (line: number) => {
    const start = facts.lines.offsetAt({ line, character: 0 });
    const end = facts.lines.offsetAt({ line: line + 1, character: 0 });
    return !text.slice(start, end).trim();
  };
  const { headings } = facts;
  const out: FoldingRange[] = [];
  headings.forEach((h, i) => {
    const next = headings.slice(i + 1).find((o) => o.level <= h.level);
    let end = next ? next.range.start.line - 1 : last;
    while (end > h.range.start.line && blank(end)) end--;
    if (end > h.range.start.line) out.push({ startLine: h.range.start.line, endLine: end, kind: FoldingRangeKind.Region });
  });
  return out;
}
