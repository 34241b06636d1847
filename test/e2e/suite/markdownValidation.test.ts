/**
 * VS Code's own Markdown validation would flag every `[@key]` as "No link definition found"
 * (link.no-such-reference). Entente's configurationDefaults turn reference-link checks off, and
 * leave the other link checks on. The workspace's settings turn `markdown.validate.enabled` on.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, eventually, open, workspaceFile } from './helpers';

/** The diagnostics of VS Code's Markdown extension: codes `link.*` (source 'markdown', or none in recent versions). */
const markdownProblems = (document: vscode.TextDocument) =>
  vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => d.source === 'markdown' || (d.source === undefined && String(codeOf(d)).startsWith('link.')))
    .map((d) => `${codeOf(d)} '${document.getText(d.range)}'`);

describe("VS Code's Markdown validation, with Entente installed", () => {
  let document: vscode.TextDocument;

  before(async () => {
    const text = ['---', 'bibliography: [refs.bib, refs-extra.json]', '---', '', '# Validation', '', 'As argued [@szenes2023reinforcing; @hooker2024new], and [@deni2024new].', '', 'A [broken link](./no-such-file.md).', ''].join('\n');
    await vscode.workspace.fs.writeFile(workspaceFile('validation.md'), Buffer.from(text));
    document = await open('validation.md');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('markdown.validate').update('referenceLinks.enabled', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('is on, with reference-link checks set to "ignore" by Entente', () => {
    const settings = vscode.workspace.getConfiguration('markdown.validate');
    assert.equal(settings.get('enabled'), true);
    assert.equal(settings.get('referenceLinks.enabled'), 'ignore');
  });

  it('does not report "No link definition found" for [@key] citations', async () => {
    // The broken file link shows that the validator has run on the document.
    await eventually(() => markdownProblems(document).some((p) => p.startsWith('link.no-such-file')), "VS Code's Markdown diagnostics");
    assert.deepEqual(markdownProblems(document), ["link.no-such-file './no-such-file.md'"]);
    const paper = await open('paper.md');
    assert.deepEqual(markdownProblems(paper).filter((p) => p.startsWith('link.no-such-reference')), []);
  });

  it('would report them without that default', async () => {
    await vscode.workspace.getConfiguration('markdown.validate').update('referenceLinks.enabled', 'warning', vscode.ConfigurationTarget.Workspace);
    const problems = await eventually(() => {
      const found = markdownProblems(document).filter((p) => p.startsWith('link.no-such-reference'));
      return found.length > 0 && found;
    }, 'link.no-such-reference with the setting on "warning"');
    assert.ok(problems.some((p) => p.includes('@deni2024new')), problems.join('\n'));
  });
});
