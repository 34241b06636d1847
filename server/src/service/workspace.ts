/**
 * The seam between the language service and the world. The service never touches
 * the file system or the connection: everything comes through an IWorkspace.
 * The language server implements it over the editor's open documents and Node's fs
 * (server/src/lspWorkspace.ts); the CLI over fs alone; tests in memory.
 */
import type { Steps } from './pacing';

/** A document the service can read (mirrors vscode-languageserver-textdocument). */
export interface ITextDocument {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  getText(): string;
}

export interface FileStat {
  size: number;
  mtime: number;
}

/** The outcome of reading a file: its text, or why it could not be read. */
export type ReadResult = { text: string; note?: string; digest?: string } | { error: string };

export interface IWorkspace {
  /** Workspace folder URIs (`file:///...`), outermost first. */
  folders(): readonly string[];
  /**
   * The text of a file: the editor's text if the file is open, else from disk (decoded:
   * UTF-8, or Windows-1252 when the bytes are not UTF-8, with a note). Never throws. A file read from
   * disk may come with a `digest` of its bytes (a SHA-256, hex): what the index cache checks a file by.
   */
  readFile(uri: string, maxBytes: number): Promise<ReadResult>;
  /** Size and modification time, or undefined when missing or not a file. */
  stat(uri: string): Promise<FileStat | undefined>;
  /**
   * Files under `folderUri` whose names end with one of `extensions` (`.bib`...),
   * skipping `node_modules`, `.git` and symlink loops.
   */
  findFiles(folderUri: string, extensions: readonly string[]): Promise<string[]>;
  /** Expands a glob pattern (absolute, `~/`, or relative to `baseUri`) into existing file URIs. */
  expandGlob(pattern: string, baseUri: string | undefined): Promise<string[]>;
  /** The open document with this URI, if the editor has it open. */
  openDocument(uri: string): ITextDocument | undefined;
}

/** Which version of which file a cached index is of. */
export interface CacheIdentity {
  uri: string;
  size: number;
  mtime: number;
  /** The digest `readFile` gave of the bytes read. */
  digest: string;
}

/**
 * Where parsed indexes are kept between sessions (`server/src/indexCache.ts`: a folder of files; tests:
 * memory). A value is plain data: objects, arrays, strings, numbers, typed arrays. Never throws.
 */
export interface IIndexCache {
  /** The value written for exactly this identity, or undefined (none, another version of the file, damaged: said once in the log). */
  read(id: CacheIdentity): Promise<unknown>;
  /**
   * Keeps the value `value()` computes for `id`, later: its steps run in idle time, a short slice at a time
   * (`pacing.ts`), so that no request waits for them (undefined: nothing is written).
   */
  write(id: CacheIdentity, value: () => Steps<unknown>): void;
}

export interface ILogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A problem the user must see where they look (the editor shows a notification); logged too. */
  notify?(message: string): void;
}

export const nullLogger: ILogger = { info() {}, warn() {}, error() {} };
