/**
 * The VS Code client: starts the language server over IPC, shows a status bar item with
 * the entry count of the active document's bibliographies, and a log channel. Nothing clever.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { commandLinksFeature, registerGlossaryCommands, showTermCommand } from './glossaryCommands';

interface BibliographyStatus {
  uri: string;
  format: string;
  origin: string;
  entries: number;
  errors: number;
  fileError?: string;
}
interface DocumentStatus {
  /** Distinct keys. */
  entries: number;
  /** Keys defined more than once in the draft's bibliographies. */
  duplicates?: number;
  styleProblem?: string;
  terms: number;
  bibliographies: BibliographyStatus[];
}
interface UnusedEntry {
  key: string;
  label: string;
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const languages = ['markdown', 'quarto', 'rmd', 'latex', 'tex', 'bibtex'];
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Entente', { log: true });
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...languages.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // Quarto project metadata: the bibliographies it declares are checked on their declarations.
      { scheme: 'file', pattern: '**/{_quarto,_metadata}.yml' },
      // Plain-text drafts (pasted from Word or a web page): mangled text, typed citations, stale facts only.
      { scheme: 'file', language: 'plaintext', pattern: '**/*.txt' },
    ],
    synchronize: {
      configurationSection: 'entente',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{bib,bibtex,biblatex,json,yaml,yml,ris,tex,ltx,md,qmd,rmd,csl}'),
        vscode.workspace.createFileSystemWatcher('**/{Makefile,makefile,GNUmakefile}'),
      ],
    },
    outputChannel: output,
    // A short glossary card links to its full entry through this command, and only this one.
    markdown: { isTrusted: { enabledCommands: [showTermCommand] } },
  };
  client = new LanguageClient('entente', 'Entente', serverOptions, clientOptions);
  // The index cache (parsed bibliographies kept between sessions) in VS Code's storage for the extension.
  client.registerFeature(commandLinksFeature(path.join(context.globalStorageUri.fsPath, 'index-cache')));

  const status = vscode.window.createStatusBarItem('entente.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Entente';
  status.command = 'entente.showBibliographies';
  let lastStatus: DocumentStatus | undefined;

  const refresh = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!client?.isRunning() || !editor || !languages.includes(editor.document.languageId) || editor.document.languageId === 'bibtex') {
      status.hide();
      return;
    }
    try {
      lastStatus = (await client.sendRequest<DocumentStatus | null>('entente/documentStatus', { uri: editor.document.uri.toString() })) ?? undefined;
    } catch {
      lastStatus = undefined;
    }
    if (!lastStatus) return status.hide();
    const unreadable = lastStatus.bibliographies.filter((b) => b.fileError).length;
    const withErrors = lastStatus.bibliographies.filter((b) => !b.fileError && b.errors).length;
    const problems = [
      unreadable && `${unreadable} bibliography file(s) cannot be read`,
      withErrors && `${withErrors} bibliography file(s) with errors`,
      lastStatus.duplicates && `${lastStatus.duplicates} duplicate key definition(s)`,
      lastStatus.styleProblem,
    ].filter((p): p is string => !!p);
    status.text = `${problems.length ? '$(warning)' : '$(book)'} Entente: ${lastStatus.entries} refs · ${lastStatus.terms} terms`;
    status.tooltip = [`${lastStatus.entries} references from ${lastStatus.bibliographies.length} bibliography file(s); ${lastStatus.terms} glossary terms.`, ...problems, 'Click for details.'].join('\n');
    // The warning colours make a problem seen; an icon alone was not.
    status.backgroundColor = problems.length ? new vscode.ThemeColor(unreadable ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground') : undefined;
    status.show();
  };

  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('entente.showBibliographies', async () => {
      type Item = vscode.QuickPickItem & { uri?: string; terms?: boolean };
      const items: Item[] = (lastStatus?.bibliographies ?? []).map((b) => ({
        label: `${b.fileError ? '$(error)' : b.errors ? '$(warning)' : '$(book)'} ${vscode.workspace.asRelativePath(vscode.Uri.parse(b.uri))}`,
        description: b.fileError ?? `${b.entries} entries · ${b.format} · ${b.origin}${b.errors ? ` · ${b.errors} problems` : ''}`,
        uri: b.uri,
      }));
      if (items.length === 0) items.push({ label: '$(info) No bibliography is loaded for this document.' });
      if (lastStatus?.styleProblem) items.push({ label: '$(warning) Citation style', detail: lastStatus.styleProblem });
      if (lastStatus?.terms) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: `$(symbol-key) ${lastStatus.terms} glossary terms`, description: 'list them', terms: true });
      const pick = await vscode.window.showQuickPick(items, { title: 'Bibliographies and glossary of this document' });
      if (pick?.uri) await vscode.window.showTextDocument(vscode.Uri.parse(pick.uri));
      else if (pick?.terms) await vscode.commands.executeCommand('entente.browseGlossary');
    }),
    vscode.commands.registerCommand('entente.restartServer', async () => {
      await client?.restart();
      await refresh();
    }),
    vscode.commands.registerCommand('entente.checkWorkspace', async () => {
      const result = await client?.sendRequest<{ files: number; errors: number; warnings: number; notes?: number } | null>('workspace/executeCommand', { command: 'entente.server.checkWorkspace', arguments: [] });
      if (result) vscode.window.setStatusBarMessage(`Entente: ${checkSummary(result)}`, 8000);
      // Focus, never toggle: `workbench.actions.view.problems` closed the panel when it was already open.
      await vscode.commands.executeCommand('workbench.panel.markers.view.focus');
    }),
    vscode.commands.registerCommand('entente.showUnusedEntries', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!client?.isRunning() || !editor) return;
      const unused = (await client.sendRequest<UnusedEntry[] | null>('entente/unusedEntries', { uri: editor.document.uri.toString() })) ?? [];
      if (unused.length === 0) return void vscode.window.showInformationMessage('Entente: every entry of these bibliographies is cited by a draft that loads it (or none loads them).');
      const items = unused.map((u) => ({ label: u.key, description: u.label, detail: `${vscode.workspace.asRelativePath(vscode.Uri.parse(u.uri))}:${u.range.start.line + 1}`, entry: u }));
      const pick = await vscode.window.showQuickPick(items, { title: `${unused.length} entries no draft cites`, matchOnDescription: true });
      if (pick) await vscode.commands.executeCommand('entente.showLocation', pick.entry.uri, pick.entry.range);
    }),
    // The server's quick fix "Repair all mangled text in this file", found from any of the file's text.mojibake warnings.
    vscode.commands.registerCommand('entente.repairMangledText', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const mangled = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'entente' && d.code === 'text.mojibake');
      const actions = mangled.length ? await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, mangled[0].range) : [];
      const repair = actions?.find((a) => a.title.startsWith('Repair all mangled text in this file'));
      if (!repair?.edit) {
        void vscode.window.showInformationMessage(mangled.length ? 'Entente: the mangled text of this file cannot be repaired automatically.' : 'Entente: no mangled text found in this file.');
        return;
      }
      await vscode.workspace.applyEdit(repair.edit);
    }),
    // Quick fixes such as "Go to the other definition" reveal a location through this command.
    vscode.commands.registerCommand('entente.showLocation', async (uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
      const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection });
    }),
    // The quick fix "Treat 'X' as well known" adds X to the exemption list of the workspace.
    vscode.commands.registerCommand('entente.ignoreTermOnFirstUse', async (short: string) => {
      const config = vscode.workspace.getConfiguration('entente.glossary');
      const current = config.get<string[]>('firstUseIgnore') ?? [];
      if (!current.includes(short)) await config.update('firstUseIgnore', [...current, short], vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void refresh()),
  );
  registerCommands(context, () => client);
  registerGlossaryCommands(context, () => client);

  await client.start();
  context.subscriptions.push(client.onNotification('entente/indexChanged', () => void refresh()));
  await refresh();
}

/** "2 errors, 0 warnings, 1 note in 5 files checked", as `entente check` ends. */
export function checkSummary(r: { files: number; errors: number; warnings: number; notes?: number }): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${n(r.errors, 'error')}, ${n(r.warnings, 'warning')}, ${n(r.notes ?? 0, 'note')} in ${n(r.files, 'file')} checked`;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
