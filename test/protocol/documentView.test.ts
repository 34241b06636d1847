import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TestClient } from './lspClient';

const bib = `@book{biscop2022,
  author = {Biscop, Sven},
  title = {European Strategy},
  year = {2022}
}

@article{smith2020, author = {Smith, J. and Jones, K.}, title = {One Line}, journal = {J}, year = 2020}
@report{hooker2024,
  author = {Hooker, Richard D.},
  title = {NATO and the War in Ukraine},
  year = {2024}
}
`;
const tex = `\\documentclass{article}
\\usepackage{biblatex}
\\addbibresource{refs.bib}
\\begin{document}
\\section{Introduction}
As \\textcite{biscop2022} and \\cite{smith2020,nope} argue.
\\input{chapters/one}
\\subsection{Scope}
Text.

\\section{Conclusion}
See \\parencite[12]{hooker2024}.

\\end{document}
`;

describe('document links, folding ranges and inlay hints over stdio', function () {
  this.timeout(30000);
  let dir: string;
  let client: TestClient;
  const uriOf = (name: string) => URI.file(path.join(dir, name)).toString();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-view-'));
    fs.mkdirSync(path.join(dir, 'chapters'));
    fs.writeFileSync(path.join(dir, 'refs.bib'), bib);
    fs.writeFileSync(path.join(dir, 'chapters', 'one.tex'), 'Chapter one.\n');
    fs.writeFileSync(path.join(dir, 'style.csl'), '<style/>');
    client = new TestClient();
  });
  afterEach(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('links \\input, \\addbibresource, \\bibliography, bibliography: and csl: to their files, not a missing one', async () => {
    const caps = await client.initialize(dir);
    assert.deepEqual(caps.capabilities.documentLinkProvider, { resolveProvider: false });
    const texUri = client.open(path.join(dir, 'paper.tex'), 'latex', tex);
    const links = await client.request('textDocument/documentLink', { textDocument: { uri: texUri } });
    assert.deepEqual(links.map((l: any) => `${l.range.start.line}:${l.range.start.character} ${l.target}`), [`2:16 ${uriOf('refs.bib')}`, `6:7 ${uriOf('chapters/one.tex')}`]);
    const bibtex = client.open(path.join(dir, 'old.tex'), 'latex', '\\documentclass{article}\n\\bibliography{refs,missing}\n');
    const old = await client.request('textDocument/documentLink', { textDocument: { uri: bibtex } });
    assert.deepEqual(old.map((l: any) => `${l.range.start.line}:${l.range.start.character}-${l.range.end.character} ${l.target}`), [`1:14-18 ${uriOf('refs.bib')}`]);
    const md = client.open(path.join(dir, 'paper.md'), 'markdown', '---\nbibliography: [refs.bib, gone.json]\ncsl: style.csl\n---\n[@biscop2022]\n');
    const mdLinks = await client.request('textDocument/documentLink', { textDocument: { uri: md } });
    assert.deepEqual(mdLinks.map((l: any) => `${l.range.start.line}:${l.range.start.character} ${l.target}`), [`1:15 ${uriOf('refs.bib')}`, `2:5 ${uriOf('style.csl')}`]);
  });

  it('folds the entries of a bibliography that span lines, and LaTeX sections', async () => {
    const caps = await client.initialize(dir);
    assert.equal(caps.capabilities.foldingRangeProvider, true);
    const bibUri = client.open(path.join(dir, 'refs.bib'), 'bibtex', bib);
    const entries = await client.request('textDocument/foldingRange', { textDocument: { uri: bibUri } });
    assert.deepEqual(entries.map((f: any) => `${f.startLine}-${f.endLine}`), ['0-4', '7-11']);
    const texUri = client.open(path.join(dir, 'paper.tex'), 'latex', tex);
    const sections = await client.request('textDocument/foldingRange', { textDocument: { uri: texUri } });
    // Introduction holds its subsection and ends before Conclusion, blank line left out; Conclusion ends before \end{document}.
    assert.deepEqual(sections.map((f: any) => `${f.startLine}-${f.endLine}`), ['4-8', '7-8', '10-11']);
  });

  it('shows "Biscop 2022" after a LaTeX citation key only when the setting asks, and nothing for an unknown key', async () => {
    const caps = await client.initialize(dir, { initializationOptions: { inlayHints: { citations: true } } });
    assert.equal(caps.capabilities.inlayHintProvider, true);
    const texUri = client.open(path.join(dir, 'paper.tex'), 'latex', tex);
    const range = { start: { line: 0, character: 0 }, end: { line: 14, character: 0 } };
    const hints = await client.request('textDocument/inlayHint', { textDocument: { uri: texUri }, range });
    assert.deepEqual(hints.map((h: any) => `${h.position.line}:${h.position.character} ${h.label}`), ['5:23 Biscop 2022', '5:44 Smith & Jones 2020', '11:29 Hooker 2024']);
    const part = await client.request('textDocument/inlayHint', { textDocument: { uri: texUri }, range: { start: { line: 10, character: 0 }, end: { line: 12, character: 0 } } });
    assert.deepEqual(part.map((h: any) => h.label), ['Hooker 2024']);
    const off = new TestClient();
    try {
      await off.initialize(dir);
      const offUri = off.open(path.join(dir, 'paper.tex'), 'latex', tex);
      assert.deepEqual(await off.request('textDocument/inlayHint', { textDocument: { uri: offUri }, range }), []);
    } finally {
      await off.stop();
    }
  });
});
