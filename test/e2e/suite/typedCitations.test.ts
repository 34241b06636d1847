/**
 * Typed citations and stale facts in a real VS Code (issue 16): a Markdown draft from Word with a typed reference
 * list, its "Replace with [@key]" rewrite, and a plain-text draft (`.txt`) with its findings and their quick fixes.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, eventually, open, positionOf, workspaceFile } from './helpers';

const references = `References

Biscop, S. (2022, September). The New Force Model: NATO’s European army? (Egmont Policy Brief No. 285). Egmont Institute.
Deni, J.R. (2024). The new NATO force model: Ready for launch? NATO Defense College.
Shea, J. (2012). Keeping NATO Relevant. Carnegie Moscow Center.
`;

const findings = (document: vscode.TextDocument) =>
  vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => ['citation.unmatched', 'reference.uncited', 'glossary.fact'].includes(String(codeOf(d))))
    .map((d) => `${codeOf(d)} '${document.getText(d.range)}'`);

describe('Entente in VS Code: typed citations and stale facts', () => {
  it('checks a Word draft’s typed citations and rewrites one as [@key]', async () => {
    const text = `---\ntitle: From Word\n---\n\nThe Force Model replaced the NRF (Biscop, 2022). Deni (2025) asks whether it is ready.\n\n# ${references}`;
    await vscode.workspace.fs.writeFile(workspaceFile('fromword.md'), new TextEncoder().encode(text));
    const document = await open('fromword.md');
    const found = await eventually(() => findings(document).length === 3 && findings(document), 'three findings');
    assert.deepEqual(found, ["citation.unmatched 'Deni (2025)'", "reference.uncited 'Deni, J.R. (2024). The new NATO force model: Ready for launch? NATO Defense College.'", "reference.uncited 'Shea, J. (2012). Keeping NATO Relevant. Carnegie Moscow Center.'"]);
    const at = positionOf(document, '(Biscop, 2022)', 3);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(at, at));
    const replace = actions.find((a) => a.title === 'Replace with [@biscop2022new]');
    assert.ok(replace?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(replace.edit));
    await eventually(() => document.getText().includes('replaced the NRF [@biscop2022new].'), 'the pandoc citation');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('checks a plain-text draft and fixes its stale fact', async () => {
    const text = `NATO's 30 members answered the NRF's successor. The question is old (Biscop, 2022), as Deni (2024) and Shea (2012) saw.\n\n${references}`;
    await vscode.workspace.fs.writeFile(workspaceFile('notes.txt'), new TextEncoder().encode(text));
    const document = await open('notes.txt');
    assert.equal(document.languageId, 'plaintext');
    const fact = await eventually(() => vscode.languages.getDiagnostics(document.uri).find((d) => codeOf(d) === 'glossary.fact'), 'the glossary.fact note');
    assert.equal(document.getText(fact.range), '30');
    assert.deepEqual(findings(document), ["glossary.fact '30'"]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, fact.range);
    const change = actions.find((a) => a.title.startsWith('Change to 32'));
    assert.ok(change?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(!actions.some((a) => a.title.includes('[@')), 'no pandoc citation in a plain-text draft');
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    await eventually(() => document.getText().startsWith("NATO's 32 members"), 'the repaired count');
    await eventually(() => findings(document).length === 0, 'no finding left');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
