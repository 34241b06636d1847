/**
 * The language server: capabilities, and one short handler per request that looks the
 * document up and delegates to the language service. Every handler is guarded: an exception
 * is logged and answered with an empty result, and the server keeps serving.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionKind,
  ErrorCodes,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { editedDocuments, type EditedDocument } from './editedDocument';
import { createLanguageService, semanticTokensLegend, UserError } from './service/languageService';
import { resolveSettings, type EntenteConfig } from './service/config';
import { LspWorkspace } from './lspWorkspace';
import { DiskIndexCache, defaultCacheFolder } from './indexCache';

import { VERSION } from './version';

export { VERSION };

/** Custom requests and notifications between our client and server. */
export const DocumentStatusRequest = 'entente/documentStatus';
export const IndexChangedNotification = 'entente/indexChanged';
/** The entries a document can cite matching a query: `{ uri, query, limit? }` -> EntryChoice[]. */
export const SearchEntriesRequest = 'entente/searchEntries';
/** Only the cited entries, as BibTeX or CSL-JSON text: `{ uris?, format }` -> `{ text, count, missing }`. */
export const ExportCitedRequest = 'entente/exportCited';
/** The entries no draft loading them cites, of a bibliography or of a draft's: `{ uri }` -> UnusedEntry[]. */
export const UnusedEntriesRequest = 'entente/unusedEntries';
/** A typed reference list as a bibliography: `{ text, format, firstLine? }` -> `{ text, count, report }` (one line per flagged reference). */
export const ImportReferencesRequest = 'entente/importReferences';
/** `workspace/executeCommand`: check every draft and bibliography of the workspace, open or not. */
export const CheckWorkspaceCommand = 'entente.server.checkWorkspace';
/** `workspace/executeCommand`: the full entry of a glossary term, `[{ uri?, id }]` -> `{ markdown }` (for any editor). */
export const TermCardCommand = 'entente.server.termCard';
/** `workspace/executeCommand`: the glossary terms a draft sees, `[{ uri? }]` -> TermChoice[] ("Browse Glossary"). */
export const GlossaryTermsCommand = 'entente.server.glossaryTerms';

const watchedGlob = '**/*.{bib,bibtex,biblatex,json,yaml,yml,ris,tex,ltx,md,qmd,rmd,csl}';
/** Makefiles that join a project's chapters (`index/projects.ts`). */
const watchedMakefiles = '**/{Makefile,makefile,GNUmakefile}';
const bibLanguages = new Set(['bibtex', 'biblatex', 'bib']);

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(editedDocuments);
  const log = {
    info: (m: string) => connection.console.info(m),
    warn: (m: string) => connection.console.warn(m),
    error: (m: string) => connection.console.error(m),
    // A notification, not `showWarningMessage`'s request: a client that cannot answer it must not fail the server.
    notify: (m: string) => void connection.sendNotification('window/showMessage', { type: 2, message: `Entente: ${m}` }),
  };
  let notifyTimer: NodeJS.Timeout | undefined;
  const notifyIndexChanged = () => {
    clearTimeout(notifyTimer);
    notifyTimer = setTimeout(() => {
      void connection.sendNotification(IndexChangedNotification, {});
      // A key defined or removed in a bibliography changes the tokens of drafts that did not change.
      if (canRefreshTokens) void connection.languages.semanticTokens.refresh().catch(() => undefined);
      scheduleAll();
    }, 100);
  };
  const workspace = new LspWorkspace(documents, (uri) => {
    service.fileChanged(uri);
    notifyIndexChanged();
  });
  // The folder is known at `initialize`: the editor's storage for us, else the user's cache folder.
  const indexCache = new DiskIndexCache(undefined, log);
  const service = createLanguageService({ workspace, logger: log, home: os.homedir(), indexCache });
  service.onBibliographyChanged(notifyIndexChanged);
  let canPullConfig = false;
  let canRefreshTokens = false;
  let canWatchDynamically = false;
  let hearsFolderChanges = false;

  /** Runs a handler; an exception is logged and answered with `fallback` (a UserError reaches the user). */
  let shutDown = false;
  async function guard<T>(name: string, token: CancellationToken | undefined, fallback: T, run: () => Promise<T> | T): Promise<T> {
    // After `shutdown`, the protocol answers requests with an error and ignores notifications.
    if (shutDown) {
      if (token) throw new ResponseError(ErrorCodes.InvalidRequest, `${name}: the server is shutting down`);
      return fallback;
    }
    busy++;
    try {
      if (token?.isCancellationRequested) return fallback;
      const result = await run();
      return token?.isCancellationRequested ? fallback : result;
    } catch (e) {
      if (e instanceof UserError) throw new ResponseError(LSPErrorCodes.RequestFailed, e.message);
      log.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    } finally {
      busy--;
      lastActive = Date.now();
    }
  }

  // Idle time: no handler running, no check waiting for its debounce, nothing heard for IDLE_AFTER_MS.
  let busy = 0;
  let lastActive = 0;
  const IDLE_AFTER_MS = 150;
  async function whenIdle(): Promise<void> {
    // A full turn of the event loop first (a timer, not an immediate: the poll phase reads the pipe), so that what has
    // arrived meanwhile is read and handled before idleness is judged.
    await new Promise((resolve) => setTimeout(resolve, 1));
    for (;;) {
      const wait = busy > 0 || pending.size > 0 ? IDLE_AFTER_MS : lastActive + IDLE_AFTER_MS - Date.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  // The index cache is written in idle time only, a short slice at a time.
  indexCache.idle = whenIdle;
  /** The drafts whose cited references are to be formatted ahead of their hovers, one at a time, in idle time. */
  const toWarm = new Set<string>();
  let warming = false;
  async function warmHovers(uri: string) {
    toWarm.add(uri);
    if (warming) return;
    warming = true;
    try {
      for (const next of toWarm) {
        toWarm.delete(next);
        await whenIdle();
        const doc = documents.get(next);
        if (!doc || shutDown) continue;
        try {
          await service.warmHovers(doc, whenIdle);
        } catch (e) {
          log.error(`warm hovers failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      }
    } finally {
      warming = false;
    }
  }

  // Diagnostics: debounced per document, published with the version they were computed for.
  const pending = new Map<string, NodeJS.Timeout>();
  function schedule(uri: string, delay = service.configFor(uri).diagnosticsDelayMs) {
    clearTimeout(pending.get(uri));
    pending.set(
      uri,
      setTimeout(() => {
        pending.delete(uri);
        void publish(uri);
      }, delay),
    );
  }
  function scheduleAll(delay?: number) {
    for (const doc of documents.all()) schedule(doc.uri, delay ?? service.configFor(doc.uri).diagnosticsDelayMs);
  }
  async function publish(uri: string) {
    const doc = documents.get(uri);
    if (!doc) return;
    const diagnostics = await guard('diagnostics', undefined, undefined, () => service.getDiagnostics(doc));
    // A newer version is on its way: its own run will publish.
    if (!diagnostics || documents.get(uri)?.version !== doc.version) return;
    await sendDiagnostics(uri, diagnostics, doc.version);
    // Then, in idle time, the references its citations show on hover.
    void warmHovers(uri);
  }
  /** Diagnostics are bounded by the service; should sending still fail (encoding, a closed pipe), it is said, never thrown. */
  async function sendDiagnostics(uri: string, diagnostics: Diagnostic[], version?: number): Promise<void> {
    try {
      await connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (e) {
      connection.console.error(`Could not send the ${diagnostics.length} diagnostics of ${uri}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setFolders(folders);
    canPullConfig = !!params.capabilities.workspace?.configuration;
    canRefreshTokens = !!params.capabilities.workspace?.semanticTokens?.refreshSupport;
    canWatchDynamically = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    hearsFolderChanges = !!params.capabilities.workspace?.workspaceFolders;
    settings.initial = params.initializationOptions;
    // The commands the editor runs from a hover's links (our VS Code client says so in `experimental.entente`).
    const experimental = params.capabilities.experimental as { entente?: { commandLinks?: unknown } } | undefined;
    const links = experimental?.entente?.commandLinks;
    indexCache.folder = cacheFolderOf(params.capabilities.experimental) ?? defaultCacheFolder();
    service.setClientCommands(Array.isArray(links) ? links.filter((c): c is string => typeof c === 'string') : []);
    applySettings(workspace.folders(), []);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['@', '{', ',', '-', ':'], resolveProvider: true },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        foldingRangeProvider: true,
        inlayHintProvider: true,
        workspaceSymbolProvider: true,
        semanticTokensProvider: { legend: semanticTokensLegend, full: true },
        executeCommandProvider: { commands: [CheckWorkspaceCommand, TermCardCommand, GlossaryTermsCommand] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'entente-language-server', version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    await pullConfig();
    if (canWatchDynamically) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: watchedGlob }, { globPattern: watchedMakefiles }] });
    }
    // Only a client that says it sends them may be asked for them (the library throws otherwise).
    if (hearsFolderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
        const current = new Set(workspace.folders());
        for (const f of e.removed) current.delete(f.uri.replace(/\/$/, ''));
        for (const f of e.added) current.add(f.uri);
        workspace.setFolders([...current]);
        service.filesCreatedOrDeleted([]);
        await pullConfig();
      });
    }
  });

  // Settings, in layers (see ARCHITECTURE.md, "Settings"): initializationOptions, then the latest
  // didChangeConfiguration settings, then the answers to workspace/configuration for the workspace
  // and for each folder. A layer that is null or empty changes nothing.
  const settings: { initial?: unknown; pushed?: unknown; pulls: number; signature?: string } = { pulls: 0 };
  const reported = new Set<string>();

  /** Sets the service's configs from the layers and `answers` ([workspace, ...folders]); reports each problem once. */
  function applySettings(folders: readonly string[], answers: readonly unknown[]): boolean {
    const base = [settings.initial, settings.pushed, answers[0]];
    const global = resolveSettings(base);
    const perFolder = new Map<string, EntenteConfig>();
    const problems = [...global.problems];
    folders.forEach((folder, i) => {
      if (answers[i + 1] === undefined || answers[i + 1] === null) return;
      const own = resolveSettings([...base, answers[i + 1]]);
      perFolder.set(folder, own.config);
      problems.push(...own.problems);
    });
    for (const p of problems) {
      if (reported.has(p)) continue;
      reported.add(p);
      log.warn(`Settings: ${p}`);
    }
    const signature = JSON.stringify([global.config, [...perFolder]]);
    if (signature === settings.signature) return false;
    settings.signature = signature;
    service.setConfig(global.config, perFolder);
    return true;
  }

  /** Asks the client for the settings of the workspace and of each folder, and applies them. */
  async function pullConfig() {
    const pull = ++settings.pulls;
    const folders = workspace.folders();
    let answers: unknown[] = [];
    if (canPullConfig) {
      answers = await guard('configuration', undefined, [], () =>
        connection.workspace.getConfiguration([{ section: 'entente' }, ...folders.map((f) => ({ scopeUri: f, section: 'entente' }))]),
      );
    }
    // A newer pull (settings or folders changed meanwhile) applies its own answers.
    if (pull !== settings.pulls) return;
    if (applySettings(folders, Array.isArray(answers) ? answers : [])) {
      notifyIndexChanged();
      scheduleAll(0);
    }
  }

  connection.onDidChangeConfiguration(async (change) => {
    settings.pushed = change.settings;
    await pullConfig();
  });

  const isBibliography = (doc: EditedDocument) => bibLanguages.has(doc.languageId) || service.isBibliography(doc.uri, doc.languageId);

  // An edited bibliography is re-indexed from the editor's text; a closed one from the disk.
  const openedVersions = new Map<string, number>();
  documents.onDidOpen(({ document }) => {
    openedVersions.set(document.uri, document.version);
    // A bibliography read from disk before is now the editor's text (maybe with unsaved changes).
    if (isBibliography(document)) service.fileChanged(document.uri);
    schedule(document.uri, 0);
  });
  documents.onDidChangeContent(({ document }) => {
    // TextDocuments reports the opening as a change too: that is no edit.
    if (openedVersions.get(document.uri) === document.version) return;
    if (isBibliography(document)) {
      service.fileChanged(document.uri);
      notifyIndexChanged();
    } else {
      service.fileChanged(document.uri);
      schedule(document.uri);
      // Labels, glossary definitions, first uses and inherited bibliographies span the files of a LaTeX project,
      // a Quarto book or a Markdown project (and _quarto.yml): an edit may change what the other open files see.
      for (const other of documents.all()) if (other.uri !== document.uri && !pending.has(other.uri)) schedule(other.uri, 3 * service.configFor(other.uri).diagnosticsDelayMs);
    }
  });
  documents.onDidClose(({ document }) => {
    openedVersions.delete(document.uri);
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    service.documentClosed(document.uri);
    void sendDiagnostics(document.uri, []);
  });

  connection.onDidChangeWatchedFiles(({ changes }) =>
    guard('watched files', undefined, undefined, () => {
      const createdOrDeleted = changes.filter((c) => c.type !== FileChangeType.Changed).map((c) => c.uri);
      if (createdOrDeleted.length) service.filesCreatedOrDeleted(createdOrDeleted);
      for (const c of changes) if (c.type === FileChangeType.Changed && !documents.get(c.uri)) service.fileChanged(c.uri);
      notifyIndexChanged();
    }),
  );

  connection.onCompletion((params, token) =>
    guard('completion', token, null, () => {
      const doc = documents.get(params.textDocument.uri);
      return doc ? (service.getCompletions(doc, params.position).then((r) => r ?? null)) : null;
    }),
  );

  connection.onCompletionResolve((item, token) => guard('completion resolve', token, item, () => service.resolveCompletion(item)));

  connection.onHover((params, token) =>
    guard('hover', token, null, async () => {
      const doc = documents.get(params.textDocument.uri);
      return doc ? ((await service.getHover(doc, params.position)) ?? null) : null;
    }),
  );

  connection.onDefinition((params, token) => guard('definition', token, null, () => withDoc(params.textDocument.uri, (doc) => service.getDefinition(doc, params.position))));

  connection.onReferences((params, token) =>
    guard('references', token, null, () => withDoc(params.textDocument.uri, (doc) => service.getReferences(doc, params.position, params.context.includeDeclaration))),
  );

  connection.onPrepareRename((params, token) => guard('prepare rename', token, null, () => withDoc(params.textDocument.uri, (doc) => service.prepareRename(doc, params.position))));

  connection.onRenameRequest((params, token) => guard('rename', token, null, () => withDoc(params.textDocument.uri, (doc) => service.rename(doc, params.position, params.newName))));

  connection.onCodeAction((params, token) => guard('code action', token, null, () => withDoc(params.textDocument.uri, (doc) => service.getCodeActions(doc, params.context.diagnostics, params.range))));

  connection.onDocumentSymbol((params, token) => guard('document symbols', token, null, () => withDoc(params.textDocument.uri, (doc) => service.getDocumentSymbols(doc))));

  connection.languages.semanticTokens.on((params, token) => guard('semantic tokens', token, { data: [] }, async () => (await withDoc(params.textDocument.uri, (doc) => service.getSemanticTokens(doc))) ?? { data: [] }));
  connection.onDocumentLinks((params, token) => guard('document links', token, null, () => withDoc(params.textDocument.uri, (doc) => service.getDocumentLinks(doc))));

  connection.onFoldingRanges((params, token) => guard('folding ranges', token, null, () => withDoc(params.textDocument.uri, (doc) => service.getFoldingRanges(doc))));

  connection.languages.inlayHint.on((params, token) => guard('inlay hints', token, null, () => withDoc(params.textDocument.uri, (doc) => service.getInlayHints(doc, params.range))));

  connection.onWorkspaceSymbol((params, token) => guard('workspace symbols', token, null, () => service.getWorkspaceSymbols(params.query)));

  connection.onExecuteCommand((params, token) =>
    guard('execute command', token, null, async () => {
      const arg = (params.arguments?.[0] ?? {}) as { uri?: unknown; id?: unknown };
      const doc = typeof arg.uri === 'string' ? documents.get(arg.uri) : undefined;
      if (params.command === TermCardCommand) {
        const markdown = typeof arg.id === 'string' ? await service.getTermCard(doc, arg.id) : undefined;
        return markdown === undefined ? null : { markdown };
      }
      if (params.command === GlossaryTermsCommand) return service.listTerms(doc);
      if (params.command !== CheckWorkspaceCommand) return null;
      const results = await service.checkFiles(workspace.folders());
      let errors = 0;
      let warnings = 0;
      let notes = 0;
      for (const [uri, diagnostics] of results) {
        errors += diagnostics.filter((d) => d.severity === 1).length;
        warnings += diagnostics.filter((d) => d.severity === 2).length;
        notes += diagnostics.filter((d) => d.severity === 3 || d.severity === 4).length;
        // Open documents keep their live diagnostics; closed ones get the workspace check's.
        if (!documents.get(uri)) await sendDiagnostics(uri, diagnostics);
      }
      scheduleAll(0);
      return { files: results.size, errors, warnings, notes };
    }),
  );

  /** Runs `f` on the open document, or answers null when the client asks about a document it never opened. */
  async function withDoc<T>(uri: string, f: (doc: EditedDocument) => Promise<T | undefined>): Promise<T | null> {
    const doc = documents.get(uri);
    return doc ? ((await f(doc)) ?? null) : null;
  }

  connection.onRequest(SearchEntriesRequest, (params: { uri: string; query: string; limit?: number }, token) =>
    guard('search entries', token, [], () => withDoc(params.uri, (doc) => service.searchEntries(doc, params.query ?? '', Math.min(params.limit ?? 50, 500)))),
  );

  connection.onRequest(ExportCitedRequest, (params: { uris?: string[]; format?: 'bibtex' | 'csl-json' }, token) =>
    guard('export cited references', token, null, () => service.exportCited(params.uris, params.format === 'csl-json' ? 'csl-json' : 'bibtex')),
  );

  connection.onRequest(UnusedEntriesRequest, (params: { uri: string }, token) => guard('unused entries', token, [], () => withDoc(params.uri, (doc) => service.unusedEntries(doc))));

  connection.onRequest(ImportReferencesRequest, (params: { text?: string; format?: 'bibtex' | 'csl-json'; firstLine?: number }, token) =>
    guard('import references', token, null, () => {
      const firstLine = Number.isInteger(params.firstLine) && params.firstLine! >= 0 ? params.firstLine : 0;
      const result = service.importReferences(String(params.text ?? ''), params.format === 'csl-json' ? 'csl-json' : 'bibtex', firstLine);
      return { text: result.text, count: result.count, total: result.references.length, report: result.report };
    }),
  );

  connection.onRequest(DocumentStatusRequest, (params: { uri: string }, token) =>
    guard('document status', token, null, () => {
      const doc = documents.get(params.uri);
      return doc ? service.getDocumentStatus(doc) : null;
    }),
  );

  connection.onShutdown(() => {
    shutDown = true;
    workspace.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** The cache folder our VS Code client names (`experimental.entente.cacheFolder`, its global storage), when absolute. */
function cacheFolderOf(experimental: unknown): string | undefined {
  const folder = (experimental as { entente?: { cacheFolder?: unknown } } | undefined)?.entente?.cacheFolder;
  return typeof folder === 'string' && path.isAbsolute(folder) ? folder : undefined;
}
