import * as assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-types';
import { serviceFor, uriOf } from './memoryWorkspace';
import { applyEdits, showDiagnostic } from './fixture';

/**
 * What the real tools print was checked with TeX Live 2022 (pdflatex, BibTeX 0.99d, biber 2.18): see
 * `server/src/service/features/emptyKeyDiagnostics.ts`.
 */
const refs = '@book{a, author={A, A.}, title={A}, publisher={P}, year=2001}\n@book{b, author={B, B.}, title={B}, publisher={P}, year=2002}\n';
const natbib = (body: string) => `\\documentclass{article}\n\\usepackage{natbib}\n\\begin{document}\n${body}\n\\bibliography{refs}\n\\end{document}\n`;
const biblatex = (body: string) => `\\documentclass{article}\n\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n\\begin{document}\n${body}\n\\end{document}\n`;

async function check(tex: string): Promise<{ lines: string[]; fixed: string[] }> {
  const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.tex': tex });
  const doc = workspace.openDoc('paper.tex');
  const diagnostics = await service.getDiagnostics(doc);
  const actions = await service.getCodeActions(doc, diagnostics);
  const fixed = actions.map((a) => `${a.title}: ${applyEdits(tex, (a.edit?.changes?.[uriOf('paper.tex')] ?? []) as TextEdit[]).split('\n')[tex.startsWith('\\documentclass{article}\n\\usepackage{natbib}') ? 3 : 4]}`);
  return { lines: diagnostics.map((d) => showDiagnostic('paper.tex', d)), fixed };
}

describe('citation.empty-key', () => {
  it('LaTeX and BibTeX: \\citep{a,} writes \\citation{}, "Citation `\' undefined" and "I didn\'t find a database entry for """: the stray comma is reported and removed', async () => {
    const { lines, fixed } = await check(natbib('See \\citep{a,}.'));
    assert.deepEqual(lines, [`paper.tex:3:12-3:13 citation.empty-key Empty citation key: LaTeX warns "Citation \`' undefined" and BibTeX "I didn't find a database entry for """. Remove the stray comma.`]);
    assert.deepEqual(fixed, ['Remove the stray comma: See \\citep{a}.']);
  });

  it('LaTeX and BibTeX: \\cite{a,,b} and \\cite{,b} have one empty key each, removed with its comma', async () => {
    const { lines, fixed } = await check(natbib('\\cite{a,,b} \\cite{,b} \\cite{a, b}'));
    assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 2).join(' ')), ['paper.tex:3:8-3:9 citation.empty-key', 'paper.tex:3:18-3:19 citation.empty-key']);
    assert.deepEqual(fixed, ['Remove the stray comma: \\cite{a,b} \\cite{,b} \\cite{a, b}', 'Remove the stray comma: \\cite{a,,b} \\cite{b} \\cite{a, b}']);
  });

  it('an empty \\cite{} or \\cite{ } is reported on its braces, with no fix, whatever the package', async () => {
    const message = 'citation.empty-key Empty citation \\cite{}: LaTeX warns "Citation `\' undefined".';
    const natbibFound = await check(natbib('\\cite{} \\cite{ }'));
    assert.deepEqual(natbibFound.lines, [`paper.tex:3:5-3:7 ${message}`, `paper.tex:3:13-3:16 ${message}`]);
    assert.deepEqual(natbibFound.fixed, []);
    const biblatexFound = await check(biblatex('\\cite{} \\cite{ }'));
    assert.deepEqual(biblatexFound.lines, [`paper.tex:4:5-4:7 ${message}`, `paper.tex:4:13-4:16 ${message}`]);
  });

  it('biblatex drops the empty items of a list silently (\\cite{a,} cites a): nothing is reported', async () => {
    assert.deepEqual((await check(biblatex('\\cite{a,} \\parencite{a,,b}'))).lines, []);
  });

  it("biblatex reads \\nocite{*,} as a key '*' (\"Citation '*' undefined\"): reported", async () => {
    const { lines, fixed } = await check(biblatex('\\nocite{*,}'));
    assert.deepEqual(lines, [`paper.tex:4:9-4:10 citation.empty-key Stray comma beside *: biblatex reads \\nocite{*,} as a key '*' ("Citation '*' undefined"), not as every entry. Remove the stray comma.`]);
    assert.deepEqual(fixed, ['Remove the stray comma: \\nocite{*}']);
  });

  it('LaTeX: \\nocite{*,} writes \\citation{\\par }, which BibTeX rejects: reported', async () => {
    const { lines } = await check(natbib('\\nocite{*,}'));
    assert.deepEqual(lines, ['paper.tex:3:9-3:10 citation.empty-key Stray comma beside *: LaTeX writes an empty key after it, which BibTeX rejects. Remove the stray comma.']);
  });

  it('spaces around keys, \\nocite{*} and a list left open while typing are fine', async () => {
    assert.deepEqual((await check(natbib('\\cite{a, b} \\cite{ a ,\n b } \\nocite{*}'))).lines, []);
    assert.deepEqual((await check(natbib('\\cite{a,\n\nmore text'))).lines, []);
  });

  it('no fix once the comma is gone from where the diagnostic saw it', async () => {
    const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.tex': natbib('See \\citep{a,}.') });
    const diagnostics = await service.getDiagnostics(workspace.openDoc('paper.tex'));
    const edited = workspace.openDoc('paper.tex', 'latex', natbib('See \\citep{ab}.'));
    assert.deepEqual(await service.getCodeActions(edited, diagnostics), []);
  });
});

describe('citation.empty-key in Markdown', () => {
  it('@{} is pandoc\'s citation of the empty key (citeproc: "citation  not found"): reported on it, with no fix', async () => {
    const text = '---\nbibliography: refs.bib\n---\nSee @{} and [@{}; @a] and @{a}.\n';
    const { workspace, service } = serviceFor({ 'refs.bib': refs, 'paper.md': text });
    const doc = workspace.openDoc('paper.md');
    const diagnostics = await service.getDiagnostics(doc);
    const message = `citation.empty-key Empty citation key @{}: pandoc cites a key '' that no bibliography holds ("citation  not found").`;
    assert.deepEqual(diagnostics.map((d) => showDiagnostic('paper.md', d)), [`paper.md:3:4-3:7 ${message}`, `paper.md:3:13-3:16 ${message}`]);
    assert.deepEqual(await service.getCodeActions(doc, diagnostics), []);
  });
});
