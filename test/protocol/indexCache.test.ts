import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TestClient } from './lspClient';
import { realBibDir } from '../paths';

/** The first keys of a BibTeX text. */
function keysOf(text: string, n: number): string[] {
  return [...text.matchAll(/^@(?!string|comment|preamble)\w+\s*\{\s*([^,\s]+),/gim)].slice(0, n).map((m) => m[1]);
}

/** Where `needle` ends in `text`, as an LSP position (`shift` code units back). */
function positionAfter(text: string, needle: string, shift = 0) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in text`);
  const before = text.slice(0, offset + needle.length - shift);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Searches the writer types: a key's start, a name, a title word, a year, a typo, several words. */
const queries = ['knuth', 'knth', 'tex', 'font', '1985', 'tex font', 'biber', 'bibl', 'knuth 1984', 'metafont design'];

describe('the index cache over stdio: a second start', function () {
  this.timeout(60000);
  let dir: string;
  let cacheFolder: string;
  let draft: string;
  let draftText: string;
  let cited: string[];
  const clients: TestClient[] = [];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-cache-protocol-'));
    cacheFolder = path.join(dir, 'cache');
    const ws = path.join(dir, 'ws');
    fs.mkdirSync(ws);
    const papers = fs.readFileSync(path.join(realBibDir, 'biber-papers.bib'), 'utf8');
    const tugboat = fs.readFileSync(path.join(realBibDir, 'tugboat-1980-1987.bib'), 'utf8');
    fs.writeFileSync(path.join(ws, 'papers.bib'), papers);
    fs.writeFileSync(path.join(ws, 'tugboat.bib'), tugboat);
    cited = [...keysOf(papers, 3), ...keysOf(tugboat, 3)];
    draft = path.join(ws, 'draft.md');
    draftText = `---\nbibliography: [papers.bib, tugboat.bib]\n---\n\n${cited.map((k) => `As [@${k}] says.`).join('\n\n')}\n\n${queries.map((q) => `See [@${q}`).join('\n\n')}\n`;
    fs.writeFileSync(draft, draftText);
  });
  after(async () => {
    for (const c of clients) await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<TestClient> {
    const client = new TestClient();
    clients.push(client);
    await client.initialize(path.join(dir, 'ws'), {
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { completion: { completionItem: { snippetSupport: false } }, hover: { contentFormat: ['markdown'] } },
        experimental: { entente: { cacheFolder } },
      },
    });
    return client;
  }

  /** Every completion and hover the draft gets, as the server sends them. */
  async function answers(client: TestClient, text = draftText): Promise<{ completions: Record<string, unknown>; hovers: Record<string, unknown> }> {
    const uri = client.open(draft, 'markdown', text);
    const completions: Record<string, unknown> = {};
    for (const q of queries) completions[q] = await client.request('textDocument/completion', { textDocument: { uri }, position: positionAfter(text, `See [@${q}`) });
    const hovers: Record<string, unknown> = {};
    for (const k of cited) hovers[k] = await client.request('textDocument/hover', { textDocument: { uri }, position: positionAfter(text, `[@${k}]`, 2) });
    return { completions, hovers };
  }

  /** The log lines saying how each library was indexed. */
  function indexed(client: TestClient): string[] {
    return client.logs
      .filter((l) => l.startsWith('Indexed '))
      .map((l) => l.replace(/ in \d+ ms/, '').replace(/file:\/\/\S*\//, ''))
      .sort();
  }

  async function cacheWritten(client: TestClient, files: number): Promise<void> {
    for (let i = 0; i < 600 && client.logs.filter((l) => /^Index cache of .* written/.test(l)).length < files; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(fs.readdirSync(cacheFolder).filter((f) => f.endsWith('.cache')).length, files, client.logs.join('\n'));
  }

  it('reads the libraries and their searches from the cache and answers completions and hovers as the first start did; a changed library is parsed afresh', async () => {
    const first = await start();
    const expected = await answers(first);
    await cacheWritten(first, 2);
    assert.deepEqual(indexed(first).map((l) => l.replace(/ \(\d+ problems/, ' (')), ['Indexed 2157 entries from papers.bib ()', 'Indexed 551 entries from tugboat.bib ()']);
    await first.stop();

    const second = await start();
    const got = await answers(second);
    assert.deepEqual(indexed(second).map((l) => l.replace(/ \(\d+ problems/, ' (')), [
      'Indexed 2157 entries from papers.bib (; from the index cache, with its search)',
      'Indexed 551 entries from tugboat.bib (; from the index cache, with its search)',
    ]);
    const found = Object.values(expected.completions).filter((c) => (c as { items: unknown[] }).items.length > 0).length;
    assert.ok(found >= queries.length - 2, `most queries find entries (${found})`);
    assert.ok(Object.values(expected.hovers).every((h) => h), 'every cited key has a hover');
    assert.deepEqual(got, expected);
    await second.stop();

    // A library changed since: parsed afresh (and found as it now reads); the other still from the cache.
    const tugboatFile = path.join(dir, 'ws', 'tugboat.bib');
    const tugboat = fs.readFileSync(tugboatFile, 'utf8');
    const key = keysOf(tugboat, 1)[0];
    fs.writeFileSync(tugboatFile, tugboat.replace(new RegExp(`(@\\w+\\s*\\{\\s*${key},)`), '$1\n  title = {Zanzibarian Quokkas},'));
    const third = await start();
    const edited = `${draftText}\nSee [@zanzibarian quok\n`;
    await answers(third, edited);
    assert.deepEqual(indexed(third).map((l) => l.replace(/ \(\d+ problems/, ' (')), [
      'Indexed 2157 entries from papers.bib (; from the index cache, with its search)',
      'Indexed 551 entries from tugboat.bib ()',
    ]);
    assert.ok(third.logs.some((l) => /Index cache of .*tugboat\.bib not used: the file has changed since/.test(l)), third.logs.join('\n'));
    const quokkas = await third.request('textDocument/completion', { textDocument: { uri: URI.file(draft).toString() }, position: positionAfter(edited, 'See [@zanzibarian quok') });
    assert.deepEqual(
      quokkas.items.map((i: { label: string }) => i.label),
      [key],
    );
  });
});
