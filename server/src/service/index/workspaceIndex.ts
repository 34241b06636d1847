/**
 * What the language service knows of the workspace, and its caches: document facts (once per
 * version), small texts, folder listings, parsed bibliographies, scope indexes (shared by drafts
 * loading the same files), glossaries, and formatted references. The façade (`../languageService.ts`)
 * keeps it current through `IndexLifecycle`; its parts (`../parts/`) read it through `IndexReader`;
 * the features never see it.
 */
import { defaultConfig, type EntenteConfig } from '../config';
import type { IIndexCache, ILogger, ITextDocument, IWorkspace } from '../workspace';
import { BibliographyStore, bibliographyExtensions, formatOf, type LoadedBibliography } from './bibliographies';
import { LibraryPreviews, type ScopePreview } from './libraryPreview';
import { computeFacts, draftExtensions, labelIndex, withProjectMacros, type DocumentFacts, type LabelIndex } from './documents';
import { metadataDeclarations, readerOf, resolveScope, workspaceBibliographies, workspaceFolderOf, type BibliographyReader, type BibliographySource, type Scope, type ScopeHost } from './scope';
import { ScopeIndex, SYNC_BUILD_ENTRIES, type Located } from './scopeIndex';
import { fold } from './search';
import { extname, dirname, resolvePath } from './paths';
import { GlossaryIndex } from './glossaries';
import { ProjectIndex } from './projects';
import { ReferenceRenderer, builtinForBiblatex, builtinStyles } from '../render/csl';
import { textHash } from '../text';
import { parseLatexLabels } from '../parsers/drafts/latexLabels';
import { parseMacroDefinitions, type MacroDefinition } from '../parsers/drafts/latexMacros';
import type { Glossary } from '../glossary/model';

/** A document's scope (its own declarations) and the shared index of what it can cite. */
export interface Scoped {
  /** The document's facts; a LaTeX document's citations read with its project's citation macros. */
  facts: DocumentFacts;
  scope: Scope;
  index: ScopeIndex;
}

/** While a scope's libraries are read for the first time: their preview (completion answers from it), and the scope to come. */
export interface Previewed {
  facts: DocumentFacts;
  scope: Scope;
  preview: ScopePreview;
  scoped: Promise<Scoped>;
}

/** The style a document's references are formatted in; `problem` says why the one it asks for is not used. */
export interface StyleStatus {
  name: string;
  problem?: string;
}

/** The labels of a draft's project, and the fixed starts of the labels its macros make (see `parseLatexLabels`). */
export interface ProjectLabels {
  files: DocumentFacts[];
  labels: LabelIndex;
  generated: string[];
}

/** What the façade's parts read: documents, bibliographies, scopes, glossaries, formatted references. */
export interface IndexReader {
  /** Facts of an open document, parsed once per version. */
  factsOf(doc: ITextDocument): DocumentFacts;
  /** Facts of any document: the open one, or the file on disk (cached until it changes). */
  factsOfUri(uri: string): Promise<DocumentFacts | undefined>;
  /** Every draft of the workspace folders, and the open ones outside them. */
  allDrafts(): Promise<DocumentFacts[]>;
  /** The files of a folder with these extensions (cached until files are created or deleted). */
  list(folder: string, extensions: readonly string[]): Promise<string[]>;
  /** A small text file (a draft, `_quarto.yml`), cached until it changes. */
  readText(uri: string): Promise<string | undefined>;
  /** A bibliography file, parsed once per text. */
  bibliography(uri: string): Promise<LoadedBibliography>;
  /** The bibliography files of a workspace folder (what a draft that declares nothing sees). */
  workspaceBibliographies(folder: string): Promise<string[]>;
  /** Every bibliography read so far. */
  loadedBibliographies(): Promise<LoadedBibliography[]>;
  /** Bibliographies in declaration order, a BibTeX file given the macros of the files before it. */
  loadInOrder(uris: string[]): Promise<LoadedBibliography[]>;
  /** A document's scope and the shared index of what it can cite; its facts with its project's citation macros. */
  scoped(facts: DocumentFacts): Promise<Scoped>;
  /**
   * `scoped`, answered by the previous index of the same files while one of them is read again, or by the
   * preview of the scope's libraries while they are read for the first time (completion).
   */
  scopedNow(facts: DocumentFacts): Promise<Scoped | Previewed>;
  /** The bibliographies a `_quarto.yml` or `_metadata.yml` declares (none when it does not exist). */
  metadataSources(uri: string): Promise<BibliographySource[]>;
  /** Why the CSL style at `uri` could not be used when a document last asked for it (undefined: it could, or was not asked). */
  styleProblemOf(uri: string): string | undefined;
  /** Whether a file is in a Quarto project's output folder (`output-dir`, `_book`, `_site`, `_manuscript`): a copy, not a source. */
  isProjectOutput(uri: string): Promise<boolean>;
  /** The scope indexes that load this bibliography. */
  scopesHolding(uri: string): ScopeIndex[];
  /** Who reads this bibliography, as far as the drafts scoped so far tell (BibTeX, biber, pandoc...). */
  readersOf(uri: string): ReadonlySet<BibliographyReader>;
  isBibliography(uri: string, languageId?: string): boolean;
  /** Labels of every file of a draft's project. */
  projectLabels(scope: Scope): Promise<ProjectLabels>;
  /** The CSL style a document asks for, registered on first use. */
  styleFor(scope: Scope, docUri: string): Promise<string>;
  /** The same, with why the style asked for cannot be used (then APA). */
  styleOf(scope: Scope, docUri: string): Promise<StyleStatus>;
  renderLocated(located: Located, style: string): string;
  /** The bibliography key of a glossary source, when the scope's bibliographies hold a work with its title. */
  sourceKey(index: ScopeIndex): (source: { title?: string }) => string | undefined;
  readonly glossaries: GlossaryIndex;
  /** A draft's glossary and its project's files in reading order. */
  glossaryOf(facts: DocumentFacts, scope: Scope): Promise<{ glossary: Glossary; files: DocumentFacts[] }>;
}

/** What the façade calls to keep the index current. */
export interface IndexLifecycle {
  /** New settings: forget facts and formatted references; with `reparse`, every parse too. */
  configChanged(reparse: boolean): void;
  /** A file changed on disk or in the editor: forget what was read of it. */
  fileChanged(uri: string): void;
  /** Files were created or deleted: folder listings may differ. */
  listingsChanged(): void;
  /** A document was closed: its facts now come from the disk. */
  documentClosed(uri: string): void;
  onBibliographyChanged(listener: (uri: string) => void): void;
}

export type WorkspaceIndex = IndexReader & IndexLifecycle;

/** `config(uri)` is the config of the uri's workspace folder (the global one without a uri). */
export function createWorkspaceIndex(workspace: IWorkspace, logger: ILogger, config: (uri?: string) => EntenteConfig, home?: string, indexCache?: IIndexCache): WorkspaceIndex {
  const store = new BibliographyStore(workspace, logger, config, indexCache);
  const previews = new LibraryPreviews();
  store.onRead = (uri, text) => {
    const preview = previews.add(uri, text);
    const forget = () => previews.forget(uri, preview);
    store.get(uri).then(forget, forget);
  };
  // An index of an outdated parse must not outlive it (a 50,000-entry library is large).
  store.onDidInvalidate((uri) => {
    previews.forget(uri);
    for (const [signature, index] of indexes) if (index.has(uri)) indexes.delete(signature);
  });
  const renderer = new ReferenceRenderer();
  const styleProblems = new Map<string, string | undefined>();
  /** The style problems of the settings already shown to the user, each once. */
  const notified = new Set<string>();
  const factsCache = new Map<string, DocumentFacts>();
  const texts = new Map<string, Promise<string | undefined>>();
  const listings = new Map<string, Promise<string[]>>();
  const indexes = new Map<string, ScopeIndex>();
  /** What the `.sty`/`.cls` files beside a LaTeX root define, parsed once per text. */
  const packages = new Map<string, PackageFacts>();
  /** The citation macros of each LaTeX project, with the definitions they were learned from. */
  const projectMacros = new Map<string, { parts: readonly MacroDefinition[][]; definitions: MacroDefinition[]; read: WeakSet<DocumentFacts> }>();
  /** Who reads each bibliography, recorded as drafts are scoped. */
  const readers = new Map<string, Set<BibliographyReader>>();
  /** The newest index of each list of files (for a re-indexed scope to answer from meanwhile). */
  const latestByFiles = new Map<string, ScopeIndex>();
  /** The scope being built last for each list of files. */
  const indexing = new Map<string, Promise<Scoped>>();

  /** Facts of an open document, parsed once per version. */
  function factsOf(doc: ITextDocument): DocumentFacts {
    const cached = factsCache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const facts = computeFacts(doc, config(doc.uri).latexCitationCommands);
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
    const facts = computeFacts({ uri, languageId: '', version: -1, getText: () => text }, config(uri).latexCitationCommands);
    factsCache.set(uri, facts);
    return facts;
  }

  /** A small text file (a draft, `_quarto.yml`), cached until it changes. Undefined when missing. */
  function readText(uri: string): Promise<string | undefined> {
    const open = workspace.openDocument(uri);
    if (open) return Promise.resolve(open.getText());
    let p = texts.get(uri);
    if (!p) {
      p = workspace.readFile(uri, config(uri).maxFileBytes).then((r) => ('text' in r ? r.text : undefined));
      texts.set(uri, p);
    }
    return p;
  }

  /** `entente.bibliography.files` globs, expanded once until files are created or deleted (a walk of 22,000 files took 0.5 s per hover). */
  function expandGlob(pattern: string, base: string | undefined): Promise<string[]> {
    const k = `glob\u0000${base ?? ''}\u0000${pattern}`;
    let p = listings.get(k);
    if (!p) {
      p = workspace.expandGlob(pattern, base);
      listings.set(k, p);
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

  const projects = new ProjectIndex({ workspace, text: readText, list });
  const scopeHost: ScopeHost = { workspace, config, facts: factsOfUri, text: readText, list, expandGlob, project: (uri) => projects.projectOf(uri), home: home };
  const glossaries = new GlossaryIndex({ config, folders: () => workspace.folders(), list, text: readText });

  /** A draft's glossary and its project's files in reading order (for first-use checks across files). */
  async function glossaryOf(facts: DocumentFacts, scope: Scope): Promise<{ glossary: Glossary; files: DocumentFacts[] }> {
    const { files } = await projectLabels(scope); // in reading order
    return { glossary: await glossaries.forDraft(facts, files), files };
  }

  /** The bibliography key of a glossary source, when the draft's bibliography holds a work with its title. */
  function sourceKey(index: ScopeIndex) {
    return (source: { title?: string }) => {
      if (!source.title) return undefined;
      const title = fold(source.title);
      return index.search.search(source.title, 5).hits.find((h) => fold(h.record.title) === title)?.record.key;
    };
  }

  /**
   * `scoped`, without waiting for a library being read again after a change: meanwhile the previous version of the
   * same files answers (a keystroke's completion must not wait a second for a 50,000-entry re-parse; the list is
   * incomplete, so the editor asks again and gets the new entries once they are in).
   */
  async function scopedNow(raw: DocumentFacts): Promise<Scoped | Previewed> {
    const scope = await resolveScope(raw, scopeHost);
    const uris = scope.sources.map((s) => s.uri);
    const reading = !scope.inline && uris.some((u) => !store.isReady(u));
    const previous = reading ? latestByFiles.get(uris.join('|')) : undefined;
    if (!previous && reading && uris.every((u) => formatOf(u) === 'bibtex')) return previewedIn(raw, scope, uris);
    if (!previous) return scopedIn(raw, scope);
    scopedIn(raw, scope).catch((e) => logger.error(`Re-indexing for ${raw.uri} failed: ${e instanceof Error ? e.stack : e}`));
    return { facts: await withMacrosOf(raw, scope), scope, index: previous };
  }

  /** The scope's index, or its libraries' preview if they are read before it is built (issue 17: the first completion at once). */
  async function previewedIn(raw: DocumentFacts, scope: Scope, uris: string[]): Promise<Scoped | Previewed> {
    // An index of these files still being built from before a change (a library edited during its first read)
    // answers as a previous index does, if it is there first.
    const earlier = indexing.get(uris.join('|'));
    const scoped = scopedIn(raw, scope);
    const never = new Promise<never>(() => undefined);
    const done = Promise.race([scoped.then((s) => ({ s, current: true })), ...(earlier ? [earlier.then((s) => ({ s, current: false }), () => never)] : [])]);
    const preview = await previews.whenRead(uris, done);
    if (!preview) {
      const first = await done;
      return first.current ? first.s : { ...first.s, facts: await withMacrosOf(raw, scope), scope };
    }
    scoped.catch((e) => logger.error(`Indexing for ${raw.uri} failed: ${e instanceof Error ? e.stack : e}`));
    return { facts: await withMacrosOf(raw, scope), scope, preview, scoped };
  }

  async function scoped(raw: DocumentFacts): Promise<Scoped> {
    return scopedIn(raw, await resolveScope(raw, scopeHost));
  }

  /** `scoped` with the document's scope already resolved. */
  function scopedIn(raw: DocumentFacts, scope: Scope): Promise<Scoped> {
    const files = scope.sources.map((s) => s.uri).join('|');
    const building = buildScoped(raw, scope);
    indexing.set(files, building);
    const settled = () => indexing.get(files) === building && indexing.delete(files);
    building.then(settled, settled);
    return building;
  }

  async function buildScoped(raw: DocumentFacts, scope: Scope): Promise<Scoped> {
    const facts = await withMacrosOf(raw, scope);
    const reader = readerOf(facts.kind, scope);
    if (reader) {
      for (const s of scope.sources) {
        const set = readers.get(s.uri) ?? new Set<BibliographyReader>();
        set.add(reader);
        readers.set(s.uri, set);
      }
    }
    const bibs = await loadInOrder(scope.sources.map((s) => s.uri));
    if (scope.inline) bibs.unshift({ ...scope.inline, generation: facts.version });
    const signature = ScopeIndex.signature(bibs);
    let index = indexes.get(signature);
    if (!index) {
      index = new ScopeIndex(bibs);
      if (indexes.size >= 32) indexes.delete(indexes.keys().next().value!);
      indexes.set(signature, index);
      // A large library: build its search between requests, before the writer's next keystroke;
      // after a re-index, the previous version of the scope keeps answering until then.
      const files = bibs.map((b) => b.uri).join('|');
      const previous = latestByFiles.get(files);
      if (index.entryCount > SYNC_BUILD_ENTRIES) index.buildInBackground(previous);
      latestByFiles.set(files, index);
      // The previous version of the same files is never asked for again: it would keep its libraries alive.
      if (previous) {
        indexes.delete(ScopeIndex.signature(previous.bibliographies));
        previous.retire();
      }
    }
    return { facts, scope, index };
  }

  /**
   * Loads a scope's bibliographies; a BibTeX file that uses macros an earlier file defines
   * (`\bibliography{abbrev,papers}`) is parsed again with them.
   */
  async function loadInOrder(uris: string[]): Promise<LoadedBibliography[]> {
    const loaded = await Promise.all(uris.map((uri) => store.get(uri)));
    // Files that define macros. Their macros are merged only for a file that needs them: this runs on
    // every request, and cryptobib defines thousands.
    const providers: LoadedBibliography[] = [];
    for (let i = 0; i < loaded.length; i++) {
      const bib = loaded[i];
      if (bib.unknownMacros?.some((m) => providers.some((p) => Object.hasOwn(p.strings!, m)))) {
        const strings: Record<string, string> = Object.assign({}, ...providers.map((p) => p.strings));
        loaded[i] = await store.getWithStrings(bib.uri, strings, providers.map((p) => `${p.uri}#${p.generation}`).join('|'));
      }
      if (bib.strings && hasKeys(bib.strings)) providers.push(bib);
    }
    return loaded;
  }

  /** Labels of every file of a draft's project (LaTeX root and includes, Quarto project). */
  async function projectLabels(scope: Scope): Promise<ProjectLabels> {
    const files = (await Promise.all(scope.projectFiles.map(factsOfUri))).filter((f): f is DocumentFacts => !!f);
    const generated = new Set(files.flatMap((f) => f.generatedLabels ?? []));
    // A LaTeX project's own packages and classes, beside its root, may define macros that make labels.
    for (const p of await rootPackages(scope)) for (const prefix of p.generatedLabels) generated.add(prefix);
    return { files, labels: labelIndex(files), generated: [...generated] };
  }

  /** What the `.sty`/`.cls` files beside a LaTeX project's root define (none for other drafts). */
  async function rootPackages(scope: Scope): Promise<PackageFacts[]> {
    if (!scope.rootUri) return [];
    const dir = dirname(scope.rootUri);
    const out: PackageFacts[] = [];
    for (const uri of await list(dir, ['.sty', '.cls'])) {
      if (dirname(uri) !== dir) continue;
      const p = await packageFacts(uri);
      if (p) out.push(p);
    }
    return out;
  }

  /** A `.sty`/`.cls` file's generated-label prefixes and definitions, parsed once per text (this runs on every check of a draft). */
  async function packageFacts(uri: string): Promise<PackageFacts | undefined> {
    const text = await readText(uri);
    if (text === undefined) return undefined;
    const cached = packages.get(uri);
    if (cached?.text === text) return cached;
    const parsed = { text, generatedLabels: parseLatexLabels(text).generated, macros: parseMacroDefinitions(text) };
    packages.set(uri, parsed);
    return parsed;
  }

  /**
   * A LaTeX document's facts with the citation macros its project defines (its packages, then its files in
   * reading order); kept as the document's facts of that version, so that later requests read them too.
   */
  async function withMacrosOf(facts: DocumentFacts, scope: Scope): Promise<DocumentFacts> {
    if (facts.kind !== 'latex' || !scope.rootUri) return facts;
    const files = await Promise.all(scope.projectFiles.map(factsOfUri));
    const parts = [...(await rootPackages(scope)).map((p) => p.macros), ...files.map((f) => f?.latex?.macros ?? [])].filter((m) => m.length > 0);
    if (parts.length === 0 || (parts.length === 1 && parts[0] === facts.latex?.macros)) return facts;
    // The definitions of the project, gathered again only when one of its files or packages changed.
    let known = projectMacros.get(scope.rootUri);
    if (!known || known.parts.length !== parts.length || known.parts.some((p, i) => p !== parts[i])) {
      known = { parts, definitions: parts.flat(), read: new WeakSet() };
      projectMacros.set(scope.rootUri, known);
    }
    if (known.read.has(facts)) return facts;
    const upgraded = withProjectMacros(facts, config(facts.uri).latexCitationCommands, known.definitions);
    known.read.add(upgraded);
    if (upgraded !== facts && factsCache.get(facts.uri)?.version === facts.version) factsCache.set(facts.uri, upgraded);
    return upgraded;
  }

  /** Every draft of the workspace folders, and the open ones outside them. */
  async function allDrafts(): Promise<DocumentFacts[]> {
    const uris = new Set<string>();
    for (const folder of workspace.folders()) for (const uri of await list(folder, draftExtensions)) uris.add(uri);
    const facts = (await Promise.all([...uris].map(factsOfUri))).filter((f): f is DocumentFacts => !!f && f.kind !== 'other');
    for (const f of factsCache.values()) if (f.version !== -1 && f.kind !== 'other' && !uris.has(f.uri)) facts.push(f);
    return facts;
  }

  /** Is this file a bibliography (by extension; `.json`/`.yaml` only when some scope loads it)? */
  function isBibliography(uri: string, languageId?: string): boolean {
    const ext = extname(uri);
    if (languageId === 'bibtex' || ['.bib', '.bibtex', '.biblatex', '.ris'].includes(ext)) return true;
    if (!(bibliographyExtensions as readonly string[]).includes(ext)) return false;
    if ([...indexes.values()].some((i) => i.has(uri))) return true;
    // An open CSL file no draft has loaded yet: judge by its first lines.
    const head = workspace.openDocument(uri)?.getText().slice(0, 4096);
    return !!head && (ext === '.json' ? /^\s*\[\s*(\]|\{[\s\S]*?"id"\s*:)/.test(head) : /^(references\s*:|\s*- +id\s*:)/m.test(head));
  }

  /** The CSL style a document asks for: front matter `csl:`, else the setting; registered on first use. */
  async function styleFor(scope: Scope, docUri: string): Promise<string> {
    return (await styleOf(scope, docUri)).name;
  }

  /**
   * The style a document's references are formatted in, and why the one it asks for cannot be used (then APA).
   * A setting that names no built-in style and no readable `.csl` file is said once to the user (`logger.notify`):
   * front matter `csl:` has its diagnostic, `csl.unusable`.
   */
  async function styleOf(scope: Scope, docUri: string): Promise<StyleStatus> {
    const { citationStyle } = config(docUri);
    // With the setting at its default (editors send defaults as values: `apa` set and `apa` left are one), a biblatex
    // document's own style (`style=numeric`) says how its references look.
    const fromBiblatex = citationStyle === defaultConfig.citationStyle && !scope.cslUri ? builtinForBiblatex(scope.biblatexStyle) : undefined;
    if (fromBiblatex) return { name: fromBiblatex };
    const wanted = scope.cslUri ?? (builtinStyles.includes(citationStyle) ? undefined : resolvePath(workspaceFolderOf(docUri, workspace) ?? dirname(docUri), citationStyle, home));
    if (!wanted) return { name: citationStyle };
    const text = await readText(wanted);
    // Named by content too: an edited `.csl` is a new style (citeproc keeps an engine per name).
    const name = `file:${wanted}#${text === undefined ? '' : textHash(text)}`;
    if (renderer.hasStyle(name)) return { name };
    const problem = text === undefined ? 'it cannot be read' : renderer.registerStyle(name, text);
    styleProblems.set(wanted, problem);
    if (!problem) return { name };
    if (scope.cslUri) {
      logger.warn(`CSL style ${wanted} cannot be used: ${problem}; using APA.`);
      return { name: 'apa', problem: `The CSL style ${wanted} cannot be used: ${problem}; references are shown in APA.` };
    }
    const said = /[/\\]|\.csl$/i.test(citationStyle)
      ? `entente.citationStyle: the CSL style ${citationStyle} cannot be used (${problem}); references are shown in APA.`
      : `entente.citationStyle: "${citationStyle}" is neither a built-in style (${builtinStyles.join(', ')}) nor a .csl file; references are shown in APA.`;
    logger.warn(said);
    if (!notified.has(said)) {
      notified.add(said);
      logger.notify?.(said);
    }
    return { name: 'apa', problem: said };
  }

  /** Why the CSL style at `uri` could not be used when a document last asked for it, or undefined. */
  function styleProblemOf(uri: string): string | undefined {
    return styleProblems.get(uri);
  }

  function renderLocated(located: Located, style: string): string {
    return renderer.render(located.entry, style);
  }

  function fileChanged(uri: string): void {
    texts.delete(uri);
    if (factsCache.get(uri)?.version === -1) factsCache.delete(uri);
    store.invalidate(uri); // formatted references stay with the entry objects a re-parse keeps
  }

  return {
    factsOf,
    factsOfUri,
    allDrafts,
    list,
    readText,
    bibliography: (uri) => store.get(uri),
    loadedBibliographies: () => store.loaded(),
    workspaceBibliographies: (folder) => workspaceBibliographies(folder, scopeHost),
    loadInOrder,
    scoped,
    scopedNow,
    metadataSources: async (uri) => (await metadataDeclarations(uri, scopeHost))?.sources ?? [],
    isProjectOutput: (uri) => projects.isQuartoOutput(uri),
    styleProblemOf,
    scopesHolding: (uri) => [...indexes.values()].filter((i) => i.has(uri)),
    readersOf: (uri) => readers.get(uri) ?? new Set(),
    isBibliography,
    projectLabels,
    styleFor,
    styleOf,
    renderLocated,
    sourceKey,
    glossaries,
    glossaryOf,
    configChanged(reparse) {
      factsCache.clear();
      if (reparse) store.invalidateAll();
      renderer.clear();
    },
    fileChanged,
    listingsChanged: () => listings.clear(),
    documentClosed(uri) {
      factsCache.delete(uri);
      fileChanged(uri);
    },
    onBibliographyChanged: (listener) => store.onDidInvalidate(listener),
  };
}

interface PackageFacts {
  text: string;
  generatedLabels: string[];
  macros: MacroDefinition[];
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
