/**
 * The glossary's commands in a real VS Code: a short hover card links to the full entry (a trusted
 * `command:` link that opens it beside the editor), and Browse Glossary picks a term and opens its entry.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually, open, positionOf } from './helpers';

const glossaryTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.label.startsWith('Glossary'))
    .map((t) => t.label);

describe('the glossary in VS Code', () => {
  it('links the short card of NFM to its full entry, which opens beside the editor', async () => {
    const md = await open('paper.md');
    const at = positionOf(md, 'the NFM, and what', 5);
    const hovers = await eventually(async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', md.uri, at);
      return found.length > 0 && found;
    }, 'a hover on NFM');
    const card = hovers.flatMap((h) => h.contents).find((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c && /\*\*NFM\*\*/.test(c.value));
    assert.ok(card, 'no NFM card');
    const link = /\[Full entry\]\(command:entente\.showTerm\?([^)]+)\)/.exec(card.value);
    assert.ok(link, card.value);
    // The client trusts this one command, so VS Code runs the link.
    assert.deepEqual(card.isTrusted, { enabledCommands: ['entente.showTerm'] });
    const [args] = JSON.parse(decodeURIComponent(link[1])) as [{ uri: string; id: string }];
    assert.deepEqual(args, { uri: md.uri.toString(), id: 'new-force-model' });
    const markdown = await vscode.commands.executeCommand<string>('entente.showTerm', args);
    assert.match(markdown, /^\*\*NFM\*\*/);
    assert.match(markdown, /Sources:\n- /);
    await eventually(() => glossaryTabs().includes('Glossary: new-force-model'), 'the full entry beside the editor');
  });

  it('browses the glossary in a quick pick and opens the chosen term', async () => {
    await open('paper.md');
    const chosen = vscode.commands.executeCommand<string | undefined>('entente.browseGlossary');
    // The pick lists every term the draft sees; accepting the first opens its entry.
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const id = await chosen;
    assert.ok(typeof id === 'string' && id.length > 0, `chose ${id}`);
    await eventually(() => glossaryTabs().includes(`Glossary: ${id}`), `the entry of ${id}`);
  });
});
