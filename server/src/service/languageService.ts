/**
 * The language service façade: everything the server and the CLI call, and nothing else. It owns
 * the config and the workspace index (keeping both current), and wires the parts, one per concern
 * (`parts/`): citations, cross-references, the glossary's terms, navigation, checks, reports.
 * It reaches the world only through the injected IWorkspace.
 */
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, Hover, InlayHint, Location, Range, SemanticTokens, SymbolInformation, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Position } from './model';
import type { IIndexCache, ILogger, ITextDocument, IWorkspace } from './workspace';
import { nullLogger } from './workspace';
import { defaultConfig, type EntenteConfig } from './config';
import { isInside } from './index/paths';
import { createWorkspaceIndex } from './index/workspaceIndex';
import { boundDiagnostics } from './features/bounds';
import type { ExportFormat } from './features/export';
import { importReferences, type ImportFormat, type ImportResult } from './features/importReferences';
import type { ServiceContext } from './parts/context';
import { createCitations, type EntryChoice } from './parts/citations';
import { createCrossReferences } from './parts/crossReferences';
import { createTerms, type TermChoice } from './parts/terms';
import { createDocumentView } from './parts/documentView';
import { typedCitationActions } from './features/typedCitations';
import { createChecks } from './parts/checks';
import { createReports, type DocumentStatus, type UnusedEntry } from './parts/reports';
import { createNavigation } from './parts/navigation';
import { createFixes } from './parts/fixes';

export { UserError } from './parts/context';
export type { EntryChoice } from './parts/citations';
export { semanticTokensLegend } from './features/semanticTokens';
export type { TermChoice } from './parts/terms';
export type { BibliographyStatus, DocumentStatus, UnusedEntry } from './parts/reports';

export interface LanguageServiceInit {
  workspace: IWorkspace;
  logger?: ILogger;
  config?: EntenteConfig;
  /** The user's home folder, for `~/` paths. */
  home?: string;
  /** Where parsed bibliographies are kept between sessions (`entente.cache.enabled`); none by default. */
  indexCache?: IIndexCache;
  /** Today's date (ISO), for facts that change with time (`glossary.fact`); the clock's by default. */
  today?: () => string;
}

export type LanguageService = ReturnType<typeof createLanguageService>;

export function createLanguageService(init: LanguageServiceInit) {
  const { workspace } = init;
  const logger = init.logger ?? nullLogger;
  let config = init.config ?? defaultConfig;
  /** Each workspace folder's own config (settings asked for with its scopeUri), innermost first. */
  let folderConfigs: [folder: string, config: EntenteConfig][] = [];
  const configFor = (uri?: string): EntenteConfig => (uri === undefined ? undefined : folderConfigs.find(([f]) => isInside(uri, f))?.[1]) ?? config;

  const index = createWorkspaceIndex(workspace, logger, configFor, init.home, init.indexCache);
  const today = init.today ?? (() => new Date().toISOString().slice(0, 10));
  const ctx: ServiceContext = { workspace, logger, configFor, index, today, clientCommands: new Set() };
  const citations = createCitations(ctx);
  const crossReferences = createCrossReferences(ctx);
  const terms = createTerms(ctx);
  const checks = createChecks(ctx, terms);
  const reports = createReports(ctx, checks, terms);
  const navigation = createNavigation(ctx, { citations, crossReferences, terms, reports });
  const view = createDocumentView(ctx, init.home);
  const fixes = createFixes(ctx);

  return Object.freeze({
    /** The global config (the settings asked for without a folder). */
    get config(): EntenteConfig {
      return config;
    },

    /** The config of a document's workspace folder, or the global one. */
    configFor(uri: string): EntenteConfig {
      return configFor(uri);
    },

    /** The global config, and each workspace folder's own (when the editor answers per folder). */
    setConfig(next: EntenteConfig, perFolder: ReadonlyMap<string, EntenteConfig> = new Map()): void {
      // What a parse depends on, in effect in each folder: a folder's own config equal to the global one changes nothing.
      const folders = [...new Set([...workspace.folders(), ...folderConfigs.map(([f]) => f), ...perFolder.keys()])];
      const parsing = () => [config, ...folders.map((f) => configFor(f))].map((c) => `${c.maxFileBytes}|${c.latexCitationCommands.join()}`).join('\n');
      const before = parsing();
      config = next;
      folderConfigs = [...perFolder].sort(([a], [b]) => b.length - a.length);
      index.configChanged(parsing() !== before);
    },

    /** A file changed on disk or in the editor: forget what was read of it. */
    fileChanged(uri: string): void {
      index.fileChanged(uri);
    },

    /** Files were created or deleted: listings may differ, and a missing bibliography may now exist. */
    filesCreatedOrDeleted(uris: readonly string[]): void {
      index.listingsChanged();
      for (const uri of uris) index.fileChanged(uri);
    },

    /** A document was closed: its facts now come from the disk. */
    documentClosed(uri: string): void {
      index.documentClosed(uri);
    },

    onBibliographyChanged(listener: (uri: string) => void): void {
      index.onBibliographyChanged(listener);
    },

    /** The commands the editor runs from links in hovers (`entente.showTerm` puts a "Full entry" link in short cards). */
    setClientCommands(commands: readonly string[]): void {
      ctx.clientCommands.clear();
      for (const c of commands) ctx.clientCommands.add(c);
    },

    isBibliography(uri: string, languageId?: string): boolean {
      return index.isBibliography(uri, languageId);
    },

    async getCompletions(doc: ITextDocument, position: Position): Promise<CompletionList | undefined> {
      const facts = index.factsOf(doc);
      if (facts.kind === 'other') return undefined;
      const now = await index.scopedNow(facts);
      const glossaryKeys = await terms.completion(facts, now.scope, position);
      if (glossaryKeys) return glossaryKeys;
      // While the libraries are first parsed, their preview answers a citation's completion (issue 17).
      const early = 'preview' in now && !crossReferences.completesAt(now.facts, position) ? citations.previewCompletion(now, position) : undefined;
      if (early) return early;
      const scoped = 'preview' in now ? await now.scoped : now;
      return (await crossReferences.completion(scoped, position)) ?? citations.completion(scoped, position);
    },

    resolveCompletion(item: CompletionItem): Promise<CompletionItem> {
      return citations.resolveCompletion(item);
    },

    async getHover(doc: ITextDocument, position: Position): Promise<Hover | undefined> {
      const facts = index.factsOf(doc);
      if (facts.kind === 'other') return undefined;
      const scoped = await index.scoped(facts);
      return (await citations.hover(scoped, position)) ?? (await crossReferences.hover(scoped, position)) ?? (await terms.hover(scoped, position));
    },

    /** The citation keys of a draft (`features/semanticTokens.ts`: `semanticTokensLegend`); none elsewhere. */
    async getSemanticTokens(doc: ITextDocument): Promise<SemanticTokens> {
      const facts = index.factsOf(doc);
      if (facts.kind === 'other') return { data: [] };
      return citations.semanticTokens(await index.scoped(facts));
    },

    /** Diagnostics of an open document. */
    async getDiagnostics(doc: ITextDocument): Promise<Diagnostic[]> {
      const found = await checks.diagnosticsOf(doc.uri, index.isBibliography(doc.uri, doc.languageId));
      return boundDiagnostics(found, configFor(doc.uri).maxDiagnosticsPerFile);
    },

    /** Is the file excluded from checks (`entente.files.exclude`)? */
    isExcluded: checks.isExcluded,

    /** The drafts, bibliographies and glossary files `checkFiles` checks for a file or folder (none: nothing to check there). */
    checkTargets: checks.checkTargets,

    /**
     * Diagnostics of every draft under the given folders or files, and of the bibliographies
     * they use; with `unused`, entries nothing cites. For `entente check` and "Check Workspace".
     */
    async checkFiles(uris: readonly string[], options?: { unused?: boolean }): Promise<Map<string, Diagnostic[]>> {
      const found = await checks.checkFiles(uris, options);
      for (const [uri, list] of found) found.set(uri, boundDiagnostics(list, configFor(uri).maxDiagnosticsPerFile));
      return found;
    },

    /**
     * Quick fixes for Entente's diagnostics, each re-finding its target in the document as it is now; with the range
     * the editor asks about, the actions there too (add an acronym the draft spells out to the project glossary).
     */
    async getCodeActions(doc: ITextDocument, diagnostics: readonly Diagnostic[], range?: Range): Promise<CodeAction[]> {
      const found = await fixes.codeActions(doc, diagnostics);
      const facts = index.factsOf(doc);
      // A plain-text draft gets the fixes of its findings only: `[@key]` means nothing in it.
      if (!range || facts.kind === 'other') return found;
      const typed = facts.kind === 'markdown' ? typedCitationActions(doc.uri, facts.lines.text, index.glossaries.view(facts).masked, facts.lines, range) : [];
      return [...found, ...(await terms.addTermActions(await index.scoped(facts), range)), ...typed];
    },

    getDefinition(doc: ITextDocument, position: Position): Promise<Location[] | undefined> {
      return navigation.definition(doc, position);
    },

    getReferences(doc: ITextDocument, position: Position, includeDeclaration: boolean): Promise<Location[] | undefined> {
      return navigation.references(doc, position, includeDeclaration);
    },

    prepareRename(doc: ITextDocument, position: Position): Promise<{ range: Range; placeholder: string } | undefined> {
      return navigation.prepareRename(doc, position);
    },

    rename(doc: ITextDocument, position: Position, newName: string): Promise<WorkspaceEdit | undefined> {
      return navigation.rename(doc, position, newName);
    },

    getDocumentSymbols(doc: ITextDocument): Promise<DocumentSymbol[]> {
      return navigation.documentSymbols(doc);
    },

    getWorkspaceSymbols(query: string): Promise<SymbolInformation[]> {
      return navigation.workspaceSymbols(query);
    },

    /** The full entry of a glossary term as the draft sees it (Markdown), or undefined; without a draft, a built-in term's. */
    async getTermCard(doc: ITextDocument | undefined, id: string): Promise<string | undefined> {
      return terms.card(doc && (await index.scoped(index.factsOf(doc))), id);
    },

    /** Every glossary term a draft sees (built-in and its project's), for a picker; without a draft, the built-in ones. */
    async listTerms(doc: ITextDocument | undefined): Promise<TermChoice[]> {
      return terms.choices(doc && (await index.scoped(index.factsOf(doc))));
    },

    /** Links to the files a draft names (`\input`, `\addbibresource`, `bibliography:`, `csl:`...). */
    getDocumentLinks(doc: ITextDocument): Promise<DocumentLink[]> {
      return view.links(doc);
    },

    /** A bibliography's entries, a LaTeX document's sections. */
    getFoldingRanges(doc: ITextDocument): Promise<FoldingRange[]> {
      return view.folding(doc);
    },

    /** "Biscop 2022" after LaTeX citation keys (`entente.inlayHints.citations`). */
    getInlayHints(doc: ITextDocument, range: Range): Promise<InlayHint[]> {
      return view.inlayHints(doc, range);
    },

    /** Formats the references a draft cites in idle time (`idle` resolves when the server has nothing else to do), for quick first hovers. */
    warmHovers(doc: ITextDocument, idle?: () => Promise<void>): Promise<void> {
      return citations.warmHovers(doc, idle);
    },

    /** Fuzzy search over everything a document can cite, for the pickers; the first `formatted` come with their reference. */
    searchEntries(doc: ITextDocument, query: string, limit?: number, formatted?: number): Promise<EntryChoice[]> {
      return citations.searchEntries(doc, query, limit, formatted);
    },

    /** Only the entries the given drafts (or all) cite, as BibTeX or CSL-JSON; `missing` lists keys defined nowhere. */
    exportCited(docUris: readonly string[] | undefined, format: ExportFormat): Promise<{ text: string; count: number; missing: string[] }> {
      return reports.exportCited(docUris, format);
    },

    /** The entries no draft loading them cites: of a bibliography, or of those a draft uses. */
    unusedEntries(doc: ITextDocument): Promise<UnusedEntry[]> {
      return reports.unusedEntries(doc);
    },

    /** A typed reference list (APA, Harvard, Chicago author-date) as BibLaTeX or CSL-JSON, with what was uncertain. */
    importReferences(text: string, format: ImportFormat, firstLine?: number): ImportResult {
      return importReferences(text, format, firstLine);
    },

    /** Which bibliographies a document uses, with counts and failures. */
    getDocumentStatus(doc: ITextDocument): Promise<DocumentStatus> {
      return reports.documentStatus(doc);
    },

    /** Indexes a folder the way the drafts in it would (for `entente index`); with `problems`, their diagnostics. */
    indexFolder: reports.indexFolder,
  });
}
