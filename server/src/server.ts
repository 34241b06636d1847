/**
 * The language server: capabilities, and one short handler per request that looks the
 * document up and delegates to the language service. Every handler is guarded: an exception
 * is logged and answered with an empty result, and the server keeps serving.
 */
import * as os from 'node:os';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from './service';
import { readConfig } from './service/config';
import { bibliographyExtensions } from './service/index/bibliographies';
import { extname } from './service/index/paths';
import { LspWorkspace } from './lspWorkspace';

export const VERSION = '0.1.0';

/** Custom requests and notifications between our client and server. */
export const DocumentStatusRequest = 'entente/documentStatus';
export const IndexChangedNotification = 'entente/indexChanged';

const watchedGlob = '**/*.{bib,bibtex,biblatex,json,yaml,yml,ris,tex,ltx,md,qmd,rmd,csl}';
const bibLanguages = new Set(['bibtex', 'biblatex', 'bib']);

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const log = {
    info: (m: string) => connection.console.info(m),
    warn: (m: string) => connection.console.warn(m),
    error: (m: string) => connection.console.error(m),
  };
  let notifyTimer: NodeJS.Timeout | undefined;
  const notifyIndexChanged = () => {
    clearTimeout(notifyTimer);
    notifyTimer = setTimeout(() => void connection.sendNotification(IndexChangedNotification, {}), 100);
  };
  const workspace = new LspWorkspace(documents, (uri) => {
    service.fileChanged(uri);
    notifyIndexChanged();
  });
  const service = createLanguageService({ workspace, logger: log, home: os.homedir() });
  service.onBibliographyChanged(notifyIndexChanged);
  let canPullConfig = false;
  let canWatchDynamically = false;

  /** Runs a handler; an exception is logged and answered with `fallback`. */
  async function guard<T>(name: string, token: CancellationToken | undefined, fallback: T, run: () => Promise<T> | T): Promise<T> {
    try {
      if (token?.isCancellationRequested) return fallback;
      const result = await run();
      return token?.isCancellationRequested ? fallback : result;
    } catch (e) {
      log.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setFolders(folders);
    canPullConfig = !!params.capabilities.workspace?.configuration;
    canWatchDynamically = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    if (params.initializationOptions) service.setConfig(readConfig(params.initializationOptions));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['@', '{', ','], resolveProvider: true },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'entente-language-server', version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    await pullConfig();
    if (canWatchDynamically) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: watchedGlob }] });
    }
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const current = new Set(workspace.folders());
      for (const f of e.removed) current.delete(f.uri.replace(/\/$/, ''));
      for (const f of e.added) current.add(f.uri);
      workspace.setFolders([...current]);
      service.filesCreatedOrDeleted([]);
    });
  });

  async function pullConfig() {
    if (!canPullConfig) return;
    await guard('configuration', undefined, undefined, async () => {
      service.setConfig(readConfig(await connection.workspace.getConfiguration('entente')));
    });
  }

  connection.onDidChangeConfiguration(async (change) => {
    if (canPullConfig) await pullConfig();
    else service.setConfig(readConfig((change.settings as { entente?: unknown })?.entente));
    notifyIndexChanged();
  });

  const isBibliography = (doc: TextDocument) => bibLanguages.has(doc.languageId) || (bibliographyExtensions as readonly string[]).includes(extname(doc.uri));

  // An edited bibliography is re-indexed from the editor's text; a closed one from the disk.
  documents.onDidChangeContent(({ document }) => {
    if (isBibliography(document)) service.fileChanged(document.uri);
  });
  documents.onDidClose(({ document }) => service.fileChanged(document.uri));

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

  connection.onRequest(DocumentStatusRequest, (params: { uri: string }, token) =>
    guard('document status', token, null, () => {
      const doc = documents.get(params.uri);
      return doc ? service.getDocumentStatus(doc) : null;
    }),
  );

  connection.onShutdown(() => workspace.dispose());

  documents.listen(connection);
  connection.listen();
}
