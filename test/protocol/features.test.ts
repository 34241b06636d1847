import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TestClient, projectRoot } from './lspClient';

const example = path.join(projectRoot, 'examples', 'nfm-paper');

function positionOf(text: string, needle: string, shift = 0) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in text`);
  const before = text.slice(0, offset + shift);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Waits for the server to publish diagnostics for `uri` (the first set that satisfies `accept`). */
async function diagnosticsFor(client: TestClient, uri: string, accept: (d: any[]) => boolean = () => true): Promise<any[]> {
  for (let i = 0; i < 600; i++) {
    const found = client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as any).uri === uri).pop();
    if (found && accept((found.params as any).diagnostics)) return (found.params as any).diagnostics;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no diagnostics for ${uri}`);
}

describe('the language server features over stdio', function () {
  this.timeout(30000);
  let client: TestClient;
  let md: { file: string; text: string; uri: string };
  let tex: { file: string; text: string; uri: string };

  beforeEach(async () => {
    client = new TestClient();
    await client.initialize(example);
    const mdFile = path.join(example, 'paper.md');
    const mdText = fs.readFileSync(mdFile, 'utf8');
    md = { file: mdFile, text: mdText, uri: client.open(mdFile, 'markdown', mdText) };
    const texFile = path.join(example, 'paper.tex');
    const texText = fs.readFileSync(texFile, 'utf8');
    tex = { file: texFile, text: texText, uri: client.open(texFile, 'latex', texText) };
  });
  afterEach(async () => {
    await client.stop();
  });

  it('publishes the deliberately broken citations of both drafts, and a quick fix for each', async () => {
    const mdDiagnostics = await diagnosticsFor(client, md.uri);
    assert.deepEqual(mdDiagnostics.map((d) => `${d.code} ${d.range.start.line + 1}`), ['citation.undefined 95', 'glossary.first-use 26']);
    const texDiagnostics = await diagnosticsFor(client, tex.uri);
    assert.deepEqual(texDiagnostics.map((d) => d.code), ['citation.undefined']);
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri: tex.uri }, range: texDiagnostics[0].range, context: { diagnostics: texDiagnostics } });
    assert.match(actions[0].title, /^Change to biscop2022new — Biscop \(2022\)/);
    assert.deepEqual(actions[0].edit.changes[tex.uri], [{ range: texDiagnostics[0].range, newText: 'biscop2022new' }]);
  });

  it('updates diagnostics as the writer types', async () => {
    await diagnosticsFor(client, md.uri);
    const fixed = md.text.replace('duffeild1994nato', 'duffield1994nato');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: md.uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const after = await diagnosticsFor(client, md.uri, (d) => d.length === 1);
    assert.deepEqual(after.map((d) => d.code), ['glossary.first-use']);
  });

  it('goes to the definition of a citation and finds its references', async () => {
    const position = positionOf(md.text, '@biscop2022new', 3);
    const definition = await client.request('textDocument/definition', { textDocument: { uri: md.uri }, position });
    assert.equal(definition.length, 1);
    assert.equal(definition[0].uri, URI.file(path.join(example, 'refs.bib')).toString());
    const refs = await client.request('textDocument/references', { textDocument: { uri: md.uri }, position, context: { includeDeclaration: false } });
    assert.ok(refs.some((r: any) => r.uri === tex.uri) && refs.some((r: any) => r.uri === md.uri), JSON.stringify(refs));
  });

  it('prepares and computes a rename across the bibliography and both drafts', async () => {
    const position = positionOf(md.text, '@biscop2022new', 3);
    const prepared = await client.request('textDocument/prepareRename', { textDocument: { uri: md.uri }, position });
    assert.equal(prepared.placeholder, 'biscop2022new');
    const edit = await client.request('textDocument/rename', { textDocument: { uri: md.uri }, position, newName: 'biscop2022force' });
    assert.deepEqual(Object.keys(edit.changes).map((u) => path.basename(URI.parse(u).fsPath)).sort(), ['paper.md', 'paper.tex', 'refs.bib']);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: md.uri }, position, newName: 'deni2024new' }), /already a key/);
  });

  it('completes labels in \\ref{ and after @fig-, and hovers a reference with what its label names', async () => {
    const texText = `${tex.text}\nSee \\ref{}\n`;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: tex.uri, version: 2 }, contentChanges: [{ text: texText }] });
    const texList = await client.request('textDocument/completion', { textDocument: { uri: tex.uri }, position: positionOf(texText, 'See \\ref{}', 'See \\ref{'.length) });
    assert.deepEqual(texList.items.slice(0, 2).map((i: any) => `${i.label}: ${i.detail}`), ['sec:intro: Section: Introduction', 'sec:from-nrf: Section: From a rotating pool to the nfm']);
    const mdText = `${md.text}\nSee @fig-\n`;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: md.uri, version: 2 }, contentChanges: [{ text: mdText }] });
    const mdList = await client.request('textDocument/completion', { textDocument: { uri: md.uri }, position: positionOf(mdText, 'See @fig-', 'See @fig-'.length) });
    assert.deepEqual(mdList.items.map((i: any) => i.label), ['fig-nfm-tiers']);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: tex.uri }, position: positionOf(texText, 'Section~\\ref{sec:intro}', 'Section~\\ref{sec:'.length) });
    assert.equal(hover.contents.value, '**Section**: Introduction\n\n*paper.tex:26*');
  });

  it('lists document and workspace symbols', async () => {
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: md.uri } });
    assert.ok(symbols.length > 0 && typeof symbols[0].name === 'string');
    const found = await client.request('workspace/symbol', { query: 'szenes' });
    assert.equal(found[0].name, 'szenes2023reinforcing');
  });

  it('offers to declare or copy a key another bibliography of the workspace defines, and marks unused entries when asked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-elsewhere-'));
    const other = new TestClient();
    try {
      fs.writeFileSync(path.join(dir, 'refs.bib'), '@book{a, title={A}, author={X}, publisher={P}, year=2000}\n@book{spare, title={S}, author={Y}, publisher={P}, year=2001}\n');
      fs.writeFileSync(path.join(dir, 'extra.json'), '[{"id": "hooker2024", "type": "report", "title": "Lessons", "author": [{"family": "Hooker"}], "publisher": "Center for Strategic and International Studies", "issued": {"date-parts": [[2024]]}}]\n');
      await other.initialize(dir, { initializationOptions: { diagnostics: { unusedEntries: true } } });
      const text = '---\nbibliography: refs.bib\n---\n[@a; @hooker2024]\n';
      const uri = other.open(path.join(dir, 'paper.md'), 'markdown', text);
      const found = await diagnosticsFor(other, uri, (ds) => ds.some((d) => d.code === 'citation.undefined'));
      const actions = await other.request('textDocument/codeAction', { textDocument: { uri }, range: found[0].range, context: { diagnostics: found } });
      assert.deepEqual(actions.map((a: any) => a.title), ["Add extra.json to this document's bibliography", 'Copy the entry for hooker2024 from extra.json into refs.bib', "Add a stub entry for 'hooker2024' to refs.bib"]);
      assert.deepEqual(actions[0].edit.changes[uri], [{ range: { start: { line: 1, character: 14 }, end: { line: 1, character: 22 } }, newText: '[refs.bib, extra.json]' }]);
      const bibText = fs.readFileSync(path.join(dir, 'refs.bib'), 'utf8');
      const bibUri = other.open(path.join(dir, 'refs.bib'), 'bibtex', bibText);
      const unused = await diagnosticsFor(other, bibUri, (ds) => ds.some((d) => d.code === 'citation.unused-entry'));
      assert.deepEqual(unused.map((d: any) => `${d.range.start.line} ${d.code} ${d.message}`), ["1 citation.unused-entry 'spare' is not cited by any draft."]);
    } finally {
      await other.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the whole workspace on request, closed files included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-ws-'));
    fs.writeFileSync(path.join(dir, 'refs.bib'), '@book{a, title={A}, author={X}, publisher={P}, year=2000}\n@book{a, title={B}, author={Y}, publisher={P}, year=2001}\n');
    fs.writeFileSync(path.join(dir, 'closed.md'), '---\nbibliography: refs.bib\n---\nThe VJTF moved [@a; @nope].\n');
    const other = new TestClient();
    await other.initialize(dir);
    const summary = await other.request('workspace/executeCommand', { command: 'entente.server.checkWorkspace', arguments: [] });
    // The notes (hints and informations) are counted too: the client's message gives all three.
    assert.deepEqual(summary, { files: 2, errors: 2, warnings: 0, notes: 1 });
    const closed = await diagnosticsFor(other, URI.file(path.join(dir, 'closed.md')).toString());
    assert.deepEqual(closed.map((d: any) => d.code).sort(), ['citation.undefined', 'glossary.first-use']);
    const bib = await diagnosticsFor(other, URI.file(path.join(dir, 'refs.bib')).toString());
    assert.deepEqual(bib.map((d: any) => d.code), ['bib.duplicate-key']);
    await other.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
