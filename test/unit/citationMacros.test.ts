import * as assert from 'node:assert/strict';
import type { Location } from 'vscode-languageserver-types';
import { serviceFor } from './memoryWorkspace';
import { applyEdits, cursor, files as splitFiles, showDiagnostic, showRange } from './fixture';

/**
 * A project whose citation macros are defined in three places: the root's preamble, an `\input` file of
 * macros, and a package beside the root; a chapter uses them all.
 */
const project = String.raw`
%! refs.bib
@article{biscop2022new, author = {Biscop, Sven}, title = {The New Force Model}, journal = {Egmont}, year = 2022}
@book{other2020, author = {Other, A.}, title = {Other Book}, publisher = {P}, year = 2020}
%! appendix.bib
@misc{dataset2021, author = {Data, D.}, title = {A Dataset}, year = 2021}
%! main.tex
\documentclass{article}
\usepackage{natbib,multibib,paper}
\input{macros}
\def\citeapos#1{\citeauthor{#1}'s (\citeyear{#1})}
\newcites{app}{Appendix references}
\begin{document}
\input{chapter}
\bibliographystyle{plainnat}
\bibliography{refs}
\bibliographystyleapp{plainnat}
\bibliographyapp{appendix}
\end{document}
%! macros.tex
\newcommand*\pcite[2][]{\citep[#1]{#2}}
%! paper.sty
\NewDocumentCommand{\seecite}{o m}{see \citet[#1]{#2}}
%! chapter.tex
\citeapos{biscop2022new} and \pcite[p.~3]{other2020}, \seecite{nato2099}; data: \citepapp{dataset2021}.
`;

const show = (locations: Location[] | undefined) => (locations ?? []).map((l) => `${l.uri.replace('file:///ws/', '')}:${showRange(l.range)}`).sort();

function at(name: string, replace: [string, string], fixture = project) {
  const all = Object.fromEntries(splitFiles(fixture));
  const { text, position } = cursor(all[name].replace(...replace));
  const { workspace, service } = serviceFor({ ...all, [name]: text });
  return { doc: workspace.openDoc(name), position, service, workspace, all };
}

describe('citation macros of a LaTeX project, through the service', () => {
  it("checks the keys of macros defined in the root's preamble, an \\input file and a package beside the root", async () => {
    const { workspace, service } = serviceFor(project);
    const found = (await service.getDiagnostics(workspace.openDoc('chapter.tex'))).map((d) => showDiagnostic('chapter.tex', d));
    assert.deepEqual(found, ["chapter.tex:0:63-0:71 citation.undefined No bibliography entry for 'nato2099'."]);
  });

  it('multibib: \\bibliographyapp{appendix} is a bibliography of the project, and \\citepapp cites from it', async () => {
    const { workspace, service } = serviceFor(project.replace('\\citepapp{dataset2021}', '\\citepapp{dataset2021, nothere}'));
    const found = (await service.getDiagnostics(workspace.openDoc('chapter.tex'))).map((d) => d.message);
    assert.deepEqual(found, ["No bibliography entry for 'nato2099'.", "No bibliography entry for 'nothere'. Did you mean 'other2020'?"]);
  });

  it('a .bib nothing declares but \\bibliographyapp, without \\newcites, is no bibliography of the project', async () => {
    const { workspace, service } = serviceFor(project.replace('\\newcites{app}{Appendix references}', ''));
    const found = (await service.getDiagnostics(workspace.openDoc('chapter.tex'))).map((d) => d.message);
    // Without \newcites, \citepapp is no citation either: only the other macros' keys are checked.
    assert.deepEqual(found, ["No bibliography entry for 'nato2099'."]);
  });

  it('completes keys inside a macro defined in another file of the project', async () => {
    const { service, doc, position } = at('chapter.tex', ['\\pcite[p.~3]{other2020}', '\\pcite[p.~3]{oth|}']);
    const items = (await service.getCompletions(doc, position))?.items.map((i) => i.label);
    assert.ok(items?.includes('other2020'), JSON.stringify(items));
  });

  it('hovers the key of a macro defined in a package beside the root', async () => {
    const { service, doc, position } = at('chapter.tex', ['\\citeapos{biscop2022new}', '\\citeapos{bis|cop2022new}']);
    const hover = await service.getHover(doc, position);
    assert.match(JSON.stringify(hover?.contents), /New Force Model/);
  });

  it("goes from a macro's key to its entry", async () => {
    const { service, doc, position } = at('chapter.tex', ['\\seecite{nato2099}', '\\seecite{other|2020}']);
    assert.deepEqual(show(await service.getDefinition(doc, position)), ['refs.bib:1:6-1:15']);
  });

  it("finds and renames a key cited through macros, in every file, from the .bib entry", async () => {
    const { service, doc, position, all } = at('refs.bib', ['@book{other2020', '@book{oth|er2020']);
    assert.deepEqual(show(await service.getReferences(doc, position, false)), ['chapter.tex:0:42-0:51']);
    const edit = await service.rename(doc, position, 'other2021');
    const renamed = Object.entries(edit?.changes ?? {}).map(([uri, edits]) => applyEdits(all[uri.replace('file:///ws/', '')], edits));
    assert.ok(renamed.some((t) => t.includes('\\pcite[p.~3]{other2021}')), renamed.join('\n'));
    assert.ok(renamed.some((t) => t.includes('@book{other2021')), renamed.join('\n'));
  });

  it('a macro added to the preamble is learned by an open chapter at its next check', async () => {
    const { workspace, service } = serviceFor(project.replace('\\input{macros}', '').replace('{other2020}', '{missing}'));
    const chapter = workspace.openDoc('chapter.tex');
    assert.deepEqual((await service.getDiagnostics(chapter)).map((d) => d.message), ["No bibliography entry for 'nato2099'."]);
    const main = workspace.files.get('file:///ws/main.tex')!.replace('\\begin{document}', '\\newcommand*\\pcite[2][]{\\citep[#1]{#2}}\n\\begin{document}');
    workspace.openDoc('main.tex', 'latex', main);
    assert.deepEqual((await service.getDiagnostics(chapter)).map((d) => d.message), ["No bibliography entry for 'missing'.", "No bibliography entry for 'nato2099'."]);
  });

  it('checks every key a real paper cites through its own macros, and reports their unused entries truly', async () => {
    const { service } = serviceFor(project);
    const results = await service.checkFiles(['file:///ws'], { unused: true });
    const lines = [...results].flatMap(([uri, ds]) => ds.map((d) => showDiagnostic(uri.replace('file:///ws/', ''), d)));
    assert.deepEqual(lines, ["chapter.tex:0:63-0:71 citation.undefined No bibliography entry for 'nato2099'."]);
  });
});

describe('verbatim environments a LaTeX project defines', () => {
  it('hide what they hold from citations and cross-references, wherever they are defined (quarto-journals/elsevier: vquote in a .sty)', async () => {
    const fixture = {
      'refs.bib': '@book{a, author = {A, B.}, title = {T}, publisher = {P}, year = 2000}\n',
      'style.sty': '\\RequirePackage{moreverb}\n\\newenvironment{vquote}%\n    {\\medskip\n     \\verbatimwrite{tmp.tex}}\n    {\\endverbatimwrite}\n',
      'main.tex': [
        '\\documentclass{article}',
        '\\usepackage{style,fancyvrb,listings}',
        '\\DefineVerbatimEnvironment{code}{Verbatim}{fontsize=\\small}',
        '\\lstnewenvironment{py}{\\lstset{language=Python}}{}',
        '\\newenvironment{note}{\\begin{quote}}{\\end{quote}}',
        '\\begin{document}',
        '\\begin{vquote}\n\\ref{thm2} \\cite{nokey1}\n\\end{vquote}',
        '\\begin{code}\n\\cite{nokey2}\n\\end{code}',
        '\\begin{py}\n\\ref{nolabel}\n\\end{py}',
        '\\begin{note}\n\\cite{nokey3} \\ref{missing}\n\\end{note}',
        '\\cite{a}\\bibliography{refs}',
        '\\end{document}',
      ].join('\n'),
    };
    const { workspace, service } = serviceFor(fixture);
    const found = await service.getDiagnostics(workspace.openDoc('main.tex'));
    assert.deepEqual(found.map((d) => `${d.code} ${String(d.message).split('.')[0]}`), ["citation.undefined No bibliography entry for 'nokey3'", "crossref.undefined No label 'missing' in this LaTeX project"]);
  });
});
