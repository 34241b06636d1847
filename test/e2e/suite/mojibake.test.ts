/**
 * Mangled text in a real VS Code: the `text.mojibake` warnings of a pasted abstract, the run's quick fix,
 * and the command that repairs the whole file as one edit (one undo).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, eventually, open, workspaceFile } from './helpers';

describe('Entente in VS Code: mangled text', () => {
  const pasted = '---\nbibliography: refs.bib\n---\n\nRussiaโs war and the EUโs answer: โminilateralโ ways, ZoltÃ¡nâ€™s view.\n';
  const repaired = '---\nbibliography: refs.bib\n---\n\nRussia’s war and the EU’s answer: “minilateral” ways, Zoltán’s view.\n';
  const mangled = (document: vscode.TextDocument) => vscode.languages.getDiagnostics(document.uri).filter((d) => codeOf(d) === 'text.mojibake');

  it('warns of each damaged run, offers its repair, and repairs the whole file with one command', async () => {
    await vscode.workspace.fs.writeFile(workspaceFile('pasted.md'), new TextEncoder().encode(pasted));
    const document = await open('pasted.md');
    const found = await eventually(() => mangled(document).length === 6 && mangled(document), 'six text.mojibake warnings');
    assert.deepEqual(found.map((d) => document.getText(d.range)), ['โ', 'โ', 'โ', 'โ', 'Ã¡', 'â€™']);
    assert.equal(found[0].message, 'Mangled text “Russiaโs”: UTF-8 read as Windows-874 (Thai), the bytes after “โ” lost; probably “Russia’s”.');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, found[0].range);
    assert.deepEqual(actions.map((a) => a.title).filter((t) => t.startsWith('Repair')), ['Repair as “’”', 'Repair all mangled text in this file (6)']);
    await vscode.commands.executeCommand('entente.repairMangledText');
    await eventually(() => document.getText() === repaired, 'the repaired text');
    await eventually(() => mangled(document).length === 0, 'no warning left');
    await vscode.commands.executeCommand('undo');
    await eventually(() => document.getText() === pasted, 'one undo restoring the pasted text');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
