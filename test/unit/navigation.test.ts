import * as assert from 'node:assert/strict';
import type { Location, WorkspaceEdit } from 'vscode-languageserver-types';
import { serviceFor, uriOf } from './memoryWorkspace';
import { applyEdits, cursor, showRange } from './fixture';

const refs = `@article{biscop2022new,
  author = {Biscop, Sven}, title = {The New Force Model}, journal = {Egmont}, year = 2022}
@book{other2020, author = {Other, A.}, title = {Other}, publisher = {P}, year = 2020}
`;
const extra = '[\n  {\n    "id": "palmer2019nato",\n    "type": "article-journal",\n    "title": "NATO"\n  }\n]\n';
const md = '---\nbibliography: [refs.bib, extra.json]\n---\nAs [@biscop2022new] and @palmer2019nato show; see also [-@biscop2022new].\n';
const tex = '\\documentclass{article}\n\\addbibresource{refs.bib}\n\\section{Intro}\\label{sec:intro}\n\\textcite{biscop2022new} in Section~\\ref{sec:intro}.\n\\include{ch2}\n';
const chapter = '% !TEX root = main.tex\n\\section{Two} See \\cref{sec:intro} and \\cite{other2020}.\n';
const files = { 'refs.bib': refs, 'extra.json': extra, 'paper.md': md, 'main.tex': tex, 'ch2.tex': chapter };

const show = (locations: Location[] | undefined) => (locations ?? []).map((l) => `${l.uri.replace('file:///ws/', '')}:${showRange(l.range)}`).sort();

/** Opens `name` with a cursor marker at `marker` (the text with `|` inserted). */
function at(name: string, marked: string) {
  const { text, position } = cursor(marked);
  const { workspace, service } = serviceFor({ ...files, [name]: text });
  return { doc: workspace.openDoc(name), position, service, workspace };
}

function applyAll(edit: WorkspaceEdit): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    const name = uri.replace('file:///ws/', '');
    out[name] = applyEdits((files as Record<string, string>)[name], edits);
  }
  return out;
}

describe('go to definition', () => {
  it('goes from a Markdown citation to the key of its .bib entry', async () => {
    const { service, doc, position } = at('paper.md', md.replace('[@biscop2022new]', '[@bisc|op2022new]'));
    assert.deepEqual(show(await service.getDefinition(doc, position)), ['refs.bib:0:9-0:22']);
  });

  it('goes to the id of a CSL-JSON item', async () => {
    const { service, doc, position } = at('paper.md', md.replace('@palmer2019nato', '@palmer|2019nato'));
    assert.deepEqual(show(await service.getDefinition(doc, position)), ['extra.json:2:11-2:25']);
  });

  it('goes from a LaTeX reference to its label in another file of the project', async () => {
    const { service, doc, position } = at('ch2.tex', chapter.replace('\\cref{sec:intro}', '\\cref{sec:in|tro}'));
    assert.deepEqual(show(await service.getDefinition(doc, position)), ['main.tex:2:22-2:31']);
  });
});

describe('find references', () => {
  it('finds every citation of an entry across Markdown and LaTeX drafts, open or not', async () => {
    const { service, doc, position } = at('refs.bib', refs.replace('@article{biscop', '@article{bis|cop'));
    assert.deepEqual(show(await service.getReferences(doc, position, false)), ['main.tex:3:10-3:23', 'paper.md:3:5-3:18', 'paper.md:3:58-3:71']);
    assert.deepEqual(show(await service.getReferences(doc, position, true)).length, 4);
  });

  it('finds the references of a key from one of its citations', async () => {
    const { service, doc, position } = at('ch2.tex', chapter.replace('\\cite{other2020}', '\\cite{oth|er2020}'));
    assert.deepEqual(show(await service.getReferences(doc, position, true)), ['ch2.tex:1:45-1:54', 'refs.bib:2:6-2:15']);
  });

  it('finds the references of a LaTeX label', async () => {
    const { service, doc, position } = at('main.tex', tex.replace('\\label{sec:intro}', '\\label{sec:|intro}'));
    assert.deepEqual(show(await service.getReferences(doc, position, true)), ['ch2.tex:1:24-1:33', 'main.tex:2:22-2:31', 'main.tex:3:41-3:50']);
  });
});

describe('rename', () => {
  it('renames a key in the bibliography and in every draft, as one edit touching only the keys', async () => {
    const { service, doc, position } = at('paper.md', md.replace('[@biscop2022new]', '[@bisc|op2022new]'));
    assert.deepEqual(await service.prepareRename(doc, position), { range: { start: { line: 3, character: 5 }, end: { line: 3, character: 18 } }, placeholder: 'biscop2022new' });
    const edit = (await service.rename(doc, position, 'biscop2022force'))!;
    const result = applyAll(edit);
    assert.deepEqual(Object.keys(result).sort(), ['main.tex', 'paper.md', 'refs.bib']);
    assert.equal(result['paper.md'], md.replace(/biscop2022new/g, 'biscop2022force'));
    assert.equal(result['main.tex'], tex.replace('biscop2022new', 'biscop2022force'));
    assert.equal(result['refs.bib'], refs.replace('biscop2022new', 'biscop2022force'));
  });

  it('renames a CSL-JSON id from the bibliography file', async () => {
    const { service, doc, position } = at('extra.json', extra.replace('"palmer2019nato"', '"pal|mer2019nato"'));
    const result = applyAll((await service.rename(doc, position, 'palmer2019alliance'))!);
    assert.equal(result['extra.json'], extra.replace('palmer2019nato', 'palmer2019alliance'));
    assert.equal(result['paper.md'], md.replace('palmer2019nato', 'palmer2019alliance'));
  });

  it('refuses a name that is already a key or is not a valid key', async () => {
    const { service, doc, position } = at('paper.md', md.replace('[@biscop2022new]', '[@bisc|op2022new]'));
    await assert.rejects(service.rename(doc, position, 'other2020'), /'other2020' is already a key in refs.bib/);
    await assert.rejects(service.rename(doc, position, 'two words'), /not a valid citation key/);
    await assert.rejects(service.rename(doc, position, 'trailing.'), /not a valid citation key/);
  });

  it('renames a LaTeX label and its references across the project', async () => {
    const { service, doc, position } = at('main.tex', tex.replace('\\ref{sec:intro}', '\\ref{sec:in|tro}'));
    const result = applyAll((await service.rename(doc, position, 'sec:introduction'))!);
    assert.equal(result['main.tex'], tex.replace(/sec:intro/g, 'sec:introduction'));
    assert.equal(result['ch2.tex'], chapter.replace('sec:intro', 'sec:introduction'));
  });

  it('renames a key where other BibTeX entries name it: crossref, xref, xdata, related and entryset, lists too', async () => {
    const parents = '@mvbook{smith2020, title = {Collected Works}}\n@xdata{pub, publisher = {P}}\n@book{vol1, crossref = {smith2020}, xdata = {pub, smith2020}, note = {smith2020}}\n';
    const children = '@inbook{ch1, xref = "smith2020", related = {a,smith2020,b}, crossref = {smith2020x}}\n@set{both, entryset = { vol1 , smith2020 }}\n';
    const draft = '---\nbibliography: [parents.bib, children.bib]\n---\nSee @smith2020.\n';
    const local = { 'parents.bib': parents, 'children.bib': children, 'works.md': draft };
    const expected = {
      'parents.bib': parents.replace('@mvbook{smith2020', '@mvbook{smith2021').replace('{smith2020}, xdata = {pub, smith2020}', '{smith2021}, xdata = {pub, smith2021}'),
      'children.bib': children.replace('"smith2020"', '"smith2021"').replace('a,smith2020,b', 'a,smith2021,b').replace(' smith2020 }', ' smith2021 }'),
      'works.md': draft.replace('@smith2020', '@smith2021'),
    };
    for (const [name, marked] of [
      ['works.md', draft.replace('@smith', '@smi|th')],
      ['parents.bib', parents.replace('{smith2020, title', '{smi|th2020, title')],
      // From a link field: the parent it names, not the entry the cursor is in (which the rename once renamed).
      ['parents.bib', parents.replace('crossref = {smith2020}', 'crossref = {smith20|20}')],
      ['children.bib', children.replace('"smith2020"', '"|smith2020"')],
    ]) {
      const { text, position } = cursor(marked);
      const { workspace, service } = serviceFor({ ...local, [name]: text });
      await service.getDiagnostics(workspace.openDoc('works.md'));
      const prepared = await service.prepareRename(workspace.openDoc(name), position);
      assert.equal(prepared?.placeholder, 'smith2020', `prepare from ${marked}`);
      assert.equal(text.split('\n')[prepared!.range.start.line].slice(prepared!.range.start.character, prepared!.range.end.character), 'smith2020');
      const edit = (await service.rename(workspace.openDoc(name), position, 'smith2021'))!;
      const result: Record<string, string> = {};
      for (const [uri, edits] of Object.entries(edit.changes ?? {})) result[uri.replace('file:///ws/', '')] = applyEdits((local as Record<string, string>)[uri.replace('file:///ws/', '')], edits);
      assert.deepEqual(result, expected, `rename from ${marked}`);
    }
  });

  it('renames every definition of a key, also two on one line (a minified CSL-JSON file)', async () => {
    const json = '[{"id":"dup","title":"One"},{"id":"dup","title":"Two"}]';
    const { text, position } = cursor('---\nbibliography: min.json\n---\nSee @d|up.\n');
    const { workspace, service } = serviceFor({ 'min.json': json, 'min.md': text });
    const edit = (await service.rename(workspace.openDoc('min.md'), position, 'dup2'))!;
    assert.equal(applyEdits(json, edit.changes![uriOf('min.json')]), json.replace(/"dup"/g, '"dup2"'));
  });

  it('has nothing to rename away from keys and labels', async () => {
    const { service, doc, position } = at('paper.md', md.replace('As [', 'A|s ['));
    assert.equal(await service.prepareRename(doc, position), undefined);
  });
});

describe('symbols', () => {
  it('lists the entries of a bibliography and the headings of a draft, nested', async () => {
    const { workspace, service } = serviceFor({ ...files, 'outline.md': '# One\ntext\n## Two\n```\n# not a heading\n```\n# Three {#sec-three}\n' });
    const bib = await service.getDocumentSymbols(workspace.openDoc('refs.bib'));
    assert.deepEqual(bib.map((s) => `${s.name} ${s.detail}`), ['biscop2022new @article Biscop (2022) The New Force Model', 'other2020 @book Other (2020) Other']);
    const outline = await service.getDocumentSymbols(workspace.openDoc('outline.md'));
    assert.deepEqual(outline.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]), [['One', ['Two']], ['Three', []]]);
  });

  it('finds entries of loaded bibliographies by author across the workspace', async () => {
    const { workspace, service } = serviceFor(files);
    await service.getCompletions(workspace.openDoc('paper.md'), { line: 0, character: 0 });
    const found = await service.getWorkspaceSymbols('biscop');
    assert.deepEqual(found.map((s) => `${s.name} ${s.containerName}`), ['biscop2022new Biscop (2022) The New Force Model']);
  });
});
