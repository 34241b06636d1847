/**
 * A minimal LSP client for protocol, robustness and soak tests: starts the real, bundled server
 * (`bin/entente-language-server --stdio`), talks JSON-RPC to it over stdio, exposes the server's
 * pid and resident memory, records every notification and the last diagnostics per document,
 * and waits until the diagnostics of a document version have settled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';

import { projectRoot } from '../paths';

export { projectRoot };

export interface ConfigurationItem {
  scopeUri?: string;
  section?: string;
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: any; code?: string | number; message: string; severity?: number; data?: unknown }[];
}

export class TestClient {
  readonly connection: MessageConnection;
  readonly logs: string[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  /** The last diagnostics published per document, and when they arrived. */
  readonly diagnostics = new Map<string, PublishedDiagnostics & { at: number }>();
  private lastPublish = 0;
  private readonly process: ChildProcess;
  exited = false;

  constructor(args: string[] = ['--stdio']) {
    this.process = spawn(process.execPath, [path.join(projectRoot, 'bin', 'entente-language-server'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.on('exit', () => (this.exited = true));
    this.process.stderr!.on('data', (d) => this.logs.push(String(d)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      if (method === 'window/logMessage') this.logs.push((params as { message: string }).message);
      if (method === 'textDocument/publishDiagnostics') {
        const p = params as PublishedDiagnostics;
        this.lastPublish = Date.now();
        this.diagnostics.set(p.uri, { ...p, at: this.lastPublish });
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: ConfigurationItem[] }) =>
      params.items.map((item) => (typeof this.settings === 'function' ? this.settings(item) : this.settings)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  /** What `workspace/configuration` answers for the `entente` section: one answer for every item, or one per item. */
  settings: unknown | ((item: ConfigurationItem) => unknown) = {};

  /** The `window/logMessage` notifications of a type (1 error, 2 warning, 3 info, 4 log). */
  logMessages(type: number): string[] {
    return this.notifications
      .filter((n) => n.method === 'window/logMessage' && (n.params as { type: number }).type === type)
      .map((n) => (n.params as { message: string }).message);
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Resident set size of the server process in MB (Linux: /proc/<pid>/status), or NaN elsewhere. */
  rssMB(): number {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    } catch {
      return NaN;
    }
  }

  /** Initializes with one or more workspace folders; `capabilities` replace the usual ones (those of a full client). */
  async initialize(folder: string | string[], options: { initializationOptions?: unknown; capabilities?: unknown } = {}): Promise<any> {
    const folders = typeof folder === 'string' ? [folder] : folder;
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: URI.file(folders[0]).toString(),
      workspaceFolders: folders.map((f) => ({ uri: URI.file(f).toString(), name: path.basename(f) })),
      initializationOptions: options.initializationOptions,
      capabilities: options.capabilities ?? {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { completion: { completionItem: { snippetSupport: false } }, hover: { contentFormat: ['markdown'] } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(file: string, languageId: string, text: string, version = 1): string {
    const uri = URI.file(file).toString();
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  /**
   * Waits until every document in `versions` has diagnostics for its latest version and no
   * diagnostics have been published for `quietMs` (a bibliography edit re-checks the drafts).
   */
  async settle(versions: ReadonlyMap<string, number>, quietMs = 400, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = [...versions].every(([uri, v]) => this.diagnostics.get(uri)?.version === v);
      if (current && Date.now() - this.lastPublish >= quietMs) return;
      if (Date.now() > deadline) {
        const missing = [...versions].filter(([uri, v]) => this.diagnostics.get(uri)?.version !== v).map(([uri, v]) => `${uri}@${v} (has ${this.diagnostics.get(uri)?.version})`);
        throw new Error(`diagnostics did not settle: ${missing.join(', ') || 'still publishing'}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.connection.dispose();
    this.process.kill();
  }
}

/** The name the robustness tests use. */
export { TestClient as RobustClient };
