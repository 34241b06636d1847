// A tiny LSP client for the benchmark: spawns the real bundled server over stdio
// (bin/entente-language-server --stdio) and speaks JSON-RPC to it with vscode-jsonrpc.
// Every wait has a timeout; a timed-out wait rejects with a TimeoutError.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

export class TimeoutError extends Error {
  constructor(what, ms) {
    super(`timeout: ${what} (${ms} ms)`);
    this.name = 'TimeoutError';
  }
}

/** Resolves with `promise`, or rejects with a TimeoutError after `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const fileUri = (p) => pathToFileURL(p).href;

/** Every server started, so that process exit can kill the ones still alive. */
const live = new Set();
export function killAllServers() {
  for (const s of live) s.kill();
}

export class Server {
  /** @param {string} projectRoot */
  /**
   * `env`: added to this process's environment (the bench sets XDG_CACHE_HOME, the index cache's folder, to one of
   * its own); `cacheHome`: that folder, kept. Without either, a folder of this server's own, empty (every start a
   * first start) and removed when it exits.
   */
  constructor(projectRoot, { settings = {}, serverBin = join(projectRoot, 'bin', 'entente-language-server'), env = {}, cacheHome } = {}) {
    this.settings = settings;
    this.stderr = [];
    this.exited = false;
    /** Listeners for every server notification: (method, params, receivedAt) => void. */
    this.listeners = new Set();
    this.spawnedAt = performance.now();
    this.cacheHome = cacheHome ?? env.XDG_CACHE_HOME ?? mkdtempSync(join(tmpdir(), 'entente-bench-cache-'));
    this.ownCache = !cacheHome && !env.XDG_CACHE_HOME;
    this.process = spawn(process.execPath, [serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env, XDG_CACHE_HOME: this.cacheHome } });
    live.add(this);
    /** Rejects when the server process ends: every wait fails at once instead of timing out. */
    this.exit = new Promise((_, reject) => {
      this.process.on('exit', (code, signal) => {
        this.exited = true;
        if (this.ownCache) rmSync(this.cacheHome, { recursive: true, force: true });
        live.delete(this);
        const tail = this.stderr.join('').trim().split('\n').pop()?.slice(0, 120);
        reject(new Error(`server exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`));
      });
    });
    this.exit.catch(() => {});
    this.process.stderr.on('data', (d) => this.stderr.push(String(d)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification((method, params) => {
      const at = performance.now();
      for (const l of this.listeners) l(method, params, at);
    });
    this.connection.onRequest('workspace/configuration', (params) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onError(() => {});
    this.connection.listen();
    this.versions = new Map();
  }

  get pid() {
    return this.process.pid;
  }

  async initialize(folder, timeoutMs = 30_000) {
    const uri = fileUri(folder);
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: basename(folder) }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          completion: { completionItem: { snippetSupport: false } },
          hover: { contentFormat: ['markdown'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        },
      },
    }, timeoutMs);
    this.notify('initialized', {});
    return result;
  }

  request(method, params, timeoutMs = 30_000) {
    return withTimeout(Promise.race([this.connection.sendRequest(method, params), this.exit]), timeoutMs, method);
  }

  /** Sends a request and resolves with `{ ms, result }`: the round trip in milliseconds. */
  async timed(method, params, timeoutMs = 30_000) {
    const t0 = performance.now();
    const result = await this.request(method, params, timeoutMs);
    return { ms: performance.now() - t0, result };
  }

  notify(method, params) {
    void this.connection.sendNotification(method, params);
  }

  open(file, text, languageId = 'markdown') {
    const uri = fileUri(file);
    this.versions.set(uri, 1);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Incremental change: `text` replaces `range` (an insertion when the range is empty). */
  change(uri, range, text) {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  completion(uri, position, timeoutMs) {
    return this.timed('textDocument/completion', { textDocument: { uri }, position }, timeoutMs);
  }

  hover(uri, position, timeoutMs) {
    return this.timed('textDocument/hover', { textDocument: { uri }, position }, timeoutMs);
  }

  /**
   * Resolves with `{ params, at }` for the first notification (after now) that `method` and
   * `predicate` accept; rejects with a TimeoutError after `timeoutMs`.
   */
  waitFor(method, predicate = () => true, timeoutMs = 10_000) {
    let listener;
    const p = new Promise((resolve) => {
      listener = (m, params, at) => {
        if (m === method && predicate(params)) resolve({ params, at });
      };
      this.listeners.add(listener);
    });
    return withTimeout(Promise.race([p, this.exit]), timeoutMs, method).finally(() => this.listeners.delete(listener));
  }

  /** Resolves with the time of the last notification `method` once none has come for `idleMs` (at most `maxMs`). */
  async quiet(method, idleMs, maxMs = 10_000) {
    let last = performance.now();
    const listener = (m, _params, at) => {
      if (m === method) last = at;
    };
    this.listeners.add(listener);
    const start = performance.now();
    try {
      while (performance.now() - last < idleMs && performance.now() - start < maxMs) await sleep(10);
      return last;
    } finally {
      this.listeners.delete(listener);
    }
  }

  /** Resident set size and its peak, in MB, from /proc (Linux); undefined elsewhere. */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
      return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  async stop() {
    if (!this.exited) {
      try {
        await withTimeout(this.connection.sendRequest('shutdown'), 2000, 'shutdown');
        this.notify('exit');
      } catch {
        // The server may be busy or gone; it is killed below.
      }
    }
    this.connection.dispose();
    if (!this.exited) {
      const exited = new Promise((r) => this.process.once('exit', r));
      await Promise.race([exited, sleep(500)]);
      if (!this.exited) this.process.kill('SIGKILL');
    }
    live.delete(this);
  }

  kill() {
    if (!this.exited) this.process.kill('SIGKILL');
  }
}

/** An open document whose text the benchmark edits: each edit is one incremental didChange. */
export class OpenDocument {
  constructor(server, file, text, languageId = 'markdown') {
    this.server = server;
    this.text = text;
    this.uri = server.open(file, text, languageId);
  }

  /** Replaces the text between two offsets; returns the new version. */
  replace(start, end, newText) {
    const range = { start: positionAt(this.text, start), end: positionAt(this.text, end) };
    this.text = this.text.slice(0, start) + newText + this.text.slice(end);
    return this.server.change(this.uri, range, newText);
  }

  /** Replaces the last line (the line being typed). */
  setLastLine(line) {
    return this.replace(this.text.lastIndexOf('\n') + 1, this.text.length, line);
  }

  /** Types at the end of the document. */
  type(chars) {
    return this.replace(this.text.length, this.text.length, chars);
  }

  end() {
    return endOf(this.text);
  }

  close() {
    this.server.notify('textDocument/didClose', { textDocument: { uri: this.uri } });
  }

  position(offset) {
    return positionAt(this.text, offset);
  }
}

/** Position at the end of `text`. */
export function endOf(text) {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** Position of character offset `offset` in `text`. */
export function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
