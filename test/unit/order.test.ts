/**
 * Results do not depend on the order files are opened, diagnosed or checked: a duplicate key across two
 * files of one draft is found whichever the editor diagnoses first, and `entente check` says the same
 * whichever paths it is given.
 */
import * as assert from 'node:assert/strict';
import { serviceFor, uriOf } from './memoryWorkspace';
import type { Diagnostic } from 'vscode-languageserver-types';
import { cursor, showDiagnostic } from './fixture';

const oneBib = '@book{k, author = {One, Alice}, title = {From the BibTeX file}, publisher = {P}, year = 2001}\n@book{only1, author = {One, Alice}, title = {Only here}, publisher = {P}, year = 2001}\n';
const twoJson = '[\n  {"id": "k", "type": "book", "author": [{"family": "Two", "given": "Bob"}], "title": "From the JSON file", "publisher": "P", "issued": {"date-parts": [[2002]]}}\n]\n';
const project = {
  'paper.md': '---\nbibliography: [one.bib, two.json]\n---\nSee @k and @only1.\n',
  'one.bib': oneBib,
  'two.json': twoJson,
};

/** The diagnostics of every file, each opened in the editor in this order, as readable lines. */
async function diagnoseInOrder(fixture: Record<string, string>, order: string[]): Promise<string[]> {
  const { workspace, service } = serviceFor(fixture);
  const out: string[] = [];
  for (const name of order) for (const d of await service.getDiagnostics(workspace.openDoc(name))) out.push(showDiagnostic(name, d));
  return out.sort();
}

const expected = [
  "paper.md:1:24-1:32 bib.duplicate-key 'k' is defined in two.json and also in one.bib; pandoc uses the last definition: two.json's.",
  "two.json:1:10-1:11 bib.duplicate-key Duplicate key 'k': also defined in one.bib.",
];

describe('order does not matter', () => {
  it('reports a key two declared files define in both files and on the draft, whichever the editor opens first', async () => {
    const orders = [
      ['paper.md', 'one.bib', 'two.json'],
      ['one.bib', 'two.json', 'paper.md'],
      ['two.json', 'paper.md', 'one.bib'],
    ];
    for (const order of orders) assert.deepEqual(await diagnoseInOrder(project, order), expected, order.join(', '));
  });

  it('gives entente check the same results whichever paths it is given, and the editor the same as check', async () => {
    const show = (results: Map<string, Diagnostic[]>) =>
      [...results].flatMap(([uri, ds]) => ds.map((d) => showDiagnostic(uri.replace('file:///ws/', ''), d))).sort();
    const everything = show(await serviceFor(project).service.checkFiles(['file:///ws']));
    assert.deepEqual(everything, expected);
    for (const name of ['one.bib', 'two.json', 'paper.md']) {
      const alone = show(await serviceFor(project).service.checkFiles([uriOf(name)])).filter((l) => l.startsWith(`${name}:`));
      assert.deepEqual(alone, expected.filter((l) => l.startsWith(`${name}:`)), name);
    }
  });

  it('forgets the duplicate once no draft loads both files any more', async () => {
    const { workspace, service } = serviceFor(project);
    assert.equal((await service.getDiagnostics(workspace.openDoc('paper.md'))).length, 1);
    workspace.openDoc('paper.md', 'markdown', '---\nbibliography: one.bib\n---\nSee @k and @only1.\n');
    service.fileChanged(uriOf('paper.md'));
    assert.deepEqual(await service.getDiagnostics(workspace.openDoc('one.bib')), []);
  });

  it('says on a LaTeX declaration that biber uses the first definition', async () => {
    const fixture = {
      'main.tex': '\\documentclass{article}\n\\addbibresource{a.bib}\n\\addbibresource{b.bib}\n\\begin{document}\\cite{k}\\end{document}\n',
      'a.bib': oneBib,
      'b.bib': oneBib.replace('From the BibTeX file', 'Another').replace(/only1/g, 'only2'),
    };
    const lines = await diagnoseInOrder(fixture, ['main.tex']);
    assert.deepEqual(lines, ["main.tex:2:16-2:21 bib.duplicate-key 'k' is defined in b.bib and also in a.bib; biber and BibTeX use the first definition: a.bib's."]);
  });

  it('does not pair the bibliographies of two projects through a draft that declares none (the workspace fallback)', async () => {
    const fixture = {
      'README.md': '# Two papers\n',
      'a/paper.md': '---\nbibliography: refs.bib\n---\n[@k]\n',
      'a/refs.bib': oneBib,
      'b/paper.md': '---\nbibliography: refs.bib\n---\n[@k]\n',
      'b/refs.bib': oneBib,
    };
    assert.deepEqual(await diagnoseInOrder(fixture, ['README.md', 'a/refs.bib', 'b/refs.bib', 'a/paper.md']), []);
    // Nor through a draft that declares nothing and cites a key found there: the fallback joins unrelated projects'
    // files, and their common keys trouble neither LaTeX nor pandoc (a real thesis folder: 600 false duplicates).
    const notes = { ...fixture, 'notes.md': 'As @k shows.\n' };
    assert.deepEqual(await diagnoseInOrder(notes, ['a/refs.bib', 'b/refs.bib']), []);
  });

  it('hovers the definition pandoc uses in Markdown (the last) and biber in LaTeX (the first)', async () => {
    const { text, position } = cursor('---\nbibliography: [one.bib, two.json]\n---\nSee @|k.\n');
    const { workspace, service } = serviceFor({ ...project, 'paper.md': text });
    const md = (await service.getHover(workspace.openDoc('paper.md'), position))!.contents as { value: string };
    assert.match(md.value, /^Two, B\. \(2002\)/);
    assert.match(md.value, /⚠ Defined 2 times \(pandoc uses the last definition, shown here\); also in \[one\.bib:1\]/);
    const tex = cursor('\\documentclass{article}\n\\addbibresource{one.bib}\n\\addbibresource{two.json}\n\\cite{|k}\n');
    const latex = serviceFor({ ...project, 'paper.tex': tex.text });
    const value = ((await latex.service.getHover(latex.workspace.openDoc('paper.tex'), tex.position))!.contents as { value: string }).value;
    assert.match(value, /^One, A\. \(2001\)/);
    assert.match(value, /biber uses the first definition, shown here\); also in \[two\.json:2\]/);
  });
});
