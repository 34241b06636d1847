/**
 * The IWorkspace of the language server: the editor's open documents first, then the disk.
 * Every file read from disk is watched (fs.watch, capped), so a bibliography outside the
 * workspace (a master library) is re-indexed live even when the client does not report it.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { TextDocuments } from 'vscode-languageserver';
import type { EditedDocument } from './editedDocument';
import type { IWorkspace, ITextDocument, ReadResult } from './service/workspace';
import * as nodeFs from './nodeFileSystem';

const MAX_WATCHERS = 500;
const WATCH_DEBOUNCE_MS = 150;

export class LspWorkspace implements IWorkspace {
  private workspaceFolders: string[] = [];
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly documents: TextDocuments<EditedDocument>,
    /** Called when a watched file changes on disk. */
    private readonly onDiskChange: (uri: string) => void,
  ) {}

  setFolders(folders: string[]): void {
    this.workspaceFolders = folders.map((f) => f.replace(/\/$/, ''));
  }

  folders(): readonly string[] {
    return this.workspaceFolders;
  }

  openDocument(uri: string): ITextDocument | undefined {
    return this.documents.get(uri);
  }

  async readFile(uri: string, maxBytes: number): Promise<ReadResult> {
    const open = this.documents.get(uri);
    if (open) return { text: open.getText() };
    if (!uri.startsWith('file:')) return { error: 'is not a local file' };
    const result = await nodeFs.readFile(uri, maxBytes);
    this.watch(uri);
    return result;
  }

  stat = nodeFs.stat;
  findFiles = nodeFs.findFiles;
  expandGlob = nodeFs.expandGlob;

  /** Watches a file read from disk; a missing file is not watched (the client's watcher reports its creation). */
  private watch(uri: string): void {
    if (this.watchers.has(uri) || this.watchers.size >= MAX_WATCHERS) return;
    try {
      const w = watch(nodeFs.toPath(uri), { persistent: false }, () => this.changed(uri));
      w.on('error', () => this.unwatch(uri));
      this.watchers.set(uri, w);
    } catch {
      // Missing file or no watcher available: the client's file events still apply.
    }
  }

  private changed(uri: string): void {
    clearTimeout(this.pending.get(uri));
    this.pending.set(
      uri,
      setTimeout(() => {
        this.pending.delete(uri);
        // Editors save by rename: the old watcher may be dead; watch the path afresh.
        this.unwatch(uri);
        this.onDiskChange(uri);
      }, WATCH_DEBOUNCE_MS),
    );
  }

  private unwatch(uri: string): void {
    this.watchers.get(uri)?.close();
    this.watchers.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.watchers.keys()]) this.unwatch(uri);
    for (const t of this.pending.values()) clearTimeout(t);
  }
}
