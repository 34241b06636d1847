/**
 * The index cache on disk: the service's `IIndexCache` over one folder of ours (VS Code's global storage for
 * the extension, else `$XDG_CACHE_HOME/entente`, `~/.cache/entente`). One file per bibliography, named by a
 * hash of its URI: a header (the format, the server's version, the file's identity, the payload's length and
 * SHA-256), then the payload (`v8.serialize`). A file is used only when all of it checks; otherwise it is
 * ignored with one line in the log, and the bibliography is parsed as if there were no cache.
 *
 * Writes happen later, when the process is idle: the value is computed a short slice at a time between requests
 * (`idle`: the server's idle time), serialized (one block of tens of milliseconds for a 50,000-entry library),
 * and its checksum computed and the file written off the main thread (WebCrypto's digest runs in libuv's pool),
 * to a temporary file renamed over the old one (a reader sees
 * the old file or the new one, never half of one; two servers writing the same file is a race either wins).
 * The folder is kept under `maxBytes`: after a write, the files used longest ago go (reading a file touches
 * it). Deleting the folder, or any file in it, at any time is safe.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import type { CacheIdentity, IIndexCache, ILogger } from './service/workspace';
import { IDLE_SLICE_MS, nextTurn, paced, type Steps } from './service/pacing';
import { CACHE_FORMAT } from './service/index/bibliographyCache';
import { VERSION } from './version';

const MAGIC = 'entente-index-cache\n';
const EXTENSION = '.cache';
/** How long after the last write was asked for the writes run (a new server is busy for a while). */
const WRITE_DELAY_MS = 2000;
/** The folder's bound by default. */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
/** A temporary file this old was left by a process that died while writing. */
const STALE_TEMP_MS = 10 * 60 * 1000;

interface Header {
  format: number;
  version: string;
  uri: string;
  size: number;
  mtime: number;
  digest: string;
  payloadBytes: number;
  payloadDigest: string;
}

/** Where the cache lives when the editor does not say: `$XDG_CACHE_HOME/entente`, else `~/.cache/entente`. */
export function defaultCacheFolder(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, '.cache');
  return path.join(base, 'entente');
}

export class DiskIndexCache implements IIndexCache {
  private readonly pending = new Map<string, { id: CacheIdentity; value: () => Steps<unknown> }>();
  /** Resolves when the process is idle (the server's idle time; by default, the next turn of the event loop). */
  idle: () => Promise<void> = nextTurn;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** The folder; undefined until known (the server learns it at `initialize`): nothing is read or written. */
    public folder: string | undefined,
    private readonly logger: ILogger,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
    private readonly version = VERSION,
  ) {}

  async read(id: CacheIdentity): Promise<unknown> {
    if (!this.folder) return undefined;
    const file = this.fileOf(this.folder, id.uri);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch {
      return undefined; // none yet
    }
    const why = await this.problem(bytes, id);
    if (typeof why === 'string') {
      this.logger.info(`Index cache of ${id.uri} not used: ${why}`);
      return undefined;
    }
    const now = new Date();
    void fs.utimes(file, now, now).catch(() => undefined); // the least recently used go first
    return why.value;
  }

  write(id: CacheIdentity, value: () => Steps<unknown>): void {
    if (!this.folder) return;
    this.pending.set(id.uri, { id, value });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), WRITE_DELAY_MS).unref();
  }

  /** Writes what is pending now (the CLI, before it exits). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    const jobs = [...this.pending.values()];
    this.pending.clear();
    const folder = this.folder;
    if (folder && jobs.length) this.writing = this.writing.then(() => this.writeAll(folder, jobs));
    return this.writing;
  }

  /** The file of a URI's cache. */
  fileOf(folder: string, uri: string): string {
    return path.join(folder, createHash('sha256').update(uri).digest('hex').slice(0, 32) + EXTENSION);
  }

  /** Why the bytes cannot be used for `id`, or the value they hold. */
  private async problem(bytes: Buffer, id: CacheIdentity): Promise<string | { value: unknown }> {
    if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return 'it is not an index cache file';
    const headerBytes = bytes.readUInt32LE(MAGIC.length);
    const headerEnd = MAGIC.length + 4 + headerBytes;
    if (headerEnd > bytes.length) return 'it is cut short';
    let header: Header;
    try {
      header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, headerEnd)) as Header;
    } catch {
      return 'its header is damaged';
    }
    if (header.format !== CACHE_FORMAT || header.version !== this.version) return `it was written by another version (${header.version}, format ${header.format})`;
    if (header.uri !== id.uri) return 'it is of another file';
    if (header.size !== id.size || header.mtime !== id.mtime || header.digest !== id.digest) return 'the file has changed since';
    const payload = bytes.subarray(headerEnd);
    if (payload.length !== header.payloadBytes) return 'it is cut short';
    if ((await sha256(payload)) !== header.payloadDigest) return 'it is damaged (its checksum differs)';
    try {
      return { value: v8.deserialize(payload) };
    } catch (e) {
      return `it cannot be read (${e instanceof Error ? e.message : e})`;
    }
  }

  private async writeAll(folder: string, jobs: { id: CacheIdentity; value: () => Steps<unknown> }[]): Promise<void> {
    try {
      await fs.mkdir(folder, { recursive: true, mode: 0o700 });
      for (const { id, value } of jobs) await this.writeOne(folder, id, value);
      await this.evict(folder);
    } catch (e) {
      this.logger.warn(`Index cache: could not write to ${folder}: ${e instanceof Error ? e.message : e}`);
    }
  }

  private async writeOne(folder: string, id: CacheIdentity, value: () => Steps<unknown>): Promise<void> {
    await this.idle();
    const data = await paced(value(), IDLE_SLICE_MS, this.idle);
    if (data === undefined) return;
    await this.idle();
    const started = performance.now();
    const payload = v8.serialize(data);
    const serializeMs = performance.now() - started;
    const header: Header = { format: CACHE_FORMAT, version: this.version, ...id, payloadBytes: payload.length, payloadDigest: await sha256(payload) };
    const headerBytes = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length);
    const parts = [Buffer.from(MAGIC, 'latin1'), length, headerBytes, payload];
    const size = parts.reduce((n, b) => n + b.length, 0);
    if (size > this.maxBytes) return;
    const file = this.fileOf(folder, id.uri);
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await fs.open(temp, 'w', 0o600);
      try {
        let written = 0;
        while (written < size) {
          const { bytesWritten } = await handle.writev(written ? [Buffer.concat(parts).subarray(written)] : parts);
          written += bytesWritten;
        }
      } finally {
        await handle.close();
      }
      await fs.rename(temp, file);
      this.logger.info(`Index cache of ${id.uri} written (${(size / 1048576).toFixed(1)} MB; serialized in ${serializeMs.toFixed(0)} ms)`);
    } finally {
      await fs.rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /** Removes the files used longest ago until the folder holds at most `maxBytes`, and temporary files left behind. */
  private async evict(folder: string): Promise<void> {
    const files: { file: string; size: number; used: number }[] = [];
    for (const name of await fs.readdir(folder)) {
      const file = path.join(folder, name);
      const st = await fs.stat(file).catch(() => undefined);
      if (!st?.isFile()) continue;
      if (name.endsWith('.tmp') && Date.now() - st.mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true });
      else if (name.endsWith(EXTENSION)) files.push({ file, size: st.size, used: st.mtimeMs });
    }
    let total = files.reduce((n, f) => n + f.size, 0);
    files.sort((a, b) => a.used - b.used);
    for (const f of files) {
      if (total <= this.maxBytes) break;
      await fs.rm(f.file, { force: true });
      total -= f.size;
    }
  }
}

/** The SHA-256 of `bytes` in hex, computed off the main thread. */
async function sha256(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
}
