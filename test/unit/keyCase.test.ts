import * as assert from 'node:assert/strict';
import { serviceFor } from './memoryWorkspace';
import { cursor, showDiagnostic, showRange } from './fixture';

/**
 * Keys that differ only in case, as the real tools treat them (checked with TeX Live 2022's BibTeX 0.99d
 * and biber 2.18 on a two-entry `.bib`):
 * - BibTeX: `@article{Ok,...}` then `@article{ok,...}` is "Repeated entry---line 2 of file refs.bib" (an error,
 *   the second entry skipped); `\cite{ok}` with only `Ok` defined resolves, silently (`\bibitem{ok}`, no warning).
 * - biber: both entries kept, "WARN - Possible typo (case mismatch) between datasource keys: 'ok' and 'Ok'",
 *   cited or not; `\cite{ok}` with only `Ok` is "I didn't find a database entry for 'ok'", and undefined in LaTeX.
 * - BibTeX again: `\cite{ok} and \cite{Ok}` is "Case mismatch error between cite keys Ok and ok": the `.bbl` holds
 *   `\bibitem{ok}` only, and LaTeX warns "Citation `Ok' on page 1 undefined".
 * - pandoc: keys are case-sensitive; nothing to say.
 */
const twins = '@article{Ok, author={A, A.}, title={Upper}, journal={J}, year=2001}\n@article{ok, author={B, B.}, title={Lower}, journal={J}, year=2002}\n';
const upperOnly = '@article{Ok, author={A, A.}, title={Upper}, journal={J}, year=2001}\n';
const bibtexTex = (body: string) => `\\documentclass{article}\n\\usepackage{natbib}\n\\begin{document}\n${body}\n\\bibliography{refs}\n\\end{document}\n`;
const biberTex = (body: string) => `\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n\\begin{document}\n${body}\n\\end{document}\n`;
const markdown = (body: string) => `---\nbibliography: refs.bib\n---\n${body}\n`;

/** `entente check` over the workspace: every finding, as readable lines. */
async function checkAll(files: Record<string, string>): Promise<string[]> {
  const { service } = serviceFor(files);
  const results = await service.checkFiles(['file:///ws']);
  return [...results].flatMap(([uri, ds]) => ds.map((d) => showDiagnostic(uri.replace('file:///ws/', ''), d)));
}

describe('keys that differ only in case', () => {
  it('BibTeX project: the second of Ok and ok is reported, as BibTeX reports "Repeated entry", with the twin as related information', async () => {
    const { service } = serviceFor({ 'refs.bib': twins, 'paper.tex': bibtexTex('\\citep{Ok}') });
    const results = await service.checkFiles(['file:///ws']);
    const [d, ...rest] = results.get('file:///ws/refs.bib') ?? [];
    assert.equal(rest.length, 0);
    assert.equal(showDiagnostic('refs.bib', d), `refs.bib:1:9-1:11 bib.case-duplicate Key 'ok' differs from 'Ok' (line 1) only in case: BibTeX reads them as one key and skips this entry ("Repeated entry").`);
    assert.equal(d.severity, 2);
    assert.deepEqual(d.relatedInformation?.map((r) => `${r.location.uri} ${showRange(r.location.range)} ${r.message}`), ["file:///ws/refs.bib 0:9-0:11 'Ok' defined here"]);
  });

  it('biber project: reported as biber warns ("Possible typo (case mismatch)")', async () => {
    assert.deepEqual(await checkAll({ 'refs.bib': twins, 'paper.tex': biberTex('\\cite{Ok}') }), [
      `refs.bib:1:9-1:11 bib.case-duplicate Key 'ok' differs from 'Ok' (line 1) only in case: biber warns "Possible typo (case mismatch)", and a citation of one is easily meant for the other.`,
    ]);
  });

  it('a .bib only Markdown drafts read is not reported: pandoc keeps Ok and ok apart', async () => {
    assert.deepEqual(await checkAll({ 'refs.bib': twins, 'paper.md': markdown('See [@Ok] and [@ok].') }), []);
  });

  it('a .bib that a Markdown draft and a BibTeX project both read is reported', async () => {
    const lines = await checkAll({ 'refs.bib': twins, 'paper.md': markdown('See [@Ok].'), 'paper.tex': bibtexTex('\\citep{Ok}') });
    assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 2).join(' ')), ['refs.bib:1:9-1:11 bib.case-duplicate']);
  });

  it('a .bib open with no draft known to read it is reported for both programs', async () => {
    const { workspace, service } = serviceFor({ 'refs.bib': twins });
    const lines = (await service.getDiagnostics(workspace.openDoc('refs.bib'))).map((d) => showDiagnostic('refs.bib', d));
    assert.deepEqual(lines, [`refs.bib:1:9-1:11 bib.case-duplicate Key 'ok' differs from 'Ok' (line 1) only in case: BibTeX skips this entry ("Repeated entry"), biber warns of a possible typo.`]);
  });

  it('the same key twice is bib.duplicate-key, not a case duplicate', async () => {
    const lines = await checkAll({ 'refs.bib': upperOnly + upperOnly.replace('Upper', 'Again'), 'paper.tex': bibtexTex('\\citep{Ok}') });
    assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 2).join(' ')), ['refs.bib:1:9-1:11 bib.duplicate-key']);
  });
});

describe('citations whose key differs from the entry in case', () => {
  it('BibTeX project: \\cite{ok} with only Ok defined resolves, as BibTeX resolves it silently', async () => {
    assert.deepEqual(await checkAll({ 'refs.bib': upperOnly, 'paper.tex': bibtexTex('\\citep{ok}') }), []);
  });

  it('biber project: \\cite{ok} with only Ok defined is undefined, as biber leaves it', async () => {
    assert.deepEqual(await checkAll({ 'refs.bib': upperOnly, 'paper.tex': biberTex('\\cite{ok}') }), [
      "paper.tex:4:6-4:8 citation.undefined No bibliography entry for 'ok'. Did you mean 'Ok'?",
    ]);
  });

  it('Markdown: [@ok] with only Ok defined is undefined (pandoc keys are case-sensitive)', async () => {
    assert.deepEqual(await checkAll({ 'refs.bib': upperOnly, 'paper.md': markdown('See [@ok].') }), [
      "paper.md:3:6-3:8 citation.undefined No bibliography entry for 'ok'. Did you mean 'Ok'?",
    ]);
  });

  it('BibTeX project: a key cited in two spellings leaves the later undefined ("Case mismatch error between cite keys"); the fix is the first spelling', async () => {
    const tex = bibtexTex('\\citep{ok} and later \\citet{Ok}, \\citet{ok}.');
    const { workspace, service } = serviceFor({ 'refs.bib': upperOnly, 'paper.tex': tex });
    const doc = workspace.openDoc('paper.tex');
    const diagnostics = await service.getDiagnostics(doc);
    assert.deepEqual(diagnostics.map((d) => showDiagnostic('paper.tex', d)), [
      `paper.tex:3:28-3:30 citation.undefined 'Ok' was cited as 'ok' on line 4: BibTeX keeps the first spelling and leaves this one undefined ("Case mismatch error between cite keys").`,
    ]);
    const [fix] = await service.getCodeActions(doc, diagnostics);
    assert.equal(fix.title, 'Change to ok — A (2001) Upper');
  });

  it('biber project: two spellings are two keys; only the undefined one is reported', async () => {
    assert.deepEqual(await checkAll({ 'refs.bib': upperOnly, 'paper.tex': biberTex('\\cite{Ok} \\cite{ok}') }), [
      "paper.tex:4:16-4:18 citation.undefined No bibliography entry for 'ok'. Did you mean 'Ok'?",
    ]);
  });

  it('BibTeX project: hover and go to definition find Ok from \\cite{ok}', async () => {
    const { text, position } = cursor(bibtexTex('\\citep{o|k}'));
    const { workspace, service } = serviceFor({ 'refs.bib': upperOnly, 'paper.tex': text });
    const doc = workspace.openDoc('paper.tex');
    assert.deepEqual((await service.getDefinition(doc, position))?.map((l) => `${l.uri} ${showRange(l.range)}`), ['file:///ws/refs.bib 0:9-0:11']);
    assert.match(JSON.stringify((await service.getHover(doc, position))?.contents), /Upper/);
  });
});
