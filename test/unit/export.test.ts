import * as assert from 'node:assert/strict';
import { serviceFor } from './memoryWorkspace';
import { parseBibtex } from '../../server/src/service/parsers/bibliography/bibtex';

const bib = `@string{egm = {Egmont Institute}}
@report{biscop2022new, author = {Biscop, Sven}, title = {The {New Force Model}}, institution = egm, year = 2022}

@book{uncited, title = {Never cited}, year = 1999}
@article{szenes2023, author = {Szenes, Zolt{\\'a}n}, title = {Reinforcing}, journal = {Def. Rev.}, year = 2023}
`;
const json = '[{"id": "palmer2019", "type": "article-journal", "title": "NATO", "author": [{"family": "Palmer", "given": "D."}], "issued": {"date-parts": [[2019]]}, "container-title": "Survival"}]';
const files = {
  'refs.bib': bib,
  'extra.json': json,
  'a.md': '---\nbibliography: [refs.bib, extra.json]\n---\n[@szenes2023; @palmer2019; @missing2000] and [@biscop2022new]\n',
  'b.tex': '\\documentclass{article}\n\\addbibresource{refs.bib}\n\\cite{biscop2022new}\n',
};

describe('exporting cited references', () => {
  it('copies cited BibTeX entries verbatim, with the macros they use, and writes the others from their fields', async () => {
    const { service } = serviceFor(files);
    const result = await service.exportCited(['file:///ws/a.md'], 'bibtex');
    assert.equal(result.count, 3);
    assert.deepEqual(result.missing, ['missing2000']);
    assert.ok(result.text.startsWith('@string{egm = {Egmont Institute}}\n\n'));
    assert.ok(result.text.includes("@article{szenes2023, author = {Szenes, Zolt{\\'a}n}, title = {Reinforcing}, journal = {Def. Rev.}, year = 2023}"));
    assert.ok(!result.text.includes('uncited'));
    const parsed = parseBibtex(result.text);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.value.entries.map((e) => e.key), ['szenes2023', 'palmer2019', 'biscop2022new']);
    assert.equal(parsed.value.entries[2].fields.institution, 'Egmont Institute');
    assert.equal(parsed.value.entries[1].fields.journaltitle, 'Survival');
  });

  it('brings the crossref and xdata parents of cited entries along, transitively, each once, parents last', async () => {
    const linked = `@incollection{ch, title = {Chapter}, crossref = {coll}, xdata = {pubdata}}
@incollection{other, title = {Other}, crossref = {coll}}
@collection{coll, title = {Collection}, crossref = {mvcoll}}
@mvcollection{mvcoll, title = {Works}, xdata = {pubdata}}
@xdata{pubdata, publisher = {Egmont}}
@book{unrelated, title = {Unrelated}}
`;
    const { service } = serviceFor({ 'linked.bib': linked, 'a.tex': '\\documentclass{article}\n\\addbibresource{linked.bib}\n\\cite{ch,other}\n' });
    const result = await service.exportCited(['file:///ws/a.tex'], 'bibtex');
    const parsed = parseBibtex(result.text);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.value.entries.map((e) => e.key), ['ch', 'other', 'pubdata', 'coll', 'mvcoll']);
    assert.equal(result.count, 5);
  });

  it('exports what a LaTeX root and the chapters it includes or inputs cite', async () => {
    const project = {
      'refs.bib': bib,
      'main.tex': '\\documentclass{article}\n\\addbibresource{refs.bib}\n\\cite{szenes2023}\n\\include{ch1}\n\\input{parts/ch2}\n',
      'ch1.tex': '\\cite{biscop2022new}\n',
      'parts/ch2.tex': '\\cite{uncited}\n',
    };
    const { service } = serviceFor(project);
    const result = await service.exportCited(['file:///ws/main.tex'], 'bibtex');
    assert.deepEqual(parseBibtex(result.text).value.entries.map((e) => e.key), ['szenes2023', 'biscop2022new', 'uncited']);
  });

  it('exports every entry of the scope for \\nocite{*} and nocite: "@*"', async () => {
    const drafts = {
      'refs.bib': bib,
      'all.tex': '\\documentclass{article}\n\\addbibresource{refs.bib}\n\\cite{szenes2023}\\nocite{*}\n',
      'all.md': '---\nbibliography: refs.bib\nnocite: |\n  @*\n---\nText.\n',
    };
    const { service } = serviceFor(drafts);
    for (const draft of ['all.tex', 'all.md']) {
      const result = await service.exportCited([`file:///ws/${draft}`], 'bibtex');
      assert.deepEqual(parseBibtex(result.text).value.entries.map((e) => e.key).sort(), ['biscop2022new', 'szenes2023', 'uncited'], draft);
      assert.deepEqual(result.missing, []);
    }
  });

  it('exports the citations of every draft as CSL-JSON', async () => {
    const { service } = serviceFor(files);
    const result = await service.exportCited(undefined, 'csl-json');
    const items = JSON.parse(result.text) as { id: string; title: string; _graph?: unknown }[];
    assert.deepEqual(items.map((i) => i.id).sort(), ['biscop2022new', 'palmer2019', 'szenes2023']);
    assert.ok(items.every((i) => i._graph === undefined));
    assert.equal(items.find((i) => i.id === 'szenes2023')!.title, 'Reinforcing');
  });

  it('searches entries for the pickers, with the reference of the best ones', async () => {
    const { workspace, service } = serviceFor(files);
    const choices = await service.searchEntries(workspace.openDoc('a.md'), 'szenes', 5, 1);
    assert.equal(choices[0].key, 'szenes2023');
    assert.equal(choices[0].label, 'Szenes (2023) Reinforcing');
    assert.match(choices[0].reference!, /^Szenes, Z\. \(2023\)\. Reinforcing\. \*Def\. Rev\.\*/);
  });
});
