/**
 * Navigation and refactoring, each trying citations, then cross-references, then glossary terms:
 * definition, references, rename; and the document and workspace symbols.
 */
import type { DocumentSymbol, Location, Range, SymbolInformation, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Position } from '../model';
import type { ITextDocument } from '../workspace';
import { ScopeIndex } from '../index/scopeIndex';
import { CitationSearch } from '../index/search';
import { bibliographySymbols, headingSymbols, workspaceSymbols } from '../features/symbols';
import type { ServiceContext } from './context';
import type { Citations } from './citations';
import type { CrossReferences } from './crossReferences';
import type { Terms } from './terms';
import type { Reports } from './reports';

export function createNavigation(ctx: ServiceContext, parts: { citations: Citations; crossReferences: CrossReferences; terms: Terms; reports: Reports }) {
  const { index, workspace } = ctx;
  const { citations, crossReferences, terms } = parts;
  let symbolSearch: { signature: string; search: CitationSearch } | undefined;

  return {
    async definition(doc: ITextDocument, position: Position): Promise<Location[] | undefined> {
      if (index.isBibliography(doc.uri, doc.languageId)) return undefined;
      const scoped = await index.scoped(index.factsOf(doc));
      return citations.definition(scoped, position) ?? (await crossReferences.definition(scoped, position)) ?? (await terms.definition(scoped.facts, scoped.scope, position));
    },

    async references(doc: ITextDocument, position: Position, includeDeclaration: boolean): Promise<Location[] | undefined> {
      return (await citations.references(doc, position, includeDeclaration)) ?? (await crossReferences.references(doc, position, includeDeclaration));
    },

    async prepareRename(doc: ITextDocument, position: Position): Promise<{ range: Range; placeholder: string } | undefined> {
      const key = await citations.prepareRename(doc, position);
      if (key || index.isBibliography(doc.uri, doc.languageId)) return key;
      return crossReferences.prepareRename(doc, position);
    },

    async rename(doc: ITextDocument, position: Position, newName: string): Promise<WorkspaceEdit | undefined> {
      return (await citations.rename(doc, position, newName)) ?? (await crossReferences.rename(doc, position, newName));
    },

    async documentSymbols(doc: ITextDocument): Promise<DocumentSymbol[]> {
      if (index.isBibliography(doc.uri, doc.languageId)) return bibliographySymbols(await index.bibliography(doc.uri));
      return headingSymbols(index.factsOf(doc));
    },

    async workspaceSymbols(query: string): Promise<SymbolInformation[]> {
      // Every bibliography the workspace's drafts use (parsed once; later calls hit the caches).
      for (const folder of workspace.folders()) await parts.reports.indexFolder(folder);
      const bibs = (await index.loadedBibliographies()).filter((b) => !b.fileError);
      const signature = ScopeIndex.signature(bibs);
      if (symbolSearch?.signature !== signature) {
        symbolSearch = { signature, search: CitationSearch.of(bibs.flatMap((b) => b.entries.map((entry) => ({ entry, uri: b.uri })))) };
      }
      return workspaceSymbols(query, symbolSearch.search, 200);
    },
  };
}
