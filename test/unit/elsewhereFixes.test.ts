import * as assert from 'node:assert/strict';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { serviceFor, uriOf } from './memoryWorkspace';
import { applyEdits } from './fixture';
import { parseBibliography } from '../../server/src/service/index/bibliographies';
import { entryCopy } from '../../server/src/service/features/entryCopy';

const refs = `@article{biscop2022new,
  author = {Biscop, Sven}, title = {The New Force Model}, journal = {Egmont}, year = 2022}
`;
const extraJson = `[
  {
    "id": "hooker2024",
    "type": "report",
    "title": "NATO and the War in Ukraine: Lessons",
    "author": [{ "family": "Hooker", "given": "Richard D." }],
    "publisher": "Center for Strategic and International Studies",
    "issued": { "date-parts": [[2024, 3]] }
  }
]
`;
const extraBib = `@string{csis = {Center for Strategic and International Studies}}
@techreport{hooker2024,
  author = {Hooker, Richard D.},
  title = {{NATO} and the War in Ukraine},
  institution = {Center for Strategic and International Studies},
  year = {2024}
}
`;

async function fixes(files: Record<string, string>, name: string) {
  const { workspace, service } = serviceFor(files);
  const doc = workspace.openDoc(name);
  const diagnostics = (await service.getDiagnostics(doc)).filter((d) => d.code === 'citation.undefined');
  return service.getCodeActions(doc, diagnostics);
}

/** The text of `file` after the action's edit (the action edits only that file). */
function after(files: Record<string, string>, action: CodeAction, file: string): string {
  assert.deepEqual(Object.keys(action.edit!.changes!), [uriOf(file)], action.title);
  return applyEdits(files[file], action.edit!.changes![uriOf(file)] as TextEdit[]);
}

const titles = (actions: CodeAction[]) => actions.map((a) => a.title);

describe('quick fixes for a key another bibliography of the workspace defines', () => {
  it('offers first to declare that bibliography, then to copy the entry, the stub last', async () => {
    const files = { 'refs.bib': refs, 'extra.json': extraJson, 'chapter.md': '---\ntitle: Ch\nbibliography: refs.bib\n---\nAs [@hooker2024] says.\n' };
    const actions = await fixes(files, 'chapter.md');
    assert.deepEqual(titles(actions), [
      "Add extra.json to this document's bibliography",
      'Copy the entry for hooker2024 from extra.json into refs.bib',
      "Add a stub entry for 'hooker2024' to refs.bib",
    ]);
    assert.equal(actions[0].isPreferred, true);
    assert.ok(!actions[1].isPreferred && !actions[2].isPreferred);
    assert.equal(after(files, actions[0], 'chapter.md'), '---\ntitle: Ch\nbibliography: [refs.bib, extra.json]\n---\nAs [@hooker2024] says.\n');
    const copied = after(files, actions[1], 'refs.bib');
    const entries = parseBibliography(copied, 'bibtex');
    assert.deepEqual(entries.errors, []);
    const hooker = entries.value.entries.find((e) => e.key === 'hooker2024')!;
    assert.equal(hooker.fields.institution, 'Center for Strategic and International Studies');
    assert.equal(hooker.title, 'NATO and the War in Ukraine: Lessons');
    assert.equal(hooker.authors[0].family, 'Hooker');
    assert.ok(copied.startsWith(refs), 'the existing entries as written');
  });

  it('appends to a block or a flow list in its own style', async () => {
    const block = '---\nbibliography:\n  - refs.bib   # main\n  - other.bib\ntitle: X\n---\n[@hooker2024]\n';
    const flow = '---\nbibliography: [refs.bib, "other.bib"]\n---\n[@hooker2024]\n';
    for (const [text, expected] of [
      [block, '---\nbibliography:\n  - refs.bib   # main\n  - other.bib\n  - extra.json\ntitle: X\n---\n[@hooker2024]\n'],
      [flow, '---\nbibliography: [refs.bib, "other.bib", extra.json]\n---\n[@hooker2024]\n'],
    ]) {
      const files = { 'refs.bib': refs, 'other.bib': '', 'extra.json': extraJson, 'paper.md': text };
      const add = (await fixes(files, 'paper.md')).find((a) => a.title.startsWith('Add extra.json'))!;
      assert.equal(after(files, add, 'paper.md'), expected);
    }
  });

  it('writes a path relative to the declaring file, and edits the _quarto.yml a chapter inherits from', async () => {
    const files = {
      '_quarto.yml': 'project:\n  type: book\nbibliography: refs.bib\n',
      'refs.bib': refs,
      'data/extra.json': extraJson,
      'chapters/one.qmd': '# One\n\n[@hooker2024]\n',
    };
    const add = (await fixes(files, 'chapters/one.qmd')).find((a) => a.title.startsWith('Add extra.json'))!;
    assert.equal(add.title, 'Add extra.json to the bibliography of _quarto.yml');
    assert.equal(after(files, add, '_quarto.yml'), 'project:\n  type: book\nbibliography: [refs.bib, data/extra.json]\n');
  });

  it('refuses to edit a declaration it cannot place with certainty (a Makefile, a folded scalar)', async () => {
    const folded = { 'refs.bib': refs, 'extra.json': extraJson, 'paper.md': '---\nbibliography: >-\n  refs.bib\n---\n[@hooker2024]\n' };
    assert.ok(!titles(await fixes(folded, 'paper.md')).some((t) => t.startsWith('Add extra.json')));
    const make = { Makefile: 'all:\n\tpandoc --bibliography refs.bib a.md b.md -o out.pdf\n', 'refs.bib': refs, 'extra.json': extraJson, 'a.md': '# A\n', 'b.md': '# B\n[@hooker2024]\n' };
    const actions = titles(await fixes(make, 'b.md'));
    assert.ok(!actions.some((t) => t.startsWith('Add extra.json')), actions.join('\n'));
    assert.ok(actions.includes('Copy the entry for hooker2024 from extra.json into refs.bib'), actions.join('\n'));
  });

  it('adds an \\addbibresource after the last one, or a name to \\bibliography{a,b}; only a .bib file', async () => {
    const biblatex = '\\documentclass{article}\n\\usepackage{biblatex}\n  \\addbibresource{refs.bib}\n\\begin{document}\n\\cite{hooker2024}\n\\end{document}\n';
    let files: Record<string, string> = { 'refs.bib': refs, 'lib/extra.bib': extraBib, 'paper.tex': biblatex };
    let actions = await fixes(files, 'paper.tex');
    assert.equal(actions[0].title, "Add extra.bib to this document's bibliography");
    assert.equal(after(files, actions[0], 'paper.tex'), biblatex.replace('{refs.bib}', '{refs.bib}\n  \\addbibresource{lib/extra.bib}'));
    const bibtex = '\\documentclass{article}\n\\begin{document}\n\\cite{hooker2024}\n\\bibliography{refs, other}\n\\end{document}\n';
    files = { 'refs.bib': refs, 'other.bib': '', 'extra.bib': extraBib, 'paper.tex': bibtex };
    actions = await fixes(files, 'paper.tex');
    assert.equal(after(files, actions[0], 'paper.tex'), bibtex.replace('{refs, other}', '{refs, other,extra}'));
    files = { 'refs.bib': refs, 'extra.json': extraJson, 'paper.tex': biblatex };
    assert.deepEqual(titles(await fixes(files, 'paper.tex')), ['Copy the entry for hooker2024 from extra.json into refs.bib', "Add a stub entry for 'hooker2024' to refs.bib"]);
  });

  it('copies a BibTeX entry verbatim, but not one whose macro the target lacks or whose parent stays behind', () => {
    const from = (text: string, key = 'hooker2024') => ({ text, format: 'bibtex' as const, entry: parseBibliography(text, 'bibtex').value.entries.find((e) => e.key === key)! });
    const edit = entryCopy(from(extraBib), { text: refs, format: 'bibtex' })!;
    assert.equal(applyEdits(refs, [edit]), `${refs}\n${extraBib.slice(extraBib.indexOf('@techreport'))}`);
    const withMacro = extraBib.replace('institution = {Center for Strategic and International Studies}', 'institution = csis');
    assert.equal(entryCopy(from(withMacro), { text: refs, format: 'bibtex' }), undefined);
    assert.ok(entryCopy(from(withMacro), { text: '@string{csis = {Center for Strategic and International Studies}}\n', format: 'bibtex' }));
    const child = '@incollection{ch, crossref = {book}, title = {Ch}}\n@book{book, title = {B}, year = 2020}\n';
    assert.equal(entryCopy(from(child, 'ch'), { text: refs, format: 'bibtex' }), undefined);
  });

  it('converts between formats: BibTeX into CSL-JSON and CSL-YAML, CSL-JSON into CSL-JSON as it is', () => {
    const bib = { text: extraBib, format: 'bibtex' as const, entry: parseBibliography(extraBib, 'bibtex').value.entries[0] };
    const json = '[\n  {"id": "a", "type": "book", "title": "A"}\n]\n';
    const intoJson = applyEdits(json, [entryCopy(bib, { text: json, format: 'csl-json' })!]);
    const items = JSON.parse(intoJson) as Record<string, unknown>[];
    assert.equal(items.length, 2);
    assert.equal(items[1].id, 'hooker2024');
    assert.equal(items[1].publisher, 'Center for Strategic and International Studies');
    assert.ok(!('_graph' in items[1]) && !('citation-key' in items[1]));
    const yaml = 'references:\n  - id: a\n    type: book\n';
    const intoYaml = parseBibliography(applyEdits(yaml, [entryCopy(bib, { text: yaml, format: 'csl-yaml' })!]), 'csl-yaml');
    assert.deepEqual(intoYaml.errors, []);
    assert.equal(intoYaml.value.entries[1].fields.publisher ?? intoYaml.value.entries[1].csl?.publisher, 'Center for Strategic and International Studies');
    const csl = { text: extraJson, format: 'csl-json' as const, entry: parseBibliography(extraJson, 'csl-json').value.entries[0] };
    const copied = JSON.parse(applyEdits(json, [entryCopy(csl, { text: json, format: 'csl-json' })!])) as unknown[];
    assert.deepEqual(copied[1], JSON.parse(extraJson)[0]);
    assert.equal(entryCopy(csl, { text: 'TY  - BOOK\nID  - a\nER  - \n', format: 'ris' }), undefined);
  });
});
