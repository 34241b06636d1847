import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, projectRoot } from './lspClient';

const example = path.join(projectRoot, 'examples', 'nfm-paper');

/** Position of the first occurrence of `needle` in `text`, plus `shift` characters. */
function positionOf(text: string, needle: string, shift = 0) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in text`);
  const before = text.slice(0, offset + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

describe('the language server over stdio', function () {
  this.timeout(30000);
  let client: TestClient;

  beforeEach(() => {
    client = new TestClient();
  });
  afterEach(async () => {
    await client.stop();
  });

  it('announces completion and hover and its name', async () => {
    const init = await client.initialize(example);
    assert.equal(init.serverInfo.name, 'entente-language-server');
    assert.deepEqual(init.capabilities.completionProvider.triggerCharacters, ['@', '{', ',', '-', ':']);
    assert.equal(init.capabilities.hoverProvider, true);
  });

  it('completes and hovers citations in the example Markdown draft', async () => {
    await client.initialize(example);
    const file = path.join(example, 'paper.md');
    const text = fs.readFileSync(file, 'utf8').replace(/\n$/, '') + '\n\nAs shown [@biscop';
    const uri = client.open(file, 'markdown', text);
    const end = { line: text.split('\n').length - 1, character: text.split('\n').pop()!.length };
    const list = await client.request('textDocument/completion', { textDocument: { uri }, position: end });
    assert.equal(list.items[0].label, 'biscop2022new');
    const resolved = await client.request('completionItem/resolve', list.items[0]);
    assert.match(resolved.documentation.value, /Biscop, S\./);

    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '@biscop2022new', 3) });
    assert.match(hover.contents.value, /Biscop, S\. \(2022\)/);
    assert.match(hover.contents.value, /refs\.bib:\d+/);
  });

  it('completes CSL-JSON entries in Markdown and .bib entries in the LaTeX draft', async () => {
    await client.initialize(example);
    const md = path.join(example, 'paper.md');
    const mdText = fs.readFileSync(md, 'utf8') + '\n[@palmer';
    const mdUri = client.open(md, 'markdown', mdText);
    const mdEnd = { line: mdText.split('\n').length - 1, character: '[@palmer'.length };
    const mdList = await client.request('textDocument/completion', { textDocument: { uri: mdUri }, position: mdEnd });
    assert.equal(mdList.items[0].label, 'palmer2019nato');

    const tex = path.join(example, 'paper.tex');
    const texText = fs.readFileSync(tex, 'utf8').replace('\\end{document}', '\\parencite{szenes}\n\\end{document}');
    const texUri = client.open(tex, 'latex', texText);
    const list = await client.request('textDocument/completion', { textDocument: { uri: texUri }, position: positionOf(texText, '\\parencite{szenes}', '\\parencite{szenes'.length) });
    assert.equal(list.items[0].label, 'szenes2023reinforcing');
    const hover = await client.request('textDocument/hover', { textDocument: { uri: texUri }, position: positionOf(texText, '{szenes2023reinforcing', 2) });
    assert.match(hover.contents.value, /Szenes, Z\./);
  });

  it('re-indexes a bibliography changed on disk without a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-live-'));
    fs.writeFileSync(path.join(dir, 'refs.bib'), '@book{first2020, title={First}, year=2020}\n');
    const md = path.join(dir, 'paper.md');
    const text = '---\nbibliography: refs.bib\n---\n[@';
    fs.writeFileSync(md, text);
    await client.initialize(dir);
    const uri = client.open(md, 'markdown', text);
    const position = { line: 3, character: 2 };
    const before = await client.request('textDocument/completion', { textDocument: { uri }, position });
    assert.deepEqual(before.items.map((i: any) => i.label), ['first2020']);

    fs.writeFileSync(path.join(dir, 'refs.bib'), '@book{first2020, title={First}, year=2020}\n@book{second2021, title={Second}, year=2021}\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${dir}/refs.bib`, type: 2 }] });
    let labels: string[] = [];
    for (let i = 0; i < 200 && labels.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      labels = (await client.request('textDocument/completion', { textDocument: { uri }, position })).items.map((i: any) => i.label);
    }
    assert.deepEqual(labels, ['first2020', 'second2021']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("publishes an open _quarto.yml's missing bibliography on its declaration, and clears it once the file exists", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-quarto-'));
    try {
      const text = 'project:\n  type: book\nbibliography: references.bib\n';
      fs.writeFileSync(path.join(dir, '_quarto.yml'), text);
      fs.writeFileSync(path.join(dir, 'intro.qmd'), 'See [@a].\n');
      await client.initialize(dir);
      const uri = client.open(path.join(dir, '_quarto.yml'), 'yaml', text);
      await client.settle(new Map([[uri, 1]]));
      const published = client.diagnostics.get(uri)!.diagnostics;
      assert.deepEqual(published.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`), ['2:14 bibliography.not-found Bibliography references.bib does not exist.']);
      fs.writeFileSync(path.join(dir, 'references.bib'), '@book{a, title={A}, author={X}, publisher={P}, year=2020}\n');
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${dir}/references.bib`, type: 1 }] });
      for (let i = 0; i < 200 && client.diagnostics.get(uri)!.diagnostics.length; i++) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(client.diagnostics.get(uri)!.diagnostics, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers the document status with the bibliographies and their counts', async () => {
    await client.initialize(example);
    const file = path.join(example, 'paper.md');
    const uri = client.open(file, 'markdown', fs.readFileSync(file, 'utf8'));
    const status = await client.request('entente/documentStatus', { uri });
    assert.deepEqual(
      status.bibliographies.map((b: any) => `${path.basename(b.uri)} ${b.entries}`),
      ['refs.bib 19', 'refs-extra.json 9'],
    );
    assert.equal(status.entries, 28);
  });

  it('counts a key defined twice once, says what is wrong with the style setting once, and lists terms and unused entries', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-status-'));
    try {
      fs.writeFileSync(path.join(dir, 'refs.bib'), '@book{a, title={A}}\n@book{a, title={A again}}\n@book{b, title={B}}\n@book{lonely, title={Never cited}}\n');
      await client.initialize(dir, { initializationOptions: { citationStyle: 'chicago' } });
      const text = '---\nbibliography: refs.bib\n---\n[@a; @b]\n';
      const uri = client.open(path.join(dir, 'paper.md'), 'markdown', text);
      const status = await client.request('entente/documentStatus', { uri });
      assert.equal(status.entries, 3);
      assert.equal(status.duplicates, 1);
      assert.match(status.styleProblem, /entente\.citationStyle: "chicago" is neither a built-in style \(apa, vancouver, harvard1\) nor a \.csl file; references are shown in APA\./);
      await client.request('entente/documentStatus', { uri });
      const shown = client.notifications.filter((n) => n.method === 'window/showMessage').map((n) => (n.params as { message: string }).message);
      assert.deepEqual(shown.filter((m) => m.includes('chicago')).length, 1, shown.join('\n'));
      const terms = await client.request('workspace/executeCommand', { command: 'entente.server.glossaryTerms', arguments: [{ uri }] });
      assert.equal(terms.length, status.terms);
      assert.ok(terms.some((t: any) => t.short === 'VJTF' && t.expansion === 'Very High Readiness Joint Task Force' && t.origin === 'builtin'));
      const unused = await client.request('entente/unusedEntries', { uri });
      assert.deepEqual(unused.map((u: any) => `${u.key} ${path.basename(u.uri)}:${u.range.start.line}`), ['lonely refs.bib:3']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('converts a typed reference list (a selection further down a draft) to a bibliography, with its flags by document line', async () => {
    await client.initialize(example);
    const text = 'Biscop, S. (2022, September). The New Force Model: NATO’s European army? (Egmont Policy Brief No. 285). Egmont Institute.\n\nSmith et al. (2020). A title. P.\n';
    const bib = await client.request('entente/importReferences', { text, format: 'bibtex', firstLine: 9 });
    assert.match(bib.text, /^@report\{biscop2022new,$/m);
    assert.equal(bib.count, 2);
    assert.equal(bib.total, 2);
    assert.equal(bib.report.length, 1);
    assert.match(bib.report[0], /^line 12 \(smith2020title\): "et al\.": the other authors are not in the text/);
    const csl = await client.request('entente/importReferences', { text, format: 'csl-json' });
    assert.equal(JSON.parse(csl.text)[0].id, 'biscop2022new');
  });

  it('keeps serving after a request it cannot answer', async () => {
    await client.initialize(example);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere/x.md' }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
    const file = path.join(example, 'paper.md');
    const text = fs.readFileSync(file, 'utf8');
    const uri = client.open(file, 'markdown', text);
    const h = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '@biscop2022new', 2) });
    assert.ok(h?.contents.value.includes('Biscop'));
  });
});

describe('the language server on a broken stream (issue 15)', function () {
  this.timeout(30000);

  for (const [name, bytes] of [
    ['garbage', 'hello world\r\n\r\nxxxx'],
    ['a Content-Length shorter than its body', 'Content-Length: 5\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'],
    ['a header of 5 MB', `Content-Length: 10\r\nX: ${'a'.repeat(5_000_000)}`],
  ]) {
    it(`exits at once with a reason on ${name}, so that the editor can start it again (it hung)`, async () => {
      const { spawn } = await import('node:child_process');
      const server = spawn(process.execPath, [path.join(projectRoot, 'bin', 'entente-language-server'), '--stdio']);
      let stderr = '';
      server.stderr.on('data', (d) => (stderr += d));
      server.stdin.on('error', () => undefined);
      const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
      server.stdin.write(bytes);
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]);
      server.kill();
      assert.equal(code, 1);
      assert.match(stderr, /^entente-language-server: the client sent .*; exiting so that the editor can start the server again\.\n$/);
    });
  }

  it('answers requests after shutdown with an error, as the protocol says', async () => {
    const client = new TestClient();
    try {
      await client.initialize(example);
      await client.request('shutdown', null);
      await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: 'file:///x.md' }, position: { line: 0, character: 0 } }), /shutting down/);
    } finally {
      await client.stop();
    }
  });
});
