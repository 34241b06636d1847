/**
 * The file-system half of an IWorkspace, over Node's fs: reading with a size guard and
 * encoding detection, walking folders without following symlink loops, expanding globs.
 * Shared by the language server (lspWorkspace.ts) and the CLI.
 */
import { createHash } from 'node:crypto';
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { FileStat, ReadResult } from './service/workspace';
import { compileGlob } from './service/glob';
import { isNetworkPath } from './service/index/paths';
import { nextTurn } from './service/pacing';

export { compileGlob };

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.quarto', '_freeze', '.venv', '__pycache__']);
const MAX_FILES = 50_000;
const MAX_DEPTH = 32;

export function toPath(uri: string): string {
  return URI.parse(uri).fsPath;
}

export function toUri(p: string): string {
  return URI.file(p).toString();
}

/**
 * Decodes bytes: UTF-8 (BOM stripped); UTF-8 with a few invalid bytes -> UTF-8 with U+FFFD and a note;
 * otherwise not UTF-8 -> Windows-1252 with a note; NUL bytes -> not text.
 */
export function decode(bytes: Uint8Array): ReadResult {
  const head = bytes.subarray(0, Math.min(bytes.length, 8192));
  if (head.includes(0)) {
    // UTF-16 with a BOM is text; anything else with NULs is binary.
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      const le = head[0] === 0xff;
      const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
      return { text, note: `decoded as UTF-16${le ? 'LE' : 'BE'}` };
    }
    return { error: 'is not a text file (it contains NUL bytes)' };
  }
  const utf8 = (fatal: boolean) => {
    const text = new TextDecoder('utf-8', { fatal }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  try {
    return { text: utf8(true) };
  } catch {
    // Not valid UTF-8: see below.
  }
  const text = utf8(false);
  const invalid = count(text, /\uFFFD/g);
  // Mostly UTF-8 with a few bad bytes (a truncated character, a Latin-1 paste): keep the UTF-8
  // reading, or every accented name of the file would turn into mojibake ("ZoltÃ¡n").
  if (count(text, /[^\x00-\x7F\uFFFD]/g) >= invalid) return { text, note: `is not valid UTF-8 in ${invalid} place(s), shown as \uFFFD` };
  return { text: decodeWindows1252(bytes), note: 'is not valid UTF-8; decoded as Windows-1252 (Latin-1)' };
}

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/** Windows-1252 bytes 0x80-0x9F; Node's TextDecoder (since 20.18.3) wrongly decodes them as Latin-1 controls (nodejs/node#60888). */
const cp1252 = '\u20AC\x81\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\x8D\u017D\x8F\x90\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\x9D\u017E\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9F]/g, (c) => cp1252[c.charCodeAt(0) - 0x80]);
}

/**
 * Opened without blocking (a FIFO with no writer would block `open` for good, and a libuv thread with
 * it), the type checked on the opened handle (not on the path, which may be swapped in between).
 */
const openFlags = fsSync.constants.O_RDONLY | (fsSync.constants.O_NONBLOCK ?? 0);
const chunkBytes = 1 << 20;

/**
 * Reads a regular file, at most `maxBytes`: counted as read, never trusting `stat` (`/proc` files say
 * size 0 and never end). Every file the server and the CLI read goes through here or `readTextFileSync`.
 */
export async function readFile(uri: string, maxBytes: number): Promise<ReadResult> {
  if (isNetworkPath(uri)) return networkRefusal;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(toPath(uri), openFlags);
    const st = await handle.stat();
    const refused = refusal(st, maxBytes);
    if (refused) return refused;
    const chunks: Buffer[] = [];
    let total = 0;
    // Sizes in multiples of 8 (`/proc/self/pagemap` refuses others); the first one from `stat`'s word.
    let want = Math.max(st.size + 1, 8192);
    while (total <= maxBytes) {
      const buffer = Buffer.allocUnsafe(Math.ceil(Math.min(chunkBytes, want, maxBytes + 1 - total) / 8) * 8);
      want = chunkBytes;
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > maxBytes) return overLimit(maxBytes);
    return await decodePaced(chunks, total);
  } catch (e) {
    return readError(e);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Bytes decoded (and hashed) per turn of the event loop: decoding 25 MB at once held every request for a quarter
 * of a second, a megabyte at a time still 20-40 ms on a busy machine (issue 17).
 */
const DECODE_SLICE = 1 << 18;

/**
 * `decode` of the chunks read, with their digest (what the index cache checks a file by, `indexCache.ts`: 1 ms a
 * megabyte), letting other requests in between slices of valid UTF-8, without first copying them into one buffer
 * (anything but UTF-8 is decoded at once, as `decode` does).
 */
async function decodePaced(chunks: Buffer[], total: number): Promise<ReadResult> {
  if (total <= DECODE_SLICE || chunks[0].subarray(0, 8192).includes(0)) return withDigest(decode(Buffer.concat(chunks, total)), chunks);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const hash = createHash('sha256');
  const parts: string[] = [];
  try {
    for (const chunk of chunks) {
      for (let at = 0; at < chunk.length; at += DECODE_SLICE) {
        const slice = chunk.subarray(at, at + DECODE_SLICE);
        hash.update(slice);
        parts.push(decoder.decode(slice, { stream: true }));
        await nextTurn();
      }
    }
    parts.push(decoder.decode());
  } catch {
    return withDigest(decode(Buffer.concat(chunks, total)), chunks); // not valid UTF-8: the readings of `decode`
  }
  if (parts[0].charCodeAt(0) === 0xfeff) parts[0] = parts[0].slice(1);
  return { text: parts.join(''), digest: hash.digest('hex') };
}

function withDigest(read: ReadResult, chunks: readonly Buffer[]): ReadResult {
  if (!('text' in read)) return read;
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return { ...read, digest: hash.digest('hex') };
}

/** `readFile` for the few files read synchronously (the CLI's settings files): the same guards. */
export function readTextFileSync(file: string, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    fd = fsSync.openSync(file, openFlags);
    const refused = refusal(fsSync.fstatSync(fd), maxBytes);
    if (refused) return refused;
    const buffer = Buffer.allocUnsafe(Math.ceil((maxBytes + 1) / 8) * 8);
    let total = 0;
    for (let n = 1; n > 0 && total <= maxBytes; total += n) n = fsSync.readSync(fd, buffer, total, Math.min(chunkBytes, buffer.length - total), null);
    return total > maxBytes ? overLimit(maxBytes) : decode(buffer.subarray(0, total));
  } catch (e) {
    return readError(e);
  } finally {
    if (fd !== undefined) fsSync.closeSync(fd);
  }
}

function refusal(st: fsSync.Stats, maxBytes: number): ReadResult | undefined {
  if (!st.isFile()) return { error: st.isDirectory() ? 'is a folder, not a file' : 'is not a regular file' };
  return st.size > maxBytes ? overLimit(maxBytes, st.size) : undefined;
}

/** The size from `stat` when it says more than the limit; otherwise only that reading went past it. */
function overLimit(maxBytes: number, size?: number): ReadResult {
  const what = size === undefined ? 'is' : `is ${(size / 1048576).toFixed(1)} MB,`;
  const limit = maxBytes / 1048576;
  return { error: `${what} over the ${Number.isInteger(limit) ? limit : limit.toFixed(2)} MB limit (setting entente.files.maxSizeMB)` };
}

function readError(e: unknown): ReadResult {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { error: 'does not exist' };
  if (code === 'EACCES' || code === 'EPERM') return { error: 'cannot be read (permission denied)' };
  if (code === 'ELOOP') return { error: 'cannot be read (a symbolic link loop)' };
  return { error: `cannot be read (${code ?? String(e)})` };
}

/** A network path is never opened, stat-ed or listed: on Windows, touching `\\host\share` sends the user's credentials. */
const networkRefusal: ReadResult = { error: 'is on another machine (a network path): not read' };

export async function stat(uri: string): Promise<FileStat | undefined> {
  if (isNetworkPath(uri)) return undefined;
  try {
    const st = await fs.stat(toPath(uri));
    return st.isFile() ? { size: st.size, mtime: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** Files under a folder whose names end with one of `extensions`; no symlink loops, no node_modules/.git. */
export async function findFiles(folderUri: string, extensions: readonly string[]): Promise<string[]> {
  if (isNetworkPath(folderUri)) return [];
  const out: string[] = [];
  const exts = extensions.map((e) => e.toLowerCase());
  await walk(toPath(folderUri), (file) => {
    const lower = file.toLowerCase();
    if (exts.some((e) => lower.endsWith(e))) out.push(toUri(file));
  });
  return out.sort();
}

async function walk(root: string, visit: (file: string) => void): Promise<void> {
  const seen = new Set<string>();
  let count = 0;
  const go = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || count > MAX_FILES) return;
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return; // a symlink loop, or a folder reached twice
    seen.add(real);
    let items;
    try {
      items = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const item of items) {
      const full = path.join(dir, item.name);
      if (item.isDirectory() || item.isSymbolicLink()) {
        // Hidden folders (.git, .vscode-test, caches) and dependency folders hold no drafts of the writer's.
        if (SKIP_DIRS.has(item.name) || (item.name.startsWith('.') && item.name.length > 1)) continue;
        if (item.isSymbolicLink()) {
          const st = await fs.stat(full).catch(() => undefined);
          if (st?.isFile()) {
            count++;
            visit(full);
            continue;
          }
          if (!st?.isDirectory()) continue;
        }
        await go(full, depth + 1);
      } else if (item.isFile()) {
        if (++count > MAX_FILES) return;
        visit(full);
      }
    }
  };
  await go(root, 0);
}

/** `~/lib/*.bib`, `/abs/**\/refs.bib`, `refs/*.bib` (relative to the base folder) -> existing files. */
export async function expandGlob(pattern: string, baseUri: string | undefined): Promise<string[]> {
  let p = pattern.trim();
  if (!p) return [];
  if (p === '~' || p.startsWith('~/')) p = os.homedir() + p.slice(1);
  if (/^[\\/]{2}[^\\/]/.test(p) || (baseUri && isNetworkPath(baseUri))) return [];
  if (!path.isAbsolute(p)) {
    if (!baseUri) return [];
    p = path.join(toPath(baseUri), p);
  }
  if (!/[*?[{]/.test(p)) return (await stat(toUri(p))) ? [toUri(p)] : [];
  // Walk from the longest folder prefix without wildcards.
  const parts = p.split(path.sep);
  const firstWild = parts.findIndex((s) => /[*?[{]/.test(s));
  const root = parts.slice(0, firstWild).join(path.sep) || path.sep;
  const re = compileGlob(p.split(path.sep).join('/'));
  const out: string[] = [];
  await walk(root, (file) => {
    if (re.test(file.split(path.sep).join('/'))) out.push(toUri(file));
  });
  return out.sort();
}
