/** Small helpers shared by the end-to-end tests, which run inside VS Code's extension host. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const extensionId = 'entente.entente';

/** A file of the test workspace (a temporary copy of examples/nfm-paper). */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder: a copy of examples/nfm-paper');
  return vscode.Uri.joinPath(folder.uri, name);
}

export const basename = (uri: vscode.Uri) => path.posix.basename(uri.path);

/** Retries `probe` until it returns something other than `undefined`/`false` or stops throwing. */
export async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The position of `needle` in the document (plus `shift` characters). */
export function positionOf(document: vscode.TextDocument, needle: string, shift = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `'${needle}' is not in ${basename(document.uri)}`);
  return document.positionAt(offset + shift);
}

export const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
export const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

/** Entente's citation diagnostics of a document (codes `citation.*`), rendered as `code 'text under the range'`. */
export function citationProblems(document: vscode.TextDocument): string[] {
  return vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => String(codeOf(d) ?? '').startsWith('citation.'))
    .map((d) => `${codeOf(d)} '${document.getText(d.range)}'`);
}

export async function open(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** Inserts `text` at `position`, runs `body`, then removes the text again. */
export async function withInsertion<T>(document: vscode.TextDocument, position: vscode.Position, text: string, body: () => Promise<T>): Promise<T> {
  const insert = new vscode.WorkspaceEdit();
  insert.insert(document.uri, position, text);
  assert.ok(await vscode.workspace.applyEdit(insert), 'the insertion was not applied');
  try {
    return await body();
  } finally {
    const end = document.positionAt(document.offsetAt(position) + text.length);
    const remove = new vscode.WorkspaceEdit();
    remove.delete(document.uri, new vscode.Range(position, end));
    await vscode.workspace.applyEdit(remove);
  }
}

/** Completion labels at `position`, in the order VS Code shows them (by sort text, then label). */
export async function completionLabels(document: vscode.TextDocument, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return [...list.items]
    .sort((a, b) => (a.sortText ?? labelOf(a)).localeCompare(b.sortText ?? labelOf(b)))
    .map(labelOf);
}

export async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}
