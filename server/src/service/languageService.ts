/**
 * The language service façade: everything the server and the CLI call.
 * It owns the caches (document facts per version, parsed bibliographies, scope indexes)
 * and reaches the world only through the injected IWorkspace.
 */
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  Range,
  SymbolInformation,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { Position } from './model';
import type { ILogger, ITextDocument, IWorkspace } from './workspace';
import { nullLogger } from './workspace';
import { defaultConfig, type EntenteConfig } from './config';
import { bibliographyExtensions, type LoadedBibliography } from './index/bibliographies';
import { draftExtensions, isDraftFile, type DocumentFacts } from './index/documents';
import { workspaceFolderOf, type BibliographySource, type Scope } from './index/scope';
import { ScopeIndex } from './index/scopeIndex';
import { CitationSearch } from './index/search';
import { extname, basename, isInside } from './index/paths';
import { completeCitations, type CitationItemData } from './features/completion';
import { citationHover } from './features/hover';
import { bibliographyDiagnostics, candidateLabel, declaredBibliographyDiagnostics, draftDiagnostics, fileErrorDiagnostic, unusedEntries } from './features/diagnostics';
import { codeActions } from './features/codeActions';
import { citationDefinition, labelDefinition, refAt } from './features/definition';
import { citationKeyAt, citationLocations, entryKeyAt, labelLocations, type KeyAt } from './features/references';
import { invalidKeyReason, invalidLabelReason, renameEdit } from './features/rename';
import { bibliographySymbols, headingSymbols, workspaceSymbols } from './features/symbols';
import { citedEntries, exportText, type ExportFormat } from './features/export';
import { createWorkspaceIndex } from './index/workspaceIndex';
import { termAt, termHover } from './features/glossaryHover';
import { glossaryCompletion } from './features/glossaryCompletion';
import { glossaryDiagnostics, newFirstUseState, type FirstUseState } from './features/glossaryDiagnostics';
import { glossarySyntaxDiagnostics, glossaryConflicts } from './features/glossaryProject';
import type { Glossary } from './glossary/model';

export interface LanguageServiceInit {
  workspace: IWorkspace;
  logger?: ILogger;
  config?: EntenteConfig;
  /** The user's home folder, for `~/` paths. */
  home?: string;
}

/** A bibliography as a document sees it: for the status bar and `entente index`. */
export interface BibliographyStatus {
  uri: string;
  format: string;
  origin: BibliographySource['origin'] | 'references';
  entries: number;
  errors: number;
  fileError?: string;
  parseMs: number;
}

export interface DocumentStatus {
  entries: number;
  /** Glossary terms the document sees (built-in and project). */
  terms: number;
  bibliographies: BibliographyStatus[];
}

/** An entry as the "Insert Citation" and "Show Entry" pickers show it. */
export interface EntryChoice {
  key: string;
  /** "Biscop (2022) The New Force Model" */
  label: string;
  /** The formatted reference (for the first few choices only). */
  reference?: string;
  uri: string;
  range: Range;
}

/** A failure the user must see (a refused rename): the server turns it into a ResponseError. */
export class UserError extends Error {}

export type LanguageService = ReturnType<typeof createLanguageService>;

export function createLanguageService(init: LanguageServiceInit) {
  const { workspace } = init;
  const logger = init.logger ?? nullLogger;
  let config = init.config ?? defaultConfig;
  /** Each workspace folder's own config (settings asked for with its scopeUri), innermost first. */
  let folderConfigs: [folder: string, config: EntenteConfig][] = [];
  const configFor = (uri?: string): EntenteConfig => (uri === undefined ? undefined : folderConfigs.find(([f]) => isInside(uri, f))?.[1]) ?? config;

  const { store, renderer, glossaries, factsCache, texts, listings, indexes, factsOf, factsOfUri, readText, list, scoped, loadInOrder, projectLabels, allDrafts, isBibliography, styleFor, renderLocated, glossaryOf, sourceKey } =
    createWorkspaceIndex(workspace, logger, configFor, init.home);
  let symbolSearch: { signature: string; search: CitationSearch } | undefined;
  const firstUseStates = new Map<string, { glossary: Glossary; state: FirstUseState }>();
  const cloneState = (s: FirstUseState): FirstUseState => ({ introduced: new Set(s.introduced), reported: new Set(s.reported) });

  /** Diagnostics of one document (draft or bibliography). */
  async function diagnosticsOf(uri: string, bibliography: boolean): Promise<Diagnostic[]> {
    const folder = workspaceFolderOf(uri, workspace);
    if (bibliography) {
      const bib = await store.get(uri);
      const scopes = [...indexes.values()].filter((i) => i.has(uri));
      return bibliographyDiagnostics(bib, scopes, { missingFields: configFor(uri).missingFieldDiagnostics }, folder);
    }
    if (glossaries.isGlossaryFile(uri, workspace.folders())) {
      const parsed = await glossaries.file(uri);
      return [...glossarySyntaxDiagnostics(parsed.errors), ...glossaryConflicts([parsed.value], uri, folder)];
    }
    const facts = await factsOfUri(uri);
    if (!facts || facts.kind === 'other') return [];
    const { scope, index } = await scoped(facts);
    const { labels } = await projectLabels(scope);
    return [...draftDiagnostics(facts, scope, index, labels, folder), ...(await draftGlossaryDiagnostics(facts, scope, folder))];
  }

  /** Glossary checks of a draft: first use in reading order across its project, undefined keys, its own definitions. */
  async function draftGlossaryDiagnostics(facts: DocumentFacts, scope: Scope, folder?: string): Promise<Diagnostic[]> {
    const { glossary, files } = await glossaryOf(facts, scope);
    const kind = facts.kind === 'latex' ? 'latex' : 'markdown';
    const { glossaryFirstUse, glossaryFirstUseIgnore } = configFor(facts.uri);
    const options = { firstUse: glossaryFirstUse, ignore: glossaryFirstUseIgnore };
    // The files read before this one introduce terms too; the state after each prefix of the
    // reading order is cached, so an edit in the last chapter does not re-read the others.
    let state = newFirstUseState();
    let signature = `${glossaryFirstUse}|${glossaryFirstUseIgnore.join(',')}`;
    for (const f of files) {
      if (f.uri === facts.uri) break;
      if (f.kind !== facts.kind) continue;
      signature += `|${f.uri}@${f.version}`;
      const known = firstUseStates.get(signature);
      if (known?.glossary === glossary) {
        state = cloneState(known.state);
        continue;
      }
      glossaryDiagnostics(f.lines.text, kind, glossary, { ...options, view: glossaries.view(f), state });
      if (firstUseStates.size > 256) firstUseStates.delete(firstUseStates.keys().next().value!);
      firstUseStates.set(signature, { glossary, state: cloneState(state) });
    }
    const own = glossaries.definedIn(facts);
    const projectDefinitions = files.filter((f) => f.kind === 'latex').map((f) => glossaries.definedIn(f).value);
    return [
      ...glossaryDiagnostics(facts.lines.text, kind, glossary, { ...options, view: glossaries.view(facts), state }),
      ...glossarySyntaxDiagnostics(own.errors),
      ...glossaryConflicts(facts.kind === 'latex' ? projectDefinitions : [own.value], facts.uri, folder),
    ];
  }

  /**
   * What `checkFiles` checks for one path: the path itself when it is a draft, a glossary file or a
   * bibliography (a named `.json`/`.yaml` counts), or the drafts, glossary files and `.bib`/`.ris`
   * files under a folder (its `.json`/`.yaml` files only when a draft loads them).
   */
  async function checkTargets(uri: string): Promise<{ drafts: string[]; bibliographies: string[]; glossaries: string[] }> {
    const none = { drafts: [], bibliographies: [], glossaries: [] };
    if (glossaries.isGlossaryFile(uri, workspace.folders())) return { ...none, glossaries: [uri] };
    if (isDraftFile(uri)) return { ...none, drafts: [uri] };
    if ((bibliographyExtensions as readonly string[]).includes(extname(uri))) return { ...none, bibliographies: [uri] };
    const inside = (f: string) => f.startsWith(uri.replace(/\/$/, '') + '/');
    const files = await list(uri, [...draftExtensions, ...bibliographyExtensions]);
    const glossaryFiles = (await glossaries.files()).filter(inside);
    return {
      drafts: files.filter(isDraftFile),
      bibliographies: files.filter((f) => !isDraftFile(f) && !['.json', '.yaml', '.yml'].includes(extname(f))),
      glossaries: glossaryFiles,
    };
  }

  /** Where the key under the cursor is defined and cited: the locations a rename must change. */
  async function keyLocations(doc: ITextDocument, position: Position): Promise<{ at: KeyAt; definitions: Location[]; citations: Location[]; indexes: ScopeIndex[] } | undefined> {
    let at: KeyAt | undefined;
    let definitionUris: Set<string>;
    if (isBibliography(doc.uri, doc.languageId)) {
      at = entryKeyAt(await store.get(doc.uri), position);
      definitionUris = new Set([doc.uri]);
    } else {
      const facts = factsOf(doc);
      at = citationKeyAt(facts, position);
      if (!at) return undefined;
      const { index } = await scoped(facts);
      definitionUris = new Set(index.lookup(at.key).map((l) => l.uri));
    }
    if (!at) return undefined;
    const key = at.key;
    const citations: Location[] = [];
    const definitions = new Map<string, Location>();
    const involved: ScopeIndex[] = [];
    for (const draft of await allDrafts()) {
      if (!draft.citations.some((c) => c.key === key)) continue;
      const { index } = await scoped(draft);
      const defs = index.lookup(key);
      // A draft counts when it sees the same definition (or, for an undefined key, none at all).
      if (defs.length ? !defs.some((d) => definitionUris.has(d.uri)) : definitionUris.size > 0) continue;
      citations.push(...citationLocations(key, [draft]));
      involved.push(index);
      for (const d of defs) definitions.set(`${d.uri}#${d.entry.keyRange.start.line}`, { uri: d.uri, range: d.entry.keyRange });
    }
    for (const uri of definitionUris) {
      for (const e of (await store.get(uri)).byKey.get(key) ?? []) definitions.set(`${uri}#${e.keyRange.start.line}`, { uri, range: e.keyRange });
    }
    return { at, definitions: [...definitions.values()], citations, indexes: involved };
  }

  /** The label under the cursor in a draft, with its project's files. */
  async function labelAt(doc: ITextDocument, position: Position) {
    const facts = factsOf(doc);
    const ref = refAt(facts, position);
    if (!ref) return undefined;
    const { scope } = await scoped(facts);
    return { ref, facts, ...(await projectLabels(scope)) };
  }

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
      const reparse = parsing() !== before;
      factsCache.clear();
      if (reparse) store.invalidateAll();
      renderer.clear();
    },

    /** A file changed on disk or in the editor: forget what was read of it. */
    fileChanged(uri: string): void {
      texts.delete(uri);
      if (factsCache.get(uri)?.version === -1) factsCache.delete(uri);
      store.invalidate(uri); // formatted references stay with the entry objects a re-parse keeps
    },

    /** Files were created or deleted: listings may differ, and a missing bibliography may now exist. */
    filesCreatedOrDeleted(uris: readonly string[]): void {
      listings.clear();
      for (const uri of uris) this.fileChanged(uri);
    },

    /** A document was closed: its facts now come from the disk. */
    documentClosed(uri: string): void {
      factsCache.delete(uri);
      this.fileChanged(uri);
    },

    onBibliographyChanged(listener: (uri: string) => void): void {
      store.onDidInvalidate(listener);
    },

    isBibliography(uri: string, languageId?: string): boolean {
      return isBibliography(uri, languageId);
    },

    async getCompletions(doc: ITextDocument, position: Position): Promise<CompletionList | undefined> {
      const facts = factsOf(doc);
      if (facts.kind === 'other') return undefined;
      const { scope, index } = await scoped(facts);
      if (facts.kind === 'latex') {
        const { glossary } = await glossaryOf(facts, scope);
        const items = glossaryCompletion(facts.lines.text, facts.lines.offsetAt(position), 'latex', glossary);
        if (items) return { isIncomplete: false, items };
      }
      const { latexCitationCommands, completionMaxItems } = configFor(doc.uri);
      return completeCitations(facts, position, index, { latexCommands: latexCitationCommands, maxItems: completionMaxItems });
    },

    async resolveCompletion(item: CompletionItem): Promise<CompletionItem> {
      const data = item.data as CitationItemData | undefined;
      if (data?.kind !== 'citation') return item;
      const bib = await store.get(data.bib);
      const entry = bib.byKey.get(data.key)?.[0];
      const facts = await factsOfUri(data.doc);
      if (!entry || !facts) return item;
      const { scope } = await scoped(facts);
      const style = await styleFor(scope, data.doc);
      const source = `*${basename(data.bib)}:${entry.keyRange.start.line + 1}*`;
      return { ...item, documentation: { kind: 'markdown', value: `${renderLocated({ entry, uri: data.bib }, style)}\n\n${source}` } };
    },

    async getHover(doc: ITextDocument, position: Position): Promise<Hover | undefined> {
      const facts = factsOf(doc);
      if (facts.kind === 'other') return undefined;
      const { scope, index } = await scoped(facts);
      const folder = workspaceFolderOf(doc.uri, workspace);
      const style = await styleFor(scope, doc.uri);
      const cited = citationHover(facts, position, index, { render: (l) => renderLocated(l, style), folder });
      if (cited) return cited;
      const { glossary } = await glossaryOf(facts, scope);
      const kind = facts.kind === 'latex' ? 'latex' : 'markdown';
      return termHover(facts.lines.text, kind, facts.lines.offsetAt(position), glossary, { view: glossaries.view(facts), citationKeyFor: sourceKey(index), folder });
    },

    /** Diagnostics of an open document. */
    getDiagnostics(doc: ITextDocument): Promise<Diagnostic[]> {
      return diagnosticsOf(doc.uri, isBibliography(doc.uri, doc.languageId));
    },

    /** The drafts, bibliographies and glossary files `checkFiles` checks for a file or folder (none: nothing to check there). */
    checkTargets,

    /**
     * Diagnostics of every draft under the given folders or files, and of the bibliographies
     * they use; with `unused`, entries nothing cites. For `entente check` and "Check Workspace".
     */
    async checkFiles(uris: readonly string[], options: { unused?: boolean } = {}): Promise<Map<string, Diagnostic[]>> {
      const drafts = new Set<string>();
      const bibs = new Set<string>();
      const glossaryFiles = new Set<string>();
      for (const uri of uris) {
        const targets = await checkTargets(uri);
        for (const f of targets.drafts) drafts.add(f);
        for (const f of targets.bibliographies) bibs.add(f);
        for (const f of targets.glossaries) glossaryFiles.add(f);
      }
      const out = new Map<string, Diagnostic[]>();
      const cited = new Map<string, Set<string>>();
      const loadedBibs = new Set<string>();
      for (const uri of [...drafts].sort()) {
        const facts = await factsOfUri(uri);
        if (!facts || facts.kind === 'other') continue;
        out.set(uri, await diagnosticsOf(uri, false));
        const { scope, index } = await scoped(facts);
        for (const b of index.bibliographies) {
          if (b.uri === uri) continue;
          // Lint what drafts declare; a fallback or a master library from the settings is not the project's to fix.
          const origin = scope.sources.find((s) => s.uri === b.uri)?.origin;
          if (origin && origin !== 'workspace' && origin !== 'setting') loadedBibs.add(b.uri);
          const keys = cited.get(b.uri) ?? new Set<string>();
          for (const c of facts.citations) keys.add(c.key);
          cited.set(b.uri, keys);
        }
      }
      // Bibliographies under the paths, and those the drafts use that exist (a missing one is reported on its declaration).
      for (const uri of bibs) loadedBibs.add(uri);
      for (const uri of glossaryFiles) out.set(uri, await diagnosticsOf(uri, false));
      for (const uri of [...loadedBibs].sort()) {
        const bib = await store.get(uri);
        if (bib.fileError) continue;
        const diagnostics = await diagnosticsOf(uri, true);
        if (options.unused && cited.has(uri)) diagnostics.push(...unusedEntries(bib, cited.get(uri)!));
        out.set(uri, diagnostics);
      }
      return out;
    },

    async getCodeActions(doc: ITextDocument, diagnostics: readonly Diagnostic[]): Promise<CodeAction[]> {
      const readFresh = async (uri: string) => {
        const r = await workspace.readFile(uri, configFor(uri).maxFileBytes);
        return 'text' in r ? r.text : undefined;
      };
      return codeActions(doc.uri, diagnostics, { readText: readFresh });
    },

    async getDefinition(doc: ITextDocument, position: Position): Promise<Location[] | undefined> {
      if (isBibliography(doc.uri, doc.languageId)) return undefined;
      const facts = factsOf(doc);
      const { scope, index } = await scoped(facts);
      const cite = citationDefinition(facts, position, index);
      if (cite) return cite;
      const label = labelDefinition(facts, position, (await projectLabels(scope)).labels);
      if (label) return label;
      const { glossary } = await glossaryOf(facts, scope);
      const term = termAt(facts.lines.text, facts.kind === 'latex' ? 'latex' : 'markdown', facts.lines.offsetAt(position), glossary, glossaries.view(facts))?.term;
      return term?.uri && term.range ? [{ uri: term.uri, range: term.range }] : undefined;
    },

    async getReferences(doc: ITextDocument, position: Position, includeDeclaration: boolean): Promise<Location[] | undefined> {
      const found = await keyLocations(doc, position);
      if (found) return includeDeclaration ? [...found.definitions, ...found.citations] : found.citations;
      const label = await labelAt(doc, position);
      return label && labelLocations(label.ref.label, label.files, includeDeclaration);
    },

    async prepareRename(doc: ITextDocument, position: Position): Promise<{ range: Range; placeholder: string } | undefined> {
      if (isBibliography(doc.uri, doc.languageId)) {
        const at = entryKeyAt(await store.get(doc.uri), position);
        return at && { range: at.range, placeholder: at.key };
      }
      const facts = factsOf(doc);
      const at = citationKeyAt(facts, position);
      if (at) return { range: at.range, placeholder: at.key };
      const ref = refAt(facts, position);
      return ref && { range: ref.range, placeholder: ref.label };
    },

    async rename(doc: ITextDocument, position: Position, newName: string): Promise<WorkspaceEdit | undefined> {
      const found = await keyLocations(doc, position);
      if (found) {
        const reason = invalidKeyReason(newName);
        if (reason) throw new UserError(reason);
        if (newName !== found.at.key) {
          const bibs = new Set(found.definitions.map((d) => d.uri));
          for (const uri of bibs) if ((await store.get(uri)).byKey.has(newName)) throw new UserError(`'${newName}' is already a key in ${basename(uri)}.`);
          if (found.indexes.some((i) => i.lookup(newName).length > 0)) throw new UserError(`'${newName}' is already a citation key in this document's bibliographies.`);
        }
        return renameEdit([...found.definitions, ...found.citations], newName);
      }
      const label = await labelAt(doc, position);
      if (!label) return undefined;
      const reason = invalidLabelReason(newName, label.facts.kind === 'markdown');
      if (reason) throw new UserError(reason);
      if (newName !== label.ref.label && label.labels.has(newName)) throw new UserError(`'${newName}' is already a label in this project.`);
      return renameEdit(labelLocations(label.ref.label, label.files, true), newName);
    },

    async getDocumentSymbols(doc: ITextDocument): Promise<DocumentSymbol[]> {
      if (isBibliography(doc.uri, doc.languageId)) return bibliographySymbols(await store.get(doc.uri));
      return headingSymbols(factsOf(doc));
    },

    async getWorkspaceSymbols(query: string): Promise<SymbolInformation[]> {
      // Every bibliography the workspace's drafts use (parsed once; later calls hit the caches).
      for (const folder of workspace.folders()) await this.indexFolder(folder);
      const bibs = (await store.loaded()).filter((b) => !b.fileError);
      const signature = ScopeIndex.signature(bibs);
      if (symbolSearch?.signature !== signature) {
        symbolSearch = { signature, search: CitationSearch.of(bibs.flatMap((b) => b.entries.map((entry) => ({ entry, uri: b.uri })))) };
      }
      return workspaceSymbols(query, symbolSearch.search, 200);
    },

    /** Fuzzy search over everything a document can cite, for the pickers; the first `formatted` come with their reference. */
    async searchEntries(doc: ITextDocument, query: string, limit = 50, formatted = 10): Promise<EntryChoice[]> {
      const { scope, index } = await scoped(factsOf(doc));
      const style = await styleFor(scope, doc.uri);
      return index.find(query, limit).hits.map(({ record }, i) => ({
        key: record.key,
        label: candidateLabel(record.entry),
        reference: i < formatted ? renderLocated({ entry: record.entry, uri: record.uri }, style) : undefined,
        uri: record.uri,
        range: record.entry.keyRange,
      }));
    },

    /**
     * A bibliography with only the entries the given drafts cite (all drafts of the workspace when none
     * is given): BibTeX entries copied verbatim, or CSL-JSON. `missing` lists cited keys defined nowhere.
     */
    async exportCited(docUris: readonly string[] | undefined, format: ExportFormat): Promise<{ text: string; count: number; missing: string[] }> {
      const drafts = docUris ? (await Promise.all(docUris.map(factsOfUri))).filter((f): f is DocumentFacts => !!f) : await allDrafts();
      const lookups: ScopeIndex[] = [];
      const keys: string[] = [];
      for (const facts of drafts) {
        lookups.push((await scoped(facts)).index);
        for (const c of facts.citations) keys.push(c.key);
      }
      const { found, missing } = citedEntries(keys, (key) => lookups.map((i) => i.lookup(key)).find((l) => l.length) ?? []);
      const strings: Record<string, string> = {};
      for (const i of lookups) for (const b of i.bibliographies) Object.assign(strings, b.strings);
      const text = await exportText(found, format, readText, strings);
      return { text, count: found.length, missing };
    },

    /** Which bibliographies a document uses, with counts and failures. */
    async getDocumentStatus(doc: ITextDocument): Promise<DocumentStatus> {
      const facts = factsOf(doc);
      const { scope, index } = await scoped(facts);
      const terms = facts.kind === 'other' ? 0 : (await glossaryOf(facts, scope)).glossary.size;
      return { entries: index.entryCount, terms, bibliographies: index.bibliographies.map((b) => statusOf(b, scope, doc.uri)) };
    },

    /**
     * Indexes a folder the way the drafts in it would: every draft's scope, or every
     * bibliography file when there is no draft. For `entente index`.
     */
    async indexFolder(folderUri: string, options: { problems?: boolean } = {}): Promise<{ drafts: string[]; bibliographies: BibliographyStatus[]; loaded: LoadedBibliography[]; problems: Map<string, Diagnostic[]> }> {
      const drafts = await list(folderUri, draftExtensions);
      const byUri = new Map<string, { bib: LoadedBibliography; origin: BibliographyStatus['origin'] }>();
      const problems = new Map<string, Diagnostic[]>();
      const declared = new Set<string>();
      for (const uri of drafts) {
        const facts = await factsOfUri(uri);
        if (!facts || facts.kind === 'other') continue;
        const { scope, index } = await scoped(facts);
        for (const bib of index.bibliographies) {
          const origin = bib.uri === uri ? 'references' : (scope.sources.find((s) => s.uri === bib.uri)?.origin ?? 'workspace');
          // A file some draft declares is reported with that origin, not as a workspace fallback.
          if (!byUri.has(bib.uri) || byUri.get(bib.uri)!.origin === 'workspace') byUri.set(bib.uri, { bib, origin });
        }
        if (options.problems) {
          // The same diagnostics as `checkFiles`: a missing file and a `references:` block are reported in the draft.
          const found = declaredBibliographyDiagnostics(facts, scope, index, workspaceFolderOf(uri, workspace));
          for (const d of found) if (d.code === 'bibliography.not-found' || d.code === 'bibliography.unreadable') declared.add((d.data as { uri: string }).uri);
          if (found.length) problems.set(uri, found);
        }
      }
      if (drafts.length === 0) {
        for (const bib of await loadInOrder(await list(folderUri, bibliographyExtensions))) byUri.set(bib.uri, { bib, origin: 'workspace' });
      }
      const loaded = [...byUri.values()].map((v) => v.bib);
      if (options.problems) {
        for (const { bib, origin } of byUri.values()) {
          if (origin === 'references') continue; // its problems are the draft's
          const found = bib.fileError ? (declared.has(bib.uri) ? [] : [fileErrorDiagnostic(bib, undefined, workspaceFolderOf(bib.uri, workspace))]) : await diagnosticsOf(bib.uri, true);
          if (found.length) problems.set(bib.uri, found);
        }
      }
      return { drafts, loaded, bibliographies: [...byUri.values()].map(({ bib, origin }) => ({ ...statusOf(bib, undefined, ''), origin })), problems };
    },
  });
}

function statusOf(bib: LoadedBibliography, scope: Scope | undefined, docUri: string): BibliographyStatus {
  const origin = bib.uri === docUri ? 'references' : (scope?.sources.find((s) => s.uri === bib.uri)?.origin ?? 'workspace');
  return { uri: bib.uri, format: bib.format, origin, entries: bib.entries.length, errors: bib.errors.length, fileError: bib.fileError, parseMs: bib.parseMs };
}
