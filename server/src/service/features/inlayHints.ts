/**
 * Inlay hints (setting `entente.inlayHints.citations`): "Biscop 2022" after each LaTeX citation key that a
 * bibliography of the draft defines, so that `\cite{bis22}` reads as what it cites.
 */
import type { InlayHint, Range } from 'vscode-languageserver-types';
import type { BibEntry } from '../model';
import type { DocumentFacts } from '../index/documents';
import { shortAuthors } from '../render/csl';

export function citationInlayHints(facts: DocumentFacts, range: Range, entryOf: (key: string) => BibEntry | undefined): InlayHint[] {
  if (facts.kind !== 'latex') return [];
  const out: InlayHint[] = [];
  for (const c of facts.citations) {
    if (c.range.end.line < range.start.line || c.range.start.line > range.end.line || c.key === '*') continue;
    const entry = entryOf(c.key);
    if (!entry) continue;
    const who = shortAuthors(entry) || entry.title?.slice(0, 40);
    const label = [who, entry.year].filter(Boolean).join(' ');
    if (label) out.push({ position: c.range.end, label, paddingLeft: true });
  }
  return out;
}
