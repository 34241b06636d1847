/**
 * The language service façade: everything the server and the CLI call.
 * It owns the caches (document facts per version, parsed bibliographies, scope indexes)
 * and reaches the world only through the injected IWorkspace.
 */
import type { CompletionItem, CompletionList, Hover } from 'vscode-languageserver-types';
import type { Position } from './model';
import type { ILogger, ITextDocument, IWorkspace } from './workspace';
import { nullLogger } from './workspace';
import { defaultConfig, type EntenteConfig } from './config';
import { BibliographyStore, bibliographyExtensions, type LoadedBibliography } from './index/bibliographies';
import { computeFacts, draftExtensions, type DocumentFacts } from './index/documents';
import { resolveScope, workspaceFolderOf, type BibliographySource, type Scope, type ScopeHost } from './index/scope';
import { ScopeIndex, type Located } from './index/scopeIndex';
import { ReferenceRenderer, builtinStyles } from './render/csl';
import { completeCitations, type CitationItemData } from './features/completion';
import { citationHover } from './features/hover';
import { basename, dirname, resolvePath } from './index/paths';

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
  bibliographies: BibliographyStatus[];
}

export type LanguageService = ReturnType<typeof createLanguageService>;

export function createLanguageService(init: LanguageServiceInit) {
  const { workspace } = init;
  const logger = init.logger ?? nullLogger;
  let config = init.config ?? defaultConfig;

  const store = new BibliographyStore(workspace, logger, () => config);
  const renderer = new ReferenceRenderer();
  const factsCache = new Map<string, DocumentFacts>();
  const texts = new Map<string, Promise<string | undefined>>();
  const listings = new Map<string, Promise<string[]>>();
  const indexes = new Map<string, ScopeIndex>();

  /** Facts of an open document, parsed once per version. */
  function factsOf(doc: ITextDocument): DocumentFacts {
    const cached = factsCache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const facts = computeFacts(doc, config.latexCitationCommands);
    factsCache.set(doc.uri, facts);
    return facts;
  }

  /** Facts of any document: the open one, or the file on disk (cached until it changes). */
  async function factsOfUri(uri: string): Promise<DocumentFacts | undefined> {
    const open = workspace.openDocument(uri);
    if (open) return factsOf(open);
    const cached = factsCache.get(uri);
    if (cached && cached.version === -1) return cached;
    const text = await readText(uri);
    if (text === undefined) return undefined;
    const facts = computeFacts({ uri, languageId: '', version: -1, getText: () => text }, config.latexCitationCommands);
    factsCache.set(uri, facts);
    return facts;
  }

  /** A small text file (a draft, `_quarto.yml`), cached until it changes. Undefined when missing. */
  function readText(uri: string): Promise<string | undefined> {
    const open = workspace.openDocument(uri);
    if (open) return Promise.resolve(open.getText());
    let p = texts.get(uri);
    if (!p) {
      p = workspace.readFile(uri, config.maxFileBytes).then((r) => ('text' in r ? r.text : undefined));
      texts.set(uri, p);
    }
    return p;
  }

  function list(folder: string, extensions: readonly string[]): Promise<string[]> {
    const k = `${folder}\u0000${extensions.join(',')}`;
    let p = listings.get(k);
    if (!p) {
      p = workspace.findFiles(folder, extensions);
      listings.set(k, p);
    }
    return p;
  }

  const scopeHost: ScopeHost = { workspace, config: () => config, facts: factsOfUri, text: readText, list, home: init.home };

  async function scopeOf(facts: DocumentFacts): Promise<ScopeIndex> {
    const scope = await resolveScope(facts, scopeHost);
    const bibs = await loadInOrder(scope.sources.map((s) => s.uri));
    if (scope.inline) bibs.unshift({ ...scope.inline, generation: facts.version });
    const signature = ScopeIndex.signature(bibs);
    let index = indexes.get(signature);
    if (!index) {
      index = new ScopeIndex(scope, bibs);
      if (indexes.size >= 16) indexes.delete(indexes.keys().next().value!);
      indexes.set(signature, index);
    }
    return index;
  }

  /**
   * Loads a scope's bibliographies; a BibTeX file that uses macros an earlier file defines
   * (`\bibliography{abbrev,papers}`) is parsed again with them.
   */
  async function loadInOrder(uris: string[]): Promise<LoadedBibliography[]> {
    const loaded = await Promise.all(uris.map((uri) => store.get(uri)));
    let strings: Record<string, string> = {};
    const providers: string[] = [];
    for (let i = 0; i < loaded.length; i++) {
      const bib = loaded[i];
      if (bib.unknownMacros?.some((m) => Object.hasOwn(strings, m))) loaded[i] = await store.getWithStrings(bib.uri, strings, providers.join('|'));
      if (bib.strings && Object.keys(bib.strings).length) {
        strings = { ...strings, ...bib.strings };
        providers.push(`${bib.uri}#${bib.generation}`);
      }
    }
    return loaded;
  }

  /** The CSL style a document asks for: front matter `csl:`, else the setting; registered on first use. */
  async function styleFor(scope: Scope, docUri: string): Promise<string> {
    const wanted = scope.cslUri ?? (builtinStyles.includes(config.citationStyle) ? undefined : resolvePath(workspaceFolderOf(docUri, workspace) ?? dirname(docUri), config.citationStyle, init.home));
    if (!wanted) return config.citationStyle;
    const name = `file:${wanted}`;
    if (renderer.hasStyle(name)) return name;
    const text = await readText(wanted);
    if (text !== undefined && renderer.registerStyle(name, text)) return name;
    logger.warn(`CSL style ${wanted} could not be read or is not a CSL style; using APA.`);
    return 'apa';
  }

  function renderLocated(located: Located, style: string): string {
    const gen = located.uri; // the entry object changes identity on re-parse; key its cache by range too
    const r = located.entry.range;
    return renderer.render(located.entry, style, `${gen}#${located.entry.key}@${r.start.line}:${r.start.character}-${r.end.line}`);
  }

  return Object.freeze({
    get config(): EntenteConfig {
      return config;
    },

    setConfig(next: EntenteConfig): void {
      const reparse = next.maxFileBytes !== config.maxFileBytes || next.latexCitationCommands.join() !== config.latexCitationCommands.join();
      config = next;
      factsCache.clear();
      if (reparse) store.invalidateAll();
      renderer.clear();
    },

    /** A file changed on disk or in the editor: forget what was read of it. */
    fileChanged(uri: string): void {
      texts.delete(uri);
      if (factsCache.get(uri)?.version === -1) factsCache.delete(uri);
      if (store.invalidate(uri)) renderer.clear();
    },

    /** Files were created or deleted: listings may differ, and a missing bibliography may now exist. */
    filesCreatedOrDeleted(uris: readonly string[]): void {
      listings.clear();
      for (const uri of uris) this.fileChanged(uri);
    },

    onBibliographyChanged(listener: (uri: string) => void): void {
      store.onDidInvalidate(listener);
    },

    async getCompletions(doc: ITextDocument, position: Position): Promise<CompletionList | undefined> {
      const facts = factsOf(doc);
      if (facts.kind === 'other') return undefined;
      const index = await scopeOf(facts);
      return completeCitations(facts, position, index, { latexCommands: config.latexCitationCommands, maxItems: config.completionMaxItems });
    },

    async resolveCompletion(item: CompletionItem): Promise<CompletionItem> {
      const data = item.data as CitationItemData | undefined;
      if (data?.kind !== 'citation') return item;
      const bib = await store.get(data.bib);
      const entry = bib.byKey.get(data.key)?.[0];
      const facts = await factsOfUri(data.doc);
      if (!entry || !facts) return item;
      const scope = await resolveScope(facts, scopeHost);
      const style = await styleFor(scope, data.doc);
      const source = `*${basename(data.bib)}:${entry.keyRange.start.line + 1}*`;
      return { ...item, documentation: { kind: 'markdown', value: `${renderLocated({ entry, uri: data.bib }, style)}\n\n${source}` } };
    },

    async getHover(doc: ITextDocument, position: Position): Promise<Hover | undefined> {
      const facts = factsOf(doc);
      if (facts.kind === 'other' || facts.citations.length === 0) return undefined;
      const index = await scopeOf(facts);
      const style = await styleFor(index.scope, doc.uri);
      return citationHover(facts, position, index, { render: (l) => renderLocated(l, style), folder: workspaceFolderOf(doc.uri, workspace) });
    },

    /** Which bibliographies a document uses, with counts and failures. */
    async getDocumentStatus(doc: ITextDocument): Promise<DocumentStatus> {
      const facts = factsOf(doc);
      const index = await scopeOf(facts);
      return { entries: index.entryCount, bibliographies: index.bibliographies.map((b) => statusOf(b, index.scope, doc.uri)) };
    },

    /**
     * Indexes a folder the way the drafts in it would: every draft's scope, or every
     * bibliography file when there is no draft. For `entente index` and workspace checks.
     */
    async indexFolder(folderUri: string): Promise<{ drafts: string[]; bibliographies: BibliographyStatus[]; loaded: LoadedBibliography[] }> {
      const drafts = await list(folderUri, draftExtensions);
      const byUri = new Map<string, { bib: LoadedBibliography; origin: BibliographyStatus['origin'] }>();
      for (const uri of drafts) {
        const facts = await factsOfUri(uri);
        if (!facts || facts.kind === 'other') continue;
        const index = await scopeOf(facts);
        for (const bib of index.bibliographies) {
          const origin = bib.uri === uri ? 'references' : (index.scope.sources.find((s) => s.uri === bib.uri)?.origin ?? 'workspace');
          // A file some draft declares is reported with that origin, not as a workspace fallback.
          if (!byUri.has(bib.uri) || byUri.get(bib.uri)!.origin === 'workspace') byUri.set(bib.uri, { bib, origin });
        }
      }
      if (drafts.length === 0) {
        for (const uri of await list(folderUri, bibliographyExtensions)) byUri.set(uri, { bib: await store.get(uri), origin: 'workspace' });
      }
      const loaded = [...byUri.values()].map((v) => v.bib);
      return { drafts, loaded, bibliographies: [...byUri.values()].map(({ bib, origin }) => ({ ...statusOf(bib, undefined, ''), origin })) };
    },
  });
}

function statusOf(bib: LoadedBibliography, scope: Scope | undefined, docUri: string): BibliographyStatus {
  const origin = bib.uri === docUri ? 'references' : (scope?.sources.find((s) => s.uri === bib.uri)?.origin ?? 'workspace');
  return { uri: bib.uri, format: bib.format, origin, entries: bib.entries.length, errors: bib.errors.length, fileError: bib.fileError, parseMs: bib.parseMs };
}
