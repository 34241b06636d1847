/** An in-memory IWorkspace for unit tests: files by path under /ws, some of them "open". */
import type { IWorkspace, ITextDocument, ReadResult } from '../../server/src/service/workspace';
import { createLanguageService } from '../../server/src/service/languageService';
import { defaultConfig, type EntenteConfig } from '../../server/src/service/config';
import { compileGlob } from '../../server/src/nodeFileSystem';
import { files as splitFiles } from './fixture';

export const root = 'file:///ws';
export const uriOf = (name: string) => (name.startsWith('file:') ? name : name.startsWith('/') ? `file://${name}` : `${root}/${name}`);

export class MemoryWorkspace implements IWorkspace {
  readonly files = new Map<string, string>();
  readonly open = new Map<string, ITextDocument>();
  readonly reads: string[] = [];

  constructor(fixture?: string | Record<string, string>, private readonly workspaceFolders: string[] = [root]) {
    const entries = typeof fixture === 'string' ? [...splitFiles(fixture)] : Object.entries(fixture ?? {});
    for (const [name, text] of entries) this.files.set(uriOf(name), text);
  }

  folders() {
    return this.workspaceFolders;
  }

  /** Opens a file as the editor would (languageId from the extension unless given). */
  openDoc(name: string, languageId?: string, text?: string): ITextDocument {
    const uri = uriOf(name);
    const content = text ?? this.files.get(uri) ?? '';
    const lang = languageId ?? (/\.(md|qmd)$/.test(uri) ? 'markdown' : /\.tex$/.test(uri) ? 'latex' : /\.bib$/.test(uri) ? 'bibtex' : 'plaintext');
    const previous = this.open.get(uri);
    const doc: ITextDocument = { uri, languageId: lang, version: (previous?.version ?? 0) + 1, getText: () => content };
    this.open.set(uri, doc);
    return doc;
  }

  async readFile(uri: string, maxBytes: number): Promise<ReadResult> {
    this.reads.push(uri);
    const open = this.open.get(uri);
    if (open) return { text: open.getText() };
    const text = this.files.get(uri);
    if (text === undefined) return { error: 'does not exist' };
    if (text.length > maxBytes) return { error: `is over the ${maxBytes} byte limit` };
    return { text };
  }

  async stat(uri: string) {
    const text = this.files.get(uri);
    // The modification time changes with the content (a stand-in for the disk's clock).
    let mtime = 0;
    if (text !== undefined) for (let i = 0; i < text.length; i++) mtime = (mtime * 31 + text.charCodeAt(i)) | 0;
    return text === undefined ? undefined : { size: text.length, mtime };
  }

  async findFiles(folderUri: string, extensions: readonly string[]) {
    const prefix = folderUri.replace(/\/$/, '') + '/';
    return [...this.files.keys()]
      .filter((u) => u.startsWith(prefix) && !/\/(node_modules|\.git)\//.test(u.slice(prefix.length - 1)) && extensions.some((e) => u.toLowerCase().endsWith(e)))
      .sort();
  }

  async expandGlob(pattern: string, baseUri: string | undefined) {
    const abs = pattern.startsWith('/') ? pattern : `${(baseUri ?? root).replace(/^file:\/\//, '')}/${pattern}`;
    const re = compileGlob(abs);
    return [...this.files.keys()].filter((u) => re.test(u.replace(/^file:\/\//, ''))).sort();
  }

  openDocument(uri: string) {
    return this.open.get(uri);
  }
}

export function serviceFor(fixture: string | Record<string, string>, config: Partial<EntenteConfig> = {}) {
  const workspace = new MemoryWorkspace(fixture);
  const service = createLanguageService({ workspace, config: { ...defaultConfig, ...config }, home: '/home/writer' });
  return { workspace, service };
}
