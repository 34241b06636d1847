import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { serviceFor, uriOf } from './memoryWorkspace';
import { applyEdits, cursor, showDiagnostic } from './fixture';

let root = __dirname;
while (!fs.existsSync(path.join(root, 'package.json'))) root = path.dirname(root);
const exampleDir = path.join(root, 'examples', 'nfm-paper');
const example: Record<string, string> = {};
for (const f of fs.readdirSync(exampleDir)) example[f] = fs.readFileSync(path.join(exampleDir, f), 'utf8');

async function hoverAt(files: Record<string, string>, name: string, needle: string, shift = 1) {
  const { workspace, service } = serviceFor(files);
  const text = files[name];
  const offset = text.indexOf(needle) + shift;
  assert.ok(offset > 0, `${needle} not in ${name}`);
  const before = text.slice(0, offset);
  const position = { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
  const h = await service.getHover(workspace.openDoc(name), position);
  return h && (h.contents as { value: string }).value;
}

describe('the alliance glossary in the language service', () => {
  it('shows the definitions of NFM, Article 5, ANZUS, CSTO and SCO in the example draft', async () => {
    const expect: [string, RegExp][] = [
      ['NFM', /^\*\*NFM\*\* — NATO Force Model/],
      ['Article 5', /collective-defence clause/],
      ['ANZUS', /Security Treaty between Australia, New Zealand and the United States/],
      ['CSTO', /Collective Security Treaty Organization/],
      ['SCO', /Shanghai Cooperation Organisation/],
    ];
    for (const [term, pattern] of expect) assert.match((await hoverAt(example, 'paper.md', term))!, pattern, term);
  });

  it('a project glossary file serves the drafts of its folder and below, not the other projects of the workspace', async () => {
    const files = {
      'paperA/glossary.yaml': 'terms:\n  - id: cjef\n    short: CJEF\n    expansion: Combined Joint Expeditionary Force\n    definition: Franco-British force of the Lancaster House treaties.\n',
      'paperA/draft.md': 'The CJEF grew.\n',
      'paperB/draft.md': 'The CJEF grew.\n',
    };
    assert.match((await hoverAt(files, 'paperA/draft.md', 'CJEF'))!, /Combined Joint Expeditionary Force/);
    assert.equal(await hoverAt(files, 'paperB/draft.md', 'CJEF'), undefined);
  });

  it('cites a glossary source that the draft bibliography holds', async () => {
    const files = {
      'refs.bib': '@misc{nato1949treaty, author = {{NATO}}, title = {The North Atlantic Treaty}, year = 1949}\n',
      'paper.md': '---\nbibliography: refs.bib\n---\nUnder the Washington Treaty, allies consult.\n',
    };
    assert.match((await hoverAt(files, 'paper.md', 'Washington Treaty'))!, /`\[@nato1949treaty\]`/);
  });

  it('does not hover terms in code, math or citation keys', async () => {
    const files = { 'paper.md': 'Use `NATO` here, $NFM$ there, and cite [@NFM2022].\n' };
    assert.equal(await hoverAt(files, 'paper.md', 'NATO'), undefined);
    assert.equal(await hoverAt(files, 'paper.md', 'NFM$'), undefined);
    // On a citation key the hover is the citation's, never the glossary's.
    assert.doesNotMatch((await hoverAt(files, 'paper.md', 'NFM2022'))!, /Force Model/);
  });

  it('lets a project glossary file override a built-in term, and the setting turn the built-in terms off', async () => {
    const files = {
      'glossary.yaml': 'terms:\n  - short: NFM\n    expansion: Nordic Force Module\n    definition: A made-up project term.\n',
      'paper.md': 'The NFM again.\n',
    };
    assert.match((await hoverAt(files, 'paper.md', 'NFM'))!, /Nordic Force Module/);
    const { workspace, service } = serviceFor({ 'paper.md': 'The CSTO again.\n' }, { glossaryBuiltin: false });
    assert.equal(await service.getHover(workspace.openDoc('paper.md'), { line: 0, character: 5 }), undefined);
  });

  it('completes \\gls keys with their expansion and goes to their definition', async () => {
    const tex = '\\documentclass{article}\n\\newacronym{nfm}{NFM}{New Force Model}\n\\newacronym{vjtf}{VJTF}{Very High Readiness Joint Task Force}\n\\begin{document}\n\\gls{n|}\n\\end{document}\n';
    const { text, position } = cursor(tex);
    const { workspace, service } = serviceFor({ 'paper.tex': text });
    const doc = workspace.openDoc('paper.tex');
    const list = await service.getCompletions(doc, position);
    const items = list!.items as CompletionItem[];
    assert.ok(items.some((i) => i.label === 'nfm' && i.detail === 'New Force Model'), JSON.stringify(items.map((i) => [i.label, i.detail])));
    const used = workspace.openDoc('paper.tex', 'latex', text.replace('\\gls{n}', 'See \\gls{nfm}.'));
    const definition = await service.getDefinition(used, { line: 4, character: 10 });
    assert.deepEqual(definition?.map((l) => `${l.uri} ${l.range.start.line}`), [`${uriOf('paper.tex')} 1`]);
  });

  it('reports VJTF as used before it is spelled out in the example, and the fix expands it', async () => {
    const { workspace, service } = serviceFor(example);
    const doc = workspace.openDoc('paper.md');
    const diagnostics = (await service.getDiagnostics(doc)).filter((d) => d.code === 'glossary.first-use');
    assert.deepEqual(diagnostics.map((d) => showDiagnostic('paper.md', d)), ['paper.md:25:4-25:8 glossary.first-use "VJTF" is used before it is spelled out; on first use write "Very High Readiness Joint Task Force (VJTF)".']);
    const actions = await service.getCodeActions(doc, diagnostics);
    assert.equal(actions[0].title, 'Expand on first use: Very High Readiness Joint Task Force (VJTF)');
    const fixed = applyEdits(example['paper.md'], actions[0].edit!.changes![uriOf('paper.md')] as TextEdit[]);
    assert.ok(fixed.includes('Very High Readiness Joint Task Force (VJTF)'));
    assert.deepEqual(actions[1].command, { title: 'Add to entente.glossary.firstUseIgnore', command: 'entente.ignoreTermOnFirstUse', arguments: ['VJTF'] });
    const quiet = serviceFor(example, { glossaryFirstUseIgnore: ['VJTF'] });
    assert.deepEqual((await quiet.service.getDiagnostics(quiet.workspace.openDoc('paper.md'))).filter((d) => d.code === 'glossary.first-use'), []);
  });

  it('reads first use across a LaTeX project in reading order', async () => {
    const files = {
      'main.tex': '\\documentclass{article}\n\\begin{document}\n\\include{ch1}\n\\include{ch2}\n\\end{document}\n',
      'ch1.tex': 'The Joint Expeditionary Force (JEF) is a UK-led coalition.\n',
      'ch2.tex': 'The JEF and the EFP differ.\n',
    };
    const { workspace, service } = serviceFor(files);
    const lines = (await service.getDiagnostics(workspace.openDoc('ch2.tex'))).map((d) => showDiagnostic('ch2.tex', d));
    assert.ok(!lines.some((l) => l.includes('"JEF"')), lines.join('\n'));
  });

  it('reports \\gls keys defined nowhere, with a did-you-mean fix, and conflicting definitions', async () => {
    const tex = '\\documentclass{article}\n\\newacronym{nfm}{NFM}{New Force Model}\n\\newacronym{nfm2}{NFM}{Nordic Force Module}\n\\begin{document}\n\\gls{nfn}\n\\end{document}\n';
    const { workspace, service } = serviceFor({ 'paper.tex': tex });
    const doc = workspace.openDoc('paper.tex');
    const diagnostics = await service.getDiagnostics(doc);
    const undefinedKey = diagnostics.find((d) => d.code === 'glossary.undefined')!;
    assert.equal(showDiagnostic('paper.tex', undefinedKey).split(' ')[0], 'paper.tex:4:5-4:8');
    const actions = await service.getCodeActions(doc, [undefinedKey]);
    assert.equal(actions[0].title, 'Change to nfm');
    const conflict = diagnostics.find((d) => d.code === 'glossary.conflict')!;
    assert.match(String(conflict.message), /'NFM' is defined as 'New Force Model' at paper\.tex:2 and as 'Nordic Force Module' here/);
  });

  it('reports a term that a project glossary defines otherwise than the glossary of a folder above (one draft sees both)', async () => {
    const files = {
      'glossary.yaml': 'terms:\n  - short: NFM\n    expansion: New Force Model\n  - short: JEF\n    expansion: Joint Expeditionary Force\n',
      'book/glossary.yaml': 'terms:\n  - short: JEF\n    expansion: Joint Expeditionary Force\n  - short: NFM\n    expansion: Nordic Force Module\n',
      'other/glossary.yaml': 'terms:\n  - short: NFM\n    expansion: Naval Fires Mission\n',
      'book/ch1.md': 'The NFM.\n',
    };
    const { workspace, service } = serviceFor(files);
    const conflicts = async (name: string) => (await service.getDiagnostics(workspace.openDoc(name))).filter((d) => d.code === 'glossary.conflict').map((d) => showDiagnostic(name, d));
    assert.deepEqual(await conflicts('book/glossary.yaml'), [
      "book/glossary.yaml:3:11-3:14 glossary.conflict 'NFM' is defined as 'New Force Model' at glossary.yaml:2 and as 'Nordic Force Module' here.",
    ]);
    // The outer file is first: the note is on the inner one. Sibling folders share no draft.
    assert.deepEqual(await conflicts('glossary.yaml'), []);
    assert.deepEqual(await conflicts('other/glossary.yaml'), ["other/glossary.yaml:1:11-1:14 glossary.conflict 'NFM' is defined as 'New Force Model' at glossary.yaml:2 and as 'Naval Fires Mission' here."]);
    // For the drafts, the nearer glossary wins.
    const inner = await hoverAt({ ...files, 'z/deeper/ch2.md': 'The NFM.\n', 'z/glossary.yaml': files['book/glossary.yaml'] }, 'book/ch1.md', 'NFM');
    assert.match(inner!, /^\*\*NFM\*\* — Nordic Force Module/);
    const deeper = await hoverAt({ ...files, 'z/deeper/ch2.md': 'The NFM.\n', 'z/glossary.yaml': files['other/glossary.yaml'] }, 'z/deeper/ch2.md', 'NFM');
    assert.match(deeper!, /^\*\*NFM\*\* — Naval Fires Mission/);
    assert.match((await hoverAt({ ...files, 'top.md': 'The NFM.\n' }, 'top.md', 'NFM'))!, /^\*\*NFM\*\* — New Force Model/);
  });

  it('reports a malformed glossary file at its place and keeps its other terms', async () => {
    const files = { 'glossary.yaml': 'terms:\n  - short: JEF\n    expansion: Joint Expeditionary Force\n  - short: [broken\n', 'paper.md': 'The JEF.\n' };
    const { workspace, service } = serviceFor(files);
    const diagnostics = await service.getDiagnostics(workspace.openDoc('glossary.yaml'));
    assert.ok(diagnostics.some((d) => d.code === 'glossary.syntax' && d.range.start.line >= 3), JSON.stringify(diagnostics));
    const status = await service.getDocumentStatus(workspace.openDoc('paper.md'));
    assert.ok(status.terms > 150);
  });
});
