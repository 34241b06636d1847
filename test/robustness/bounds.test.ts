/**
 * Issue 15: nothing a file can contain makes a diagnostics message grow without bound. Each case was
 * seen killing the server (vscode-jsonrpc's `Invalid string length`) or the CLI before: through the
 * façade, then through the real server over stdio, which must keep answering.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { serviceFor } from '../unit/memoryWorkspace';
import { projectRoot } from '../paths';
import { RobustClient } from '../protocol/lspClient';

const entry = (i: number) => `@book{same, author={A${i}, B.}, title={T}, publisher={P}, year=2000}\n`;

describe('bounded diagnostics (issue 15)', function () {
  this.timeout(120_000);

  it('2,000 copies of one key: 1,000 diagnostics and one saying how many more, each with at most 10 related places', async () => {
    const bib = Array.from({ length: 2000 }, (_, i) => entry(i)).join('');
    const { workspace, service } = serviceFor({ 'refs.bib': bib });
    const t0 = Date.now();
    const found = await service.getDiagnostics(workspace.openDoc('refs.bib'));
    assert.ok(Date.now() - t0 < 10_000, `${Date.now() - t0} ms`);
    assert.equal(found.length, 1001);
    assert.equal(found.at(-1)!.code, 'diagnostics.truncated');
    assert.match(String(found.at(-1)!.message), /^999 more problems in this file are not shown: at most 1,000 are \(setting entente.diagnostics.maxPerFile\)\.$/);
    const duplicate = found[0];
    assert.equal(duplicate.code, 'bib.duplicate-key');
    assert.match(String(duplicate.message), /\(2000 definitions\)/);
    assert.ok(found.every((d) => (d.relatedInformation?.length ?? 0) <= 10));
    assert.ok(JSON.stringify(found).length < 2_000_000, `${JSON.stringify(found).length} bytes`);
  });

  it('one label defined 2,500 times in Markdown and in LaTeX: bounded the same way', async () => {
    for (const [name, text] of [
      ['paper.md', Array.from({ length: 2500 }, () => '![x](x.png){#fig-x}\n\n').join('')],
      ['paper.tex', `\\documentclass{article}\\begin{document}\n${'\\label{x}\n'.repeat(2500)}\\end{document}\n`],
    ]) {
      const { workspace, service } = serviceFor({ [name]: text });
      const found = await service.getDiagnostics(workspace.openDoc(name));
      assert.equal(found.length, 1001, name);
      assert.ok(found.every((d) => (d.relatedInformation?.length ?? 0) <= 10), name);
      assert.ok(JSON.stringify(found).length < 2_000_000, name);
    }
  });

  it('the limit is a setting, and errors are kept before warnings when the list is cut', async () => {
    const text = `---\nbibliography: refs.bib\n---\n${'[@nope] '.repeat(30)}\n`;
    const { workspace, service } = serviceFor({ 'refs.bib': entry(0), 'paper.md': text }, { maxDiagnosticsPerFile: 10 });
    const found = await service.getDiagnostics(workspace.openDoc('paper.md'));
    assert.deepEqual(found.map((d) => d.code), [...Array(10).fill('citation.undefined'), 'diagnostics.truncated']);
    assert.match(String(found[10].message), /^20 more problems/);
  });

  it('a key of a megabyte is shown cut in its message', async () => {
    const key = 'k'.repeat(1_000_000);
    const { workspace, service } = serviceFor({ 'refs.bib': entry(0), 'paper.md': `---\nbibliography: refs.bib\n---\n[@${key}]\n` });
    const [d] = await service.getDiagnostics(workspace.openDoc('paper.md'));
    assert.equal(d.code, 'citation.undefined');
    assert.ok(String(d.message).length <= 1000);
    assert.ok(String(d.message).endsWith('…'));
  });

  it('a field of 10 MB makes a hover and a completion item of a few kilobytes', async () => {
    const big = 'x '.repeat(5_000_000);
    const { workspace, service } = serviceFor({ 'refs.bib': `@book{a, author={A, B}, title={${big}}, publisher={P}, year=2000}\n`, 'p.md': '---\nbibliography: refs.bib\n---\n[@a]\n' });
    const hover = await service.getHover(workspace.openDoc('p.md'), { line: 3, character: 2 });
    assert.ok(JSON.stringify(hover).length < 10_000, `hover: ${JSON.stringify(hover).length}`);
    const list = await service.getCompletions(workspace.openDoc('p.md', 'markdown', '---\nbibliography: refs.bib\n---\n[@a'), { line: 3, character: 3 });
    assert.ok(JSON.stringify(list).length < 2_000, `completion: ${JSON.stringify(list).length}`);
  });

  it('the real server keeps serving: 3,000 copies of a key and 1,000,000 citations in a draft (whose diagnostics once made a 500 MB message)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-bounds-'));
    const client = new RobustClient();
    try {
      fs.writeFileSync(path.join(dir, 'refs.bib'), Array.from({ length: 3000 }, (_, i) => entry(i)).join(''));
      await client.initialize(dir);
      const bibUri = client.open(path.join(dir, 'refs.bib'), 'bibtex', fs.readFileSync(path.join(dir, 'refs.bib'), 'utf8'));
      const draft = `---\nbibliography: refs.bib\n---\n${'[@a] '.repeat(1_000_000)}\n`;
      const draftUri = client.open(path.join(dir, 'paper.md'), 'markdown', draft);
      await client.settle(new Map([[bibUri, 1], [draftUri, 1]]), 400, 90_000);
      assert.equal(client.exited, false);
      for (const uri of [bibUri, draftUri]) {
        const published = client.diagnostics.get(uri)!;
        assert.equal(published.diagnostics.length, 1001);
        assert.ok(JSON.stringify(published).length < 3_000_000);
      }
      // An unrelated request is answered at once.
      const t0 = Date.now();
      const other = client.open(path.join(dir, 'other.md'), 'markdown', '---\nbibliography: refs.bib\n---\nSee @same.\n');
      await client.request('textDocument/hover', { textDocument: { uri: other }, position: { line: 3, character: 6 } });
      assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('entente check survives 1,000,000 citations and 150,000 RIS records without ids, with bounded output', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-bounds-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'refs.bib'), entry(0));
      fs.writeFileSync(path.join(dir, 'paper.md'), `---\nbibliography: refs.bib\n---\n${'@a '.repeat(1_000_000)}\n`);
      fs.writeFileSync(path.join(dir, 'refs.ris'), 'TY  - BOOK\nER  - \n'.repeat(150_000));
      const run = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'entente'), 'check', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(run.status, 1, run.stderr);
      assert.ok(run.stdout.length < 10_000_000, `${run.stdout.length} bytes`);
      const files = JSON.parse(run.stdout) as unknown;
      assert.ok(files);
      assert.match(run.stdout, /diagnostics\.truncated/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
