/**
 * Quarto as a language of its own (grammar-free checks: language id, auto-closing, quiet suggestions), citation
 * keys as semantic tokens, and the multi-select Insert Citation, in a real VS Code on the example workspace.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually, open, positionOf, workspaceFile } from './helpers';

/** The semantic tokens of a document rendered as `text type [modifiers]`. */
async function citationTokens(document: vscode.TextDocument): Promise<string[]> {
  const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', document.uri);
  const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', document.uri);
  if (!legend || !tokens) return [];
  const out: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dLine, dStart, length, type, modifiers] = tokens.data.slice(i, i + 5);
    line += dLine;
    character = dLine ? dStart : character + dStart;
    const names = legend.tokenModifiers.filter((_, bit) => modifiers & (1 << bit));
    out.push([document.getText(new vscode.Range(line, character, line, character + length)), legend.tokenTypes[type], ...names].join(' '));
  }
  return out;
}

/** Runs Insert Citation with its picks scripted, on an empty line put after `anchor`; returns that line, then removes it. */
async function insertCitation(document: vscode.TextDocument, anchor: string, script: { query?: string; keys: string[]; notes?: string[] }, before = 'As argued '): Promise<string> {
  const editor = await vscode.window.showTextDocument(document);
  const at = new vscode.Position(positionOf(document, anchor).line + 1, 0);
  await editor.edit((b) => b.insert(at, `${before}\n`));
  const cursor = at.translate(0, before.length);
  editor.selection = new vscode.Selection(cursor, cursor);
  try {
    await vscode.commands.executeCommand('entente.insertCitation', script);
    return document.lineAt(at.line).text;
  } finally {
    await editor.edit((b) => b.delete(document.lineAt(at.line).rangeIncludingLineBreak));
  }
}

describe('Quarto drafts and the citation picker in VS Code', () => {
  const qmd = '---\nbibliography: refs.bib\n---\n\n# Force\n\nAs argued [@deni2024new; @szenes2023reinforcing] and by @nosuchkey2020.\n\nEnd.\n';

  before(async () => {
    await vscode.workspace.fs.writeFile(workspaceFile('chapter.qmd'), new TextEncoder().encode(qmd));
  });

  it('opens a .qmd file as Quarto, with auto-closing brackets and without word suggestions in prose', async () => {
    const document = await open('chapter.qmd');
    assert.equal(document.languageId, 'quarto');
    const quick = vscode.workspace.getConfiguration('editor', { languageId: 'quarto' }).get('quickSuggestions');
    assert.deepEqual(quick, { comments: 'off', strings: 'off', other: 'off' });
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'quarto' }).get('wordBasedSuggestions'), 'off');
    const editor = vscode.window.activeTextEditor!;
    const end = positionOf(document, 'End.', 4);
    editor.selection = new vscode.Selection(end, end);
    await vscode.commands.executeCommand('type', { text: ' [' });
    assert.equal(document.lineAt(end.line).text, 'End. []');
    await editor.edit((b) => b.delete(new vscode.Range(end, end.translate(0, 3))));
  });

  it('colours every citation key of a .qmd draft as a citation, and an undefined one as undefined (semantic tokens)', async () => {
    const document = await open('chapter.qmd');
    const tokens = await eventually(async () => {
      const found = await citationTokens(document);
      return found.length === 3 && found;
    }, 'three citation tokens in chapter.qmd');
    assert.deepEqual(tokens, ['deni2024new citation', 'szenes2023reinforcing citation', 'nosuchkey2020 citation undefined']);
  });

  it('inserts several entries with a prefix and a locator as one Markdown citation', async () => {
    const document = await open('chapter.qmd');
    const line = await insertCitation(document, '# Force', { query: 'szenes', keys: ['szenes2023reinforcing'], notes: ['see, p. 12'] });
    assert.equal(line, 'As argued [see @szenes2023reinforcing, p. 12]');
    // Several entries (the earlier rename test left biscop2022new renamed: these two keys stay).
    const several = await insertCitation(document, '# Force', { keys: ['szenes2023reinforcing', 'shea2012keeping'], notes: ['see, p. 12', ''] });
    assert.equal(several, 'As argued [see @szenes2023reinforcing, p. 12; @shea2012keeping]');
  });

  it('inserts biblatex\'s \\parencites in the LaTeX draft, which loads biblatex', async () => {
    const document = await open('paper.tex');
    const line = await insertCitation(document, '\\section{Conclusion}', { keys: ['shea2012keeping', 'szenes2023reinforcing'], notes: ['see, p. 12', 'ch. 3'] });
    assert.equal(line, 'As argued \\parencites[see][12]{shea2012keeping}[ch.~3]{szenes2023reinforcing}');
    // Inside an open key group only the keys go in.
    const inside = await insertCitation(document, '\\section{Conclusion}', { keys: ['shea2012keeping', 'szenes2023reinforcing'], notes: ['see'] }, 'As argued \\parencite[p.~3]{deni2024new');
    assert.equal(inside, 'As argued \\parencite[p.~3]{deni2024new,shea2012keeping,szenes2023reinforcing');
  });
});
