import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBibtex } from '../../server/src/service/parsers/bibliography/bibtex';
import { serviceFor, uriOf } from './memoryWorkspace';
import { showDiagnostic } from './fixture';
import { realBibFiles } from '../paths';
import type { UndefinedCitationData } from '../../server/src/service/features/diagnostics';
import { defaultConfig } from '../../server/src/service/config';

/** Diagnostics of `name` (opened in the editor) as readable lines. */
async function check(fixture: string | Record<string, string>, name: string, config = {}, before: string[] = []): Promise<string[]> {
  const { workspace, service } = serviceFor(fixture, config);
  for (const other of before) await service.getDiagnostics(workspace.openDoc(other));
  return (await service.getDiagnostics(workspace.openDoc(name))).map((d) => showDiagnostic(name, d));
}

const refs = `@article{biscop2022new,
  author = {Biscop, Sven}, title = {The New Force Model}, journal = {Egmont}, year = 2022}
@report{monaghan2024nato, author = {Monaghan, Sean}, title = {Is NATO Ready?}, institution = {CSIS}, year = 2024}
`;

describe('diagnostics of drafts', () => {
  it('suggests a key defined in two bibliographies once', async () => {
    const { workspace, service } = serviceFor({ 'a.bib': refs, 'b.bib': refs, 'paper.md': '---\nbibliography: [a.bib, b.bib]\n---\nSee [@biscop2O22new].\n' });
    const found = (await service.getDiagnostics(workspace.openDoc('paper.md'))).filter((d) => d.code === 'citation.undefined');
    assert.deepEqual(found.map((d) => d.message), ["No bibliography entry for 'biscop2O22new'. Did you mean 'biscop2022new'?"]);
  });

  it('reports an undefined citation in Markdown with did-you-mean candidates in its data', async () => {
    const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.md': '---\nbibliography: refs.bib\n---\nSee [@biscop2O22new; @monaghan2024nato].\n' });
    const [d, ...rest] = await service.getDiagnostics(workspace.openDoc('paper.md'));
    assert.equal(rest.length, 0);
    assert.equal(showDiagnostic('paper.md', d), "paper.md:3:6-3:19 citation.undefined No bibliography entry for 'biscop2O22new'. Did you mean 'biscop2022new'?");
    assert.equal(d.source, 'entente');
    const data = d.data as UndefinedCitationData;
    assert.equal(data.candidates[0].key, 'biscop2022new');
    assert.equal(data.candidates[0].label, 'Biscop (2022) The New Force Model');
    assert.deepEqual(data.stub, { uri: uriOf('refs.bib'), format: 'bibtex' });
  });

  it('reports undefined LaTeX citations but not \\nocite{*} or keys in comments', async () => {
    const tex = '\\documentclass{article}\n\\addbibresource{refs.bib}\n\\nocite{*}\n% \\cite{commented}\n\\parencite[p.~3]{biscop2022new, nato2099}\n';
    assert.deepEqual(await check({ 'refs.bib': refs, 'paper.tex': tex }, 'paper.tex'), ["paper.tex:4:32-4:40 citation.undefined No bibliography entry for 'nato2099'."]);
  });

  it('reports a citation of a biblatex @xdata entry as undefined (biber leaves it out, pandoc finds no such citation), saying what it is', async () => {
    const bib = '@xdata{pubdata, publisher = {Oxford University Press}}\n@book{real, author = {Doe, Jane}, title = {A Real Book}, year = 2020, xdata = {pubdata}}\n';
    const tex = '\\documentclass{article}\n\\addbibresource{refs.bib}\n\\cite{real, pubdata}\n';
    const { workspace, service } = serviceFor({ 'refs.bib': bib, 'paper.tex': tex });
    const found = await service.getDiagnostics(workspace.openDoc('paper.tex'));
    assert.deepEqual(found.map((d) => showDiagnostic('paper.tex', d)), [
      "paper.tex:2:12-2:19 citation.undefined 'pubdata' is a biblatex @xdata entry (refs.bib:1): it only holds fields that entries with xdata = {pubdata} inherit, and cannot be cited.",
    ]);
    // No quick fix adds a stub: it would be a second entry with the same key.
    assert.equal((found[0].data as UndefinedCitationData).stub, undefined);
  });

  it('reports a missing bibliography once, counting the citations it leaves unchecked, instead of one error per citation', async () => {
    const md = '---\nbibliography:\n  - refs.bib\n  - missing.bib\n---\n[@biscop2022new; @smith2020; @jones2021] and [@smith2020]\n';
    assert.deepEqual(await check({ 'refs.bib': refs, 'paper.md': md }, 'paper.md'), [
      'paper.md:3:4-3:15 bibliography.not-found Bibliography missing.bib does not exist. 2 cited keys are in no other bibliography of this draft and cannot be checked until it is read.',
    ]);
    // Found again, the bibliography's keys are checked one by one.
    const found = await check({ 'refs.bib': refs, 'missing.bib': '@book{smith2020, title={S}, publisher={P}, author={Smith, A.}, year=2020}', 'paper.md': md }, 'paper.md');
    assert.deepEqual(found.map((l) => l.split(' ').slice(1, 2).join()), ['citation.undefined']);
  });

  it("reports a bibliography that _quarto.yml declares and that does not exist once, on _quarto.yml's declaration, when checking", async () => {
    const fixture = {
      'book/_quarto.yml': 'project:\n  type: book\nbibliography: references.bib\n',
      'book/intro.qmd': 'See [@a].\n',
      'book/methods.qmd': 'See [@b].\n',
    };
    const { service } = serviceFor(fixture);
    const results = await service.checkFiles(['file:///ws']);
    const quarto = (results.get(uriOf('book/_quarto.yml')) ?? []).map((d) => showDiagnostic('book/_quarto.yml', d));
    assert.deepEqual(quarto, ['book/_quarto.yml:2:14-2:28 bibliography.not-found Bibliography book/references.bib does not exist.']);
  });

  it('reports the same on an open _quarto.yml or _metadata.yml in the editor, whether a draft was checked or not', async () => {
    const fixture = {
      'book/_quarto.yml': 'project:\n  type: book\nbibliography:\n  - references.bib\n  - missing.bib\n',
      'book/references.bib': refs,
      'book/part/_metadata.yml': 'bibliography: ../gone.json\n',
      'book/intro.qmd': 'See [@biscop2022new].\n',
    };
    const expected = {
      'book/_quarto.yml': ['book/_quarto.yml:4:4-4:15 bibliography.not-found Bibliography book/missing.bib does not exist.'],
      'book/part/_metadata.yml': ['book/part/_metadata.yml:0:14-0:26 bibliography.not-found Bibliography book/gone.json does not exist.'],
    };
    for (const [name, lines] of Object.entries(expected)) {
      const { workspace, service } = serviceFor(fixture);
      const doc = workspace.openDoc(name, 'yaml');
      assert.deepEqual((await service.getDiagnostics(doc)).map((d) => showDiagnostic(name, d)), lines);
      const checked = await service.checkFiles(['file:///ws']);
      assert.deepEqual((checked.get(uriOf(name)) ?? []).map((d) => showDiagnostic(name, d)), lines);
      assert.deepEqual((await service.getDiagnostics(doc)).map((d) => showDiagnostic(name, d)), lines);
    }
    // Found, it is no longer reported.
    const { workspace, service } = serviceFor({ ...fixture, 'book/missing.bib': '@book{other, title = {O}}\n' });
    assert.deepEqual(await service.getDiagnostics(workspace.openDoc('book/_quarto.yml', 'yaml')), []);
  });

  it("does not report a reference to a label a macro of the project's own package makes (\\label{clip\\theclip})", async () => {
    const fixture = {
      'doc/pdfwidgets.sty': '\\newcounter{clip}\n\\def\\includeclip#1{\\refstepcounter{clip}\\label{clip\\theclip}\\includegraphics{#1}}\n',
      'doc/manual.tex': '\\documentclass{article}\n\\usepackage{pdfwidgets}\n\\begin{document}\nSee Clip~\\ref{clip1} and \\ref{sec:none}.\n\\includeclip{a.pdf}\n\\end{document}\n',
    };
    assert.deepEqual(await check(fixture, 'doc/manual.tex'), ["doc/manual.tex:3:30-3:38 crossref.undefined No label 'sec:none' in this LaTeX project."]);
  });

  it('reads a subfile (\\documentclass[../main.tex]{subfiles}) with its main document: its bibliographies and labels', async () => {
    const fixture = {
      'refs.bib': refs,
      'other.bib': '@book{elsewhere, title={E}, publisher={P}, author={O, A.}, year=2020}\n',
      'main.tex': '\\documentclass{article}\n\\usepackage{subfiles}\n\\addbibresource{refs.bib}\n\\begin{document}\n\\section{Main}\\label{sec:main}\n\\subfile{chapters/intro}\n\\end{document}\n',
      'chapters/intro.tex': '\\documentclass[../main.tex]{subfiles}\n\\begin{document}\nAs in \\cite{biscop2022new} and \\cite{elsewhere}, see \\ref{sec:main}.\n\\end{document}\n',
    };
    // Alone it would see every bibliography of the workspace (and no label): with its main document, only refs.bib.
    assert.deepEqual(await check(fixture, 'chapters/intro.tex'), ["chapters/intro.tex:2:37-2:46 citation.undefined No bibliography entry for 'elsewhere'."]);
  });

  it("accepts a reference to a plot of a multi-plot cell (@fig-map-1 of a cell labelled fig-map), not to another figure's", async () => {
    const qmd = '```{r fig-map}\nplot(1); plot(2)\n```\n```{python}\n#| label: fig-trend\nplot()\n```\nSee @fig-map-1, @fig-map-2, @fig-trend-1 and @fig-other-1.\n';
    assert.deepEqual(await check({ 'paper.qmd': qmd }, 'paper.qmd'), ["paper.qmd:7:46-7:57 crossref.undefined No label 'fig-other-1' in this document."]);
  });

  it('reports a declared bibliography that does not exist on its declaration', async () => {
    const md = '---\nbibliography:\n  - refs.bib\n  - missing.bib\n---\n[@biscop2022new]\n';
    assert.deepEqual(await check({ 'refs.bib': refs, 'paper.md': md }, 'paper.md'), [
      'paper.md:3:4-3:15 bibliography.not-found Bibliography missing.bib does not exist.',
    ]);
  });

  it('reports LaTeX references to labels defined nowhere in the project, with a did-you-mean', async () => {
    const fixture = `
%! main.tex
\\documentclass{article}
\\input{chapters/one}
See Section~\\ref{sec:intro} and \\cref{sec:methods,fig:tiers}.
%! chapters/one.tex
\\section{Introduction}\\label{sec:intro}
\\begin{figure}\\label{fig:tier}\\end{figure}`;
    assert.deepEqual(await check(fixture, 'main.tex'), [
      "main.tex:2:38-2:49 crossref.undefined No label 'sec:methods' in this LaTeX project.",
      "main.tex:2:50-2:59 crossref.undefined No label 'fig:tiers' in this LaTeX project. Did you mean 'fig:tier'?",
    ]);
  });

  it('reports a label defined twice across the files of a LaTeX project', async () => {
    const fixture = `
%! main.tex
\\documentclass{article}
\\input{one}
\\section{A}\\label{sec:a}
%! one.tex
\\section{B}\\label{sec:a}`;
    const lines = await check(fixture, 'main.tex');
    assert.deepEqual(lines, ["main.tex:2:18-2:23 crossref.duplicate-label Label 'sec:a' is defined 2 times."]);
  });

  it('reports Quarto cross-references to missing figures', async () => {
    const md = '# Intro {#sec-intro}\n\nSee @fig-nfm-tier and @sec-intro.\n\n![Tiers](t.png){#fig-nfm-tiers}\n';
    assert.deepEqual(await check({ 'paper.qmd': md }, 'paper.qmd'), [
      "paper.qmd:2:5-2:17 crossref.undefined No label 'fig-nfm-tier' in this document. Did you mean 'fig-nfm-tiers'?",
    ]);
  });

  it('finds no false positive in the example drafts but their deliberate mistakes', async () => {
    const dir = path.join(__dirname, '..', '..', '..', 'examples', 'nfm-paper');
    const files: Record<string, string> = {};
    for (const f of fs.readdirSync(dir)) files[f] = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.deepEqual(
      (await check(files, 'paper.md')).map((l) => l.replace(/ (No |").*/, '')),
      ['paper.md:94:35-94:51 citation.undefined', 'paper.md:25:4-25:8 glossary.first-use'],
    );
    assert.deepEqual(
      (await check(files, 'paper.tex')).map((l) => l.replace(/ No .*/, '')),
      ['paper.tex:80:11-80:24 citation.undefined'],
    );
  });
});

describe('diagnostics of bibliographies', () => {
  it('reports syntax errors at their place and keeps the entries after them', async () => {
    const bib = '@book{a, title = {A}, publisher = {P}, author = {X}, year = 2000}\n@book{b, title = {Unclosed, year = 2001\n@book{c, title = {C}, publisher = {P}, author = {Y}, year = 2002}\n';
    const { workspace, service } = serviceFor({ 'refs.bib': bib });
    const lines = (await service.getDiagnostics(workspace.openDoc('refs.bib'))).map((d) => showDiagnostic('refs.bib', d));
    assert.ok(lines.some((l) => l.startsWith('refs.bib:1:17-1:18 bib.syntax')), lines.join('\n'));
    const status = await service.getDocumentStatus(workspace.openDoc('x.md', 'markdown', '[@c]'));
    assert.equal(status.entries, 3);
  });

  it('reports a key defined twice in one file, pointing at the first', async () => {
    const bib = `@book{dup, author = {A}, title = {One}, publisher = {P}, year = 2000}\n@book{dup, author = {B}, title = {Two}, publisher = {P}, year = 2001}\n`;
    const { workspace, service } = serviceFor({ 'refs.bib': bib });
    const [d] = await service.getDiagnostics(workspace.openDoc('refs.bib'));
    assert.equal(showDiagnostic('refs.bib', d), "refs.bib:1:6-1:9 bib.duplicate-key Duplicate key 'dup': also defined on line 1.");
    assert.deepEqual(d.relatedInformation?.map((r) => `${r.location.uri} ${r.location.range.start.line}`), [`${uriOf('refs.bib')} 0`]);
  });

  it('reports a key defined in both a .bib and a CSL-JSON file of one scope', async () => {
    const fixture = {
      'paper.md': '---\nbibliography: [refs.bib, extra.json]\n---\n[@biscop2022new]\n',
      'refs.bib': refs,
      'extra.json': '[\n  {"id": "biscop2022new", "type": "report", "title": "Copy", "author": [{"family": "Biscop"}], "publisher": "Egmont", "issued": {"date-parts": [[2022]]}}\n]\n',
    };
    const lines = await check(fixture, 'extra.json', {}, ['paper.md']);
    assert.deepEqual(lines, ["extra.json:1:10-1:23 bib.duplicate-key Duplicate key 'biscop2022new': also defined in refs.bib."]);
  });

  it('warns about entries missing what their type needs, unless turned off', async () => {
    const bib = '@article{a, author = {X}, title = {T}, year = 2020}\n@book{b, author = {Y}, title = {B}, publisher = {P}, date = {2001}}\n';
    assert.deepEqual(await check({ 'refs.bib': bib }, 'refs.bib'), ["refs.bib:0:9-0:10 bib.missing-field @article 'a' has no journal or journaltitle: the reference will be incomplete."]);
    assert.deepEqual(await check({ 'refs.bib': bib }, 'refs.bib', { missingFieldDiagnostics: false }), []);
  });
});

describe('what is a draft', () => {
  const template = [
    '\\documentclass{article}',
    '$if(bibliography)$',
    '\\bibliography{$for(bibliography)$$bibliography$$sep$,$endfor$}',
    '$endif$',
    '\\nocite{$for(nocite-ids)$$it$$sep$, $endfor$}',
    '\\begin{document}$body$\\end{document}',
  ].join('\n');

  it('does not check a pandoc template (pandoc -D latex), whose \\bibliography names no file', async () => {
    assert.deepEqual(await check({ 'refs.bib': refs, 'template.tex': template }, 'template.tex'), []);
    // LaTeX math with dollars is no template: the same paper without the control words is checked.
    const paper = '\\documentclass{article}\n\\bibliography{missing}\nLet $x$ be $if$ and $y$.\n\\cite{nokey}\n';
    assert.deepEqual((await check({ 'paper.tex': paper }, 'paper.tex')).map((l) => l.split(' ')[1]), ['bibliography.not-found']);
  });

  it("does not report a README's or a changelog's thanks to @someone, in a folder that declares no bibliography", async () => {
    const fixture = { 'refs.bib': refs, 'README.md': '# Tool\n\nThanks [@ArcoMul](https://github.com/ArcoMul) and @guillerodriguez.\n', 'CHANGELOG.md': '- Fixed (thanks @guillerodriguez)\n' };
    assert.deepEqual(await check(fixture, 'README.md'), []);
    assert.deepEqual(await check(fixture, 'CHANGELOG.md'), []);
  });

  it('reports undefined citations of a Markdown file that declares a bibliography, is Quarto, or cites a key that exists', async () => {
    const typo = "citation.undefined No bibliography entry for 'biscop2O22new'.";
    const lines = async (files: Record<string, string>, name: string) => (await check({ 'refs.bib': refs, ...files }, name)).map((l) => l.slice(l.indexOf(' ') + 1).replace(/ Did you mean.*$/, ''));
    assert.deepEqual(await lines({ 'a.md': '---\nbibliography: refs.bib\n---\nSee [@biscop2O22new].\n' }, 'a.md'), [typo]);
    // Naming no bibliography, they see the workspace's as a guess: a missing key there is said as such (a warning).
    const guessed = "citation.undefined No bibliography entry for 'biscop2O22new' in the workspace's bibliographies (this draft names none, so the one its build uses is not known).";
    assert.deepEqual(await lines({ 'a.qmd': 'See [@biscop2O22new].\n' }, 'a.qmd'), [guessed]);
    assert.deepEqual(await lines({ 'a.md': 'See [@monaghan2024nato; @biscop2O22new].\n' }, 'a.md'), [guessed]);
    const { workspace, service } = serviceFor({ 'refs.bib': refs, 'a.qmd': 'See [@biscop2O22new].\n' });
    assert.deepEqual((await service.getDiagnostics(workspace.openDoc('a.qmd'))).map((d) => d.severity), [2]);
    assert.deepEqual(await lines({ 'a.md': 'See [@biscop2O22new].\n' }, 'a.md'), []);
  });

  it('does not check the files of entente.files.exclude: Quarto extensions and changelogs by default, and what the user adds', async () => {
    const fixture = {
      'refs.bib': refs,
      '_extensions/journal/partials/title.tex': '\\cite{nokey}\n',
      'CHANGELOG.md': '---\nbibliography: refs.bib\n---\n[@nokey]\n',
      'drafts/old.md': '---\nbibliography: ../refs.bib\n---\n[@nokey]\n',
      'paper.md': '---\nbibliography: refs.bib\n---\n[@nokey]\n',
    };
    const checked = async (config = {}) => {
      const { service } = serviceFor(fixture, config);
      const results = await service.checkFiles(['file:///ws']);
      return [...results].filter(([, ds]) => ds.some((d) => d.code === 'citation.undefined')).map(([uri]) => uri.replace('file:///ws/', '')).sort();
    };
    assert.deepEqual(await checked(), ['drafts/old.md', 'paper.md']);
    // A value of the setting replaces the defaults, as in VS Code.
    assert.deepEqual(await checked({ excludeFiles: [...defaultConfig.excludeFiles, 'drafts/**'] }), ['paper.md']);
    assert.deepEqual(await checked({ excludeFiles: [] }), ['CHANGELOG.md', '_extensions/journal/partials/title.tex', 'drafts/old.md', 'paper.md']);
    const { workspace, service } = serviceFor(fixture);
    assert.deepEqual(await service.getDiagnostics(workspace.openDoc('_extensions/journal/partials/title.tex')), []);
    assert.equal(service.isExcluded(uriOf('CHANGELOG.md')), true);
    assert.equal(service.isExcluded(uriOf('paper.md')), false);
  });
});

describe('checking a workspace', () => {
  it('reports entries nothing cites when asked, honouring \\nocite and nocite:', async () => {
    const fixture = {
      'a.md': '---\nbibliography: refs.bib\nnocite: |\n  @monaghan2024nato\n---\ntext\n',
      'refs.bib': refs + '@misc{lonely, title = {L}}\n',
    };
    const { service } = serviceFor(fixture);
    const results = await service.checkFiles(['file:///ws'], { unused: true });
    const lines = [...results].flatMap(([uri, ds]) => ds.map((d) => showDiagnostic(uri.replace('file:///ws/', ''), d)));
    assert.deepEqual(lines, ["refs.bib:0:9-0:22 citation.unused-entry 'biscop2022new' is not cited by any draft.", "refs.bib:3:6-3:12 citation.unused-entry 'lonely' is not cited by any draft."]);
  });

  it('checks a named CSL-JSON file, but under a folder only the .json files a draft loads', async () => {
    const { service } = serviceFor({ 'a.md': '---\nbibliography: refs.bib\n---\n', 'refs.bib': refs, 'data.json': '{"not": "csl"}', 'sub/notes.log': 'x' });
    const names = (t: { drafts: string[]; bibliographies: string[]; glossaries: string[] }) => [...t.drafts, ...t.bibliographies, ...t.glossaries].map((u) => u.replace('file:///ws/', ''));
    assert.deepEqual(names(await service.checkTargets('file:///ws')), ['a.md', 'refs.bib']);
    assert.deepEqual(names(await service.checkTargets(uriOf('data.json'))), ['data.json']);
    assert.deepEqual(names(await service.checkTargets('file:///ws/sub')), []);
    assert.deepEqual(names(await service.checkTargets(uriOf('sub/notes.log'))), []);
  });

  it('indexes a folder with the same bibliography problems as checking it, at the same places', async () => {
    const fixture = {
      'a.md': '---\nbibliography: [refs.bib, missing.bib]\n---\n[@biscop2022new]\n',
      'b.tex': '\\addbibresource{gone.bib}\n',
      'refs.bib': refs + '@book{biscop2022new, title = {Again}}\n',
    };
    const lines = (results: Map<string, import('vscode-languageserver-types').Diagnostic[]>, codes: RegExp) =>
      [...results].flatMap(([uri, ds]) => ds.filter((d) => codes.test(String(d.code))).map((d) => showDiagnostic(uri.replace('file:///ws/', ''), d))).sort();
    const indexed = (await serviceFor(fixture).service.indexFolder('file:///ws', { problems: true })).problems;
    const checked = await serviceFor(fixture).service.checkFiles(['file:///ws']);
    const bibliographyCodes = /^(bib|bibliography)\./;
    assert.deepEqual(lines(indexed, /./), lines(checked, bibliographyCodes));
    assert.deepEqual(
      lines(indexed, /^bibliography\./),
      ['a.md:1:25-1:36 bibliography.not-found Bibliography missing.bib does not exist.', 'b.tex:0:16-0:24 bibliography.not-found Bibliography gone.bib does not exist.'],
    );
    assert.ok(lines(indexed, /duplicate-key/).length > 0);
  });

  it('finds no undefined citation in a draft citing every key of each real bibliography', async function () {
    this.timeout(120000);
    for (const bib of realBibFiles()) {
      const file = path.basename(bib);
      const text = fs.readFileSync(bib, 'utf8');
      const keys = [...new Set(parseBibtex(text).value.entries.map((e) => e.key))];
      const tex = `\\documentclass{article}\n\\addbibresource{${file}}\n${keys.map((k) => `\\cite{${k}}`).join('\n')}\n`;
      const { workspace, service } = serviceFor({ [file]: text, 'main.tex': tex });
      const undefinedKeys = (await service.getDiagnostics(workspace.openDoc('main.tex'))).filter((d) => d.code === 'citation.undefined');
      assert.deepEqual(undefinedKeys.map((d) => d.message), [], file);
    }
  });
});

describe('bibliographies that are never read', () => {
  it('a declared file without extension (/etc/passwd, ~/.ssh/id_rsa) or on another machine is reported, not read', async () => {
    const text = '---\nbibliography: [/etc/passwd, ~/.ssh/id_rsa, //host/share/refs.bib, "\\\\\\\\host\\\\share\\\\x.bib", file://host/y.bib]\n---\nSee @root.\n';
    const { workspace, service } = serviceFor({ 'paper.md': text });
    workspace.files.set('file:///etc/passwd', '@misc{root, title={Secret}}\n');
    const found = await service.getDiagnostics(workspace.openDoc('paper.md'));
    assert.deepEqual(found.map((d) => `${d.code} ${String(d.message).replace(/\. 1 cited key.*$/, '.')}`), [
      'bibliography.unreadable Bibliography /etc/passwd has no extension: a bibliography file ends in .bib, .json, .yaml or .ris.',
      'bibliography.unreadable Bibliography /home/writer/.ssh/id_rsa has no extension: a bibliography file ends in .bib, .json, .yaml or .ris.',
      'bibliography.unreadable Bibliography //host/share/refs.bib is on another machine (a network path): not read.',
      'bibliography.unreadable Bibliography //host/share/x.bib is on another machine (a network path): not read.',
      'bibliography.unreadable Bibliography //host/y.bib is on another machine (a network path): not read.',
    ]);
    assert.ok(!workspace.reads.some((u) => u.includes('passwd') || u.includes('host')), workspace.reads.join(', '));
  });
});
