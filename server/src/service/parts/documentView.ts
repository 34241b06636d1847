/**
 * What an editor draws over a document: its links to the files it names, its folding ranges, and the inlay hints
 * of its citations.
 */
import type { DocumentLink, FoldingRange, InlayHint, Range } from 'vscode-languageserver-types';
import type { ITextDocument } from '../workspace';
import { isCitable } from '../index/scopeIndex';
import { documentLinks } from '../features/documentLinks';
import { entryFolds, sectionFolds } from '../features/folding';
import { citationInlayHints } from '../features/inlayHints';
import type { ServiceContext } from './context';

export function createDocumentView(ctx: ServiceContext, home?: string) {
  const { index, workspace } = ctx;
  return {
    async links(doc: ITextDocument): Promise<DocumentLink[]> {
      if (index.isBibliography(doc.uri, doc.languageId)) return [];
      const facts = index.factsOf(doc);
      if (facts.kind === 'other') return [];
      const { scope } = await index.scoped(facts);
      return documentLinks(facts, scope.rootUri, async (uri) => !!(await workspace.stat(uri)), home);
    },

    async folding(doc: ITextDocument): Promise<FoldingRange[]> {
      if (index.isBibliography(doc.uri, doc.languageId)) {
        const bib = await index.bibliography(doc.uri);
        return bib.fileError ? [] : entryFolds(bib.entries);
      }
      return sectionFolds(index.factsOf(doc));
    },

    async inlayHints(doc: ITextDocument, range: Range): Promise<InlayHint[]> {
      if (!ctx.configFor(doc.uri).citationInlayHints || index.isBibliography(doc.uri, doc.languageId)) return [];
      const { facts, scope, index: cited } = await index.scoped(index.factsOf(doc));
      const ignoreCase = scope.backend === 'bibtex';
      return citationInlayHints(facts, range, (key) => cited.resolve(key, ignoreCase).find((l) => isCitable(l.entry))?.entry);
    },
  };
}

export type DocumentView = ReturnType<typeof createDocumentView>;
