/**
 * The glossary's commands: "Show Term" (the full entry of a term, the link of a short hover card) and
 * "Browse Glossary" (a quick pick over every term the draft sees). Both ask the server, through
 * `workspace/executeCommand`, so the glossary is the one the server uses (built-in and project terms).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface TermChoice {
  id: string;
  short: string;
  expansion?: string;
  definition?: string;
  kind?: string;
  origin: string;
}

/** What the server runs (`server.ts`), and the command of a short card's "Full entry" link. */
const termCardCommand = 'entente.server.termCard';
const glossaryTermsCommand = 'entente.server.glossaryTerms';
export const showTermCommand = 'entente.showTerm';

/** The capability that tells the server this editor runs `entente.showTerm` from a hover's link. */
/** What our client tells the server beside the protocol: the commands of hover links, and where the index cache lives. */
export const commandLinksFeature = (cacheFolder: string | undefined) => ({
  fillClientCapabilities(capabilities: { experimental?: unknown }): void {
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), entente: { commandLinks: [showTermCommand], cacheFolder } };
  },
  initialize(): void {},
  getState: () => ({ kind: 'static' as const }),
  clear(): void {},
});

/** The draft whose glossary counts: the active editor's, else none (the built-in terms). */
const activeUri = () => vscode.window.activeTextEditor?.document.uri.toString();

let panel: vscode.WebviewPanel | undefined;

/** Shows a term's full entry beside the editor, rendered by VS Code's own Markdown renderer; returns its Markdown. */
async function showTerm(client: LanguageClient, arg: { uri?: string; id?: string } | undefined): Promise<string | undefined> {
  if (!arg?.id) return undefined;
  const card = await client.sendRequest<{ markdown: string } | null>('workspace/executeCommand', { command: termCardCommand, arguments: [{ uri: arg.uri ?? activeUri(), id: arg.id }] });
  if (!card) {
    void vscode.window.showInformationMessage(`Entente: no glossary term '${arg.id}' here.`);
    return undefined;
  }
  const html = await vscode.commands.executeCommand<string>('markdown.api.render', card.markdown).then(undefined, () => undefined);
  if (!panel) {
    panel = vscode.window.createWebviewPanel('entente.term', 'Glossary', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false });
    panel.onDidDispose(() => (panel = undefined));
  }
  panel.title = `Glossary: ${arg.id}`;
  panel.webview.html = page(html ?? `<pre>${escapeHtml(card.markdown)}</pre>`, panel.webview.cspSource);
  panel.reveal(vscode.ViewColumn.Beside, true);
  return card.markdown;
}

function page(body: string, cspSource: string): string {
  const csp = `default-src 'none'; style-src ${cspSource} 'unsafe-inline'; img-src ${cspSource} https:;`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><style>body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);line-height:1.5;max-width:46em}</style></head><body>${body}</body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

type TermItem = vscode.QuickPickItem & { id: string };

/** A quick pick over every term the active draft sees, searched by short form, expansion and definition. */
async function browseGlossary(client: LanguageClient): Promise<string | undefined> {
  const uri = activeUri();
  const terms = (await client.sendRequest<TermChoice[] | null>('workspace/executeCommand', { command: glossaryTermsCommand, arguments: [{ uri }] })) ?? [];
  const items: TermItem[] = terms.map((t) => ({
    label: t.short,
    description: [t.expansion && t.expansion !== t.short ? t.expansion : undefined, t.origin === 'builtin' ? undefined : 'project'].filter(Boolean).join(' · '),
    // The whole definition: the pick searches all of it and shows what fits on a line.
    detail: t.definition,
    id: t.id,
  }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Browse Glossary', placeHolder: 'Search by acronym, name or definition', matchOnDescription: true, matchOnDetail: true });
  if (pick) await showTerm(client, { uri, id: pick.id });
  return pick?.id;
}

export function registerGlossaryCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    // From a short card's link (with the term), or from the palette (a pick first).
    vscode.commands.registerCommand(showTermCommand, async (arg?: { uri?: string; id?: string }) => {
      const c = client();
      if (!c) return undefined;
      return arg?.id ? showTerm(c, arg) : browseGlossary(c);
    }),
    vscode.commands.registerCommand('entente.browseGlossary', async () => {
      const c = client();
      return c ? browseGlossary(c) : undefined;
    }),
    { dispose: () => panel?.dispose() },
  );
}
