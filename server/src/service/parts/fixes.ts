/**
 * Quick fixes: the current text and parse of the files they edit, so that each fix re-finds its target
 * in what the editor holds now, not in what the diagnostic saw.
 */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { ITextDocument } from '../workspace';
import { keyMap, parseBibliography } from '../index/bibliographies';
import { codeActions, type CurrentBibliography } from '../features/codeActions';
import type { ServiceContext } from './context';
import type { Declarations } from '../features/declarationEdits';
import { isCitable } from '../index/scopeIndex';
import { workspaceFolderOf } from '../index/scope';
import { dirname, relativePath } from '../index/paths';

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

  /** The bibliographies of the draft's workspace folder outside its scope that define `key` as a citable entry. */
  async function definedElsewhere(docUri: string, key: string): Promise<string[]> {
    const facts = await index.factsOfUri(docUri);
    const folder = workspaceFolderOf(docUri, workspace);
    if (!facts || facts.kind === 'other' || !folder) return [];
    const { index: scopeIndex } = await index.scoped(facts);
    const inScope = new Set(scopeIndex.bibliographies.map((b) => b.uri));
    const out: string[] = [];
    for (const uri of await index.workspaceBibliographies(folder)) {
      if (inScope.has(uri) || (await index.isProjectOutput(uri))) continue;
      const bib = await index.bibliography(uri);
      if (!bib.fileError && bib.byKey.get(key)?.some(isCitable)) out.push(uri);
    }
    // The nearest first: the fewest folders between the draft and the file.
    const distance = (uri: string) => relativePath(dirname(docUri), uri)?.split('/').length ?? Infinity;
    return out.sort((a, b) => distance(a) - distance(b));
  }

  async function declarations(docUri: string): Promise<Declarations | undefined> {
    const facts = await index.factsOfUri(docUri);
    if (!facts || facts.kind === 'other') return undefined;
    const { scope } = await index.scoped(facts);
    return { kind: facts.kind, docUri, sources: scope.sources, rootUri: scope.rootUri };
  }

  return {
    codeActions(doc: ITextDocument, diagnostics: readonly Diagnostic[]): Promise<CodeAction[]> {
      return codeActions(doc.uri, diagnostics, { readText: readFresh, bibliography, definedElsewhere, declarations });
    },
  };
}

export type Fixes = ReturnType<typeof createFixes>;
