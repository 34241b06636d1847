/**
 * Entente in a real VS Code: activation, completion, hover, diagnostics, quick fix, definition
 * and rename on a copy of examples/nfm-paper, asserted through the VS Code API.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { basename, citationProblems, codeOf, completionLabels, eventually, extensionId, hoverText, open, positionOf, withInsertion } from './helpers';

describe('Entente in VS Code, on the example workspace', () => {
  let md: vscode.TextDocument;
  let tex: vscode.TextDocument;

  it('activates when a Markdown draft is opened, and starts the language server', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    assert.equal(extension.isActive, false, 'active before any Markdown, Quarto or LaTeX file was opened');
    const started = Date.now();
    md = await open('paper.md');
    await eventually(() => extension.isActive, 'the extension to activate');
    // The language server is up once it has published the draft's diagnostics.
    await eventually(() => citationProblems(md).length > 0, 'the first diagnostics of paper.md');
    console.log(`      (activated and first diagnostics in ${Date.now() - started} ms)`);
  });

  it('reports the undefined citation in each draft', async () => {
    assert.deepEqual(citationProblems(md), ["citation.undefined 'duffeild1994nato'"]);
    tex = await open('paper.tex');
    await eventually(() => citationProblems(tex).length > 0, 'the diagnostics of paper.tex');
    assert.deepEqual(citationProblems(tex), ["citation.undefined 'biscop2O22new'"]);
  });

  it('completes a citation key after [@ in Markdown', async () => {
    md = await open('paper.md');
    const at = positionOf(md, '# Conclusion');
    const labels = await withInsertion(md, at, 'As argued in [@bisc\n\n', () =>
      eventually(async () => {
        const labels = await completionLabels(md, at.translate(0, 'As argued in [@bisc'.length));
        return labels.length > 0 && labels;
      }, 'completion items after [@bisc'),
    );
    assert.equal(labels[0], 'biscop2022new');
  });

  it('completes a citation key inside \\parencite{ in LaTeX', async () => {
    tex = await open('paper.tex');
    const at = positionOf(tex, '\\section{Conclusion}');
    const labels = await withInsertion(tex, at, 'As argued in \\parencite{sze}.\n\n', () =>
      eventually(async () => {
        const labels = await completionLabels(tex, at.translate(0, 'As argued in \\parencite{sze'.length));
        return labels.length > 0 && labels;
      }, 'completion items inside \\parencite{sze'),
    );
    assert.equal(labels[0], 'szenes2023reinforcing');
  });

  it('shows the formatted reference on hover', async () => {
    const text = await hoverText(md, positionOf(md, '@biscop2022new', 3));
    assert.match(text, /Biscop, S\. \(2022\)/);
  });

  it('goes to the definition of a key in refs.bib', async () => {
    const targets = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', md.uri, positionOf(md, '@biscop2022new', 3));
    assert.equal(targets.length, 1);
    const target = targets[0];
    const uri = 'targetUri' in target ? target.targetUri : target.uri;
    const range = 'targetUri' in target ? (target.targetSelectionRange ?? target.targetRange) : target.range;
    assert.equal(basename(uri), 'refs.bib');
    const bib = await vscode.workspace.openTextDocument(uri);
    assert.equal(bib.getText(range), 'biscop2022new');
  });

  it('fixes the broken citation with the quick fix "Change to duffield1994nato"', async () => {
    md = await open('paper.md');
    const problem = vscode.languages.getDiagnostics(md.uri).find((d) => codeOf(d) === 'citation.undefined');
    assert.ok(problem, 'no citation.undefined diagnostic in paper.md');
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', md.uri, problem.range);
    const fix = actions.find((a): a is vscode.CodeAction => a.title.startsWith('Change to duffield1994nato'));
    assert.ok(fix?.edit, `no "Change to duffield1994nato" among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the quick fix was not applied');
    assert.match(md.getText(), /As in Duffield's classic account \[@duffield1994nato\]/);
    await eventually(() => citationProblems(md).length === 0, 'the diagnostics of paper.md to clear');
  });

  it('renames a key across refs.bib, paper.md and paper.tex', async () => {
    const position = positionOf(md, '@biscop2022new', 3);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', md.uri, position, 'biscop2022force');
    assert.deepEqual(edit.entries().map(([uri]) => basename(uri)).sort(), ['paper.md', 'paper.tex', 'refs.bib']);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the rename was not applied');
    assert.ok(!md.getText().includes('biscop2022new'));
    // The renamed entry is found under its new name: the server re-read the edited refs.bib.
    await eventually(async () => /Biscop, S\. \(2022\)/.test(await hoverText(md, positionOf(md, '@biscop2022force', 3))), 'a hover on the renamed key');
    assert.deepEqual(citationProblems(md), []);
  });
});
