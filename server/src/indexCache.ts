/**
 * The index cache on disk: the service's `IIndexCache` over one folder of ours (VS Code's global storage for
 * the extension, else `$XDG_CACHE_HOME/entente`, `~/.cache/entente`). One file per bibliography, named by a
 * hash of its URI: a header (the format, the server's version, the file's identity, the payload's length,
 * SHA-256 and pieces), then the payload. A file is used only when all of it checks; otherwise it is ignored
 * with one line in the log, and the bibliography is parsed as if there were no cache.
 *
 * The payload is in pieces: the rest of the value (`v8.serialize`), then its large parts (Int32Arrays, long
 * strings) each on their own (an array as its bytes, in this machine's byte order). So writing one never holds
 * the process for long: writes happen later, when the process is idle (`idle`: the server's idle time), the
 * value computed, each piece serialized and the checksum computed a short step at a time between requests
 * (the log says the longest), to a temporary file renamed over the old one (a reader sees the old file or
 * the new one, never half of one; two servers writing the same file is a race either wins).
 * The folder is kept under `maxBytes`: after a write, the files used longest ago go (reading a file touches
 * it). Deleting the folder, or any file in it, at any time is safe.
 */
import { createHash, randomBytes } from 'node:crypto';
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
  /** The payload's pieces in order: the rest of the value first, then its large parts (see `split`). */
  pieces: { kind: 'v8' | 'int32'; bytes: number }[];
}

/** A large part of a value left in its place (`split`): `{ [PIECE]: its index among the pieces }`. */
const PIECE = '\u0000entente-piece';
/** A typed array of this many bytes, or a string of this many code units, is a piece of its own. */
const PIECE_MIN = 1 << 16;
/** How deep in a value large parts are looked for (the payloads hold them at most this deep: `search.docs[2]`). */
const PIECE_DEPTH = 3;
/** How many bytes of a piece are hashed in one step. */
const HASH_STEP = 1 << 20;

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
    const pieces = header.pieces;
    if (!Array.isArray(pieces) || !pieces.length || pieces.some((p) => !Number.isSafeInteger(p?.bytes) || p.bytes < 0 || !(p.kind === 'v8' || (p.kind === 'int32' && p.bytes % 4 === 0)))) return 'its header is damaged';
    if (pieces.reduce((n, p) => n + p.bytes, 0) !== payload.length) return 'its header is damaged';
    if (createHash('sha256').update(payload).digest('hex') !== header.payloadDigest) return 'it is damaged (its checksum differs)';
    try {
      let at = 0;
      const values = pieces.map(({ kind, bytes: n }) => {
        const piece = payload.subarray(at, (at += n));
        if (kind === 'v8') return v8.deserialize(piece) as unknown;
        const ints = new Int32Array(n / 4);
        new Uint8Array(ints.buffer).set(piece);
        return ints;
      });
      return { value: joined(values[0], values) };
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
    // The work between two pauses for idle time, timed: how long a request arriving meanwhile could wait (logged).
    let longest = 0;
    let since = 0;
    const idle = async () => {
      if (since) longest = Math.max(longest, performance.now() - since);
      await this.idle();
      since = performance.now();
    };
    await idle();
    const data = await paced(value(), IDLE_SLICE_MS, idle);
    if (data === undefined) return;
    // Each piece in a block of its own: the longest, a 10 MB string's copy, takes a few milliseconds.
    const large: (Int32Array | string)[] = [];
    const payload: Buffer[] = [v8.serialize(split(data, large))];
    const pieces: Header['pieces'] = [{ kind: 'v8', bytes: payload[0].length }];
    for (const part of large) {
      await idle();
      const bytes = typeof part === 'string' ? v8.serialize(part) : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
      payload.push(bytes);
      pieces.push({ kind: typeof part === 'string' ? 'v8' : 'int32', bytes: bytes.length });
    }
    await idle();
    const payloadDigest = await paced(hashSteps(payload), IDLE_SLICE_MS, idle);
    const header: Header = { format: CACHE_FORMAT, version: this.version, ...id, payloadBytes: pieces.reduce((n, p) => n + p.bytes, 0), payloadDigest, pieces };
    const headerBytes = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length);
    const parts = [Buffer.from(MAGIC, 'latin1'), length, headerBytes, ...payload];
    const size = parts.reduce((n, b) => n + b.length, 0);
    longest = Math.max(longest, performance.now() - since);
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
      this.logger.info(`Index cache of ${id.uri} written (${(size / 1048576).toFixed(1)} MB; its longest step ${longest.toFixed(0)} ms)`);
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

/** The SHA-256 of the buffers one after the other, in hex: a megabyte a step. */
function* hashSteps(buffers: readonly Buffer[]): Steps<string> {
  const hash = createHash('sha256');
  for (const b of buffers) {
    for (let i = 0; i < b.length; i += HASH_STEP) {
      hash.update(b.subarray(i, i + HASH_STEP));
      yield;
    }
  }
  return hash.digest('hex');
}

/**
 * `value` with its large parts (Int32Arrays, long strings) moved to `large` and left as `{ [PIECE]: index }`
 * (their index among the payload's pieces: `large` comes after the rest), `PIECE_DEPTH` deep at most. Plain
 * objects and arrays are copied only on the way to a large part: the value itself is left as it is (it may
 * hold live state).
 */
function split(value: unknown, large: (Int32Array | string)[], depth = 0): unknown {
  if (typeof value === 'string' ? value.length >= PIECE_MIN : value instanceof Int32Array && value.byteLength >= PIECE_MIN) {
    large.push(value as Int32Array | string);
    return { [PIECE]: large.length };
  }
  if (depth >= PIECE_DEPTH) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const s = split(v, large, depth + 1);
      if (s !== v) (out ??= value.slice())[i] = s;
    });
    return out ?? value;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const s = split(v, large, depth + 1);
      if (s !== v) (out ??= { ...value })[k] = s;
    }
    return out ?? value;
  }
  return value;
}

/** The value `split` made `skeleton` from, with `pieces` (the skeleton first) put back in place. */
function joined(skeleton: unknown, pieces: readonly unknown[]): unknown {
  const put = (v: unknown): unknown => {
    if (!v || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = put(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === PIECE) {
      const i = o[PIECE];
      if (typeof i !== 'number' || !(i >= 1 && i < pieces.length)) throw new Error('a piece is missing');
      return pieces[i];
    }
    for (const k of keys) o[k] = put(o[k]);
    return o;
  };
  return put(skeleton);
}
