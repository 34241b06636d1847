/**
 * Quick fixes: the current text and parse of the files they edit, so that each fix re-finds its target
 * in what the editor holds now, not in what the diagnostic saw.
 */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { ITextDocument } from '../workspace';
import { keyMap, parseBibliography } from '../index/bibliographies';
import { codeActions, type CurrentBibliography } from '../features/codeActions';
import type { ServiceContext } from './context';

export function createFixes(ctx: ServiceContext) {
  const { index, workspace } = ctx;

  /** The file's text now (the open document's, else the disk's). */
  async function readFresh(uri: string): Promise<string | undefined> {
    const r = await workspace.readFile(uri, ctx.configFor(uri).maxFileBytes);
    return 'text' in r ? r.text : undefined;
  }

  /** A bibliography's text now, with the index's parse when it is of that very text, else a parse of it. */
  async function bibliography(uri: string): Promise<CurrentBibliography | undefined> {
    const text = await readFresh(uri);
    if (text === undefined) return undefined;
    const loaded = await index.bibliography(uri);
    if (loaded.fileError) return undefined;
    if (loaded.bibtexState?.text === text) return { text, format: loaded.format, byKey: loaded.byKey };
    return { text, format: loaded.format, byKey: keyMap(parseBibliography(text, loaded.format).value.entries) };
  }

  return {
    codeActions(doc: ITextDocument, diagnostics: readonly Diagnostic[]): Promise<CodeAction[]> {
      return codeActions(doc.uri, diagnostics, { readText: readFresh, bibliography });
    },
  };
}

export type Fixes = ReturnType<typeof createFixes>;
