/** Document symbols (bibliography entries, draft headings) and workspace symbols (entries). */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-types';
import type { DocumentFacts } from '../index/documents';
import type { LoadedBibliography } from '../index/bibliographies';
import type { CitationSearch } from '../index/search';
import { candidateLabel } from './diagnostics';

export function bibliographySymbols(bib: LoadedBibliography): DocumentSymbol[] {
  return bib.entries.map((e) => ({
    name: e.key,
    detail: `@${e.type} ${candidateLabel(e)}`,
    kind: SymbolKind.Key,
    range: e.range,
    selectionRange: e.keyRange,
  }));
}

/** Headings nested by level. */
export function headingSymbols(facts: DocumentFacts): DocumentSymbol[] {
  const roots: DocumentSymbol[] = [];
  const stack: { level: number; symbol: DocumentSymbol }[] = [];
  const lastLine = facts.lines.lineCount - 1;
  for (const h of facts.headings) {
    const symbol: DocumentSymbol = { name: h.title, kind: SymbolKind.String, range: { ...h.range }, selectionRange: h.range, children: [] };
    while (stack.length && stack[stack.length - 1].level >= h.level) stack.pop();
    (stack.length ? stack[stack.length - 1].symbol.children! : roots).push(symbol);
    stack.push({ level: h.level, symbol });
  }
  // A section's range runs to the next heading of its level or above (or the end of the document).
  const endOfLine = (line: number) => ({ line, character: facts.lines.lineText(line).length });
  const extend = (list: DocumentSymbol[], end: { line: number; character: number }) => {
    list.forEach((s, i) => {
      const next = list[i + 1];
      const stop = next && next.range.start.line - 1 > s.range.start.line ? endOfLine(next.range.start.line - 1) : next ? s.range.end : end;
      s.range = { start: s.range.start, end: stop };
      extend(s.children!, stop);
    });
  };
  extend(roots, { line: lastLine, character: facts.lines.lineText(lastLine).length });
  return roots;
}

export function workspaceSymbols(query: string, search: CitationSearch, limit: number): SymbolInformation[] {
  return search.search(query, limit).hits.map(({ record }) => ({
    name: record.key,
    kind: SymbolKind.Key,
    containerName: candidateLabel(record.entry),
    location: { uri: record.uri, range: record.entry.keyRange },
  }));
}
