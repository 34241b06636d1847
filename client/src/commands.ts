/** The extension's commands: thin wrappers over the server's custom requests. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { citationText } from './citationText';

interface EntryChoice {
  key: string;
  label: string;
  reference?: string;
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

type Item = vscode.QuickPickItem & { choice: EntryChoice };

/** A quick pick over the server's fuzzy search; resolves to the chosen entry. */
async function pickEntry(client: LanguageClient, doc: vscode.TextDocument, title: string): Promise<EntryChoice | undefined> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = title;
  pick.placeholder = 'Type a key, an author, a title word or a year (typos are fine)';
  pick.matchOnDescription = true;
  let request = 0;
  const update = async (query: string) => {
    const mine = ++request;
    pick.busy = true;
    const choices = (await client.sendRequest<EntryChoice[] | null>('entente/searchEntries', { uri: doc.uri.toString(), query, limit: 100 })) ?? [];
    if (mine !== request) return;
    // The server ranks fuzzily: keep its order and never let the quick pick filter its answers out.
    pick.items = choices.map((choice) => ({ label: choice.key, description: choice.label, detail: choice.reference?.replace(/[*\\]/g, ''), alwaysShow: true, choice }));
    pick.busy = false;
  };
  pick.onDidChangeValue((v) => void update(v));
  void update('');
  pick.show();
  const chosen = await new Promise<EntryChoice | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]?.choice));
    pick.onDidHide(() => resolve(undefined));
  });
  pick.dispose();
  return chosen;
}

function isLatex(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'latex' || doc.languageId === 'tex';
}

interface ImportAnswer {
  text: string;
  count: number;
  total: number;
  report: string[];
}

let importLog: vscode.OutputChannel | undefined;

/** The selection (or the whole document) read as a typed reference list; the bibliography opens as a new untitled document. */
async function convertReferenceList(c: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const text = editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection);
  if (!text.trim()) return;
  const format = await vscode.window.showQuickPick(
    [
      { label: 'BibTeX / BibLaTeX', format: 'bibtex', language: 'bibtex' },
      { label: 'CSL-JSON', format: 'csl-json', language: 'json' },
    ],
    { title: 'Convert Reference List to Bibliography: format' },
  );
  if (!format) return;
  const answer = await c.sendRequest<ImportAnswer | null>('entente/importReferences', { text, format: format.format, firstLine: editor.selection.isEmpty ? 0 : editor.selection.start.line });
  if (!answer) return;
  const doc = await vscode.workspace.openTextDocument({ content: answer.text, language: format.language });
  await vscode.window.showTextDocument(doc, { preview: false });
  const unread = answer.total - answer.count;
  const summary = `Entente: ${answer.count} of ${answer.total} references converted`;
  if (!answer.report.length) {
    void vscode.window.showInformationMessage(`${summary}, all read fully.`);
    return;
  }
  importLog ??= vscode.window.createOutputChannel('Entente: Reference List');
  importLog.clear();
  importLog.appendLine(`${summary}; to check (lines of ${editor.document.fileName}):`);
  for (const line of answer.report) importLog.appendLine(line);
  const flagged = answer.report.length - unread;
  const choice = await vscode.window.showWarningMessage(`${summary}; ${flagged} to check${unread ? `, ${unread} not read` : ''}.`, 'Show List');
  if (choice) importLog.show(true);
}

export function registerCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('entente.convertReferenceList', async () => {
      const c = client();
      if (c) await convertReferenceList(c);
    }),

    vscode.commands.registerCommand('entente.insertCitation', async () => {
      const editor = vscode.window.activeTextEditor;
      const c = client();
      if (!editor || !c) return;
      const choice = await pickEntry(c, editor.document, 'Insert Citation');
      if (!choice) return;
      const pos = editor.selection.active;
      const before = editor.document.lineAt(pos.line).text.slice(0, pos.character);
      await editor.edit((b) => b.replace(editor.selection, citationText(isLatex(editor.document), before, choice.key)));
    }),

    vscode.commands.registerCommand('entente.showEntry', async () => {
      const editor = vscode.window.activeTextEditor;
      const c = client();
      if (!editor || !c) return;
      // The citation under the cursor, else a pick from the bibliography.
      const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', editor.document.uri, editor.selection.active);
      if (locations?.length) {
        await vscode.window.showTextDocument(locations[0].uri, { selection: locations[0].range });
        return;
      }
      const choice = await pickEntry(c, editor.document, 'Show Entry');
      if (!choice) return;
      const r = choice.range;
      await vscode.window.showTextDocument(vscode.Uri.parse(choice.uri), { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) });
    }),

    vscode.commands.registerCommand('entente.exportCited', async () => {
      const c = client();
      if (!c) return;
      const editor = vscode.window.activeTextEditor;
      const scope = await vscode.window.showQuickPick(
        [
          ...(editor ? [{ label: 'This document', uris: [editor.document.uri.toString()] as string[] | undefined }] : []),
          { label: 'Every draft of the workspace', uris: undefined },
        ],
        { title: 'Export Cited References: which citations?' },
      );
      if (!scope) return;
      const format = await vscode.window.showQuickPick(
        [
          { label: 'BibTeX / BibLaTeX (.bib)', format: 'bibtex', ext: 'bib' },
          { label: 'CSL-JSON (.json)', format: 'csl-json', ext: 'json' },
        ],
        { title: 'Export Cited References: format' },
      );
      if (!format) return;
      const result = await c.sendRequest<{ text: string; count: number; missing: string[] } | null>('entente/exportCited', { uris: scope.uris, format: format.format });
      if (!result) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, `cited.${format.ext}`), filters: { [format.label]: [format.ext] } });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
      const missing = result.missing.length ? ` (${result.missing.length} cited keys are defined nowhere: ${result.missing.slice(0, 5).join(', ')})` : '';
      void vscode.window.showInformationMessage(`Entente: exported ${result.count} references to ${vscode.workspace.asRelativePath(target)}${missing}.`);
    }),
  );
}
