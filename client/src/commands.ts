/** The extension's commands: thin wrappers over the server's custom requests. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { citationInsertion, inLatexKeyGroup, parseNote, plainReference, type CitationSyntax, type CiteItem } from './citationText';

interface EntryChoice {
  key: string;
  label: string;
  reference?: string;
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

type Item = vscode.QuickPickItem & { choice: EntryChoice };

/** Insert Citation driven without its widgets (tests, keybindings): the query typed, the keys ticked, each one's note. */
interface ScriptedPick {
  query?: string;
  keys?: string[];
  notes?: string[];
}

function itemOf(choice: EntryChoice): Item {
  // The server ranks fuzzily: keep its order and never let the quick pick filter its answers out.
  return { label: choice.key, description: choice.label, detail: choice.reference && plainReference(choice.reference), alwaysShow: true, choice };
}

/**
 * A quick pick over the server's fuzzy search. With `many`, entries are ticked across queries (the ticked
 * ones stay on top) and Enter returns them, or the highlighted one when none is ticked.
 */
async function pickEntries(client: LanguageClient, doc: vscode.TextDocument, title: string, many: boolean, script?: ScriptedPick): Promise<EntryChoice[] | undefined> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = title;
  pick.placeholder = many ? 'Type a key, an author, a title word or a year; tick one or more entries, then Enter' : 'Type a key, an author, a title word or a year (typos are fine)';
  pick.matchOnDescription = true;
  pick.canSelectMany = many;
  const ticked = new Map<string, Item>();
  let request = 0;
  let answered: () => void = () => undefined;
  // A ticked item is `picked`, so that the list keeps its box ticked when a new query replaces the items.
  const tick = (item: Item) => {
    item.picked = true;
    ticked.set(item.choice.key, item);
  };
  const update = async (query: string) => {
    const mine = ++request;
    pick.busy = true;
    const choices = (await client.sendRequest<EntryChoice[] | null>('entente/searchEntries', { uri: doc.uri.toString(), query, limit: 100 })) ?? [];
    if (mine !== request) return;
    pick.items = [...ticked.values(), ...choices.filter((c) => !ticked.has(c.key)).map(itemOf)];
    if (many) pick.selectedItems = [...ticked.values()];
    pick.busy = false;
    answered();
  };
  pick.onDidChangeSelection((selected) => {
    if (!many) return;
    const keys = new Set(selected.map((i) => i.choice.key));
    for (const [key, item] of [...ticked]) {
      if (keys.has(key)) continue;
      ticked.delete(key);
      item.picked = false;
    }
    for (const item of selected) tick(item);
  });
  pick.onDidChangeValue((v) => void update(v));
  let accept: () => void = () => undefined;
  const chosen = new Promise<EntryChoice[] | undefined>((resolve) => {
    accept = () => {
      const items = many && ticked.size ? [...ticked.values()] : pick.activeItems.slice(0, 1);
      resolve(items.length ? items.map((i) => i.choice) : undefined);
      pick.hide();
    };
    pick.onDidAccept(accept);
    pick.onDidHide(() => resolve(undefined));
  });
  const first = new Promise<void>((r) => (answered = r));
  void update('');
  pick.show();
  if (script) {
    await first;
    const next = new Promise<void>((r) => (answered = r));
    pick.value = script.query ?? '';
    void update(pick.value);
    await next;
    // Each key is ticked as the writer would: found among the answers to the query.
    const items = (script.keys ?? []).map((key) => pick.items.find((i) => i.choice.key === key));
    if (items.length === 0 || items.some((i) => !i)) pick.hide();
    else {
      for (const item of items as Item[]) tick(item);
      pick.selectedItems = [...ticked.values()];
      accept();
    }
  }
  const result = await chosen;
  pick.dispose();
  return result;
}

/** Asks for each entry's prefix and locator ("see, p. 12"), showing the citation as it will be written; undefined when cancelled. */
async function askNotes(keys: readonly string[], write: (items: CiteItem[]) => string, script?: ScriptedPick): Promise<CiteItem[] | undefined> {
  const items: CiteItem[] = keys.map((key) => ({ key }));
  for (let i = 0; i < keys.length; i++) {
    const note =
      script?.notes?.[i] ??
      (script
        ? ''
        : await vscode.window.showInputBox({
            title: `Insert Citation (${i + 1}/${keys.length}): prefix and locator for ${keys[i]}`,
            prompt: 'A prefix and a locator, e.g. "see, p. 12", "cf. ch. 3", "12-14"; Enter for none',
            placeHolder: 'see, p. 12',
            validateInput: (value) => ({ message: `Inserts ${write(items.map((item, j) => (j === i ? { key: item.key, ...parseNote(value) } : item)))}`, severity: vscode.InputBoxValidationSeverity.Info }),
          }));
    if (note === undefined) return undefined;
    items[i] = { key: keys[i], ...parseNote(note) };
  }
  return items;
}

/** How the document writes citations: pandoc's in Markdown, the package its LaTeX project loads (asked of the server). */
async function syntaxOf(client: LanguageClient, doc: vscode.TextDocument): Promise<CitationSyntax> {
  if (!isLatex(doc)) return 'pandoc';
  const status = await client.sendRequest<{ citations?: CitationSyntax } | null>('entente/documentStatus', { uri: doc.uri.toString() });
  return status?.citations && status.citations !== 'pandoc' ? status.citations : 'latex';
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

    vscode.commands.registerCommand('entente.insertCitation', async (arg?: unknown) => {
      const script = typeof arg === 'object' && arg && Array.isArray((arg as ScriptedPick).keys) ? (arg as ScriptedPick) : undefined;
      const editor = vscode.window.activeTextEditor;
      const c = client();
      if (!editor || !c) return;
      const document = editor.document;
      const [syntax, choices] = await Promise.all([syntaxOf(c, document), pickEntries(c, document, 'Insert Citation', true, script)]);
      if (!choices?.length) return;
      const pos = editor.selection.active;
      const before = document.lineAt(pos.line).text.slice(0, pos.character);
      const keys = choices.map((choice) => choice.key);
      // Inside an open `\cite{a,` only keys can go: no prefix or locator is asked for.
      const items = syntax !== 'pandoc' && inLatexKeyGroup(before) ? keys.map((key) => ({ key })) : await askNotes(keys, (list) => citationInsertion(syntax, before, list), script);
      if (!items) return;
      await editor.edit((b) => b.replace(editor.selection, citationInsertion(syntax, before, items)));
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
      const choice = (await pickEntries(c, editor.document, 'Show Entry', false))?.[0];
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
